"""Offsets between other programs' texts and ours: combining marks and Hangul jamo composed (NFC),
BOMs, CRLF and lone CR, UTF-16 units around astral characters, and spans kept inside a text."""

from __future__ import annotations

import unicodedata

import pytest

from workbench.exchange.positions import Utf16Map, astral_indices, clamp_span, normalise
from workbench.text.normalize import normalize


def _carries(raw: str) -> None:
    """Every kept character's raw offset maps to where it is in our text, and back."""
    done = normalise(raw)
    assert done.text == normalize(raw)
    assert done.raw_length == len(raw)
    kept = [i for i in range(len(raw)) if i not in set(done.removed)]
    assert len(kept) == len(done.text)
    for ours, raw_index in enumerate(kept):
        assert done.from_raw(raw_index) == ours
        assert done.to_raw(ours) == raw_index


@pytest.mark.parametrize("raw", [
    "cafe\u0301 ok",  # e + combining acute: one character é
    "A\u030a\u0301x",  # two combining marks on one letter (Ǻ)
    "\u1100\u1161\u11a8 \u1112\u1161\u11ab",  # Hangul jamo: 각 한, each three jamo composed into one syllable
    "\ufeff\ufeffab\r\n\u1100\u1161\r\ne\u0301\rz",  # BOMs, CRLF, jamo, a combining mark, a lone CR
    "plain ascii\nonly",
])
def test_offsets_survive_composition_and_line_ends(raw):
    _carries(raw)


def test_hangul_jamo_compose_into_syllables_and_offsets_follow():
    raw = "\u1100\u1161\u11a8x"  # 각 then x
    done = normalise(raw)
    assert done.text == "각x" and done.removed == (1, 2)
    assert done.from_raw(3) == 1 and done.from_raw(1) == 1  # a dropped jamo maps to what follows it
    assert done.to_raw(1) == 3


def test_a_combining_mark_goes_into_its_letter():
    raw = "ne\u0301e"
    done = normalise(raw)
    assert done.text == "n\u00e9e" and done.removed == (2,)
    assert [done.from_raw(i) for i in range(5)] == [0, 1, 2, 2, 3]


def test_crlf_and_lone_cr_become_lf_and_boms_at_the_start_go():
    done = normalise("\ufeffa\r\nb\rc")
    assert done.text == "a\nb\nc" and done.removed == (0, 2)  # the BOM and the CR of the CRLF
    assert done.from_raw(4) == 2 and done.from_raw(6) == 4
    assert normalise("\r\r\n\r").text == "\n\n\n"


def test_text_that_does_not_compose_run_by_run_is_left_uncomposed():
    """Composition-excluded characters grow under NFC: no offset map would fit, so NFC is left out."""
    raw = "a\u0958b"  # DEVANAGARI QA decomposes under NFC
    assert len(unicodedata.normalize("NFC", raw)) > len(raw)
    done = normalise(raw)
    assert done.text == raw and done.removed == ()


def test_utf16_units_around_astral_characters():
    text = "😀a𠮷"
    units = Utf16Map.of(text)
    assert astral_indices(text) == [0, 2] and units.astral == (0, 2)
    assert units.units == 5 and units.length == 3
    assert [units.to_units(i) for i in range(4)] == [0, 2, 3, 5]
    assert [units.from_units(u) for u in range(6)] == [0, 0, 1, 2, 2, 3]  # inside a pair rounds down
    plain = Utf16Map.of("abc 中文")
    assert plain.astral == () and plain.units == 6 and plain.from_units(4) == 4 and plain.to_units(5) == 5
    assert astral_indices("中文") == [] and astral_indices("ascii") == []


def test_a_span_is_kept_only_inside_the_text():
    assert clamp_span(0, 5, 5) == (0, 5) and clamp_span(2, 3, 5) == (2, 3)
    assert clamp_span(-1, 3, 5) is None and clamp_span(2, 6, 5) is None and clamp_span(3, 3, 5) is None
    assert clamp_span(4, 2, 5) is None


def test_a_character_nfc_replaces_on_its_own_and_the_last_hangul_final_compose():
    assert normalise("\u212b").text == "\u00c5"  # ANGSTROM SIGN is Å
    assert normalise("x\u212b").text == "x\u00c5"
    done = normalise("\u1100\u1161\u11c2.")  # ᄀ ᅡ ᇂ: 갛, with the last final jamo there is
    assert done.text == "갛." and done.from_raw(3) == 1
