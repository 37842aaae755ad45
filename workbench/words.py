"""Word frequencies and characteristic words (keyness), in Chinese (jieba words) and English (lemmas);
text in another language (fr, de, ru...) by spaCy's rules for that language, its words tagged with it,
never counted as English; a language spaCy cannot cut without an extra package is left out, with a note.

Counts come from an index built once per document (lazily, the first time words are asked for,
and again for documents imported since), so a frequency list over millions of characters is a
SQL sum rather than a re-segmentation; the same pass stores each word's offsets per turn for
KWIC and themes. Passages of a code are counted directly, since a coding may start and end
inside turns.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import WorkbenchError
from .store import Project
from .store.events import Action
from .text import nlp
from .text.lang import HAN
from .text.segment import has_han

# Bump when tokenisation or filtering changes: documents indexed with another version are redone.
INDEX_VERSION = "terms-4"  # 2: token positions for KWIC and themes; 3: lemma overrides (rent, data, housing);
# 4: each language by its own tokenizer, negations joined (不信任, "not trust"), more function characters
LANGS = ("zh", "en")  # always accepted by --lang; any other tag found in the project is accepted too

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
    notes: tuple[str, ...] = ()  # what was left out and why (a language without a tokenizer)


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


def word_lang(word: nlp.Word) -> str:
    """The language a counted word is stored under: zh/en by script, another language by its tag."""
    return term_lang(word.norm) if word.lang in ("zh", "en", "other") else word.lang


def count_terms(text: str, lang: str = "en") -> Counter:
    """(term, lang) -> count for one stretch of text, the way every count in the workbench is made."""
    if not can_count(lang):
        return Counter()
    return Counter((word.norm, word_lang(word)) for word in nlp.counted(text, nlp.tokenize(text, lang)))


def can_count(lang: str | None) -> bool:
    """Whether text in this language is counted: zh/en always, others where spaCy has a tokenizer."""
    return not lang or lang in nlp.ZH_EN or nlp.own_tokenizer(lang) is not None


def counting_lang(turn_lang: str | None, document_lang: str | None, text: str = "") -> str:
    """The tokenizer a turn is cut with: its own language, or its document's where the turn's own reading is
    unsure (a short "Oui." reads as und, a French sentence with an English word as en). Text with kana is
    Japanese even where its kanji outweighed them at import: jieba would cut it as Chinese."""
    turn_lang, document_lang = turn_lang or "und", document_lang or "und"
    if turn_lang in ("zh", "mixed", "und") and text and len(_KANA.findall(text)) >= 0.1 * len(HAN.findall(text)) > 0:
        return "ja"
    if document_lang not in nlp.ZH_EN and turn_lang in ("en", "und", "mixed"):
        return document_lang
    return turn_lang


_KANA = re.compile("[\u3040-\u30ff]")


# A negation glued to a word by jieba's cut (不 + 信任) makes a longer word for KWIC: 信任 is not found
# inside 不信任, and `kwic 不信任` finds it; counts join it the same way (nlp.counted).
NEGATIONS = nlp.ZH_NEGATORS


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
            if found and found[-1][1] == previous.start:  # a negator that is not a stop word: replaced by 非信任
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


def index_document(text: str, turns: list[tuple], skipped: set[str] | None = None) -> tuple[Counter, dict]:
    """The document's (term, lang) counts, and per turn (id, start, end[, language]) the packed offsets of
    each word. A turn in a language without a tokenizer is left out (its language added to `skipped`)."""
    counts: Counter = Counter()
    positions: dict[int, dict[tuple[str, str], bytes]] = {}
    skipped = set() if skipped is None else skipped
    for turn_id, start, end, *rest in turns:
        lang = counting_lang(rest[0], rest[1] if len(rest) > 1 else None, text[start:end]) if rest else "en"
        if not can_count(lang):
            skipped.add(lang)
            continue
        body = text[start:end]
        tokens = nlp.tokenize(body, lang)
        counts.update((word.norm, word_lang(word)) for word in nlp.counted(body, tokens))
        spans: dict[tuple[str, str], list[int]] = defaultdict(list)
        for norm, s, e in word_tokens(body, tokens):
            spans[(norm, _token_lang(norm, tokens, s))] += (start + s, start + e)
        positions[turn_id] = {key: pack(offsets) for key, offsets in spans.items()}
    return counts, positions


def _token_lang(norm: str, tokens: list[nlp.Token], start: int) -> str:
    lang = term_lang(norm)
    if lang == "zh":
        return lang
    tagged = next((t.lang for t in tokens if t.start == start), "en")
    return lang if tagged in ("en", "zh", "other") else tagged


def ensure_index(project: Project, progress: Progress | None = None) -> int:
    """Index the documents that lack word counts (new since the last call); returns how many."""
    pending = project.documents_lacking_word_counts(INDEX_VERSION)
    if not pending:
        return 0
    turns: dict[int, list[tuple[int, int, int, str | None, str | None]]] = defaultdict(list)
    wanted = set(pending)
    document_langs = {row.id: row.lang for row in project.documents()}
    for turn_id, document_id, start, end, _, lang in project.turn_rows():
        if document_id in wanted:
            turns[document_id].append((turn_id, start, end, lang, document_langs.get(document_id)))
    batch: list = []
    size = 0
    left = json.loads(project.meta(LEFT_OUT) or "{}")  # document id -> languages not counted
    for done, document_id in enumerate(pending, 1):
        text = project.document(document_id).text
        skipped: set[str] = set()
        batch.append((document_id, *index_document(text, turns[document_id], skipped)))
        left.pop(str(document_id), None)
        if skipped:
            left[str(document_id)] = sorted(skipped)
        size += len(text)
        if size >= BATCH_CHARS or done == len(pending):
            with project.transaction():
                project.store_word_index(INDEX_VERSION, batch)
            batch, size = [], 0
        if progress:
            progress(done, len(pending))
    with project.transaction():
        project.set_meta(LEFT_OUT, json.dumps(left))
        project.log(Action.WORDS_INDEX, {"documents": len(pending), "version": INDEX_VERSION})
    return len(pending)


# ------------------------------------------------------------------- scope
def scope_documents(project: Project, where: dict[str, str] | None) -> set[int] | None:
    """Documents allowed by --where, or None for all of them."""
    from .coding import documents_matching

    return documents_matching(project, where) if where else None


def passage_counts(project: Project, code: str, where: dict[str, str] | None = None) -> dict[int, Counter]:
    """Document id -> term counts over the passages of a code (sub-codes included), overlaps once."""
    from . import intervals
    from .coding import code_id, retrieve

    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for segment in retrieve(project, code_id(project, code), where=where):
        spans[segment.document_id].append((segment.start, segment.end))
    counts: dict[int, Counter] = {}
    document_langs = {row.id: row.lang for row in project.documents()}
    for document_id, ranges in spans.items():
        text = project.document(document_id).text
        lang = counting_lang(None, document_langs.get(document_id))
        total: Counter = Counter()
        for start, end in intervals.union(ranges):
            total.update(count_terms(text[start:end], lang))
        counts[document_id] = total
    return counts


def frequencies(
    project: Project, *, code: str | None = None, where: dict[str, str] | None = None,
    lang: str | None = None, top: int | None = 50, progress: Progress | None = None,
) -> WordTable:
    """The most frequent words of all text, of a code's passages, or of the documents matching --where."""
    ensure_index(project, progress)
    _check_lang(project, lang)
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
    stop = project_stopwords(project)
    rows = [row for row in rows if row[0] not in stop]
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
    word_counts = tuple(WordCount(t, language, n, _per_10k(n, total)) for t, language, n in rows)
    return WordTable(word_counts, total, documents, scope, left_out(project, allowed))


def keyness(
    project: Project, by: str, *, code: str | None = None, where: dict[str, str] | None = None,
    lang: str | None = None, top: int = 15, min_count: int = 3, progress: Progress | None = None,
) -> KeynessTable:
    """Each group's characteristic words (documents grouped by a case attribute, e.g. city)."""
    ensure_index(project, progress)
    _check_lang(project, lang)
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
    stop = project_stopwords(project)
    per_group = defaultdict(Counter, {g: Counter({k: n for k, n in c.items()
                                                  if k[0] not in stop and (not lang or k[1] == lang)})
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


def _check_lang(project: Project, lang: str | None) -> None:
    """zh and en always; any other language whose words the project holds (fr, de...)."""
    known = sorted(set(LANGS) | (set(project.word_langs()) - {"other"}))
    if lang is not None and lang not in known:
        raise WorkbenchError(f"--lang {lang!r}: use one of {', '.join(known)} (the languages of this project's words)")


LEFT_OUT = "words.left_out"  # project meta: document id -> languages of its turns the index left out


def left_out(project: Project, allowed: set[int] | None = None) -> tuple[str, ...]:
    """A note per language whose text is not counted, because spaCy has no tokenizer for it here."""
    missing: Counter = Counter()
    known = {row.id for row in project.documents()}
    for document_id, langs in json.loads(project.meta(LEFT_OUT) or "{}").items():
        if int(document_id) in known and (allowed is None or int(document_id) in allowed):
            missing.update(langs)
    return tuple(f"{lang} text of {n} document{'s' if n != 1 else ''} left out: no tokenizer for {lang} "
                 f"is installed (spaCy needs an extra package for it)" for lang, n in sorted(missing.items()))


def project_stopwords(project: Project) -> frozenset[str]:
    """The stop words the person added to this project (`workbench stopwords`), on top of the built-in lists."""
    return frozenset(project.stopwords())


def add_stopwords(project: Project, terms: Iterable[str], coder: str | None = None) -> list[str]:
    """Add words to the project's stop list (English words as their lemmas, as they are counted)."""
    norms = [_stop_norm(t) for t in terms]
    if not all(norms):
        raise WorkbenchError("stopwords: give words, not empty strings")
    with project.transaction():
        added = project.add_stopwords(norms, coder)
        project.log(Action.STOPWORDS_ADD, {"terms": added}, coder)
    return added


def remove_stopwords(project: Project, terms: Iterable[str], coder: str | None = None) -> list[str]:
    norms = [_stop_norm(t) for t in terms]
    with project.transaction():
        gone = project.remove_stopwords(norms + [t.strip().lower() for t in terms])
        project.log(Action.STOPWORDS_REMOVE, {"terms": gone}, coder)
    return gone


def _stop_norm(term: str) -> str:
    term = " ".join(term.split())
    if has_han(term) or " " in term:
        return term.lower()
    return nlp.lemma(term.lower())


def as_json(table: WordTable) -> dict:
    return {"scope": table.scope, "total_words": table.total, "documents": table.documents, "notes": list(table.notes),
            "words": [{"term": r.term, "lang": r.lang, "n": r.n, "per_10k": r.per_10k} for r in table.rows]}


def keyness_json(table: KeynessTable) -> dict:
    return {"by": table.by, "totals": table.totals, "measure": "log-likelihood G2 against the other groups",
            "groups": {g: [{"term": k.term, "lang": k.lang, "n": k.n, "n_rest": k.n_rest, "per_10k": k.per_10k,
                            "per_10k_rest": k.per_10k_rest, "g2": k.g2} for k in rows]
                       for g, rows in table.groups.items()}}


def document_words(project: Project, document_id: int) -> tuple[list[int], list[str], list[str]]:
    """Start offsets, norms and languages of a document's indexed words, in text order."""
    found = []
    for term, lang, blob in project.document_positions(document_id):
        spans = unpack(blob)
        found += [(spans[i], term, lang) for i in range(0, len(spans), 2)]
    found.sort()
    return [start for start, _, _ in found], [term for _, term, _ in found], [lang for _, _, lang in found]


def texts_terms(texts: Iterable[str]) -> list[list[str]]:
    """Content terms of each text (for TF-IDF), cut exactly as the counts are."""
    return [nlp.terms(text) for text in texts]
