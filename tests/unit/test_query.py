"""Boolean code queries: parsing, span and turn semantics on known intervals, filters, the demo."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from named import code_named

from workbench import intervals, query
from workbench.codebook import parse_codebook
from workbench.codebook.ops import install
from workbench.imports import import_files, link_participants
from workbench.model import WorkbenchError
from workbench.query import Binary, Not, Term
from workbench.store import Project

# Turn bodies at 3-13, 17-27, 31-41, 45-55.
TEXT = "I: aaaaaaaaaa\nR: bbbbbbbbbb\nI: cccccccccc\nR: dddddddddd"
CODEBOOK = """\
name: Letters
codes:
  - name: Alpha
    name_zh: 甲
    children:
      - name: Child of alpha
  - name: Beta
  - name: Gamma AND Delta
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("query")
    (folder / "one.txt").write_text(TEXT, encoding="utf-8")
    (folder / "two.txt").write_text(TEXT.replace("a", "e"), encoding="utf-8")
    (folder / "people.csv").write_text("id,document,city\nP1,one.txt,Yiwu\nP2,two.txt,Xiamen\n", encoding="utf-8")
    with Project.create(folder / "q.qda") as opened:
        install(opened, parse_codebook(CODEBOOK, "letters.yaml"))
        list(import_files(opened, [folder / "one.txt", folder / "two.txt"]))
        link_participants(opened, folder / "people.csv")
        for document in ("one.txt", "two.txt"):
            code_named(opened, document, "Alpha", 3, 10, "lin")
            code_named(opened, document, "Alpha", 20, 27, "sara")
            code_named(opened, document, "Beta", 8, 13, "lin")
            code_named(opened, document, "Beta", 45, 50, "lin")
            code_named(opened, document, "Child of alpha", 33, 36, "lin")
        code_named(opened, "two.txt", "Gamma AND Delta", 0, 2, "lin")
        yield opened


def spans(project, expression, unit="span", where=None, document="one.txt"):
    return [(s.start, s.end) for s in query.run(project, expression, unit=unit, where=where) if s.document == document]


# ------------------------------------------------------------------------ parsing
@pytest.mark.parametrize(
    ("expression", "tree"),
    [
        ("Trust", Term("Trust")),
        ("Institutional trust AND Hukou", Binary("AND", Term("Institutional trust"), Term("Hukou"))),
        ("A OR B AND C", Binary("OR", Term("A"), Binary("AND", Term("B"), Term("C")))),
        ("(A OR B) AND NOT C", Binary("AND", Binary("OR", Term("A"), Term("B")), Not(Term("C")))),
        ("A & !B | C", Binary("OR", Binary("AND", Term("A"), Not(Term("B"))), Term("C"))),
        ('"Gamma AND Delta" OR 信任', Binary("OR", Term("Gamma AND Delta"), Term("信任"))),
        ("NOT NOT Trust/Distrust", Not(Not(Term("Trust/Distrust")))),
    ],
)
def test_parse(expression, tree):
    assert query.parse(expression) == tree


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("Trust AND", "ends where a code name should follow"),
        ("(Trust OR Hukou", "is not closed"),
        ("Trust)", "unexpected ')'"),
        ("AND Trust", "unexpected 'AND'"),
        ('""', "empty quoted code name"),
        ('"unclosed', "cannot read"),
        ("(" * 60 + "A" + ")" * 60, "nested too deeply"),
        ("A OR " * 500 + "A", "longer than 2000 characters"),
    ],
)
def test_parse_errors_are_one_line(expression, problem):
    with pytest.raises(WorkbenchError) as caught:
        query.parse(expression)
    assert problem in str(caught.value) and "\n" not in str(caught.value)


# ---------------------------------------------------------------------- span unit
@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Alpha", [(3, 10), (20, 27), (33, 36)]),  # a code includes its sub-codes
        ("甲", [(3, 10), (20, 27), (33, 36)]),
        ("Alpha/Child of alpha", [(33, 36)]),
        ("Alpha AND Beta", [(8, 10)]),
        ("Alpha OR Beta", [(3, 13), (20, 27), (33, 36), (45, 50)]),
        ("Alpha AND NOT Beta", [(3, 8), (20, 27), (33, 36)]),
        ("NOT Alpha", [(0, 3), (10, 20), (27, 33), (36, 55)]),
        ("Beta AND NOT Beta", []),
        ("Alpha OR Beta AND Child of alpha", [(3, 10), (20, 27), (33, 36)]),
        ("(Alpha OR Beta) AND NOT Child of alpha", [(3, 13), (20, 27), (45, 50)]),
        ("Alpha | Beta & !Alpha", [(3, 13), (20, 27), (33, 36), (45, 50)]),
    ],
)
def test_span_semantics(project, expression, expected):
    assert spans(project, expression) == expected


def test_segments_carry_text_speaker_and_case(project):
    (first, *_), = [query.run(project, "Alpha AND Beta", where={"city": "Yiwu"})]
    assert (first.document, first.text, first.speaker, first.case) == ("one.txt", "aa", "I", "P1")


def test_quoted_names_may_hold_operator_words(project):
    assert spans(project, '"Gamma AND Delta"', document="two.txt") == [(0, 2)]
    assert spans(project, '"Gamma AND Delta"') == []


# ---------------------------------------------------------------------- turn unit
@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Beta", [(3, 13), (45, 55)]),
        ("Alpha AND Beta", [(3, 13)]),
        ("Alpha AND NOT Beta", [(17, 27), (31, 41)]),
        ("NOT (Alpha OR Beta)", []),
        ("NOT Beta", [(17, 27), (31, 41)]),
    ],
)
def test_turn_semantics(project, expression, expected):
    assert spans(project, expression, unit="turn") == expected


def test_turn_segments_hold_the_whole_turn(project):
    segment = query.run(project, "Alpha AND Beta", unit="turn")[0]
    assert segment.text == "aaaaaaaaaa" and segment.speaker == "I"


# -------------------------------------------------------------------------- where
def test_where_filters_documents_by_case_attributes(project):
    assert {s.document for s in query.run(project, "Beta")} == {"one.txt", "two.txt"}
    assert {s.document for s in query.run(project, "Beta", where={"city": "xiamen"})} == {"two.txt"}
    assert {s.document for s in query.run(project, "Beta", where={"document": "one.txt"})} == {"one.txt"}
    assert query.run(project, "Beta", where={"city": "Beijing"}) == []
    with pytest.raises(WorkbenchError, match=r"unknown attribute religion .*\(known: .*city"):
        query.run(project, "Beta", where={"religion": "none"})


def test_unknown_codes_and_units_are_refused(project):
    with pytest.raises(WorkbenchError, match="no code named 'Omega'"):
        query.run(project, "Alpha AND Omega")
    with pytest.raises(WorkbenchError, match="unit 'page'"):
        query.run(project, "Alpha", unit="page")


# ----------------------------------------------------------------------- the demo
def _covered(segments) -> dict[str, set[int]]:
    covered: dict[str, set[int]] = {}
    for segment in segments:
        covered.setdefault(segment.document, set()).update(range(segment.start, segment.end))
    return covered


def test_demo_queries_obey_set_algebra(demo_file):
    with Project.open(demo_file) as demo:
        trust = _covered(query.run(demo, "Trust"))
        distrust = _covered(query.run(demo, "Trust/Distrust"))
        both = _covered(query.run(demo, "Trust AND Co-production"))
        cooperation = _covered(query.run(demo, "Co-production"))
        without = _covered(query.run(demo, "Trust AND NOT Distrust"))
        either = _covered(query.run(demo, "信任 OR Co-production"))
        yiwu = query.run(demo, "Trust", where={"city": "Yiwu"})
    assert trust and distrust and both
    for document in trust:
        assert without.get(document, set()) == trust[document] - distrust.get(document, set())
        assert either[document] >= trust[document]
    for document in both:
        assert both[document] == trust[document] & cooperation[document]
    assert yiwu and {s.case for s in yiwu} <= {"P01", "P02", "P09-yiwu-focus-group"}


def test_demo_turn_unit_returns_whole_turns(demo_file):
    with Project.open(demo_file) as demo:
        segments = query.run(demo, "Trust AND Co-production", unit="turn")
        turns = {(d.id, t.start, t.end) for d in demo.documents() for t in demo.turns(d.id)}
    assert segments
    assert all((s.document_id, s.start, s.end) in turns for s in segments)


# ---------------------------------------------------------------------- intervals
ranges = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)).map(sorted).map(tuple), max_size=8)


def as_set(rs) -> set[int]:
    return {i for start, end in rs for i in range(start, end)}


@settings(max_examples=300, deadline=None)
@given(ranges, ranges)
def test_interval_algebra_matches_sets(left, right):
    a, b = intervals.union(left), intervals.union(right)
    for result in (a, b, intervals.intersect(a, b), intervals.complement(a, 60)):
        assert all(s < e for s, e in result)
        assert all(result[i][1] < result[i + 1][0] for i in range(len(result) - 1))  # disjoint, not touching
    assert as_set(a) == as_set(left)
    assert as_set(intervals.union(a + b)) == as_set(a) | as_set(b)
    assert as_set(intervals.intersect(a, b)) == as_set(a) & as_set(b)
    assert as_set(intervals.complement(a, 60)) == set(range(60)) - as_set(a)
