"""Intercoder agreement against hand-worked examples, and against scikit-learn and krippendorff."""

from __future__ import annotations

import math
import random

import pytest

from workbench.agreement import (
    alpha_binary, character_agreement, cohen_kappa_2x2, coverage_runs, fleiss_kappa,
    krippendorff_alpha, segment_agreement, sklearn_kappa,
)
from workbench.model import WorkbenchError

# Two documents both coders coded (D1: 20 characters, D2: 10) and one only A touched (D3).
D1, D2, D3 = 1, 2, 3
LENGTHS = {D1: 20, D2: 10, D3: 15}
MARKS = [
    (D1, "Trust", "A", 0, 10),
    (D1, "Trust", "B", 5, 15),
    (D2, "Trust", "B", 0, 2),
    (D2, "Hukou", "A", 0, 4),  # a code only A used
    (D3, "Hukou", "A", 0, 5),  # a document only A touched: left out of every figure
]


def stats_of(result, code):
    return dict(result.codes)[code]


def test_character_level_two_coders_matches_the_hand_worked_tables():
    result = character_agreement(MARKS, LENGTHS, ["A", "B"])
    assert result.documents == (D1, D2)  # D3 only A touched
    trust = stats_of(result, "Trust")
    # Trust over 30 characters: both 5 (D1 5–10), only A 5 (D1 0–5), only B 7 (D1 10–15, D2 0–2),
    # neither 13. po = 18/30 = 0.6; pA = 10/30, pB = 12/30;
    # pe = 1/3·0.4 + 2/3·0.6 = 0.5333…; kappa = (0.6 − 0.5333)/(1 − 0.5333) = 1/7.
    assert trust.table == (5, 5, 7, 13)
    assert trust.percent == pytest.approx(60.0)
    assert trust.kappa == pytest.approx(1 / 7)
    assert trust.chars == (10, 12)
    # alpha: 30 units of two values; coincidences: 12 units disagree, yes = 2·5 + 12 = 22,
    # no = 12 + 2·13 = 38, n = 60: alpha = 1 − 59·12/(22·38) = 1 − 708/836 = 32/209.
    assert trust.alpha == pytest.approx(32 / 209)
    hukou = stats_of(result, "Hukou")
    # Only A used it: both 0, only A 4, only B 0, neither 26. po = 26/30 = pe: kappa 0.
    # alpha: yes = 4, no = 56, 4 disagreements: 1 − 59·4/(4·56) = −3/56.
    assert hukou.table == (0, 4, 0, 26)
    assert hukou.kappa == pytest.approx(0.0)
    assert hukou.percent == pytest.approx(100 * 26 / 30)
    assert hukou.alpha == pytest.approx(-3 / 56)
    # Pooled over both codes (60 items): both 5, only A 9, only B 7, neither 39.
    # po = 44/60; pe = (14·12 + 46·48)/3600 = 0.66; kappa = (0.7333 − 0.66)/0.34 = 11/51.
    # alpha: 16 disagreements, yes 26, no 94: 1 − 119·16/(26·94) = 540/2444.
    assert result.overall.table == (5, 9, 7, 39)
    assert result.overall.kappa == pytest.approx(11 / 51)
    assert result.overall.alpha == pytest.approx(540 / 2444)
    assert result.mean_kappa == pytest.approx((1 / 7 + 0) / 2)


def test_character_level_disagreements_are_the_stretches_where_coders_differ():
    result = character_agreement(MARKS, LENGTHS, ["A", "B"])
    found = [(d.document, d.code, d.start, d.end, d.applied_by) for d in result.disagreements]
    assert found == [
        (D1, "Trust", 0, 5, ("A",)), (D1, "Trust", 10, 15, ("B",)),
        (D2, "Hukou", 0, 4, ("A",)), (D2, "Trust", 0, 2, ("B",)),
    ]


def test_fleiss_kappa_for_three_coders_matches_the_hand_worked_example():
    # One 10-character document; X by A 0–6, B 0–4, C 2–8. Characters with k coders saying yes:
    # 0–1: 2, 2–3: 3, 4–5: 2, 6–7: 1, 8–9: 0. Per character P_i = (k² + (3−k)² − 3)/6:
    # 1/3, 1, 1/3, 1/3, 1 -> P̄ = (2/3 + 2 + 2/3 + 2/3 + 2)/10 = 0.6; p_yes = 16/30;
    # Pe = (16² + 14²)/30² = 452/900; kappa = (540 − 452)/(900 − 452) = 88/448 = 11/56.
    marks = [(1, "X", "A", 0, 6), (1, "X", "B", 0, 4), (1, "X", "C", 2, 8)]
    result = character_agreement(marks, {1: 10}, ["A", "B", "C"])
    x = stats_of(result, "X")
    assert x.kappa == pytest.approx(11 / 56)
    assert x.percent == pytest.approx(40.0)  # all three agree on 2–3 and 8–9
    # alpha: disagreeing pairs per unit k(3−k)/2 -> 4·1 + 2·1 = 6; yes 16, no 14, n 30:
    # 1 − 29·6/(16·14) = 25/112.
    assert x.alpha == pytest.approx(25 / 112)
    assert x.chars == (6, 4, 6)
    assert x.table is None


TEXT = "我们很信任居委会。We trust the committee here. 但是外地人不一样！Outsiders wait longer? 最后还是靠老乡。"
SENTENCES = [(0, 9), (9, 37), (38, 47), (47, 69), (70, 78)]


def test_segment_level_counts_a_sentence_by_overlap_or_by_share():
    from workbench.text.segment import sentence_spans

    assert sentence_spans(TEXT) == SENTENCES
    marks = [
        (1, "Trust", "A", 0, 9), (1, "Trust", "A", 12, 30),  # sentences 1 and 2
        (1, "Trust", "B", 2, 8),  # sentence 1
        (1, "Trust", "B", 45, 47),  # the last two characters of sentence 3
    ]
    units = {1: SENTENCES}
    # Any overlap: A = 1 1 0 0 0, B = 1 0 1 0 0. po = 3/5; pA = pB = 0.4; pe = 0.16 + 0.36 = 0.52;
    # kappa = 0.08/0.48 = 1/6. alpha: 2 disagreeing units, yes 4, no 6, n 10: 1 − 9·2/24 = 1/4.
    any_overlap = segment_agreement(marks, {1: len(TEXT)}, ["A", "B"], units)
    trust = stats_of(any_overlap, "Trust")
    assert trust.kappa == pytest.approx(1 / 6)
    assert trust.kappa == pytest.approx(sklearn_kappa([1, 1, 0, 0, 0], [1, 0, 1, 0, 0]))
    assert trust.alpha == pytest.approx(1 / 4)
    assert trust.alpha == pytest.approx(krippendorff_alpha([[1, 1, 0, 0, 0], [1, 0, 1, 0, 0]]))
    assert trust.percent == pytest.approx(60.0)
    assert trust.coded == (2, 2)
    # At least half of a sentence: B's two characters of sentence 3 no longer count.
    # A = 1 1 0 0 0, B = 1 0 0 0 0: po = 0.8, pe = 0.4·0.2 + 0.6·0.8 = 0.56, kappa = 0.24/0.44 = 6/11;
    # alpha: 1 disagreement, yes 3, no 7: 1 − 9/21 = 4/7.
    half = stats_of(segment_agreement(marks, {1: len(TEXT)}, ["A", "B"], units, min_share=0.5), "Trust")
    assert half.kappa == pytest.approx(6 / 11)
    assert half.alpha == pytest.approx(4 / 7)
    listed = [(d.start, d.end, d.applied_by) for d in any_overlap.disagreements]
    assert listed == [(9, 37, ("A",)), (38, 47, ("B",))]


def test_segment_level_alpha_takes_a_coder_who_skipped_a_document_as_missing():
    # Three coders; document 2 only A and B coded: kappa (Fleiss) uses document 1 only, alpha both.
    marks = [(1, "X", "A", 0, 5), (1, "X", "B", 0, 5), (1, "Y", "C", 10, 15),
             (2, "X", "A", 0, 5), (2, "X", "B", 6, 9)]
    units = {1: [(0, 5), (5, 10), (10, 15)], 2: [(0, 5), (5, 10)]}
    result = segment_agreement(marks, {1: 15, 2: 10}, ["A", "B", "C"], units)
    assert result.documents == (1,) and result.alpha_documents == (1, 2)
    nan = math.nan
    x = stats_of(result, "X")
    assert x.alpha == pytest.approx(krippendorff_alpha([[1, 0, 0, 1, 0], [1, 0, 0, 0, 1], [0, 0, 0, nan, nan]]))
    assert x.units == 3


def test_the_sweep_agrees_with_scikit_learn_and_krippendorff_on_random_codings():
    import numpy as np

    rng = random.Random(7)
    checked = 0
    for _ in range(60):
        coders = ["A", "B", "C"][: rng.choice([2, 3])]
        lengths = {d: rng.randint(5, 40) for d in range(3)}
        marks = []
        for d, length in lengths.items():
            for coder in coders:
                for _ in range(rng.randint(0, 3)):
                    start = rng.randrange(length)
                    marks.append((d, rng.choice("XY"), coder, start, rng.randint(start + 1, length)))
        result = character_agreement(marks, lengths, coders)
        touched = {d: {m[2] for m in marks if m[0] == d} for d in lengths}
        for code, stats in result.codes:
            rows = {c: [] for c in coders}
            for d in sorted(lengths):
                if len(touched[d]) < 2:
                    continue
                for c in coders:
                    cells = [0] * lengths[d]
                    for doc, name, who, s, e in marks:
                        if (doc, name, who) == (d, code, c):
                            cells[s:e] = [1] * (e - s)
                    rows[c] += cells if c in touched[d] else [np.nan] * lengths[d]
            expected = krippendorff_alpha([rows[c] for c in coders])
            assert (stats.alpha is None) == (expected is None)
            if expected is not None:
                assert stats.alpha == pytest.approx(expected)
            if len(coders) == 2:  # kappa is checked whenever it exists, and is None exactly when the reference is
                keep = [i for i, v in enumerate(rows["A"]) if not np.isnan(v)]
                reference = sklearn_kappa([rows["A"][i] for i in keep], [rows["B"][i] for i in keep]) if keep else None
                assert (stats.kappa is None) == (reference is None)
                if reference is not None:
                    assert stats.kappa == pytest.approx(reference)
                    checked += 1
    assert checked > 20  # the loop compared many kappas, not none


def test_the_building_blocks():
    assert coverage_runs([[(0, 4)], [(2, 6)]], 8) == [(0, 2, 1), (2, 4, 3), (4, 6, 2), (6, 8, 0)]
    assert cohen_kappa_2x2(0, 0, 0, 10) is None  # nobody coded: chance agreement is total
    assert fleiss_kappa({(3, 0): 5.0}, 3) is None
    assert alpha_binary({(2, 2): 3.0}) is None
    with pytest.raises(WorkbenchError, match="two coders"):
        character_agreement(MARKS, LENGTHS, ["A"])
