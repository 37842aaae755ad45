"""Pilot tests: retrieval of a code's segments, the boolean query box and full-text search."""

from __future__ import annotations

from tui_helpers import settle

from workbench import coding, query, search
from workbench.codebook.ops import resolve
from workbench.tui.screens.results import ResultsScreen


async def test_retrieve_with_and_without_children_then_jump(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        trust = resolve(app.project, "Trust")
        await pilot.press("3")
        app.main.code_tree.select_code(trust)
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        expected = coding.retrieve(app.project, trust)
        assert [(r.document_id, r.start, r.end) for r in screen.rows] == [(s.document_id, s.start, s.end) for s in expected]
        assert all(r.speaker and r.case for r in screen.rows)
        await pilot.press("d")
        await settle(pilot)
        assert len(screen.rows) == len(coding.retrieve(app.project, trust, with_descendants=False))
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        target = expected[2]
        view = app.main.transcript
        assert app.screen is not screen
        assert app.main.document_id == target.document_id
        assert (view.selection.start, view.selection.end) == (target.start, target.end)
        assert app.focused is view


async def test_boolean_query_box(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press(*"Informal networks AND NOT Trust", "enter")
        await settle(pilot)
        expected = query.run(app.project, "Informal networks AND NOT Trust")
        assert expected and [(r.document_id, r.start, r.end) for r in app.screen.rows] == [
            (s.document_id, s.start, s.end) for s in expected]
        await pilot.press("slash")
        app.screen.query_one("#results-input").value = ""
        await pilot.press(*"Trust AND (", "enter")
        await settle(pilot)
        assert "query" in str(app.screen.query_one("#results-preview").render())


async def test_search_highlights_hits_in_context(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "老", "乡", "enter")
        await settle(pilot)
        hits = search.search(app.project, "老乡")
        assert len(app.screen.rows) == len(hits) > 0
        await pilot.press("enter")
        await settle(pilot)
        view = app.main.transcript
        first = hits[0]
        assert app.main.document_id == first.document_id
        assert view.text[view.selection.start:view.selection.end] == "老乡"
        assert set(first.matches) <= set(view.hits)
        await pilot.press("escape", "escape")
        assert view.selection is None and view.hits == []
