"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc) in and out of other QDA programs.

Heavy libraries (lxml, defusedxml) load inside the functions, so importing this costs nothing.
"""

from __future__ import annotations

from pathlib import Path

from ..model import WorkbenchError

SUFFIXES = (".qdpx", ".qdc")


def export_project(project, path: str | Path, progress=None):
    """Write the project as a .qdpx (validated against the schema before it is written)."""
    from .refi_export import export_project as run

    return run(project, path, progress)


def export_codebook(project, path: str | Path) -> int:
    """Write the project's codebook as a .qdc; returns the number of codes."""
    from .refi_export import export_codebook as run

    return run(project, path)


def export_by_suffix(project, path: str | Path) -> str:
    """Export as .qdpx or .qdc by the file's suffix; returns a one-line summary."""
    suffix = Path(path).suffix.lower()
    if suffix == ".qdpx":
        s = export_project(project, path)
        return (f"{path}: written ({s.documents} documents, {s.codes} codes, {s.codings} codings, "
                f"{s.cases} cases, {s.memos} memos)")
    if suffix == ".qdc":
        return f"{path}: written ({export_codebook(project, path)} codes)"
    raise WorkbenchError(f"{path}: not a REFI-QDA suffix (known: {', '.join(SUFFIXES)})")


def import_file(project, path: str | Path, coder: str | None = None, **options):
    """Import a .qdpx or .qdc into the project; see `refi_import.import_file`."""
    from .refi_import import import_file as run

    return run(project, path, coder, **options)
