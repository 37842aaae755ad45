"""Search syntax on a small bilingual project: phrases, OR, NOT and minus, prefixes, stems, Chinese words."""

from __future__ import annotations

from pathlib import Path

import pytest
from bilingual_survey import survey_project

from workbench.search import search
from workbench.store import Project


@pytest.fixture
def project(tmp_path) -> Path:
    return survey_project(tmp_path)


def words(project: Path, term: str) -> list[list[str]]:
    with Project.open(project) as opened:
        return [[h.context[a - h.turn_start:b - h.turn_start] for a, b in h.matches] for h in search(opened, term)]


def test_a_quoted_phrase_needs_its_words_in_a_row(project):
    assert words(project, '"data quality"') == [["data quality"], ["Data quality"]]
    assert len(words(project, "data quality")) == 2  # both words anywhere: the same two turns here
    assert words(project, '"quality data"') == []


def test_a_chinese_phrase_is_its_jieba_words_in_a_row(project):
    assert words(project, '"美国经济"') == [["美国经济"], ["美国经济"]]
    assert words(project, '"经济美国"') == [["经济美国"]]  # in that order only, where it stands


def test_or_finds_either_word(project):
    bias, fairness = words(project, "bias"), words(project, "fairness")
    either = words(project, "bias OR fairness")
    assert len(either) == 4 and len(bias) == 2 and len(fairness) == 3
    assert ["Bias", "fairness"] in either


@pytest.mark.parametrize("term", ["trust* -brokers", "trust* NOT brokers"])
def test_not_and_minus_leave_turns_out(project, term):
    assert words(project, term) == [["trusted"], ["trust"]]
    assert len(words(project, "trust*")) == 3  # "trustworthy" is in the turn about brokers


def test_prefix_finds_whole_words_that_start_with_it(project):
    found = {w for hit in words(project, "trust*") for w in hit}
    assert found == {"trusted", "trustworthy", "trust"}


def test_a_stemmed_match_highlights_the_whole_word(project):
    assert words(project, "trust") == [["trusted"], ["trust"]]  # not the stem inside "trusted"


def test_chinese_or_and_not(project):
    assert len(words(project, "居委会 OR 老乡")) == 4
    assert words(project, "信任 -中介") == [["信任"], ["信任"]]
