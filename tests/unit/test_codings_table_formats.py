"""Codings tables as other tools and hands write them: Chinese headers, .tsv, .xlsm, a byte-order mark,
cells a formula fills, empty spreadsheet cells, one end offset with a quote, long quotes in messages."""

from __future__ import annotations

import csv
import zipfile

import pytest
from codings_table_project import ONE_LINE as TEXT
from codings_table_project import one_document_one_code

from workbench.codings_table import _field_of, _short, _unquoted, import_codings
from workbench.model import WorkbenchError
from workbench.store import Project


@pytest.fixture
def project(tmp_path):
    return one_document_one_code(tmp_path)


def _spans(path):
    with Project.open(path) as opened:
        return sorted((c.start, c.end, c.coder) for c in opened.codings())


@pytest.mark.parametrize("header", ["引文", "片段", "文本", "原文", "内容"])
def test_chinese_names_of_the_quote_column_are_the_quote(header, project, tmp_path):
    assert _field_of(header) == "quote"
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["文件", "编码", "编码员", header], ["P01.txt", "Trust", "李", "Work is hard."]])
    with Project.open(project) as opened:
        assert import_codings(opened, table, "lead").added == 1
    work = TEXT.index("Work")
    assert _spans(project) == [(work, work + 13, "李")]


def test_a_tab_separated_table_with_a_tsv_suffix(project, tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text("document\tcode\tcoder\tstart\tend\nP01.txt\tTrust\tana\t2\t7\n", encoding="utf-8")
    with Project.open(project) as opened:
        assert import_codings(opened, table, "lead").added == 1
    assert _spans(project) == [(2, 7, "ana")]


def test_a_csv_with_a_byte_order_mark_has_its_first_column(project, tmp_path):
    table = tmp_path / "t.csv"
    table.write_bytes("document,code,coder,start,end\r\nP01.txt,Trust,ana,2,7\r\n".encode("utf-8-sig"))
    with Project.open(project) as opened:
        assert import_codings(opened, table, "lead").added == 1
    assert _spans(project) == [(2, 7, "ana")]


def _book(rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    return book


def test_an_xlsm_workbook_is_read_like_an_xlsx(project, tmp_path):
    table = tmp_path / "t.xlsm"
    _book([["document", "code", "coder", "start", "end"], ["P01.txt", "Trust", "ana", 2, 7]]).save(table)
    with Project.open(project) as opened:
        assert import_codings(opened, table, "lead").added == 1
    assert _spans(project) == [(2, 7, "ana")]


def test_empty_spreadsheet_cells_are_empty_and_the_quote_places_the_row(project, tmp_path):
    table = tmp_path / "t.xlsx"
    _book([["document", "code", "coder", "start", "end", "quote"],
           ["P01.txt", "Trust", "ana", None, None, "my family"]]).save(table)
    with Project.open(project) as opened:
        assert import_codings(opened, table, "lead").added == 1
    at = TEXT.index("my family")
    assert _spans(project) == [(at, at + 9, "ana")]


def test_a_cell_a_formula_fills_is_read_as_its_value(project, tmp_path):
    """Offsets a spreadsheet computed (=B2+5) are the numbers it shows, not the formula."""
    table = tmp_path / "t.xlsx"
    _book([["document", "code", "coder", "start", "end"], ["P01.txt", "Trust", "ana", 2, 7]]).save(table)
    # openpyxl cannot write a formula with its computed value, as Excel saves it: put one in by hand.
    with zipfile.ZipFile(table) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert '<c r="E2" t="n"><v>7</v></c>' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace('<c r="E2" t="n"><v>7</v></c>',
                                                      '<c r="E2"><f>D2+5</f><v>7</v></c>').encode()
    with zipfile.ZipFile(table, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with Project.open(project) as opened:
        assert import_codings(opened, table, "lead").added == 1
    assert _spans(project) == [(2, 7, "ana")]


def test_an_end_offset_alone_picks_the_occurrence_of_the_quote_that_ends_there(project, tmp_path):
    last = TEXT.rindex("s") + 1  # "s" occurs several times: the end says which
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["document", "code", "coder", "start", "end", "quote"],
                                      ["P01.txt", "Trust", "ana", "", str(last), "s"]])
    with Project.open(project) as opened:
        result = import_codings(opened, table, "lead")
        assert (result.added, result.ambiguous) == (1, 1)
    assert _spans(project) == [(last - 1, last, "ana")]


def test_a_long_quote_not_found_is_shown_shortened_in_the_message(project, tmp_path):
    quote = "Nobody here ever said anything like this, not once in the interview."
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["document", "code", "coder", "quote"], ["P01.txt", "Trust", "ana", quote]])
    with Project.open(project) as opened, pytest.raises(WorkbenchError) as caught:
        import_codings(opened, table, "lead")
    assert f"row 2: quote {quote[:39] + '…'!r} not found in the document" in str(caught.value)
    assert _short("a  b\nc") == "a b c" and _short("x" * 40) == "x" * 40 and _short("x" * 41) == "x" * 39 + "…"


def test_only_a_quote_in_quotation_marks_has_an_inner_quote():
    assert _unquoted("“Work is hard.”") == "Work is hard." and _unquoted("'x'") == "x"
    assert _unquoted("Work") is None and _unquoted("“Work") is None


def test_a_quote_whose_marks_are_not_in_the_text_is_found_without_them(project, tmp_path):
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["document", "code", "coder", "quote"], ["P01.txt", "Trust", "ana", "「My boss lies.」"]])
    with Project.open(project) as opened:
        result = import_codings(opened, table, "lead")
        assert (result.added, result.normalised) == (1, 1)
    at = TEXT.index("My boss")
    assert _spans(project) == [(at, at + 13, "ana")]


def test_a_table_with_only_its_header_is_refused(project, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("document,code,coder,start,end\n", encoding="utf-8")
    with Project.open(project) as opened, pytest.raises(WorkbenchError, match=f"{table}: no codings in the table"):
        import_codings(opened, table, "lead")


def test_a_backslash_at_the_end_of_a_code_path_ends_the_step():
    from workbench.codings_table import split_code_path

    assert split_code_path("Trust\\") == [("Trust",)]
    assert split_code_path("Trust\\Family\\") == [("Trust", "Family")]
