"""Which speaker turns a span of a document touches: what co-occurrence by turn counts."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from .intervals import overlaps

if TYPE_CHECKING:
    from .store import Project

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class TurnIndex:
    """A document's turns as (start, end, idx), in order, with their starts for bisecting."""

    starts: list[int]
    spans: list[tuple[int, int, int]]

    @classmethod
    def of(cls, project: Project, document_id: int) -> TurnIndex:
        spans = [(t.start, t.end, t.idx) for t in project.turns(document_id)]
        return cls([s[0] for s in spans], spans)

    def touched(self, start: int, end: int) -> list[int]:
        """The idx of every turn the span [start, end) overlaps (an empty turn counts as one character)."""
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        touched = []
        for turn_start, turn_end, idx in self.spans[first:]:
            if turn_start >= end:
                break
            if overlaps((turn_start, max(turn_end, turn_start + 1)), (start, end)):
                touched.append(idx)
        return touched

    def keys_by_turn(self, spans: Iterable[tuple[int, int, Key]]) -> dict[int, set[Key]]:
        """turn idx -> the keys (codes) of the spans (start, end, key) that touch it."""
        in_turn: dict[int, set[Key]] = defaultdict(set)
        for start, end, key in spans:
            for turn in self.touched(start, end):
                in_turn[turn].add(key)
        return in_turn
