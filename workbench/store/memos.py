"""Memos: notes on the project, a document, a code, a coding or a case."""

from __future__ import annotations

from ..model import Memo
from .base import Queries, now


class MemoQueries(Queries):
    """Memos on any target."""

    def add_memo(self, target: str, target_id: int | None, text: str, coder: str | None) -> int:
        return self.db["memos"].insert(
            {
                "target": target, "target_id": target_id,
                "coder_id": self.coder_id(coder) if coder else None,
                "text": text, "created_at": now(),
            }
        ).last_pk

    def memos(self, target: str | None = None, target_id: int | None = None) -> list[Memo]:
        clauses, params = [], []
        if target is not None:
            clauses.append("m.target = ?")
            params.append(target)
        if target_id is not None:
            clauses.append("m.target_id = ?")
            params.append(target_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return [
            Memo(*row)
            for row in self.conn.execute(
                "SELECT m.id, m.target, m.target_id, k.name, m.text, m.created_at FROM memos m "
                f"LEFT JOIN coders k ON k.id = m.coder_id {where} ORDER BY m.id",
                params,
            )
        ]

    def update_memo(self, memo_id: int, text: str) -> None:
        self.conn.execute("UPDATE memos SET text = ? WHERE id = ?", [text, memo_id])

    def delete_memo(self, memo_id: int) -> None:
        self.conn.execute("DELETE FROM memos WHERE id = ?", [memo_id])
