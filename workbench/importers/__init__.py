"""File readers: each turns one file into `ParsedDocument`s, touching no database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Turn, WorkbenchError
from ..text.normalize import normalize, sha256
from .turns import MAX_TURNS, document_language, parse_turns

MAX_FILE_BYTES = 20 * 1024 * 1024  # a two-hour interview is ~100 KB; 20 MB is a book shelf


@dataclass
class ParsedDocument:
    name: str
    text: str
    encoding: str
    format: str
    turns: list[Turn]
    lang: str
    case: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    warning: str | None = None  # a doubt about the import (a guessed encoding), shown to the user and kept

    @property
    def sha256(self) -> str:
        return sha256(self.text)


def from_text(
    name: str, raw_text: str, encoding: str, format: str, *, headings: bool = False, warning: str | None = None,
) -> ParsedDocument:
    """Normalise once, then find turns and languages on the normalised text."""
    text = normalize(raw_text)
    if not text.strip():
        raise WorkbenchError(f"{name}: holds no text")
    turns = parse_turns(text, headings=headings)
    check_turn_count(name, turns)
    return ParsedDocument(name, text, encoding, format, turns, document_language(text, turns), warning=warning)


def check_turn_count(name: str, turns: list[Turn]) -> None:
    if len(turns) > MAX_TURNS:
        raise WorkbenchError(f"{name}: {len(turns):,} turns is over the limit of {MAX_TURNS:,}")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what cannot be a transcript before reading it."""
    if not path.exists():
        raise WorkbenchError(f"{path}: no such file")
    if path.is_dir():
        raise WorkbenchError(f"{path}: is a folder; name the files inside it")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbenchError(
            f"{path}: {size / 1048576:.0f} MB is over the import limit of "
            f"{MAX_FILE_BYTES // 1048576} MB; split it into interviews"
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise WorkbenchError(f"{path}: cannot read ({error.strerror})") from None


def reader_for(path: Path) -> Callable[[Path], list[ParsedDocument]]:
    from . import docx, pdf, subtitles, table, text

    readers = {
        ".txt": text.read, ".md": text.read, ".markdown": text.read, ".text": text.read,
        ".docx": docx.read, ".pdf": pdf.read, ".srt": subtitles.read, ".vtt": subtitles.read,
        ".csv": table.read_documents, ".tsv": table.read_documents, ".xlsx": table.read_documents,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise WorkbenchError(
            f"{path}: cannot import {path.suffix or 'files without a suffix'} "
            f"(known: {', '.join(sorted(readers))})"
        )
    return reader


TRANSCRIPT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".docx", ".pdf", ".srt", ".vtt")


def expand_folders(paths: Iterable[str | Path]) -> list[Path]:
    """Files stay as given; a folder gives the transcripts directly inside it, by name.

    Tables are left out of folders (a participants.csv beside the interviews is not a survey):
    name a .csv or .xlsx of open answers explicitly. Hidden files and Word's ~$ lock files are
    skipped.
    """
    expanded: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            expanded.append(path)
            continue
        found = sorted(
            child for child in path.iterdir()
            if child.is_file() and child.suffix.lower() in TRANSCRIPT_SUFFIXES
            and not child.name.startswith((".", "~$"))
        )
        if not found:
            raise WorkbenchError(f"{path}: a folder with no transcripts in it ({', '.join(TRANSCRIPT_SUFFIXES)})")
        expanded.extend(found)
    return expanded


TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".srt", ".vtt")


def read_file(path: str | Path, encoding: str | None = None) -> list[ParsedDocument]:
    """The documents in one file; `encoding` forces a text file's encoding instead of detecting it."""
    path = Path(path)
    reader = reader_for(path)
    if encoding is None:
        return reader(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise WorkbenchError(f"{path}: --encoding applies to text files ({', '.join(TEXT_SUFFIXES)}), "
                             f"not {path.suffix}")
    from . import subtitles, text

    text_reader = subtitles.read if path.suffix.lower() in (".srt", ".vtt") else text.read
    return text_reader(path, encoding=encoding)
