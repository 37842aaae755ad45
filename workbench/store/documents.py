"""Documents, their turns and full-text search: text that never changes after import."""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from ..model import Document, DocumentSummary, Turn, WorkbenchError
from .base import Queries, insert_row, new_guid, now

TEXTS_KEPT = 8  # whole document texts a project keeps at hand (the ones being coded)


class DocumentQueries(Queries):
    """Documents, turns and the search index: written once at import, read everywhere."""

    def document_text(self, document_id: int) -> str | None:
        """A document's whole text, kept at hand: it never changes after import, and slicing it
        in Python is what makes coding fast in a long document (SQLite walks UTF-8 from the start)."""
        row = self.conn.execute("SELECT guid FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is None:
            return None
        kept: OrderedDict[int, tuple[str, str]] = self.__dict__.setdefault("_texts", OrderedDict())
        hit = kept.get(document_id)
        if hit is not None and hit[0] == row[0]:  # the same document (a restore may bring others)
            kept.move_to_end(document_id)
            return hit[1]
        text = self.conn.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()[0]
        self._keep_text(document_id, row[0], text)
        return text

    def remember_document_text(self, document_id: int, text: str) -> None:
        """Keep a document's text that the caller already read (the TUI loads it in a worker),
        so that the first coding in it is as fast as the next."""
        row = self.conn.execute("SELECT guid, chars FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is not None and row[1] == len(text):
            self._keep_text(document_id, row[0], text)

    def _keep_text(self, document_id: int, guid: str, text: str) -> None:
        kept: OrderedDict[int, tuple[str, str]] = self.__dict__.setdefault("_texts", OrderedDict())
        kept[document_id] = (guid, text)
        kept.move_to_end(document_id)
        while len(kept) > TEXTS_KEPT:
            kept.popitem(last=False)

    def add_document(
        self,
        *,
        name: str,
        text: str,
        sha256: str,
        lang: str,
        encoding: str,
        format: str,
        source_path: str,
        turns: Iterable[Turn],
        index_bodies: Iterable[str],
        case_id: int | None = None,
        guid: str | None = None,
    ) -> int:
        """Store a document with its turns and search rows; call inside `transaction()`."""
        document_id = insert_row(self.conn, "documents",
            {
                "guid": guid or new_guid(), "name": name, "sha256": sha256, "lang": lang, "encoding": encoding,
                "format": format, "source_path": source_path, "text": text, "chars": len(text),
                "imported_at": now(), "case_id": case_id,
            }
        )
        turn_rows = [
            (document_id, t.idx, t.speaker, t.start, t.end, t.lang, t.t_start_ms, t.t_end_ms)
            for t in turns
        ]
        cursor = self.conn.cursor()
        first_id = None
        for row in turn_rows:
            cursor.execute(
                'INSERT INTO turns (document_id, idx, speaker, start, "end", lang, t_start_ms, '
                "t_end_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            if first_id is None:
                first_id = cursor.lastrowid
        if first_id is not None:
            cursor.executemany(
                "INSERT INTO search (body, turn_id, document_id) VALUES (?, ?, ?)",
                ((body, first_id + i, document_id) for i, body in enumerate(index_bodies)),
            )
        return document_id

    def document_by_sha(self, sha256: str) -> str | None:
        row = self.conn.execute("SELECT name FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None

    def document_id(self, name: str) -> int | None:
        row = self.conn.execute("SELECT id FROM documents WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def document(self, document_id: int) -> Document:
        row = self.conn.execute(
            "SELECT id, name, sha256, lang, encoding, source_path, text, imported_at, case_id, "
            "format, guid FROM documents WHERE id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            raise WorkbenchError(f"{self.path}: no document with id {document_id}")
        document = Document(*row)
        self._keep_text(document.id, document.guid, document.text)
        return document

    def documents(self) -> list[DocumentSummary]:
        """A summary per document: no text, with its case and how much is coded; by name."""
        return [DocumentSummary(*row) for row in self.conn.execute(
                """
                SELECT d.id, d.name, d.lang, d.encoding, d.format, d.chars, d.case_id,
                       c.name AS "case",
                       (SELECT count(*) FROM turns t WHERE t.document_id = d.id) AS turns,
                       (SELECT count(*) FROM codings g WHERE g.document_id = d.id) AS codings
                FROM documents d LEFT JOIN cases c ON c.id = d.case_id
                ORDER BY d.name
                """
        )]

    def document_texts(self) -> Iterator[tuple[int, str, str]]:
        yield from self.conn.execute("SELECT id, name, text FROM documents ORDER BY id")

    def turn_places(self, document_id: int) -> list[tuple[int, int, str | None, int | None]]:
        """(start, end, speaker, start time in ms) of a document's turns, in order: plain tuples,
        what a view of a long document reads by the thousand (a `Turn` costs four times as much)."""
        return self.conn.execute(
            'SELECT start, "end", speaker, t_start_ms FROM turns WHERE document_id = ? ORDER BY start',
            [document_id],
        ).fetchall()

    def turns(self, document_id: int) -> list[Turn]:
        return [
            Turn(idx, speaker, start, end, lang or "und", t0, t1, turn_id)
            for turn_id, idx, speaker, start, end, lang, t0, t1 in self.conn.execute(
                'SELECT id, idx, speaker, start, "end", lang, t_start_ms, t_end_ms FROM turns '
                "WHERE document_id = ? ORDER BY start",
                [document_id],
            )
        ]

    def all_turns(self) -> Iterator[tuple[int, int, int, int, str | None]]:
        """(turn id, document id, start, end, speaker) for every turn."""
        yield from self.conn.execute(
            'SELECT id, document_id, start, "end", speaker FROM turns ORDER BY document_id, start'
        )

    def set_document_case(self, document_id: int, case_id: int | None) -> None:
        self.conn.execute("UPDATE documents SET case_id = ? WHERE id = ?", [case_id, document_id])

    def slice(self, document_id: int, start: int, end: int) -> str:
        text = self.document_text(document_id)
        return text[max(start, 0):max(end, 0)] if text is not None else ""

    def document_length(self, document_id: int) -> int | None:
        row = self.conn.execute("SELECT chars FROM documents WHERE id = ?", [document_id]).fetchone()
        return row[0] if row else None

    def search_turns(self, fts_query: str, limit: int = 1000) -> list[tuple[int, int]]:
        """(turn id, document id) of turns matching an FTS5 query, best first."""
        try:
            return [
                (int(turn_id), int(document_id))
                for turn_id, document_id in self.conn.execute(
                    "SELECT turn_id, document_id FROM search WHERE search MATCH ? ORDER BY rank "
                    "LIMIT ?",
                    [fts_query, limit],
                )
            ]
        except sqlite3.OperationalError as error:
            raise WorkbenchError(f"search: cannot read {fts_query!r} ({error})") from None

    def turn(self, turn_id: int) -> tuple[int, int, int, str | None] | None:
        """(document id, start, end, speaker) of one turn."""
        return self.conn.execute(
            'SELECT document_id, start, "end", speaker FROM turns WHERE id = ?', [turn_id]
        ).fetchone()
