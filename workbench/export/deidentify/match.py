"""Finding terms in text on the normalised form, where the language says a word is there.

Latin-script (and other spaced-script) terms match as whole words: `Li` never matches inside
`Living`, while `hans_weiss` in a file name and `Chen-Jun` do match `Chen Jun`. Chinese has no
spaces, so a Han term found inside a longer run is checked against jieba's dictionary: a hit
whose edge cuts through a dictionary word (陈 in 陈旧, 京东 in 北京东路) is not the name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .normal import folded, term_key

CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Between the words of a name: any run of spaces, hyphens, underscores, dots (or none).
_SEPARATOR = r"[\s\-_.·・]*"
# A word edge for spaced scripts: no letter or digit of a spaced script next to it (CJK is fine).
_BEFORE = rf"(?:(?<![^\W_])|(?<=[{CJK}]))"
_AFTER = rf"(?:(?![^\W_])|(?=[{CJK}]))"
# A dictionary word that is the name plus one of these is still the name (义乌市, 老陈, 王女士).
NAME_PREFIXES = frozenset({"", "老", "小", "阿"})
NAME_SUFFIXES = frozenset("市县省区镇村乡州路街人") | frozenset({
    "", "先生", "女士", "小姐", "太太", "老师", "书记", "主任", "经理", "师傅", "阿姨", "局长", "村长", "老板",
    "公司", "集团"})
WINDOW = 8  # Han characters of context on each side given to jieba


@dataclass(frozen=True)
class Hit:
    start: int  # in the original text
    end: int
    key: str  # the term's key (normal.term_key)


def is_han_term(key: str) -> bool:
    """A term matched as Chinese: it starts and ends with a CJK character."""
    return bool(key) and bool(_CJK_CHAR.match(key[0])) and bool(_CJK_CHAR.match(key[-1]))


class Matcher:
    """Every term at once, as two regular expressions shaped as tries (one pass over the text)."""

    def __init__(self, terms: Iterable[str]):
        keys = sorted({term_key(t) for t in terms} - {""}, key=lambda k: (-len(k), k))
        self.keys = keys
        han = [k for k in keys if is_han_term(k)]
        spaced = [k for k in keys if not is_han_term(k)]
        self._compact = {k.replace(" ", "").replace("'", ""): k for k in spaced}
        parts = []
        if spaced:
            parts.append(f"(?P<w>{_BEFORE}{_trie(spaced)}{_AFTER})")
        if han:
            parts.append(f"(?P<h>{_trie(han)})")
        self.pattern = re.compile("|".join(parts)) if parts else None

    def find(self, text: str) -> Iterator[Hit]:
        if self.pattern is None or not text:
            return
        form = folded(text)
        for match in self.pattern.finditer(form.folded):
            start, end = match.span()
            if match.lastgroup == "h":
                key = match.group()
                if not stands_alone(form.folded, start, end):
                    continue
            else:
                key = self._compact[_SEPARATORS_AND_APOSTROPHES.sub("", match.group())]
            first, last = form.span(start, end)
            yield Hit(first, last, key)

    def replace(self, text: str, replacement: dict[str, str], counts: dict[str, int] | None = None) -> str:
        """The text with every hit replaced by its term's replacement (counted in `counts`)."""
        pieces, at = [], 0
        for hit in self.find(text):
            pieces.append(text[at:hit.start])
            pieces.append(replacement[hit.key])
            at = hit.end
            if counts is not None:
                counts[hit.key] = counts.get(hit.key, 0) + 1
        if not pieces:
            return text
        pieces.append(text[at:])
        return "".join(pieces)


_SEPARATORS_AND_APOSTROPHES = re.compile(r"[\s\-_.·・']+")


def stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (Han) is a word here: no dictionary word crosses either edge."""
    left = start
    while left > 0 and start - left < WINDOW and _HAN_RUN.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and right - end < WINDOW and _HAN_RUN.match(text[right]):
        right += 1
    if left == start and right == end:
        return True
    return _alone(text[left:right], start - left, end - left)


@functools.lru_cache(maxsize=65536)
def _alone(window: str, start: int, end: int) -> bool:
    from ...text.segment import quiet_jieba

    quiet_jieba()
    import jieba

    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    at = 0
    for word in jieba.lcut(window, HMM=False):
        word_end = at + len(word)
        crosses = (at < start < word_end) or (at < end < word_end)
        if crosses and len(word) >= 2 and freq.get(word, 0) > 0:
            inside = at <= start and end <= word_end
            if not (inside and word[:start - at] in NAME_PREFIXES and word[end - at:] in NAME_SUFFIXES):
                return False
        at = word_end
    return True


def _trie(keys: list[str]) -> str:
    """A regular expression matching any key, longest first, factored by prefix; a space in a key
    matches any separator run and an apostrophe may be missing (O'Brien, OBrien)."""
    root: dict = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def atom(ch: str) -> str:
        if ch == " ":
            return _SEPARATOR
        if ch == "'":
            return "'?"
        return re.escape(ch)

    def emit(node: dict) -> str:
        branches = [atom(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)
