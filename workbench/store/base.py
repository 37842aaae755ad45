"""What every part of the store shares: the clock and the shape of a query mixin."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _is_locked(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


class Queries:
    """The one connection every mixin of `Project` reads and writes through."""

    path: Path
    conn: sqlite3.Connection
    db: sqlite_utils.Database

