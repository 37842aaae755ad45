"""Who is coding when nobody said: one rule for the command line and the terminal workbench."""

from __future__ import annotations

import getpass
import os


def default_coder() -> str:
    """$WORKBENCH_CODER, else the login name, else "coder" (a container without a passwd entry)."""
    try:
        fallback = getpass.getuser()
    except Exception:  # no user name in some containers (OSError, KeyError)
        fallback = "coder"
    return os.environ.get("WORKBENCH_CODER") or fallback
