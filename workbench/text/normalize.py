"""One normalisation, applied once before any offset exists, so positions never drift."""

from __future__ import annotations

import hashlib
import unicodedata

BOM = "\ufeff"


def normalize(text: str) -> str:
    """Strip leading BOMs, turn CRLF and lone CR into LF, and compose to Unicode NFC.

    Idempotent (a file saved twice with a BOM has two), so normalising again moves no offset.
    """
    text = text.lstrip(BOM)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256(text: str) -> str:
    """The fingerprint of a document's stored text (not of the file it came from)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
