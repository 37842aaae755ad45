"""Ranked suggestions from few examples: resemblance, not frequency, decides; random coding says so."""

from __future__ import annotations

import random

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
