"""What was deleted (guid, kind, when, by whom), so that a merge can tell "deleted there" from
"new here". Triggers record every deletion, cascades and other programs' included; the store
adds who did it, and a row that comes back (undo) is no longer deleted."""

from __future__ import annotations

from .base import Queries, now_precise, query_dicts


class DeletionQueries(Queries):
    """The record of deleted documents, codes, codings, memos and cases."""

    def record_deletion(self, guid: str, kind: str, by: str | None = None) -> None:
        self.conn.execute(
            "INSERT INTO deletions (guid, kind, deleted_at, deleted_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guid) DO UPDATE SET kind = excluded.kind, deleted_at = excluded.deleted_at, "
            "deleted_by = coalesce(excluded.deleted_by, deleted_by)",
            [guid, kind, now_precise(), self._coder_or_none(by)],
        )

    def deletions(self, kind: str | None = None) -> list[dict]:
        """Deletions, oldest first, with the deleter's name as `deleted_by`."""
        where, params = ("WHERE d.kind = ?", [kind]) if kind else ("", [])
        return query_dicts(self.conn,
            "SELECT d.guid, d.kind, d.deleted_at, k.name AS deleted_by FROM deletions d "
            f"LEFT JOIN coders k ON k.id = d.deleted_by {where} ORDER BY d.deleted_at, d.guid",
            params,
        )

    def is_deleted(self, guid: str) -> bool:
        return self.conn.execute("SELECT 1 FROM deletions WHERE guid = ?", [guid]).fetchone() is not None
