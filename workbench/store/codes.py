"""The codebook: a tree of codes."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ..model import Code, WorkbenchError
from .base import Queries


@dataclass(frozen=True)
class CodeRow:
    """A code as stored, without its children: what flat listings and lookups need."""

    id: int
    parent_id: int | None
    name: str
    name_zh: str
    color: str
    position: int


class CodeQueries(Queries):
    """The codebook tree: its rows, their fields and their order."""

    def add_code(self, code: Code, parent_id: int | None, position: int | None = None) -> int:
        if position is None:
            position = self.conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_id IS ?", [parent_id]
            ).fetchone()[0]
        try:
            return self.db["codes"].insert(
                {
                    "parent_id": parent_id, "name": code.name, "name_zh": code.name_zh,
                    "definition": code.definition, "include": code.include,
                    "exclude": code.exclude,
                    "examples": json.dumps(code.examples, ensure_ascii=False),
                    "color": code.color,
                    "keywords_en": json.dumps(code.keywords_en, ensure_ascii=False),
                    "keywords_zh": json.dumps(code.keywords_zh, ensure_ascii=False),
                    "position": position,
                }
            ).last_pk
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"code {code.name!r}: a sibling already has that name") from None

    def update_code(self, code_id: int, **fields: object) -> None:
        allowed = {"name", "name_zh", "definition", "include", "exclude", "examples", "color",
                   "keywords_en", "keywords_zh", "parent_id", "position"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown code fields {sorted(unknown)}")
        values = {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value
            for key, value in fields.items()
        }
        try:
            self.db["codes"].update(code_id, values)
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"code {fields.get('name', code_id)!r}: a sibling already has that name") from None

    def delete_code_row(self, code_id: int) -> None:
        self.conn.execute("DELETE FROM codes WHERE id = ?", [code_id])

    def restore_code_row(self, data: dict) -> int:
        """Put back a deleted code as it was (same id, or a new one if `data['id']` is None)."""
        row = dict(data)
        for key in ("examples", "keywords_en", "keywords_zh"):
            row[key] = json.dumps(row.get(key) or [], ensure_ascii=False)
        try:
            return self.db["codes"].insert(row).last_pk
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"code {data['name']!r}: cannot come back, a code of that name or id exists") from None

    def reassign_codings(self, source_code_id: int, target_code_id: int) -> int:
        """Move codings to another code, dropping those the target already has (same span and coder)."""
        self.conn.execute(
            'DELETE FROM codings WHERE code_id = ? AND EXISTS (SELECT 1 FROM codings t WHERE '
            't.code_id = ? AND t.document_id = codings.document_id AND t.start = codings.start AND '
            't."end" = codings."end" AND t.coder_id IS codings.coder_id)',
            [source_code_id, target_code_id],
        )
        return self.conn.execute(
            "UPDATE codings SET code_id = ? WHERE code_id = ?", [target_code_id, source_code_id]
        ).rowcount

    def code_rows(self) -> list[CodeRow]:
        return [
            CodeRow(*row)
            for row in self.conn.execute(
                "SELECT id, parent_id, name, coalesce(name_zh, ''), coalesce(color, '#888888'), "
                "position FROM codes ORDER BY position, id"
            )
        ]

    def code_tree(self) -> list[Code]:
        """The codebook as a forest of `Code` objects, siblings in their stored order."""
        nodes: dict[int, Code] = {}
        roots: list[Code] = []
        rows = self.conn.execute(
            "SELECT id, parent_id, name, name_zh, definition, include, exclude, examples, color, "
            "keywords_en, keywords_zh, position FROM codes ORDER BY position, id"
        ).fetchall()
        for (code_id, parent_id, name, name_zh, definition, include, exclude, examples, color,
             keywords_en, keywords_zh, position) in rows:
            nodes[code_id] = Code(
                name=name, name_zh=name_zh or "", definition=definition or "",
                include=include or "", exclude=exclude or "",
                examples=json.loads(examples or "[]"), color=color or "#888888",
                keywords_en=json.loads(keywords_en or "[]"),
                keywords_zh=json.loads(keywords_zh or "[]"),
                id=code_id, parent_id=parent_id, position=position,
            )
        for code in nodes.values():
            if code.parent_id is None or code.parent_id not in nodes:
                roots.append(code)
            else:
                nodes[code.parent_id].children.append(code)
        return roots

    def code_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM codes").fetchone()[0]
