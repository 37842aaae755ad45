"""Fixtures for the TUI tests: async tests, no coder from the environment, and apps on a private
copy of the demo (`demo_copy` and `workbench_home` come from tests/conftest.py)."""

from __future__ import annotations

import asyncio
import inspect

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
def coder_not_from_the_environment(workbench_home, monkeypatch) -> None:
    """The TUI finds its coder itself (asks once, then the person's config in `workbench_home`)."""
    monkeypatch.delenv("WORKBENCH_CODER", raising=False)


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
