"""Context windows: the text within so many display columns on each side of a span.

Used by the concordance (`kwic`) and by `search`. A run of blanks holding a line break counts as
the one ⏎ it is shown as, so a window holds whole characters and never wraps. Widths are summed
once per text; a window is then two binary searches: vectorised with numpy for long texts or where
numpy is loaded anyway (the concordance), plain Python for a turn, so `search` loads no numpy.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from itertools import accumulate

from .width import bmp_cells, char_cells

BREAK = "⏎"  # a line break inside a context, so every line stays one line
BLANK = " \t\n" + BREAK
NUMPY_FROM = 20_000  # characters: below this, summing widths in Python is as quick as importing numpy
_RUN = re.compile(r"[ \t]*\n[ \t\n]*")  # a run of blanks with a line break in it: shown as one ⏎


def flat(piece: str) -> str:
    """A piece of text on one line: each run of blanks with a line break becomes ⏎, tabs spaces."""
    if "\n" in piece or "\t" in piece:
        return _RUN.sub(BREAK, piece).replace("\t", " ")
    return piece


class Contexts:
    """Context windows in one text, its display columns summed once for all its spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        vectorised = len(text) >= NUMPY_FROM or "numpy" in sys.modules  # kwic has it loaded already
        self.cum = _cumulative_numpy(text) if vectorised else _cumulative(text)

    def bounds(self, spans: list[tuple[int, int]], width: int) -> list[tuple[int, int]]:
        """(first, last) around each (start, end): text[first:start] and text[end:last] are the widest
        runs of whole characters within `width` columns; shorter at the text's edges."""
        cum = self.cum
        if isinstance(cum, list):
            return [(bisect_left(cum, cum[s] - width), bisect_right(cum, cum[e] + width) - 1) for s, e in spans]
        import numpy as np

        starts = np.fromiter((s for s, _ in spans), dtype=np.int64, count=len(spans))
        ends = np.fromiter((e for _, e in spans), dtype=np.int64, count=len(spans))
        lefts = np.searchsorted(cum, cum[starts] - width, side="left").tolist()
        rights = (np.searchsorted(cum, cum[ends] + width, side="right") - 1).tolist()
        return list(zip(lefts, rights, strict=True))

    def lines(self, spans: list[tuple[int, int]], width: int) -> list[tuple[str, str]]:
        """(left, right) contexts of `width` columns around each (start, end), on one line each, never
        starting or ending on a break or a blank."""
        text = self.text
        return [(flat(text[a:s]).lstrip(BLANK), flat(text[e:b]).rstrip(BLANK))
                for (s, e), (a, b) in zip(spans, self.bounds(spans, width), strict=True)]


def _cumulative(text: str) -> list[int]:
    widths = [1] * len(text) if text.isascii() else [char_cells(ch) for ch in text]
    for run in _RUN.finditer(text):
        widths[run.start():run.end()] = [1] + [0] * (run.end() - run.start() - 1)
    return list(accumulate(widths, initial=0))


def _cumulative_numpy(text: str):
    import numpy as np

    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    widths = bmp_cells()[np.minimum(points, 0xFFFF)]
    for i in np.nonzero(points > 0xFFFF)[0]:
        widths[i] = char_cells(text[i])
    blank = (points == 32) | (points == 9) | (points == 10)
    if (points == 10).any():
        first = blank & ~np.concatenate(([False], blank[:-1]))
        block = np.cumsum(first) - 1
        breaks = np.bincount(block[points == 10], minlength=int(block[-1]) + 1) > 0
        run = blank & breaks[np.maximum(block, 0)]
        widths[run] = 0
        widths[run & first] = 1  # the whole run shows as one ⏎
    return np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(widths, dtype=np.int64)))
