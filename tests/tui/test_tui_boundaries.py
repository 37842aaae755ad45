"""The rules the TUI lives by: the core never imports Textual, and the TUI writes no SQL."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

TUI = Path(__file__).resolve().parents[2] / "workbench" / "tui"


@pytest.mark.parametrize("module", ["workbench.history", "workbench.coding", "workbench.codebook.ops"])
def test_core_modules_do_not_import_textual(module):
    code = f"import sys, {module}; print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_no_sql_in_the_tui():
    sql = re.compile(r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b|\.execute\(")
    offenders = [str(path.relative_to(TUI)) for path in TUI.rglob("*.py") if sql.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
