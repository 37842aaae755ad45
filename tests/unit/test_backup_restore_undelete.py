"""Backups, restore and undo: automatic before every destructive change, and end to end by CLI."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reliability_worker import project_digest, write_transcripts
from workbench import store
from workbench.backup import folder_of, list_backups, make_backup, restore, rotate
from workbench.cli import cli
from workbench.codebook import parse_codebook
from workbench.codebook.ops import delete_code, install, merge_codes, resolve, undo_delete
from workbench.coding import apply_code
from workbench.imports import import_files
from workbench.model import Code, WorkbenchError
from workbench.store import Project

CODEBOOK = """
name: fieldwork
codes:
  - name: Trust
    name_zh: 信任
    color: "#1f77b4"
    children:
      - name: Distrust
      - name: Institutional trust
  - name: Housing
  - name: Work
"""


@pytest.fixture
def project_path(tmp_path, monkeypatch) -> Path:
    """A small project with a codebook, two documents and codings by two coders."""
    monkeypatch.setenv("WORKBENCH_CODER", "tester")
    path = tmp_path / "fieldwork.qda"
    files = write_transcripts(tmp_path / "transcripts", 2, turns=12)
    with Project.create(path) as project:
        install(project, parse_codebook(CODEBOOK, "codebook.yaml"), coder="lin")
        assert all(o.status == "imported" for o in import_files(project, files, coder="lin"))
        for start in range(0, 100, 20):
            apply_code(project, files[0].name, "Trust/Distrust", start, start + 10, "lin")
            apply_code(project, files[0].name, "Trust", start + 2, start + 12, "sara")
            apply_code(project, files[1].name, "Institutional trust", start, start + 4, "sara")
            apply_code(project, files[1].name, "Housing", start, start + 6, "lin")
    return path


def _rows(path: Path, table: str) -> list[tuple]:
    connection = sqlite3.connect(str(path))
    try:
        return sorted(connection.execute(f"SELECT * FROM {table}").fetchall())
    finally:
        connection.close()


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _fails(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


# ---------------------------------------------------------------------------- CLI end to end
def test_cli_backup_then_restore_brings_the_old_state_back(project_path):
    p = str(project_path)
    made = Path(_run("backup", p).strip())
    assert made.parent == folder_of(project_path) and made.is_file()
    saved = project_digest(project_path)
    assert project_digest(made) == saved
    codes, codings = _rows(project_path, "codes"), _rows(project_path, "codings")
    with Project.open(project_path) as project:
        document = project.documents()[0]["name"]
    _run("code", p, document, "Work", "3", "30", "--coder", "late")
    _run("codebook", "delete", p, "Housing", "--remove-codings")
    changed = project_digest(project_path)
    assert changed != saved

    output = _run("restore", p, made.name)  # a name inside PROJECT.backups/ is enough
    assert _rows(project_path, "codes") == codes and _rows(project_path, "codings") == codings
    with Project.open(project_path) as project:
        assert project.integrity_ok()
        assert "Housing" in {row.name for row in project.code_rows()}
        assert not project.codings(coders=["late"])
        assert project.events(1)[0]["action"] == "restore"
    before = Path(output.rsplit("kept in ", 1)[1].strip())
    assert project_digest(before) == changed  # the restore can itself be undone
    listing = json.loads(_run("backup", p, "--list", "--json"))
    assert [b["action"] for b in listing["backups"]] == ["manual", "delete-code", "restore"]

    _run("restore", p, str(before))
    assert project_digest(project_path) != saved
    with Project.open(project_path) as project:
        assert project.codings(coders=["late"]) and "Housing" not in {r.name for r in project.code_rows()}


def test_cli_delete_code_asks_about_codings_and_undelete_undoes_it(project_path):
    p = str(project_path)
    codes, codings = _rows(project_path, "codes"), _rows(project_path, "codings")
    untouched = project_digest(project_path)
    message = _fails("codebook", "delete", p, "Trust")
    assert "--reassign-to" in message and "--remove-codings" in message
    assert project_digest(project_path) == untouched
    assert not list_backups(project_path)

    _run("codebook", "delete", p, "Trust", "--remove-codings")
    with Project.open(project_path) as project:
        assert {row.name for row in project.code_rows()} == {"Housing", "Work"}
        assert project.coding_count() == 5
    automatic, = list_backups(project_path)
    assert automatic.action == "delete-code" and project_digest(automatic.path) == untouched

    output = _run("codebook", "undelete", p)
    assert "'Trust' is back with 2 sub-codes, 15 codings" in output
    assert _rows(project_path, "codes") == codes
    assert _rows(project_path, "codings") == codings
    assert "no code deletion to undo" in _fails("codebook", "undelete", p)


def test_cli_delete_with_reassign_then_undelete_takes_the_codings_back(project_path):
    p = str(project_path)
    codings = _rows(project_path, "codings")
    _run("codebook", "delete", p, "Trust/Distrust", "--reassign-to", "Work")
    with Project.open(project_path) as project:
        assert len(project.codings(code_ids=[resolve(project, "Work")])) == 5
    _run("codebook", "delete", p, "Housing", "--remove-codings")
    _run("codebook", "undelete", p, "Distrust")  # by name, not only the last deletion
    with Project.open(project_path) as project:
        assert not project.codings(code_ids=[resolve(project, "Work")])
        assert "Housing" not in {row.name for row in project.code_rows()}
    _run("codebook", "undelete", p)
    assert _rows(project_path, "codings") == codings


def test_cli_refuses_both_fates_and_bad_backups_in_one_line(project_path, tmp_path):
    p = str(project_path)
    untouched = project_digest(project_path)
    assert "not both" in _fails("codebook", "delete", p, "Trust", "--reassign-to", "Work", "--remove-codings")
    assert "no such backup" in _fails("restore", p, "nothing-here.qda")
    not_sqlite = tmp_path / "notes.qda"
    not_sqlite.write_text("these are my notes")
    assert "not a workbench project" in _fails("restore", p, str(not_sqlite))
    foreign = tmp_path / "other.db"
    sqlite3.connect(str(foreign)).execute("CREATE TABLE t (x)").connection.close()
    assert "another program" in _fails("restore", p, str(foreign))
    assert "is the project itself" in _fails("restore", p, p)
    assert project_digest(project_path) == untouched
    assert not list_backups(project_path)


def test_every_new_command_has_help():
    for command in (["backup"], ["restore"], ["codebook", "delete"], ["codebook", "undelete"]):
        output = _run(*command, "--help")
        assert "Usage:" in output and len(output.splitlines()) > 4


# ---------------------------------------------------------------------- automatic backups
def test_every_destructive_operation_backs_up_first(project_path):
    with Project.open(project_path) as project:
        before_merge = project_digest(project_path)
        merge_codes(project, resolve(project, "Housing"), resolve(project, "Work"), coder="lin")
        before_delete = project_digest(project_path)
        delete_code(project, resolve(project, "Trust/Distrust"), remove_codings=True, coder="lin")
        before_undo = project_digest(project_path)
        undo_delete(project, coder="lin")
        before_import = project_digest(project_path)
        install(project, parse_codebook(CODEBOOK, "again.yaml"), coder="lin")
    made = list_backups(project_path)
    assert [b.action for b in made] == ["merge-codes", "delete-code", "undo-delete-code", "codebook-import"]
    assert [project_digest(b.path) for b in made] == [before_merge, before_delete, before_undo, before_import]


def test_migration_backs_up_the_old_schema_first(project_path, monkeypatch):
    old = project_digest(project_path)

    def m999_test_column(db):
        db.execute("ALTER TABLE memos ADD COLUMN pinned INTEGER DEFAULT 0")

    monkeypatch.setattr(store.migrations, "_migrations", list(store.migrations._migrations))
    store.migrations()(m999_test_column)
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    with Project.open(project_path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert "pinned" in project.db["memos"].columns_dict
    made, = list_backups(project_path)
    assert made.action == "migrate" and project_digest(made.path) == old


def test_a_failed_backup_stops_the_destructive_operation(project_path):
    untouched = project_digest(project_path)
    folder_of(project_path).write_text("a file where the backups folder should be")
    with Project.open(project_path) as project:
        with pytest.raises(WorkbenchError, match="cannot make the backup that comes before delete code"):
            delete_code(project, resolve(project, "Trust"), remove_codings=True)
    assert project_digest(project_path) == untouched


def test_backups_are_standalone_and_outlive_anything_done_to_the_project(project_path, tmp_path):
    with Project.open(project_path) as project:
        made = make_backup(project)
    assert not Path(str(made) + "-wal").exists()
    header = made.read_bytes()[:20]
    assert header[18:20] == b"\x01\x01"  # rollback-journal mode: one file, nothing beside it
    digest = project_digest(made)
    with Project.open(project_path) as project:  # wreck the project in every way the core allows
        for row in project.code_rows():
            if row.parent_id is None:
                delete_code(project, row.id, remove_codings=True)
    project_path.write_bytes(b"\0" * 4096)
    for sidecar in ("-wal", "-shm"):
        Path(str(project_path) + sidecar).unlink(missing_ok=True)
    assert project_digest(made) == digest
    with pytest.raises(WorkbenchError):
        Project.open(project_path)
    project_path.unlink()
    assert "restored" in _run("restore", str(project_path), str(made))  # into a fresh file
    assert project_digest(project_path) == digest
    with Project.open(project_path) as project:
        assert project.integrity_ok()


def test_rotation_keeps_the_newest_the_day_firsts_and_every_manual_backup(project_path):
    with Project.open(project_path) as project:
        manual = make_backup(project)
        made = [make_backup(project, "delete code") for _ in range(14)]
    kept = list_backups(project_path)
    assert manual in [b.path for b in kept]
    automatic = [b.path for b in kept if b.automatic]
    assert automatic == [made[0], *made[-10:]]  # today's first, and the newest ten
    folder = folder_of(project_path)
    stray = folder / "notes.txt"
    stray.write_text("mine")
    old_day = folder / f"{project_path.stem}-20200101T000000.000000Z-delete-code.qda"
    old_day.write_bytes(made[-1].read_bytes())
    rotate(project_path, keep=3)
    remaining = {b.path for b in list_backups(project_path)}
    assert stray.exists() and manual in remaining and old_day in remaining and made[0] in remaining
    assert set(made[-3:]) <= remaining and len(remaining) == 6


def test_restore_reaches_a_project_that_another_connection_holds_open(project_path):
    with Project.open(project_path) as project:
        snapshot = make_backup(project)
        saved = project_digest(project_path)
    with Project.open(project_path) as other:
        delete_code(other, resolve(other, "Housing"), remove_codings=True)
        version = other.data_version()
        restore(project_path, snapshot)
        assert other.data_version() != version  # the TUI's poll notices
        assert "Housing" in {row.name for row in other.code_rows()}
        assert other.integrity_ok()
        apply_code(other, other.documents()[0]["name"], "Housing", 0, 3, "after")
    with Project.open(project_path) as project:
        assert project.integrity_ok() and project.codings(coders=["after"])
    assert project_digest(snapshot) == saved


def test_restore_refuses_a_damaged_backup_and_changes_nothing(project_path):
    with Project.open(project_path) as project:
        made = make_backup(project)
    data = bytearray(made.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):
        data[offset + 8: offset + 200] = os.urandom(192)  # trample b-tree pages, keep the header
    made.write_bytes(bytes(data))
    untouched = project_digest(project_path)
    with pytest.raises(WorkbenchError):
        restore(project_path, made)
    assert project_digest(project_path) == untouched
    assert [b.path for b in list_backups(project_path)] == [made]
    assert not [p for p in folder_of(project_path).iterdir() if p.name.startswith(".")]


def test_undelete_survives_reused_ids(project_path):
    """Undo must not overwrite newer rows (and since m002 ids are never handed out again)."""
    with Project.open(project_path) as project:
        document = project.documents()[0]["name"]
        work = resolve(project, "Work")  # the newest code: before m002 its id was reused
        apply_code(project, document, "Work", 1, 2, "lin")
        delete_code(project, work, remove_codings=True)
        from workbench.codebook.ops import add_code

        replacement = add_code(project, Code(name="Work (new)"))
        assert replacement != work  # AUTOINCREMENT: a deleted code's id is never reused
        newest = apply_code(project, document, "Work (new)", 50, 60, "lin")
        undo_delete(project, "Work")
        names = {row.id: row.name for row in project.code_rows()}
        assert names[replacement] == "Work (new)" and "Work" in names.values()
        assert project.coding(newest).code_id == replacement
        back = [c for c in project.codings() if names[c.code_id] == "Work"]
        assert [(c.start, c.end) for c in back] == [(1, 2)]
        assert project.integrity_ok()


def test_undelete_never_takes_a_newer_coding_of_the_same_span(project_path):
    """A newer coding of the same span (before m002 it could even get the same id) stays."""
    with Project.open(project_path) as project:
        document = project.documents()[0]["name"]
        newest = apply_code(project, document, "Work", 200, 210, "lin")
        delete_code(project, resolve(project, "Work"), remove_codings=True)
        again = apply_code(project, document, "Housing", 200, 210, "lin")
        assert again != newest  # ids are never handed out again
        undo_delete(project, "Work")
        at_span = sorted(project.conn.execute(
            "SELECT k.name FROM codings g JOIN codes k ON k.id = g.code_id WHERE g.start = 200").fetchall())
        assert at_span == [("Housing",), ("Work",)]


def test_undoing_a_merge_in_the_session_history_moves_codings_back_once(project_path):
    from workbench.history import History

    with Project.open(project_path) as project:
        before = _rows(project_path, "codings")
        history = History(project, "lin")
        history.merge_codes(resolve(project, "Housing"), resolve(project, "Work"))
        history.undo()
        assert _rows(project_path, "codings") == before
