"""Writing output files safely: atomically, and with spreadsheet cells that cannot run formulas."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..model import WorkbenchError

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP "CSV injection"); tab and CR start one too in some of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell value that a spreadsheet shows as text: a leading apostrophe before a formula start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path`, moved over it only when the block succeeds.

    A failure mid-write leaves no new file and the old one (if any) untouched.
    """
    path = Path(path)
    if not path.parent.exists():
        raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
    if path.is_dir():
        raise WorkbenchError(f"{path}: is a folder")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp" + path.suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # mkstemp makes 0600 files; a written file should be as readable as any other the person makes.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _umask() -> int:
    """The process's umask (read by setting it, then putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding=encoding, newline="")


def neutral_docx_properties(document, title: str) -> None:
    """Word's core properties say nothing about who wrote it or whom it is about (python-docx's
    template otherwise names 'python-docx' as author and keeps its own title and comments)."""
    props = document.core_properties
    props.author = "workbench"
    props.last_modified_by = "workbench"
    props.title = title
    for name in ("subject", "keywords", "comments", "category", "content_status", "identifier", "version"):
        setattr(props, name, "")
