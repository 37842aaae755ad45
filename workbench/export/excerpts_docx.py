"""Excerpts as Word (python-docx): a heading per code, its definition, quotations and citations.

python-docx builds a paragraph in about a millisecond; 5,000 excerpts (20,000 paragraphs) took
over 20 s. So the body is written as WordprocessingML text with the template's own styles
(Title, Heading 1, Quote) and parsed once into python-docx's document, which saves it.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from .document import Block, title
from .files import atomic_path, neutral_docx_properties

# Word shows East Asian text in the run's eastAsia font; without one it may pick a font lacking
# the glyphs. Word on Windows and macOS has it; LibreOffice substitutes a CJK font.
EAST_ASIAN_FONT = "Microsoft YaHei"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 forbids


def _run(text: str, bold: bool = False, italic: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    lines = _NOT_XML.sub("", text).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{body}</w:r>"


def _paragraph(runs: str, style: str | None = None, after: int | None = None) -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:spacing w:after="{after}"/>' if after else "")
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


def body_xml(blocks: list[Block], by: str = "code") -> str:
    parts = [_paragraph(_run(title(blocks, by)), "Title")]
    for block in blocks:
        parts.append(_paragraph(_run(block.heading), "Heading1"))
        if block.note:
            parts.append(_paragraph(_run(block.note, italic=True)))
        for quote in block.quotes:
            parts.append(_paragraph(_run(quote.text), "Quote"))
            if quote.translation:
                lang = f" ({quote.translation_lang})" if quote.translation_lang else ""
                parts.append(_paragraph(_run(f"Translation{lang}: ", bold=True) + _run(quote.translation), "Quote"))
            details = quote.details(by)
            runs = _run(quote.citation) + (_run("   " + "; ".join(details), italic=True, size=16) if details else "")
            parts.append(_paragraph(runs, after=80))
            if quote.memo:
                parts.append(_paragraph(_run("Memo: ", bold=True) + _run(quote.memo)))
    return f'<w:body xmlns:w="{W}">{"".join(parts)}</w:body>'


def build(blocks: list[Block], by: str = "code"):
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    for style in ("Title", "Heading 1", "Quote"):
        document.styles[style]  # noqa: B018  (the default template defines them; fail early if not)
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for paragraph in list(parse_xml(body_xml(blocks, by))):
        if section is not None:
            section.addprevious(paragraph)
        else:
            body.append(paragraph)
    return document


def write(blocks: list[Block], path: str | Path, by: str = "code") -> None:
    document = build(blocks, by)
    neutral_docx_properties(document, "Coded excerpts")
    with atomic_path(path) as temporary:
        document.save(str(temporary))
