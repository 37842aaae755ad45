"""`import --codings`: a table of codings added once, running it makes no coder, a bad table named."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from codings_table_project import two_interviews, write_csv


@pytest.fixture
def project_path(tmp_path):
    return two_interviews(tmp_path)


def test_cli_import_codings(project_path, tmp_path):
    from workbench.cli import cli

    table = write_csv(tmp_path / "c.csv", [["document", "code", "coder", "quote"],
                                           ["P02-trader.txt", "Networks", "ana", "老乡帮忙"]])
    runner = CliRunner()
    out = runner.invoke(cli, ["import", str(project_path), str(table), "--codings"])
    assert out.exit_code == 0, out.output
    assert "1 codings added from 1 rows" in out.output
    out = runner.invoke(cli, ["import", str(project_path), str(table), "--codings"])
    assert "0 codings added" in out.output and "1 already there" in out.output
    coders = runner.invoke(cli, ["coders", str(project_path), "--json"])
    data = json.loads(coders.output)
    assert {c["name"]: c["codings"] for c in data["coders"]} == {"ana": 1}  # running it makes no coder
    missing = write_csv(tmp_path / "m.csv", [["document", "coder", "quote"], ["P02-trader.txt", "ana", "老乡"]])
    out = runner.invoke(cli, ["import", str(project_path), str(missing), "--codings"])
    assert out.exit_code != 0 and f"{missing}: no code column" in out.output
