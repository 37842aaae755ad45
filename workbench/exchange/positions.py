"""Positions between the standard's readers and our text: UTF-16 units, code points, CRLF.

Qt- and .NET-based tools count UTF-16 code units, and NVivo counts both characters of each
CRLF; our documents store normalised text (no BOM, LF line ends, NFC) indexed by code point.
A `PositionMap` carries a raw text's offsets through the same normalisation the importers
apply, so a selection lands on the characters the other program meant.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from ..text.normalize import BOM


def astral_indices(text: str) -> list[int]:
    """Code-point indices of characters outside the BMP (two UTF-16 units each)."""
    if text.isascii() or not _has_astral(text):  # the common case, checked at C speed
        return []
    return [match.start() for match in _ASTRAL.finditer(text)]  # a regex scan, not a Python loop


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _has_astral(text: str) -> bool:
    return len(text.encode("utf-16-le")) != 2 * len(text)


@dataclass(frozen=True)
class Utf16Map:
    """Converts between code-point indices and UTF-16 unit offsets of one text."""

    astral: tuple[int, ...]  # code-point indices of non-BMP characters
    length: int

    @classmethod
    def of(cls, text: str) -> Utf16Map:
        return cls(tuple(astral_indices(text)), len(text))

    @property
    def units(self) -> int:
        return self.length + len(self.astral)

    def to_units(self, index: int) -> int:
        """UTF-16 offset of a code-point index (what Qt and .NET tools count)."""
        return index + bisect_left(self.astral, index)

    def from_units(self, units: int) -> int:
        """Code-point index of a UTF-16 offset; an offset inside a surrogate pair rounds down."""
        if not self.astral:
            return units
        # The k-th astral character starts at unit astral[k] + k and ends at astral[k] + k + 2.
        lo, hi = 0, len(self.astral)
        while lo < hi:  # count astral characters that start before `units`
            mid = (lo + hi) // 2
            if self.astral[mid] + mid < units:
                lo = mid + 1
            else:
                hi = mid
        return units - lo


@dataclass(frozen=True)
class Normalised:
    """A raw text normalised as the importers do, with a map from raw offsets to ours."""

    text: str
    removed: tuple[int, ...]  # raw code-point indices that the normalisation dropped
    raw_length: int

    def from_raw(self, index: int) -> int:
        """Our offset for a raw code-point offset (a dropped character maps to its successor)."""
        return index - bisect_left(self.removed, index)

    def to_raw(self, index: int) -> int:
        """The raw index of the character we keep at `index` (the inverse of `from_raw` on it)."""
        lo, hi = index, index + len(self.removed) + 1
        while lo < hi:  # the first raw index that maps past `index`, less one
            mid = (lo + hi) // 2
            if self.from_raw(mid) <= index:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1


def normalise(raw: str) -> Normalised:
    """Strip leading BOMs, CRLF and lone CR to LF, compose to NFC, remembering what moved.

    Gives exactly `workbench.text.normalize.normalize(raw)` when composition works run by run
    (always, in practice); otherwise NFC is left out rather than risk misplaced positions.
    """
    removed: list[int] = []
    start = len(raw) - len(raw.lstrip(BOM))
    removed.extend(range(start))
    body = raw[start:]
    pieces: list[str] = []
    position = 0
    for index in _find_all(body, "\r"):
        pieces.append(body[position:index])
        if body.startswith("\r\n", index):
            removed.append(start + index)  # the CR of a CRLF goes; the LF stays
        else:
            pieces.append("\n")
        position = index + 1
    pieces.append(body[position:])
    text = "".join(pieces)  # without a CR: the body itself, not a copy
    if unicodedata.is_normalized("NFC", text):
        return Normalised(text, tuple(removed), len(raw))
    result = _compose(text)
    if result is None or result[0] != unicodedata.normalize("NFC", text):
        return Normalised(text, tuple(removed), len(raw))
    composed, dropped = result
    # `dropped` indexes the CRLF-normalised text; carry each back to a raw index.
    first = Normalised(text, tuple(removed), len(raw))
    raw_dropped = [first.to_raw(i) for i in dropped]
    return Normalised(composed, tuple(sorted(removed + raw_dropped)), len(raw))


def _find_all(text: str, needle: str):
    index = text.find(needle)
    while index != -1:
        yield index
        index = text.find(needle, index + 1)


def _compose(text: str) -> tuple[str, list[int]] | None:
    """NFC run by run (a starter and what follows it), recording the indices each run lost.

    None when a run grows (composition-excluded characters decompose): then no offset map fits.
    """
    pieces: list[str] = []
    dropped: list[int] = []
    run_start = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and (unicodedata.combining(text[index]) or _joins(text[index])):
            continue
        run = text[run_start:index]
        done = unicodedata.normalize("NFC", run)
        if len(done) > len(run):
            return None
        pieces.append(done)
        dropped.extend(range(run_start + len(done), run_start + len(run)))
        run_start = index
    return "".join(pieces), dropped


def _joins(ch: str) -> bool:
    """Starters that compose with the character before them (Hangul vowels and finals)."""
    return "\u1161" <= ch <= "\u11c2"


def clamp_span(start: int, end: int, length: int) -> tuple[int, int] | None:
    """A span inside a text of `length`, or None when nothing of it is inside."""
    if start < 0 or end > length or end <= start:
        return None
    return start, end
