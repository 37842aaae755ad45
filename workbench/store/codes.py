"""The codebook: a tree of codes."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ..model import Code, WorkbenchError
from .base import Queries, insert_row, new_guid, now_precise, update_row


@dataclass(frozen=True)
class CodeRow:
    """A code as stored, without its children: what flat listings and lookups need."""

    id: int
    parent_id: int | None
    name: str
    name_zh: str
    color: str
    position: int
    guid: str = ""


class CodeQueries(Queries):
    """The codebook tree: its rows, their fields and their order."""

    def add_code(self, code: Code, parent_id: int | None, position: int | None = None, *,
                 guid: str | None = None, by: str | None = None) -> int:
        """Store a new code; `guid` (or `code.guid`) keeps an identity from elsewhere (imports, merges)."""
        if position is None:
            position = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id IS ?", [parent_id]
            ).fetchone()[0]
        try:
            return insert_row(self.conn, "codes",
                {
                    "guid": guid or code.guid or new_guid(),
                    "parent_id": parent_id, "name": code.name, "name_zh": code.name_zh,
                    "definition": code.definition, "include": code.include,
                    "exclude": code.exclude,
                    "examples": json.dumps(code.examples, ensure_ascii=False),
                    "color": code.color,
                    "keywords_en": json.dumps(code.keywords_en, ensure_ascii=False),
                    "keywords_zh": json.dumps(code.keywords_zh, ensure_ascii=False),
                    "position": position, "updated_at": now_precise(), "updated_by": self._coder_or_none(by),
                }
            )
        except sqlite3.IntegrityError as error:
            if "cannot be moved under itself" in str(error):
                raise WorkbenchError("a code cannot be moved under itself or its sub-codes") from None
            raise WorkbenchError(f"code {code.name!r}: a sibling already has that name") from None

    def update_code(self, code_id: int, *, by: str | None = None, **fields: object) -> None:
        allowed = {"name", "name_zh", "definition", "include", "exclude", "examples", "color",
                   "keywords_en", "keywords_zh", "parent_id", "position"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown code fields {sorted(unknown)}")
        values = {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            for key, value in fields.items()
        }
        values["updated_at"] = now_precise()
        if by:
            values["updated_by"] = self.coder_id(by)
        try:
            update_row(self.conn, "codes", code_id, values)
        except sqlite3.IntegrityError as error:
            if "cannot be moved under itself" in str(error):
                raise WorkbenchError("a code cannot be moved under itself or its sub-codes") from None
            raise WorkbenchError(f"code {fields.get('name', code_id)!r}: a sibling already has that name") from None

    def delete_code_row(self, code_id: int, by: str | None = None) -> None:
        row = self.conn.execute("SELECT guid FROM codes WHERE id = ?", [code_id]).fetchone()
        self.conn.execute("DELETE FROM codes WHERE id = ?", [code_id])
        if row:
            self.record_deletion(row[0], "code", by)

    def restore_code_row(self, data: dict) -> int:
        """Put back a deleted code as it was (same id and guid, or a new id if `data['id']` is None)."""
        row = dict(data)
        for key in ("examples", "keywords_en", "keywords_zh"):
            row[key] = json.dumps(row.get(key) or [], ensure_ascii=False)
        row["guid"] = row.get("guid") or new_guid()
        row["updated_by"] = self._coder_or_none(row.get("updated_by"))
        try:
            return insert_row(self.conn, "codes", row)
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"code {data['name']!r}: cannot come back, a code of that name or id exists") from None

    def reassign_codings(self, source_code_id: int, target_code_id: int, by: str | None = None) -> int:
        """Move codings to another code, dropping those the target already has (same span and coder)."""
        doubles = self.conn.execute(
            'SELECT g.id, min(t.id) FROM codings g JOIN codings t ON t.code_id = ? AND '
            't.document_id = g.document_id AND t.start = g.start AND t."end" = g."end" AND '
            "t.coder_id IS g.coder_id WHERE g.code_id = ? GROUP BY g.id",
            [target_code_id, source_code_id],
        ).fetchall()
        for double, kept in doubles:  # its memos stay with the coding that remains
            self.conn.execute("UPDATE memos SET coding_id = ? WHERE coding_id = ?", [kept, double])
            self.delete_coding(double, by)
        return self.conn.execute(
            "UPDATE codings SET code_id = ?, updated_at = ?, updated_by = coalesce(?, updated_by) "
            "WHERE code_id = ?",
            [target_code_id, now_precise(), self._coder_or_none(by), source_code_id],
        ).rowcount

    def code_rows(self) -> list[CodeRow]:
        return [
            CodeRow(*row)
            for row in self.conn.execute(
                "SELECT id, parent_id, name, coalesce(name_zh, ''), coalesce(color, '#888888'), "
                "position, guid FROM codes ORDER BY position, id"
            )
        ]

    def code_tree(self) -> list[Code]:
        """The codebook as a forest of `Code` objects, siblings in their stored order."""
        nodes: dict[int, Code] = {}
        roots: list[Code] = []
        rows = self.conn.execute(
            "SELECT c.id, c.parent_id, c.name, c.name_zh, c.definition, c.include, c.exclude, c.examples, "
            "c.color, c.keywords_en, c.keywords_zh, c.position, c.guid, c.updated_at, k.name "
            "FROM codes c LEFT JOIN coders k ON k.id = c.updated_by ORDER BY c.position, c.id"
        ).fetchall()
        for (code_id, parent_id, name, name_zh, definition, include, exclude, examples, color,
             keywords_en, keywords_zh, position, guid, updated_at, updated_by) in rows:
            nodes[code_id] = Code(
                name=name, name_zh=name_zh or "", definition=definition or "",
                include=include or "", exclude=exclude or "",
                examples=json.loads(examples or "[]"), color=color or "#888888",
                keywords_en=json.loads(keywords_en or "[]"),
                keywords_zh=json.loads(keywords_zh or "[]"),
                id=code_id, parent_id=parent_id, position=position,
                guid=guid, updated_at=updated_at, updated_by=updated_by,
            )
        for code in nodes.values():
            if code.parent_id is None or code.parent_id not in nodes:
                roots.append(code)
            else:
                nodes[code.parent_id].children.append(code)
        return roots

    def code_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM codes").fetchone()[0]
