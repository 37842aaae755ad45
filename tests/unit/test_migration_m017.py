"""m017: a deleted code put back is logged as 'code undelete'; a coding put back stays 'code restore'."""

from __future__ import annotations

import json

from named import code_named

from workbench.codebook import parse_codebook
from workbench.codebook.ops import delete_code, install, last_deletion, resolve, undo_delete
from workbench.coding import remove_coding, restore_coding
from workbench.imports import import_files
from workbench.store import SCHEMA_VERSION, Project
from workbench.store.events import Action

CODEBOOK = "name: t\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n  - name: Housing\n"


def _project(tmp_path) -> Project:
    (tmp_path / "P1.txt").write_text("Interviewer: Do you trust them?\nRespondent: Not really.\n", encoding="utf-8")
    project = Project.create(tmp_path / "p.qda")
    install(project, parse_codebook(CODEBOOK, "t.yaml"))
    list(import_files(project, [tmp_path / "P1.txt"]))
    return project


def test_undeleting_a_code_and_restoring_a_coding_log_different_actions(tmp_path) -> None:
    with _project(tmp_path) as project:
        coding_id = code_named(project, "P1.txt", "Housing", 0, 11, "lin")
        restore_coding(project, remove_coding(project, coding_id, "lin"), "lin")
        code_named(project, "P1.txt", "Trust/Distrust", 0, 11, "lin")
        delete_code(project, resolve(project, "Trust"), remove_codings=True, coder="lin")
        undo_delete(project, coder="lin")
        assert [e.action for e in project.events(4)][::-1] == [
            "code restore", "code apply", "code delete", "code undelete"]


def test_old_code_restores_become_code_undeletes_and_stay_undone(tmp_path) -> None:
    with _project(tmp_path) as project:
        code_named(project, "P1.txt", "Trust/Distrust", 0, 11, "lin")
        coding_id = code_named(project, "P1.txt", "Housing", 0, 11, "lin")
        restore_coding(project, remove_coding(project, coding_id, "lin"), "lin")
        delete_code(project, resolve(project, "Trust"), remove_codings=True, coder="lin")
        undo_delete(project, coder="lin")
        assert last_deletion(project) is None  # the one deletion is undone
        # As an older workbench logged it: the code undelete under the coding's name.
        project.conn.execute("UPDATE events SET action = 'code restore' WHERE action = 'code undelete'")
        project.conn.execute("INSERT INTO events (at, action, detail) VALUES ('2025-01-01', 'code restore', 'not json')")
        project.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm017_code_undelete'")
        project.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        project.conn.commit()
        path = project.path
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        undeletes = project.events(100, action=Action.CODE_UNDELETE)
        assert len(undeletes) == 1 and json.loads(undeletes[0].detail)["codes"] == ["Trust", "Distrust"]
        restores = project.events(100, action=Action.CODE_RESTORE)
        assert [json.loads(e.detail).get("coding") for e in restores if e.detail != "not json"] == [coding_id]
        assert len(restores) == 2  # the coding's, and the entry that is not JSON, left alone
        assert last_deletion(project) is None  # still known as undone
