"""Export for papers: each produced file read back with its own reader, citations, filters,
de-identification on constructed Chinese and English text, formula injection and atomicity."""

from __future__ import annotations

import csv
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_papers import code, papers_project

from workbench.cli import cli
from workbench.export import deidentify, files
from workbench.export.run import Options, export
from workbench.export.select import Selection, select
from workbench.model import WorkbenchError


@pytest.fixture
def project(tmp_path):
    yield from papers_project(tmp_path)


def test_selection_filters_codes_subcodes_coder_document_where_and_query(project):
    every = select(project, Selection())
    assert len(every) == 7
    trust = select(project, Selection(codes=("信任",)))
    assert {e.code for e in trust} == {"Trust", "Trust/Distrust"}
    assert {e.code for e in select(project, Selection(codes=("Trust",), subcodes=False))} == {"Trust"}
    assert {e.coder for e in select(project, Selection(coders=("sara",)))} == {"sara"}
    assert {e.document for e in select(project, Selection(documents=("P08-zh.txt",)))} == {"P08-zh.txt"}
    assert {e.case for e in select(project, Selection(where={"city": "yiwu"}))} == {"P07"}
    queried = select(project, Selection(query="Networks AND NOT Trust"))
    assert queried and all(e.code == "Networks AND NOT Trust" for e in queried)
    with pytest.raises(WorkbenchError, match="no such document"):
        select(project, Selection(documents=("nope.txt",)))


def test_citations_paragraph_number_and_timestamp(project):
    by_id = {e.coding_id: e for e in select(project, Selection())}
    from workbench.export.citations import citer

    cite = citer()
    assert cite(by_id[project.ids["trust_en"]]) == "(P07, trader, Yiwu, ¶4)"
    assert cite(by_id[project.ids["distrust_zh"]]) == "(P08, social worker, Guangzhou, ¶4)"
    assert cite(by_id[project.ids["timed"]]) == "(P05, migrant worker, Dongguan, [00:12:31])"
    assert citer("{case}: {speaker} ¶{turn}")(by_id[project.ids["trust_en"]]) == "P07: Respondent ¶4"
    with pytest.raises(WorkbenchError, match="no field 'nosuch'"):
        export(project, project.path.with_name("x.md"), Options(cite="case,nosuch"))


def test_markdown_quotes_excerpt_citation_definition_and_translation(project, tmp_path):
    out = tmp_path / "out.md"
    export(project, out, Options())
    text = out.read_text(encoding="utf-8")
    block = text[text.index("## Trust\n"):text.index("## Trust/Distrust")]
    assert "*Confidence in people or institutions.*" in block
    assert "> I trust the committee now." in block and "> — (P07, trader, Yiwu, ¶4)" in block
    assert "coded by lin, sara" in block and block.count("I trust the committee now.") == 1  # merged coders
    assert "> *Translation (en):* I don't really believe them." in text
    assert "我不太相信他们" in text


def test_docx_has_heading_definition_quote_and_citation(project, tmp_path):
    import docx

    out = tmp_path / "out.docx"
    export(project, out, Options(selection=Selection(codes=("Trust",))))
    paragraphs = docx.Document(str(out)).paragraphs
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Trust", "Trust/Distrust"]
    texts = [p.text for p in paragraphs]
    i = texts.index("Trust")
    assert texts[i + 1] == "Confidence in people or institutions."
    quote = next(p for p in paragraphs if p.text == "I trust the committee now.")
    assert quote.style.name == "Quote"
    assert any(t.startswith("(P07, trader, Yiwu, ¶4)") for t in texts)
    assert "我不太相信他们，{这} & 那 $100 #1 50% 都是问题。" in texts


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.found, self.tags = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.add(tag)

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            self.found.append((self.stack[-1] if self.stack else "", data.strip()))


def test_html_is_self_contained_and_escaped(project, tmp_path):
    with project.transaction():
        project.add_memo("coding", project.ids["formula"], "<script>alert(1)</script>", "lin")
    out = tmp_path / "out.html"
    export(project, out, Options())
    raw = out.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", raw)
    parser = _Collect()
    parser.feed(raw)
    assert ("blockquote", "I trust the committee now.") in parser.found
    assert ("p", "(P07, trader, Yiwu, ¶4)") in parser.found
    assert ("h2", "Trust") in parser.found
    assert "script" not in parser.tags


def test_latex_escapes_everything_and_notes_xecjk(project, tmp_path):
    out = tmp_path / "out.tex"
    export(project, out, Options())
    tex = out.read_text(encoding="utf-8")
    assert "\\usepackage{xeCJK}" in tex and "\\begin{quote}" in tex
    assert r"我不太相信他们，\{这\} \& 那 \$100 \#1 50\% 都是问题。" in tex
    assert r"(P07, trader, Yiwu, \P{}4)" in tex
    body = tex[tex.index("\\begin{document}"):]
    # No special character is left bare: every $ & # % _ { } follows a backslash or is a command's brace.
    stripped = re.sub(r"\\[A-Za-z]+\*?(\{\})?|\\[{}$&#%_]|\\\\", "", body)
    stripped = re.sub(r"\{|\}", "", stripped)
    assert not re.search(r"[$&#%_^~]", stripped)


def test_csv_and_xlsx_rows_with_metadata_and_formulas_neutralised(project, tmp_path):
    from openpyxl import load_workbook

    export(project, tmp_path / "out.csv", Options())
    export(project, tmp_path / "out.xlsx", Options())
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sheet = load_workbook(tmp_path / "out.xlsx").active
    header = [c.value for c in sheet[1]]
    xlsx_rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    for table in (rows, xlsx_rows):
        assert len(table) == 7  # one row per coding: two coders, two rows
        trust = [r for r in table if r["text"] == "I trust the committee now."]
        assert {r["coder"] for r in trust} == {"lin", "sara"}
        row = trust[0]
        assert row["case"] == "P07" and row["city"] == "Yiwu" and row["code"] == "Trust"
        assert row["citation"] == "(P07, trader, Yiwu, ¶4)" and str(row["turn"]) == "4"
        memo = next(r["memo"] for r in table if r["memo"])
        assert memo == "'-contrast with distrust"
        formula = next(r for r in table if "SUM" in r["text"])
        assert formula["text"] == "'=SUM(A1) is what my accountant types."
        timed = next(r for r in table if r["document"] == "P05-timed.vtt")
        assert timed["time_start"] == "00:12:31" and timed["time_end"] == "00:12:40"
        zh = next(r for r in table if r["code"] == "Trust/Distrust")
        assert zh["translation"] == "I don't really believe them." and zh["translation_lang"] == "en"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(value):
    assert files.neutralise(value) == "'" + value
    assert files.neutralise("plain = text") == "plain = text"
    assert files.neutralise(3) == 3


def _export_texts(tmp_path, stem):
    import docx
    from openpyxl import load_workbook

    texts = {suffix: (tmp_path / f"{stem}{suffix}").read_text(encoding="utf-8-sig") for suffix in (".md", ".html", ".tex", ".csv")}
    texts[".docx"] = "\n".join(p.text for p in docx.Document(str(tmp_path / f"{stem}.docx")).paragraphs)
    texts[".xlsx"] = "\n".join(str(c.value) for row in load_workbook(tmp_path / f"{stem}.xlsx").active.iter_rows()
                               for c in row if c.value is not None)
    return texts


def test_deidentification_applies_confirmed_terms_only_and_consistently(project, tmp_path):
    suffixes = (".md", ".docx", ".html", ".tex", ".csv", ".xlsx")
    results = {s: export(project, tmp_path / f"d{s}", Options(deidentify=True, coder="lin")) for s in suffixes}
    table = {p.original: p for p in project.pseudonyms()}
    assert table["Huang Meiling"].replacement == "P07" and table["Huang Meiling"].confirmed
    assert table["何静"].replacement == "P08" and table["何静"].source == "participants"
    assert table["Okafor"].kind == "person" and not table["Okafor"].confirmed
    assert table["张伟"].kind == "person"
    assert table["Yiwu Traders Association"].kind == "organisation"
    assert table["阳光社工服务中心"].kind == "organisation"
    candidates = ("Okafor", "张伟", "广州", "阳光社工服务中心")
    for suffix, text in _export_texts(tmp_path, "d").items():
        assert "Huang Meiling" not in text and "何静" not in text, suffix
        assert "P07" in text and "P08" in text
        for original in candidates:  # proposed, not confirmed: the quotation keeps it
            assert original in text, (suffix, original)
    report = results[".md"].deidentified
    assert {"Okafor", "张伟"} <= set(report.undecided)
    assert "still undecided" in report.summary()
    assert "name" not in next(csv.reader(open(tmp_path / "d.csv", encoding="utf-8-sig")))
    # Confirmed, they change everywhere, each to its own label.
    deidentify.decide(project, ["Okafor", "Yiwu", "张伟", "广州", "阳光社工服务中心"], deidentify.CONFIRMED, "lin")
    table = {p.original: p for p in project.pseudonyms()}
    for suffix in suffixes:
        export(project, tmp_path / f"e{suffix}", Options(deidentify=True, coder="lin"))
    texts = _export_texts(tmp_path, "e")
    for suffix, text in texts.items():
        for original in ("Huang Meiling", "Okafor", "Yiwu", "何静", "张伟", "广州", "阳光社工服务中心"):
            assert original not in text, (suffix, original)
        for original in ("Okafor", "张伟", "阳光社工服务中心"):
            replacement = table[original].replacement
            assert replacement.replace("[", "").replace("]", "") in text.replace("\\", ""), (suffix, original)
    city = table["Yiwu"].replacement
    assert f"My name is P07. When I came to {city} I knew nobody." in texts[".md"].replace("\\", "")


def test_replacer_respects_word_boundaries_and_keeps_rejected_rows():
    from workbench.store.export import Pseudonym

    rows = [Pseudonym(1, "g1", "Li", "[Person 1]", "person", True, "manual"),
            Pseudonym(2, "g2", "Trust", "", "person", False, "detected"),  # turned down: kept as is
            Pseudonym(3, "g3", "义乌", "[City A]", "place", True, "manual"),
            Pseudonym(4, "g4", "Okafor", "[Person 2]", "person", False, "detected")]  # a candidate: kept
    clean = deidentify.Replacer(rows)
    assert clean("Living with Li in 义乌市. Trust li. Okafor") == "Living with [Person 1] in [City A]市. Trust [Person 1]. Okafor"
    assert clean.report().replacements == 3


def test_appendix_counts_codings_documents_cases(project, tmp_path):
    export(project, tmp_path / "a.csv", Options(appendix=True))
    rows = {r["path"]: r for r in csv.DictReader(open(tmp_path / "a.csv", encoding="utf-8-sig"))}
    assert rows["Trust"]["codings"] == "2" and rows["Trust"]["codings_with_subcodes"] == "3"
    assert rows["Trust"]["documents"] == "2" and rows["Trust"]["cases"] == "2"
    assert rows["Trust"]["include"] == "Statements of relying on someone."
    export(project, tmp_path / "a.md", Options(appendix=True))
    md = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "## Trust / 信任" in md and "*2 codings (3 with sub-codes) in 2 documents, 2 cases*" in md
    assert "**Exclude.** Mere politeness." in md
    import docx

    export(project, tmp_path / "a.docx", Options(appendix=True))
    assert "Trust / 信任" in [p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs]


def test_tables_frequencies_and_cooccurrence_count_a_turn_once(project, tmp_path):
    from workbench.export import tables

    excerpts = select(project, Selection())
    by_city = tables.frequencies(excerpts, "city")
    assert by_city.cell("Networks", "Yiwu") == 2 and by_city.cell("Networks", "total") == 4
    # Two coders on the same turn with Trust, and Networks in that turn too: the pair counts once.
    en = project.document(project.document_id("P07-en.txt")).text
    code(project, "P07-en.txt", en, "Networks", "I trust the committee", "sara")
    matrix = tables.cooccurrence(project, select(project, Selection()))
    assert matrix.cell("Trust", "Networks") == 1 and matrix.cell("Trust", "Trust") == 1
    export(project, tmp_path / "t.xlsx", Options(table="by:city"))
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert [c.value for c in sheet[1]][:2] == ["code", "Dongguan"]
    result = CliRunner().invoke(cli, ["export", str(project.path), "--table", "cooccurrence"])
    assert result.exit_code == 0 and "unit: speaker turns" in result.output and "1 Trust" in result.output


def test_png_charts_with_chinese_labels(project, tmp_path):
    from workbench.export import charts

    with project.transaction():
        project.conn.execute("UPDATE attributes SET value = '广州' WHERE value = 'Guangzhou'")
    font = charts.cjk_font()
    if font is None:
        with pytest.raises(WorkbenchError, match="install a CJK font"):
            export(project, tmp_path / "c.png", Options(chart="by:city"))
        assert not (tmp_path / "c.png").exists()
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk): glyph coverage not checked, fallback refused")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # matplotlib warns of every glyph it would draw as a box
        result = export(project, tmp_path / "c.png", Options(chart="by:city"))
    chart = result.chart
    assert "广州" in chart.labels and chart.font == font
    assert all(ord(ch) in charts.charmap(font.path) for ch in "广州")
    assert not charts.missing_glyphs(font, list(chart.labels))
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for kind in (None, "cooccurrence"):
        out = tmp_path / f"{kind}.png"
        export(project, out, Options(chart=kind))
        assert out.stat().st_size > 1000


def test_png_fallback_without_cjk_font_refuses_instead_of_boxes(project, tmp_path, monkeypatch):
    from workbench.export import charts

    with project.transaction():
        project.conn.execute("UPDATE attributes SET value = '广州' WHERE value = 'Guangzhou'")
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    with pytest.raises(WorkbenchError, match=r"c\.png: no installed font can draw .*fonts-noto-cjk"):
        export(project, tmp_path / "c.png", Options(chart="by:city"))
    assert not list(tmp_path.glob("*c.png*"))
    export(project, tmp_path / "en.png", Options())  # English labels need no CJK font
    assert (tmp_path / "en.png").exists()


def test_a_failure_mid_write_leaves_the_old_file(project, tmp_path, monkeypatch):
    out = tmp_path / "keep.docx"
    out.write_bytes(b"old")
    from docx.document import Document

    def broken(self, path):
        Path(path).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Document, "save", broken)
    with pytest.raises(OSError):
        export(project, out, Options())
    assert out.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == sorted(n for n in os.listdir(tmp_path) if not n.endswith(".tmp.docx"))
    fresh = tmp_path / "fresh.md"
    monkeypatch.setattr("workbench.export.excerpts_md.render", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        export(project, fresh, Options())
    assert not fresh.exists() and not list(tmp_path.glob(".fresh*"))


def test_group_by_case_and_query_headings(project, tmp_path):
    out = tmp_path / "cases.md"
    export(project, out, Options(group_by="case"))
    text = out.read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("## ")] == ["## P05", "## P07", "## P08"]
    assert "*code: Trust; coded by lin, sara*" in text
    out = tmp_path / "query.html"
    export(project, out, Options(selection=Selection(query="Networks AND NOT Trust")))
    raw = out.read_text(encoding="utf-8")
    assert "<h2>Networks AND NOT Trust</h2>" in raw and "Mr Okafor helped me" in raw
