"""Tables for the terminal that fit: columns as wide as their content, names elided in the middle.

One helper for every table the command line prints (documents, agree, export --table) and for
the TUI's code tree names, so Chinese counts two columns everywhere and a name that must be cut
keeps both its start and its end (`Data q…ality`, `reviews_…group_b`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from .text.width import cells

ELLIPSIS = "…"
MIN_FLEX = 8  # a shrinking column keeps at least this many cells


def elide_middle(text: str, width: int) -> str:
    """`text` in at most `width` cells, with … in the middle when it must be cut."""
    if cells(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    room = width - 1
    head_room, tail_room = (room + 1) // 2, room // 2
    head, used = "", 0
    for ch in text:
        w = cells(ch)
        if used + w > head_room:
            break
        head, used = head + ch, used + w
    tail, used = "", 0
    for ch in reversed(text[len(head):]):
        w = cells(ch)
        if used + w > tail_room:
            break
        tail, used = ch + tail, used + w
    return head + ELLIPSIS + tail


def elide_end(text: str, width: int) -> str:
    """`text` in at most `width` cells, cut at the end with …."""
    if cells(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        if used + cells(ch) > width - 1:
            break
        out, used = out + ch, used + cells(ch)
    return out + ELLIPSIS


def unique_labels(labels: Sequence[str], width: int) -> list[str]:
    """Labels elided in the middle to `width`; any that still read the same are numbered (`…#2`)."""
    shown = [elide_middle(label, width) for label in labels]
    seen: dict[str, int] = {}
    for label in shown:
        seen[label] = seen.get(label, 0) + 1
    count: dict[str, int] = {}
    result = []
    for label, original in zip(shown, labels, strict=True):
        if seen[label] > 1 and label != original:
            count[label] = count.get(label, 0) + 1
            suffix = f"#{count[label]}"
            label = elide_middle(original, max(1, width - len(suffix))) + suffix
        result.append(label)
    return result


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - cells(text))
    return space + text if right else text + space


def terminal_width() -> int | None:
    """The width to fit, or None when output goes to a pipe or file (then nothing is cut)."""
    if "COLUMNS" in os.environ:
        try:
            return int(os.environ["COLUMNS"])
        except ValueError:
            pass
    if sys.stdout.isatty():
        return shutil.get_terminal_size((100, 24)).columns
    return None


@dataclass(frozen=True)
class Column:
    """A column's header; `right` aligns numbers; `flex` lets it shrink (names) when space is short."""

    header: str
    right: bool = False
    flex: bool = False


def render(columns: Sequence[Column], rows: Sequence[Sequence[object]], width: int | None = None,
           gap: str = "  ") -> list[str]:
    """The header and rows, each column as wide as its widest cell, flexible ones shrunk to fit `width`."""
    texts = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max([cells(c.header)] + [cells(row[i]) for row in texts]) for i, c in enumerate(columns)]
    if width is not None:
        excess = sum(widths) + len(gap) * (len(columns) - 1) - width
        while excess > 0:
            flexible = [i for i, c in enumerate(columns) if c.flex and widths[i] > MIN_FLEX]
            if not flexible:
                break
            # A cell at a time from the widest, so no name is cut to nothing while another stays whole.
            widest = max(flexible, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1

    def line(values: Sequence[str]) -> str:
        parts = [pad(elide_middle(v, w), w, c.right) for v, w, c in zip(values, widths, columns, strict=True)]
        return gap.join(parts).rstrip()

    return [line([c.header for c in columns])] + [line(row) for row in texts]
