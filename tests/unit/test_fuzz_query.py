"""Fuzzed queries: any text parses or gives a one-line `query:` error; queries never change the
project; and what a query finds is exactly what a character-by-character evaluation finds."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reliability_worker import project_digest, run_cli, write_transcripts
from workbench import query
from workbench.codebook import parse_codebook
from workbench.codebook.ops import descendants, install, resolve
from workbench.coding import apply_code
from workbench.imports import import_files
from workbench.model import WorkbenchError
from workbench.store import Project

EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "300"))  # fixed seed: CI runs the same inputs
FUZZ = settings(
    derandomize=True, max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
CODES = ("Trust", "Distrust", "Housing", "信任", "Institutional trust")
PIECES = st.sampled_from(["AND", "OR", "NOT", "and", "&", "|", "!", "(", ")", '"', " ", "  ", "\t", "\n",
                          "Trust", "Distrust", "Housing", "信任", "Institutional", "trust", "Nope", '"AND"',
                          '""', '" "', "ANDROID", "(NOT", "NOT)", "Trust/Distrust", "\u3000", "\x00"])
CODEBOOK = """
name: q
codes:
  - name: Trust
    name_zh: 信任
    children:
      - name: Distrust
      - name: Institutional trust
  - name: Housing
"""


def _parse(expression: str):
    try:
        return query.parse(expression)
    except WorkbenchError as error:
        message = str(error)
        assert message.startswith("query:") and "\n" not in message, message
        return None


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


# ------------------------------------------------------------------- run against a project
@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("query-fuzz")
    path = folder / "q.qda"
    files = write_transcripts(folder / "transcripts", 3, seed=3, turns=8)
    with Project.create(path) as opened:
        install(opened, parse_codebook(CODEBOOK, "q.yaml"))
        list(import_files(opened, files))
        spans = [(0, "Trust", 10, 40), (0, "Distrust", 30, 80), (0, "Housing", 35, 36), (1, "Housing", 0, 200),
                 (1, "Institutional trust", 150, 260), (1, "Trust", 255, 300), (2, "Distrust", 5, 6),
                 (0, "Institutional trust", 79, 120), (2, "Housing", 500, 700)]
        for number, code, start, end in spans:
            apply_code(opened, files[number].name, code, start, end, "fuzz")
    return path, [f.name for f in files]


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
            length = document["chars"]
            marked = {}
            for name in CODES:
                ids = descendants(opened, resolve(opened, name))
                marked[name] = {i for c in opened.codings(code_ids=ids, document_id=document["id"])
                                for i in range(c.start, c.end)}
            expected = {i for i in range(length) if _holds(tree, marked, i)}
            segments = [s for s in found if s.document_id == document["id"]]
            got = {i for s in segments for i in range(s.start, s.end)}
            assert got == expected, document["name"]
            assert sum(s.end - s.start for s in segments) == len(got), "segments overlap"
            assert all(s.text == opened.slice(document["id"], s.start, s.end) for s in segments)
            turns = [(t.start, max(t.end, t.start + 1)) for t in opened.turns(document["id"])]
            expected_turns = [
                (a, b) for a, b in turns
                if _holds(tree, {name: {0} if marked[name] & set(range(a, b)) else set() for name in CODES}, 0)
            ]
            assert [(s.start, s.end) for s in by_turn if s.document_id == document["id"]] == expected_turns
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


@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(expression=st.lists(PIECES, max_size=20).map(" ".join) | st.text(max_size=50),
       unit=st.sampled_from(["span", "turn"]))
def test_the_query_command_answers_or_fails_in_one_line(project, expression, unit):
    path, _ = project
    assume("\x00" not in expression)  # no shell passes a NUL in an argument
    before = project_digest(path)
    code, output = run_cli("query", str(path), expression, "--unit", unit, "--json")
    assert project_digest(path) == before  # asking never changes the project
    # The command answers exactly when the expression parses (and resolves), never otherwise.
    if _parse(expression) is None:
        assert code == 1
    if code == 0:
        import json

        answer = json.loads(output)
        assert isinstance(answer, (dict, list)) and answer is not None
