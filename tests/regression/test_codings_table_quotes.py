"""Issue 20, item 11: quotes match whatever their width, quotation marks, dashes, spaces and line
breaks; positions are the original text's; an ambiguous quote names its occurrences."""

from __future__ import annotations

import csv

import pytest

from workbench.codings_table import import_codings
from workbench.model import WorkbenchError
from workbench.store import Project

TEXT = ("服务生笑脸相迎，房间也很干净，就是电视太小。价格ＯＫ——性价比高。\n"
        "Staff were kind — really kind.\n环境好。环境好。")


def _table(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["document", "code", "coder", "start", "end", "quote"], *rows])
    return path


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.qda"
    with Project.create(path) as created:
        created.add_document(name="R1.txt", text=TEXT, sha256="x", lang="zh", encoding="utf-8", format="txt",
                             source_path="R1.txt", turns=[], index_bodies=[])
    return path


@pytest.mark.parametrize("quote, expected", [
    ("“服务生笑脸相迎”", "服务生笑脸相迎"),  # curly marks around it
    ('房间也很干净， 就是电视太小', "房间也很干净，就是电视太小"),  # a space after the comma
    ("房间也很干净，\n就是电视太小", "房间也很干净，就是电视太小"),  # a line break
    ("房间也很干净,就是电视太小", "房间也很干净，就是电视太小"),  # half-width comma
    ("价格OK--性价比高", "价格ＯＫ——性价比高"),  # full-width letters, other dashes
    ("Staff were kind - really kind.", "Staff were kind — really kind."),
])
def test_a_quote_that_differs_in_width_marks_dashes_or_spacing_is_found(project, tmp_path, quote, expected):
    table = _table(tmp_path / "t.csv", [["R1.txt", "Service", "ana", "", "", quote]])
    with Project.open(project) as opened:
        import_codings(opened, table, "lead")
        [coding] = opened.codings()
        assert TEXT[coding.start:coding.end] == expected


def test_an_ambiguous_quote_names_its_occurrences_and_stores_nothing(project, tmp_path):
    table = _table(tmp_path / "t.csv", [["R1.txt", "Place", "ana", "", "", "环境好"]])
    first, second = TEXT.index("环境好"), TEXT.rindex("环境好")
    with Project.open(project) as opened:
        with pytest.raises(WorkbenchError, match=f"occurs 2 times \\(at {first}–{first + 3}, {second}–{second + 3}\\)"):
            import_codings(opened, table, "lead")
        assert opened.coding_count() == 0 and opened.code_count() == 0
        # one offset with the quote says which occurrence
        table = _table(tmp_path / "t.csv", [["R1.txt", "Place", "ana", str(second), "", "环境好"]])
        result = import_codings(opened, table, "lead")
        assert [(c.start, c.end) for c in opened.codings()] == [(second, second + 3)]
        assert result.ambiguous == 1
