"""`words`, `kwic` and `themes` from the command line on the three-subject corpus."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from themes_corpus import corpus_project

from workbench.cli import cli


@pytest.fixture
def corpus(tmp_path):
    yield from corpus_project(tmp_path)


# --------------------------------------------------------------------- cli
def test_cli_words_kwic_themes(corpus, tmp_path):
    path = str(corpus.path)
    runner = CliRunner()
    result = runner.invoke(cli, ["words", path, "--json", "--top", "5", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["words"]) == 5 and all(w["lang"] == "en" for w in data["words"])
    result = runner.invoke(cli, ["words", path, "--by", "city", "--json"])
    assert "商会" in [k["term"] for k in json.loads(result.output)["groups"]["Yiwu"]]
    result = runner.invoke(cli, ["kwic", path, "房东", "--json"])
    assert result.exit_code == 0 and all(l["match"] == "房东" for l in json.loads(result.output)["lines"])
    png = tmp_path / "themes.png"
    result = runner.invoke(cli, ["themes", path, "--scope", "all", "--k", "3", "--json", "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 1000
    result = runner.invoke(cli, ["themes", path, "--runs"])
    assert "run 1" in result.output
    bad = runner.invoke(cli, ["words", path, "--png", str(tmp_path / "x.jpg")])
    assert bad.exit_code != 0 and "x.jpg" in bad.output and "png" in bad.output
    bad = runner.invoke(cli, ["themes", path, "--promote", "999", "--new-code", "X"])
    assert bad.exit_code != 0 and "no theme 999" in bad.output
