"""Pilot tests: the export screen at 80×24 writes a de-identified Markdown file in a worker."""

from __future__ import annotations

from tui_helpers import settle

from workbench.tui.screens.export import ExportScreen


async def test_export_screen_writes_chosen_codes_at_80x24(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        codes = screen.query_one("#export-codes")
        assert codes.region.height >= 4 and screen.query_one("#export-file").region.width > 20
        codes.select("Trust/Distrust")
        screen.query_one("#export-deidentify").value = True
        target = demo_copy.with_name("paper.md")
        screen.query_one("#export-file").value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause()
        text = target.read_text(encoding="utf-8")
        assert "## Trust/Distrust" in text and "## Trust/Interpersonal" not in text
        assert "> —" in text and "¶" in text
        assert "Khaled" not in text and "Chen Jun" not in text
        result = str(screen.query_one("#export-result").render())
        assert "paper.md" in result and "de-identified" in result
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)


async def test_export_screen_shows_a_bad_file_as_one_line(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#export-file").value = str(demo_copy.with_name("paper.pdf"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause()
        assert "cannot export as .pdf" in str(screen.query_one("#export-result").render())
        assert isinstance(app.screen, ExportScreen)
