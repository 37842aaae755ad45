"""The results table is drawn with columns as wide as their cells, however early the screen is drawn.

A DataTable measures auto-width columns only when it is next idle, and keeps the lines it drew
before that (measuring clears no cache): a frame that fell between the rows arriving and the
table's idle left label-wide columns for good. That was the race behind the flaky
`TestRetrieval::test_search_hits_highlighted` snapshot (narrow or wide columns by timing).
"""

from __future__ import annotations

from textual.widgets import DataTable
from tui_helpers import settle

from workbench.tui.screens.results import ResultsScreen


async def test_a_frame_drawn_before_the_table_is_idle_still_shows_whole_cells(make_app, monkeypatch):
    move_cursor = DataTable.move_cursor

    def draw_then_move(table: DataTable, *args, **kwargs):  # the screen draws right after the rows arrive
        table.app.export_screenshot()
        return move_cursor(table, *args, **kwargs)

    monkeypatch.setattr(DataTable, "move_cursor", draw_then_move)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "老", "乡", "enter")
        await settle(pilot)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ResultsScreen) and screen.rows
        table = screen.query_one(DataTable)
        header, first = table.render_line(0).text, table.render_line(1).text
        assert header.index("Speaker") - header.index("Document") == 20 + 2  # "P04-guangdong-offic…", padded
        assert screen.rows[0].document.rsplit(".", 1)[0] in first
