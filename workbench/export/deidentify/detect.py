"""Detection: candidate names, places and organisations in texts. It only PROPOSES; nothing
detected is applied until someone confirms it (`workbench pseudonyms --confirm`, the TUI)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from . import chinese, english

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_UPPER = re.compile("[A-Z]")


@dataclass(frozen=True)
class Candidate:
    """A proposed identifier: its text, what it seems to be, and how often it was seen."""

    original: str
    kind: str  # person, place, organisation
    count: int


def detect(texts: Iterable[str], english_model: object | None = None) -> list[Candidate]:
    """Candidates in these texts, most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    nlp = english_model if english_model is not None else english.trained_pipeline()
    for text in texts:
        if not text:
            continue
        if _HAN.search(text):
            counts.update(chinese.propose(text))
        if _UPPER.search(text):
            counts.update(english.propose(text, nlp))
    kinds: dict[str, Counter] = {}
    for (original, kind), count in counts.items():
        kinds.setdefault(original, Counter())[kind] += count
    return sorted(
        (Candidate(original, by_kind.most_common(1)[0][0], sum(by_kind.values()))
         for original, by_kind in kinds.items()),
        key=lambda c: (-c.count, c.original),
    )
