"""Word documents: paragraphs (and table rows) in body order, one per line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..model import WorkbenchError
from . import ParsedDocument, from_text, read_bytes


def read(path: Path) -> list[ParsedDocument]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    data = read_bytes(path)
    if not data:
        raise WorkbenchError(f"{path}: file is empty")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WorkbenchError(f"{path}: not a readable .docx (truncated or damaged: {error})") from None
    except Exception as error:  # python-docx raises a variety of XML errors for broken parts
        raise WorkbenchError(f"{path}: not a readable .docx ({type(error).__name__})") from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines.append("\t".join(dict.fromkeys(c for c in cells if c)))
    return [from_text(path.name, "\n".join(lines), "docx", "docx")]
