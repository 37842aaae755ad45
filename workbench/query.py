"""Boolean queries over codes: `Trust AND NOT Distrust`, `(Hukou OR Schooling) AND 信任`.

Operators are upper-case AND, OR, NOT (or &, |, !); everything else names a code by path,
name or Chinese name, quoted when it holds an operator word. A code includes its sub-codes.
Within `span` units the result is the text where the expression holds; within `turn` units it
is the turns in which it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import intervals
from .codebook.ops import descendants, paths_by_id, resolve
from .model import Coding, Segment, WorkbenchError
from .store import Project

TOKEN = re.compile(r'\s*(?:(?P<quoted>"[^"]*")|(?P<op>\(|\)|&|\||!|\bAND\b|\bOR\b|\bNOT\b)|(?P<word>[^\s()&|!"]+))')
MAX_QUERY = 2_000
MAX_TERMS = 100  # code names in one query; also keeps the evaluators' recursion shallow
MAX_NESTING = 50  # parentheses and NOTs inside one another


@dataclass(frozen=True)
class Term:
    name: str


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str  # "AND" or "OR"
    left: Node
    right: Node


Node = Term | Not | Binary  # what `parse` returns


def parse(expression: str) -> Node:
    """Parse into Term / Not / Binary nodes, or raise a one-line error saying where it breaks."""
    if len(expression) > MAX_QUERY:
        raise WorkbenchError(f"query: longer than {MAX_QUERY} characters")
    tokens = _tokens(expression)
    if not tokens:
        raise WorkbenchError("query: empty; name a code, e.g. \"Trust AND Hukou\"")
    terms = sum(kind == "name" for kind, _ in tokens)
    if terms > MAX_TERMS:
        raise WorkbenchError(f"query: {terms} code names; at most {MAX_TERMS} fit in one query")
    parser = _Parser(tokens, expression)
    node = parser.expression()
    if parser.position < len(tokens):
        raise WorkbenchError(f"query: unexpected {tokens[parser.position][1]!r} in {expression!r}")
    return node


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    expression = expression.rstrip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        if not match or match.end() == position:
            raise WorkbenchError(f"query: cannot read {expression[position:]!r}")
        position = match.end()
        if match.group("quoted") is not None:
            name = match.group("quoted")[1:-1].strip()
            if not name:
                raise WorkbenchError("query: empty quoted code name")
            tokens.append(("name", name))
        elif match.group("op"):
            op = {"&": "AND", "|": "OR", "!": "NOT"}.get(match.group("op"), match.group("op"))
            tokens.append(("op", op))
        elif match.group("word"):
            # Words in a row form one name: `Institutional trust AND Hukou`.
            if tokens and tokens[-1][0] == "word":
                tokens[-1] = ("word", tokens[-1][1] + " " + match.group("word"))
            else:
                tokens.append(("word", match.group("word")))
    return [("name", value) if kind == "word" else (kind, value) for kind, value in tokens]


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], source: str):
        self.tokens, self.position, self.source, self.depth = tokens, 0, source, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expression(self) -> Node:
        node = self.conjunction()
        while self.peek() == ("op", "OR"):
            self.take()
            node = Binary("OR", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.peek() == ("op", "AND"):
            self.take()
            node = Binary("AND", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.peek() == ("op", "NOT"):
            self.take()
            self.deeper()
            node = Not(self.negation())
            self.depth -= 1
            return node
        return self.atom()

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise WorkbenchError(f"query: nested too deeply (more than {MAX_NESTING} parentheses and NOTs)")

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise WorkbenchError(f"query: {self.source!r} ends where a code name should follow")
        if token == ("op", "("):
            self.take()
            self.deeper()
            node = self.expression()
            if self.peek() != ("op", ")"):
                raise WorkbenchError(f"query: a '(' is not closed in {self.source!r}")
            self.take()
            self.depth -= 1
            return node
        if token[0] == "name":
            self.take()
            return Term(token[1])
        raise WorkbenchError(f"query: unexpected {token[1]!r} in {self.source!r}")


def run(
    project: Project, expression: str, unit: str = "span", where: dict[str, str] | None = None,
    coders: list[str] | None = None,
) -> list[Segment]:
    """Evaluate a query over every document (or those matching `where`), over the codings of
    `coders` only when named."""
    from .coding import documents_matching

    if unit not in ("span", "turn"):
        raise WorkbenchError(f"unit {unit!r}: use 'span' or 'turn'")
    tree = parse(expression)
    documents = {row.id: row for row in project.documents()}
    if where:
        allowed = documents_matching(project, where)
        documents = {k: v for k, v in documents.items() if k in allowed}
    term_ranges: dict[str, dict[int, list[tuple[int, int]]]] = {}
    positive = set(_names(tree, positive_only=True))
    behind: dict[int, dict[int, Coding]] = {}  # document -> coding id -> coding, of the terms not negated
    for name in _names(tree):
        ids = descendants(project, resolve(project, name))
        per_document: dict[int, list[tuple[int, int]]] = {}
        for coding in project.codings(code_ids=ids, coders=coders):
            per_document.setdefault(coding.document_id, []).append((coding.start, coding.end))
            if name in positive:
                behind.setdefault(coding.document_id, {})[coding.id] = coding
        term_ranges[name] = {doc: intervals.union(r) for doc, r in per_document.items()}
    paths = paths_by_id(project)
    results: list[Segment] = []
    for doc_id, row in sorted(documents.items(), key=lambda item: item[1].name):
        turns = project.turns(doc_id)
        if unit == "turn":
            turn_ranges = [(t.start, max(t.end, t.start + 1)) for t in turns]
            ranges = _evaluate_turns(tree, term_ranges, doc_id, turn_ranges)
        else:
            ranges = _evaluate_spans(tree, term_ranges, doc_id, row.chars)
        for start, end in ranges:
            # The first turn ending after the start: a span that begins on a speaker label belongs
            # to the turn that follows the label, not to the one before.
            speaker = next((t.speaker for t in turns if t.end > start), None)
            # Which codings made it hold: a query on a parent names the sub-code that applied.
            applied = sorted(
                (c for c in behind.get(doc_id, {}).values() if intervals.overlaps((c.start, c.end), (start, end))),
                key=lambda c: (c.start, c.id),
            )
            results.append(
                Segment(doc_id, row.name, start, end, project.slice(doc_id, start, end),
                        speaker=speaker, case=row.case,
                        code="; ".join(dict.fromkeys(paths[c.code_id] for c in applied)) or None,
                        coder=", ".join(dict.fromkeys(c.coder for c in applied if c.coder)) or None,
                        coding_id=applied[0].id if applied else None,
                        codings=tuple((c.id, paths[c.code_id], c.coder) for c in applied))
            )
    return results


def _names(node: Node, positive_only: bool = False, negated: bool = False) -> list[str]:
    """The code names of a query; with `positive_only`, those not under a NOT."""
    if isinstance(node, Term):
        return [] if positive_only and negated else [node.name]
    if isinstance(node, Not):
        return _names(node.operand, positive_only, not negated)
    return _names(node.left, positive_only, negated) + _names(node.right, positive_only, negated)


def _evaluate_spans(node: Node, term_ranges: dict[str, dict[int, list[tuple[int, int]]]], doc_id: int,
                    length: int) -> list[tuple[int, int]]:
    if isinstance(node, Term):
        return term_ranges[node.name].get(doc_id, [])
    if isinstance(node, Not):
        return intervals.complement(_evaluate_spans(node.operand, term_ranges, doc_id, length), length)
    left = _evaluate_spans(node.left, term_ranges, doc_id, length)
    right = _evaluate_spans(node.right, term_ranges, doc_id, length)
    return intervals.intersect(left, right) if node.op == "AND" else intervals.union(left + right)


def _evaluate_turns(node: Node, term_ranges: dict[str, dict[int, list[tuple[int, int]]]], doc_id: int,
                    turn_ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    def turns_of(n: Node) -> set[int]:
        if isinstance(n, Term):
            coded = term_ranges[n.name].get(doc_id, [])
            return {i for i, turn in enumerate(turn_ranges) if any(intervals.overlaps(turn, c) for c in coded)}
        if isinstance(n, Not):
            return set(range(len(turn_ranges))) - turns_of(n.operand)
        left, right = turns_of(n.left), turns_of(n.right)
        return left & right if n.op == "AND" else left | right

    return [turn_ranges[i] for i in sorted(turns_of(node))]
