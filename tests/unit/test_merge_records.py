"""What a project merge records and tells apart: the backup it makes, the name it records for the other
project, memos of one text on different things, and a coder said to be one of ours."""

from __future__ import annotations

from pathlib import Path

from named import code_named
from team_copies import copies

from workbench.codebook.ops import add_code
from workbench.merge import merge_projects
from workbench.model import Code
from workbench.store import Project

P01 = "I trust my family. Work is hard.\n"
P02 = "The second interview. Nobody helps.\n"


def _pair(tmp_path):
    from workbench.imports import import_files

    base = tmp_path / "base.qda"
    with Project.create(base) as project:
        for name, text in (("P01.txt", P01), ("P02.txt", P02)):
            (tmp_path / name).write_text(text, encoding="utf-8")
            list(import_files(project, [tmp_path / name], "lead"))
        add_code(project, Code("Trust"))
        add_code(project, Code("Work"))
        with project.transaction():
            project.upsert_case("Ana", {})
            project.upsert_case("Ben", {})
    a, b = copies(tmp_path, base, "a.qda", "b.qda")
    return a, b


def _memos(path):
    with Project.open(path) as project:
        return sorted((m.target, m.target_id, m.text) for m in project.memos())


def test_the_backup_is_named_for_the_merge_and_the_record_names_their_project(tmp_path):
    a, b = _pair(tmp_path)
    with Project.open(b) as project:
        code_named(project, "P01.txt", "Trust", 2, 7, "bob")
    summary = merge_projects(a, b, "alice")
    assert Path(summary.backup).name.endswith("-merge.qda") and Path(summary.backup).is_file()
    with Project.open(a) as project:
        (record,) = project.merges()
        assert record["source_name"] == "base"  # the project's own name (b.qda is a copy of base.qda)


def test_memos_of_one_text_on_different_cases_documents_or_codes_are_all_brought(tmp_path):
    a, b = _pair(tmp_path)
    with Project.open(a) as project, project.transaction():
        cases = {c.name: c.id for c in project.cases()}
        project.add_memo("case", cases["Ana"], "same words", "alice")
        project.add_memo("document", project.document_id("P01.txt"), "same words", "alice")
        project.add_memo("code", next(r.id for r in project.code_rows() if r.name == "Trust"), "same words", "alice")
    with Project.open(b) as project, project.transaction():
        cases = {c.name: c.id for c in project.cases()}
        project.add_memo("case", cases["Ben"], "same words", "bob")
        project.add_memo("document", project.document_id("P02.txt"), "same words", "bob")
        project.add_memo("code", next(r.id for r in project.code_rows() if r.name == "Work"), "same words", "bob")
        project.add_memo("case", cases["Ana"], "same words", "bob")  # this one is already in a (made apart)
    summary = merge_projects(a, b, "alice")
    assert summary.counts["memos added"] == 3
    assert len(_memos(a)) == 6
    assert not merge_projects(a, b, "alice").changed


def test_a_code_of_theirs_with_a_similar_name_is_added_apart_and_noted(tmp_path):
    a, b = _pair(tmp_path)
    with Project.open(a) as project:
        add_code(project, Code("Family support"))
    with Project.open(b) as project:
        add_code(project, Code("Family suport"))
    summary = merge_projects(a, b, "alice")
    assert summary.counts["codes added"] == 1
    assert "code 'Family suport' looks like 'Family support' here (96%); added as a code of its own" in summary.notes
