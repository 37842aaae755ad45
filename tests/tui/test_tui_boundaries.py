"""The TUI writes no SQL (that the core never imports Textual is held by tests/unit/test_core_has_no_textual.py)."""

from __future__ import annotations

import re
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "workbench" / "tui"


def test_no_sql_in_the_tui():
    sql = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b|\.execute\(")
    offenders = [str(path.relative_to(TUI)) for path in TUI.rglob("*.py") if sql.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
