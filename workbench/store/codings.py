"""Codings: spans of a document marked with a code by a coder, and their segments."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from typing import NamedTuple

from ..model import Coding, Memo, Segment, WorkbenchError
from .base import Queries, atomic, insert_row, inserted_id, new_guid, now, now_precise


class CodingQueries(Queries):
    """Codings and the segments they mark."""

    def add_coding(
        self, document_id: int, code_id: int, start: int, end: int, coder: str,
        origin: str = "manual", guid: str | None = None,
    ) -> int:
        coder_id = self.coder_id(coder)
        text = self._coded_text(document_id, start, end)
        with atomic(self.conn):  # committed at once when called outside a transaction, as an insert was
            cursor = self.conn.execute(
                'INSERT INTO codings (guid, document_id, code_id, start, "end", coder_id, origin, created_at, '
                "updated_at, updated_by, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [guid or new_guid(), document_id, code_id, start, end, coder_id, origin, now(), now_precise(),
                 coder_id, text],
            )
        return inserted_id(cursor)

    def _coded_text(self, document_id: int, start: int, end: int) -> str | None:
        """The words a coding marks, copied in when it is made (None: the trigger fills it in)."""
        text = self.document_text(document_id)
        return text[start:end] if text is not None else None

    def find_coding(self, document_id: int, code_id: int, start: int, end: int, coder: str) -> int | None:
        row = self.conn.execute(
            'SELECT g.id FROM codings g JOIN coders k ON k.id = g.coder_id WHERE g.document_id = ? '
            'AND g.code_id = ? AND g.start = ? AND g."end" = ? AND k.name = ?',
            [document_id, code_id, start, end, coder],
        ).fetchone()
        return row[0] if row else None

    def coding(self, coding_id: int) -> Coding | None:
        rows = self._codings("WHERE g.id = ?", [coding_id])
        return rows[0] if rows else None

    def delete_coding(self, coding_id: int, by: str | None = None) -> tuple[Coding, list[Memo]] | None:
        """Delete a coding and its memos (they go with it); return both, for undo, or None if gone."""
        coding = self.coding(coding_id)
        if coding is None:
            return None
        memos = self.memos("coding", coding_id)
        self.conn.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        self.record_deletion(coding.guid, "coding", by)
        for memo in memos:
            self.record_deletion(memo.guid, "memo", by)
        return coding, memos

    def restore_coding(self, coding: Coding, memos: Iterable[Memo] = (), *, keep_id: bool = True) -> int:
        """Put back a coding as it was, with its memos (same guids; same id, or a new one unless
        `keep_id`), e.g. for undo. Returns its id."""
        try:
            coding_id = insert_row(self.conn, "codings",
                {
                    "id": coding.id if keep_id else None, "guid": coding.guid or new_guid(),
                    "document_id": coding.document_id,
                    "code_id": coding.code_id, "start": coding.start, "end": coding.end,
                    "coder_id": self._coder_or_none(coding.coder), "origin": coding.origin,
                    "created_at": coding.created_at,
                    "updated_at": coding.updated_at or now_precise(),
                    "updated_by": self._coder_or_none(coding.updated_by or coding.coder),
                    "text": self._coded_text(coding.document_id, coding.start, coding.end),
                }
            )
        except sqlite3.IntegrityError:
            raise WorkbenchError(
                f"coding {coding.id} ({coding.start}–{coding.end}): cannot come back (it is already there, or its "
                "document or code is gone)"
            ) from None
        for memo in memos:
            self.restore_memo(replace(memo, target="coding", target_id=coding_id))
        return coding_id

    def codings(
        self,
        code_ids: Iterable[int] | None = None,
        document_id: int | None = None,
        coders: Iterable[str] | None = None,
    ) -> list[Coding]:
        clauses: list[str] = []
        params: list[object] = []
        if code_ids is not None:
            ids = list(code_ids)
            clauses.append(f"g.code_id IN ({','.join('?' * len(ids))})")
            params += ids
        if document_id is not None:
            clauses.append("g.document_id = ?")
            params.append(document_id)
        if coders is not None:
            names = list(coders)
            clauses.append(f"k.name IN ({','.join('?' * len(names))})")
            params += names
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._codings(where, params)

    def _codings(self, where: str, params: list) -> list[Coding]:
        return [
            Coding(*row)
            for row in self.conn.execute(
                'SELECT g.id, g.document_id, g.code_id, g.start, g."end", coalesce(k.name, \'\'), '
                "g.origin, g.created_at, g.guid, g.updated_at, u.name FROM codings g "
                f"LEFT JOIN coders k ON k.id = g.coder_id LEFT JOIN coders u ON u.id = g.updated_by {where} "
                "ORDER BY g.document_id, g.start, g.id",
                params,
            )
        ]

    def coding_places(
        self, document_id: int | None = None, without_coders: Iterable[str] = (),
    ) -> list[tuple[int, int, int, int, int]]:
        """(id, document id, code id, start, end) of every coding (of one document), but those of
        `without_coders`, in no set order: plain tuples, what a view indexes by the ten thousand (a `Coding` each
        costs five times as much to make)."""
        clauses: list[str] = []
        params: list[object] = []
        if document_id is not None:
            clauses.append("document_id = ?")
            params.append(document_id)
        hidden = list(without_coders)
        if hidden:
            clauses.append(f"coalesce(coder_id, -1) NOT IN (SELECT id FROM coders WHERE name IN "
                           f"({','.join('?' * len(hidden))}))")
            params += hidden
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self.conn.execute(
            f'SELECT id, document_id, code_id, start, "end" FROM codings {where}',  # unsorted: half the time
            params,
        ).fetchall()

    def coding_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM codings").fetchone()[0]

    def segment_rows(self, code_ids: Iterable[int], coders: Iterable[str] | None = None) -> list[SegmentRow]:
        """Every coding of these codes with its text, document, speaker, case and code, by document name
        and start."""
        documents, rows = self._segment_query(code_ids, coders)
        if not rows:
            return []
        code_names = dict(self.conn.execute("SELECT id, name FROM codes"))
        coder_names = dict(self.conn.execute("SELECT id, name FROM coders"))
        segments = []
        for coding_id, document_id, start, end, text, speaker, code_id, coder_id, origin in rows:
            document, case = documents[document_id]
            segments.append(SegmentRow(coding_id, document_id, document, start, end, text, speaker, case, code_id,
                                       code_names[code_id], coder_names.get(coder_id), origin))
        return segments

    def coded_segments(
        self, code_ids: Iterable[int], paths: dict[int, str], coders: Iterable[str] | None = None,
    ) -> list[Segment]:
        """`segment_rows` made straight into `Segment`s named by code path (what retrieval returns):
        one query, no row object in between — thousands of segments in a few milliseconds (issue 24)."""
        documents, rows = self._segment_query(code_ids, coders, origin=False)
        if not rows:
            return []
        coder_names = dict(self.conn.execute("SELECT id, name FROM coders"))
        make, set_fields = object.__new__, object.__setattr__  # a frozen dataclass without its __init__
        segments = []
        for coding_id, document_id, start, end, text, speaker, code_id, coder_id in rows:
            document, case = documents[document_id]
            path, coder = paths[code_id], coder_names.get(coder_id)
            segment = make(Segment)
            set_fields(segment, "__dict__", {
                "document_id": document_id, "document": document, "start": start, "end": end, "text": text,
                "speaker": speaker, "case": case, "code": path, "coder": coder, "coding_id": coding_id,
                "matches": (), "codings": ((coding_id, path, coder),)})
            segments.append(segment)
        return segments

    def _segment_query(
        self, code_ids: Iterable[int], coders: Iterable[str] | None, origin: bool = True,
    ) -> tuple[dict[int, tuple[str, str | None]], list[tuple]]:
        """Documents (name, case) by id, and the codings of these codes as plain rows sorted by document
        name and start (their origin last, if asked: each value read costs as much as a row's lookup).

        A coding's text is copied in when it is made (document text never changes): slicing 10 MB
        of documents per retrieval was most of its time. Its speaker too, kept by triggers (m025):
        looking up its turn was half the query. One query carries the code that applied, so a
        retrieval with sub-codes needs no second pass over the codings.
        """
        ids = list(code_ids)
        if not ids:
            return {}, []
        params: list = list(ids)
        coder_clause = ""
        if coders is not None:
            names = list(coders)
            coder_clause = (f" AND g.coder_id IN (SELECT id FROM coders WHERE name IN "
                            f"({','.join('?' * len(names))}))")
            params += names
        # Documents, cases, codes and coders are joined here from small dicts, and the rows sorted
        # here too, by each document's rank: SQLite's joins and sort cost twice what the codings
        # themselves do (issue 24). Both queries read an index alone (m025): the documents by name
        # (unique: their order is the rank), the codings with their text and speaker.
        listed = self.conn.execute(
            "SELECT d.id, d.name, c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.name"
        ).fetchall()
        rank = {row[0]: number for number, row in enumerate(listed)}
        rows = self.conn.execute(
            f'SELECT g.id, g.document_id, g.start, g."end", g.text, g.speaker, g.code_id, g.coder_id'
            f'{", g.origin" if origin else ""} FROM codings g '
            f"WHERE g.code_id IN ({','.join('?' * len(ids))}){coder_clause}",
            params,
        ).fetchall()
        rows.sort(key=lambda row: (rank[row[1]], row[2]))
        return {document_id: (name, case) for document_id, name, case in listed}, rows


class SegmentRow(NamedTuple):
    """A coding as retrieval shows it: a tuple (cheap to make by the thousand) with names."""

    coding_id: int
    document_id: int
    document: str
    start: int
    end: int
    text: str | None
    speaker: str | None
    case: str | None
    code_id: int
    code: str
    coder: str | None
    origin: str
