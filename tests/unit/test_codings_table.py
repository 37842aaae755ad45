"""Codings from a table: liberal columns and quotes, all-or-nothing, idempotent, csv and xlsx."""

from __future__ import annotations

import pytest
from codings_table_project import P01, P02, two_interviews, write_csv

from workbench.codings_table import even_out, import_codings, split_code_path
from workbench.model import WorkbenchError


@pytest.fixture
def project_path(tmp_path):
    return two_interviews(tmp_path)


def codings(project):
    from workbench.codebook.ops import paths_by_id

    paths = paths_by_id(project)
    names = {row.id: row.name for row in project.documents()}
    return sorted((names[c.document_id], paths[c.code_id], c.coder, c.start, c.end) for c in project.codings())


def test_a_table_with_synonyms_paths_offsets_and_quotes(project_path, tmp_path):
    from workbench.store import Project

    start = P01.index("我很信任")
    table = write_csv(tmp_path / "codings.csv", [
        ["File", "Code Path", "User", "From", "To", "Excerpt"],
        ["P01-yiwu.txt", "Trust > Institutional", "ana", start, start + 4, "我很信任"],
        ["P01-yiwu", "信任::警察", "ben", "", "", "我们不信任警察。"],  # name without suffix, Chinese path
        # Spaces and quotation marks differ from the transcript: found after evening them out.
        ["p01-YIWU.txt", "Trust/Distrust", "ana", "", "", "We don't trust the police, they never come."],
        ["P02-trader.txt", "Networks", "ben", P02.index("老乡"), "", "老乡"],  # occurs twice: the start says which
        ["P02-trader.txt", "Networks", "ana", "", "", "My cousin said “come to Yiwu”."],
    ], bom=True)
    with Project.open(project_path) as project:
        result = import_codings(project, table, "lead")
        assert (result.rows, result.added, result.already) == (5, 5, 0)
        assert result.ambiguous == 1 and result.normalised == 2
        assert set(result.codes_created) == {"Trust", "Trust/Institutional", "信任", "信任/警察", "Trust/Distrust",
                                             "Networks"}
        assert result.coders_created == ("ana", "ben")
        stored = codings(project)
        police = P01.index("We don't")
        assert ("P01-yiwu.txt", "Trust/Distrust", "ana", police, P01.index("come.") + 5) in stored
        assert ("P02-trader.txt", "Networks", "ben", P02.index("老乡"), P02.index("老乡") + 2) in stored
        cousin = P02.index("My cousin")
        assert ("P02-trader.txt", "Networks", "ana", cousin, P02.index('Yiwu".') + 6) in stored
        assert all(c.origin == "import" for c in project.codings())
        # The same table again adds nothing.
        again = import_codings(project, table, "lead")
        assert (again.added, again.already) == (0, 5)
        assert codings(project) == stored


def test_a_bad_row_is_named_and_nothing_is_stored(project_path, tmp_path):
    from workbench.store import Project

    good = ["P01-yiwu.txt", "Trust", "ana", "", "", "我很信任"]
    for bad, message in [
        (["P09.txt", "Trust", "ana", "", "", "我很信任"], "row 3: no document named 'P09.txt'"),
        (["P01-yiwu.txt", "Trust", "ana", "", "", "我从来不信任任何人"], "row 3: quote '我从来不信任任何人' not found"),
        (["P01-yiwu.txt", "Trust", "ana", "0", "4", "我很信任"], "row 3: the quote does not match characters 0–4"),
        (["P01-yiwu.txt", "Trust", "ana", "3", "x", ""], "row 3: end 'x' is not a number"),
        (["P01-yiwu.txt", "Trust", "ana", "5", "9999", ""], "row 3: span 5–9999 is outside the document"),
    ]:
        table = write_csv(tmp_path / "bad.csv", [["document", "code", "coder", "start", "end", "quote"], good, bad])
        with Project.open(project_path) as project:
            with pytest.raises(WorkbenchError, match=message) as caught:
                import_codings(project, table, "lead")
            assert str(caught.value).startswith(f"{table}: ")
            assert "nothing was imported" in str(caught.value)
            assert project.coding_count() == 0 and project.code_count() == 0
            assert project.coders() == []  # whoever ran the refused import is no coder


def test_offsets_alone_and_an_xlsx_with_float_numbers(project_path, tmp_path):
    from openpyxl import Workbook

    from workbench.store import Project

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Document", "CODE", "Coder", "Start", "End"])
    start = P02.index("老乡帮忙")
    sheet.append(["P02-trader.txt", "Networks/老乡", "ana", float(start), float(start + 4)])
    sheet.append([None, None, None, None, None])  # a blank row in the middle is skipped, not counted
    sheet.append(["P02-trader.txt", "Networks/老乡", "ben", start + 0.0, start + 2.0])
    table = tmp_path / "codings.xlsx"
    workbook.save(table)
    with Project.open(project_path) as project:
        result = import_codings(project, table, "lead")
        assert result.added == 2 and result.rows == 2
        assert codings(project) == [("P02-trader.txt", "Networks/老乡", "ana", start, start + 4),
                                    ("P02-trader.txt", "Networks/老乡", "ben", start, start + 2)]
    sheet.append(["P02-trader.txt", "Networks", "ben", 1.5, 3])
    workbook.save(table)
    with Project.open(project_path) as project, pytest.raises(WorkbenchError, match=r"row 5: start '1.5'"):
        import_codings(project, table, "lead")


def test_offsets_that_disagree_with_the_quote_say_where_the_quote_is(project_path, tmp_path):
    from workbench.store import Project

    at = P01.index("王主任")
    table = write_csv(tmp_path / "shifted.csv", [["doc", "code", "coder", "begin", "end", "text"],
                                                 ["P01-yiwu.txt", "People", "ana", at + 2, at + 5, "王主任"]])
    with Project.open(project_path) as project:
        with pytest.raises(WorkbenchError, match=f"row 2: the quote does not match characters {at + 2}–{at + 5} "
                                                 f"\\(they read '任。她'; the quote is at {at}–{at + 3}\\)"):
            import_codings(project, table, "lead")
        assert project.coding_count() == 0


def test_existing_codes_are_found_by_name_chinese_name_or_path(project_path, tmp_path):
    from workbench.codebook.ops import add_code
    from workbench.model import Code
    from workbench.store import Project

    with Project.open(project_path) as project:
        trust = add_code(project, Code(name="Trust", name_zh="信任"))
        add_code(project, Code(name="Distrust", name_zh="不信任"), trust)
    table = write_csv(tmp_path / "c.csv", [["document", "codes", "coder", "quote"],
                                           ["P01-yiwu.txt", "不信任; 信任", "ana", "我们不信任警察"],
                                           ["P01-yiwu.txt", "trust/distrust", "ben", "我们不信任警察"]])
    with Project.open(project_path) as project:
        result = import_codings(project, table, "lead")
        assert result.codes_created == () and result.added == 3
        assert {c[1] for c in codings(project)} == {"Trust", "Trust/Distrust"}


def test_helpers():
    assert split_code_path("Trust > Distrust; 网络::老乡 | Hukou") == [("Trust", "Distrust"), ("网络", "老乡"), ("Hukou",)]
    text, origin = even_out("a  “b”\n c")
    assert text == 'a"b"c' and origin[1] == 3  # whitespace is left out for matching (issue 20)


def test_a_title_row_headers_with_units_and_short_document_names(project_path, tmp_path):
    from workbench.store import Project

    start = P02.index("老乡帮忙")
    table = write_csv(tmp_path / "export.csv", [
        ["Coding comparison export, team A"],
        [],
        ["Document Name", "Code", "Coder Name", "Start (char)", "End (char)"],
        ["P02", "Networks", "ana", start, start + 4],  # 'P02' is P02-trader.txt
    ])
    with Project.open(project_path) as project:
        result = import_codings(project, table, "lead")
        assert result.added == 1
        assert codings(project) == [("P02-trader.txt", "Networks", "ana", start, start + 4)]
    bad = write_csv(tmp_path / "bad.csv", [["Document", "Code", "Coder", "Quote"], ["P0", "Networks", "ana", "老乡"]])
    with Project.open(project_path) as project, pytest.raises(WorkbenchError, match=r"row 2: no document named 'P0'"):
        import_codings(project, bad, "lead")
