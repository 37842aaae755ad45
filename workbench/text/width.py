"""Display width in terminal cells: a wide or full-width (Chinese) character takes two.

The one rule for the core (tables, concordances, search contexts, PDF line lengths). The TUI
measures with Rich instead (`tui/layout.py`), since Rich is what draws its cells.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def char_cells(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cells(text: str) -> int:
    """Cells `text` takes in a terminal (ASCII fast: one each)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@functools.cache
def bmp_cells() -> np.ndarray:
    """Cells of every code point below U+10000, indexed by code point: whole documents at once."""
    import numpy as np

    return np.array([char_cells(chr(c)) for c in range(0x10000)], dtype=np.int32)
