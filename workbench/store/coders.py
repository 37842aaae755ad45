"""Coders: the people whose work is recorded."""

from __future__ import annotations

from ..model import WorkbenchError
from .base import Queries, now


class CoderQueries(Queries):
    """Coders by name, made on first use."""

    def coder_id(self, name: str) -> int:
        name = name.strip()
        if not name:
            raise WorkbenchError("a coder needs a name")
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row:
            return row[0]
        return self.db["coders"].insert({"name": name, "created_at": now()}).last_pk

    def coders(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM coders ORDER BY id")]
