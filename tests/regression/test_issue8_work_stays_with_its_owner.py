"""Issue 8's defects, each reproduced as it was found: work attached to the wrong thing or the
wrong person, or lost. Each test failed on the code before the fix."""

from __future__ import annotations

import sqlite3

import pytest
from named import code_named
from reliability_worker import project_digest

from workbench.codebook import ops
from workbench.codebook.ops import add_code, install, move_code, resolve
from workbench.codebook.yaml_io import parse_codebook
from workbench.coding import remove_coding
from workbench.history import History
from workbench.model import Code, WorkbenchError
from workbench.store import Project

DOCUMENT = "P01-yiwu-trader.txt"


@pytest.fixture
def project(demo_copy):
    # Backups are tested elsewhere.
    with Project.open(demo_copy, before_destructive=lambda project, action: None) as opened:
        yield opened


def _names(project: Project) -> set[str]:
    return {row.name for row in project.code_rows()}


# 1 ---------------------------------------------------------------------------------------
def test_a_memo_never_moves_to_someone_elses_coding(project):
    """lin memos her coding and removes it; sara's next coding must not show lin's memo."""
    document = project.document_id(DOCUMENT)
    lin, sara = History(project, "lin"), History(project, "sara")
    mine = lin.apply_code(document, resolve(project, "Trust"), 3000, 3010)
    lin.set_memo("coding", mine.id, "lin's note")
    lin.remove_coding(mine.id)
    assert project.memos("coding", mine.id) == []  # the memo went with its coding
    hers = sara.apply_code(document, resolve(project, "Housing"), 100, 120)
    assert hers.id != mine.id
    assert project.memos("coding", hers.id) == []
    lin.undo()  # the removal: the coding comes back, and its memo with it
    back, = project.memos("coding", mine.id)
    assert back.text == "lin's note" and back.coder == "lin"
    assert project.coding(mine.id).guid == mine.guid


# 2 ---------------------------------------------------------------------------------------
def test_redo_after_a_merge_merges_the_same_code(project, demo_copy):
    """Merge Src into Housing; another process adds a code; undo, redo: Src is merged again."""
    source = add_code(project, Code(name="Src"), coder="lin")  # the newest code: the highest id
    code_named(project, DOCUMENT, source, 10, 20, "lin")
    history = History(project, "lin")
    history.merge_codes(source, resolve(project, "Housing"))
    with Project.open(demo_copy) as other:
        add_code(other, Code(name="Newcomer"), coder="sara")  # once, it took Src's old id
    history.undo()
    assert {"Src", "Newcomer"} <= _names(project)
    history.redo()
    assert "Newcomer" in _names(project) and "Src" not in _names(project)


# 4 ---------------------------------------------------------------------------------------
def test_two_interleaved_moves_cannot_make_a_cycle(project, demo_copy, monkeypatch):
    """X under Y here while another process puts Y under X: one of them must lose."""
    x = add_code(project, Code(name="X"))
    y = add_code(project, Code(name="Y"))
    other = sqlite3.connect(str(demo_copy), timeout=0.2, isolation_level=None)
    check = ops._check_sibling_name

    def meanwhile(*args, **kwargs):  # between this move's checks and its write
        try:
            other.execute("UPDATE codes SET parent_id = ? WHERE id = ?", [x, y])
        except sqlite3.DatabaseError:
            pass  # this move holds the write lock, or the schema refuses the cycle
        return check(*args, **kwargs)

    monkeypatch.setattr(ops, "_check_sibling_name", meanwhile)
    try:
        move_code(project, x, y)
    except WorkbenchError:
        pass
    monkeypatch.undo()
    other.close()
    parents = {row.id: row.parent_id for row in project.code_rows()}
    assert not (parents[x] == y and parents[y] == x)
    shown = {code.id for root in project.code_tree() for _, code in root.walk()}
    assert shown == set(parents)  # no code (nor its codings) drops out of view


def test_the_schema_refuses_a_cycle_whoever_writes_it(project):
    trust, distrust = resolve(project, "Trust"), resolve(project, "Trust/Distrust")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be moved under itself or its sub-codes"):
        project.conn.execute("UPDATE codes SET parent_id = ? WHERE id = ?", [distrust, trust])
    with pytest.raises(sqlite3.IntegrityError, match="cannot be moved under itself"):
        project.conn.execute("UPDATE codes SET parent_id = id WHERE id = ?", [trust])


# 5 ---------------------------------------------------------------------------------------
def test_a_failed_undo_changes_nothing_and_keeps_both_stacks(project, demo_copy):
    history = History(project, "lin")
    coding = history.apply_code(project.document_id(DOCUMENT), resolve(project, "Trust"), 3100, 3110)
    with Project.open(demo_copy) as other:
        remove_coding(other, coding.id, "sara")
    before = project_digest(project.conn)
    with pytest.raises(WorkbenchError) as refused:
        history.undo()
    assert project_digest(project.conn) == before
    assert history.can_undo and not history.can_redo
    assert "cannot undo code 'Trust'" in str(refused.value) and "nothing was changed" in str(refused.value)


def test_a_compound_step_is_undone_whole_or_not_at_all(project, demo_copy):
    """In-vivo = add a code + code the span; if the code cannot go, the coding stays too."""
    history = History(project, "lin")
    document = project.document_id(DOCUMENT)
    code_id, coding = history.in_vivo(document, 100, 110)
    with Project.open(demo_copy) as other:
        code_named(other, document, code_id, 200, 210, "sara")
    before = project_digest(project.conn)
    with pytest.raises(WorkbenchError, match="cannot undo"):
        history.undo()
    assert project_digest(project.conn) == before
    assert project.coding(coding.id) is not None
    assert history.can_undo and not history.can_redo


# 6 ---------------------------------------------------------------------------------------
def test_undoing_add_code_never_deletes_other_coders_codings(project, demo_copy):
    history = History(project, "lin")
    fresh = history.add_code(Code(name="Fresh"))
    with Project.open(demo_copy) as other:
        theirs = code_named(other, DOCUMENT, fresh, 300, 320, "sara")
    with pytest.raises(WorkbenchError, match="1 coding use code 'Fresh' now"):
        history.undo()
    assert project.coding(theirs) is not None and "Fresh" in _names(project)
    remove_coding(project, theirs, "sara")
    history.undo()  # unused again: the creation can be taken back
    assert "Fresh" not in _names(project)


# 10 --------------------------------------------------------------------------------------
def test_a_codebook_import_updates_only_the_fields_the_file_gives(project):
    before = {code.name: code for root in project.code_tree() for _, code in root.walk()}
    trust = before["Trust"]
    assert trust.include and trust.color != "#888888" and before["Distrust"].definition
    text = """name: partial
codes:
  - name: Trust
    name_zh: 信赖
    definition: Expecting good faith.
    children:
      - name: Distrust
      - name: Brand new
"""
    added, updated = install(project, parse_codebook(text, "partial.yaml"), coder="lin")
    assert (added, updated) == (1, 2)
    after = {code.name: code for root in project.code_tree() for _, code in root.walk()}
    assert after["Trust"].name_zh == "信赖" and after["Trust"].definition == "Expecting good faith."
    for field in ("color", "include", "exclude", "examples", "keywords_en", "keywords_zh"):
        assert getattr(after["Trust"], field) == getattr(trust, field), field
    assert after["Distrust"] == before["Distrust"]  # listed only to hold a child: untouched
    assert after["Brand new"].color == "#888888"


# speed -----------------------------------------------------------------------------------
def test_codings_get_their_text_without_slicing_the_document_in_sqlite(project):
    """A document's text is the last column (reading columns after it walked the whole text),
    and a coding's text comes from the store; rows written by other tools still get theirs."""
    columns = [row[1] for row in project.conn.execute("PRAGMA table_info(documents)")]
    assert columns[-1] == "text"
    document = project.document_id(DOCUMENT)
    text = project.document(document).text
    coding_id = code_named(project, document, "Trust", 40, 52, "lin")
    assert project.conn.execute("SELECT text FROM codings WHERE id = ?", [coding_id]).fetchone()[0] == text[40:52]
    with project.transaction():
        project.conn.execute(
            "INSERT INTO codings (guid, document_id, code_id, start, \"end\", created_at) "
            "VALUES ('by-another-tool', ?, ?, 60, 70, 'now')", [document, resolve(project, "Trust")])
    assert project.conn.execute(
        "SELECT text FROM codings WHERE guid = 'by-another-tool'").fetchone()[0] == text[60:70]
