"""Who a served session is: an account, and what it may do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROLES = ("coder", "viewer")


@dataclass(frozen=True)
class Seat:
    """A browser session's person: the account is the coder, fixed for the session.

    `folder` is the only folder the session's app may read files from or write files to (the
    project's own), so no served session picks files elsewhere on the server.
    """

    account: str
    role: str = "coder"
    folder: Path | None = None

    @property
    def read_only(self) -> bool:
        return self.role == "viewer"

    def allows_path(self, path: str | Path) -> bool:
        """Whether a file the app is asked to open or write lies inside the session's folder."""
        if self.folder is None:
            return True
        try:
            Path(path).expanduser().resolve().relative_to(self.folder.resolve())
        except (OSError, ValueError):
            return False
        return True
