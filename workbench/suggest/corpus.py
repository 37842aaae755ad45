"""What the suggestions learn from and judge: a project's documents as units, with people's codings.

Units are sentences inside speaker turns (`units.document_units`) and, where people code whole
turns or paragraphs, the turns themselves. Interviewers' turns are left out by default: a
question ("Do you trust the committee?") resembles every answer about trust (`text/roles.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import intervals
from ..model import Code, Coding
from ..store import Project
from ..text.roles import is_interviewer
from .units import MIN_UNIT_CHARS, SPEAKER_LABEL, Unit, document_units, unit_labels

HUMAN_ORIGINS = ("manual", "import", "suggestion", "theme")  # keyword auto-coding teaches nothing new


@dataclass(frozen=True)
class Corpus:
    """A project's documents cut into sentences (and turns), with people's codings."""

    texts: dict[int, str]
    units: list[Unit]
    codings: list[Coding]
    codes: list[Code]
    turns: list[Unit] = field(default_factory=list)  # whole turns (paragraphs), speaker labels left out
    interviewers: bool = False  # whether interviewers' turns are among the units

    def units_of(self, document_ids: Iterable[int]) -> list[Unit]:
        wanted = set(document_ids)
        return [u for u in self.units if u.document_id in wanted]

    def turns_of(self, document_ids: Iterable[int]) -> list[Unit]:
        wanted = set(document_ids)
        return [u for u in self.turns if u.document_id in wanted]


def turn_units(document_id: int, text: str, turns: Iterable[tuple]) -> list[Unit]:
    """Each turn as one unit (the whole text when there are none), without its speaker label."""
    spans = list(turns) or [(0, len(text), None)]
    found = []
    for index, (start, end, *speaker) in enumerate(spans):
        label = SPEAKER_LABEL.match(text, start, end) if speaker and speaker[0] else None
        if label:
            start = label.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= MIN_UNIT_CHARS:
            found.append(Unit(document_id, start, end, text[start:end], index))
    return found


def load_corpus(project: Project, document_ids: Iterable[int] | None = None, *,
                interviewers: bool = False) -> Corpus:
    """Every document (or those named) as sentences and turns, and the human codings.

    With `interviewers=False` (the default) the units of turns whose speaker is the interviewer
    are left out; people's codings on them still teach.
    """
    ids = [row.id for row in project.documents()] if document_ids is None else list(document_ids)
    texts: dict[int, str] = {}
    units: list[Unit] = []
    turns: list[Unit] = []
    for doc_id in ids:
        document = project.document(doc_id)
        texts[doc_id] = document.text
        spans = [(t.start, t.end, t.speaker) for t in project.turns(doc_id)]
        asking = {i for i, span in enumerate(spans) if is_interviewer(span[2])}

        def keep(unit: Unit, asking: set[int] = asking) -> bool:
            return interviewers or unit.turn not in asking
        units += [u for u in document_units(doc_id, document.text, spans) if keep(u)]
        turns += [u for u in turn_units(doc_id, document.text, spans) if keep(u)]
    codings = [c for c in project.codings() if c.origin in HUMAN_ORIGINS]
    codes = [code for root in project.code_tree() for _, code in root.walk()]
    return Corpus(texts, units, codings, codes, turns, interviewers)


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: list[set[int]]
    ignore: list[set[int]]
    groups: list[int]
    examples: dict[int, int]  # code -> distinct coded passages (overlapping codings count once)


def training_set(corpus: Corpus, document_ids: Iterable[int] | None = None, rule: str = "half") -> TrainingSet:
    """Sentences of coded documents with their codes, plus each coded passage as an example itself.

    Negatives for a code are the sentences of coded documents that nobody coded with it.
    """
    coded = {c.document_id for c in corpus.codings}
    if document_ids is not None:
        coded &= set(document_ids)
    codings = [c for c in corpus.codings if c.document_id in coded]
    units = corpus.units_of(coded)
    labels, grazed = unit_labels(units, codings, rule)
    texts = [u.text for u in units]
    groups = [u.document_id for u in units]
    # each distinct coded passage, labelled with every code that covers it
    passages = coded_passages(corpus, codings)
    passage_labels, passage_grazed = unit_labels(passages, codings, rule)
    for passage, label, graze in zip(passages, passage_labels, passage_grazed, strict=True):
        if passage.text.strip():
            texts.append(passage.text)
            labels.append(label)
            grazed.append(graze)
            groups.append(passage.document_id)
    return TrainingSet(texts, labels, grazed, groups, passage_counts(codings))


def coded_passages(corpus: Corpus, codings: Iterable[Coding]) -> list[Unit]:
    """Each distinct coded span once (two codes or two coders on one span: one passage)."""
    seen: set[tuple[int, int, int]] = set()
    passages = []
    for c in codings:
        if (c.document_id, c.start, c.end) not in seen:
            seen.add((c.document_id, c.start, c.end))
            passages.append(Unit(c.document_id, c.start, c.end, corpus.texts[c.document_id][c.start:c.end], -1))
    return passages


def passage_codes(passages: list[Unit], codings: Iterable[Coding]) -> list[set[int]]:
    """Per passage: the codes people gave exactly that span."""
    by_span: dict[tuple[int, int, int], set[int]] = {}
    for c in codings:
        by_span.setdefault((c.document_id, c.start, c.end), set()).add(c.code_id)
    return [by_span.get((p.document_id, p.start, p.end), set()) for p in passages]


def passage_counts(codings: Iterable[Coding]) -> dict[int, int]:
    """Code -> how many distinct passages people coded with it (two coders on one quote: one)."""
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for c in codings:
        spans.setdefault((c.code_id, c.document_id), []).append((c.start, c.end))
    counts: dict[int, int] = {}
    for (code_id, _), found in spans.items():
        counts[code_id] = counts.get(code_id, 0) + len(intervals.union(found))
    return counts


def training_hash(corpus: Corpus, document_ids: Iterable[int] | None = None) -> str:
    """A fingerprint of what a model learned from: the codings (code, document, span, coder)."""
    allowed = None if document_ids is None else set(document_ids)
    digest = hashlib.sha256()
    for c in sorted(corpus.codings, key=lambda c: (c.document_id, c.start, c.end, c.code_id, c.coder)):
        if allowed is None or c.document_id in allowed:
            digest.update(f"{c.document_id}:{c.code_id}:{c.start}:{c.end}:{c.coder}\n".encode())
    if corpus.interviewers:
        digest.update(b"interviewers\n")
    return digest.hexdigest()


def coding_unit(corpus: Corpus) -> str:
    """"turn" where people code whole turns or paragraphs (most passages cover most of a turn), else "sentence"."""
    if not corpus.codings or not corpus.turns:
        return "sentence"
    by_document: dict[int, list[Unit]] = {}
    for turn in corpus.turns:
        by_document.setdefault(turn.document_id, []).append(turn)
    whole = total = 0
    for passage in coded_passages(corpus, corpus.codings):
        total += 1
        for turn in by_document.get(passage.document_id, ()):
            shared = min(turn.end, passage.end) - max(turn.start, passage.start)
            if shared > 0 and shared >= 0.8 * (turn.end - turn.start) and turn.end - turn.start > 80:
                whole += 1
                break
    return "turn" if total and whole >= 0.5 * total else "sentence"


def descendants(codes: Iterable[Code]) -> dict[int, set[int]]:
    """Code id -> the ids of every code below it in the tree."""
    children: dict[int, list[int]] = {}
    for code in codes:
        if code.parent_id is not None:
            children.setdefault(code.parent_id, []).append(code.stored_id)
    found: dict[int, set[int]] = {}

    def below(code_id: int) -> set[int]:
        if code_id not in found:
            found[code_id] = set()
            for child in children.get(code_id, ()):
                found[code_id] |= {child} | below(child)
        return found[code_id]

    for code in codes:
        below(code.stored_id)
    return found


