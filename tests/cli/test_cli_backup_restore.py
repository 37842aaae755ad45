"""`backup`, `restore`, `codebook delete` and `undelete` end to end: the old state comes back, and a
wrong request is refused in one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fieldwork_project import _fails, _rows, _run, fieldwork_project
from reliability_worker import project_digest

from workbench.backup import folder_of, list_backups
from workbench.codebook.ops import resolve
from workbench.store import Project


@pytest.fixture
def project_path(tmp_path) -> Path:
    return fieldwork_project(tmp_path)


def test_cli_backup_then_restore_brings_the_old_state_back(project_path):
    p = str(project_path)
    made = Path(_run("backup", p).strip())
    assert made.parent == folder_of(project_path) and made.is_file()
    saved = project_digest(project_path)
    assert project_digest(made) == saved
    codes, codings = _rows(project_path, "codes"), _rows(project_path, "codings")
    with Project.open(project_path) as project:
        document = project.documents()[0].name
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
        assert project.events(1)[0].action == "restore"
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
