"""The codings table at its edges: numbers from spreadsheets, short rows, one offset with a quote,
a span that ends where the text ends, and what a dry run counts (issue 20, mutation figures)."""

from __future__ import annotations

import csv

import pytest
from codings_table_project import ONE_LINE as TEXT
from codings_table_project import one_document_one_code

from workbench.codings_table import _cell, _offset, import_codings, read_table, split_code_path
from workbench.model import WorkbenchError
from workbench.store import Project


@pytest.fixture
def project(tmp_path):
    return one_document_one_code(tmp_path)


def _csv(path, rows, header=("document", "code", "coder", "start", "end", "quote")):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([list(header), *rows])
    return path


def test_spreadsheet_numbers_are_offsets_and_others_are_refused():
    assert _cell(120.0) == "120" and _cell(None) == "" and _cell(1.5) == "1.5" and _cell("x") == "x"
    assert _offset("t.csv", 2, "start", "120.0") == 120
    assert _offset("t.csv", 2, "start", "1,200") == 1200
    assert _offset("t.csv", 2, "start", "0") == 0
    assert _offset("t.csv", 2, "start", "") is None
    for bad, message in (("1.5", "is not a character offset"), ("-1", "is not a character offset"),
                         ("x", "is not a number")):
        with pytest.raises(WorkbenchError, match=f"t.csv: row 2: start {bad!r} {message}"):
            _offset("t.csv", 2, "start", bad)


def test_an_xlsx_with_float_offsets_codes_those_characters(project, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["document", "code", "coder", "start", "end"])
    sheet.append(["P01.txt", "Trust", "ana", 2.0, 7.0])
    book.save(tmp_path / "t.xlsx")
    with Project.open(project) as opened:
        result = import_codings(opened, tmp_path / "t.xlsx", "lead")
        assert (result.added, result.rows) == (1, 1)
        [coding] = opened.codings()
        assert (coding.start, coding.end, coding.coder) == (2, 7, "ana")


def test_a_short_row_is_named_and_nothing_is_stored(project, tmp_path):
    table = _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", "0", "1", "I"], ["P01.txt", "Trust"]])
    with Project.open(project) as opened:
        with pytest.raises(WorkbenchError, match=r"t.csv: row 3: no coder given \(nothing was imported\)"):
            import_codings(opened, table, "lead")
        assert opened.coding_count() == 0
    table = _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana"]])
    with Project.open(project) as opened, pytest.raises(WorkbenchError, match="row 2: neither offsets nor a quote"):
        import_codings(opened, table, "lead")


def test_one_offset_needs_a_quote_and_the_quote_must_start_or_end_there(project, tmp_path):
    work = TEXT.index("Work")
    with Project.open(project) as opened:
        for row, message in (
                (["P01.txt", "Trust", "ana", str(work), "", ""], "row 2: give both start and end, or a quote"),
                (["P01.txt", "Trust", "ana", "3", "", "Work is hard."], f"neither starts nor ends at 3 \\(it is at {work}–{work + 13}\\)")):
            with pytest.raises(WorkbenchError, match=message):
                import_codings(opened, _csv(tmp_path / "t.csv", [row]), "lead")
        result = import_codings(opened, _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", "", str(work + 13),
                                                                    "Work is hard."]]), "lead")
        assert result.added == 1 and result.ambiguous == 0
        assert [(c.start, c.end) for c in opened.codings()] == [(work, work + 13)]


def test_a_span_may_end_at_the_end_of_the_text_but_not_after_it(project, tmp_path):
    end = len(TEXT)
    with Project.open(project) as opened:
        with pytest.raises(WorkbenchError, match=f"span {end - 5}–{end + 1} is outside the document \\({end} characters"):
            import_codings(opened, _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", str(end - 5), str(end + 1), ""]]),
                           "lead")
        with pytest.raises(WorkbenchError, match="span 5–5 is outside"):
            import_codings(opened, _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", "5", "5", ""]]), "lead")
        import_codings(opened, _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", str(end - 5), str(end), ""],
                                                         ["P01.txt", "Trust", "bo", "0", "1", "I"]]), "lead")
        assert sorted((c.start, c.end) for c in opened.codings()) == [(0, 1), (end - 5, end)]


def test_a_dry_run_counts_what_it_would_do_and_stores_nothing(project, tmp_path):
    rows = [["P01.txt", "Trust", "ana", "0", "6", ""], ["P01.txt", "Trust", "ana", "0", "6", ""],
            ["P01.txt", "Work/Hard", "bo", "", "", "Work is hard."]]
    table = _csv(tmp_path / "t.csv", rows)
    with Project.open(project) as opened:
        dry = import_codings(opened, table, "lead", dry_run=True)
        assert (dry.rows, dry.added, dry.already, dry.repeated) == (3, 2, 0, 1)
        assert dry.codes_created == ("Work", "Work/Hard") and dry.coders_created == ("ana", "bo")
        assert (opened.coding_count(), opened.code_count(), opened.coders()) == (0, 1, [])
        real = import_codings(opened, table, "lead")
        assert (real.added, real.already, real.repeated, real.documents) == (2, 0, 1, 1)
        again = import_codings(opened, table, "lead", dry_run=True)
        assert (again.added, again.already, again.codes_created, again.coders_created) == (0, 2, (), ())
        assert real.summary() == (f"{table}: 2 codings added from 3 rows; 1 rows repeat an earlier row; "
                                  "2 new codes; new coders ana, bo")
        assert real.as_json()["codes_created"] == ["Work", "Work/Hard"]


def test_header_below_a_title_and_synonyms(tmp_path):
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Codings of study X"], [], ["File", "Node", "Coded by", "Text"],
                                      ["P01.txt", "Trust", "ana", "I trust"]])
    header, rows = read_table(path)
    assert header == ["File", "Node", "Coded by", "Text"] and rows == [(4, ["P01.txt", "Trust", "ana", "I trust"])]
    assert split_code_path(" ; ") == [] and split_code_path("a\\\\") == [("a\\",)]


def test_header_names_other_tools_write():
    from workbench.codings_table import _field_of

    for name, field_name in (("Selection", "quote"), ("Content", "quote"), ("Coded text", "quote"),
                             ("Excerpt", "quote"), ("Segment", "quote"), ("原文", "quote"), ("Node", "code"),
                             ("Coded by", "coder"), ("Start (char)", "start"), ("End position", "end"),
                             ("File name", "document"), ("Passage", "quote"), ("Quotation", None)):
        assert _field_of(name) == field_name, name


def test_every_kind_of_quotation_mark_is_evened_out():
    from workbench.codings_table import _unquoted, even_out

    assert even_out("“a” „b‟ ″c″ 「d」 『e』 «f» ＂g＂")[0] == '"a""b""c""d""e""f""g"'
    assert even_out("‘a’ ‚b‛ ′c′ ＇d＇")[0] == "'a''b''c''d'"
    assert even_out("a\u200bb\u00adc – d — e")[0] == "abc-d-e"
    assert _unquoted("“x”") == "x" and _unquoted('""') == "" and _unquoted("x") is None and _unquoted("“x") is None


def test_a_row_that_stops_before_its_quote_cell_uses_its_offsets(project, tmp_path):
    table = _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", "0", "1"]])
    with Project.open(project) as opened:
        result = import_codings(opened, table, "lead")
        assert result.added == 1 and [(c.start, c.end) for c in opened.codings()] == [(0, 1)]


def test_the_report_and_the_audit_trail_say_what_was_done(project, tmp_path):
    import json

    table = _csv(tmp_path / "t.csv", [["P01.txt", "Work/Hard", "ana", "", "", "Work  is hard."]])
    with Project.open(project) as opened:
        result = import_codings(opened, table, "lead")
        assert result.as_json() == {
            "table": str(table), "rows": 1, "added": 1, "already": 0, "repeated": 0, "documents": 1,
            "codes_created": ["Work", "Work/Hard"], "coders_created": ["ana"], "ambiguous": 0, "normalised": 1}
        assert "1 quotes matched after evening out" in result.summary()
        [event] = opened.events(1, action="import codings")
        detail = json.loads(event.detail)
        assert {k: detail[k] for k in ("table", "rows", "added", "already", "codes_created", "coders_created")} == {
            "table": str(table), "rows": 1, "added": 1, "already": 0, "codes_created": ["Work", "Work/Hard"],
            "coders_created": ["ana"]}


def test_a_table_without_offsets_or_quotes_and_one_too_long_are_refused(project, tmp_path, monkeypatch):
    import workbench.codings_table as codings_table

    table = _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", "0"]], header=("document", "code", "coder", "start"))
    with Project.open(project) as opened:
        with pytest.raises(WorkbenchError, match="the table needs start and end columns, or a quote column"):
            import_codings(opened, table, "lead")
        monkeypatch.setattr(codings_table, "MAX_ROWS", 1)
        table = _csv(tmp_path / "t.csv", [["P01.txt", "Trust", "ana", "0", "1", ""]] * 2)
        with pytest.raises(WorkbenchError, match="2 rows is over the limit of 1"):
            import_codings(opened, table, "lead")
        assert opened.coding_count() == 0


def test_new_codes_shared_by_several_rows_are_made_once(project, tmp_path):
    rows = [["P01.txt", "Work/Hard", "ana", "0", "1", ""], ["P01.txt", "Work/Hard", "bo", "0", "1", ""],
            ["P01.txt", "Work/Pay", "ana", "2", "7", ""]]
    with Project.open(project) as opened:
        result = import_codings(opened, _csv(tmp_path / "t.csv", rows), "lead")
        assert result.codes_created == ("Work", "Work/Hard", "Work/Pay")
        assert opened.code_count() == 4 and result.added == 3
        names = sorted(row.name for row in opened.code_rows())
        assert names == ["Hard", "Pay", "Trust", "Work"]
