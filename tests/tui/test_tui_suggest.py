"""Pilot tests: the suggestions panel proposes, and only a key press makes a coding."""

from __future__ import annotations

from tui_helpers import settle, wait_until

from workbench.store import Project
from workbench.tui.widgets.suggestions import SuggestionPanel


def codings(path):
    with Project.open(path) as project:
        return project.codings()


def statuses(path):
    with Project.open(path) as project:
        return {s.id: s.status for s in project.suggestions()}


async def show_panel(pilot) -> SuggestionPanel:
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)
    # the worker trains, then the panel stores and lists its proposals
    await wait_until(pilot, lambda: bool(pilot.app.screen.query_one(SuggestionPanel).items), "suggestions")
    await settle(pilot)
    return pilot.app.screen.query_one(SuggestionPanel)


async def test_suggestions_never_become_codings_without_a_key(make_app, demo_copy):
    before = codings(demo_copy)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await show_panel(pilot)
        assert panel.items, "the demo's first document gets suggestions"
        assert app.main.transcript.suggested  # drawn in the transcript, apart from the codings
        # time passes, the panel polls and retrains: still no coding appears
        await pilot.pause(1.5)
        await settle(pilot)
        after = codings(demo_copy)
        assert len(after) == len(before)
        assert not [c for c in after if c.origin == "suggestion"]
        assert set(statuses(demo_copy).values()) == {"open"}


async def test_accept_reject_and_next(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await show_panel(pilot)
        assert len(panel.items) >= 3
        # next: the first suggestion after the cursor is selected in the transcript
        app.main.transcript.move_to(0)
        await pilot.press("j")
        chosen = panel.current()
        assert app.main.transcript.selection is not None
        assert (app.main.transcript.selection.start, app.main.transcript.selection.end) == (chosen.start, chosen.end)
        # accept: a coding with origin `suggestion`, linked both ways
        await pilot.press("y")
        await settle(pilot)
        with Project.open(demo_copy) as project:
            decided = project.suggestion(chosen.id)
            coding = project.coding(decided.coding_id)
        assert decided.status == "accepted" and decided.decided_by == "tester"
        assert coding.origin == "suggestion" and (coding.start, coding.end) == (chosen.start, chosen.end)
        assert chosen.id not in [s.id for s in panel.items]
        # reject: remembered, and gone from the list
        victim = panel.current()
        await pilot.press("n")
        await settle(pilot)
        assert statuses(demo_copy)[victim.id] == "rejected"
        assert victim.id not in [s.id for s in panel.items]
        # undo takes the rejection back, then the accepted coding, reopening both suggestions
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert statuses(demo_copy)[victim.id] == "open"
        await pilot.press("ctrl+z")
        await settle(pilot)
        with Project.open(demo_copy) as project:
            assert project.suggestion(chosen.id).status == "open"
            assert project.coding(coding.id) is None
