"""`suggest` from the command line: proposals listed as JSON, decided several at a time, all or nothing."""

from __future__ import annotations

import json

from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import Project


def test_cli_lists_decides_and_refuses_bad_ids(study):
    runner = CliRunner()
    listed = runner.invoke(cli, ["suggest", str(study), "Z01.txt", "--method", "keyword", "--json"])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)
    assert items and set(items[0]) == {"id", "document", "code", "start", "end", "text", "score", "method"}
    assert all(item["document"] == "Z01.txt" for item in items)
    first, second = items[0]["id"], items[1]["id"]
    decided = runner.invoke(cli, ["suggest", str(study), "--accept", str(first), "--reject", str(second),
                                  "--coder", "sara", "--json"])
    assert decided.exit_code == 0, decided.output
    assert json.loads(decided.output)["rejected"] == [second]
    bad = runner.invoke(cli, ["suggest", str(study), "--accept", "9999"])
    assert bad.exit_code != 0 and "no suggestion with id 9999" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    # all or nothing: a bad id in a batch leaves the good one open
    stored = json.loads(runner.invoke(cli, ["suggest", str(study), "--stored", "--json"]).output)
    good = stored[0]["id"]
    batch = runner.invoke(cli, ["suggest", str(study), "--accept", str(good), "--accept", "9999"])
    assert batch.exit_code != 0
    with Project.open(study) as project:
        assert project.suggestion(good).status == "open"
