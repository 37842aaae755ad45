"""Tests write documents and codes by name; the core takes ids. These resolve the names, as the
CLI and TUI do at their edge, with the same "did you mean" errors, and then call the core."""

from __future__ import annotations

from workbench import coding
from workbench.model import Segment
from workbench.store import Project


def code_named(project: Project, document: str | int, code: str | int, start: int, end: int, coder: str,
               origin: str = "manual") -> int:
    """`coding.apply_code` with a document name and a code path or name (ids pass through)."""
    return coding.apply_code(project, coding.document_id(project, document), coding.code_id(project, code),
                             start, end, coder, origin)


def retrieve_named(project: Project, code: str | int, **options) -> list[Segment]:
    """`coding.retrieve` with a code path or name."""
    return coding.retrieve(project, coding.code_id(project, code), **options)
