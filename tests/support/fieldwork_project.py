"""The backup tests' project (a codebook, two documents, codings by two coders) and CLI helpers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner
from named import code_named
from reliability_worker import write_transcripts

from workbench.cli import cli
from workbench.codebook import parse_codebook
from workbench.codebook.ops import install
from workbench.imports import import_files
from workbench.store import Project

CODEBOOK = """
name: fieldwork
codes:
  - name: Trust
    name_zh: 信任
    color: "#1f77b4"
    children:
      - name: Distrust
      - name: Institutional trust
  - name: Housing
  - name: Work
"""


def fieldwork_project(tmp_path: Path) -> Path:
    """A small project with a codebook, two documents and codings by two coders."""
    path = tmp_path / "fieldwork.qda"
    files = write_transcripts(tmp_path / "transcripts", 2, turns=12)
    with Project.create(path) as project:
        install(project, parse_codebook(CODEBOOK, "codebook.yaml"), coder="lin")
        assert all(o.status == "imported" for o in import_files(project, files, coder="lin"))
        for start in range(0, 100, 20):
            code_named(project, files[0].name, "Trust/Distrust", start, start + 10, "lin")
            code_named(project, files[0].name, "Trust", start + 2, start + 12, "sara")
            code_named(project, files[1].name, "Institutional trust", start, start + 4, "sara")
            code_named(project, files[1].name, "Housing", start, start + 6, "lin")
    return path


def _rows(path: Path, table: str) -> list[tuple]:
    connection = sqlite3.connect(str(path))
    try:
        return sorted(connection.execute(f"SELECT * FROM {table}").fetchall())
    finally:
        connection.close()


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _fails(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]
