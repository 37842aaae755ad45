"""Word and sentence boundaries: jieba for Chinese runs, whitespace words for the rest."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence

from .lang import HAN

SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』\"')）]*|\.(?=\s|$)[”’\"')]*")
LATIN_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)


@functools.cache
def tokenizer():
    """A private jieba tokenizer, built once per process on first use (it takes ~1 s)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    instance = jieba.Tokenizer()
    instance.initialize()
    return instance


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


def index_body(text: str) -> str:
    """Text for the FTS5 index: Chinese cut into words by spaces.

    Plain `cut`, not `cut_for_search`: sub-words inside longer words are found by search's
    substring pass instead, which keeps import within 1.3x of raw tokenization.
    """
    if not has_han(text):
        return text
    body = " ".join(token for token in tokenizer().cut(text) if not token.isspace())
    # jieba cuts accented Latin words apart (café -> caf é): index those whole as well.
    accented = [w for w in LATIN_TOKEN.findall(text) if not w.isascii() and not has_han(w)]
    return body + " " + " ".join(accented) if accented else body


# Below this many Han characters one process segments alone: a helper process takes ~1 s to start
# and load jieba's dictionary, about what jieba needs for 300,000 characters.
PARALLEL_MIN_HAN_CHARS = 600_000
CHUNK_CHARS = 100_000


def index_bodies(texts: Sequence[str], min_parallel: int = PARALLEL_MIN_HAN_CHARS) -> list[str]:
    """`index_body` of each text, in order; a large batch is cut on every core (issue 13).

    jieba is pure Python, so threads would not help: the Chinese texts go in chunks to helper
    processes (spawned, never forked: the TUI imports from a thread, and a forked child would
    inherit locks other threads hold), while this process cuts chunks from the other end.
    """
    chinese = [i for i, text in enumerate(texts) if has_han(text)]
    han_chars = sum(len(texts[i]) for i in chinese)
    helpers = min(_cores() - 1, 3)
    if helpers < 1 or han_chars < min_parallel:
        return [index_body(text) for text in texts]
    chunks: list[list[int]] = [[]]
    size = 0
    for i in chinese:
        if size >= CHUNK_CHARS:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += len(texts[i])
    bodies = list(texts)  # a text without Han is its own index body
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=tokenizer) as pool:
        futures = [pool.submit(_index_chunk, [texts[i] for i in chunk]) for chunk in chunks]
        done_here: dict[int, list[str]] = {}
        for n in reversed(range(len(chunks))):  # helpers take chunks from the front
            if futures[n].cancel():
                done_here[n] = _index_chunk([texts[i] for i in chunks[n]])
        for n, chunk in enumerate(chunks):
            results = done_here[n] if n in done_here else futures[n].result()
            for i, body in zip(chunk, results):
                bodies[i] = body
    return bodies


def _index_chunk(texts: list[str]) -> list[str]:
    return [index_body(text) for text in texts]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def query_tokens(query: str) -> list[str]:
    """Words of a search query, segmented the same way the index was."""
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
                spans.append(_trimmed(text, line_start + cursor, line_start + match.end()))
            cursor = match.end()
        if line[cursor:].strip():
            spans.append(_trimmed(text, line_start + cursor, line_start + len(line)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
