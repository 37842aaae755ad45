"""Issue 20 (exchange) and 22: whoever ran a table import or an export is no coder until they code."""

from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner

from workbench.cli import cli
from workbench.model import Code
from workbench.store import Project


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={"WORKBENCH_CODER": "root"})
    assert result.exit_code == 0, result.output
    return result.output


def test_running_a_table_import_and_an_export_makes_no_coder(tmp_path):
    text = tmp_path / "P01.txt"
    text.write_text("I trust my family. Work is hard. My boss lies.\n", encoding="utf-8")
    table = tmp_path / "codings.csv"
    table.write_text("document,code,coder,quote\nP01.txt,Family/Trust,ana,I trust my family.\n", encoding="utf-8")
    project = tmp_path / "p.qda"
    _run("init", str(project))
    _run("import", str(project), str(text))
    _run("import", str(project), "--codings", str(table))
    _run("export", str(project), "-o", str(tmp_path / "out.csv"))
    _run("export", str(project), "-o", str(tmp_path / "out.qdpx"))
    with Project.open(project) as opened:
        assert opened.coders() == ["ana"]
        assert [row["name"] for row in opened.coder_counts()] == ["ana"]
        # the audit trail still says who ran each command
        assert any(json.loads(e.detail).get("by") == "root" for e in opened.events(-1))
    listed = json.loads(_run("coders", str(project), "--json"))
    assert [row["name"] for row in listed["coders"]] == ["ana"]
    with zipfile.ZipFile(tmp_path / "out.qdpx") as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert 'name="ana"' in qde and 'name="root"' not in qde


def test_a_coder_row_left_by_an_older_version_is_not_listed(tmp_path):
    with Project.create(tmp_path / "p.qda") as project:
        project.coder_id("root")  # as every logged command did before
        project.coder_id("ana")
        document = project.add_document(name="a.txt", text="hello world", sha256="x", lang="en", encoding="utf-8",
                                         format="txt", source_path="a.txt", turns=[], index_bodies=[])
        code = project.add_code(Code(name="C"), None)
        project.add_coding(document, code, 0, 5, "ana")
        assert project.coders() == ["ana"]
        assert [name for _, name in project.refi_coders(worked=True).values()] == ["ana"]
