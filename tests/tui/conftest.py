"""Fixtures for the TUI tests: the demo project built once, a fresh copy per test."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest
from reliability_worker import copy_project

from workbench.demo import build_demo


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


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tui-demo")
    return build_demo(folder)


@pytest.fixture
def demo_path(demo_master, tmp_path) -> Path:
    """A private copy of the demo project, so that each test may change it freely."""
    target = tmp_path / "demo.qda"
    copy_project(demo_master, target)
    return target


@pytest.fixture
def project(demo_path):
    from workbench.store import Project

    with Project.open(demo_path) as opened:
        yield opened


@pytest.fixture
def make_app(demo_path):
    """A workbench on the private demo copy, coder `tester`."""
    from workbench.tui.app import WorkbenchApp

    def make(coder: str | None = "tester", **kwargs) -> WorkbenchApp:
        return WorkbenchApp(demo_path, coder, **kwargs)

    return make
