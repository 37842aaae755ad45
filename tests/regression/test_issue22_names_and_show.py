"""Issue 22 (a day of use): `show` before the text starts, and 'did you mean' wherever a name is resolved."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from workbench.cli import cli


def run(*args, ok: bool = True):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_show_before_the_text_starts_says_what_is_there_and_where_the_text_starts(demo_file):
    result = run("show", demo_file, "P01-yiwu-trader.txt", "--from", 1, "--to", 6, ok=False)
    assert result.exit_code != 0
    assert "label of turn 1" in result.output and "starts at 13" in result.output
    assert "--turn 1" in result.output
    assert "Thank you for agreeing" in run("show", demo_file, "P01-yiwu-trader.txt", "--turn", 1).stdout


def test_show_says_the_language(demo_file):
    result = run("show", demo_file, "P02-yiwu-broker.txt", "--turn", 2)
    assert "language zh" in result.stderr
    assert '"lang": "zh"' in run("show", demo_file, "P02-yiwu-broker.txt", "--turn", 2, "--json").stdout


@pytest.mark.parametrize("typed, expected", [
    ("Trst", "Trust"),                 # an English name
    ("信认", "Trust"),                  # a Chinese name one character off
    ("Trust/Distrst", "Trust/Distrust"),  # a path
])
def test_code_names_get_did_you_mean(demo_copy, typed, expected):
    result = run("code", demo_copy, "P01-yiwu-trader.txt", typed, 13, 20, ok=False)
    assert result.exit_code != 0 and "did you mean" in result.output
    assert repr(expected) in result.output.split("did you mean", 1)[1]


def test_document_and_coder_names_get_did_you_mean(demo_file):
    result = run("show", demo_file, "P01-yiwu-trder.txt", ok=False)
    assert "did you mean 'P01-yiwu-trader.txt'" in result.output
    result = run("query", demo_file, "Trust", "--coded-by", "sarah", ok=False)
    assert "did you mean 'sara'" in result.output
    result = run("agree", demo_file, "--coders", "lin,sarah", ok=False)
    assert "did you mean 'sara'" in result.output
