"""The `tui` verb decides who is coding before it builds the app (as harlequin's cli does)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from workbench.cli import cli


@pytest.fixture
def opened(monkeypatch) -> list[dict]:
    """What `tui` would open the workbench with, instead of opening it."""
    calls: list[dict] = []

    def run(path, coder=None, *, suggested_coder=None) -> None:
        calls.append({"coder": coder, "suggested": suggested_coder})

    monkeypatch.setattr("workbench.tui.app.run", run)
    return calls


def test_a_typed_coder_is_the_coder(demo_copy, opened, monkeypatch) -> None:
    monkeypatch.delenv("WORKBENCH_CODER", raising=False)
    result = CliRunner().invoke(cli, ["tui", str(demo_copy), "--coder", "lin"])
    assert result.exit_code == 0, result.output
    assert opened == [{"coder": "lin", "suggested": "lin"}]


def test_workbench_coder_in_the_environment_is_the_coder(demo_copy, opened, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_CODER", "mei")
    assert CliRunner().invoke(cli, ["tui", str(demo_copy)]).exit_code == 0
    assert opened == [{"coder": "mei", "suggested": "mei"}]


def test_the_login_name_is_only_offered(demo_copy, opened, monkeypatch) -> None:
    monkeypatch.delenv("WORKBENCH_CODER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "someone")
    assert CliRunner().invoke(cli, ["tui", str(demo_copy)]).exit_code == 0
    assert opened == [{"coder": None, "suggested": "someone"}]
