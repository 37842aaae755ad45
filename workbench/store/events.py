"""The audit trail, project metadata and the cheap polls that tell a view to refresh."""

from __future__ import annotations

import json

from .base import insert_row, now, Queries, query_dicts


class EventQueries(Queries):
    """The audit trail and the project's own key-value settings."""

    def log(self, action: str, detail: dict | None = None, coder: str | None = None) -> None:
        """Record an action; who ran it is named, but running a command does not make a coder."""
        coder_id = self.known_coder_id(coder)
        if coder and coder_id is None:
            detail = {**(detail or {}), "by": coder.strip()}
        insert_row(self.conn, "events",
            {"at": now(), "coder_id": coder_id, "action": action,
             "detail": json.dumps(detail or {}, ensure_ascii=False)}
        )

    def events(self, limit: int = 100, action: str | None = None) -> list[dict]:
        if action is not None:
            return query_dicts(self.conn,
                "SELECT * FROM events WHERE action = ? ORDER BY id DESC LIMIT ?", [action, limit]
            )
        return query_dicts(self.conn, "SELECT * FROM events ORDER BY id DESC LIMIT ?", [limit])

    def data_version(self) -> int:
        """A number that changes when another connection commits: a cheap 'refresh?' poll."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def last_event_id(self) -> int:
        """The newest audit-trail entry: every core write logs one, so a change shows here."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    def events_since(self, event_id: int) -> list[dict]:
        """What was done after `event_id`, oldest first: what a refresh needs to redraw."""
        return query_dicts(self.conn, "SELECT * FROM events WHERE id > ? ORDER BY id", [event_id])

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        insert_row(self.conn, "meta", {"key": key, "value": value}, replace=True)

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
