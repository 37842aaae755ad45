"""De-identification core: the normalised form, matching on it, and detection that proposes names only."""

from __future__ import annotations

import unicodedata

import pytest

from workbench.export.deidentify import detect
from workbench.export.deidentify.chinese import propose
from workbench.export.deidentify.match import Matcher
from workbench.export.deidentify.normal import fold, folded, term_key


def test_fold_makes_one_form_of_case_width_quotes_accents_and_spaces():
    assert fold("Hans Weiß") == fold("HANS WEISS") == fold("Ｈａｎｓ　Ｗｅｉß") == "hans weiss"
    assert fold("O’Brien") == fold("O'Brien") == "o'brien"
    assert fold(unicodedata.normalize("NFD", "Zürich")) == fold("Zürich") == "zurich"
    assert fold("Han\u200bs") == "hans"
    assert term_key("Chen-Jun") == term_key("chen  jun") == "chen jun"


def test_folded_offsets_map_back_to_the_original_text():
    text = "ﬁne Weiß " + unicodedata.normalize("NFD", "José") + "!"
    form = folded(text)
    start = form.folded.index("jose")
    first, last = form.span(start, start + 4)
    assert text[first:last] == unicodedata.normalize("NFD", "José")  # the accent goes with the name


@pytest.mark.parametrize("text, expected", [
    ("My name is Hans Weiß.", "My name is P01."),
    ("HANS WEISS, hans_weiss.docx", "P01, P01.docx"),
    ("Living with Li in 义乌市.", "Living with P02 in [City A]市."),
    ("Mr O’Brien met OBrien.", "Mr P03 met P03."),
    ("我叫Hans Weiß。", "我叫P01。"),
    ("略显陈旧，北京东路，在京东买的", "略显陈旧，北京东路，在[Shop]买的"),
])
def test_matcher_replaces_confirmed_terms_in_every_form_and_only_as_words(text, expected):
    terms = {"Hans Weiß": "P01", "Li": "P02", "O'Brien": "P03", "义乌": "[City A]", "陈": "[Person 9]",
             "京东": "[Shop]"}
    matcher = Matcher(terms)
    replacement = {term_key(k): v for k, v in terms.items()}
    assert matcher.replace(text, replacement) == expected


def test_chinese_detection_proposes_names_with_context_not_ordinary_words():
    ordinary = "酒店很安静，装修略显陈旧，但是感觉很温馨。笔记本是华硕的。小于十个。高级经理来了。"
    assert not [term for term, kind in propose(ordinary) if kind == "person"]
    found = {term for term, _ in propose("老陈说张伟主任帮了很多忙，王女士也来了。我叫何静，住在广州白云区。")}
    assert {"老陈", "张伟", "王女士", "何静", "广州", "白云区"} <= found


def test_english_detection_skips_capitalised_ordinary_words():
    found = {c.original for c in detect(["They were given them, Strict guidelines. Mr Okafor helped us in Yiwu."])}
    assert "Strict" not in found and "Okafor" in found and "Yiwu" in found
