"""Memos: notes on the project, a document, a code, a coding or a case.

A memo points at what it annotates with a real foreign key (one column per kind of target),
so it goes when that goes and can never drift to a newer row that took an old id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ..model import Memo, WorkbenchError
from .base import Queries, insert_row, new_guid, now, now_precise

# The column that holds a memo's target, by the kind of target.
TARGET_COLUMNS = {"document": "document_id", "code": "code_id", "coding": "coding_id", "case": "case_id"}
_TARGET_ID = "coalesce(m.document_id, m.code_id, m.coding_id, m.case_id)"


def _target_column(target: str) -> str | None:
    if target == "project":
        return None
    if target not in TARGET_COLUMNS:
        raise WorkbenchError(f"a memo cannot be on {target!r} (only on the project, a document, a code, "
                             "a coding or a case)")
    return TARGET_COLUMNS[target]


class MemoQueries(Queries):
    """Memos on any target."""

    def add_memo(self, target: str, target_id: int | None, text: str, coder: str | None,
                 guid: str | None = None) -> int:
        column = _target_column(target)
        row = {
            "guid": guid or new_guid(), "target": target, "coder_id": self._coder_or_none(coder),
            "text": text, "created_at": now(), "updated_at": now_precise(),
            "updated_by": self._coder_or_none(coder),
        }
        if column is not None:
            row[column] = target_id
        try:
            return insert_row(self.conn, "memos", row)
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"a memo on {target} {target_id}: there is no such {target}") from None

    def memos(self, target: str | None = None, target_id: int | None = None) -> list[Memo]:
        clauses: list[str] = []
        params: list[object] = []
        if target is not None:
            clauses.append("m.target = ?")
            params.append(target)
        if target_id is not None:
            column = _target_column(target) if target is not None else None
            clauses.append(f"m.{column} = ?" if column else f"{_TARGET_ID} = ?")
            params.append(target_id)
        return self._memos(("WHERE " + " AND ".join(clauses)) if clauses else "", params)

    def _memos(self, where: str, params: Iterable) -> list[Memo]:
        return [
            Memo(*row)
            for row in self.conn.execute(
                f"SELECT m.id, m.target, {_TARGET_ID}, k.name, m.text, m.created_at, m.guid, m.updated_at, "
                "u.name FROM memos m LEFT JOIN coders k ON k.id = m.coder_id "
                f"LEFT JOIN coders u ON u.id = m.updated_by {where} ORDER BY m.id",
                list(params),
            )
        ]

    def update_memo(self, memo_id: int, text: str, by: str | None = None) -> None:
        self.conn.execute(
            "UPDATE memos SET text = ?, updated_at = ?, updated_by = coalesce(?, updated_by) WHERE id = ?",
            [text, now_precise(), self._coder_or_none(by), memo_id],
        )

    def delete_memo(self, memo_id: int, by: str | None = None) -> None:
        row = self.conn.execute("SELECT guid FROM memos WHERE id = ?", [memo_id]).fetchone()
        self.conn.execute("DELETE FROM memos WHERE id = ?", [memo_id])
        if row:
            self.record_deletion(row[0], "memo", by)

    def restore_memo(self, memo: Memo) -> int:
        """Put back a deleted memo as it was (same guid and id, unless the id is taken), e.g. for undo."""
        column = _target_column(memo.target)
        taken = self.conn.execute("SELECT 1 FROM memos WHERE id = ?", [memo.id]).fetchone()
        row = {
            "id": None if taken else memo.id, "guid": memo.guid or new_guid(), "target": memo.target,
            "coder_id": self._coder_or_none(memo.coder), "text": memo.text, "created_at": memo.created_at,
            "updated_at": memo.updated_at, "updated_by": self._coder_or_none(memo.updated_by),
        }
        if column is not None:
            row[column] = memo.target_id
        try:
            return insert_row(self.conn, "memos", row)
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"memo {memo.id}: cannot come back (its {memo.target} is gone, or it is "
                                 "already there)") from None

    def reattach_memos(self, target: str, from_id: int, to_id: int) -> int:
        """Move the memos on one document, code, coding or case to another (a merge keeps its notes)."""
        column = _target_column(target)
        if column is None:
            return 0
        return self.conn.execute(f"UPDATE memos SET {column} = ? WHERE {column} = ?", [to_id, from_id]).rowcount

    def retarget_memo(self, memo_id: int, target: str, target_id: int | None) -> None:
        """Put a memo on another object of the same kind (undoing a merge takes its notes back)."""
        column = _target_column(target)
        if column is not None:
            self.conn.execute(f"UPDATE memos SET {column} = ? WHERE id = ? AND target = ?",
                              [target_id, memo_id, target])
