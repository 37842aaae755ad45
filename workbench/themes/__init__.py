"""Themes: segments (sentences or turns) clustered by what they say, labelled by their own words.

`passages` collects what is clustered (participants' words, from the word index), `clustering`
groups it (TF-IDF per language or the multilingual encoder; k by stable coverage) and labels it,
`runs` compares the methods on a project, records runs and promotes a theme to suggestions.
"""

from __future__ import annotations

from .clustering import (
    EMBED_CHUNK,
    EXCERPTS,
    K_RANGE,
    METHODS,
    Clustering,
    Theme,
    class_tfidf,
    cluster,
    distinctness,
    language_groups,
    resolve_method,
    stable_coverage,
)
from .passages import DISCOURSE_WORDS, MIN_TERMS, UNITS, Passage, collect_passages, passage_lang, theme_word
from .runs import Evaluation, MethodScore, evaluate, promote, run

__all__ = [
    "DISCOURSE_WORDS", "EMBED_CHUNK", "EXCERPTS", "K_RANGE", "METHODS", "MIN_TERMS", "UNITS", "Clustering",
    "Evaluation", "MethodScore", "Passage", "Theme", "class_tfidf", "cluster", "collect_passages", "distinctness",
    "evaluate", "language_groups", "passage_lang", "promote", "resolve_method", "run", "stable_coverage",
    "theme_word",
]
