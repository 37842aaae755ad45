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
