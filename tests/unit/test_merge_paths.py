"""Project merge between two projects that are NOT copies of one file: documents match by their
text, codes by path, every field and attribute rule and every deleted/kept-deleted path, with the
counts and notes the summary reports."""

from __future__ import annotations

import json
import uuid

import pytest
from named import code_named

from workbench.codebook.ops import add_code, delete_code, paths_by_id, resolve
from workbench.coding import remove_coding
from workbench.merge import MergeSummary, merge_projects, project_guid
from workbench.model import Code
from workbench.store import Project

P01 = "I trust my family. Work is hard. My boss lies.\n"
P02 = "The second interview. Nobody helps.\n"
OTHER = "Another person, another text, the same file name.\n"


def _project(tmp_path, name, files, coder):
    """A project made on its own (its own guids for everything): the files are written and imported."""
    from workbench.imports import import_files

    folder = tmp_path / name
    folder.mkdir()
    path = tmp_path / f"{name}.qda"
    project = Project.create(path)
    for file_name, text in files:
        (folder / file_name).write_text(text, encoding="utf-8")
        list(import_files(project, [folder / file_name], coder))
    return project


def _state(path):
    with Project.open(path) as project:
        paths = paths_by_id(project)
        docs = {row.id: row.name for row in project.documents()}
        return {
            "documents": sorted(docs.values()),
            "codings": sorted((docs[c.document_id], paths[c.code_id], c.coder, c.start, c.end)
                              for c in project.codings()),
            "memos": sorted((m.target, m.text, m.coder) for m in project.memos()),
        }


@pytest.fixture
def pair(tmp_path):
    """ana's and ben's projects, made apart: P01 in both (matched by its text), P02 only in ben's."""
    with _project(tmp_path, "ana", [("P01.txt", P01)], "ana") as ana:
        add_code(ana, Code("Trust", "信任", color="#ff0000"))
        code_named(ana, "P01.txt", "Trust", 2, 17, "ana")
    with _project(tmp_path, "ben", [("P01.txt", P01), ("P02.txt", P02)], "ben") as ben:
        trust = add_code(ben, Code("Trust", "", definition="Relying on someone.", color="#00ff00"))
        add_code(ben, Code("Family"), trust)
        code_named(ben, "P01.txt", "Trust/Family", 2, 17, "ben")
        coding = code_named(ben, "P02.txt", "Trust", 4, 20, "ben")
        with ben.transaction():
            ben.add_memo("coding", coding, "who helps?", "ben")
            ben.add_memo("document", ben.document_id("P02.txt"), "a short one", "ben")
            ben.add_memo("code", trust, "trust is relational", "ben")
            ben.add_memo("project", None, "ben's diary", "ben")
    return tmp_path / "ana.qda", tmp_path / "ben.qda"


def test_a_document_of_the_same_text_matches_by_content_and_their_codings_land_on_it(pair):
    ana, ben = pair
    summary = merge_projects(ana, ben, "ana")
    c = summary.counts
    assert (c["documents matched"], c["documents added"]) == (1, 1)
    assert (c["codes matched"], c["codes added"]) == (1, 1)
    assert (c["codings added"], c["codings matched"]) == (2, 0)
    assert c["memos added"] == 4 and c["coders added"] == 1
    state = _state(ana)
    assert state["documents"] == ["P01.txt", "P02.txt"]
    assert state["codings"] == [("P01.txt", "Trust", "ana", 2, 17), ("P01.txt", "Trust/Family", "ben", 2, 17),
                                ("P02.txt", "Trust", "ben", 4, 20)]
    assert state["memos"] == [("code", "trust is relational", "ben"), ("coding", "who helps?", "ben"),
                              ("document", "a short one", "ben"), ("project", "ben's diary", "ben")]
    with Project.open(ana) as project:
        (memo,) = project.memos("coding")
        coding = project.coding(memo.target_id)
        assert (coding.coder, coding.start) == ("ben", 4)
        (memo,) = project.memos("document")
        assert memo.target_id == project.document_id("P02.txt")
        (memo,) = project.memos("code")
        assert memo.target_id == resolve(project, "Trust")
        assert [t.start for t in project.turns(project.document_id("P02.txt"))] == [0]
    again = merge_projects(ana, ben, "ana")
    assert not again.changed
    assert again.counts["documents matched"] == 2 and again.counts["codings matched"] == 2
    assert again.counts["codes matched"] == 2


def test_a_field_only_they_filled_is_taken_and_one_both_filled_differently_is_noted(pair):
    ana, ben = pair
    summary = merge_projects(ana, ben, "ana")
    with Project.open(ana) as project:
        row = next(r for r in project.rows_of("codes") if r["name"] == "Trust")
        assert row["definition"] == "Relying on someone."  # only ben had one
        assert row["name_zh"] == "信任"  # only ana had one: kept
        assert row["color"] == "#ff0000"  # both had one: ana's stays
    assert summary.counts["codes filled in"] == 1
    assert "code 'Trust': kept this project's color; theirs differs" in summary.notes
    assert not any("name_zh" in note or "definition" in note for note in summary.notes)


def test_a_same_named_document_with_another_text_is_kept_under_a_told_apart_name(tmp_path):
    with _project(tmp_path, "ana", [("P01.txt", P01)], "ana"):
        pass
    with _project(tmp_path, "ben", [("P01.txt", OTHER)], "ben") as ben:
        ben.set_meta("name", "bens")
    summary = merge_projects(tmp_path / "ana.qda", tmp_path / "ben.qda", "ana")
    assert _state(tmp_path / "ana.qda")["documents"] == ["P01 (bens).txt", "P01.txt"]
    assert summary.notes == ["document 'P01.txt': another text has that name here; added as 'P01 (bens).txt'"]
    assert summary.counts["documents added"] == 1 and summary.counts["documents matched"] == 0
    with _project(tmp_path, "cat", [("P01.txt", P02)], "cat") as cat:
        cat.set_meta("name", "bens")  # the told-apart name is taken too: a hash of the text tells them apart
    summary = merge_projects(tmp_path / "ana.qda", tmp_path / "cat.qda", "ana")
    (added,) = set(_state(tmp_path / "ana.qda")["documents"]) - {"P01 (bens).txt", "P01.txt"}
    assert added.startswith("P01 (") and added.endswith(").txt") and "bens" not in added
    assert summary.notes == [f"document 'P01.txt': another text has that name here; added as {added!r}"]


def test_a_case_attribute_only_they_have_is_added_and_a_differing_one_is_noted(pair):
    ana, ben = pair
    with Project.open(ana) as project, project.transaction():
        project.upsert_case("P01", {"gender": "f"})
    with Project.open(ben) as project, project.transaction():
        project.upsert_case("P01", {"gender": "m", "city": "Yiwu"})
        project.upsert_case("P02", {"city": "Jinhua"})
    summary = merge_projects(ana, ben, "ana")
    with Project.open(ana) as project:
        cases = {c.name: c.attributes for c in project.cases()}
    assert cases == {"P01": {"gender": "f", "city": "Yiwu"}, "P02": {"city": "Jinhua"}}
    assert summary.counts["attributes added"] == 2 and summary.counts["cases added"] == 1
    assert "attribute gender of a case: kept 'f' here, theirs is 'm'" in summary.notes
    assert "2 attributes" in summary.lines()[0] and "1 cases" in summary.lines()[0]


def test_what_was_deleted_here_stays_deleted_and_is_counted(pair):
    ana, ben = pair
    merge_projects(ana, ben, "ana")
    with Project.open(ben) as project:  # ben works on after the merge: all of it on things ana deletes
        code_named(project, "P02.txt", "Trust/Family", 21, 35, "ben")
        code_named(project, "P01.txt", "Trust", 19, 31, "ben")
        with project.transaction():
            project.add_memo("code", resolve(project, "Trust/Family"), "about family", "ben")
            project.upsert_case("P02", {"city": "Yiwu"})
    with Project.open(ana) as project:
        from workbench.documents import delete

        delete(project, project.document_id("P02.txt"), "ana")
        delete_code(project, resolve(project, "Trust/Family"), remove_codings=True, coder="ana")
        with project.transaction():
            project.conn.execute("DELETE FROM memos WHERE target = 'project'")
    summary = merge_projects(ana, ben, "ana")
    c = summary.counts
    assert c["kept deleted documents"] == 1
    assert c["kept deleted codes"] == 1
    assert c["kept deleted codings"] == 3  # on P02 (two) and the one of Trust/Family on P01
    assert c["kept deleted memos"] == 4  # the project memo, the P02 document and coding memos, the code memo
    assert (c["codings added"], c["memos added"]) == (1, 0)
    lines = summary.lines()
    assert any(line.startswith("kept deleted (deleted here before): ") and "1 codes" in line
               and "3 codings" in line and "1 documents" in line and "4 memos" in line for line in lines)
    state = _state(ana)
    assert state["documents"] == ["P01.txt"]
    assert ("P01.txt", "Trust", "ben", 19, 31) in state["codings"]
    assert not any("Family" in coding[1] for coding in state["codings"])
    assert not merge_projects(ana, ben, "ana").changed


def test_a_case_deleted_here_stays_deleted(pair):
    ana, ben = pair
    with Project.open(ben) as project, project.transaction():
        project.upsert_case("P09", {"city": "Yiwu"})
    merge_projects(ana, ben, "ana")
    with Project.open(ana) as project, project.transaction():
        project.conn.execute("DELETE FROM cases WHERE name = 'P09'")
    summary = merge_projects(ana, ben, "ana")
    assert summary.counts["kept deleted cases"] == 1 and not summary.changed
    with Project.open(ana) as project:
        assert [c.name for c in project.cases()] == []


def test_a_coding_and_memo_deleted_there_are_removed_here_and_reported(pair):
    ana, ben = pair
    merge_projects(ben, ana, "ben")  # ben gets ana's coding and, below, ana's memo on it
    with Project.open(ana) as project, project.transaction():
        project.add_memo("project", None, "ana's diary", "ana")
    merge_projects(ben, ana, "ben")
    with Project.open(ben) as project:
        coding = next(c for c in project.codings() if c.coder == "ana")
        remove_coding(project, coding.id, "ben")
        memo = next(m for m in project.memos() if m.text == "ana's diary")
        with project.transaction():
            project.delete_memo(memo.id, "ben")
    dry = merge_projects(ana, ben, "ana", dry_run=True)
    assert dry.counts["removed codings"] == 1 and dry.counts["removed memos"] == 1
    assert "would remove (deleted there): 1 codings, 1 memos" in dry.lines()
    assert _state(ana)["codings"] == [("P01.txt", "Trust", "ana", 2, 17)]
    summary = merge_projects(ana, ben, "ana")
    assert "removed (deleted there): 1 codings, 1 memos" in summary.lines()
    state = _state(ana)
    assert ("P01.txt", "Trust", "ana", 2, 17) not in state["codings"]
    assert ("project", "ana's diary", "ana") not in state["memos"]
    assert summary.backup and any(summary.backup in line for line in summary.lines())
    again = merge_projects(ana, ben, "ana")
    assert not again.changed and again.counts["removed codings"] == 0


def test_a_code_under_a_parent_deleted_here_stays_out(pair):
    ana, ben = pair
    merge_projects(ana, ben, "ana")
    with Project.open(ben) as project:
        add_code(project, Code("Kin"), resolve(project, "Trust/Family"))
    with Project.open(ana) as project:
        delete_code(project, resolve(project, "Trust/Family"), remove_codings=True, coder="ana")
    summary = merge_projects(ana, ben, "ana")
    assert summary.counts["kept deleted codes"] == 2 and summary.counts["codes added"] == 0
    with Project.open(ana) as project:
        assert sorted(paths_by_id(project).values()) == ["Trust"]


def test_the_summary_as_json_and_the_merge_record(pair):
    ana, ben = pair
    summary = merge_projects(ana, ben, "ana")
    data = summary.as_json()
    assert data["into"] == str(ana) and data["from"] == str(ben) and data["changed"] is True
    assert data["dry_run"] is False and data["backup"] == summary.backup
    assert data["counts"]["codings added"] == 2 and list(data["counts"]) == sorted(data["counts"])
    with Project.open(ben) as source:
        assert data["source_guid"] == project_guid(source)
    with Project.open(ana) as project:
        (record,) = project.merges()
        assert record["source_guid"] == data["source_guid"] and record["by"] == "ana"
        assert record["summary"]["counts"]["codings added"] == 2
        uuid.UUID(project.meta("project_guid"))  # INTO got an identity of its own
        logged = json.loads(project.conn.execute("SELECT detail FROM events WHERE action = 'merge'").fetchone()[0])
        assert logged["counts"]["codings added"] == 2 and logged["source_guid"] == data["source_guid"]
        assert logged["from"] == str(ben)
    assert summary.lines()[0] == (f"{ben} -> {ana}: brought 1 documents (1 already here), 1 codes (1 matched), "
                                  "2 codings (0 already here), 4 memos, 0 cases, 0 attributes, 1 coders")


def test_a_project_guid_is_derived_until_one_is_made_and_then_kept(tmp_path):
    with _project(tmp_path, "solo", [], "solo") as project:
        derived = project_guid(project)
        assert derived == project_guid(project) and project.meta("project_guid") is None
        made = project_guid(project, create=True)
        assert made != derived and project.meta("project_guid") == made
        assert project_guid(project) == made == project_guid(project, create=True)


def test_changed_ignores_matches_and_kept_deletions():
    summary = MergeSummary("a", "b", "g")
    summary.counts.update({"codings matched": 3, "kept deleted codings": 2})
    assert not summary.changed
    summary.counts["memos added"] += 1
    assert summary.changed
    summary = MergeSummary("a", "b", "g", dry_run=True)
    summary.counts["codings added"] = 1
    assert summary.lines()[0].startswith("b -> a: would bring 0 documents")


def test_a_coding_whose_code_was_deleted_here_with_its_codings_reassigned_is_matched_not_kept_deleted(pair):
    ana, ben = pair
    merge_projects(ana, ben, "ana")
    with Project.open(ana) as project:
        delete_code(project, resolve(project, "Trust/Family"), reassign_to=resolve(project, "Trust"), coder="ana")
    summary = merge_projects(ana, ben, "ana")
    assert summary.counts["kept deleted codings"] == 0 and summary.counts["codings matched"] == 2
    assert summary.counts["kept deleted codes"] == 1 and not summary.changed


def test_merged_rows_name_their_coders_by_this_projects_ids(pair):
    ana, ben = pair
    merge_projects(ana, ben, "ana")
    with Project.open(ana) as project:
        coders = {row["id"]: row["name"] for row in project.rows_of("coders")}
        bens = [row for row in project.rows_of("codings") if coders[row["coder_id"]] == "ben"]
        assert bens and all(coders.get(row["updated_by"]) == "ben" for row in bens)


def test_the_same_memo_made_apart_on_one_document_is_not_doubled(pair):
    ana, ben = pair
    for path in (ana, ben):
        with Project.open(path) as project, project.transaction():
            project.add_memo("document", project.document_id("P01.txt"), "long interview", "lead")
    summary = merge_projects(ana, ben, "ana")
    assert summary.counts["memos added"] == 4  # ben's four, not the one both wrote
    with Project.open(ana) as project:
        assert [m.text for m in project.memos("document")].count("long interview") == 1


def test_merging_again_with_the_same_coder_said_again_changes_nothing(tmp_path):
    with _project(tmp_path, "ana", [("P01.txt", P01)], "student") as ana:
        add_code(ana, Code("Trust"))
        code_named(ana, "P01.txt", "Trust", 2, 17, "student")
    with _project(tmp_path, "ben", [("P01.txt", P01)], "student") as ben:
        add_code(ben, Code("Trust"))
        code_named(ben, "P01.txt", "Trust", 2, 17, "student")
    a, b = tmp_path / "ana.qda", tmp_path / "ben.qda"
    first = merge_projects(a, b, "student", same_coders={"student": "student"})
    assert first.changed and first.counts["coders joined"] == 1 and first.counts["codings matched"] == 1
    again = merge_projects(a, b, "student", same_coders={"student": "student"})
    assert not again.changed and again.counts["coders joined"] == 0
    with Project.open(a) as project:
        assert project.coders() == ["student"]
