"""Project merge: two coders' copies of one project come together, idempotently, deletions kept."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from workbench.codebook.ops import add_code
from workbench.coding import apply_code, remove_coding
from workbench.merge import merge_projects
from workbench.model import Code
from workbench.store import Project

P01 = "访谈者：你信任居委会吗？\n受访者：我很信任居委会。We trust them a lot.\n"
P02 = "Interviewer: Who helps you find work?\nRespondent: 老乡帮忙。Fellow villagers always help.\n"


def snapshot(path):
    """What a user sees of a project: documents, codes, codings with coders, memos, cases."""
    from workbench.codebook.ops import paths_by_id

    with Project.open(path) as project:
        paths = paths_by_id(project)
        names = {row["id"]: row["name"] for row in project.documents()}
        return {
            "documents": sorted(names.values()),
            "codes": sorted(paths.values()),
            "codings": sorted((names[c.document_id], paths[c.code_id], c.coder, c.start, c.end)
                              for c in project.codings()),
            "memos": sorted((m.target, m.text, m.coder) for m in project.memos()),
            "cases": sorted((c.name, tuple(sorted(c.attributes.items()))) for c in project.cases()),
        }


@pytest.fixture
def team(tmp_path):
    """A lead's project copied to two coders, each of whom then works alone."""
    from workbench.imports import import_files

    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(P02, encoding="utf-8")
    base = tmp_path / "base.qda"
    with Project.create(base) as project:
        list(import_files(project, [tmp_path / "P01.txt"], "lead"))
        trust = add_code(project, Code("Trust", "信任"))
        add_code(project, Code("Distrust", "不信任"), trust)
    ana, ben = tmp_path / "ana.qda", tmp_path / "ben.qda"
    shutil.copyfile(base, ana)
    shutil.copyfile(base, ben)
    at = P01.index("我很信任")
    with Project.open(ana) as project:
        apply_code(project, "P01.txt", "Trust", at, at + 8, "ana")
        project_memo(project, "ana", "P01 trusts the committee")
    with Project.open(ben) as project:
        apply_code(project, "P01.txt", "Trust", at + 2, at + 8, "ben")  # the same passage, ben's span
        list(import_files(project, [tmp_path / "P02.txt"], "ben"))
        networks = add_code(project, Code("Networks", "老乡网络", definition="Help from fellow villagers."))
        start = P02.index("老乡帮忙")
        apply_code(project, "P02.txt", networks, start, start + 4, "ben")
        with project.transaction():
            case = project.upsert_case("P02", {"city": "Yiwu", "gender": "f"})
            project.set_document_case(project.document_id("P02.txt"), case)
    return ana, ben


def project_memo(project, coder, text):
    with project.transaction():
        project.add_memo("project", None, text, coder)


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


def test_cli_merge(team):
    from workbench.cli import cli

    ana, ben = team
    runner = CliRunner()
    dry = runner.invoke(cli, ["merge", str(ana), str(ben), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.output)
    assert data["dry_run"] and data["counts"]["codings added"] == 2
    done = runner.invoke(cli, ["merge", str(ana), str(ben)])
    assert done.exit_code == 0 and "brought 1 documents" in done.output
    same = runner.invoke(cli, ["merge", str(ana), str(ana)])
    assert same.exit_code != 0 and "is the project being merged into" in same.output
    missing = runner.invoke(cli, ["merge", str(ana), str(ana.parent / "nobody.qda")])
    assert missing.exit_code != 0 and "nobody.qda: no such project file" in missing.output
