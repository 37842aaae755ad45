"""`workbench demo`: builds the demo project in the data folder and keeps the user's changes."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import Project


def test_cli_demo_builds_in_the_data_folder_and_keeps_changes_when_run_again():
    home = Path(os.environ["WORKBENCH_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "demo.qda.building").write_bytes(b"left by a killed build")
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "--no-tui"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    path = home / "demo.qda"
    assert first.stdout.strip() == str(path)
    assert "125 codings and 18 memos by lin, sara" in first.stderr
    assert not list(home.glob("*.building*"))
    code = runner.invoke(cli, ["code", str(path), "P02-yiwu-broker.txt", "信任", "0", "3"])
    assert code.exit_code == 0, code.output
    again = runner.invoke(cli, ["demo", str(home), "--no-tui"], catch_exceptions=False)
    assert again.exit_code == 0 and "already built" in again.stderr
    with Project.open(path) as project:
        assert len(project.documents()) == 9 and project.code_count() == 34
        assert project.coding_count() == 126 and "tester" in project.coders()
