"""One normalisation, applied once before any offset exists, so positions never drift."""

from __future__ import annotations

import hashlib
import unicodedata

BOM = "\ufeff"


def normalize(text: str) -> str:
    """Strip a leading BOM, turn CRLF and lone CR into LF, and compose to Unicode NFC."""
    if text.startswith(BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256(text: str) -> str:
    """The fingerprint of a document's stored text (not of the file it came from)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
