"""Ranked suggestions from few examples: resemblance, not frequency, decides; random coding says so."""

from __future__ import annotations

import random

import numpy as np
import pytest

from workbench.model import Code, Coding
from workbench.suggest import rank
from workbench.suggest.choose import GUESS, choose
from workbench.suggest.corpus import Corpus
from workbench.suggest.units import Unit

QUEUE = [  # a rare code: three passages
    "I waited in the queue at the hukou office for four hours before they saw me.",
    "We stood in line at the bureau all morning and the window closed at noon.",
    "The queue at the social insurance counter was so long that I went home.",
]
WORK = [  # a frequent code: fifteen passages
    f"At the factory my {thing} shift {how}, and the foreman {what}."
    for thing in ("night", "morning", "long", "weekend", "double")
    for how, what in (("ran late", "shouted"), ("was hard", "never paid overtime"), ("ended at ten", "checked"))
]
OTHER = ["My children go to school near the market.", "The weather in summer is hot.",
         "We moved two streets further when the rent went up.", "My mother cooks dumplings on Sundays."]
CODES = [Code(id=1, name="Queue"), Code(id=2, name="Work")]


def examples() -> rank.Examples:
    texts = QUEUE + WORK
    labels = [{1}] * len(QUEUE) + [{2}] * len(WORK)
    groups = [i % 3 for i in range(len(texts))]
    return rank.Examples(texts, labels, groups, CODES, OTHER * 3 + WORK[:3])


@pytest.mark.parametrize("method", ["nearest", "balanced", "fused"])
def test_a_code_taught_with_three_passages_is_proposed_for_a_close_paraphrase(method):
    paraphrase = "I queued at the hukou office window all morning and they sent me home."
    found = examples()
    space = rank.Space([*found.texts, *found.background, paraphrase])
    ranker = rank.fit(method, found, space, None)
    best = rank.rank(ranker, [paraphrase], top=3)[0].codes
    assert best[0][0] == 1, "the rare code that matches comes first, above the frequent one"
    assert [score for _, score in best] == sorted((score for _, score in best), reverse=True)


def test_the_prior_baseline_ranks_by_frequency_alone():
    found = examples()
    ranker = rank.fit("prior", found, rank.Space(found.texts), None)
    assert [c for c, _ in rank.rank(ranker, [QUEUE[0]])[0].codes] == [2, 1]


def _random_corpus(seed: int = 5) -> Corpus:
    """Eight documents of unrelated sentences, each coded with a code drawn at random."""
    rng = random.Random(seed)
    words = "river paper lamp orange window music garden letter silver engine coffee bridge".split()
    texts, units, codings = {}, [], []
    codes = [Code(id=k, name=f"C{k}") for k in range(1, 6)]
    for doc in range(1, 9):
        sentences = [" ".join(rng.choice(words) for _ in range(8)).capitalize() + "." for _ in range(12)]
        text = " ".join(sentences)
        texts[doc] = text
        at = 0
        for number, sentence in enumerate(sentences):
            start = text.index(sentence, at)
            at = start + len(sentence)
            units.append(Unit(doc, start, at, sentence, number))
            code = rng.choices([1, 2, 3, 4, 5], [8, 4, 2, 1, 1])[0]
            codings.append(Coding(len(codings) + 1, doc, code, start, at, "ana", "manual", ""))
    return Corpus(texts, units, codings, codes, list(units))


def test_a_project_whose_coding_is_random_would_not_beat_a_guess():
    choice = choose(None, _random_corpus())
    assert choice.method is None and choice.verified
    assert GUESS in choice.note


@pytest.mark.parametrize("method", ["balanced", "fused"])
def test_a_frequent_code_does_not_outrank_a_rare_code_that_matches_better(method):
    # mostly about the queue, with a word of factory talk: the frequent code must not win on frequency
    mixed = "After my shift I waited in the queue at the hukou office until the window closed."
    found = examples()
    ranker = rank.fit(method, found, rank.Space([*found.texts, *found.background, mixed]), None)
    scores = dict(rank.rank(ranker, [mixed])[0].codes)
    assert scores[1] > scores[2]


def test_the_sentence_threshold_is_the_cut_with_the_best_held_out_f1():
    class Fixed(rank.Ranker):  # scores fixed by hand: code 1 is right when it scores high
        def raw(self, texts):
            return np.array([[float(t.split()[0]), 0.0] for t in texts])

    ranker = Fixed("fixed", code_ids=[1, 2], slope=1.0, offset=0.0)
    ranker.mean, ranker.spread = np.zeros(2), np.ones(2)
    sentences = rank.Sentences(["3 a", "2 b", "1 c", "-2 d"], [{1}, {1}, set(), set()], [set()] * 4, [0] * 4)
    cut = rank.sentence_threshold(ranker, sentences, top=1)
    assert ranker.probability(np.array([1.0]))[0] < cut < ranker.probability(np.array([2.0]))[0]
    assert rank.sentence_threshold(ranker, rank.Sentences()) == rank.DEFAULT_THRESHOLD


def test_balanced_keeps_every_positive_and_its_sampled_negatives_weigh_as_all_of_them(monkeypatch):
    monkeypatch.setattr(rank, "BALANCED_NEGATIVES", 10)
    labels = np.array([1] * 4 + [0] * 40, dtype=np.float32)
    rows, weights = rank._rows_for(labels, code_id=7, balanced=True)
    assert set(np.flatnonzero(labels == 1)) <= set(rows.tolist()) and len(rows) == 14
    kept = labels[rows] == 0
    assert weights[kept].sum() == pytest.approx(weights[~kept].sum())  # the two classes weigh the same
    assert weights[kept].sum() == pytest.approx(len(labels) / 2)
