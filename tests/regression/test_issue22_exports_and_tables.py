"""Issue 22 (a day of use): tables, charts and files for the author, and terminal tables that fit."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli


def run(*args, ok: bool = True, env: dict | None = None):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env=env)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def plain(tmp_path) -> Path:
    """A project without a participants table: an English, a French and a UTF-16 document."""
    (tmp_path / "a.txt").write_text("Interviewer: Where do you live?\nRespondent: In Yiwu, I trust my neighbours.\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Intervieweur : Où habitez-vous ?\n"
                                    "Répondant : À Lyon, je fais confiance à mes voisins depuis longtemps.\n",
                                    encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(codecs.BOM_UTF16_LE + "Interviewer: Why?\nRespondent: Because I trust them.\n"
                                     .encode("utf-16-le"))
    project = tmp_path / "p.qda"
    run("init", project)
    run("codebook", "add", project, "Trust")
    run("import", project, tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt")
    run("code", project, "a.txt", "Trust", "--quote", "I trust my neighbours")
    run("code", project, "b.txt", "Trust", "--quote", "je fais confiance")
    return project


def test_tables_and_charts_group_by_document_and_language_without_participants(plain, tmp_path):
    by_document = run("export", plain, "--table", "by:document").stdout
    assert "a.txt" in by_document and "b.txt" in by_document
    by_lang = run("export", plain, "--table", "by:lang").stdout
    assert " en " in by_lang and " fr " in by_lang
    for kind in ("by:speaker", "by:coder"):
        run("export", plain, "--table", kind)
    run("export", plain, "-o", tmp_path / "langs.png", "--chart", "by:lang")


def test_frequency_headers_are_unique_and_readable():
    from workbench.export.tables import Table, render

    columns = ["reviews_group_alpha_one", "reviews_group_alpha_two", "reviews_group_alpha_three", "total"]
    header = render(Table("t", "code", columns, [("Trust", [1, 2, 3, 6])], "n")).splitlines()[1].split()
    assert len(set(header)) == len(header) == 5
    assert all(h.startswith("reviews") for h in header[1:4])


def test_written_files_follow_the_umask(plain, tmp_path):
    old = os.umask(0o022)
    try:
        for name in ("x.md", "x.xlsx", "x.csv", "x.docx"):
            run("export", plain, "-o", tmp_path / name)
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    finally:
        os.umask(old)


def test_docx_title_says_how_many_codings_merged_excerpts_stand_for(demo_file, tmp_path):
    import docx

    out = run("export", demo_file, "-o", tmp_path / "x.docx").stdout
    assert "excerpts (125 codings)" in out
    title = docx.Document(str(tmp_path / "x.docx")).paragraphs[0].text
    assert "(125 codings)" in title


def test_xlsx_is_streamed_and_readable(plain, tmp_path):
    import openpyxl

    run("export", plain, "-o", tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "document" and len(rows) == 3
    assert "openpyxl" not in Path(__file__).parents[2].joinpath("workbench/export/excerpts_table.py").read_text()


def test_exports_print_no_jieba_lines(demo_copy, tmp_path):  # --deidentify stores what it detects: a copy
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "workbench", "export", str(demo_copy), "-o", str(tmp_path / "d.md"),
                           "--deidentify"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "prefix dict" not in done.stderr and "Loading model" not in done.stderr


def test_charts_pick_the_regular_cjk_face_and_silence_font_warnings():
    import logging
    from types import SimpleNamespace

    from workbench.export import charts

    bold = SimpleNamespace(name="Noto Sans CJK JP", weight=700, style="normal", fname="/f/NotoSansCJK-Bold.ttc")
    regular = SimpleNamespace(name="Noto Sans CJK JP", weight=400, style="normal", fname="/f/NotoSansCJK-Regular.ttc")
    assert charts.preferred([bold, regular])[0] is regular
    charts.quiet_font_warnings()
    assert logging.getLogger("matplotlib.font_manager").getEffectiveLevel() >= logging.ERROR


def test_documents_table_fits_and_names_the_language(plain):
    out = run("documents", plain, env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert "language" in lines[0] and all(len(line) <= 80 for line in lines)
    c_line = next(line for line in lines if line.startswith("c.txt"))
    assert "utf-16-le (BOM)" in c_line  # the encoding column holds the whole encoding
    assert " fr " in next(line for line in lines if line.startswith("b.txt"))


def test_agree_shows_whole_code_names_and_counts_segments_at_segment_level(demo_file):
    out = run("agree", demo_file, "--coders", "lin,sara", "--level", "segment", "--show", "0",
              env={"COLUMNS": "200"}).stdout
    assert "sentences coded (lin / sara)" in out
    assert "Co-production/Community-initiated co-production" in out
    chars = run("agree", demo_file, "--coders", "lin,sara", "--show", "0", env={"COLUMNS": "80"}).stdout
    assert "characters coded" in chars and all(len(line) <= 80 for line in chars.splitlines()[1:-1])
