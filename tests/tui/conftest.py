"""Fixtures for the TUI tests: async tests, a private home, and apps on a private copy of the demo
(`demo_copy`, from tests/conftest.py: one demo build for the whole suite)."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests in a fresh event loop (no asyncio plugin needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**arguments))
        return True
    return None


@pytest.fixture(autouse=True)
def workbench_home(tmp_path_factory, monkeypatch) -> Path:
    """Keep user config (the remembered coder, the theme) out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    monkeypatch.delenv("WORKBENCH_CODER", raising=False)
    return home


@pytest.fixture
def project(demo_copy):
    from workbench.store import Project

    with Project.open(demo_copy) as opened:
        yield opened


@pytest.fixture
def make_app(demo_copy):
    """A workbench on the private demo copy, coder `tester`."""
    from workbench.tui.app import WorkbenchApp

    def make(coder: str | None = "tester", **kwargs) -> WorkbenchApp:
        return WorkbenchApp(demo_copy, coder, **kwargs)

    return make
