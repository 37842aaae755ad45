"""Pilot test: an app given the idle collector runs with Python's collector off and gives it back."""

from __future__ import annotations

import gc

from tui_helpers import settle, wait_until

from workbench.tui.collector import IdleCollector


async def test_the_app_runs_the_collector_in_pauses_and_restores_it_on_exit(make_app):
    assert gc.isenabled()
    collector = IdleCollector(quiet_s=0.0, idle_young=0)
    app = make_app(collector=collector)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert not gc.isenabled()
        await pilot.press("down")
        assert collector.last_input > 0
        await wait_until(pilot, lambda: collector.collections > 0, "a collection in a pause")
    assert gc.isenabled()
