"""Issue 20, items 1-4, 8 and 9: project merges that dropped, resurrected or misattributed work."""

from __future__ import annotations

import pytest
from named import code_named
from reimported_pair import reimported_pair
from team_copies import copies

from workbench.codebook.ops import add_code, merge_codes, paths_by_id, resolve
from workbench.merge import merge_projects
from workbench.model import Code, WorkbenchError
from workbench.store import Project

P01 = "I trust my family. Work is hard. My boss lies.\n"
P02 = "The second interview. Nobody helps.\n"


def _base(tmp_path, *texts, coders=("alice", "bob")):
    from workbench.imports import import_files

    base = tmp_path / "base.qda"
    with Project.create(base) as project:
        for name, text in texts:
            (tmp_path / name).write_text(text, encoding="utf-8")
            list(import_files(project, [tmp_path / name], "lead"))
        with project.transaction():
            for coder in coders:  # the team's coders, known to every copy
                project.coder_id(coder)
    return base


def _codings(path):
    with Project.open(path) as project:
        paths = paths_by_id(project)
        docs = {row.id: row.name for row in project.documents()}
        return sorted((docs[c.document_id], paths[c.code_id], c.coder, c.start, c.end) for c in project.codings())


def test_item1_a_same_named_code_elsewhere_in_the_tree_is_a_conflict_not_a_match(tmp_path):
    a, b = copies(tmp_path, _base(tmp_path, ("P01.txt", P01)), "a.qda", "b.qda")
    with Project.open(a) as project:
        add_code(project, Code("Trust"), add_code(project, Code("Work")))
    with Project.open(b) as project:
        add_code(project, Code("Trust"), add_code(project, Code("Family")))
        code_named(project, "P01.txt", "Family/Trust", 0, 18, "bob")
    summary = merge_projects(a, b, "alice")
    assert _codings(a) == [("P01.txt", "Family/Trust", "bob", 0, 18)]
    assert any("Family/Trust" in note and "Work/Trust" in note for note in summary.notes)


def test_item2_a_memo_on_a_coding_matched_by_content_comes_along(tmp_path):
    a, b = copies(tmp_path, _base(tmp_path, ("P01.txt", P01)), "a.qda", "b.qda")
    for path in (a, b):  # both import the same coding (own guids, as a codings table gives)
        with Project.open(path) as project:
            if resolve_or_none(project, "Trust") is None:
                add_code(project, Code("Trust"))
            code_named(project, "P01.txt", "Trust", 2, 17, "bob")
    with Project.open(b) as project:
        with project.transaction():
            project.add_memo("coding", project.codings()[0].id, "family first", "bob")
    summary = merge_projects(a, b, "alice")
    assert summary.counts["kept deleted memos"] == 0
    with Project.open(a) as project:
        (coding,) = project.codings()
        assert [m.text for m in project.memos("coding", coding.id)] == ["family first"]


def resolve_or_none(project, name):
    try:
        return resolve(project, name)
    except WorkbenchError:
        return None


def test_item3_a_document_deleted_there_goes_with_what_they_knew_and_nothing_else(tmp_path):
    base = _base(tmp_path, ("P01.txt", P01), ("P02.txt", P02))
    with Project.open(base) as project:
        add_code(project, Code("Help"))
    a, b = copies(tmp_path, base, "a.qda", "b.qda")
    with Project.open(a) as project:
        code_named(project, "P02.txt", "Help", 0, 21, "alice")
    merge_projects(b, a, "bob")  # b knows alice's first coding
    with Project.open(a) as project:
        code_named(project, "P02.txt", "Help", 22, 36, "alice")  # made after: b never saw it
    from workbench.documents import delete

    with Project.open(b) as project:
        delete(project, project.document_id("P02.txt"), "bob")
    summary = merge_projects(a, b, "alice")
    assert _codings(a) == [("P02.txt", "Help", "alice", 22, 36)]  # only what b knew of went
    assert summary.counts["removed codings"] == 1
    assert any("P02.txt" in note and "never saw" in note for note in summary.notes)


def test_item3_a_document_deleted_there_with_nothing_new_here_is_deleted_here(tmp_path):
    base = _base(tmp_path, ("P01.txt", P01), ("P02.txt", P02))
    with Project.open(base) as project:
        add_code(project, Code("Help"))
    a, b = copies(tmp_path, base, "a.qda", "b.qda")
    with Project.open(a) as project:
        code_named(project, "P02.txt", "Help", 0, 21, "alice")
    merge_projects(b, a, "bob")
    from workbench.documents import delete

    with Project.open(b) as project:
        delete(project, project.document_id("P02.txt"), "bob")
    summary = merge_projects(a, b, "alice")
    with Project.open(a) as project:
        assert [row.name for row in project.documents()] == ["P01.txt"]
        assert project.codings() == []
    assert summary.counts["removed documents"] == 1 and summary.counts["removed codings"] == 1
    assert not merge_projects(a, b, "alice").changed


def test_item4_a_reimported_text_comes_over_and_codings_land_on_the_corrected_words(tmp_path):
    bob, alice = reimported_pair(tmp_path, alice_codes=True, bob_codes=False)
    merge_projects(bob, alice, "bob")
    with Project.open(bob) as project:
        (coding,) = project.codings()
        assert project.slice(coding.document_id, coding.start, coding.end) == "我信任我的家人"
        assert [row.name for row in project.documents()] == ["P01.txt"]


def test_item4_codings_here_on_the_old_text_refuse_the_merge_saying_why(tmp_path):
    bob, alice = reimported_pair(tmp_path, alice_codes=False, bob_codes=True)
    before = _codings(bob)
    with pytest.raises(WorkbenchError, match="P01.txt.*re-imported"):
        merge_projects(bob, alice, "bob")
    assert _codings(bob) == before


def test_item8_two_people_of_one_name_stay_two_coders(tmp_path):
    a, b = copies(tmp_path, _base(tmp_path, ("P01.txt", P01), coders=()), "a.qda", "b.qda")
    for path in (a, b):  # each copy meets its own "student": two people, two guids
        with Project.open(path) as project:
            add_code(project, Code("Trust")) if resolve_or_none(project, "Trust") is None else None
            code_named(project, "P01.txt", "Trust", 2, 17, "student")
    summary = merge_projects(a, b, "lead")
    assert _codings(a) == [("P01.txt", "Trust", "student", 2, 17), ("P01.txt", "Trust", "student (2)", 2, 17)]
    assert any("student (2)" in note for note in summary.notes)
    assert not merge_projects(a, b, "lead").changed


def test_item8_same_coder_says_two_names_are_one_person(tmp_path):
    a, b = copies(tmp_path, _base(tmp_path, ("P01.txt", P01), coders=()), "a.qda", "b.qda")
    for path in (a, b):
        with Project.open(path) as project:
            add_code(project, Code("Trust")) if resolve_or_none(project, "Trust") is None else None
            code_named(project, "P01.txt", "Trust", 2, 17, "student")
    merge_projects(a, b, "lead", same_coders={"student": "student"})
    assert _codings(a) == [("P01.txt", "Trust", "student", 2, 17)]
    assert not merge_projects(a, b, "lead").changed  # remembered: no "student (2)" the next time


def test_item9_their_later_work_on_a_code_folded_here_follows_the_fold(tmp_path):
    base = _base(tmp_path, ("P01.txt", P01))
    with Project.open(base) as project:
        add_code(project, Code("Trust"))
        add_code(project, Code("Confidence"))
    a, b = copies(tmp_path, base, "a.qda", "b.qda")
    with Project.open(a) as project:
        merge_codes(project, resolve(project, "Trust"), resolve(project, "Confidence"), "alice")
    with Project.open(b) as project:
        code_named(project, "P01.txt", "Trust", 2, 17, "bob")
    summary = merge_projects(a, b, "alice")
    assert _codings(a) == [("P01.txt", "Confidence", "bob", 2, 17)]
    assert summary.counts["kept deleted codings"] == 0
    assert not merge_projects(a, b, "alice").changed


def test_item8_cli_same_coder_option(tmp_path):
    from click.testing import CliRunner

    from workbench.cli import cli as main

    a, b = copies(tmp_path, _base(tmp_path, ("P01.txt", P01), coders=()), "a.qda", "b.qda")
    for path in (a, b):
        with Project.open(path) as project:
            add_code(project, Code("Trust")) if resolve_or_none(project, "Trust") is None else None
            code_named(project, "P01.txt", "Trust", 2, 17, "student")
    result = CliRunner().invoke(main, ["merge", str(a), str(b), "--same-coder", "student=student", "--coder", "lead"])
    assert result.exit_code == 0, result.output
    assert _codings(a) == [("P01.txt", "Trust", "student", 2, 17)]
    result = CliRunner().invoke(main, ["merge", str(a), str(b), "--same-coder", "nobody=student"])
    assert result.exit_code != 0 and "has no coder 'nobody'" in result.output
