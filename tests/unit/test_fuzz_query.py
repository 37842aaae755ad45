"""Fuzzed queries: any text parses or gives a one-line `query:` error; queries never change the
project; and what a query finds is exactly what a character-by-character evaluation finds."""

from __future__ import annotations

import pytest
from fuzz_queries import CODES, PIECES, query_project
from fuzz_queries import parse_or_none as _parse
from fuzz_settings import FUZZ
from hypothesis import given
from hypothesis import strategies as st
from reliability_worker import project_digest

from workbench import query
from workbench.codebook.ops import descendants, resolve
from workbench.model import WorkbenchError
from workbench.store import Project


@FUZZ
@given(expression=st.text(max_size=300))
def test_random_text_parses_or_says_why_in_one_line(expression):
    tree = _parse(expression)
    assert _parse(expression) == tree  # the same text, the same answer
    if tree is not None:  # spacing around a query changes nothing
        assert query.parse(f"  {expression}\n") == tree


@FUZZ
@given(expression=st.lists(PIECES, max_size=40).map(" ".join) | st.lists(PIECES, max_size=40).map("".join))
def test_query_shaped_text_parses_or_says_why_in_one_line(expression):
    tree = _parse(expression)
    assert _parse(expression) == tree  # the same text, the same answer
    if tree is not None:  # spacing around a query changes nothing
        assert query.parse(f"  {expression}\n") == tree


@pytest.mark.parametrize("expression", [
    "NOT " * 600 + "Trust",
    "!" * (query.MAX_QUERY - 1) + "a",
    "a&" * (query.MAX_QUERY // 2 - 1) + "a",
    "a|" * (query.MAX_QUERY // 2 - 1) + "a",
    "(" * 900 + "a" + ")" * 900,
    "(" * 1999,
    "x" * (query.MAX_QUERY + 1),
    '"' * 1999,
], ids=["not-words", "bangs", "and-chain", "or-chain", "parentheses", "open-parentheses", "too-long", "quotes"])
def test_extreme_queries_give_an_answer_or_a_one_line_error(expression, project):
    path, _ = project
    with Project.open(path) as opened:
        try:
            query.run(opened, expression)
        except WorkbenchError as error:
            assert str(error).startswith(("query:", "no code named")) and "\n" not in str(error)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return query_project(tmp_path_factory)


expressions = st.recursive(
    st.sampled_from(CODES).map(lambda name: ("term", name)),
    lambda inner: st.one_of(inner.map(lambda node: ("not", node)),
                            st.tuples(st.sampled_from(["AND", "OR"]), inner, inner)),
    max_leaves=8,
)


def _render(node, style: int) -> str:
    if node[0] == "term":
        return f'"{node[1]}"' if " " in node[1] or style else node[1]
    if node[0] == "not":
        return ("!" if style else "NOT ") + "(" + _render(node[1], style) + ")"
    op = {"AND": "&", "OR": "|"}[node[0]] if style else node[0]
    return f"({_render(node[1], style)}) {op} ({_render(node[2], style)})"


def _holds(node, marked: dict[str, set[int]], char: int) -> bool:
    if node[0] == "term":
        return char in marked[node[1]]
    if node[0] == "not":
        return not _holds(node[1], marked, char)
    left, right = _holds(node[1], marked, char), _holds(node[2], marked, char)
    return left and right if node[0] == "AND" else left or right


@FUZZ
@given(tree=expressions, style=st.integers(0, 1))
def test_query_results_match_a_character_by_character_evaluation(project, tree, style):
    path, _ = project
    before = project_digest(path)
    with Project.open(path) as opened:
        found = query.run(opened, _render(tree, style))
        by_turn = query.run(opened, _render(tree, style), unit="turn")
        for document in opened.documents():
            length = document.chars
            marked = {}
            for name in CODES:
                ids = descendants(opened, resolve(opened, name))
                marked[name] = {i for c in opened.codings(code_ids=ids, document_id=document.id)
                                for i in range(c.start, c.end)}
            expected = {i for i in range(length) if _holds(tree, marked, i)}
            segments = [s for s in found if s.document_id == document.id]
            got = {i for s in segments for i in range(s.start, s.end)}
            assert got == expected, document.name
            assert sum(s.end - s.start for s in segments) == len(got), "segments overlap"
            assert all(s.text == opened.slice(document.id, s.start, s.end) for s in segments)
            turns = [(t.start, max(t.end, t.start + 1)) for t in opened.turns(document.id)]
            expected_turns = [
                (a, b) for a, b in turns
                if _holds(tree, {name: {0} if marked[name] & set(range(a, b)) else set() for name in CODES}, 0)
            ]
            assert [(s.start, s.end) for s in by_turn if s.document_id == document.id] == expected_turns
    assert project_digest(path) == before


@FUZZ
@given(expression=st.lists(PIECES, max_size=20).map(" ".join), unit=st.sampled_from(["span", "turn"]))
def test_running_any_query_changes_nothing(project, expression, unit):
    path, _ = project
    before = project_digest(path)
    with Project.open(path) as opened:
        try:
            query.run(opened, expression, unit=unit)
        except WorkbenchError as error:
            assert "\n" not in str(error)
    assert project_digest(path) == before
