"""Print layout out of extracted PDF text: page furniture dropped, hard-wrapped lines joined."""

from __future__ import annotations

import re
from collections import Counter

from ..text.width import cells, is_wide
from .turns import LABEL_LINE, looks_like_speaker, speaker_headings

EDGE_LINES = 3  # headers and footers live in the first and last few lines of a page
PAGE_NUMBER = re.compile(r"^(?:page\s*)?#(?:\s*(?:/|of)\s*#)?$"  # page 3, 3 of 9
                         r"|^第\s*#\s*页(?:\s*[/，,]?\s*共\s*#\s*页)?$", re.IGNORECASE)  # 第3页，共9页
FULL_LINE = 0.75  # a line this share of the usual width or more was wrapped by the printer


def unprint(pages: list[str]) -> str:
    """One text from a PDF's pages: paragraphs separated by blank lines, speaker headings kept apart."""
    lines = [line.rstrip() for line in _without_furniture(pages)]
    headings = speaker_headings(lines)
    width = _usual_width(lines)
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if stripped in headings:
            if current:
                paragraphs.append(current)
            paragraphs.append(stripped)
            current = ""
            continue
        if current and _opens_turn(stripped):  # "Respondent: …" starts afresh, however full the line before
            paragraphs.append(current)
            current = ""
        current = _join(current, stripped) if current else stripped
        if cells(stripped) < FULL_LINE * width:  # a short line ends its paragraph
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _opens_turn(line: str) -> bool:
    match = LABEL_LINE.match(line)
    return bool(match and looks_like_speaker(match.group("label").strip()))


def _without_furniture(pages: list[str]) -> list[str]:
    """Every page's lines but those repeated at the top or bottom of most pages (digits aside).

    A speaker heading (`Interviewer 1`) opening every page is speech, not furniture.
    """
    split = [[line for line in page.splitlines()] for page in pages]
    edges = [_edge_indexes(lines) for lines in split]
    seen: Counter = Counter()
    for lines, indexes in zip(split, edges, strict=True):
        seen.update({_shape(lines[i]) for i in indexes})
    repeated = {shape for shape, count in seen.items() if len(pages) >= 2 and count >= max(2, 0.6 * len(pages))}
    kept: list[str] = []
    for lines, indexes in zip(split, edges, strict=True):
        for number, line in enumerate(lines):
            shape = _shape(line)
            furniture = shape in repeated or PAGE_NUMBER.match(shape)
            if number in indexes and furniture and not looks_like_speaker(line, True):
                continue
            kept.append(line)
    return kept


def _edge_indexes(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])


def _shape(line: str) -> str:
    """A line with its numbers masked: `https://…/print 1/20` and `… 2/20` have one shape."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _usual_width(lines: list[str]) -> float:
    widths = sorted(cells(line.strip()) for line in lines if line.strip())
    return widths[int(len(widths) * 0.9)] if widths else 0


def _join(left: str, right: str) -> str:
    """Chinese joins without a space; a word broken by a hyphen joins without one too."""
    if is_wide(left[-1]) and is_wide(right[0]):
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].islower():
        return left + right
    return left + " " + right
