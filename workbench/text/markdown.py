"""Markdown-inert text, for every Markdown writer (excerpts, the codebook and its appendix)."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_<>])")
_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])")


def escape(text: str) -> str:
    """Markdown-inert text: characters that would start emphasis, links, HTML or headings."""
    marker = lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1]  # noqa: E731
    return _LINE_START.sub(marker, _SPECIAL.sub(r"\\\1", text))
