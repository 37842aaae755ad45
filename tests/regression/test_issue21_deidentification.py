"""Issue 21: de-identification that neither corrupts quotations nor leaks a name.

Each test failed on the code before the fix: unconfirmed detections were applied (很安静 →
很[Person 3]), `Hans Weiß` leaked (keys were casefolded, the regular expression was not), the
in-vivo code "Chen Jun partnership" kept its name in headings and the CSV `code` column,
docx/xlsx properties named their producer, and nothing was recorded beside the export.
"""

from __future__ import annotations

import csv
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from named import code_named

from workbench.cli import cli
from workbench.codebook import parse_codebook
from workbench.codebook.ops import install
from workbench.export import deidentify
from workbench.export.run import Options, export
from workbench.imports import import_files, link_participants
from workbench.model import WorkbenchError
from workbench.store import Project

CODEBOOK = """\
name: Issue 21
codes:
  - name: Reviews
    definition: What customers say.
  - name: Chen Jun partnership
    definition: In-vivo code named after a participant.
"""
REVIEWS = ("酒店很安静，装修略显陈旧，但是感觉很温馨。\n"
           "笔记本是华硕的，在京东买的，发货很快。\n"
           "陈静说这里略显陈旧，北京东路也很安静。\n")
INTERVIEW = ("Interviewer: What rules did the company set?\n"
             "Respondent: They were given them, Strict guidelines, from day one.\n"
             "Respondent: My name is Hans Weiß. HANS WEISS on the badge, hans weiss in the email, "
             "Ｈａｎｓ　Ｗｅｉß on the form, and " + unicodedata.normalize("NFD", "Hans Weiß from Zürich") + ".\n"
             "Respondent: Mr O’Brien and Mr O'Brien and OBRIEN are one man. I worked with Chen Jun for years.\n")
PEOPLE = ("id,name,document\n"
          "P01,Hans Weiß,Chen-Jun-interview.txt\n"
          "P02,Chen Jun,reviews.txt\n"
          "P03,O'Brien,\n"
          "P04,陈静,\n")
FORMATS = (".md", ".docx", ".html", ".tex", ".csv", ".xlsx")


@pytest.fixture
def project(tmp_path):
    (tmp_path / "reviews.txt").write_text(REVIEWS, encoding="utf-8")
    (tmp_path / "Chen-Jun-interview.txt").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    with Project.create(tmp_path / "p.qda") as opened:
        install(opened, parse_codebook(CODEBOOK, "issue21.yaml"))
        assert all(o.status == "imported" for o in import_files(
            opened, [tmp_path / "reviews.txt", tmp_path / "Chen-Jun-interview.txt"]))
        link_participants(opened, tmp_path / "people.csv")
        for name, code in (("reviews.txt", "Reviews"), ("Chen-Jun-interview.txt", "Chen Jun partnership")):
            text = opened.document(opened.document_id(name)).text
            for line in text.splitlines():
                if line.strip() and not line.startswith("Interviewer"):
                    start = text.index(line)
                    coding = code_named(opened, name, code, start, start + len(line), "lin")
            opened.add_memo("coding", coding, "Compare with what Hans Weiß said about Chen Jun.", "lin")
        yield opened


def _bytes(path: Path) -> bytes:
    """Every byte of a file, the parts of a docx/xlsx unzipped."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            return b"\n".join(archive.read(name) for name in archive.namelist())
    return path.read_bytes()


def _text(path: Path) -> str:
    data = _bytes(path).decode("utf-8", errors="replace")
    if path.suffix in (".docx", ".xlsx", ".html"):
        import html
        import re

        data = html.unescape(re.sub(r"<[^>]+>", "", data))
    return data


def test_nothing_confirmed_leaves_every_quotation_unchanged(project, tmp_path):
    with project.transaction():  # no participants table: nothing is confirmed
        project.conn.execute("DELETE FROM attributes")
    for suffix in FORMATS:
        export(project, tmp_path / f"out{suffix}", Options(deidentify=True, coder="lin"))
        text = _text(tmp_path / f"out{suffix}").replace("\\", "")
        for phrase in ("很安静", "略显陈旧", "感觉很温馨", "华硕", "京东", "given them, Strict guidelines",
                       "北京东路也很安静"):
            assert phrase in text, (suffix, phrase)
        assert "[Person" not in text and "[City" not in text and "[Organisation" not in text, suffix


def test_only_confirmed_names_change(project, tmp_path):
    deidentify.decide(project, ["华硕"], deidentify.CONFIRMED, "lin", kind="organisation")
    export(project, tmp_path / "out.md", Options(deidentify=True, coder="lin"))
    text = (tmp_path / "out.md").read_text(encoding="utf-8").replace("\\", "")
    assert "陈静" not in text and "华硕" not in text
    assert "P04说这里略显陈旧，北京东路也很安静。" in text  # 陈 in 陈旧 and 京东 in 北京东路 untouched
    assert "酒店很安静，装修略显陈旧，但是感觉很温馨。" in text
    assert "在京东买的" in text and "given them, Strict guidelines" in text


def test_confirmed_names_never_leak_in_any_form_or_any_byte(project, tmp_path):
    forms = ("Hans Weiß", "Hans Weiss", "HANS WEISS", "hans weiss", "Weiß", "weiss", "Ｈａｎｓ", "Ｗｅｉß",
             unicodedata.normalize("NFD", "Hans Weiß"), "O'Brien", "O’Brien", "OBRIEN", "Chen Jun", "Chen-Jun",
             "chen jun", "陈静")
    for suffix in FORMATS:
        path = tmp_path / f"out{suffix}"
        export(project, path, Options(deidentify=True, coder="lin"))
        data = _bytes(path)
        text = _text(path)
        for form in forms:
            for variant in {form, unicodedata.normalize("NFC", form), unicodedata.normalize("NFD", form)}:
                assert variant.encode("utf-8") not in data, (suffix, variant)
                assert variant.casefold() not in text.casefold(), (suffix, variant)
        folded = deidentify.normal.fold(text)
        for name in ("hans weiss", "o'brien", "obrien", "chen jun", "chen-jun"):
            assert name not in folded, (suffix, name)
        assert "P01" in text and "P02" in text


def test_in_vivo_code_named_after_a_participant_is_renamed_everywhere(project, tmp_path):
    for suffix in FORMATS:
        export(project, tmp_path / f"code{suffix}", Options(deidentify=True, coder="lin"))
        assert "Chen Jun" not in _text(tmp_path / f"code{suffix}"), suffix
    rows = list(csv.DictReader(open(tmp_path / "code.csv", encoding="utf-8-sig")))
    assert {r["code"] for r in rows} == {"Reviews", "P02 partnership"}
    assert {r["document"] for r in rows} == {"reviews.txt", "P02-interview.txt"}
    export(project, tmp_path / "appendix.md", Options(deidentify=True, appendix=True))
    assert "Chen Jun" not in (tmp_path / "appendix.md").read_text(encoding="utf-8")
    export(project, tmp_path / "table.csv", Options(deidentify=True, table="frequencies"))
    assert "Chen Jun" not in (tmp_path / "table.csv").read_text(encoding="utf-8-sig")
    result = export(project, None, Options(deidentify=True, table="cooccurrence"))
    assert "Chen Jun" not in result.text and "P02 partnership" in result.text


def test_docx_and_xlsx_properties_carry_no_name(project, tmp_path):
    import docx
    from openpyxl import load_workbook

    export(project, tmp_path / "out.docx", Options(deidentify=True))
    props = docx.Document(str(tmp_path / "out.docx")).core_properties
    assert props.author == props.last_modified_by == "workbench"
    assert props.title == "Coded excerpts" and not props.comments and not props.keywords
    export(project, tmp_path / "out.xlsx", Options(deidentify=True))
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:  # no core properties, or neutral ones
        if "docProps/core.xml" in archive.namelist():
            props = load_workbook(tmp_path / "out.xlsx").properties
            assert props.creator == "workbench" and props.lastModifiedBy in (None, "workbench")


def test_record_lies_beside_the_export_and_never_inside(project, tmp_path):
    result = export(project, tmp_path / "out.md", Options(deidentify=True, coder="lin"))
    record = tmp_path / "out.md.deid-record.csv"
    assert result.deidentified.record == record
    rows = {r["term"]: r for r in csv.DictReader(open(record, encoding="utf-8-sig"))}
    assert rows["Hans Weiß"]["replacement"] == "P01" and int(rows["Hans Weiß"]["count"]) >= 5
    assert "deid-record" not in (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "record: out.md.deid-record.csv" in result.summary()


def test_qdpx_and_a_named_file_are_refused_when_deidentifying(project, tmp_path):
    with pytest.raises(WorkbenchError, match="cannot be de-identified"):
        export(project, tmp_path / "out.qdpx", Options(deidentify=True))
    assert not (tmp_path / "out.qdpx").exists()
    with pytest.raises(WorkbenchError, match="file name holds a confirmed name"):
        export(project, tmp_path / "hans_weiss.md", Options(deidentify=True))
    assert not (tmp_path / "hans_weiss.md").exists()


def test_export_says_how_many_candidates_are_undecided(project, tmp_path):
    with project.transaction():
        project.conn.execute("DELETE FROM attributes")
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(project.path), "-o", str(tmp_path / "o.md"), "--deidentify"])
    assert result.exit_code == 0, result.output
    assert "still undecided and left unchanged" in result.output


def test_chart_labels_carry_no_confirmed_name(project, tmp_path):
    result = export(project, tmp_path / "chart.png", Options(deidentify=True, chart="frequencies"))
    labels = " ".join(result.chart.labels)
    assert "Chen Jun" not in labels and "P02 partnership" in labels
    assert b"Chen Jun" not in (tmp_path / "chart.png").read_bytes()
