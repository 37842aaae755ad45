"""Issue 20: a code deleted in FROM stays in INTO after a merge, although "what either side deleted
stays deleted". A code goes as a document does: with what they knew of; work under it here that
they never saw keeps it (reported); codings they moved when deleting it follow here."""

from __future__ import annotations

from named import code_named
from team_copies import copies

from workbench.codebook.ops import add_code, delete_code, paths_by_id, resolve
from workbench.merge import merge_projects
from workbench.model import Code
from workbench.store import Project

P01 = "I trust my family. Work is hard. My boss lies.\n"


def _pair(tmp_path):
    """a and b, copies of one project: Trust, Trust/Family and Work, with a coding by alice on Family."""
    from workbench.imports import import_files

    base = tmp_path / "base.qda"
    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    with Project.create(base) as project:
        list(import_files(project, [tmp_path / "P01.txt"], "lead"))
        trust = add_code(project, Code("Trust"))
        add_code(project, Code("Family"), trust)
        add_code(project, Code("Work"))
        code_named(project, "P01.txt", "Trust/Family", 2, 17, "alice")
    a, b = copies(tmp_path, base, "a.qda", "b.qda")
    return a, b


def _state(path):
    with Project.open(path) as project:
        paths = paths_by_id(project)
        return sorted(paths.values()), sorted((paths[c.code_id], c.coder, c.start, c.end) for c in project.codings())


def test_a_code_deleted_there_with_nothing_new_here_is_deleted_here(tmp_path):
    a, b = _pair(tmp_path)
    with Project.open(b) as project:
        delete_code(project, resolve(project, "Trust"), remove_codings=True, coder="bob")
    dry = merge_projects(a, b, "alice", dry_run=True)
    assert dry.counts["removed codes"] == 2 and dry.counts["removed codings"] == 1
    assert "would remove (deleted there): 2 codes, 1 codings" in dry.lines()
    summary = merge_projects(a, b, "alice")
    assert _state(a) == _state(b) == (["Work"], [])
    with Project.open(a) as project:  # remembered as deleted here too, for later merges
        assert {row["kind"] for row in project.deletions()} >= {"code", "coding"}
    assert summary.changed and not merge_projects(a, b, "alice").changed
    assert not merge_projects(b, a, "bob").changed  # nor does it come back the other way


def test_a_code_deleted_there_keeps_work_here_they_never_saw(tmp_path):
    a, b = _pair(tmp_path)
    with Project.open(b) as project:
        delete_code(project, resolve(project, "Trust"), remove_codings=True, coder="bob")
    with Project.open(a) as project:
        code_named(project, "P01.txt", "Trust/Family", 19, 31, "alice")  # new here: b never saw it
    summary = merge_projects(a, b, "alice")
    assert summary.counts["removed codes"] == 0 and summary.counts["removed codings"] == 1
    assert any("code 'Trust': deleted there, kept here: it holds 1 codings" in note for note in summary.notes)
    assert _state(a) == (["Trust", "Trust/Family", "Work"], [("Trust/Family", "alice", 19, 31)])


def test_a_sub_code_or_memo_new_here_keeps_a_code_deleted_there(tmp_path):
    a, b = _pair(tmp_path)
    with Project.open(b) as project:
        delete_code(project, resolve(project, "Trust"), remove_codings=True, coder="bob")
    with Project.open(a) as project:
        add_code(project, Code("Kin"), resolve(project, "Trust/Family"))
        with project.transaction():
            project.add_memo("code", resolve(project, "Trust"), "why trust?", "alice")
    summary = merge_projects(a, b, "alice")
    assert summary.counts["removed codes"] == 0
    assert any("code 'Trust': deleted there, kept here: it holds 2 codings, memos or sub-codes" in note
               for note in summary.notes)
    assert _state(a)[0] == ["Trust", "Trust/Family", "Trust/Family/Kin", "Work"]


def test_codings_they_moved_when_deleting_a_code_follow_here(tmp_path):
    a, b = _pair(tmp_path)
    with Project.open(b) as project:
        delete_code(project, resolve(project, "Trust/Family"), reassign_to=resolve(project, "Work"), coder="bob")
    summary = merge_projects(a, b, "alice")
    assert summary.counts["removed codes"] == 1 and summary.counts["codings moved"] == 1
    assert _state(a) == _state(b) == (["Trust", "Work"], [("Work", "alice", 2, 17)])
    assert not merge_projects(a, b, "alice").changed


def test_a_code_folded_there_is_folded_here_and_work_new_here_follows_the_fold(tmp_path):
    from workbench.codebook.ops import merge_codes

    a, b = _pair(tmp_path)
    with Project.open(b) as project:
        merge_codes(project, resolve(project, "Trust"), resolve(project, "Work"), "bob")
    with Project.open(a) as project:
        code_named(project, "P01.txt", "Trust", 19, 31, "alice")  # new here, on the code folded there
        with project.transaction():
            project.add_memo("code", resolve(project, "Trust"), "why trust?", "alice")
    summary = merge_projects(a, b, "alice")
    assert summary.counts["removed codes"] == 1 and summary.counts["codings moved"] == 1
    assert any("code 'Trust': folded there into 'Work'; here too" in note for note in summary.notes)
    assert _state(a) == (["Work", "Work/Family"], [("Work", "alice", 19, 31), ("Work/Family", "alice", 2, 17)])
    with Project.open(a) as project:
        assert [m.text for m in project.memos("code", resolve(project, "Work"))] == ["why trust?"]
    assert not merge_projects(a, b, "alice").changed
    merge_projects(b, a, "bob")
    assert _state(b) == _state(a)


def test_a_fold_there_that_cannot_be_made_here_keeps_the_code_and_says_why(tmp_path):
    from workbench.codebook.ops import merge_codes, move_code

    a, b = _pair(tmp_path)
    with Project.open(a) as project:  # here Work went under Trust: folding Trust into Work would loop
        move_code(project, resolve(project, "Work"), resolve(project, "Trust"), "alice")
    with Project.open(b) as project:
        merge_codes(project, resolve(project, "Trust"), resolve(project, "Work"), "bob")
    before = _state(a)
    summary = merge_projects(a, b, "alice")
    assert any("code 'Trust': folded there into 'Trust/Work', kept here: that code is under it here" in note
               for note in summary.notes)
    assert _state(a) == before and summary.counts["removed codes"] == 0


def test_a_fold_there_onto_a_code_with_a_same_named_sub_code_here_keeps_the_code(tmp_path):
    from workbench.codebook.ops import merge_codes

    a, b = _pair(tmp_path)
    with Project.open(a) as project:  # here Work got a Family of its own; Trust/Family would clash under it
        add_code(project, Code("family"), resolve(project, "Work"))
    with Project.open(b) as project:
        merge_codes(project, resolve(project, "Trust"), resolve(project, "Work"), "bob")
    before = _state(a)
    summary = merge_projects(a, b, "alice")
    assert any("code 'Trust': folded there into 'Work', kept here: both have a sub-code 'Family'; fold them here"
               in note for note in summary.notes)
    assert _state(a) == before
