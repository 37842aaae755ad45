"""The suite's own layout: each test file in the folder of its kind, under a name no other file has
(pytest's default import mode imports test modules by their file name)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
KINDS = {"unit", "cli", "tui", "regression", "serve"}


def _python_files() -> list[Path]:
    return [path for path in TESTS.rglob("*.py") if "__pycache__" not in path.parts]


def test_every_test_file_is_in_the_folder_of_its_kind():
    stray = [str(path.relative_to(TESTS)) for path in _python_files()
             if path.name.startswith("test_") and path.relative_to(TESTS).parts[0] not in KINDS]
    assert stray == []


def test_no_two_modules_share_a_file_name():
    names = Counter(path.name for path in _python_files() if path.name != "conftest.py")
    assert sorted(name for name, count in names.items() if count > 1) == []
