"""mypy finds nothing in workbench/ (the settings are [tool.mypy] in pyproject.toml).

Run in a subprocess with its cache under the test's tmp_path, so nothing is written beside the
code or in the person's home.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None,
                    reason="mypy is not installed (pip install -e '.[test]' brings it)")
def test_mypy_finds_no_errors_in_workbench(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "workbench", "--cache-dir", str(tmp_path / "mypy-cache"),
         "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, "mypy found:\n" + (result.stdout + result.stderr)[-20000:]
