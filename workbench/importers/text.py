"""Plain text and Markdown transcripts."""

from __future__ import annotations

from pathlib import Path

from . import ParsedDocument, from_text, read_bytes
from .encoding import decode


def read(path: Path) -> list[ParsedDocument]:
    text, encoding = decode(read_bytes(path), str(path))
    format = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return [from_text(path.name, text, encoding, format)]
