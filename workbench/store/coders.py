"""Coders: the people whose work is recorded; a coder is a guid, the name is a label."""

from __future__ import annotations

from ..model import WorkbenchError
from .base import Queries, insert_row, new_guid, now

# A coder row can exist for someone who only ran commands (projects from before this rule);
# lists of coders show the people with work in the project.
WORKED = ("(EXISTS (SELECT 1 FROM codings g WHERE g.coder_id = k.id) "
          "OR EXISTS (SELECT 1 FROM memos m WHERE m.coder_id = k.id))")


class CoderQueries(Queries):
    """Coders by name (or by guid, for merges), made on first use."""

    def coder_id(self, name: str, guid: str | None = None) -> int:
        """The coder's id, adding them when new; a known guid wins over the name (renamed coders)."""
        name = name.strip()
        if not name:
            raise WorkbenchError("a coder needs a name")
        if guid:
            row = self.conn.execute("SELECT id FROM coders WHERE guid = ?", [guid]).fetchone()
            if row:
                return row[0]
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
        if row:
            return row[0]
        return insert_row(self.conn, "coders", {"guid": guid or new_guid(), "name": name, "created_at": now()})

    def known_coder_id(self, name: str | None) -> int | None:
        """The coder's id if they exist; never adds one (running a command does not make a coder)."""
        if not name or not name.strip():
            return None
        row = self.conn.execute("SELECT id FROM coders WHERE name = ?", [name.strip()]).fetchone()
        return row[0] if row else None

    def add_coder(self, name: str, guid: str | None = None) -> int:
        """Add a coder (or find them): the same as `coder_id`, named for what importers do."""
        return self.coder_id(name, guid)

    def coders(self) -> list[str]:
        """Coders who did work (a coding or a memo): whoever only ran a command is no coder."""
        return [row[0] for row in self.conn.execute(f"SELECT name FROM coders k WHERE {WORKED} ORDER BY id")]
