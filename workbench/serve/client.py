"""The app process of one served browser session: `python -m workbench.serve.client PROJECT ACCOUNT ROLE`.

textual-serve starts it with Textual's web driver; the account is the coder for the whole
session, and a viewer's process opens every project connection read-only, so no change can
reach the file whatever the app is asked to do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .seat import Seat


def main(argv: list[str]) -> None:
    project, account, role = argv
    path = Path(project).resolve()
    seat = Seat(account, role, folder=path.parent)
    if seat.read_only:
        from ..store import Project

        Project.set_read_only(f"read-only: {account} is signed in as a viewer")
    from ..tui.app import WorkbenchApp, settle_imports
    from ..tui.collector import IdleCollector

    settle_imports()  # one app in this process, as `workbench tui` runs it
    WorkbenchApp(path, seat=seat, collector=IdleCollector()).run()


if __name__ == "__main__":
    main(sys.argv[1:])
