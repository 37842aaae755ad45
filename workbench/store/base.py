"""What every part of the store shares: the clock and the shape of a query mixin."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import WorkbenchError

if TYPE_CHECKING:
    import sqlite_utils

    from ..model import Coding, Memo
    from .events import Action


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def now_precise() -> str:
    """UTC with microseconds: when an object last changed, precise enough to order edits."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_guid() -> str:
    """A fresh identity for an object: a uuid4, lowercase with hyphens.

    What `str(uuid.uuid4())` gives, without importing `uuid` (which imports `platform`: ~4 ms of
    every CLI call, issue 9); tests/unit/test_store_versions_and_guids.py checks it against `uuid.UUID`.
    """
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Tables whose rows carry a guid, by the kind of object they hold.
GUID_TABLES = {"document": "documents", "code": "codes", "coding": "codings", "coder": "coders",
               "case": "cases", "memo": "memos", "suggestion": "suggestions"}


# The store writes through the plain connection, not sqlite-utils: importing sqlite-utils costs
# ~60 ms, a third of a `workbench code` call (issue 9). sqlite-utils stays for the migrations
# and for `Project.db`, made on first use.

_savepoints = itertools.count(1)


@contextlib.contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """One all-or-nothing step: a savepoint inside a transaction, else a transaction of its own."""
    if conn.in_transaction:
        savepoint = f"wb_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # a RAISE(ROLLBACK) trigger may have ended it already
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
    else:
        conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


def _stored(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list, tuple)) else value


def insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any], *, replace: bool = False) -> int:
    """Insert one row (dicts and lists as JSON) and return its id; commits when outside a transaction."""
    columns = ", ".join(f'"{column}"' for column in row)
    marks = ", ".join("?" * len(row))
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    with atomic(conn):
        cursor = conn.execute(f'{verb} INTO "{table}" ({columns}) VALUES ({marks})',
                              [_stored(value) for value in row.values()])
    return inserted_id(cursor)


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id SQLite gave the row an INSERT just added (never None after an INSERT)."""
    row_id = cursor.lastrowid
    if row_id is None:
        raise WorkbenchError("an INSERT added no row")
    return row_id


def update_row(conn: sqlite3.Connection, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Set some columns of one row by id; a missing row is an error, not a silent no-op."""
    assignments = ", ".join(f'"{column}" = ?' for column in values)
    with atomic(conn):
        cursor = conn.execute(f'UPDATE "{table}" SET {assignments} WHERE id = ?',
                              [*(_stored(value) for value in values.values()), row_id])
    if cursor.rowcount == 0:
        raise WorkbenchError(f"no row {row_id} in {table}")


def query_dicts(conn: sqlite3.Connection, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[dict]:
    """The rows of a query as dicts keyed by column name."""
    cursor = conn.execute(sql, params if isinstance(params, dict) else list(params))
    names = [column[0] for column in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _is_locked(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


class Queries:
    """The one connection every mixin of `Project` reads and writes through."""

    path: Path
    conn: sqlite3.Connection
    if TYPE_CHECKING:
        @property
        def db(self) -> sqlite_utils.Database: ...  # made on first use: see Project.db

        # What the mixins use of each other: each is defined by one mixin (or by Project), and
        # declared here so a mixin can call it through `self` with its type checked.
        def transaction(self) -> contextlib.AbstractContextManager[Any]: ...
        def before_destructive(self, action: str) -> None: ...
        def log(self, action: Action | str, detail: dict | None = None, coder: str | None = None) -> None: ...
        def coder_id(self, name: str, guid: str | None = None) -> int: ...
        def known_coder_id(self, name: str | None) -> int | None: ...
        def document_text(self, document_id: int) -> str | None: ...
        def record_deletion(self, guid: str, kind: str, by: str | None = None) -> None: ...
        def memos(self, target: str | None = None, target_id: int | None = None) -> list[Memo]: ...
        def restore_memo(self, memo: Memo) -> int: ...
        def delete_coding(self, coding_id: int, by: str | None = None) -> tuple[Coding, list[Memo]] | None: ...

    def guid_of(self, kind: str, row_id: int) -> str | None:
        """The guid of a document, code, coding, coder, case, memo or suggestion by its id."""
        row = self.conn.execute(f"SELECT guid FROM {GUID_TABLES[kind]} WHERE id = ?", [row_id]).fetchone()
        return row[0] if row else None

    def id_of(self, kind: str, guid: str) -> int | None:
        """The local id of the object with this guid, if it is here."""
        row = self.conn.execute(f"SELECT id FROM {GUID_TABLES[kind]} WHERE guid = ?", [guid]).fetchone()
        return row[0] if row else None

    def _coder_or_none(self, name: str | None) -> int | None:
        return self.coder_id(name) if name else None
