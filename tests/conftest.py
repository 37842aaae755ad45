"""Shared fixtures: a home of its own per test, and the one demo project of the whole suite.

The demo is built once per session (`demo_file`) and shared read-only; a test that changes a
project takes `demo_copy`, a private copy of it. After every test the shared file is checked: a
test that wrote to it fails by name (a silent write made later tests depend on the order).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from reliability_worker import copy_project

# Fixtures of one area that tests of two kinds (unit and cli) take, from tests/support.
pytest_plugins = ["suggest_study", "team_copies"]

# The shared demo and its fingerprint when built, once `demo_file` has been asked for.
_shared_demo: dict[str, object] = {}


def _fingerprint(path: Path) -> str:
    """The project's bytes, with its write-ahead log (where a write lands while others read)."""
    digest = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


@pytest.fixture(autouse=True)
def workbench_home(tmp_path_factory, monkeypatch) -> Path:
    """No test reads or writes the real user's data folder or records their name: a home of its own."""
    home = tmp_path_factory.mktemp("workbench-home")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    monkeypatch.setenv("WORKBENCH_CODER", "tester")
    return home


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo project, built once and only read; tests that write to it take `demo_copy`."""
    from workbench.demo import build_demo

    path = build_demo(tmp_path_factory.mktemp("demo"))
    _shared_demo.update(path=path, fingerprint=_fingerprint(path))
    return path


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> Path:
    """A private copy of the demo project, so that the test may change it freely."""
    target = tmp_path / "demo.qda"
    copy_project(demo_file, target)
    return target


@pytest.fixture(autouse=True)
def shared_demo_left_unchanged(request):
    """Fail the test that wrote to the shared demo, naming it (torn down after its other fixtures)."""
    yield
    path = _shared_demo.get("path")
    if not isinstance(path, Path):
        return
    now = _fingerprint(path)
    if now != _shared_demo["fingerprint"]:
        _shared_demo["fingerprint"] = now  # name this test once, not every test after it
        pytest.fail(f"{request.node.nodeid} wrote to the shared demo project `demo_file`; "
                    "a test that changes the demo takes `demo_copy`", pytrace=False)
