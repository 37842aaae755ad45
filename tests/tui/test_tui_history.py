"""Undo and redo in the core: every change comes back exactly, with the same ids."""

from __future__ import annotations

import pytest

from workbench.codebook.ops import resolve
from workbench.history import History, in_vivo_name
from workbench.model import Code, WorkbenchError


def state(project):
    codings = sorted((c.id, c.document_id, c.code_id, c.start, c.end, c.coder) for c in project.codings())
    codes = sorted((r.id, r.parent_id, r.name) for r in project.code_rows())
    memos = sorted((m.target, m.target_id, m.coder, m.text) for m in project.memos())
    return codings, codes, memos


def test_apply_undo_redo_keeps_the_coding_id(project):
    history = History(project, "tester")
    before = state(project)
    coding = history.apply_code(2, resolve(project, "Trust"), 10, 20)
    assert project.coding(coding.id).coder == "tester"
    assert history.apply_code(2, resolve(project, "Trust"), 10, 20) is None  # kept once
    history.undo()
    assert state(project) == before
    history.redo()
    assert project.coding(coding.id).code_id == resolve(project, "Trust")
    assert history.undo() is not None and history.undo() is None


def test_remove_and_recode(project):
    history = History(project, "tester")
    first = project.codings()[0]
    before = state(project)
    history.remove_coding(first.id)
    assert project.coding(first.id) is None
    history.undo()
    assert state(project) == before
    hukou = resolve(project, "Hukou")
    new = history.recode(first.id, hukou)
    assert new.code_id == hukou and (new.start, new.end) == (first.start, first.end)
    assert project.coding(first.id) is None
    history.undo()
    assert state(project) == before
    history.redo()
    assert project.coding(new.id).code_id == hukou


def test_in_vivo_creates_a_code_and_undoes_as_one_step(project):
    history = History(project, "tester")
    text = project.document(2).text
    start = text.index("靠得住")
    before = state(project)
    code_id, coding = history.in_vivo(2, start, start + 3)
    assert project.coding(coding.id).code_id == code_id
    assert next(r for r in project.code_rows() if r.id == code_id).name == "靠得住"
    history.undo()
    assert state(project) == before
    history.redo()
    assert next(r for r in project.code_rows() if r.id == code_id).name == "靠得住"


def test_code_edits_undo(project):
    history = History(project, "tester")
    before = state(project)
    trust, hukou = resolve(project, "Trust"), resolve(project, "Hukou")
    new = history.add_code(Code(name="Rumours", name_zh="传言"), trust)
    history.update_code(new, name="Gossip", color="#123456")
    history.move_code(new, None)
    assert next(r for r in project.code_rows() if r.id == new).parent_id is None
    for _ in range(3):
        history.undo()
    assert state(project) == before
    history.redo()
    history.redo()
    assert next(r for r in project.code_rows() if r.id == new).name == "Gossip"
    history.undo(), history.undo()
    assert state(project) == before
    with pytest.raises(WorkbenchError):
        history.move_code(trust, resolve(project, "Distrust"))
    assert hukou


def test_merge_and_delete_undo(project):
    history = History(project, "tester")
    before = state(project)
    source, target = resolve(project, "Distrust"), resolve(project, "Interpersonal trust")
    history.merge_codes(source, target)
    assert source not in {r.id for r in project.code_rows()}
    history.undo()
    assert state(project) == before
    trust = resolve(project, "Trust")
    history.delete_code(trust, remove_codings=True)
    assert not project.codings(code_ids=[trust])
    history.undo()
    assert state(project) == before
    history.delete_code(resolve(project, "Hukou"), reassign_to=resolve(project, "Service access"))
    history.undo()
    assert state(project) == before


def test_memos(project):
    history = History(project, "tester")
    before = state(project)
    memo_id = history.set_memo("document", 2, "broker as guarantor")
    assert project.memos("document", 2)[-1].text == "broker as guarantor"
    history.set_memo("document", 2, "broker vouches for both sides")
    assert history.memo("document", 2).text == "broker vouches for both sides"
    history.set_memo("document", 2, "")
    assert history.memo("document", 2) is None
    history.undo()
    assert history.memo("document", 2).text == "broker vouches for both sides"
    history.undo(), history.undo()
    assert state(project) == before and memo_id


def test_in_vivo_name():
    assert in_vivo_name("  the group is\nfaster / than ") == "the group is faster than"
    assert len(in_vivo_name("x" * 200)) == 60
