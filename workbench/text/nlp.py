"""Shared text pipelines: words with lemmas and offsets, content terms, sentences (zh + en).

The suggestion engine, themes and word frequencies all read text through here, so a word is
cut, normalised and filtered the same way everywhere. Everything heavy (spaCy, jieba, lookup
tables) is built lazily, once per process, on first use.

Decisions:
- Numbers ("2015", "3.5", "10,000") are kept as tokens, so offsets cover every word, but are
  flagged `is_stop=True` and never reach `terms()`.
- English lemmas come from spaCy's lookup table (spacy-lookups-data), looked up directly and
  cached per lowercase word: running a spaCy pipeline per sentence would be ~10x slower, and
  a table gives the same norms whether or not a full spaCy model is installed.
- Line breaks end a sentence (transcripts put one utterance on a line) unless the next line
  starts with a lowercase Latin letter, which is a hard-wrapped English sentence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import segment
from .stopwords import (
    EN_FILLERS,
    EN_NEGATION_SKIP,
    EN_NEGATORS,
    EN_SPOKEN,
    EN_STOP_WORDS,
    EN_TITLES,
    ZH_FILLERS,
    ZH_FUNCTION_CHARS,
    ZH_NEGATORS,
    ZH_STOP_WORDS,
    is_stop,
)

if TYPE_CHECKING:
    import spacy

__all__ = [
    "EN_FILLERS", "EN_STOP_WORDS", "EN_TITLES", "ZH_FILLERS", "ZH_FUNCTION_CHARS", "ZH_STOP_WORDS",
    "ZH_SENTENCE_PUNCT", "MAX_SENTENCE", "Token", "Word", "chinese", "counted", "english", "is_stop", "lemma",
    "own_tokenizer", "sentence_spans", "terms", "tokenize",
]


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    norm: str  # en: lowercase lookup lemma; zh: the jieba word; other: lowercase text
    start: int  # Python str offsets into the text given to tokenize()
    end: int
    lang: str  # 'zh' | 'en' | another language's tag (fr, de, ru...) | 'other' (numbers, unknown scripts)
    is_stop: bool  # stop word, filler, or number


@dataclass(frozen=True, slots=True)
class Word:
    """A counted word: its norm (a negation joined to what it negates: 不信任, "not trust"), language, span."""

    norm: str
    lang: str
    start: int
    end: int


# --- pipelines -------------------------------------------------------------------------

ZH_SENTENCE_PUNCT = ("。", "｡", "．", "！", "？", "；", "…", "……", "!", "?")


@functools.cache
def english() -> spacy.Language:
    """spaCy English: a person's installed en_core_web_sm if any, else blank + lookup lemmas."""
    import spacy

    if spacy.util.is_package("en_core_web_sm"):
        return spacy.load("en_core_web_sm")
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("sentencizer")
    nlp.initialize()  # loads the lemma_lookup table from spacy-lookups-data
    return nlp


@functools.cache
def chinese() -> spacy.Language:
    """spaCy Chinese with jieba words, for PhraseMatcher; sentences end at 。！？；… too.

    Built as blank("zh") with the char segmenter and then switched to jieba on our private
    jieba.Tokenizer: `config={"segmenter": "jieba"}` would initialise jieba's global instance
    (a second dictionary, ~1 s, log lines) and ignore words added to ours.
    """
    import spacy
    from spacy.lang.zh import ChineseTokenizer, Segmenter

    nlp = spacy.blank("zh")
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, ChineseTokenizer)  # what blank("zh") makes
    tokenizer.jieba_seg = segment.tokenizer()
    tokenizer.segmenter = Segmenter.jieba
    nlp.add_pipe("sentencizer", config={"punct_chars": list(ZH_SENTENCE_PUNCT)})
    return nlp


@functools.cache
def _en_tokenizer():
    # Always the blank English rules, so tokens do not change when someone installs a model.
    import spacy

    return spacy.blank("en").tokenizer


@functools.cache
def _lemma_table():
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


# Where the lookup table reads a noun as another word's inflection (rent -> rend, data -> datum,
# customs -> custom, housing -> house): in interviews these are nouns with their own meaning.
LEMMA_OVERRIDES = {
    **{w: w for w in ("rent data media news means series species police people goods clothes customs "
                      "premises savings earnings housing").split()},
    "criteria": "criterion",
}


@functools.lru_cache(maxsize=262_144)
def lemma(lower: str) -> str:
    """Lookup lemma of a lowercase English word (trusted -> trust, committees -> committee)."""
    key = lower.replace("’", "'")
    if key.startswith("'"):  # clitics: the table maps 's to "have", which reads wrongly
        return key
    if key in LEMMA_OVERRIDES:
        return LEMMA_OVERRIDES[key]
    found = _lemma_table().get(key, key)
    return found.lower() if isinstance(found, str) else key


# --- tokens ----------------------------------------------------------------------------

# Han plus 〇 (as in 二〇二〇), which lang.HAN leaves out; these runs go to jieba.
_HAN_RUN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_ALNUM = re.compile(r"[^\W_]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_NUMERIC = re.compile(r"[\d.,:/%+\-]*\d[\d.,:/%+\-]*")


@functools.lru_cache(maxsize=65_536)
def _jieba_words(run: str) -> tuple[tuple[str, int, int], ...]:
    # Interviews repeat short clauses (对，是的，没有), so a cache pays for itself.
    return tuple(segment.tokenizer().tokenize(run))


# Languages cut by the zh/en pipeline; any other tag is cut by spaCy's blank pipeline for it.
ZH_EN = frozenset({"zh", "en", "mixed", "und", ""})


@functools.cache
def own_tokenizer(lang: str):
    """(spaCy tokenizer, stop words) of a language other than zh/en, or None where spaCy needs a package
    the workbench does not install (ja, ko, th, vi): such text is left out of words and themes, with a note."""
    import spacy

    try:
        blank = spacy.blank(lang)
    except Exception:  # ImportError (sudachipy, mecab...) or an unknown tag
        return None
    return blank.tokenizer, frozenset(blank.Defaults.stop_words)


def tokenize(text: str, lang: str = "en") -> list[Token]:
    """Word tokens of mixed zh/en text: jieba for Han runs, spaCy's English rules elsewhere.

    `lang` names the language of the Latin (or other-script) text when it is not English: French text is
    cut by spaCy's French rules, its words tagged `fr` and its stop words spaCy's French list, never English.
    """
    lang = "en" if lang in ZH_EN else lang
    tokens: list[Token] = []
    if not segment.has_han(text):
        _latin_tokens(text, 0, tokens, lang)
        return tokens
    cursor = 0
    for match in _HAN_RUN.finditer(text):
        start = match.start()
        if start > cursor:
            _latin_tokens(text[cursor:start], cursor, tokens, lang)
        for word, ws, we in _jieba_words(match.group()):
            tokens.append(Token(word, word, start + ws, start + we, "zh", word in ZH_STOP_WORDS))
        cursor = match.end()
    if cursor < len(text):
        _latin_tokens(text[cursor:], cursor, tokens, lang)
    return tokens


def _latin_tokens(piece: str, offset: int, out: list[Token], lang: str = "en") -> None:
    if _ALNUM.search(piece) is None:  # the "，" between two Han runs: skip spaCy entirely
        return
    cut = _latin_chunk if lang == "en" else functools.partial(_other_chunk, lang=lang)
    for chunk in _CHUNK.finditer(piece):
        base = offset + chunk.start()
        for start, end, word, norm, tag, stop in cut(chunk.group()):
            out.append(Token(word, norm, base + start, base + end, tag, stop))


_CHUNK = re.compile(r"\S+")


@functools.lru_cache(maxsize=262_144)
def _latin_chunk(chunk: str) -> tuple[tuple[int, int, str, str, str, bool], ...]:
    # spaCy tokenizes each whitespace-separated chunk on its own, so caching per chunk gives
    # the same tokens while real text (Zipf) almost never reaches spaCy: ~2x faster overall.
    found = []
    spoken = chunk.lower().strip(_EDGE_PUNCT) in EN_SPOKEN  # gonna -> gon + na: both fillers
    for tok in _en_tokenizer()(chunk):
        word = tok.text
        if _ALNUM.search(word) is None:
            continue
        start, end, lower = tok.idx, tok.idx + len(word), tok.lower_
        if _NUMERIC.fullmatch(word):
            found.append((start, end, word, lower, "other", True))
        elif _LATIN.search(word):
            found.append((start, end, word, lemma(lower), "en", spoken or is_stop(lower, "en")))
        else:
            found.append((start, end, word, lower, "other", False))
    return tuple(found)


_EDGE_PUNCT = ".,;:!?…\"()[]“”‘’—–-"


@functools.lru_cache(maxsize=262_144)
def _other_chunk(chunk: str, lang: str) -> tuple[tuple[int, int, str, str, str, bool], ...]:
    """A chunk of another language's text by spaCy's rules for it: lowercase norms (no lemmas: spaCy's blank
    pipelines have no lookup table for most languages), its own stop words, tagged with the language."""
    found = []
    tokenizer, stop_words = own_tokenizer(lang)
    for tok in tokenizer(chunk):
        word = tok.text
        if _ALNUM.search(word) is None:
            continue
        lower = tok.lower_
        if _NUMERIC.fullmatch(word):
            found.append((tok.idx, tok.idx + len(word), word, lower, "other", True))
        else:
            stop = lower in stop_words or lower.rstrip("'’") in stop_words or len(lower.rstrip("'’")) < 2
            found.append((tok.idx, tok.idx + len(word), word, lower.rstrip("'’"), lang, stop))
    return tuple(found)


# --- terms -----------------------------------------------------------------------------

_BEFORE_QUESTION_YOU = frozenset({"do", "does", "did", "n't", "not", "if", "whether"})
_PAUSE = frozenset(",.;:!?…—–-")


def terms(text: str, lang: str = "en") -> list[str]:
    """Norms of content words, in order: what word counts and TF-IDF consume (see `counted`)."""
    return [word.norm for word in counted(text, tokenize(text, lang))]


def counted(text: str, tokens: list[Token]) -> list[Word]:
    """The words that count, in order, from the text's tokens.

    Drops stop words, fillers, numbers and single Latin letters, and fillers that depend on
    context: "you know" before a pause (not "do you know"), "you know what I mean",
    "I mean," , "kind of"/"sort of", and "like" set off by a comma (", like," / "Like, ...");
    "I like them" keeps its "like". A negation joins the word it negates into one term of its
    own: 不信任, 没有信任, "not trust" ("don't really trust"), "no trust"; alone it stays a stop word.
    """
    dropped: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.is_stop or tok.lang != "en":
            continue
        word = tok.text.lower()
        prev = tokens[i - 1].text.lower() if i > 0 else ""
        nxt = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
        if word == "know" and prev == "you" and _adjacent(text, tokens[i - 1], tok):
            before = tokens[i - 2].text.lower() if i > 1 else ""
            tail = [t.text.lower() for t in tokens[i + 1:i + 4]]
            if tail == ["what", "i", "mean"]:
                dropped.update((i, i + 3))
            elif before not in _BEFORE_QUESTION_YOU and _next_char(text, tok.end) in _PAUSE | {""}:
                dropped.add(i)
        elif word == "mean" and prev == "i" and _next_char(text, tok.end) == ",":
            dropped.add(i)
        elif word in ("kind", "sort") and nxt == "of":
            dropped.add(i)
        elif word == "like" and _next_char(text, tok.end) == ",":
            if _prev_char(text, tok.start) in _PAUSE | {""} or prev in EN_FILLERS:
                dropped.add(i)
    found: list[Word] = []
    for i, tok in enumerate(tokens):
        if tok.is_stop or i in dropped or (tok.lang == "en" and len(tok.norm) < 2):
            continue
        negation = _negation(text, tokens, i)
        if negation is not None:
            found.append(Word(f"{negation[0]}{tok.norm}", tok.lang, negation[1], tok.end))
        else:
            found.append(Word(tok.norm, tok.lang, tok.start, tok.end))
    return found


def _negation(text: str, tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(prefix, start) when token i is negated right before it: 不 + 信任, "n't (really)" + trust."""
    if i == 0:
        return None
    tok, prev = tokens[i], tokens[i - 1]
    if tok.lang == "zh":
        if prev.lang == "zh" and prev.text in ZH_NEGATORS and prev.end == tok.start:
            return prev.text, prev.start
        return None
    if tok.lang != "en":
        return None
    j = i - 1
    if tokens[j].text.lower() in EN_NEGATION_SKIP and j > 0 and text[tokens[j].end:tok.start].isspace():
        j -= 1
    negator = EN_NEGATORS.get(tokens[j].text.lower())
    if negator is None or not (text[tokens[j].end:tokens[j + 1].start].isspace()):
        return None
    return negator + " ", tokens[j].start


def _adjacent(text: str, a: Token, b: Token) -> bool:
    return text[a.end:b.start].isspace()


def _next_char(text: str, i: int) -> str:
    while i < len(text) and text[i].isspace():
        i += 1
    return text[i] if i < len(text) else ""


def _prev_char(text: str, i: int) -> str:
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return text[i - 1] if i > 0 else ""


# --- sentences -------------------------------------------------------------------------

MAX_SENTENCE = 400  # longer unpunctuated runs are cut at a line break, comma or space
_MIN_PIECE = 40  # ...but not so early that a fragment of a few characters is left
_TERMINATORS = "。｡．！？；…!?."
_CLOSERS = "”’」』）)]】》〉\"'"
_BOUNDARY = re.compile(r"[。｡．！？；…!?.]+|\n")
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_WORD_BEFORE_DOT = re.compile(r"[A-Za-z.]+\Z")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")
# Never a sentence end: titles and Latin abbreviations that always have more to come.
_ABBREV_HARD = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "col", "capt", "lt",
    "sgt", "rev", "hon", "e.g", "i.e", "cf", "vs", "viz", "al", "approx", "ca", "fig", "pp",
})
# Sentence end only when a capital letter follows (etc. / U.S. / a.m. can close a sentence).
_ABBREV_SOFT = frozenset({"etc", "inc", "ltd", "co", "corp", "jr", "sr", "dept", "govt", "est"})
_SPLIT_AT = "，,、：:；;"


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end]: absolute offsets, trimmed, never empty.

    Ends at 。！？；… (full- and half-width) and . ! ?, keeping closing quotes and brackets;
    not at Mr. / Dr. / e.g. / U.S. before a lowercase word, nor inside 3.5. Text without an
    end mark is one sentence unless longer than MAX_SENTENCE characters.
    """
    end = len(text) if end is None else min(end, len(text))
    spans: list[tuple[int, int]] = []
    piece = start
    for match in _BOUNDARY.finditer(text, start, end):
        if match.start() < piece:  # inside closers already taken by the previous sentence
            continue
        cut = _sentence_end(text, match, end)
        if cut is not None and cut > piece:
            _emit(text, piece, cut, spans)
            piece = cut
    _emit(text, piece, end, spans)
    return spans


def _sentence_end(text: str, match: re.Match[str], end: int) -> int | None:
    """Where the sentence ends if `match` closes one, else None."""
    mark = match.group()
    if mark == "\n":
        after = _next_inline(text, match.end(), end)
        return None if "a" <= after <= "z" else match.start()
    j = match.end()
    while j < end and (text[j] in _CLOSERS or text[j] in _TERMINATORS):
        if text[j] in "\"'" and j + 1 < end and text[j + 1].isalnum():
            break  # an opening quote of the next sentence
        j += 1
    after = text[j] if j < end else ""
    glued = after.isascii() and after.isalnum()  # example.com, 3.5, Yahoo!Inc
    if mark == ".":
        if glued or _is_abbreviation(text, match.start(), j, end):
            return None
        return j
    if "…" in mark or mark.startswith(".."):  # an ellipsis is a pause before lowercase
        following = _next_inline(text, j, end)
        return None if glued or "a" <= following <= "z" else j
    if glued and not set(mark) & set("。｡．！？；"):
        return None
    return j


def _is_abbreviation(text: str, dot: int, after: int, end: int) -> bool:
    found = _WORD_BEFORE_DOT.search(text, max(0, dot - 12), dot)
    if found is None:
        return False
    word = found.group().lstrip(".")
    lower = word.lower()
    following = _next_inline(text, after, end)
    if lower in _ABBREV_HARD or len(word) == 1:  # J. Wang, p. 3
        return True
    if lower == "no":  # "No. 5" but "No. I did not."
        return following.isdigit()
    if lower in _ABBREV_SOFT or _DOTTED.fullmatch(lower):
        return following.islower() or following.isdigit()
    return False


def _next_inline(text: str, i: int, end: int) -> str:
    """The next character that is not a space or tab ("\\n" counts, so blank lines split)."""
    while i < end and text[i] in " \t\r\u3000":
        i += 1
    return text[i] if i < end else ""


def _emit(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    start, end = segment.trim_span(text, start, end)
    while end - start > MAX_SENTENCE:
        cut = _long_cut(text, start)
        spans.append(segment.trim_span(text, start, cut))
        start, end = segment.trim_span(text, cut, end)
    if end > start:
        spans.append((start, end))


def _long_cut(text: str, start: int) -> int:
    """Cut point inside an overlong run: the last line break, else comma, else space."""
    window = text[start + _MIN_PIECE:start + MAX_SENTENCE]
    for chars in ("\n", _SPLIT_AT, " \t\u3000"):
        best = max(window.rfind(c) for c in chars)
        if best >= 0:
            return start + _MIN_PIECE + best + 1
    return start + MAX_SENTENCE
