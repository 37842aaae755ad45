"""Teams: coders with what each has done, and the record of merges from other coders' projects."""

from __future__ import annotations

import json

from .base import Queries, now


class TeamQueries(Queries):
    """Who coded what, and which projects were merged in (so a merge can be run again safely)."""

    def coder_counts(self) -> list[dict]:
        """Every coder with their codings, documents coded, codes used and memos."""
        return list(self.db.query(
            """
            SELECT k.id, k.name,
                   (SELECT count(*) FROM codings g WHERE g.coder_id = k.id) AS codings,
                   (SELECT count(DISTINCT g.document_id) FROM codings g WHERE g.coder_id = k.id) AS documents,
                   (SELECT count(DISTINCT g.code_id) FROM codings g WHERE g.coder_id = k.id) AS codes,
                   (SELECT count(*) FROM memos m WHERE m.coder_id = k.id) AS memos,
                   (SELECT max(g.created_at) FROM codings g WHERE g.coder_id = k.id) AS last_coding
            FROM coders k ORDER BY k.name
            """
        ))
