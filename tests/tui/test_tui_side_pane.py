"""Issue 22: at 80×24 the code tree can be widened with `>` (and narrowed with `<`), long names are
cut in the middle, and the status line names the highlighted code's whole path."""

from __future__ import annotations

import json

from tui_helpers import settle, wait_until


def tree_lines(app) -> list[str]:
    tree = app.main.code_tree
    return [tree.render_line(y).text for y in range(tree.size.height)]


async def wait_for(pilot, condition) -> None:
    await wait_until(pilot, condition, "the pane and its names")


async def test_side_pane_widens_and_narrows_with_a_key_and_is_remembered(make_app, workbench_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        left = app.screen.query_one("#left")
        before = left.outer_size.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await wait_for(pilot, lambda: left.outer_size.width == before + 8)
        saved = json.loads((workbench_home / "tui.json").read_text(encoding="utf-8"))
        assert saved["side_width"] == before + 8
        await pilot.press("less_than_sign")
        await wait_for(pilot, lambda: left.outer_size.width == before + 4)
    # a new session opens with the width the person chose
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        left = app.screen.query_one("#left")
        await wait_for(pilot, lambda: left.outer_size.width == before + 4)


async def test_long_code_names_elide_in_the_middle_and_the_status_line_has_the_path(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        code_id = next(cid for cid, path in app.main.paths.items()
                       if path.endswith("Community-initiated co-production"))
        app.main.code_tree.select_code(code_id)
        await wait_for(pilot, lambda: app.main.current_code_id == code_id)
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        # "Community…oduction": both ends of the name stay
        await wait_for(pilot, lambda: any("Communit" in line and "…" in line and line.rstrip().endswith("duction")
                                          for line in tree_lines(app)))
        await wait_for(pilot, lambda: "Co-production/Community-initiated co-production"
                       in str(app.screen.query_one("#status").render()))
