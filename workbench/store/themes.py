"""Theme runs with their themes and members: what `themes` keeps (the word index is in `word_index`)."""

from __future__ import annotations

import json

from ..model import Theme, ThemeMember, ThemeRun, WorkbenchError
from .base import Queries, insert_row, new_guid, now
from .events import Action


class ThemeQueries(Queries):
    """Recorded theme runs with their members."""

    # ------------------------------------------------------------ theme runs
    def add_theme_run(
        self, *, unit: str, scope: str, k: int, seed: int, method: str, model: str, parameters: dict,
        themes: list[dict], coder: str | None = None,
    ) -> int:
        """Store a run, its themes and their members (each theme a dict with `members` rows)."""
        with self.transaction():
            run_id = insert_row(self.conn, "theme_runs", {
                "guid": new_guid(), "unit": unit, "scope": scope, "k": k, "seed": seed,
                "method": method, "model": model,
                "parameters": json.dumps(parameters, ensure_ascii=False, sort_keys=True),
                "created_at": now(), "coder_id": self.coder_id(coder) if coder else None,
            })
            for position, theme in enumerate(themes):
                theme_id = insert_row(self.conn, "themes", {
                    "guid": new_guid(), "run_id": run_id, "position": position, "label": theme["label"],
                    "size": theme["size"], "terms": json.dumps(theme["terms"], ensure_ascii=False),
                    "languages": json.dumps(theme["languages"], ensure_ascii=False),
                    "documents": json.dumps(theme["documents"], ensure_ascii=False),
                    "cases": json.dumps(theme["cases"], ensure_ascii=False),
                })
                self.conn.executemany(
                    'INSERT INTO theme_members (theme_id, document_id, start, "end", score, representative) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(theme_id, m["document_id"], m["start"], m["end"], m["score"], m.get("representative"))
                     for m in theme["members"]])
            self.log(Action.THEMES_RUN, {"run": run_id, "unit": unit, "scope": scope, "k": k, "seed": seed,
                                    "method": method, "themes": len(themes)}, coder)
        return run_id

    def theme_runs(self) -> list[ThemeRun]:
        """Every recorded run, newest first."""
        return self._theme_runs("ORDER BY r.id DESC", [])

    def theme_run(self, run_id: int) -> ThemeRun:
        rows = self._theme_runs("WHERE r.id = ?", [run_id])
        if not rows:
            raise WorkbenchError(f"{self.path}: no theme run {run_id} (see `workbench themes list {self.path}`)")
        return rows[0]

    def _theme_runs(self, clause: str, params: list[object]) -> list[ThemeRun]:
        return [
            ThemeRun(run_id, guid, unit, scope, k, seed, method, model, json.loads(parameters or "{}"), created_at,
                     coder_id, coder, themes)
            for run_id, guid, unit, scope, k, seed, method, model, parameters, created_at, coder_id, coder, themes
            in self.conn.execute(
                "SELECT r.id, r.guid, r.unit, r.scope, r.k, r.seed, r.method, r.model, r.parameters, r.created_at, "
                "r.coder_id, k.name, (SELECT count(*) FROM themes t WHERE t.run_id = r.id) "
                f"FROM theme_runs r LEFT JOIN coders k ON k.id = r.coder_id {clause}", params)
        ]

    def themes_of_run(self, run_id: int) -> list[Theme]:
        return self._themes("WHERE run_id = ? ORDER BY position", [run_id])

    def theme(self, theme_id: int) -> Theme:
        rows = self._themes("WHERE id = ?", [theme_id])
        if not rows:
            raise WorkbenchError(f"{self.path}: no theme {theme_id}")
        return rows[0]

    def _themes(self, clause: str, params: list[object]) -> list[Theme]:
        return [
            Theme(theme_id, guid, run_id, position, label, size, json.loads(terms), json.loads(languages),
                  json.loads(documents), json.loads(cases), code_id, promoted_at)
            for theme_id, guid, run_id, position, label, size, terms, languages, documents, cases, code_id, promoted_at
            in self.conn.execute(
                "SELECT id, guid, run_id, position, label, size, terms, languages, documents, cases, code_id, "
                f"promoted_at FROM themes {clause}", params)
        ]

    def theme_members(self, theme_id: int) -> list[ThemeMember]:
        """Members best first, with their text, document, case and speaker."""
        return [ThemeMember(*row) for row in self.conn.execute(
            'SELECT m.document_id, d.name AS document, m.start, m."end", m.score, m.representative, '
            'substr(d.text, m.start + 1, m."end" - m.start) AS text, c.name AS "case", '
            '(SELECT t.speaker FROM turns t WHERE t.document_id = m.document_id AND t."end" > m.start '
            'ORDER BY t."end" LIMIT 1) AS speaker '
            "FROM theme_members m JOIN documents d ON d.id = m.document_id LEFT JOIN cases c ON c.id = d.case_id "
            "WHERE m.theme_id = ? ORDER BY m.representative IS NULL, m.representative, m.score DESC, "
            "m.document_id, m.start", [theme_id])]

    def set_theme_code(self, theme_id: int, code_id: int) -> None:
        self.conn.execute("UPDATE themes SET code_id = ?, promoted_at = ? WHERE id = ?", [code_id, now(), theme_id])
