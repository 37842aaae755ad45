"""Managing documents after import: listing with their doubts, renaming, deleting, replacing."""

from __future__ import annotations

from .base import Queries


class DocumentAdminQueries(Queries):
    """Queries behind `workbench documents`, `show`, `document rename|delete|reimport`."""

    def set_import_warning(self, document_id: int, warning: str | None) -> None:
        self.conn.execute("UPDATE documents SET import_warning = ? WHERE id = ?", [warning, document_id])

    def document_summaries(self) -> list[dict]:
        """A row per document with what a person needs to tell documents apart; no text."""
        cursor = self.conn.execute(
            """
            SELECT d.id, d.name, d.lang, d.encoding, d.format, d.chars, d.source_path, d.imported_at,
                   d.import_warning, c.name AS "case",
                   (SELECT count(*) FROM turns t WHERE t.document_id = d.id) AS turns,
                   (SELECT count(*) FROM codings g WHERE g.document_id = d.id) AS codings
            FROM documents d LEFT JOIN cases c ON c.id = d.case_id
            ORDER BY d.name COLLATE NOCASE
            """
        )
        columns = [item[0] for item in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor]

    def rename_document(self, document_id: int, name: str) -> None:
        self.conn.execute("UPDATE documents SET name = ? WHERE id = ?", [name, document_id])

    def document_dependents(self, document_id: int) -> dict[str, int]:
        """How many codings, memos and suggestions go with a document when it goes."""
        one = lambda sql: self.conn.execute(sql, [document_id]).fetchone()[0]  # noqa: E731
        return {
            "codings": one("SELECT count(*) FROM codings WHERE document_id = ?"),
            "memos": one("SELECT count(*) FROM memos WHERE document_id = ?")
            + one("SELECT count(*) FROM memos WHERE coding_id IN (SELECT id FROM codings WHERE document_id = ?)"),
            "suggestions": one("SELECT count(*) FROM suggestions WHERE document_id = ?"),
        }

    def delete_document_rows(self, document_id: int) -> None:
        """The document, its turns, codings, suggestions, search rows and memos; call inside a transaction.

        Turns, codings and memos go by their foreign keys; triggers record each guid in `deletions`.
        """
        self.conn.execute("DELETE FROM search WHERE document_id = ?", [document_id])
        self.conn.execute("DELETE FROM documents WHERE id = ?", [document_id])  # turns, codings cascade

    def document_guid(self, document_id: int) -> str | None:
        row = self.conn.execute("SELECT guid FROM documents WHERE id = ?", [document_id]).fetchone()
        return row[0] if row else None

    def retarget_document_memos(self, old_id: int, new_id: int) -> None:
        self.conn.execute("UPDATE memos SET document_id = ? WHERE document_id = ?", [new_id, old_id])

    def set_document_guid(self, document_id: int, guid: str | None) -> None:
        """The same document again, not a deleted one: the schema's trigger forgets its deletion."""
        self.conn.execute("UPDATE documents SET guid = ? WHERE id = ?", [guid, document_id])
