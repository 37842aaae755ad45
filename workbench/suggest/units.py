"""Units of text the engine judges: sentences inside speaker turns, and how codings label them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Coding
from ..text.nlp import sentence_spans

SPEAKER_LABEL = re.compile(r"[ \t]*(?:\[[\d:.]+\][ \t]*)?[^\s:：。！？.!?，,][^:：\n。！？.!?，,]{0,30}[:：][ \t]*")
MIN_UNIT_CHARS = 4  # "嗯。" or "Yes." carries no topic of its own


@dataclass(frozen=True)
class Unit:
    """A sentence of a document (never crossing a turn), by character offsets."""

    document_id: int
    start: int
    end: int
    text: str
    turn: int  # index of its turn in the document, so neighbouring sentences can be joined


def document_units(document_id: int, text: str, turns: Iterable[tuple]) -> list[Unit]:
    """Sentences of every turn (the whole text when there are no turns), without speaker labels.

    Turns are (start, end, speaker); a label ("Respondent:", "受访者：") says who speaks, not what
    about; left in, a model learns that respondents' sentences carry codes.
    """
    spans = list(turns) or [(0, len(text))]
    units = []
    for index, (start, end, *speaker) in enumerate(spans):
        label = SPEAKER_LABEL.match(text, start, end) if speaker and speaker[0] else None
        if label:
            start = label.end()
        for s, e in sentence_spans(text, start, end):
            if e - s >= MIN_UNIT_CHARS:
                units.append(Unit(document_id, s, e, text[s:e], index))
    return units


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def unit_labels(units: list[Unit], codings: Iterable[Coding],
                rule: str = "half") -> tuple[list[set[int]], list[set[int]]]:
    """Per unit: the codes that label it, and the codes that only graze it (neither yes nor no).

    A code labels a sentence when its coding covers at least half of the sentence or half of
    the coding lies in it (a short phrase coded inside a long sentence still counts); a smaller
    overlap is ambiguous and kept out of both training and scoring. With `rule="any"` every
    overlap labels the sentence.
    """
    by_document: dict[int, list[Coding]] = {}
    for coding in codings:
        by_document.setdefault(coding.document_id, []).append(coding)
    labels: list[set[int]] = []
    grazed: list[set[int]] = []
    for unit in units:
        yes: set[int] = set()
        touch: set[int] = set()
        for coding in by_document.get(unit.document_id, ()):
            if coding.start >= unit.end or coding.end <= unit.start:
                continue
            shared = overlap(unit.start, unit.end, coding.start, coding.end)
            if rule == "any" or shared * 2 >= min(unit.end - unit.start, coding.end - coding.start):
                yes.add(coding.code_id)
            else:
                touch.add(coding.code_id)
        labels.append(yes)
        grazed.append(touch - yes)
    return labels, grazed
