"""Word and sentence boundaries: jieba for Chinese runs, whitespace words for the rest."""

from __future__ import annotations

import functools
import re

from .lang import HAN

SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』\"')）]*|\.(?=\s|$)[”’\"')]*")
LATIN_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)


@functools.cache
def tokenizer():
    """A private jieba tokenizer, built once per process on first use (it takes ~1 s)."""
    quiet_jieba()
    instance = jieba_module().Tokenizer()
    instance.initialize()
    return instance


def jieba_module():
    """jieba, imported with its 'Building prefix dict…' lines off: the workbench's own messages only."""
    quiet_jieba()
    import jieba

    return jieba


def quiet_jieba() -> None:
    import logging

    import jieba

    # jieba sets its own logger to DEBUG with a stderr handler when imported: lower it after the
    # import and before the dictionary loads.
    jieba.setLogLevel(logging.WARNING)


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


HAN_RUN = re.compile(f"{HAN.pattern}+")


def index_body(text: str) -> str:
    """Text for the FTS5 index: every Han character a token of its own, everything else as is.

    Search looks a Chinese word up as the phrase of its characters (`fts_phrase`), which finds
    it wherever it stands, as a substring would: what search promised anyway, since it always
    added a substring pass for Chinese. No segmentation at import: jieba was 80% of an import's
    time (issue 13); words still come from jieba wherever words matter (queries, counts, KWIC).
    """
    if not has_han(text):
        return text
    # By run, not by character: one call per run of Han is 7x faster than a template per character.
    return HAN_RUN.sub(lambda run: " " + " ".join(run.group()) + " ", text)


def fts_phrase(words: list[str] | tuple[str, ...]) -> str:
    """An FTS5 phrase (quoted) for words in a row, as `index_body` put them in the index."""
    tokens = " ".join(index_body(word) for word in words).split()
    return '"' + " ".join(token.replace('"', '""') for token in tokens) + '"'


def query_tokens(query: str) -> list[str]:
    """Words of a search query: jieba words for Chinese, \\w runs for the rest."""
    if not has_han(query):
        return LATIN_TOKEN.findall(query)
    tokens = []
    for piece in query.split():  # only pieces with Han go to jieba, which cuts café apart
        if not has_han(piece):
            tokens += LATIN_TOKEN.findall(piece)
            continue
        tokens += [t for t in tokenizer().cut(piece) if t.strip() and (has_han(t) or LATIN_TOKEN.match(t))]
    return tokens


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word: jieba words in Chinese, \\w runs elsewhere; no spaces."""
    if not has_han(text):
        return [m.span() for m in LATIN_TOKEN.finditer(text)]
    spans = []
    for word, start, end in tokenizer().tokenize(text):
        if not word.isspace() and (has_han(word) or LATIN_TOKEN.match(word)):
            spans.append((start, end))
    return spans


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of sentences in text[start:end], ending after 。！？.!? or a line break."""
    end = len(text) if end is None else end
    spans = []
    for line_match in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line_match.start()
        line = line_match.group()
        cursor = 0
        for match in SENTENCE_END.finditer(line):
            if line[cursor:match.end()].strip():
                spans.append(trim_span(text, line_start + cursor, line_start + match.end()))
            cursor = match.end()
        if line[cursor:].strip():
            spans.append(trim_span(text, line_start + cursor, line_start + len(line)))
    return spans


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) moved inward past whitespace at either edge."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
