"""Excerpts as Word (python-docx): a heading per code, its definition, quotations and citations."""

from __future__ import annotations

from pathlib import Path

from .document import Block, title
from .files import atomic_path

# Word shows East Asian text in the run's eastAsia font; without one it may pick a font lacking
# the glyphs. These are on Windows, macOS and most Linux desktops (the first found is used).
EAST_ASIAN_FONT = "Microsoft YaHei"


def build(blocks: list[Block], by: str = "code"):
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    count = sum(len(b.quotes) for b in blocks)
    document.add_heading(title(count, by), 0)
    quote_style = document.styles["Quote"]
    for block in blocks:
        document.add_heading(block.heading, 1)
        if block.note:
            note = document.add_paragraph()
            note.add_run(block.note).italic = True
        for quote in block.quotes:
            document.add_paragraph(quote.text, style=quote_style)
            if quote.translation:
                lang = f" ({quote.translation_lang})" if quote.translation_lang else ""
                translation = document.add_paragraph(style=quote_style)
                translation.add_run(f"Translation{lang}: ").bold = True
                translation.add_run(quote.translation)
            cite = document.add_paragraph(quote.citation)
            cite.paragraph_format.space_after = Pt(4)
            details = ([f"code: {quote.code}"] if by == "case" else []) + (
                [f"coded by {quote.coder}"] if quote.coder else [])
            if details:
                run = cite.add_run("   " + "; ".join(details))
                run.italic = True
                run.font.size = Pt(8)
            if quote.memo:
                memo = document.add_paragraph()
                memo.add_run("Memo: ").bold = True
                memo.add_run(quote.memo)
    return document


def write(blocks: list[Block], path: str | Path, by: str = "code") -> None:
    document = build(blocks, by)
    with atomic_path(path) as temporary:
        document.save(str(temporary))
