"""The project file: one SQLite database, its schema and migrations, and every query.

This package is the only place that writes SQL. Everything else asks a `Project` for rows or
hands it values to keep. `Project` is composed of one query mixin per concern (documents,
codes, codings, memos, cases, coders, events, deletions), all sharing one connection and one transaction
helper.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import WorkbenchError
from .base import GUID_TABLES, _is_locked, atomic, insert_row, new_guid, now, now_precise
from .cases import CaseQueries
from .coders import CoderQueries
from .codes import CodeQueries, CodeRow
from .codings import CodingQueries
from .deletions import DeletionQueries
from .document_admin import DocumentAdminQueries
from .documents import DocumentQueries
from .events import Action, EventQueries
from .export import ExportQueries
from .guard import WalWatch
from .memos import TARGET_COLUMNS, MemoQueries
from .merges import TeamQueries
from .refi import RefiQueries
from .suggestions import SuggestionQueries
from .themes import ThemeQueries
from .word_index import WordIndexQueries

if TYPE_CHECKING:
    import sqlite_utils

__all__ = [
    "APPLICATION_ID", "BUSY_TIMEOUT_S", "DEFAULT_BEFORE_DESTRUCTIVE", "SCHEMA_VERSION", "SQLITE_MAGIC",
    "GUID_TABLES", "TARGET_COLUMNS", "CodeRow", "Project", "m001_initial", "m002_identity", "migrations",
    "new_guid", "now", "now_precise", "set_before_destructive",
]

APPLICATION_ID = 0x51444157  # "QDAW": marks a SQLite file as a workbench project
BUSY_TIMEOUT_S = 30.0
# The number of migrations in schema.py (a test holds the two together). A constant, so opening a
# project at the current version never imports the schema or sqlite-utils (issue 9).
SCHEMA_VERSION = 14
SQLITE_MAGIC = b"SQLite format 3\x00"  # kept for callers; the store reads headers through SQLite

BeforeDestructive = Callable[["Project", str], object]
# Run before destructive work (migrations, deletions, restores) by every project without its
# own hook; `workbench.backup` registers its automatic backup here when imported, so the store
# never imports the backup module.
DEFAULT_BEFORE_DESTRUCTIVE: BeforeDestructive | None = None


def set_before_destructive(hook: BeforeDestructive | None) -> None:
    """Register the hook every project runs before destructive work (an automatic backup)."""
    global DEFAULT_BEFORE_DESTRUCTIVE
    DEFAULT_BEFORE_DESTRUCTIVE = hook


class Project(
    DocumentQueries, CaseQueries, CodeQueries, CodingQueries, MemoQueries, CoderQueries, EventQueries,
    DeletionQueries, RefiQueries, ExportQueries, DocumentAdminQueries, SuggestionQueries, TeamQueries,
    ThemeQueries, WordIndexQueries,
):
    """An open project file; the only door to its tables."""

    # Set for a whole process (a served viewer's app): every connection it opens refuses writes.
    read_only_reason: str | None = None

    @classmethod
    def set_read_only(cls, reason: str | None) -> None:
        """Make every project this process opens read-only (SQLite's query_only), or writable again."""
        cls.read_only_reason = reason

    def __init__(self, path: Path, connection: sqlite3.Connection, *,
                 before_destructive: BeforeDestructive | None = None):
        self.path = path
        self.conn = connection
        # Run instead of the process-wide hook before destructive work (tests pass a no-op).
        self._before_destructive_hook = before_destructive
        self._wal_watch = WalWatch(path)
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite-utils Database, for migrations and scripts; made on first use."""
        if self._db is None:
            from ._lean import import_sqlite_utils

            import_sqlite_utils()
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    # ----------------------------------------------------------------- opening
    @classmethod
    def create(cls, path: str | Path, *, before_destructive: BeforeDestructive | None = None) -> Project:
        path = Path(path)
        if path.exists():
            raise WorkbenchError(f"{path}: already exists; open it instead of creating it")
        if not path.parent.exists():
            raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
        project = cls(path, _connect(path), before_destructive=before_destructive)
        project.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        project._migrate()
        with project.transaction():
            insert_row(project.conn, "meta", {"key": "created_at", "value": now()}, replace=True)
            insert_row(project.conn, "meta", {"key": "name", "value": path.stem}, replace=True)
            project.log(Action.CREATE, {"path": str(path)})
        return project

    @classmethod
    def open(cls, path: str | Path, create: bool = False, *,
             before_destructive: BeforeDestructive | None = None) -> Project:
        path = Path(path)
        if not path.exists():
            if create:
                return cls.create(path, before_destructive=before_destructive)
            raise WorkbenchError(f"{path}: no such project file (make one with `workbench init {path}`)")
        if path.is_dir():
            raise WorkbenchError(f"{path}: is a folder, not a project file")
        # The header is read through SQLite, never with Python's open(): on POSIX, closing any
        # descriptor of the file drops every lock this process holds on it, SQLite's included,
        # and another program then deletes the WAL under a live connection (issue 7).
        connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            connection.close()
            reason = "not a SQLite file" if "not a database" in str(error) else str(error)
            raise WorkbenchError(f"{path}: not a workbench project ({reason})") from None
        if app_id != APPLICATION_ID:
            empty = app_id == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
            connection.close()
            if empty:  # `workbench init` was killed before its first commit
                raise WorkbenchError(f"{path}: an empty database, not yet a project (an interrupted "
                                     f"`workbench init`?); delete it and run `workbench init {path}` again")
            raise WorkbenchError(f"{path}: not a workbench project (a SQLite file of another program)")
        if version > SCHEMA_VERSION:
            connection.close()
            raise WorkbenchError(
                f"{path}: made by a newer workbench (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}); upgrade workbench to open it"
            )
        project = cls(path, _configure(path, connection), before_destructive=before_destructive)
        if version < SCHEMA_VERSION:
            project._migrate()
        return project

    def _migrate(self) -> None:
        from .schema import migrations

        pending = migrations.pending(self.db)
        if not pending:
            return
        if self.conn.execute("PRAGMA user_version").fetchone()[0] > 0:
            self.before_destructive("migrate")
        # Tables are rebuilt (SQLite's way to change keys), so foreign keys are off for the
        # rebuild (they cannot change inside a transaction) and checked as a whole before the
        # commit. One transaction for the schema and its version, under the write lock: a crash
        # leaves the old schema, and a second process opening at once finds the work done.
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction():
                if migrations.pending(self.db):
                    migrations.apply(self.db)
                broken = self.conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise WorkbenchError(f"{self.path}: the upgrade would break {len(broken)} references "
                                         f"(first: {tuple(broken[0])}); nothing was changed")
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def before_destructive(self, action: str) -> None:
        """Hook run before destructive work: by default a rotated backup (workbench.backup).

        A project opened with its own `before_destructive` calls that instead; if the backup
        cannot be made, a WorkbenchError stops the operation before it changes anything.
        """
        hook = self._before_destructive_hook or DEFAULT_BEFORE_DESTRUCTIVE
        if hook is None:
            raise WorkbenchError(f"{self.path}: no backup is set up for {action} (import workbench.backup); "
                                 "nothing was changed")
        hook(self, action)

    def is_own_file(self, path: str | Path) -> bool:
        """Whether `path` is this project's database or one of SQLite's files beside it.

        Such files must never be opened with Python file I/O while a connection is open: closing
        that descriptor would drop this process's SQLite locks (issue 7).
        """
        for own in (self.path, *(self.path.with_name(self.path.name + s) for s in ("-wal", "-shm", "-journal"))):
            try:
                if os.path.samefile(path, own):
                    return True
            except OSError:
                continue
        return False

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Project]:
        """One atomic write: `BEGIN IMMEDIATE` so concurrent writers queue instead of failing."""
        if self.conn.in_transaction:
            with atomic(self.conn):
                yield self
            return
        if Project.read_only_reason:
            raise WorkbenchError(f"{self.path}: {Project.read_only_reason}; nothing was changed")
        self._retrying(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        problem = self._wal_watch.check()
        if problem:
            self.conn.execute("ROLLBACK")
            raise WorkbenchError(
                f"{self.path}: this window's view of the project is out of date ({problem}); nothing "
                "was written: close it and open the project again"
            )
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self._retrying(lambda: self.conn.execute("COMMIT"))

    def _retrying(self, action, attempts: int = 50):
        """Run `action`, waiting out another process's lock instead of failing."""
        for attempt in range(attempts):
            try:
                return action()
            except sqlite3.OperationalError as error:
                if not _is_locked(error) or attempt == attempts - 1:
                    if _is_locked(error):
                        raise WorkbenchError(f"{self.path}: busy; another program holds it too long") from None
                    raise
                time.sleep(0.05 + random.random() * 0.1)


def __getattr__(name: str) -> Any:
    # The migrations live in schema.py, imported only when a project needs upgrading.
    if name in ("migrations", "m001_initial", "m002_identity"):
        from . import schema

        return getattr(schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return _configure(path, connection)


def _configure(path: Path, connection: sqlite3.Connection) -> sqlite3.Connection:
    """WAL, foreign keys and NORMAL sync: how every connection to a project works."""
    try:
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    except sqlite3.DatabaseError as error:
        connection.close()
        raise WorkbenchError(f"{path}: not a workbench project ({error})") from None
    if mode.lower() != "wal":
        connection.close()
        raise WorkbenchError(f"{path}: cannot switch the project to WAL mode (got {mode})")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = NORMAL")
    if Project.read_only_reason:  # a write that skips `transaction` is refused by SQLite itself
        connection.execute("PRAGMA query_only = ON")
    return connection
