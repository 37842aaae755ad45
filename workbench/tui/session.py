"""What the open workbench knows about the project, without Textual: the codings index and
what the audit trail says changed.

The view keeps every coding's place so that a change from anywhere (this window, another
coder, a script) updates counts and rows one coding at a time instead of reloading 20,000
(issue 24). Plain Python, tested without Pilot.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Final, TypeVar

from .. import intervals
from ..model import Event
from ..store.events import CODE_ACTIONS, CODING_ACTIONS, DOCUMENT_ACTIONS, MEMO_ACTIONS

Place = tuple[int, int, int, int]  # (document id, code id, start, end)
T = TypeVar("T")


class Failed(Enum):
    """What the app's `attempt` returns when a change was refused (shown to the person already)."""

    FAILED = "failed"


FAILED: Final = Failed.FAILED  # `result is FAILED` narrows `T | Failed` to `T`


class Coverage:
    """The characters of one document under at least one coding: disjoint sorted intervals and
    their total, grown one coding at a time (a removal rebuilds it, see `CodingIndex`)."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        merged = intervals.union(ranges)  # one sort and a pass, not a bisect per coding
        self.starts: list[int] = [start for start, _ in merged]
        self.ends: list[int] = [end for _, end in merged]
        self.total = sum(end - start for start, end in merged)

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        first = bisect.bisect_left(self.ends, start)  # the first interval ending at or after start
        last = bisect.bisect_right(self.starts, end)  # past the last one starting at or before end
        if first < last:
            self.total -= sum(e - s for s, e in zip(self.starts[first:last], self.ends[first:last], strict=True))
            start, end = min(start, self.starts[first]), max(end, self.ends[last - 1])
        self.starts[first:last] = [start]
        self.ends[first:last] = [end]
        self.total += end - start


class CodingIndex:
    """Every coding's place by id, with its counts by code and by document kept up to date."""

    def __init__(self, rows: Iterable[tuple[int, int, int, int, int]] = ()):
        """`rows`: (coding id, document id, code id, start, end), as `Project.coding_places` gives them."""
        self._places: dict[int, Place] = {}
        self._by_document: defaultdict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
        self._by_code: Counter[int] = Counter()
        self._coverage: dict[int, Coverage] = {}  # made when first asked for, dropped on a removal
        # `put`'s work for 20,000 rows at once (a coding id appears once in the store's rows)
        places, by_document = self._places, self._by_document
        for coding_id, document_id, code_id, start, end in rows:
            places[coding_id] = (document_id, code_id, start, end)
            by_document[document_id][coding_id] = (start, end)
        self._by_code.update(place[1] for place in places.values())

    # reading, as a dict of coding id -> place
    def __len__(self) -> int:
        return len(self._places)

    def __contains__(self, coding_id: object) -> bool:
        return coding_id in self._places

    def __iter__(self) -> Iterator[int]:
        return iter(self._places)

    def __getitem__(self, coding_id: int) -> Place:
        return self._places[coding_id]

    def get(self, coding_id: int) -> Place | None:
        return self._places.get(coding_id)

    def items(self) -> Iterable[tuple[int, Place]]:
        return self._places.items()

    def values(self) -> Iterable[Place]:
        return self._places.values()

    # changing
    def put(self, coding_id: int, place: Place | None) -> Place | None:
        """Set (or with None, forget) a coding's place; returns the place it had."""
        old = self._places.pop(coding_id, None)
        if old is not None:
            del self._by_document[old[0]][coding_id]
            self._by_code[old[1]] -= 1
            if not self._by_code[old[1]]:
                del self._by_code[old[1]]
            self._coverage.pop(old[0], None)  # an interval cannot be taken out of a union: rebuild later
        if place is not None:
            self._places[coding_id] = place
            self._by_document[place[0]][coding_id] = (place[2], place[3])
            self._by_code[place[1]] += 1
            coverage = self._coverage.get(place[0])
            if coverage is not None:
                coverage.add(place[2], place[3])
        return old

    def change(self, coding_id: int, place: Place | None) -> tuple[Place | None, Place | None] | None:
        """Bring one coding in line with the store: (old place, new place), or None if it had not changed."""
        old = self._places.get(coding_id)
        if old == place:
            return None
        self.put(coding_id, place)
        return old, place

    # counting
    def code_counts(self) -> Counter[int]:
        """Codings per code id."""
        return Counter(self._by_code)

    def of_document(self, document_id: int) -> list[tuple[int, Place]]:
        """(coding id, place) of the codings of one document."""
        places = self._places
        return [(coding_id, places[coding_id]) for coding_id in self._by_document.get(document_id, {})]

    def ranges(self, document_id: int) -> list[tuple[int, int]]:
        """(start, end) of the codings of one document."""
        return list(self._by_document.get(document_id, {}).values())

    def coded(self, document_id: int) -> tuple[int, int]:
        """(codings, characters under at least one coding) of one document."""
        codings = self._by_document.get(document_id, {})
        coverage = self._coverage.get(document_id)
        if coverage is None:
            coverage = self._coverage[document_id] = Coverage(codings.values())
        return len(codings), coverage.total


# ------------------------------------------------------------------ outside changes
@dataclass
class Changes:
    """What a run of audit-trail entries touched, as far as the view redraws it."""

    coding_ids: list[int] = field(default_factory=list)  # codings to bring in line, one by one
    codes: bool = False
    documents: bool = False
    memos: bool = False
    everything: bool = False  # an entry the view cannot follow piece by piece: reload all


def classify(events: Iterable[Event]) -> Changes:
    """Sort audit-trail entries (as `Project.events_since` gives them) by what they change."""
    changes = Changes()
    for event in events:
        action = event.action
        coding_id = event_coding_id(event.details())
        if action in CODING_ACTIONS and coding_id is not None:
            changes.coding_ids.append(coding_id)
        elif action in CODE_ACTIONS:
            changes.codes = True
        elif action in DOCUMENT_ACTIONS:
            changes.documents = True
        elif action in MEMO_ACTIONS:
            changes.memos = True
        else:
            changes.everything = True
    return changes


def event_coding_id(detail: dict) -> int | None:
    """The coding an event is about: an id, or the removed coding's fields."""
    coding = detail.get("coding")
    if isinstance(coding, dict):
        coding = coding.get("id")
    return coding if isinstance(coding, int) and not isinstance(coding, bool) else None
