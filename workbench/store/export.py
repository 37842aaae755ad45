"""Pseudonyms and translations: what exports for papers keep in the project file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import WorkbenchError
from .base import Queries, insert_row, new_guid, now

KINDS = ("person", "place", "organisation")


@dataclass(frozen=True)
class Pseudonym:
    """One row of the de-identification table: what is replaced, by what, and who vouched for it."""

    id: int
    guid: str
    original: str
    replacement: str
    kind: str
    confirmed: bool
    source: str


class ExportQueries(Queries):
    """The pseudonym table and per-coding translations."""

    def pseudonyms(self) -> list[Pseudonym]:
        return [
            Pseudonym(row[0], row[1], row[2], row[3], row[4], bool(row[5]), row[6])
            for row in self.conn.execute(
                "SELECT id, guid, original, replacement, kind, confirmed, source FROM pseudonyms ORDER BY id"
            )
        ]

    def add_pseudonym(self, original: str, replacement: str, kind: str, confirmed: bool, source: str) -> int:
        """Add a row; call inside `transaction()`. An original already in the table is refused."""
        if kind not in KINDS:
            raise WorkbenchError(f"pseudonym {original!r}: kind {kind!r} is not one of {', '.join(KINDS)}")
        try:
            return insert_row(self.conn, "pseudonyms",
                {"guid": new_guid(), "original": original, "replacement": replacement, "kind": kind,
                 "confirmed": int(confirmed), "source": source, "created_at": now()}
            )
        except sqlite3.IntegrityError:
            raise WorkbenchError(f"pseudonym {original!r}: already in the table") from None

    def update_pseudonym(self, pseudonym_id: int, replacement: str, kind: str, confirmed: bool) -> None:
        if kind not in KINDS:
            raise WorkbenchError(f"pseudonym {pseudonym_id}: kind {kind!r} is not one of {', '.join(KINDS)}")
        self.conn.execute(
            "UPDATE pseudonyms SET replacement = ?, kind = ?, confirmed = ? WHERE id = ?",
            [replacement, kind, int(confirmed), pseudonym_id],
        )

    def delete_pseudonyms(self, ids: Iterable[int]) -> None:
        self.conn.executemany("DELETE FROM pseudonyms WHERE id = ?", [(i,) for i in ids])

    def set_translation(self, coding_id: int, text: str, lang: str) -> None:
        """Keep (or replace, or with empty text drop) a coding's translation; call inside `transaction()`."""
        if not text.strip():
            self.conn.execute("DELETE FROM translations WHERE coding_id = ?", [coding_id])
            return
        self.conn.execute(
            "INSERT INTO translations (coding_id, text, lang, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (coding_id) DO UPDATE SET text = excluded.text, lang = excluded.lang, "
            "updated_at = excluded.updated_at",
            [coding_id, text, lang, now()],
        )

    def translations(self) -> dict[int, tuple[str, str]]:
        """coding id -> (text, lang) for every translated coding."""
        return {row[0]: (row[1], row[2]) for row in self.conn.execute("SELECT coding_id, text, lang FROM translations")}
