"""Cases and their attributes: who or what a document is about."""

from __future__ import annotations

from ..model import Case
from .base import Queries, insert_row, new_guid


class CaseQueries(Queries):
    """Cases and their attributes, and the attributes each document inherits."""

    def upsert_case(self, name: str, attributes: dict[str, str], guid: str | None = None) -> int:
        row = self.conn.execute("SELECT id FROM cases WHERE name = ?", [name]).fetchone()
        case_id = row[0] if row else insert_row(self.conn, "cases", {"guid": guid or new_guid(), "name": name})
        for key, value in attributes.items():
            self.conn.execute(
                "INSERT INTO attributes (case_id, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT (case_id, name) DO UPDATE SET value = excluded.value",
                [case_id, key, value],
            )
        return case_id

    def cases(self) -> list[Case]:
        attributes: dict[int, dict[str, str]] = {}
        for case_id, key, value in self.conn.execute("SELECT case_id, name, value FROM attributes"):
            attributes.setdefault(case_id, {})[key] = value
        return [
            Case(case_id, name, attributes.get(case_id, {}), guid)
            for case_id, name, guid in self.conn.execute("SELECT id, name, guid FROM cases ORDER BY name")
        ]

    def document_attributes(self) -> dict[int, dict[str, str]]:
        """Each document's case attributes (plus `case`), for filters and tables."""
        result: dict[int, dict[str, str]] = {}
        for document_id, case_name in self.conn.execute(
            "SELECT d.id, c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id"
        ):
            result[document_id] = {"case": case_name} if case_name else {}
        for document_id, key, value in self.conn.execute(
            "SELECT d.id, a.name, a.value FROM documents d JOIN attributes a ON a.case_id = d.case_id"
        ):
            result[document_id][key] = value
        return result
