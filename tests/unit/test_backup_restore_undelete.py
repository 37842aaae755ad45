"""Backups, restore and undo: automatic before every destructive change (the CLI: tests/cli)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fieldwork_project import CODEBOOK, _rows, _run, fieldwork_project
from named import code_named
from reliability_worker import project_digest

from workbench import store
from workbench.backup import folder_of, list_backups, make_backup, restore, rotate
from workbench.codebook import parse_codebook
from workbench.codebook.ops import delete_code, install, merge_codes, resolve, undo_delete
from workbench.model import Code, WorkbenchError
from workbench.store import Project


@pytest.fixture
def project_path(tmp_path) -> Path:
    return fieldwork_project(tmp_path)


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
        code_named(other, other.documents()[0].name, "Housing", 0, 3, "after")
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
        document = project.documents()[0].name
        work = resolve(project, "Work")  # the newest code: before m002 its id was reused
        code_named(project, document, "Work", 1, 2, "lin")
        delete_code(project, work, remove_codings=True)
        from workbench.codebook.ops import add_code

        replacement = add_code(project, Code(name="Work (new)"))
        assert replacement != work  # AUTOINCREMENT: a deleted code's id is never reused
        newest = code_named(project, document, "Work (new)", 50, 60, "lin")
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
        document = project.documents()[0].name
        newest = code_named(project, document, "Work", 200, 210, "lin")
        delete_code(project, resolve(project, "Work"), remove_codings=True)
        again = code_named(project, document, "Housing", 200, 210, "lin")
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
