"""Pilot test: P opens the de-identification review; y, n, s and d decide one candidate each."""

from __future__ import annotations

from tui_helpers import settle

from workbench.export import deidentify
from workbench.store import Project
from workbench.tui.screens.pseudonyms import PseudonymsScreen


async def test_review_screen_confirms_rejects_skips_with_one_key_each(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PseudonymsScreen)
        for _ in range(200):  # detection runs in a worker: wait for its rows
            if screen.rows:
                break
            await pilot.pause(0.05)
        assert screen.rows and "Candidate 1 of" in str(screen.query_one("#pseudonyms-status").render())
        first, second, third = (row.original for row in screen.rows[:3])
        assert screen.rows[0].contexts  # shown with where it occurs
        await pilot.press("y")
        await pilot.press("n")
        await pilot.press("s")
        assert screen.current.original != third
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, PseudonymsScreen)
    with Project.open(demo_copy) as project:
        status = {row.original: deidentify.status(row) for row in project.pseudonyms()}
    assert status[first] == deidentify.CONFIRMED
    assert status[second] == deidentify.REJECTED
    assert status[third] == deidentify.CANDIDATE
