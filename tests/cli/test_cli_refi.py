"""REFI-QDA from the command line: a .qdc codebook and a .qdpx project in and out, and hostile
archives refused in one line with the project unchanged."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from refi_samples import _qde, _source, _zip, build_rich_project, fingerprint

import workbench.backup  # noqa: F401  (registers the automatic backup before destructive work)
from workbench.cli import cli
from workbench.exchange import export_project
from workbench.store import Project


@pytest.fixture
def rich_project(tmp_path) -> Path:
    return build_rich_project(tmp_path)


def test_codebook_qdc_round_trip_through_the_cli(rich_project, tmp_path):
    runner = CliRunner()
    out = tmp_path / "book.qdc"
    result = runner.invoke(cli, ["codebook", "export", str(rich_project), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert b"urn:QDA-XML:codebook:1.0" in out.read_bytes()
    target = tmp_path / "cb.qda"
    runner.invoke(cli, ["init", str(target)])
    result = runner.invoke(cli, ["import", str(target), str(out)])
    assert result.exit_code == 0, result.output
    assert "3 codes" in result.output
    assert fingerprint(target)["codes"] == fingerprint(rich_project)["codes"]


def test_cli_imports_a_qdpx(rich_project, tmp_path):
    with Project.open(rich_project) as project:
        export_project(project, tmp_path / "p.qdpx")
    target = tmp_path / "cli.qda"
    runner = CliRunner()
    runner.invoke(cli, ["init", str(target)])
    result = runner.invoke(cli, ["import", str(target), str(tmp_path / "p.qdpx")])
    assert result.exit_code == 0, result.output
    assert "3 documents" in result.output and "6 codings" in result.output


def _project_state(path: Path) -> tuple:
    with Project.open(path) as project:
        return (project.documents(), len(project.code_tree()), len(project.codings()), len(project.memos()),
                len(project.events(limit=10_000)))


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>')


LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>')


def _hostile(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = _qde(sources=[_source("aaaaaaaa-0000-4000-8000-000000000006", "a.txt", "a.txt")])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", good)
        archive.writestr("sources/a.txt", "ok")
        archive.writestr("sources/zeros.txt", b"\0" * (20 * 1024 * 1024))
    (tmp_path / "bomb.qdpx").write_bytes(bomb.getvalue())
    (tmp_path / "notzip.qdpx").write_text("this is a transcript, not an archive", encoding="utf-8")
    return {
        "outside": (_zip(tmp_path / "outside.qdpx", {"project.qde": good, "sources/a.txt": "ok",
                                                      "../../evil.txt": "x"}), "outside the archive"),
        "xxe": (_zip(tmp_path / "xxe.qdpx", {"project.qde": XXE}), "refused"),
        "laughs": (_zip(tmp_path / "laughs.qdpx", {"project.qde": LAUGHS}), "refused"),
        "bomb": (tmp_path / "bomb.qdpx", "expand"),
        "notzip": (tmp_path / "notzip.qdpx", "not a zip"),
        "invalid": (_zip(tmp_path / "invalid.qdpx", {"project.qde": good.replace(
            'guid="aaaaaaaa-0000-4000-8000-000000000006" ', ""), "sources/a.txt": "ok"}), "not a valid REFI-QDA"),
        "malformed": (_zip(tmp_path / "malformed.qdpx", {"project.qde": good[:-20]}), "not valid XML"),
    }


def test_hostile_archives_are_refused_with_one_line_and_nothing_changes(rich_project, tmp_path):
    runner = CliRunner()
    before = _project_state(rich_project)
    for kind, (path, reason) in _hostile(tmp_path).items():
        result = runner.invoke(cli, ["import", str(rich_project), str(path)])
        assert result.exit_code != 0, kind
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1 and str(path) in errors[0] and reason in errors[0], (kind, result.output)
        assert _project_state(rich_project) == before, kind
