"""The shared shape of an excerpts document: headings, their notes, quotations and citations.

Markdown, DOCX, HTML and LaTeX writers all walk the same `Block`s, so the four formats hold the
same text; de-identification is applied once, here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .citations import citer
from .select import Excerpt, group, merge_coders


@dataclass(frozen=True)
class Quote:
    text: str
    citation: str
    code: str  # shown when grouped by case
    coder: str
    memo: str = ""
    translation: str = ""
    translation_lang: str = ""
    codings: int = 1  # several coders' codings of one span are quoted once

    def details(self, by: str) -> list[str]:
        """What a quotation's citation line adds: its code when grouped by case, and its coder."""
        return ([f"code: {self.code}"] if by == "case" else []) + ([f"coded by {self.coder}"] if self.coder else [])


@dataclass(frozen=True)
class Block:
    heading: str
    note: str = ""  # the code's definition
    quotes: list[Quote] = field(default_factory=list)


def blocks(excerpts: list[Excerpt], by: str = "code", cite: str = "",
           clean: Callable[[str], str] | None = None) -> list[Block]:
    """Excerpts (one per code and span) under headings, every text cleaned when de-identifying."""
    keep = clean or (lambda text: text)
    citation = citer(cite, clean)
    result = []
    for heading, members in group(merge_coders(excerpts), by):
        note = members[0].definition if by == "code" else ""
        result.append(Block(
            heading=heading if by == "code" else keep(heading), note=note,
            quotes=[Quote(keep(e.text.strip()), citation(e), e.code, e.coder, keep(e.memo), keep(e.translation),
                          e.translation_lang, max(1, len(e.coding_ids))) for e in members],
        ))
    return result


def counted(blocks: list[Block]) -> str:
    """'15 excerpts (16 codings)': merged excerpts say how many codings they stand for."""
    excerpts = sum(len(b.quotes) for b in blocks)
    codings = sum(q.codings for b in blocks for q in b.quotes)
    text = f"{excerpts} excerpt{'s' if excerpts != 1 else ''}"
    return text + (f" ({codings} codings)" if codings != excerpts else "")


def title(blocks: list[Block], by: str) -> str:
    return f"Coded excerpts ({counted(blocks)}, by {by})"
