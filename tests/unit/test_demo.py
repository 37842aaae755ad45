"""The demo project: built from the bundled corpus and codebook, and kept as the user leaves it."""

from __future__ import annotations

import csv

import pytest
from named import code_named
from reliability_worker import copy_project

from workbench.demo import DEMO_CORPUS, build_demo
from workbench.model import WorkbenchError
from workbench.store import Project


@pytest.fixture(scope="module")
def demo(demo_file):
    with Project.open(demo_file) as opened:
        yield opened


def test_the_demo_holds_the_whole_corpus(demo):
    rows = demo.documents()
    assert len(rows) == 9
    assert demo.code_count() == 34
    assert demo.coding_count() == 125
    assert demo.coders() == ["lin", "sara"]
    assert {c.coder for c in demo.codings()} == {"lin", "sara"}
    assert len(demo.memos()) == 18
    assert all(row.case and row.turns > 1 for row in rows)
    assert {row.lang for row in rows} == {"en", "zh", "mixed"}
    formats = {row.name: (row.format, row.encoding) for row in rows}
    assert formats["P02-yiwu-broker.txt"] == ("txt", "gb18030")
    assert formats["P03-chengdu-rc-staff.docx"] == ("docx", "docx")
    assert formats["P04-guangdong-official.txt"] == ("txt", "utf-8 (BOM)")
    assert formats["P05-dongguan-worker.vtt"][0] == "vtt"
    assert demo.integrity_ok()


def test_every_demo_coding_is_its_quote(demo):
    with (DEMO_CORPUS / "codings.csv").open(encoding="utf-8") as handle:
        expected = sorted((row["document"], row["coder"], row["quote"]) for row in csv.DictReader(handle))
    names = {row.id: row.name for row in demo.documents()}
    found = sorted((names[c.document_id], c.coder, demo.slice(c.document_id, c.start, c.end)) for c in demo.codings())
    assert found == expected


def test_demo_cases_carry_participant_attributes(demo):
    cases = {case.name: case.attributes for case in demo.cases()}
    assert cases["P01"]["city"] == "Yiwu"
    group = cases["P09-yiwu-focus-group"]
    assert group["city"] == "Yiwu" and len(group["members"].split(", ")) == 3


def test_building_again_keeps_the_users_changes(demo_file, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    copy_project(demo_file, folder / "demo.qda")
    with Project.open(folder / "demo.qda") as project:
        code_named(project, "P01-yiwu-trader.txt", "Trust", 0, 11, "me")
    messages = []
    assert build_demo(folder, say=messages.append) == folder / "demo.qda"
    assert "already built" in messages[0]
    with Project.open(folder / "demo.qda") as project:
        assert project.coding_count() == 126 and "me" in project.coders()


def test_a_broken_demo_file_is_reported_not_replaced(tmp_path):
    (tmp_path / "demo.qda").write_text("not a project", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="demo.qda: not a workbench project"):
        build_demo(tmp_path)
    assert (tmp_path / "demo.qda").read_text(encoding="utf-8") == "not a project"
