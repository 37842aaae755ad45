"""PDF transcripts with a text layer (pypdf); a scanned PDF is refused with a reason."""

from __future__ import annotations

import io
from pathlib import Path

from ..model import WorkbenchError
from . import ParsedDocument, from_text, read_bytes
from .layout import unprint


def read(path: Path) -> list[ParsedDocument]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    data = read_bytes(path)
    if not data:
        raise WorkbenchError(f"{path}: file is empty")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == 0:
            raise WorkbenchError(f"{path}: the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except WorkbenchError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise WorkbenchError(f"{path}: not a readable PDF ({type(error).__name__})") from None
    except Exception as error:  # damaged object graphs reach pypdf's internals (AttributeError, …)
        raise WorkbenchError(f"{path}: not a readable PDF (damaged: {type(error).__name__})") from None
    if not any(page.strip() for page in pages):
        raise WorkbenchError(f"{path}: the PDF has no text layer (a scan?); run OCR first")
    # Headers, footers and page numbers out, printed lines joined back into paragraphs.
    text = unprint(pages)
    return [from_text(path.name, text, "pdf", "pdf", headings=True)]
