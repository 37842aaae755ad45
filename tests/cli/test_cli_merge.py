"""`merge`: a dry run in JSON, the merge itself, and one-line refusals."""

from __future__ import annotations

import json

from click.testing import CliRunner


def test_cli_merge(team):
    from workbench.cli import cli

    ana, ben = team
    runner = CliRunner()
    dry = runner.invoke(cli, ["merge", str(ana), str(ben), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.output)
    assert data["dry_run"] and data["counts"]["codings added"] == 2
    done = runner.invoke(cli, ["merge", str(ana), str(ben)])
    assert done.exit_code == 0 and "brought 1 documents" in done.output
    same = runner.invoke(cli, ["merge", str(ana), str(ana)])
    assert same.exit_code != 0 and "is the project being merged into" in same.output
    missing = runner.invoke(cli, ["merge", str(ana), str(ana.parent / "nobody.qda")])
    assert missing.exit_code != 0 and "nobody.qda: no such project file" in missing.output
