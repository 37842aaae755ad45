"""Suggestions (temporary, over the m001 table): the store API the suggest branch provides.

Replaced at merge by the suggest branch's module; kept here only so that promoting a theme can
call exactly the same three methods. A run is recorded as an audit-trail event.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Suggestion, SuggestionDraft, WorkbenchError
from .base import Queries


class SuggestionQueries(Queries):
    """Runs of a suggestion engine and their open suggestions."""

    def add_suggestion_run(
        self, method: str, *, model: str = "", parameters: dict | None = None, seed: int | None = None,
        training_hash: str = "", coder: str | None = None,
    ) -> int:
        """Record one run (as an event here) and return its id."""
        with self.transaction():
            self.log("suggest run", {"method": method, "model": model, "parameters": parameters or {},
                                     "seed": seed, "training_hash": training_hash}, coder)
            return self.conn.execute("SELECT max(id) FROM events").fetchone()[0]

    def add_suggestions(self, run_id: int, drafts: Iterable[SuggestionDraft]) -> int:
        """Store drafts as open suggestions, skipping spans already coded with the code or already open."""
        stored = 0
        with self.transaction():
            for draft in drafts:
                length = self.conn.execute("SELECT chars FROM documents WHERE id = ?", [draft.document_id]).fetchone()
                if length is None or not 0 <= draft.start < draft.end <= length[0]:
                    raise WorkbenchError(f"suggestion {draft.start}–{draft.end}: outside document {draft.document_id}")
                if self.conn.execute(
                    'SELECT 1 FROM codings WHERE document_id = ? AND code_id = ? AND start < ? AND "end" > ? LIMIT 1',
                    [draft.document_id, draft.code_id, draft.end, draft.start]).fetchone():
                    continue
                if self.conn.execute(
                    'SELECT 1 FROM suggestions WHERE document_id = ? AND code_id = ? AND start = ? AND "end" = ? '
                    "AND status IN ('open', 'rejected') LIMIT 1",
                    [draft.document_id, draft.code_id, draft.start, draft.end]).fetchone():
                    continue
                self.conn.execute(
                    'INSERT INTO suggestions (document_id, code_id, start, "end", score, method, status) '
                    "VALUES (?, ?, ?, ?, ?, ?, 'open')",
                    [draft.document_id, draft.code_id, draft.start, draft.end, float(draft.score), draft.method])
                stored += 1
            self.log("suggest add", {"run": run_id, "stored": stored})
        return stored

    def open_suggestions(
        self, document_id: int | None = None, code_ids: Iterable[int] | None = None, method: str | None = None,
        min_score: float = 0.0,
    ) -> list[Suggestion]:
        clauses, params = ["status = 'open'", "coalesce(score, 0) >= ?"], [min_score]
        if document_id is not None:
            clauses.append("document_id = ?")
            params.append(document_id)
        if code_ids is not None:
            ids = list(code_ids)
            clauses.append(f"code_id IN ({','.join('?' * len(ids))})")
            params += ids
        if method is not None:
            clauses.append("method = ?")
            params.append(method)
        return [Suggestion(*row) for row in self.conn.execute(
            'SELECT id, document_id, code_id, start, "end", coalesce(score, 0), coalesce(method, \'\'), status '
            f"FROM suggestions WHERE {' AND '.join(clauses)} ORDER BY document_id, start, id", params)]
