"""Teams: coders with what each has done, and the record of merges from other coders' projects."""

from __future__ import annotations

import json

from .base import Queries, insert_row, new_guid, now, query_dicts, update_row
from .coders import WORKED


class TeamQueries(Queries):
    """Who coded what, and which projects were merged in (so a merge can be run again safely)."""

    def coder_counts(self) -> list[dict]:
        """Every coder with their codings, documents coded, codes used and memos."""
        return query_dicts(self.conn,
            f"""
            SELECT k.id, k.name,
                   (SELECT count(*) FROM codings g WHERE g.coder_id = k.id) AS codings,
                   (SELECT count(DISTINCT g.document_id) FROM codings g WHERE g.coder_id = k.id) AS documents,
                   (SELECT count(DISTINCT g.code_id) FROM codings g WHERE g.coder_id = k.id) AS codes,
                   (SELECT count(*) FROM memos m WHERE m.coder_id = k.id) AS memos,
                   (SELECT max(g.created_at) FROM codings g WHERE g.coder_id = k.id) AS last_coding
            FROM coders k WHERE {WORKED} ORDER BY k.name
            """
        )

    # ------------------------------------------------------------------ reading a whole project
    def table_columns(self, table: str) -> set[str]:
        """A table's columns: merges read projects made before and after the identity schema."""
        return {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}

    def has_table(self, table: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 [table]).fetchone() is not None

    def rows_of(self, table: str, order: str = "id") -> list[dict]:
        """Every row of a table as a dict (documents, codes, cases, coders, memos, attributes)."""
        if table not in ("documents", "codes", "codings", "cases", "coders", "memos", "attributes", "deletions"):
            raise ValueError(f"no merge reading of {table!r}")
        if not self.has_table(table):
            return []
        return query_dicts(self.conn, f'SELECT * FROM "{table}" ORDER BY {order}')

    def coding_keys(self) -> dict[tuple, int]:
        """(document id, code id, start, end, coder id) -> id of every coding: what counts as the same coding."""
        return {tuple(row[:5]): row[5] for row in
                self.conn.execute('SELECT document_id, code_id, start, "end", coder_id, id FROM codings')}

    def fold_targets(self) -> dict[str, str]:
        """guid of each code folded into another here (`merge_codes`) -> the guid of the code it went into."""
        if not self.has_table("events"):
            return {}
        folds = {}
        for (detail,) in self.conn.execute("SELECT detail FROM events WHERE action = 'code merge' ORDER BY id"):
            try:
                entry = json.loads(detail or "{}")
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("from_guid") and entry.get("into_guid"):
                folds[str(entry["from_guid"]).lower()] = str(entry["into_guid"]).lower()
        return folds

    def reimported(self, document_id: int, guid: str | None) -> bool:
        """Whether this document's text was re-imported here (another encoding of its file)."""
        if not self.has_table("events"):
            return False
        for (detail,) in self.conn.execute("SELECT detail FROM events WHERE action = 'document reimport'"):
            try:
                entry = json.loads(detail or "{}")
            except ValueError:
                continue
            if isinstance(entry, dict) and (entry.get("document_id") == document_id
                                            or (guid and str(entry.get("guid") or "").lower() == guid)):
                return True
        return False

    def work_on_document(self, document_id: int) -> list[str]:
        """guids of the codings and memos that go with a document (on it, or on its codings)."""
        return [guid.lower() for (guid,) in self.conn.execute(
            "SELECT guid FROM codings WHERE document_id = ? AND guid IS NOT NULL "
            "UNION ALL SELECT guid FROM memos WHERE guid IS NOT NULL AND (document_id = ? "
            "OR coding_id IN (SELECT id FROM codings WHERE document_id = ?))",
            [document_id, document_id, document_id])]

    def document_coding_guids(self, document_id: int) -> list[str]:
        return [guid.lower() for (guid,) in self.conn.execute(
            "SELECT guid FROM codings WHERE document_id = ? AND guid IS NOT NULL", [document_id])]

    def replace_merged_document(self, old_id: int, row: dict) -> int:
        """Put another project's text of one document (the same guid, re-imported there) in place of
        this one's: a new row takes the memos and, last, the guid (m011 forgets its deletion)."""
        import uuid

        guid = row["guid"]
        self.conn.execute("UPDATE documents SET name = name || ' (replaced)' WHERE id = ?", [old_id])
        new_id = self.insert_merged("documents", dict(row, guid=str(uuid.uuid4())))
        self.conn.execute("UPDATE memos SET document_id = ? WHERE document_id = ?", [new_id, old_id])
        self.conn.execute("DELETE FROM search WHERE document_id = ?", [old_id])
        self.conn.execute("DELETE FROM documents WHERE id = ?", [old_id])
        self.conn.execute("UPDATE documents SET guid = ? WHERE id = ?", [guid, new_id])
        return new_id

    def delete_merged_document(self, document_id: int) -> None:
        """A document the other side deleted, with nothing here they did not know of."""
        self.conn.execute("DELETE FROM search WHERE document_id = ?", [document_id])
        self.conn.execute("DELETE FROM documents WHERE id = ?", [document_id])

    def guids_of(self, table: str) -> dict[str, int]:
        if "guid" not in self.table_columns(table):
            return {}
        return {guid.lower(): row_id for row_id, guid in self.conn.execute(
            f"SELECT id, guid FROM {table} WHERE guid IS NOT NULL")}

    def deleted_guids(self) -> dict[str, str]:
        """guid -> kind of everything this project remembers deleting (empty before the identity schema)."""
        if not self.has_table("deletions"):
            return {}
        return {guid.lower(): kind for guid, kind in self.conn.execute("SELECT guid, kind FROM deletions")}

    # ------------------------------------------------------------------ writing what comes in
    def insert_merged(self, table: str, row: dict) -> int:
        """Insert a row brought from another project, keeping only the columns this project has."""
        if table not in ("documents", "codes", "codings", "cases", "coders", "memos"):
            raise ValueError(f"no merge writing of {table!r}")
        columns = self.table_columns(table)
        return insert_row(self.conn, table, {k: v for k, v in row.items() if k in columns and k != "id"})

    def add_turns_and_index(self, document_id: int, turns: list[tuple], bodies: list[str]) -> None:
        """A merged document's turns (idx, speaker, start, end, lang, t0, t1) and its search rows."""
        cursor = self.conn.cursor()
        for turn, body in zip(turns, bodies, strict=True):
            cursor.execute('INSERT INTO turns (document_id, idx, speaker, start, "end", lang, t_start_ms, t_end_ms) '
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [document_id, *turn])
            cursor.execute("INSERT INTO search (body, turn_id, document_id) VALUES (?, ?, ?)",
                           [body, cursor.lastrowid, document_id])

    def set_attribute_if_missing(self, case_id: int, name: str, value: str) -> bool:
        return self.conn.execute("INSERT OR IGNORE INTO attributes (case_id, name, value) VALUES (?, ?, ?)",
                                 [case_id, name, value]).rowcount > 0

    def attribute_values(self) -> dict[tuple[int, str], str]:
        return {(case_id, name): value for case_id, name, value in
                self.conn.execute("SELECT case_id, name, value FROM attributes")}

    def code_work(self, code_ids: list[int]) -> tuple[list[tuple[int, str | None]], list[str | None]]:
        """(id, guid) of the codings on these codes and guids of the memos on them (merges: a code
        deleted there)."""
        marks = ", ".join("?" * len(code_ids))
        codings = self.conn.execute(f"SELECT id, lower(guid) FROM codings WHERE code_id IN ({marks})",
                                    code_ids).fetchall()
        memos = self.conn.execute(f"SELECT lower(guid) FROM memos WHERE code_id IN ({marks})", code_ids).fetchall()
        return [(row_id, guid) for row_id, guid in codings], [guid for (guid,) in memos]

    def move_merged_coding(self, coding_id: int, code_id: int) -> None:
        """A coding the other side moved to another code (reassigned when they deleted its code)."""
        self.conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", [code_id, coding_id])

    def delete_merged(self, table: str, row_id: int) -> None:
        """Remove a coding, memo or code that the other side deleted (its deletion travels here)."""
        if table not in ("codings", "memos", "codes"):
            raise ValueError(f"no merge deletion from {table!r}")
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])

    def fill_code_fields(self, code_id: int, fields: dict) -> None:
        if fields:
            update_row(self.conn, "codes", code_id, fields)

    # ------------------------------------------------------------------ the record of merges
    def record_merge(self, source_path: str, source_guid: str, source_name: str, by: str | None,
                     summary: dict) -> int:

        return insert_row(self.conn, "merges", {
            "guid": new_guid(), "source_path": source_path, "source_guid": source_guid,
            "source_name": source_name, "at": now(), "by": by,
            "summary": json.dumps(summary, ensure_ascii=False),
        })

    def merges(self) -> list[dict]:
        if not self.has_table("merges"):
            return []
        return [dict(row, summary=json.loads(row["summary"] or "{}"))
                for row in query_dicts(self.conn, "SELECT * FROM merges ORDER BY id")]
