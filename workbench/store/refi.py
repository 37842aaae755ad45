"""What REFI-QDA exchange reads beyond the other mixins: every object's guid, coders with theirs."""

from __future__ import annotations

import uuid

from .base import Queries

GUID_TABLES = ("documents", "codes", "codings", "coders", "cases", "memos")
_FALLBACK = uuid.UUID("0b6f8a52-52f5-4c63-8a8f-2f1de3e1c0a4")


class RefiQueries(Queries):
    """Guids by row id, so an exchange file names each object the same way every time."""

    def refi_guids(self, table: str) -> dict[int, str]:
        """id -> guid for a table; a row without one gets a guid derived from the project and id."""
        if table not in GUID_TABLES:
            raise ValueError(f"no guids in {table!r}")
        columns = {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}
        if "guid" not in columns:
            rows = [(row[0], None) for row in self.conn.execute(f"SELECT id FROM {table}")]
        else:
            rows = self.conn.execute(f"SELECT id, guid FROM {table}").fetchall()
        seed = self.conn.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone()
        return {
            row_id: (guid.lower() if guid else str(uuid.uuid5(_FALLBACK, f"{seed}:{table}:{row_id}")))
            for row_id, guid in rows
        }

    def refi_coders(self) -> dict[int, tuple[str, str]]:
        """id -> (guid, name) of every coder, first made first."""
        guids = self.refi_guids("coders")
        return {row_id: (guids[row_id], name)
                for row_id, name in self.conn.execute("SELECT id, name FROM coders ORDER BY id")}

    def refi_find(self, table: str, guid: str) -> int | None:
        """The row id holding a guid (compared without case), or None."""
        if table not in GUID_TABLES:
            raise ValueError(f"no guids in {table!r}")
        row = self.conn.execute(f"SELECT id FROM {table} WHERE lower(guid) = ?", [guid.lower()]).fetchone()
        return row[0] if row else None
