"""Keyword in context: every occurrence of a word with what comes before and after, aligned.

Chinese is matched on jieba word boundaries (商会 is not found inside 商会会长 unless
`subwords`), English on lemmas (trust finds trusted and trusting). Contexts are taken from the
whole document, so they run across turns (a line break shows as ⏎) and stop at its edges.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import WorkbenchError
from .store import Project
from .text import nlp
from .text.normalize import normalize
from .text.segment import has_han
from .words import ensure_index, term_lang

BREAK = "⏎"  # a line break inside a context, so every line stays one line
MAX_LINES = 20_000


@dataclass(frozen=True)
class Line:
    document_id: int
    document: str
    start: int  # the match, as offsets into the document's text
    end: int
    left: str  # up to `width` display columns before the match (fewer at the document's start)
    match: str
    right: str
    speaker: str | None = None
    case: str | None = None


def kwic(
    project: Project, term: str, *, width: int = 30, subwords: bool = False,
    documents: set[int] | None = None, limit: int = MAX_LINES,
) -> list[Line]:
    """Every occurrence of `term` in document order, with `width` columns of context each side."""
    term = normalize(term).strip()
    if not term:
        raise WorkbenchError("kwic: give a word to look for")
    if width < 1:
        raise WorkbenchError(f"kwic: --width {width}: give a positive number of columns")
    query = [t for t in nlp.tokenize(term)]
    if not query and not subwords:
        raise WorkbenchError(f"kwic: {term!r} has no word to look for")
    names = {row["id"]: (row["name"], row["case"]) for row in project.documents()}
    wanted = documents if documents is not None else set(names)
    found: list[tuple[int, int, int]] = []  # (document id, start, end)
    if subwords:
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        for document_id, _, text in project.document_texts():
            if document_id in wanted:
                found += [(document_id, m.start(), m.end()) for m in pattern.finditer(text)]
    else:
        found = _word_matches(project, term, query, wanted)
    found.sort()
    lines = []
    texts: dict[int, str] = {}
    speakers: dict[int, list] = {}
    for document_id, start, end in found[:limit]:
        if document_id not in texts:
            texts[document_id] = project.document(document_id).text
            speakers[document_id] = [(t.start, t.end, t.speaker) for t in project.turns(document_id)]
        text = texts[document_id]
        speaker = next((s for ts, te, s in speakers[document_id] if ts <= start < max(te, ts + 1)), None)
        name, case = names[document_id]
        lines.append(Line(document_id, name, start, end, left_context(text, start, width), text[start:end],
                          right_context(text, end, width), speaker, case))
    return lines


def _word_matches(project: Project, term: str, query: list, wanted: set[int]) -> list[tuple[int, int, int]]:
    norms = [t.norm for t in query]
    turns = {row[0]: row for row in project.turn_rows() if row[1] in wanted}
    single = len(query) == 1 and not query[0].is_stop
    if single:
        ensure_index(project)
        candidates = project.turns_with_term(norms[0], term_lang(norms[0]))
        candidates = {turn_id: n for turn_id, n in candidates.items() if turn_id in turns}
    else:  # phrases and stop words are not in the index: look at every turn that could hold them
        candidates = {turn_id: None for turn_id in turns}
    found = []
    texts: dict[int, str] = {}
    han = has_han(term)
    for turn_id in sorted(candidates, key=lambda t: (turns[t][1], turns[t][2])):
        _, document_id, turn_start, turn_end, _, _ = turns[turn_id]
        if document_id not in texts:
            texts[document_id] = project.document(document_id).text
        body = texts[document_id][turn_start:turn_end]
        if han:
            if term not in body:
                continue
            hits = [m.start() for m in re.finditer(re.escape(term), body)]
            if single and len(hits) == candidates[turn_id] and len(query[0].text) == len(term):
                # every occurrence is a whole word (the index says so): no need to cut the turn again
                found += [(document_id, turn_start + h, turn_start + h + len(term)) for h in hits]
                continue
        tokens = nlp.tokenize(body)
        for i in range(len(tokens) - len(norms) + 1):
            if all(tokens[i + j].norm == norms[j] for j in range(len(norms))):
                found.append((document_id, turn_start + tokens[i].start, turn_start + tokens[i + len(norms) - 1].end))
    return found


# ---------------------------------------------------------------- context
def columns(text: str) -> int:
    """Display width: Chinese characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _flat(text: str) -> str:
    return re.sub(r"[ \t]*\n[ \t\n]*", BREAK, text).replace("\t", " ")


def left_context(text: str, start: int, width: int) -> str:
    """The `width` columns before `start`, whole characters only; shorter at the document's start."""
    raw = text[max(0, start - width * 2):start]
    piece = _flat(raw.lstrip() if start - width * 2 <= 0 else raw)  # no break shown before the first line
    out, used = [], 0
    for ch in reversed(piece):
        w = columns(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(reversed(out))


def right_context(text: str, end: int, width: int) -> str:
    raw = text[end:end + width * 2]
    piece = _flat(raw.rstrip() if end + width * 2 >= len(text) else raw)  # nor after the last
    out, used = [], 0
    for ch in piece:
        w = columns(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def aligned(line: Line, width: int) -> str:
    """One concordance line: the left context right-aligned to `width` columns, the match, the right."""
    pad = " " * max(0, width - columns(line.left))
    return f"{pad}{line.left} [{line.match}] {line.right}"


def as_json(lines: list[Line]) -> list[dict]:
    return [{"document": l.document, "document_id": l.document_id, "start": l.start, "end": l.end,
             "left": l.left, "match": l.match, "right": l.right, "speaker": l.speaker, "case": l.case}
            for l in lines]
