"""Plain text and Markdown transcripts."""

from __future__ import annotations

from pathlib import Path

from . import ParsedDocument, from_text, read_bytes
from .encoding import decode_checked


def read(path: Path, encoding: str | None = None) -> list[ParsedDocument]:
    text, found, warning = decode_checked(read_bytes(path), str(path), encoding)
    format = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return [from_text(path.name, text, found, format, warning=warning)]
