"""Word frequencies and characteristic words (keyness), in Chinese (jieba words) and English (lemmas).

Counts come from an index built once per document (lazily, the first time words are asked for,
and again for documents imported since), so a frequency list over millions of characters is a
SQL sum rather than a re-segmentation; the same pass stores each word's offsets per turn for
KWIC and themes. Passages of a code are counted directly, since a coding may start and end
inside turns.
"""

from __future__ import annotations

import functools
import math
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import WorkbenchError
from .store import Project
from .text import nlp
from .text.segment import has_han

# Bump when tokenisation or filtering changes: documents indexed with another version are redone.
INDEX_VERSION = "terms-3"  # 2: token positions for KWIC and themes; 3: lemma overrides (rent, data, housing)
LANGS = ("zh", "en")

Progress = Callable[[int, int], object]


@dataclass(frozen=True)
class WordCount:
    term: str
    lang: str
    n: int
    per_10k: float  # occurrences per 10,000 counted words of the scope


@dataclass(frozen=True)
class WordTable:
    """A frequency list with the size of what was counted, so shares can be read and compared."""

    rows: tuple[WordCount, ...]
    total: int  # counted words (stop words and fillers excluded) in the scope
    documents: int
    scope: str


@dataclass(frozen=True)
class Keyword:
    """A word over-represented in one group against all the others (Dunning's log-likelihood G²)."""

    term: str
    lang: str
    n: int  # in the group
    n_rest: int  # in the other groups
    per_10k: float
    per_10k_rest: float
    g2: float


@dataclass(frozen=True)
class KeynessTable:
    by: str
    groups: dict[str, tuple[Keyword, ...]]
    totals: dict[str, int]  # counted words per group


@functools.lru_cache(maxsize=262_144)
def term_lang(term: str) -> str:
    """The language a counted term belongs to: Han words are zh, Latin lemmas en."""
    if has_han(term):
        return "zh"
    if any("a" <= ch <= "z" or "\u00c0" <= ch <= "\u024f" for ch in term):
        return "en"
    return "other"


def count_terms(text: str) -> Counter:
    """(term, lang) -> count for one stretch of text, the way every count in the workbench is made."""
    return Counter((term, term_lang(term)) for term in nlp.terms(text))


# A negation glued to a word by jieba's cut (不 + 信任) makes a longer word for KWIC: 信任 is not found
# inside 不信任, and `kwic 不信任` finds it. Counts are unchanged (信任 is counted, as nlp.terms does).
NEGATIONS = frozenset("不没非")


def word_tokens(text: str, tokens: list[nlp.Token] | None = None) -> list[tuple[str, int, int]]:
    """(norm, start, end) of the words KWIC can find: non-stop jieba words (negations joined) and lemmas.

    `tokens` are the text's tokens when already cut (the word index passes them).
    """
    tokens = nlp.tokenize(text) if tokens is None else tokens
    found: list[tuple[str, int, int]] = []
    previous = None
    for tok in tokens:
        if (tok.lang == "zh" and previous is not None and previous.text in NEGATIONS
                and previous.end == tok.start and not tok.is_stop):
            if found and found[-1][1] == previous.start:  # 非 is a word of its own: replaced by 非信任
                found.pop()
            found.append((previous.text + tok.norm, previous.start, tok.end))
        elif not tok.is_stop and not (tok.lang == "en" and len(tok.norm) < 2):
            found.append((tok.norm, tok.start, tok.end))
        previous = tok
    return found


def pack(spans: list[int]) -> bytes:
    """Offsets as little-endian uint32 (start, end, start, end, ...): compact and read without parsing."""
    packed = array("I", spans)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack(blob: bytes) -> array:
    packed = array("I")
    packed.frombytes(blob)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


# ------------------------------------------------------------------- index
BATCH_CHARS = 2_000_000  # one transaction per this much text: few commits, and an interrupted build keeps most


# Only these English words are ever dropped by context in nlp.terms ("you know", "I mean,", "kind of",
# "like,"): a turn without them has exactly its non-stop tokens as terms, so it is cut only once.
_CONTEXT_FILLERS = frozenset({"know", "mean", "kind", "sort", "like"})


def index_document(text: str, turns: list[tuple[int, int, int]]) -> tuple[Counter, dict]:
    """The document's (term, lang) counts, and per turn (id, start, end) the packed offsets of each word."""
    counts: Counter = Counter()
    positions: dict[int, dict[tuple[str, str], bytes]] = {}
    for turn_id, start, end in turns:
        body = text[start:end]
        tokens = nlp.tokenize(body)
        kept = [t for t in tokens if not t.is_stop and not (t.lang == "en" and len(t.norm) < 2)]
        if any(t.lang == "en" and t.text.lower() in _CONTEXT_FILLERS for t in kept):
            counts.update((term, term_lang(term)) for term in nlp.terms(body))
        else:
            counts.update((t.norm, term_lang(t.norm)) for t in kept)
        spans: dict[tuple[str, str], list[int]] = defaultdict(list)
        for norm, s, e in word_tokens(body, tokens):
            spans[(norm, term_lang(norm))] += (start + s, start + e)
        positions[turn_id] = {key: pack(offsets) for key, offsets in spans.items()}
    return counts, positions


def ensure_index(project: Project, progress: Progress | None = None) -> int:
    """Index the documents that lack word counts (new since the last call); returns how many."""
    pending = project.documents_lacking_word_counts(INDEX_VERSION)
    if not pending:
        return 0
    turns: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    wanted = set(pending)
    for turn_id, document_id, start, end, _, _ in project.turn_rows():
        if document_id in wanted:
            turns[document_id].append((turn_id, start, end))
    batch: list = []
    size = 0
    for done, document_id in enumerate(pending, 1):
        text = project.document(document_id).text
        batch.append((document_id, *index_document(text, turns[document_id])))
        size += len(text)
        if size >= BATCH_CHARS or done == len(pending):
            with project.transaction():
                project.store_word_index(INDEX_VERSION, batch)
            batch, size = [], 0
        if progress:
            progress(done, len(pending))
    with project.transaction():
        project.log("words index", {"documents": len(pending), "version": INDEX_VERSION})
    return len(pending)


# ------------------------------------------------------------------- scope
def scope_documents(project: Project, where: dict[str, str] | None) -> set[int] | None:
    """Documents allowed by --where, or None for all of them."""
    from .coding import documents_matching

    return documents_matching(project, where) if where else None


def passage_counts(project: Project, code: str, where: dict[str, str] | None = None) -> dict[int, Counter]:
    """Document id -> term counts over the passages of a code (sub-codes included), overlaps once."""
    from . import intervals
    from .coding import retrieve

    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for segment in retrieve(project, code, where=where):
        spans[segment.document_id].append((segment.start, segment.end))
    counts: dict[int, Counter] = {}
    for document_id, ranges in spans.items():
        text = project.document(document_id).text
        total: Counter = Counter()
        for start, end in intervals.union(ranges):
            total.update(count_terms(text[start:end]))
        counts[document_id] = total
    return counts


def frequencies(
    project: Project, *, code: str | None = None, where: dict[str, str] | None = None,
    lang: str | None = None, top: int | None = 50, progress: Progress | None = None,
) -> WordTable:
    """The most frequent words of all text, of a code's passages, or of the documents matching --where."""
    _check_lang(lang)
    ensure_index(project, progress)
    allowed = scope_documents(project, where)
    if code is not None:
        by_document = passage_counts(project, code, where)
        merged: Counter = Counter()
        for counts in by_document.values():
            merged.update(counts)
        rows = [(term, term_lang_, n) for (term, term_lang_), n in merged.items()]
        documents = len(by_document)
    else:
        rows, _ = project.word_totals(allowed)
        documents = len(allowed) if allowed is not None else len(project.words_per_document())
    if lang:
        rows = [row for row in rows if row[1] == lang]
    total = sum(n for _, _, n in rows)
    rows = sorted(rows, key=lambda r: (-r[2], r[1], r[0]))
    if top is not None:
        rows = rows[:top]
    scope = " · ".join(part for part in (
        f"code {code}" if code else "all text",
        ", ".join(f"{k}={v}" for k, v in (where or {}).items()),
        f"lang {lang}" if lang else "",
    ) if part)
    return WordTable(tuple(WordCount(t, l, n, _per_10k(n, total)) for t, l, n in rows), total, documents, scope)


def keyness(
    project: Project, by: str, *, code: str | None = None, where: dict[str, str] | None = None,
    lang: str | None = None, top: int = 15, min_count: int = 3, progress: Progress | None = None,
) -> KeynessTable:
    """Each group's characteristic words (documents grouped by a case attribute, e.g. city)."""
    _check_lang(lang)
    ensure_index(project, progress)
    allowed = scope_documents(project, where)
    group_of = _groups(project, by)
    if not any(value != "(none)" for value in group_of.values()):
        raise WorkbenchError(f"--by {by}: no case has the attribute {by!r} (see the participants table)")
    per_group: dict[str, Counter] = defaultdict(Counter)
    if code is not None:
        for document_id, counts in passage_counts(project, code, where).items():
            per_group[group_of.get(document_id, "(none)")].update(counts)
    else:
        for document_id, term, term_lang_, n in project.word_counts_by_document():
            if allowed is None or document_id in allowed:
                per_group[group_of.get(document_id, "(none)")][(term, term_lang_)] += n
    if lang:
        per_group = defaultdict(Counter, {g: Counter({k: n for k, n in c.items() if k[1] == lang})
                                          for g, c in per_group.items()})
    return keyness_of(per_group, by, top=top, min_count=min_count)


def keyness_of(per_group: dict[str, Counter], by: str, top: int = 15, min_count: int = 3) -> KeynessTable:
    """Log-likelihood keyness of every group against the rest of the corpus (pure arithmetic)."""
    overall: Counter = Counter()
    for counts in per_group.values():
        overall.update(counts)
    grand = sum(overall.values())
    totals = {group: sum(counts.values()) for group, counts in per_group.items()}
    groups: dict[str, tuple[Keyword, ...]] = {}
    for group in sorted(per_group):
        counts, size = per_group[group], totals[group]
        rest_size = grand - size
        found = []
        for key, a in counts.items():
            if a < min_count:
                continue
            b = overall[key] - a
            if rest_size and a / size <= b / rest_size:
                continue  # keep only words a group uses more than the others do
            found.append(Keyword(key[0], key[1], a, b, _per_10k(a, size), _per_10k(b, rest_size),
                                 round(log_likelihood(a, b, size, rest_size), 2)))
        found.sort(key=lambda k: (-k.g2, -k.n, k.term))
        groups[group] = tuple(found[:top])
    return KeynessTable(by, groups, totals)


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G² for a word seen a times in c words against b times in d words."""
    if c == 0 or d == 0:
        return 0.0
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g2 = 0.0
    if a:
        g2 += a * math.log(a / e1)
    if b:
        g2 += b * math.log(b / e2)
    return 2 * g2


def _groups(project: Project, by: str) -> dict[int, str]:
    wanted = by.casefold()
    found = {}
    for document_id, values in project.document_attributes().items():
        found[document_id] = next((v for k, v in values.items() if k.casefold() == wanted and v), "(none)")
    return found


def _per_10k(n: int, total: int) -> float:
    return round(n * 10_000 / total, 2) if total else 0.0


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGS:
        raise WorkbenchError(f"--lang {lang!r}: use zh or en")


def as_json(table: WordTable) -> dict:
    return {"scope": table.scope, "total_words": table.total, "documents": table.documents,
            "words": [{"term": r.term, "lang": r.lang, "n": r.n, "per_10k": r.per_10k} for r in table.rows]}


def keyness_json(table: KeynessTable) -> dict:
    return {"by": table.by, "totals": table.totals, "measure": "log-likelihood G2 against the other groups",
            "groups": {g: [{"term": k.term, "lang": k.lang, "n": k.n, "n_rest": k.n_rest, "per_10k": k.per_10k,
                            "per_10k_rest": k.per_10k_rest, "g2": k.g2} for k in rows]
                       for g, rows in table.groups.items()}}


def texts_terms(texts: Iterable[str]) -> list[list[str]]:
    """Content terms of each text (for TF-IDF), cut exactly as the counts are."""
    return [nlp.terms(text) for text in texts]
