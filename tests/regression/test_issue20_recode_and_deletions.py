"""Issue 20, items 12 and 13: a recode takes the coding's memos along; a row that takes a deleted
guid forgets the deletion by the schema's rule, not by a special case in the store."""

from __future__ import annotations

from named import code_named

from workbench.codebook.ops import add_code, resolve
from workbench.history import History
from workbench.model import Code
from workbench.store import Project

TEXT = "I trust my family. Work is hard. My boss lies.\n"


def _project(tmp_path):
    from workbench.imports import import_files

    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    project = Project.create(tmp_path / "p.qda")
    list(import_files(project, [tmp_path / "P01.txt"], "alice"))
    add_code(project, Code("Trust"))
    add_code(project, Code("Confidence"))
    return project


def test_item12_a_recoded_codings_memo_follows_it_and_comes_back_on_undo(tmp_path):
    with _project(tmp_path) as project:
        coding_id = code_named(project, "P01.txt", "Trust", 2, 17, "alice")
        with project.transaction():
            project.add_memo("coding", coding_id, "family first", "alice")
        history = History(project, "alice")
        new = history.recode(coding_id, resolve(project, "Confidence"))
        assert [m.text for m in project.memos("coding", new.id)] == ["family first"]
        assert set(project.deleted_guids().values()) == {"coding"}  # the memo moved; it was not deleted
        history.undo()
        old = project.id_of("coding", project.codings()[0].guid)
        assert [c.code_id for c in project.codings()] == [resolve(project, "Trust")]
        assert [m.text for m in project.memos("coding", old)] == ["family first"]
        history.redo()
        assert [m.text for m in project.memos("coding", project.codings()[0].id)] == ["family first"]


def test_item12_a_recode_onto_an_existing_coding_brings_the_memo_and_undo_keeps_that_coding(tmp_path):
    with _project(tmp_path) as project:
        coding_id = code_named(project, "P01.txt", "Trust", 2, 17, "alice")
        there = code_named(project, "P01.txt", "Confidence", 2, 17, "alice")
        with project.transaction():
            project.add_memo("coding", coding_id, "family first", "alice")
        history = History(project, "alice")
        assert history.recode(coding_id, resolve(project, "Confidence")).id == there
        assert [m.text for m in project.memos("coding", there)] == ["family first"]
        history.undo()
        assert len(project.codings()) == 2 and project.coding(there) is not None
        assert project.memos("coding", there) == []


def test_item13_a_row_taking_a_deleted_guid_forgets_the_deletion_by_trigger(tmp_path):
    with _project(tmp_path) as project:
        coding_id = code_named(project, "P01.txt", "Trust", 2, 17, "alice")
        guid = project.coding(coding_id).guid
        with project.transaction():
            project.conn.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        assert guid.lower() in project.deleted_guids()
        again = code_named(project, "P01.txt", "Trust", 2, 17, "alice")
        with project.transaction():  # another program (or a re-import) gives the row its old guid back
            project.conn.execute("UPDATE codings SET guid = ? WHERE id = ?", [guid, again])
        assert guid.lower() not in project.deleted_guids()


def test_item13_the_store_does_not_forget_deletions_by_hand():
    import inspect

    from workbench.store import document_admin

    assert "DELETE FROM deletions" not in inspect.getsource(document_admin)


def test_m011_comes_to_a_project_that_already_has_later_migrations(tmp_path):
    """Migration numbers are per helper: m011 lands after m015/m017 and must still be applied."""
    path = tmp_path / "p.qda"
    Project.create(path).close()
    import sqlite3

    connection = sqlite3.connect(path)
    table = next(name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                 if "migrations" in name)
    connection.execute(f"DELETE FROM {table} WHERE name LIKE 'm011%'")
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE name LIKE '%forget_deletion_on_guid'"
                                      ).fetchall():
        connection.execute(f"DROP TRIGGER {name}")
    connection.execute("PRAGMA user_version = 12")
    connection.commit()
    connection.close()
    with Project.open(path) as project:
        names = {name for (name,) in project.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "codings_forget_deletion_on_guid" in names
