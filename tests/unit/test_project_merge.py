"""Project merge: two coders' copies of one project come together, idempotently, deletions kept."""

from __future__ import annotations

import pytest
from team_copies import P01, P02, snapshot

from workbench.coding import remove_coding
from workbench.merge import merge_projects
from workbench.store import Project


def test_merge_brings_the_other_coders_work_and_keeps_both_codings_of_one_passage(team):
    ana, ben = team
    before = snapshot(ana)
    summary = merge_projects(ana, ben, "ana")
    assert summary.changed and summary.backup
    after = snapshot(ana)
    at = P01.index("我很信任")
    assert ("P01.txt", "Trust", "ana", at, at + 8) in after["codings"]
    assert ("P01.txt", "Trust", "ben", at + 2, at + 8) in after["codings"]
    assert after["documents"] == ["P01.txt", "P02.txt"]  # P01 matched by content, not doubled
    assert after["codes"] == ["Networks", "Trust", "Trust/Distrust"]
    assert ("P02", (("city", "Yiwu"), ("gender", "f"))) in after["cases"]
    assert after["memos"] == before["memos"]
    with Project.open(ana) as project:
        assert project.merges()[0]["source_path"].endswith("ben.qda")
        assert project.merges()[0]["by"] == "ana"
        row = next(r for r in project.rows_of("codes") if r["name"] == "Networks")
        assert row["definition"] == "Help from fellow villagers." and row["name_zh"] == "老乡网络"
        doc = project.document_id("P02.txt")
        assert project.document(doc).text == P02 and project.turns(doc)
        from workbench.search import search

        assert any(hit.document == "P02.txt" for hit in search(project, "老乡"))
    # The other way round: ben gets ana's coding and memo.
    merge_projects(ben, ana, "ben")
    assert snapshot(ben)["codings"] == after["codings"]
    assert snapshot(ben)["memos"] == [("project", "P01 trusts the committee", "ana")]


def test_merging_again_changes_nothing(team):
    ana, ben = team
    merge_projects(ana, ben, "ana")
    first = snapshot(ana)
    with Project.open(ana) as project:
        events, merges = project.last_event_id(), len(project.merges())
    again = merge_projects(ana, ben, "ana")
    assert not again.changed and again.backup is None
    assert "nothing to merge" in "\n".join(again.lines())
    assert snapshot(ana) == first
    with Project.open(ana) as project:
        assert project.last_event_id() == events and len(project.merges()) == merges


def test_dry_run_changes_nothing(team):
    ana, ben = team
    before = snapshot(ana)
    summary = merge_projects(ana, ben, "ana", dry_run=True)
    assert summary.counts["codings added"] == 2 and summary.counts["documents added"] == 1
    assert snapshot(ana) == before
    assert not (ana.parent / "ana.qda.backups").exists()


def test_a_deletion_on_one_side_stays_deleted(team):
    ana, ben = team
    merge_projects(ana, ben, "ana")
    with Project.open(ana) as project:
        if not project.has_table("deletions"):
            pytest.skip("needs the identity schema (m002: guids and the deletions table)")
        ben_coding = next(c for c in project.codings() if c.coder == "ben" and c.document_id == project.document_id("P01.txt"))
        remove_coding(project, ben_coding.id, "ana")  # ana removes ben's coding after the first merge
    merge_projects(ana, ben, "ana")
    assert not any(c[2] == "ben" and c[0] == "P01.txt" for c in snapshot(ana)["codings"])
    # And the other way: ben merges ana's project and loses the coding ana deleted.
    merge_projects(ben, ana, "ben")
    assert not any(c[2] == "ben" and c[0] == "P01.txt" for c in snapshot(ben)["codings"])
