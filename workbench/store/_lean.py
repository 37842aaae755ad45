"""sqlite-utils without numpy: it imports numpy only to map numpy types, which the store never
stores, and that import alone cost ~130 ms of every command's start-up (issue 9)."""

from __future__ import annotations

import sys


def import_sqlite_utils() -> None:
    """Import sqlite-utils with numpy and pandas hidden, unless something loaded numpy already."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import numpy` fail at once
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]  # numpy imports normally for whoever needs it later
