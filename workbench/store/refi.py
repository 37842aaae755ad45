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
        if "guid" not in self._columns(table):
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
        if "guid" not in self._columns(table):
            return None
        row = self.conn.execute(f"SELECT id FROM {table} WHERE guid = ?", [guid.lower()]).fetchone()
        return row[0] if row else None

    def _columns(self, table: str) -> set[str]:
        cache = self.__dict__.setdefault("_refi_columns", {})
        if table not in cache:
            cache[table] = {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}
        return cache[table]

    def refi_set_guid(self, table: str, row_id: int, guid: str | None) -> None:
        """Give a row the guid it had in the file it came from (kept through later exports)."""
        if table not in GUID_TABLES or not guid:
            return
        if "guid" in self._columns(table):
            self.conn.execute(f"UPDATE {table} SET guid = ? WHERE id = ?", [guid.lower(), row_id])

    def refi_set_created(self, table: str, row_id: int, created_at: str | None) -> None:
        """Keep the date a coding or memo was made in the other program."""
        if table in ("codings", "memos") and created_at:
            self.conn.execute(f"UPDATE {table} SET created_at = ? WHERE id = ?", [created_at, row_id])

    def refi_same_coding(self, document_id: int, code_id: int, start: int, end: int, coder_id: int | None) -> int | None:
        """The coding of this span, code and coder, if there is one."""
        row = self.conn.execute(
            'SELECT id FROM codings WHERE document_id = ? AND code_id = ? AND start = ? AND "end" = ? '
            "AND coder_id IS ?", [document_id, code_id, start, end, coder_id]).fetchone()
        return row[0] if row else None

    def refi_document_by_sha(self, sha256: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE sha256 = ? ORDER BY id", [sha256]).fetchone()
        return row[0] if row else None

    def refi_is_empty(self) -> bool:
        return not self.conn.execute(
            "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM codes) + "
            "(SELECT count(*) FROM codings) + (SELECT count(*) FROM memos)").fetchone()[0]

    def refi_memo_exists(self, target: str, target_id: int | None, text: str) -> bool:
        """Whether this memo is already there (for files whose notes carry no guid we know)."""
        from .memos import TARGET_COLUMNS

        column = TARGET_COLUMNS.get(target)
        where = f"{column} IS ?" if column else "? IS NULL"
        return self.conn.execute(f"SELECT 1 FROM memos WHERE target = ? AND {where} AND text = ?",
                                 [target, target_id, text]).fetchone() is not None
