"""Participants tables: one row per person, linked to the documents they speak in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .importers.table import id_column, read_rows
from .model import WorkbenchError

DOCUMENT_COLUMNS = ("document", "documents", "file", "transcript", "文件", "文档")


@dataclass(frozen=True)
class Participant:
    case: str
    attributes: dict[str, str]
    documents: tuple[str, ...]


def read_participants(path: str | Path) -> list[Participant]:
    path = Path(path)
    rows = read_rows(path)
    header = list(rows[0])
    key = id_column(header)
    if key is None:
        raise WorkbenchError(f"{path}: a participants table needs an 'id' column")
    lowered = {name.lower(): name for name in header}
    document_column = next((lowered[c] for c in DOCUMENT_COLUMNS if c in lowered), None)
    participants, seen = [], set()
    for number, row in enumerate(rows, start=2):
        case = row[key]
        if not case:
            raise WorkbenchError(f"{path}: row {number} has no {key}")
        if case in seen:
            raise WorkbenchError(f"{path}: {key} {case!r} appears twice")
        seen.add(case)
        documents = tuple(
            d.strip() for d in re.split(r"[;|]", row.get(document_column, "") if document_column else "") if d.strip()
        )
        attributes = {name: value for name, value in row.items() if name not in (key, document_column) and value}
        participants.append(Participant(case, attributes, documents))
    return participants


def documents_of(participant: Participant, document_names: list[str]) -> list[str]:
    """Named documents, or else those whose name starts with the participant's id (P01-…)."""
    if participant.documents:
        return [name for name in document_names if name in participant.documents]
    pattern = re.compile(rf"^{re.escape(participant.case)}(?![A-Za-z0-9])", re.IGNORECASE)
    return [name for name in document_names if pattern.match(name)]
