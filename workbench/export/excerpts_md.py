"""Excerpts as Markdown: a heading per code, its definition, each excerpt a block quotation."""

from __future__ import annotations

from pathlib import Path

from ..text.markdown import escape
from .document import Block, title
from .files import write_text


def render(blocks: list[Block], by: str = "code") -> str:
    lines = [f"# {title(blocks, by)}", ""]
    for block in blocks:
        lines += [f"## {escape(block.heading)}", ""]
        if block.note:
            lines += [f"*{escape(block.note)}*", ""]
        for quote in block.quotes:
            body = quote.text.splitlines() or [""]
            lines += [f"> {escape(line)}" if line.strip() else ">" for line in body]
            if quote.translation:
                lang = f" ({quote.translation_lang})" if quote.translation_lang else ""
                lines += [">", f"> *Translation{lang}:* {escape(' '.join(quote.translation.split()))}"]
            lines += [">", f"> — {escape(quote.citation)}"]
            extra = [f"code: {escape(quote.code)}"] if by == "case" else []
            if quote.coder:
                extra.append(f"coded by {escape(quote.coder)}")
            lines += ["", f"*{'; '.join(extra)}*" if extra else "", ""]
            if quote.memo:
                lines += [f"Memo: {escape(' '.join(quote.memo.split()))}", ""]
        lines.append("")
    return "\n".join(line for line in _squeeze(lines)) + "\n"


def _squeeze(lines: list[str]):
    blank = False
    for line in lines:
        if line == "" and blank:
            continue
        blank = line == ""
        yield line


def write(blocks: list[Block], path: str | Path, by: str = "code") -> None:
    write_text(path, render(blocks, by))
