"""Notice when this connection's view of the project has been cut off from the file.

While a connection is open, SQLite keeps the project's write-ahead log in place. If it is
gone or replaced (a process dropped SQLite's locks, or someone deleted it by hand), what this
connection believes is in the file no longer is: writing now would put a stale view back.
"""

from __future__ import annotations

import os
from pathlib import Path


class WalWatch:
    """Remembers which write-ahead log this connection works with and says if it changed."""

    def __init__(self, database: Path):
        self.wal = Path(f"{database}-wal")
        self.identity: tuple[int, int] | None = None
        self.problem: str | None = None
        self.check()

    def check(self) -> str | None:
        """None while the log is the one first seen; else what happened (and it stays so)."""
        if self.problem:
            return self.problem
        try:
            status = os.stat(self.wal)
        except FileNotFoundError:
            if self.identity is not None:
                self.problem = "its write-ahead log was removed by another program"
            return self.problem
        identity = (status.st_dev, status.st_ino)
        if self.identity is None:
            self.identity = identity
        elif identity != self.identity:
            self.problem = "its write-ahead log was replaced by another program"
        return self.problem
