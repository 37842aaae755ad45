"""What REFI-QDA exchange reads and writes beyond the other mixins: guids in bulk, codings in bulk.

Every row carries its guid since m002, so an exchange file names each object the same way in
every export, and an import keeps the guids it brings. Lookups are whole maps read once, so an
import of thousands of objects asks SQLite a handful of questions, not one per object.
"""

from __future__ import annotations

from collections.abc import Iterable

from .base import Queries, now, now_precise
from .coders import WORKED
from .memos import TARGET_COLUMNS

GUID_TABLES = ("documents", "codes", "codings", "coders", "cases", "memos")


def _table(table: str) -> str:
    if table not in GUID_TABLES:
        raise ValueError(f"no guids in {table!r}")
    return table


class RefiQueries(Queries):
    """Guids by row id and row ids by guid, and the bulk writes an import needs."""

    def refi_guids(self, table: str) -> dict[int, str]:
        """id -> guid for every row of a table."""
        return dict(self.conn.execute(f"SELECT id, guid FROM {_table(table)}"))

    def refi_ids(self, table: str) -> dict[str, int]:
        """guid (lowercase) -> id for every row of a table, to match an import's objects at once."""
        return {guid.lower(): row_id for row_id, guid in self.conn.execute(f"SELECT id, guid FROM {_table(table)}")}

    def refi_coders(self, worked: bool = False) -> dict[int, tuple[str, str]]:
        """id -> (guid, name) of every coder (or only those with codings or memos), first made first."""
        where = f"WHERE {WORKED}" if worked else ""
        return {row_id: (guid, name) for row_id, guid, name in
                self.conn.execute(f"SELECT id, guid, name FROM coders k {where} ORDER BY id")}

    def refi_deleted(self) -> set[str]:
        """Guids (lowercase) of what was deleted here: an import must not bring them back."""
        return {row[0].lower() for row in self.conn.execute("SELECT guid FROM deletions")}

    def refi_document_names(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT name FROM documents")}

    def refi_documents_by_sha(self) -> dict[str, int]:
        """Text hash -> the first document holding that text."""
        found: dict[str, int] = {}
        for row_id, digest in self.conn.execute("SELECT id, sha256 FROM documents ORDER BY id"):
            found.setdefault(digest, row_id)
        return found

    def refi_coding_keys(self) -> dict[tuple[int, int, int, int, int | None], int]:
        """(document, code, start, end, coder) -> coding id, to find a coding already there by its span."""
        return {tuple(row[1:]): row[0] for row in self.conn.execute(
            'SELECT id, document_id, code_id, start, "end", coder_id FROM codings ORDER BY id DESC')}

    def refi_add_codings(self, rows: Iterable[tuple[str, int, int, int, int, int | None, str | None, str]]) -> None:
        """Store codings (guid, document, code, start, end, coder id, created, coded text) made in
        another program; the text is passed in, as `add_coding` does, not sliced by the trigger."""
        stamp, made = now_precise(), now()
        self.conn.executemany(
            'INSERT INTO codings (guid, document_id, code_id, start, "end", coder_id, origin, created_at, '
            "updated_at, updated_by, text) VALUES (?, ?, ?, ?, ?, ?, 'import', ?, ?, ?, ?)",
            ((guid, document_id, code_id, start, end, coder_id, created or made, stamp, coder_id, text)
             for guid, document_id, code_id, start, end, coder_id, created, text in rows))

    def refi_not_codable(self) -> set[int]:
        """Ids of the codes that take no codings (folders in other programs)."""
        return {row[0] for row in self.conn.execute("SELECT id FROM codes WHERE codable = 0")}

    def refi_set_codable(self, code_id: int, codable: bool) -> None:
        self.conn.execute("UPDATE codes SET codable = ? WHERE id = ?", [int(codable), code_id])

    def refi_set_created(self, table: str, row_id: int, created_at: str | None) -> None:
        """Keep the date a memo (or a document) was made in the other program."""
        column = {"codings": "created_at", "memos": "created_at", "documents": "imported_at"}.get(table)
        if column and created_at:
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [created_at, row_id])

    def refi_is_empty(self) -> bool:
        return not self.conn.execute(
            "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM codes) + "
            "(SELECT count(*) FROM codings) + (SELECT count(*) FROM memos)").fetchone()[0]

    def refi_memo_exists(self, target: str, target_id: int | None, text: str) -> bool:
        """Whether this memo is already there (for files whose notes carry no guid we know)."""
        column = TARGET_COLUMNS.get(target)
        where = f"{column} IS ?" if column else "? IS NULL"
        return self.conn.execute(f"SELECT 1 FROM memos WHERE target = ? AND {where} AND text = ?",
                                 [target, target_id, text]).fetchone() is not None
