"""Issue 22: promoting a theme in the TUI asks the name and the parent, and is not "changed elsewhere"."""

from __future__ import annotations

from tui_helpers import settle

from workbench.tui.screens.dialogs import CodePicker
from workbench.tui.screens.promote import PromoteName
from workbench.tui.screens.themes import ThemesScreen


async def _wait_for(pilot, kind) -> None:
    for _ in range(500):
        if isinstance(pilot.app.screen, kind):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"{kind.__name__} never showed (screen: {type(pilot.app.screen).__name__})")


async def test_promote_asks_the_name_and_the_parent(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        parent = next(c for c in app.main.code_choices() if "/" not in c.path)
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThemesScreen) and screen.themes
        theme = screen.themes[0]
        await pilot.press("p")
        await _wait_for(pilot, PromoteName)
        name_input = app.screen.query_one("#promote-name")
        assert name_input.value == theme.label  # offered, editable
        name_input.value = "Candidate theme"
        await pilot.press("enter")
        await _wait_for(pilot, CodePicker)
        for ch in parent.path:
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ThemesScreen)
        made = next(r for r in app.project.code_rows() if r.name == "Candidate theme")
        assert made.parent_id == parent.id and not made.name_zh
        assert app.project.theme(theme.id).code_id == made.id


async def test_the_tui_knows_its_own_promotion_is_not_an_outside_change(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        await pilot.press("p")
        await _wait_for(pilot, PromoteName)
        await pilot.press("enter")
        await _wait_for(pilot, CodePicker)
        await pilot.press("enter")
        await settle(pilot)
        app.main.notice_outside_changes()  # what the once-a-second poll does
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert not any("changed elsewhere" in m for m in messages), messages
        assert any("suggestions to review" in m for m in messages)
