"""TurnIndex: the turns a span touches, and the codes that meet in each turn."""

from __future__ import annotations

from workbench.turn_index import TurnIndex


def _index() -> TurnIndex:
    spans = [(0, 10, 0), (10, 10, 1), (12, 30, 2)]  # turn 1 is empty: it counts as one character
    return TurnIndex([s[0] for s in spans], spans)


def test_a_span_touches_every_turn_it_overlaps_and_no_other():
    index = _index()
    assert index.touched(2, 5) == [0]
    assert index.touched(5, 15) == [0, 1, 2]
    assert index.touched(10, 11) == [1]
    assert index.touched(30, 40) == []


def test_keys_meet_in_the_turns_their_spans_touch():
    assert _index().keys_by_turn([(0, 3, "a"), (4, 11, "b"), (20, 25, "a")]) == {0: {"a", "b"}, 1: {"b"}, 2: {"a"}}
