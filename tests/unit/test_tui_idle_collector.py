"""The TUI's garbage collector schedule: collections in pauses, a bound while typing goes on, and the
process's collector given back as it was (Textual-free: the collector is plain Python)."""

from __future__ import annotations

import gc

import pytest

from workbench.tui import collector as module
from workbench.tui.collector import IdleCollector


@pytest.fixture
def recorded(monkeypatch):
    """Collections asked for, with the young count and the clock under the test's control."""
    state = {"young": 0, "now": 100.0, "collected": []}
    monkeypatch.setattr(module.gc, "get_count", lambda: (state["young"], 0, 0))
    monkeypatch.setattr(module.gc, "collect", lambda generation=2: state["collected"].append(generation) or 0)
    monkeypatch.setattr(module.time, "monotonic", lambda: state["now"])
    return state


def test_nothing_is_collected_while_keys_come_and_little_was_made(recorded):
    collector = IdleCollector(quiet_s=0.4, idle_young=2_000, busy_young=40_000)
    collector.input_seen()
    recorded["young"], recorded["now"] = 30_000, 100.1
    assert collector.tick() is None and recorded["collected"] == []


def test_a_pause_collects_and_every_few_pauses_collect_everything(recorded):
    collector = IdleCollector(quiet_s=0.4, idle_young=2_000, full_every=3)
    collector.input_seen()
    recorded["young"], recorded["now"] = 2_500, 100.5
    assert [collector.tick() for _ in range(6)] == [1, 1, 2, 1, 1, 2]


def test_a_pause_with_little_made_costs_nothing(recorded):
    collector = IdleCollector(quiet_s=0.4, idle_young=2_000)
    recorded["young"], recorded["now"] = 1_999, 500.0
    assert collector.tick() is None


def test_typing_without_a_pause_still_collects_the_young(recorded):
    collector = IdleCollector(quiet_s=0.4, busy_young=40_000)
    collector.input_seen()
    recorded["young"] = 40_000
    assert collector.tick() == 0 and recorded["collected"] == [0]


def test_start_and_stop_give_the_collector_back_as_it_was():
    was = gc.isenabled()
    try:
        gc.enable()
        collector = IdleCollector()
        collector.start()
        assert not gc.isenabled()
        collector.stop()
        assert gc.isenabled()
        gc.disable()  # a process that had it off keeps it off
        collector.start()
        collector.stop()
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
