"""The TUI's coding index, without Textual: places by id, counts by code and by document."""

from __future__ import annotations

import random
from collections import Counter

from workbench import intervals
from workbench.tui.session import CodingIndex, Coverage


def test_coverage_grown_one_coding_at_a_time_is_the_union() -> None:
    rng = random.Random(3)
    for _ in range(50):
        ranges = []
        coverage = Coverage()
        for _ in range(rng.randint(0, 40)):
            start = rng.randrange(0, 300)
            end = start + rng.randint(0, 40)
            ranges.append((start, end))
            coverage.add(start, end)
            assert coverage.total == sum(e - s for s, e in intervals.union(ranges))
        assert Coverage(ranges).total == coverage.total


def test_the_index_follows_additions_moves_and_removals() -> None:
    index = CodingIndex([(1, 10, 100, 0, 5), (2, 10, 101, 3, 8), (3, 11, 100, 0, 2)])
    assert len(index) == 3 and index[2] == (10, 101, 3, 8) and 4 not in index
    assert index.code_counts() == Counter({100: 2, 101: 1})
    assert index.coded(10) == (2, 8) and index.coded(11) == (1, 2) and index.coded(12) == (0, 0)

    assert index.put(4, (10, 101, 20, 30)) is None
    assert index.coded(10) == (3, 18)
    assert index.put(2, (11, 100, 1, 4)) == (10, 101, 3, 8)  # moved to another document and code
    assert index.coded(10) == (2, 15) and index.coded(11) == (2, 4)
    assert index.code_counts() == Counter({100: 3, 101: 1})
    assert index.put(4, None) == (10, 101, 20, 30)
    assert index.put(4, None) is None
    assert index.code_counts() == Counter({100: 3}) and index.coded(10) == (1, 5)
    assert sorted(index.ranges(11)) == [(0, 2), (1, 4)]
    assert dict(index.items()) == {1: (10, 100, 0, 5), 2: (11, 100, 1, 4), 3: (11, 100, 0, 2)}


def test_outside_changes_are_sorted_by_what_they_touch() -> None:
    from workbench.tui.session import classify

    from workbench.model import Event

    def event(action: str, detail: str = "{}") -> Event:
        return Event(1, "2026-01-01T00:00:00+00:00", None, action, detail)

    changes = classify([event("code apply", '{"coding": 7}'), event("code remove", '{"coding": {"id": 8}}'),
                        event("code restore", '{"coding": 9}'), event("memo"), event("participants")])
    assert changes.coding_ids == [7, 8, 9] and changes.memos and changes.documents
    assert not changes.codes and not changes.everything
    assert classify([event("code move")]).codes and not classify([event("code move")]).everything
    # a coding event without a coding, an unknown action, a broken detail: reload everything
    assert classify([event("code apply", "not json")]).everything
    assert classify([event("code undelete", '{"codes": ["Trust"]}')]).everything
    assert classify([event("merge")]).everything and classify([]).coding_ids == []


def test_a_change_says_what_moved_and_nothing_when_the_store_agrees() -> None:
    index = CodingIndex([(1, 10, 100, 0, 5)])
    assert index.change(1, (10, 100, 0, 5)) is None
    assert index.change(1, (10, 101, 0, 5)) == ((10, 100, 0, 5), (10, 101, 0, 5))
    assert index.change(2, (11, 100, 2, 3)) == (None, (11, 100, 2, 3))
    assert index.change(1, None) == ((10, 101, 0, 5), None) and index.change(1, None) is None
    assert index.code_counts() == Counter({100: 1}) and len(index) == 1


def test_a_documents_codings_by_id() -> None:
    index = CodingIndex([(1, 10, 100, 0, 5), (2, 11, 100, 3, 8), (3, 10, 101, 1, 2)])
    assert sorted(index.of_document(10)) == [(1, (10, 100, 0, 5)), (3, (10, 101, 1, 2))]
    assert index.of_document(12) == []
