"""Shared fixtures: user paths isolated per test, and the demo project built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_worker import copy_project


@pytest.fixture(autouse=True)
def isolated_user(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user's data folder or records their name."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path_factory.mktemp("workbench-home")))
    monkeypatch.setenv("WORKBENCH_CODER", "tester")


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo project, built once; tests that write to it take `demo_copy` instead."""
    from workbench.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> Path:
    target = tmp_path / "demo.qda"
    copy_project(demo_file, target)
    return target
