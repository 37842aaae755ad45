"""`workbench pseudonyms`: candidates with contexts and counts, several terms decided at once."""

from __future__ import annotations

import json

from click.testing import CliRunner

from workbench.cli import cli
from workbench.export import deidentify
from workbench.store import Project


def test_candidates_listed_with_contexts_then_decided_several_at_a_time(demo_copy):
    runner = CliRunner()
    result = runner.invoke(cli, ["pseudonyms", str(demo_copy), "--detect"])
    assert result.exit_code == 0, result.output
    assert "not applied until confirmed" in result.output
    result = runner.invoke(cli, ["pseudonyms", str(demo_copy), "--json"])
    rows = {row["original"]: row for row in json.loads(result.output)}
    assert rows["Dongguan"]["status"] == "candidate" and rows["Dongguan"]["count"] >= 3
    assert any("[Dongguan]" in context for context in rows["Dongguan"]["contexts"])
    assert "Chen Jun" not in rows  # a participant's name is confirmed, not a candidate
    result = runner.invoke(cli, ["pseudonyms", str(demo_copy), "--confirm", "Dongguan", "东莞", "--reject",
                                 "Wolof", "Minnan"])
    assert result.exit_code == 0, result.output
    with Project.open(demo_copy) as project:
        status = {row.original: deidentify.status(row) for row in project.pseudonyms()}
    assert status["Dongguan"] == status["东莞"] == status["Chen Jun"] == deidentify.CONFIRMED
    assert status["Wolof"] == status["Minnan"] == deidentify.REJECTED
    result = runner.invoke(cli, ["pseudonyms", str(demo_copy), "--reject", "Chen Jun"])
    assert result.exit_code != 0 and "stays confirmed" in result.output
