"""REFI-QDA on the command line: the .qdpx half of `workbench export` (wired in by the export verb).

`workbench import` and `workbench codebook export` dispatch .qdpx/.qdc here through
`workbench.exchange`; this module holds what the shared `export` verb calls for .qdpx.
"""

from __future__ import annotations

from .base import open_project


def export_qdpx(project_path: str, output: str) -> str:
    """Write PROJECT as a REFI-QDA .qdpx (or its codebook as .qdc); returns the summary line."""
    from ..exchange import export_by_suffix

    with open_project(project_path) as opened:
        return export_by_suffix(opened, output)
