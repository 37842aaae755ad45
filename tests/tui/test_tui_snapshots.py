"""SVG snapshots of the main screens (pytest-textual-snapshot), grouped by feature.

Update them after a deliberate change with `pytest tests/tui --snapshot-update`, and look at
the report before committing the new SVGs.
"""

from __future__ import annotations

from tui_helpers import screen_stable, settle, wait_until

from workbench.codebook.ops import resolve

WIDE = (120, 35)
SMALL = (80, 24)


def ready(*keys: str, jieba: bool = True, then=None, ready_when=None):
    """A run_before that waits for the document and jieba, presses keys, then waits for
    `ready_when(app)` (the state the snapshot is of) and for the screen to stop changing."""

    async def run_before(pilot) -> None:
        await settle(pilot, jieba=jieba)
        if then is not None:
            await then(pilot)
        if keys:
            await pilot.press(*keys)
        await settle(pilot)
        app = pilot.app
        if app.screen is app.main:
            # the details pane follows the cursor once keys pause: draw it now instead of waiting
            app.main.show_code_details()
            app.main.show_here(force=True)
        if ready_when is not None:
            await wait_until(pilot, lambda: ready_when(app), "the state to snapshot")
        from textual.widgets import DataTable, Input

        # a DataTable sizes its columns to new rows on its next idle; on a busy machine the frame
        # before that has header-wide columns, so wait for every table to have done it
        await wait_until(pilot, lambda: not any(table._require_update_dimensions
                                                for table in app.screen.query(DataTable)), "tables sized")
        for field in app.screen.query(Input):  # a blinking cursor is on or off by the clock, not the state
            field.cursor_blink = False
        await screen_stable(pilot)

    return run_before


async def open_chinese(pilot) -> None:
    app = pilot.app
    await pilot.press("1")
    app.main.document_list.move_cursor(row=1)
    await pilot.press("enter")
    await settle(pilot)


class TestMainScreen:
    def test_english_transcript_wide(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=WIDE, run_before=ready())

    def test_chinese_sentence_selected_wide(self, snap_compare, make_app):
        keys = ("right_parenthesis",) * 3 + ("s",)
        assert snap_compare(make_app(), terminal_size=WIDE, run_before=ready(*keys, then=open_chinese))

    def test_small_terminal(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=SMALL, run_before=ready("t"))

    def test_small_terminal_transcript_keeps_60_columns(self, snap_compare, make_app):
        """At 80×24 the transcript shares the screen with one side pane and keeps 60 columns."""

        async def check(pilot) -> None:
            assert pilot.app.main.transcript.size.width >= 60

        assert snap_compare(make_app(), terminal_size=SMALL, run_before=ready("s", then=check))

    def test_small_terminal_with_details(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=SMALL, run_before=ready("4", "3"))

    def test_light_theme(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=WIDE, run_before=ready("ctrl+t", "s"))


class TestCoding:
    def test_code_picker_finds_chinese_names(self, snap_compare, make_app):
        def filtered(app) -> bool:  # the picker is open and has applied the whole query
            from workbench.tui.screens.dialogs import CodePicker

            screen = app.screen
            return isinstance(screen, CodePicker) and screen.query_one("#picker-input").value == "信任" \
                and screen.shown_query == "信任"

        assert snap_compare(make_app(), terminal_size=WIDE, run_before=ready("s", "c", "信", "任", ready_when=filtered))

    def test_delete_asks_what_happens_to_codings(self, snap_compare, make_app):
        async def highlight_hukou(pilot) -> None:
            await pilot.press("3")
            pilot.app.main.code_tree.select_code(resolve(pilot.app.project, "Hukou"))
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=WIDE, run_before=ready("d", then=highlight_hukou))


class TestRetrieval:
    def test_segments_of_a_code(self, snap_compare, make_app):
        async def highlight_trust(pilot) -> None:
            await pilot.press("3")
            pilot.app.main.code_tree.select_code(resolve(pilot.app.project, "Trust"))
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=WIDE, run_before=ready("r", then=highlight_trust))

    def test_search_hits_highlighted(self, snap_compare, make_app):
        def listed(app) -> bool:  # the hits are in the table, its first row highlighted, the table focused
            from textual.widgets import DataTable

            from workbench.tui.screens.results import ResultsScreen

            screen = app.screen
            if not isinstance(screen, ResultsScreen) or not screen.rows:
                return False
            table = screen.query_one(DataTable)
            return screen.focused is table and table.cursor_row == 0 and table.row_count == len(screen.rows)

        assert snap_compare(make_app(), terminal_size=WIDE,
                            run_before=ready("slash", "老", "乡", "enter", ready_when=listed))


class TestHelp:
    def test_help_screen(self, snap_compare, make_app):
        assert snap_compare(make_app(), terminal_size=WIDE, run_before=ready("question_mark"))
