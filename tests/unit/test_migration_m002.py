"""Opening a project made before identity (schema m001) upgrades it: a backup first, then
guids for every object, ids never reused, deletions remembered, memos tied by foreign keys."""

from __future__ import annotations

import re
import sqlite3

import pytest
import sqlite_utils
from named import code_named

from workbench.backup import list_backups
from workbench.coding import remove_coding
from workbench.model import Code
from workbench.store import APPLICATION_ID, SCHEMA_VERSION, Project, m001_initial

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TEXT = "Interviewer: when did you come?\n\nRespondent: in 2009, with my cousin, to Yiwu. 我们刚来的时候谁也不认识。"


def build_m001(path) -> None:
    """A project as workbench wrote it with only m001, including what m001 let go wrong."""
    connection = sqlite3.connect(str(path))
    connection.execute("PRAGMA journal_mode = WAL")
    db = sqlite_utils.Database(connection)
    only_m001 = sqlite_utils.Migrations("workbench")
    only_m001(name="m001_initial")(m001_initial)
    only_m001.apply(db)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute("PRAGMA user_version = 1")
    with connection:
        connection.executescript(f"""
        INSERT INTO coders (id, name, created_at) VALUES (1, 'lin', '2025-01-01T00:00:00+00:00'),
            (2, 'sara', '2025-01-02T00:00:00+00:00'), (3, 'idle', '2025-01-03T00:00:00+00:00');
        INSERT INTO cases (id, name) VALUES (1, 'P01');
        INSERT INTO attributes (case_id, name, value) VALUES (1, 'city', 'Yiwu');
        INSERT INTO documents (id, name, sha256, lang, encoding, format, source_path, text, chars,
            imported_at, case_id) VALUES (1, 'P01.txt', 'abc', 'en', 'utf-8', 'txt', 'P01.txt',
            '{TEXT}', {len(TEXT)}, '2025-01-01T00:00:00+00:00', 1);
        INSERT INTO turns (document_id, idx, speaker, start, "end") VALUES (1, 0, 'Interviewer', 0, 31);
        INSERT INTO codes (id, parent_id, name, position) VALUES (1, NULL, 'Trust', 0), (2, 1, 'Distrust', 0),
            (3, NULL, 'Housing', 1);
        INSERT INTO codings (id, document_id, code_id, start, "end", coder_id, origin, created_at) VALUES
            (1, 1, 1, 0, 11, 1, 'manual', '2025-01-01T00:00:01+00:00'),
            (2, 1, 2, 13, 20, 2, 'manual', '2025-01-01T00:00:02+00:00'),
            (3, 1, 3, 45, 60, 2, 'manual', '2025-01-01T00:00:03+00:00');
        INSERT INTO memos (id, target, target_id, coder_id, text, created_at) VALUES
            (1, 'project', NULL, 1, 'the whole study', '2025-01-01T00:00:00+00:00'),
            (2, 'document', 1, 1, 'a long interview', '2025-01-01T00:00:00+00:00'),
            (3, 'code', 1, 2, 'trust in people', '2025-01-01T00:00:00+00:00'),
            (4, 'coding', 3, 2, 'on the housing coding', '2025-01-01T00:00:00+00:00'),
            (5, 'case', 1, 1, 'met twice', '2025-01-01T00:00:00+00:00'),
            (6, 'coding', 99, 1, 'its coding was removed', '2025-01-01T00:00:00+00:00');
        """)
    connection.close()


@pytest.fixture
def old_project(tmp_path):
    path = tmp_path / "old.qda"
    build_m001(path)
    return path


def _rows(path, sql):
    connection = sqlite3.connect(str(path))
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_opening_an_m001_project_backs_it_up_and_keeps_everything(old_project):
    before = {table: _rows(old_project, f"SELECT count(*) FROM {table}")[0][0]
              for table in ("coders", "codes", "codings", "memos", "documents", "cases", "turns", "attributes")}
    with Project.open(old_project) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert project.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert project.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert project.integrity_ok()
        after = {table: project.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in before}
        assert after == before
        assert project.coders() == ["lin", "sara"]  # "idle" keeps its row but did no work
        assert [name for _, name in project.refi_coders().values()] == ["lin", "sara", "idle"]
        assert [(c.id, c.code_id, c.start, c.end, c.coder) for c in project.codings()] == [
            (1, 1, 0, 11, "lin"), (2, 2, 13, 20, "sara"), (3, 3, 45, 60, "sara")]
        memos = {m.id: m for m in project.memos()}
        assert {i: (m.target, m.target_id, m.coder) for i, m in memos.items()} == {
            1: ("project", None, "lin"), 2: ("document", 1, "lin"), 3: ("code", 1, "sara"),
            4: ("coding", 3, "sara"), 5: ("case", 1, "lin"), 6: ("project", None, "lin")}
        assert memos[6].text == "(on coding 99, which no longer exists) its coding was removed"
        assert project.segment_rows([3])[0].text == TEXT[45:60]
    backup, = list_backups(old_project)
    assert backup.action == "migrate"
    assert _rows(backup.path, "PRAGMA user_version") == [(1,)]
    assert _rows(backup.path, "SELECT count(*) FROM codings") == [(3,)]


def test_every_object_has_its_own_guid(old_project):
    with Project.open(old_project) as project:
        seen = []
        for table in ("documents", "codes", "codings", "coders", "cases", "memos"):
            guids = [row[0] for row in project.conn.execute(f"SELECT guid FROM {table}")]
            assert guids and all(GUID.match(g) for g in guids), table
            seen += guids
        assert len(seen) == len(set(seen))
        new = code_named(project, 1, "Housing", 0, 5, "newcomer")
        assert GUID.match(project.coding(new).guid) and project.coding(new).guid not in seen
        with pytest.raises(sqlite3.IntegrityError):
            project.conn.execute("UPDATE codes SET guid = (SELECT guid FROM codes WHERE id = 1) WHERE id = 2")


def test_ids_are_never_reused_after_the_upgrade(old_project):
    with Project.open(old_project) as project:
        remove_coding(project, 3, "sara")  # the highest id
        again = code_named(project, 1, "Trust", 45, 60, "lin")
        assert again == 4
        assert project.memos("coding", again) == []  # sara's memo on coding 3 went with it
        with project.transaction():
            project.delete_code_row(3)
        with project.transaction():
            assert project.add_code(Code(name="Work"), None) == 4


def test_memos_follow_what_they_annotate(old_project):
    with Project.open(old_project) as project:
        remove_coding(project, 3, "sara")
        assert 4 not in {m.id for m in project.memos()}
        deleted = {d["kind"]: d for d in project.deletions()}
        assert deleted["coding"]["deleted_by"] == "sara" and deleted["memo"]["deleted_by"] == "sara"
        with project.transaction():
            project.conn.execute("DELETE FROM documents WHERE id = 1")  # as any SQLite tool might
        assert {m.target for m in project.memos()} == {"project", "code", "case"}
        assert {d["kind"] for d in project.deletions()} == {"coding", "memo", "document"}
        assert project.is_deleted(project.deletions("document")[0]["guid"])
        with pytest.raises(sqlite3.IntegrityError):
            project.conn.execute("INSERT INTO memos (guid, target, text, created_at) VALUES ('x', 'code', 't', 'now')")
        with pytest.raises(sqlite3.IntegrityError):
            project.conn.execute("INSERT INTO memos (guid, target, code_id, text, created_at) "
                                 "VALUES ('y', 'code', 999, 't', 'now')")


def test_a_second_open_does_not_migrate_or_back_up_again(old_project):
    Project.open(old_project).close()
    Project.open(old_project).close()
    assert len(list_backups(old_project)) == 1
