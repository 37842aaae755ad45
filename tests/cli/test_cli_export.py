"""`export`, `translate` and `pseudonyms` from the command line: files written, one-line refusals."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from export_papers import EN, papers_project

from workbench.cli import cli
from workbench.export import deidentify
from workbench.store import Project


@pytest.fixture
def project(tmp_path):
    yield from papers_project(tmp_path)


def test_pseudonym_csv_review_round_trip(project, tmp_path):
    deidentify.detect_in_project(project, [EN], "lin")
    out = tmp_path / "review.csv"
    runner = CliRunner()
    result = runner.invoke(cli, ["pseudonyms", str(project.path), "--export", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    for row in rows:
        if row["original"] == "Okafor":
            row["replacement"], row["confirmed"] = "[Person 9]", "yes"
    rows.append({"original": "Mrs Wang", "replacement": "[Person 10]", "kind": "person", "confirmed": "yes",
                 "source": "", "guid": ""})
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(cli, ["pseudonyms", str(project.path), "--import", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 added, 1 changed" in result.output
    table = {p.original: p for p in Project.open(project.path).pseudonyms()}
    assert table["Okafor"].replacement == "[Person 9]" and table["Okafor"].confirmed
    bad = tmp_path / "bad.csv"
    bad.write_text("original,replacement,kind,confirmed\nX,Y,animal,no\n", encoding="utf-8")
    result = runner.invoke(cli, ["pseudonyms", str(project.path), "--import", str(bad)])
    assert result.exit_code != 0 and "bad.csv: row 2: kind 'animal'" in result.output
    assert "X" not in {p.original for p in Project.open(project.path).pseudonyms()}


def test_cli_export_translate_and_errors(project, tmp_path):
    runner = CliRunner()
    path = str(project.path)
    result = runner.invoke(cli, ["translate", path, str(project.ids["zh_names"]), "My name is He Jing."])
    assert result.exit_code == 0, result.output
    out = tmp_path / "cli.md"
    result = runner.invoke(cli, ["export", path, "-o", str(out), "--code", "Networks", "--where", "city=Guangzhou",
                                 "--cite", "({case}, ¶{turn})"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "(P08, ¶2)" in text and "My name is He Jing." in text and "Yiwu" not in text
    for args, message in [
        (["-o", str(tmp_path / "x.pdf")], "x.pdf: cannot export as .pdf"),
        (["-o", str(tmp_path / "no" / "x.md")], "does not exist"),
        (["-o", str(tmp_path / "x.qdpx")], ".qdpx"),
        (["-o", str(tmp_path / "x.md"), "--chart", "cooccurrence"], "--chart draws a PNG"),
        (["-o", str(tmp_path / "x.md"), "--code", "Nope"], "Nope"),
        (["-o", str(tmp_path / "x.csv"), "--table", "by:planet"], "planet"),
    ]:
        result = runner.invoke(cli, ["export", path, *args])
        if args[1].endswith(".qdpx") and result.exit_code == 0:
            continue  # the REFI-QDA exchange is merged: .qdpx works
        assert result.exit_code != 0 and message in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.md").exists()
    result = runner.invoke(cli, ["translate", path, "99999", "x"])
    assert result.exit_code != 0 and "no coding with id 99999" in result.output
