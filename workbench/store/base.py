"""What every part of the store shares: the clock and the shape of a query mixin."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def now_precise() -> str:
    """UTC with microseconds: when an object last changed, precise enough to order edits."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def new_guid() -> str:
    """A fresh identity for an object: a uuid4, lowercase with hyphens."""
    return str(uuid.uuid4())


# Tables whose rows carry a guid, by the kind of object they hold.
GUID_TABLES = {"document": "documents", "code": "codes", "coding": "codings", "coder": "coders",
               "case": "cases", "memo": "memos", "suggestion": "suggestions"}


def _is_locked(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


class Queries:
    """The one connection every mixin of `Project` reads and writes through."""

    path: Path
    conn: sqlite3.Connection
    db: sqlite_utils.Database

    def guid_of(self, kind: str, row_id: int) -> str | None:
        """The guid of a document, code, coding, coder, case, memo or suggestion by its id."""
        row = self.conn.execute(f"SELECT guid FROM {GUID_TABLES[kind]} WHERE id = ?", [row_id]).fetchone()
        return row[0] if row else None

    def id_of(self, kind: str, guid: str) -> int | None:
        """The local id of the object with this guid, if it is here."""
        row = self.conn.execute(f"SELECT id FROM {GUID_TABLES[kind]} WHERE guid = ?", [guid]).fetchone()
        return row[0] if row else None

    def _coder_or_none(self, name: str | None) -> int | None:
        return self.coder_id(name) if name else None
