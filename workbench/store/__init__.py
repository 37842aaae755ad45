"""The project file: one SQLite database, its schema and migrations, and every query.

This package is the only place that writes SQL. Everything else asks a `Project` for rows or
hands it values to keep. `Project` is composed of one query mixin per concern (documents,
codes, codings, memos, cases, coders, events), all sharing one connection and one transaction
helper.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

from ..model import WorkbenchError
from .base import _is_locked, now
from .cases import CaseQueries
from .coders import CoderQueries
from .codes import CodeQueries, CodeRow
from .codings import CodingQueries
from .documents import DocumentQueries
from .events import EventQueries
from .memos import MemoQueries
from .suggestions import SuggestionQueries
from .themes import ThemeQueries
from .schema import SCHEMA_VERSION, m001_initial, migrations

__all__ = [
    "APPLICATION_ID", "BUSY_TIMEOUT_S", "DEFAULT_BEFORE_DESTRUCTIVE", "SCHEMA_VERSION", "SQLITE_MAGIC",
    "CodeRow", "Project", "m001_initial", "migrations", "now", "set_before_destructive",
]

APPLICATION_ID = 0x51444157  # "QDAW": marks a SQLite file as a workbench project
BUSY_TIMEOUT_S = 30.0
SQLITE_MAGIC = b"SQLite format 3\x00"

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
    SuggestionQueries, ThemeQueries,
):
    """An open project file; the only door to its tables."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.db = sqlite_utils.Database(connection, execute_plugins=False)
        self.conn = connection

    # ----------------------------------------------------------------- opening
    @classmethod
    def create(cls, path: str | Path) -> Project:
        path = Path(path)
        if path.exists():
            raise WorkbenchError(f"{path}: already exists; open it instead of creating it")
        if not path.parent.exists():
            raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
        project = cls(path, _connect(path))
        project.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        project._migrate()
        with project.transaction():
            project.db["meta"].insert_all(
                [{"key": "created_at", "value": now()}, {"key": "name", "value": path.stem}],
                replace=True,
            )
            project.log("create", {"path": str(path)})
        return project

    @classmethod
    def open(cls, path: str | Path, create: bool = False) -> Project:
        path = Path(path)
        if not path.exists():
            if create:
                return cls.create(path)
            raise WorkbenchError(f"{path}: no such project file (make one with `workbench init {path}`)")
        if path.is_dir():
            raise WorkbenchError(f"{path}: is a folder, not a project file")
        with path.open("rb") as handle:
            head = handle.read(16)
        if head != SQLITE_MAGIC:
            raise WorkbenchError(f"{path}: not a workbench project (not a SQLite file)")
        connection = _connect(path)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            connection.close()
            raise WorkbenchError(f"{path}: not a workbench project ({error})") from None
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
        project = cls(path, connection)
        if version < SCHEMA_VERSION:
            project._migrate()
        return project

    def _migrate(self) -> None:
        pending = migrations.pending(self.db)
        if not pending:
            return
        if self.conn.execute("PRAGMA user_version").fetchone()[0] > 0:
            self.before_destructive("migrate")
        # One transaction for the schema and its version, under the write lock: a crash leaves
        # the old schema, and a second process opening at once finds the work done.
        with self.transaction():
            if migrations.pending(self.db):
                migrations.apply(self.db)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def before_destructive(self, action: str) -> None:
        """Hook run before destructive work: by default a rotated backup (workbench.backup).

        A project whose `_before_destructive_hook` is set calls that instead; if the backup
        cannot be made, a WorkbenchError stops the operation before it changes anything.
        """
        hook = getattr(self, "_before_destructive_hook", None) or DEFAULT_BEFORE_DESTRUCTIVE
        if hook is None:
            raise WorkbenchError(f"{self.path}: no backup is set up for {action} (import workbench.backup); "
                                 "nothing was changed")
        hook(self, action)

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
            with self.db.atomic():
                yield self
            return
        self._retrying(lambda: self.conn.execute("BEGIN IMMEDIATE"))
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


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
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
    return connection
