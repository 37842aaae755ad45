"""Full-text search: FTS5 over turns (Chinese segmented by jieba), with hits located in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import WorkbenchError
from .store import Project
from .text.normalize import normalize
from .text.segment import has_han, query_tokens

MAX_HITS = 2_000


@dataclass(frozen=True)
class Hit:
    document_id: int
    document: str
    turn_start: int
    turn_end: int
    speaker: str | None
    context: str
    matches: tuple[tuple[int, int], ...]  # offsets in the document of each match


def search(project: Project, term: str, limit: int = MAX_HITS) -> list[Hit]:
    """Turns containing every word of `term`; Chinese words are found inside longer runs too."""
    term = normalize(term).strip()  # documents are stored in NFC; so must the term be
    if not term:
        raise WorkbenchError("search: give a word to look for")
    tokens = query_tokens(term)
    if not tokens:
        raise WorkbenchError(f"search: {term!r} has no word to look for")
    fts = " AND ".join('"' + token.replace('"', '""') + '"' for token in tokens)
    names = {row["id"]: row["name"] for row in project.documents()}
    texts: dict[int, str] = {}
    hits: dict[tuple[int, int], Hit] = {}
    for turn_id, doc_id in project.search_turns(fts, limit):
        turn = project.turn(turn_id)
        if turn is None:
            continue
        _, start, end, speaker = turn
        context = project.slice(doc_id, start, end)
        hits[(doc_id, start)] = Hit(doc_id, names[doc_id], start, end, speaker, context,
                                    _locate(context, start, term, tokens))
    if has_han(term):
        _add_substring_hits(project, term, names, hits, texts, limit)
    return sorted(hits.values(), key=lambda h: (h.document, h.turn_start))[:limit]


def _locate(context: str, offset: int, term: str, tokens: list[str]) -> tuple[tuple[int, int], ...]:
    """The whole term where it occurs; else each of its words (English matches may be stemmed)."""
    for needles in ([term], tokens):
        found = []
        for needle in needles:
            pattern = re.compile(re.escape(needle), re.IGNORECASE)
            found += [(offset + m.start(), offset + m.end()) for m in pattern.finditer(context)]
        if found:
            return tuple(sorted(found))
    stems = [re.compile(r"\b" + re.escape(token[: max(3, len(token) - 3)]) + r"\w*", re.IGNORECASE) for token in tokens]
    return tuple(sorted((offset + m.start(), offset + m.end()) for s in stems for m in s.finditer(context)))


def _add_substring_hits(project, term, names, hits, texts, limit) -> None:
    """A Chinese term also matches where jieba cut it differently: plain substring search."""
    for doc_id, turns in _turns_containing(project, term):
        for start, end, speaker, text in turns:
            if (doc_id, start) in hits or len(hits) >= limit:
                continue
            found = tuple((start + m.start(), start + m.end()) for m in re.finditer(re.escape(term), text))
            hits[(doc_id, start)] = Hit(doc_id, names[doc_id], start, end, speaker, text, found)


def _turns_containing(project: Project, term: str):
    for doc_id, _, text in project.document_texts():
        if term not in text:
            continue
        found = []
        for turn in project.turns(doc_id):
            body = text[turn.start:turn.end]
            if term in body:
                found.append((turn.start, turn.end, turn.speaker, body))
        yield doc_id, found
