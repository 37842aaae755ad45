"""Suggestions: what the engine proposed, from which run, and what the researcher decided."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from ..model import Suggestion, SuggestionDraft, WorkbenchError
from .base import Queries, insert_row, new_guid, now, query_dicts
from .events import Action

_COLUMNS = (
    's.id, s.document_id, s.code_id, s.start, s."end", s.score, s.method, s.status, s.code_guid, '
    "s.run_id, s.text, k.name, s.decided_at, s.coding_id, s.guid"
)


class SuggestionQueries(Queries):
    """Runs of the suggestion engine, their suggestions, decisions and the embedding cache."""

    # ------------------------------------------------------------------ runs
    def add_suggestion_run(
        self, method: str, *, model: str = "", parameters: dict | None = None, seed: int | None = None,
        training_hash: str = "", coder: str | None = None,
    ) -> int:
        """Record one run of an engine (its provenance); every suggestion it makes points here."""
        with self.transaction():
            run_id = insert_row(self.conn, "suggestion_runs", {
                "guid": new_guid(), "method": method, "model": model,
                "parameters": json.dumps(parameters or {}, ensure_ascii=False, sort_keys=True),
                "seed": seed, "training_hash": training_hash, "created_at": now(),
                "coder_id": self.coder_id(coder) if coder else None,
            })
            self.log(Action.SUGGEST_RUN, {"run": run_id, "method": method, "model": model}, coder)
        return run_id

    def suggestion_run(self, run_id: int) -> dict | None:
        rows = query_dicts(self.conn,
            "SELECT r.*, k.name AS coder FROM suggestion_runs r LEFT JOIN coders k ON k.id = r.coder_id "
            "WHERE r.id = ?", [run_id])
        if not rows:
            return None
        row = dict(rows[0])
        row["parameters"] = json.loads(row["parameters"] or "{}")
        return row

    def suggestion_choice(self, training_hash: str) -> dict | None:
        """The ranking method chosen for this training hash, as the last run that used it recorded it."""
        for (parameters,) in self.conn.execute(
                "SELECT parameters FROM suggestion_runs WHERE training_hash = ? AND parameters LIKE '%\"selection\"%' "
                "ORDER BY id DESC LIMIT 1", [training_hash]):
            return json.loads(parameters or "{}").get("selection")
        return None

    # ----------------------------------------------------------- suggestions
    def code_guid(self, code_id: int) -> str:
        """A code's guid, given one if it has none yet (projects made before guids existed)."""
        row = self.conn.execute("SELECT guid FROM codes WHERE id = ?", [code_id]).fetchone()
        if row is None:
            raise WorkbenchError(f"no code with id {code_id}")
        if row[0]:
            return row[0]
        guid = new_guid()
        self.conn.execute("UPDATE codes SET guid = ? WHERE id = ?", [guid, code_id])
        return guid

    def add_suggestions(self, run_id: int, drafts: Iterable[SuggestionDraft]) -> int:
        """Store a run's drafts; skips rejected spans, spans already coded with the code, open duplicates."""
        drafts = list(drafts)
        if not drafts:
            return 0
        with self.transaction():
            if self.conn.execute("SELECT 1 FROM suggestion_runs WHERE id = ?", [run_id]).fetchone() is None:
                raise WorkbenchError(f"no suggestion run with id {run_id}")
            guids: dict[int, str] = {}
            texts: dict[int, str] = {}
            coded: dict[tuple[int, int], list[tuple[int, int]]] = {}
            stored = 0
            rows = []
            for draft in drafts:
                if draft.code_id not in guids:
                    guids[draft.code_id] = self.code_guid(draft.code_id)
                guid = guids[draft.code_id]
                if draft.document_id not in texts:
                    row = self.conn.execute("SELECT text FROM documents WHERE id = ?", [draft.document_id]).fetchone()
                    if row is None:
                        raise WorkbenchError(f"no document with id {draft.document_id}")
                    texts[draft.document_id] = row[0]
                text = texts[draft.document_id]
                if not 0 <= draft.start < draft.end <= len(text):
                    raise WorkbenchError(f"suggestion {draft.start}–{draft.end} lies outside document "
                                         f"{draft.document_id} ({len(text)} characters)")
                key = (draft.document_id, draft.code_id)
                if key not in coded:
                    coded[key] = [tuple(r) for r in self.conn.execute(
                        'SELECT start, "end" FROM codings WHERE document_id = ? AND code_id = ?', key)]
                # already coded by anyone with that code: any overlap means a person has looked at it
                if any(s < draft.end and draft.start < e for s, e in coded[key]):
                    continue
                known = self.conn.execute(
                    'SELECT 1 FROM suggestions WHERE document_id = ? AND start = ? AND "end" = ? AND '
                    "((code_guid = ? AND status = 'rejected') OR (code_id = ? AND status = 'open')) LIMIT 1",
                    [draft.document_id, draft.start, draft.end, guid, draft.code_id],
                ).fetchone()
                if known:
                    continue
                rows.append({
                    "guid": new_guid(), "run_id": run_id, "document_id": draft.document_id,
                    "code_id": draft.code_id, "code_guid": guid, "start": draft.start, "end": draft.end,
                    "text": text[draft.start:draft.end], "score": float(draft.score), "method": draft.method,
                    "status": "open", "created_at": now(),
                })
                # a second draft of the same span in this batch is a duplicate too
                insert_row(self.conn, "suggestions", rows[-1])
                stored += 1
            self.log(Action.SUGGEST_ADD, {"run": run_id, "stored": stored, "offered": len(drafts)})
        return stored

    def open_suggestions(
        self, document_id: int | None = None, code_ids: Iterable[int] | None = None, method: str | None = None,
        min_score: float = 0.0,
    ) -> list[Suggestion]:
        """Undecided suggestions whose code still exists, in document order."""
        clauses = ["s.status = 'open'", "s.code_id IS NOT NULL", "coalesce(s.score, 0) >= ?"]
        params: list = [min_score]
        if document_id is not None:
            clauses.append("s.document_id = ?")
            params.append(document_id)
        if code_ids is not None:
            ids = list(code_ids)
            clauses.append(f"s.code_id IN ({','.join('?' * len(ids))})")
            params += ids
        if method is not None:
            clauses.append("s.method = ?")
            params.append(method)
        return self._suggestions("WHERE " + " AND ".join(clauses), params)

    def suggestions(self, status: str | None = None, document_id: int | None = None) -> list[Suggestion]:
        """Suggestions in any state (rejected ones included, also of deleted codes)."""
        clauses: list[str] = []
        params: list[object] = []
        if status is not None:
            clauses.append("s.status = ?")
            params.append(status)
        if document_id is not None:
            clauses.append("s.document_id = ?")
            params.append(document_id)
        return self._suggestions(("WHERE " + " AND ".join(clauses)) if clauses else "", params)

    def suggestion(self, suggestion_id: int) -> Suggestion | None:
        found = self._suggestions("WHERE s.id = ?", [suggestion_id])
        return found[0] if found else None

    def _suggestions(self, where: str, params: list) -> list[Suggestion]:
        return [
            Suggestion(id=r[0], document_id=r[1], code_id=r[2], start=r[3], end=r[4], score=r[5] or 0.0,
                       method=r[6] or "", status=r[7], code_guid=r[8], run_id=r[9], text=r[10] or "",
                       decided_by=r[11], decided_at=r[12], coding_id=r[13], guid=r[14])
            for r in self.conn.execute(
                f"SELECT {_COLUMNS} FROM suggestions s LEFT JOIN coders k ON k.id = s.decided_by {where} "
                "ORDER BY s.document_id, s.start, s.score DESC, s.id", params)
        ]

    def decide_suggestion(self, suggestion_id: int, status: str, coder: str, coding_id: int | None = None) -> None:
        """Mark a suggestion accepted or rejected (or open again, for undo) by a coder."""
        if status not in ("open", "accepted", "rejected"):
            raise ValueError(f"unknown suggestion status {status!r}")
        decided = status != "open"
        self.conn.execute(
            "UPDATE suggestions SET status = ?, decided_by = ?, decided_at = ?, coding_id = ? WHERE id = ?",
            [status, self.coder_id(coder) if decided else None, now() if decided else None, coding_id,
             suggestion_id],
        )

    def drop_open_suggestions(self, method: str, document_ids: Iterable[int], keep: Iterable[int] = ()) -> int:
        """Forget a method's undecided suggestions on these documents, except those in `keep`.

        A new run replaces the open proposals of the last one; decided ones stay as history.
        """
        docs = list(document_ids)
        if not docs:
            return 0
        kept = set(keep)
        ids = [row[0] for row in self.conn.execute(
            f"SELECT id FROM suggestions WHERE status = 'open' AND method = ? AND document_id IN "
            f"({','.join('?' * len(docs))})", [method, *docs]) if row[0] not in kept]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            self.conn.execute(f"DELETE FROM suggestions WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        return len(ids)

    def open_suggestion_keys(self, method: str, document_ids: Iterable[int]) -> dict[tuple[int, int, int, int], int]:
        """(document, code, start, end) -> id of a method's open suggestions on these documents."""
        docs = list(document_ids)
        if not docs:
            return {}
        return {
            (d, c, s, e): i for i, d, c, s, e in self.conn.execute(
                f'SELECT id, document_id, code_id, start, "end" FROM suggestions WHERE status = \'open\' '
                f"AND method = ? AND document_id IN ({','.join('?' * len(docs))})", [method, *docs])
        }

    def suggestion_counts(self) -> dict[str, int]:
        return defaultdict(int, {row[0]: row[1] for row in self.conn.execute(
            "SELECT status, count(*) FROM suggestions GROUP BY status")})

    # ------------------------------------------------------------- embeddings
    def cached_embeddings(self, keys: list[str]) -> dict[str, bytes]:
        """Stored vectors by key (a hash of the model and the sentence); absent keys are missing."""
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            for key, vector in self.conn.execute(
                f"SELECT key, vector FROM embeddings WHERE key IN ({','.join('?' * len(chunk))})", chunk):
                found[key] = vector
        return found

    def store_embeddings(self, model: str, vectors: dict[str, tuple[int, bytes]]) -> None:
        """Keep vectors (key -> (dimensions, float32 bytes)) so each sentence is embedded once."""
        if not vectors:
            return
        with self.transaction():
            stamp = now()
            self.conn.executemany(
                "INSERT OR IGNORE INTO embeddings (key, model, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)",
                [(key, model, dim, blob, stamp) for key, (dim, blob) in vectors.items()],
            )
