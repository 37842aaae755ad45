"""Keyword in context: every occurrence of a word with what comes before and after, aligned.

Chinese is matched on jieba word boundaries (商会 is not found inside 商会会长, nor 信任 inside
不信任, unless `subwords`), English on lemmas (trust finds trusted and trusting). Words are read
from the word index's positions, never cut again at query time. Contexts are taken from the
whole document, so they run across turns (a line break shows as ⏎) and stop at its edges.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby
from typing import NamedTuple

from .model import WorkbenchError
from .store import Project
from .text import nlp
from .text.contexts import Contexts
from .text.normalize import normalize
from .text.width import cells
from .words import NEGATIONS, ensure_index, term_lang, unpack, word_tokens

MAX_LINES = 20_000


class Line(NamedTuple):
    """One concordance line (a named tuple, not a dataclass: a query builds up to 20,000 of them)."""

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
    """Every occurrence of `term` in document order, with `width` columns of context each side.

    Whole words are read from the word index (positions stored per turn when it is built), so a
    query costs the matching turns' offsets and slices of their documents, never a re-segmentation.
    """
    term = normalize(term).strip()
    if not term:
        raise WorkbenchError("kwic: give a word to look for")
    if width < 1:
        raise WorkbenchError(f"kwic: --width {width}: give a positive number of columns")
    names = {row.id: (row.name, row.case) for row in project.documents()}
    wanted = documents if documents is not None else set(names)
    found: list[tuple[int, int, int, str | None]] = []  # (document id, start, end, speaker)
    if subwords:
        pattern = re.compile(re.escape(term), re.IGNORECASE)
        for document_id, _, text in project.document_texts():
            if document_id in wanted:
                found += [(document_id, m.start(), m.end(), None) for m in pattern.finditer(text)]
    else:
        ensure_index(project)
        indexed = _indexed_word(project, term, wanted)
        if indexed is None:  # not a single indexed word: cut the query as the text was cut
            tokens = nlp.tokenize(term)
            if not tokens:
                raise WorkbenchError(f"kwic: {term!r} has no word to look for")
            indexed = _word_matches(project, tokens, wanted)
        found = indexed
    found.sort()  # document order (positions are unique, so speakers are never compared)
    found = found[:limit]
    lines: list[Line] = []
    for document_id, group in groupby(found, key=lambda hit: hit[0]):
        hits = list(group)
        text = project.document(document_id).text
        if subwords:
            turns = [(t.start, t.speaker) for t in project.turns(document_id)]
            starts = [start for start, _ in turns]
            hits = [(d, s, e, turns[i][1] if (i := bisect_right(starts, s) - 1) >= 0 else None) for d, s, e, _ in hits]
        name, case = names[document_id]
        around = Contexts(text).lines([(start, end) for _, start, end, _ in hits], width)
        for (_, start, end, speaker), (left, right) in zip(hits, around, strict=True):
            lines.append(Line(document_id, name, start, end, left, text[start:end], right, speaker, case))
    return lines


_HAN_WORD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile("[A-Za-z\u00c0-\u024f]+")


def _indexed_word(project: Project, term: str, wanted: set[int]) -> list[tuple[int, int, int, str | None]] | None:
    """Hits of a query that is itself one indexed word (商会, 不信任, trusted), or None.

    Looked up directly, so a query does not wait for jieba's dictionary or spaCy to load.
    """
    if _HAN_WORD.fullmatch(term):
        norm = term
    elif _LATIN_WORD.fullmatch(term):
        norm = nlp.lemma(term.lower())
    else:
        return None
    rows = project.term_positions(norm, term_lang(norm), wanted)
    if not _HAN_WORD.fullmatch(term):  # French, German... words are indexed lowercase under their language
        for lang in set(project.word_langs()) - {"zh", "en", "other"}:
            rows += project.term_positions(term.lower(), lang, wanted)
    return _hits(rows) if rows else None


def _hits(rows: list) -> list[tuple[int, int, int, str | None]]:
    return [(document_id, spans[i], spans[i + 1], speaker)
            for document_id, _, speaker, blob in rows for spans in (unpack(blob),) for i in range(0, len(spans), 2)]


def _word_matches(project: Project, tokens: list, wanted: set[int]) -> list[tuple[int, int, int, str | None]]:
    """Whole-word hits from the index; phrases must also be consecutive words of the text."""
    words = word_tokens("", tokens)  # the query cut as the text was: 不信任 stays one word
    if not words:  # only stop words ("我们", "the"): not in the index, so look through every turn
        return _scan(project, [t.norm for t in tokens], wanted, None)
    per_word = [project.term_positions(norm, term_lang(norm), wanted) for norm, _, _ in words]
    if len(words) == 1 and words[0][1] == tokens[0].start and words[0][2] == tokens[-1].end:
        return _hits(per_word[0])
    turns = set.intersection(*({row[1] for row in rows} for rows in per_word))  # turns holding every word
    return _scan(project, [t.norm for t in tokens], wanted, turns) if turns else []


def _scan(project: Project, norms: list[str], wanted: set[int], turn_ids: set[int] | None
          ) -> list[tuple[int, int, int, str | None]]:
    """Consecutive tokens matching `norms` in the given turns (all turns when None)."""
    found = []
    texts: dict[int, str] = {}
    for turn_id, document_id, turn_start, turn_end, speaker, _ in project.turn_rows():
        if document_id not in wanted or (turn_ids is not None and turn_id not in turn_ids):
            continue
        if document_id not in texts:
            texts = {document_id: project.document(document_id).text}
        body = texts[document_id][turn_start:turn_end]
        tokens = nlp.tokenize(body)
        for i in range(len(tokens) - len(norms) + 1):
            if all(tokens[i + j].norm == norms[j] for j in range(len(norms))):
                if _negated(tokens, i):  # 信任 (商会) inside 不信任(商会)
                    continue
                found.append((document_id, turn_start + tokens[i].start,
                              turn_start + tokens[i + len(norms) - 1].end, speaker))
    return found


def _negated(tokens: list, i: int) -> bool:
    return (i > 0 and tokens[i].lang == "zh" and tokens[i - 1].text in NEGATIONS
            and tokens[i - 1].end == tokens[i].start)


def aligned(line: Line, width: int) -> str:
    """One concordance line: the left context right-aligned to `width` columns, the match, the right."""
    pad = " " * max(0, width - cells(line.left))
    return f"{pad}{line.left} [{line.match}] {line.right}"


def as_json(lines: list[Line]) -> list[dict]:
    return [{"document": line.document, "document_id": line.document_id, "start": line.start, "end": line.end,
             "left": line.left, "match": line.match, "right": line.right, "speaker": line.speaker, "case": line.case}
            for line in lines]
