"""Full-text search over turns: words, "phrases", OR, NOT/-word and prefix*, hits located as whole words.

The syntax, as `workbench search --help` states it:
  trust committee        turns with both words (English matches other forms: trusted, trusts)
  "data quality"         the words next to each other; "美国经济" the jieba words 美国 经济 in a row
  bias OR fairness       either word (OR binds tighter than the implicit AND)
  trust -distrust        trust, but not in a turn that has distrust (also: trust NOT distrust)
  trust*                 words starting with trust (trustworthy, trusting)
  (a OR b) c             parentheses group
Each leaf is found through the FTS5 index, where Chinese stands character by character: a Chinese
word is the phrase of its characters, found wherever it stands (居委 in 居委会), and a Chinese
leaf is also looked for as a plain substring of the text.
"""

from __future__ import annotations

import bisect
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .model import WorkbenchError
from .store import Project
from .text.normalize import normalize
from .text.segment import LATIN_TOKEN, fts_phrase, has_han, query_tokens

MAX_HITS = 2_000
ALL_TURNS = 10_000_000
SYNTAX = ('words (all must be in a turn), "a phrase", a OR b, -word or NOT word, prefix*, (groups); '
          'e.g. "data quality" OR 美国经济 -broker')


@dataclass(frozen=True)
class Hit:
    """A turn where the query holds, with each match inside it as document offsets."""

    document_id: int
    document: str
    turn_start: int
    turn_end: int
    speaker: str | None
    context: str  # the turn's text
    matches: tuple[tuple[int, int], ...]  # whole words (or phrases) matched, as document offsets
    turn: int | None = None  # the turn's number, counted from 1


@dataclass(frozen=True)
class Leaf:
    text: str  # as the person wrote it (normalised)
    tokens: tuple[str, ...]  # the words looked up: jieba words for Chinese, \\w runs for the rest
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Group:
    op: str  # "AND" or "OR"
    items: tuple[Node, ...]


Node = Leaf | Not | Group  # what `parse` returns


TOKEN = re.compile(r'\s*(?:(?P<quoted>-?"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')


def parse(term: str) -> Node:
    """The query as Leaf / Not / Group nodes, or a one-line error saying what is wrong."""
    tokens = []
    for match in TOKEN.finditer(term):
        if match.group("quoted") is not None:
            tokens.append(("quoted", match.group("quoted")))
        elif match.group("paren"):
            tokens.append(("paren", match.group("paren")))
        elif match.group("word"):
            tokens.append(("word", match.group("word")))
    parser = _Parser(tokens, term)
    node = parser.conjunction()
    if parser.position < len(tokens):
        raise WorkbenchError(f"search: unexpected {tokens[parser.position][1]!r} in {term!r} ({SYNTAX})")
    if node is None:
        raise WorkbenchError(f"search: {term!r} has no word to look for")
    if not _positive_leaves(node):
        raise WorkbenchError(f"search: {term!r} says only what to leave out; add a word to look for")
    return node


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], source: str):
        self.tokens, self.position, self.source, self.depth = tokens, 0, source, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def conjunction(self) -> Node | None:
        items = []
        while True:
            token = self.peek()
            if token is None or token == ("paren", ")"):
                break
            if token == ("word", "AND"):
                self.position += 1
                continue
            item = self.disjunction()
            if item is not None:
                items.append(item)
        return None if not items else items[0] if len(items) == 1 else Group("AND", tuple(items))

    def disjunction(self) -> Node | None:
        found = [self.unary()]
        while self.peek() == ("word", "OR"):
            self.position += 1
            if self.peek() is None or self.peek() == ("paren", ")"):
                raise WorkbenchError(f"search: OR needs a word on each side in {self.source!r}")
            found.append(self.unary())
        items = [item for item in found if item is not None]
        if len(items) > 1 and any(isinstance(item, Not) for item in items):
            raise WorkbenchError(f"search: NOT inside OR is not supported in {self.source!r}; put it outside")
        return None if not items else items[0] if len(items) == 1 else Group("OR", tuple(items))

    def unary(self) -> Node | None:
        token = self.peek()
        if token == ("word", "OR"):
            raise WorkbenchError(f"search: OR needs a word on each side in {self.source!r}")
        minus = token is not None and token[0] == "word" and token[1].startswith("-") and len(token[1]) > 1  # -word
        if token is not None and (token == ("word", "NOT") or minus):
            if token == ("word", "NOT"):
                self.position += 1
            else:  # -word: the rest of the token is the word
                self.tokens[self.position] = ("word", token[1][1:])
            operand = self.unary()
            if operand is None:
                raise WorkbenchError(f"search: NOT needs a word after it in {self.source!r}")
            return Not(operand)
        if token and token[0] == "quoted" and token[1].startswith("-"):
            self.tokens[self.position] = ("quoted", token[1][1:])
            operand = self.unary()
            if operand is None:
                raise WorkbenchError(f"search: NOT needs a word after it in {self.source!r}")
            return Not(operand)
        return self.atom()

    def atom(self) -> Node | None:
        if self.peek() is None:
            return None
        kind, value = self.tokens[self.position]
        self.position += 1
        if (kind, value) == ("paren", "("):
            self.depth += 1
            if self.depth > 20:
                raise WorkbenchError("search: nested too deeply (more than 20 parentheses)")
            node = self.conjunction()
            if self.peek() != ("paren", ")"):
                raise WorkbenchError(f"search: a '(' is not closed in {self.source!r}")
            self.position += 1
            self.depth -= 1
            return node
        if kind == "paren":
            raise WorkbenchError(f"search: unexpected ')' in {self.source!r}")
        if kind == "quoted":
            text = value.strip('"').strip()
            tokens = tuple(query_tokens(text)) if text else ()
            return Leaf(text, tokens, phrase=len(tokens) > 1 or has_han(text)) if tokens else None
        prefix = value.endswith("*")
        text = value.rstrip("*")
        tokens = tuple(query_tokens(text)) if text else ()
        if not tokens:
            return None  # punctuation alone: nothing to look for
        if not has_han(text) and len(tokens) > 1:  # a:b, e-mail: each word must be there
            leaves = [Leaf(t, (t,)) for t in tokens[:-1]] + [Leaf(tokens[-1], (tokens[-1],), prefix=prefix)]
            return Group("AND", tuple(leaves))
        return Leaf(text, tokens, prefix=prefix)


def _positive_leaves(node: Node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, Not):
        return []
    return [leaf for item in node.items for leaf in _positive_leaves(item)]


def _leaves(node: Node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, Not):
        return _leaves(node.operand)
    return [leaf for item in node.items for leaf in _leaves(item)]


def search(project: Project, term: str, limit: int = MAX_HITS) -> list[Hit]:
    """Turns where the query holds, each with its matches located; sorted by document and position."""
    term = normalize(term).strip()  # documents are stored in NFC; so must the term be
    if not term:
        raise WorkbenchError("search: give a word to look for")
    tree = parse(term)
    turns = {row[0]: row for row in project.all_turns()}  # id -> (id, document id, start, end, speaker)
    finder = _Finder(project, turns)
    matched = finder.evaluate(tree, set(turns))
    names = {row.id: row.name for row in project.documents()}
    chosen = sorted(matched, key=lambda tid: (names[turns[tid][1]], turns[tid][2]))[:limit]
    positive = _positive_leaves(tree)
    hits = []
    numbers = finder.turn_numbers()
    for turn_id in chosen:
        _, doc_id, start, end, speaker = turns[turn_id]
        text = finder.text(doc_id)[start:end]
        spans = sorted({span for leaf in positive for span in finder.locate(leaf, text, start)})
        hits.append(Hit(doc_id, names[doc_id], start, end, speaker, text, tuple(_disjoint(spans)),
                        numbers.get(turn_id)))
    return hits


class _Finder:
    """Turn sets for each leaf (FTS5, plus substrings for Chinese) and match spans inside a turn."""

    def __init__(self, project: Project, turns: dict[int, tuple]):
        self.project, self.turns = project, turns
        self._texts: dict[int, str] = {}
        self._starts: dict[int, tuple[list[int], list[int]]] = {}
        self._stems: sqlite3.Connection | None = None

    def text(self, doc_id: int) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.project.slice(doc_id, 0, self.project.document_length(doc_id) or 0)
        return self._texts[doc_id]

    def turn_numbers(self) -> dict[int, int]:
        numbers, previous, count = {}, None, 0
        for turn_id, doc_id, *_ in sorted(self.turns.values(), key=lambda row: (row[1], row[2])):
            count = count + 1 if doc_id == previous else 1
            previous = doc_id
            numbers[turn_id] = count
        return numbers

    def evaluate(self, node: Node, universe: set[int]) -> set[int]:
        if isinstance(node, Leaf):
            return self.turns_of(node)
        if isinstance(node, Not):
            return universe - self.evaluate(node.operand, universe)
        sets = [self.evaluate(item, universe) for item in node.items]
        if node.op == "OR":
            return set().union(*sets)
        found = sets[0]
        for other in sets[1:]:
            found = found & other
        return found

    def turns_of(self, leaf: Leaf) -> set[int]:
        quoted = [fts_phrase([token]) for token in leaf.tokens]
        if leaf.phrase:
            fts = fts_phrase(leaf.tokens) + ("*" if leaf.prefix else "")
        else:
            if leaf.prefix:
                quoted[-1] += "*"
            fts = " AND ".join(quoted)
        found = {turn_id for turn_id, _ in self.project.search_turns(fts, ALL_TURNS)}
        if has_han(leaf.text):
            found |= self._substring_turns(_compact(leaf.text))
        return found & set(self.turns)

    def _substring_turns(self, needle: str) -> set[int]:
        found: set[int] = set()
        for doc_id, _, text in self.project.document_texts():
            if needle not in text:
                continue
            self._texts.setdefault(doc_id, text)
            starts, ids = self._turn_index(doc_id)
            for match in re.finditer(re.escape(needle), text):
                index = bisect.bisect_right(starts, match.start()) - 1
                if index >= 0:
                    turn_id = ids[index]
                    if match.end() <= self.turns[turn_id][3]:
                        found.add(turn_id)
        return found

    def _turn_index(self, doc_id: int) -> tuple[list[int], list[int]]:
        if doc_id not in self._starts:
            rows = sorted((row[2], row[0]) for row in self.turns.values() if row[1] == doc_id)
            self._starts[doc_id] = ([start for start, _ in rows], [turn_id for _, turn_id in rows])
        return self._starts[doc_id]

    def locate(self, leaf: Leaf, text: str, offset: int) -> list[tuple[int, int]]:
        """Where a leaf matches in a turn's text: whole words, whole phrases, Chinese substrings."""
        if has_han(leaf.text):
            needle = _compact(leaf.text)
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]
            if leaf.prefix:
                spans = [(a, _word_end(text, b)) for a, b in spans]
            if not spans and not leaf.phrase:  # the words apart, each where it is
                spans = [(m.start(), m.end()) for token in leaf.tokens
                         for m in re.finditer(re.escape(token), text, re.IGNORECASE)]
            return [(offset + a, offset + b) for a, b in spans]
        words = [(m.start(), m.end(), m.group()) for m in LATIN_TOKEN.finditer(text)]
        wanted = [self._matches(token, [w for _, _, w in words], prefix=leaf.prefix and i == len(leaf.tokens) - 1)
                  for i, token in enumerate(leaf.tokens)]
        size = len(leaf.tokens)
        spans = []
        for index in range(len(words) - size + 1):
            if all(words[index + k][2] in wanted[k] for k in range(size)):
                spans.append((offset + words[index][0], offset + words[index + size - 1][1]))
        return spans

    def _matches(self, token: str, words: list[str], prefix: bool) -> set[str]:
        """The words of a turn that are `token` to the index: same stem, any case or accent."""
        folded = _fold(token)
        if prefix:
            return {w for w in words if _fold(w).startswith(folded)}
        candidates = {w for w in words if _fold(w)[:3] == folded[:3]}
        if not candidates:
            return set()
        # SQLite's own porter tokenizer decides, so the highlight agrees with the index.
        if self._stems is None:
            self._stems = sqlite3.connect(":memory:")
            self._stems.execute("CREATE VIRTUAL TABLE w USING fts5(word, tokenize = 'porter unicode61')")
        self._stems.execute("DELETE FROM w")
        self._stems.executemany("INSERT INTO w (word) VALUES (?)", [(w,) for w in candidates])
        quoted = '"' + token.replace('"', '""') + '"'
        return {row[0] for row in self._stems.execute("SELECT word FROM w WHERE w MATCH ?", [quoted])}


def _compact(text: str) -> str:
    """A Chinese phrase as it stands in the text: no spaces between Han characters."""
    return re.sub(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])", "", text)


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()


def _word_end(text: str, end: int) -> int:
    while end < len(text) and (text[end].isalnum() and not has_han(text[end])):
        end += 1
    return end


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping matches (a phrase and one of its words) merged into one highlight."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def within_codings_of(project: Project, hits: list[Hit], coders: Iterable[str]) -> list[Hit]:
    """Only the matches inside text these coders coded: a search of one coder's work."""
    from collections import defaultdict

    from .intervals import overlaps, union

    by_document: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for coding in project.codings(coders=list(coders)):
        by_document[coding.document_id].append((coding.start, coding.end))
    coded = {document_id: union(spans) for document_id, spans in by_document.items()}
    kept = []
    for hit in hits:
        spans = coded.get(hit.document_id, ())
        matches = tuple(match for match in hit.matches if any(overlaps(match, span) for span in spans))
        if matches:
            kept.append(replace(hit, matches=matches))
    return kept
