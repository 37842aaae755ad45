"""One normalised form for matching names, with a map back to the original text.

Names are compared after NFKC, full case folding (ß → ss), accents and other combining marks
dropped, curly and straight apostrophes, quotes and dashes made one, zero-width characters
removed and every whitespace character made a space. Matches are found in that form and
replaced in the ORIGINAL text, so the quotation keeps its own spelling everywhere else.

Folding is per character (a cached `str.translate` table), so a folded offset maps back to
the character it came from; most text folds one character to one and needs no map at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate

# Variants folded onto one character each: apostrophes, double quotes, dashes.
_VARIANTS = str.maketrans({
    **dict.fromkeys("’‘‛′`´ʼʹ＇", "'"),
    **dict.fromkeys("“”„‟″＂«»", '"'),
    **dict.fromkeys("‐‑‒–—―−﹣－", "-"),
})


def fold_char(ch: str) -> str:
    """The folded form of one character (may be empty, or longer than one character)."""
    if unicodedata.category(ch) == "Cf":  # zero-width space, joiners, soft hyphen, BOM
        return ""
    if ch.isspace():
        return " "
    text = unicodedata.normalize("NFKC", ch).casefold()
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).translate(_VARIANTS)


class _Table(dict):
    """code point -> folded text, filled on first sight; remembers which fold to other lengths."""

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        if len(folded) != 1:
            self.irregular.add(chr(code))
            self._pattern = None
        self[code] = folded
        return folded

    def irregular_pattern(self) -> re.Pattern[str] | None:
        if not self.irregular:
            return None
        if self._pattern is None:
            self._pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(self.irregular)) + "]")
        return self._pattern


TABLE = _Table()


def fold(text: str) -> str:
    """The folded form of a text."""
    return text.translate(TABLE)


@dataclass(frozen=True)
class Folded:
    """A text, its folded form and (only where lengths differ) where each folded character came from."""

    original: str
    folded: str
    owner: list[int] | None  # folded index -> original index; None when one to one

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of a folded span, taking in marks and zero-width characters after it."""
        if self.owner is None:
            return start, end
        first = self.owner[start]
        last = self.owner[end - 1] + 1
        # A combining accent or a zero-width character folds to nothing: it belongs to the name.
        while last < len(self.original) and TABLE[ord(self.original[last])] == "":
            last += 1
        return first, last


def folded(text: str) -> Folded:
    result = text.translate(TABLE)
    pattern = TABLE.irregular_pattern()
    if len(result) == len(text) and (pattern is None or not pattern.search(text)):
        return Folded(text, result, None)
    lengths = [len(TABLE[ord(c)]) for c in text]
    owner = [0] * len(result)
    for index, (end, length) in enumerate(zip(accumulate(lengths), lengths, strict=True)):
        for k in range(end - length, end):
            owner[k] = index
    return Folded(text, result, owner)


_SEPARATORS = re.compile(r"[\s\-_.·・]+")


def term_key(term: str) -> str:
    """A term's folded form with its word separators as single spaces: the key a table row is known by."""
    return _SEPARATORS.sub(" ", fold(term)).strip()
