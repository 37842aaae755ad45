"""Range algebra at its edges: spans that only touch, empty spans, ranges at the text's ends."""

from __future__ import annotations

from workbench.intervals import complement, intersect, overlaps, union


def test_touching_spans_do_not_overlap_and_sharing_one_character_does():
    assert not overlaps((0, 5), (5, 9)) and not overlaps((5, 9), (0, 5))
    assert overlaps((0, 5), (4, 9)) and overlaps((4, 9), (0, 5))
    assert overlaps((2, 3), (0, 9)) and overlaps((0, 9), (2, 3))  # one inside the other
    assert overlaps((0, 1), (0, 1)) and not overlaps((0, 1), (1, 2)) and not overlaps((1, 2), (0, 1))


def test_union_joins_touching_and_overlapping_spans_and_drops_empty_ones():
    assert union([(5, 9), (0, 5)]) == [(0, 9)]  # touching: one range
    assert union([(0, 6), (2, 4)]) == [(0, 6)]  # one inside another keeps the longer end
    assert union([(0, 4), (2, 8), (10, 12)]) == [(0, 8), (10, 12)]
    assert union([(3, 3), (7, 6), (1, 2)]) == [(1, 2)]  # empty and reversed spans are nothing
    assert union([(0, 1), (2, 3)]) == [(0, 1), (2, 3)]  # a gap of one character stays a gap
    assert union([]) == []


def test_intersect_of_touching_ranges_is_empty_and_of_overlapping_ones_is_their_common_part():
    assert intersect([(0, 5)], [(5, 9)]) == []
    assert intersect([(0, 5), (7, 9)], [(4, 8)]) == [(4, 5), (7, 8)]
    assert intersect([(4, 8)], [(0, 5), (7, 9)]) == [(4, 5), (7, 8)]
    assert intersect([(0, 3), (5, 9)], [(0, 3), (5, 9)]) == [(0, 3), (5, 9)]  # equal ends advance both
    assert intersect([(0, 10)], [(1, 2), (3, 4), (8, 12)]) == [(1, 2), (3, 4), (8, 10)]
    assert intersect([], [(0, 1)]) == [] and intersect([(0, 1)], []) == []


def test_complement_covers_the_gaps_and_both_ends():
    assert complement([(2, 4), (6, 8)], 10) == [(0, 2), (4, 6), (8, 10)]
    assert complement([(0, 4), (6, 10)], 10) == [(4, 6)]  # nothing before the start or after the end
    assert complement([(0, 4), (4, 10)], 10) == []  # touching ranges leave no empty gap
    assert complement([(0, 6), (2, 4)], 10) == [(6, 10)]  # a range inside another does not move back
    assert complement([], 3) == [(0, 3)] and complement([], 0) == []
