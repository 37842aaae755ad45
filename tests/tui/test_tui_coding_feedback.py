"""Pilot tests: what a coding key shows at once (the stripe, the status line) and what catches up once
keys pause (the code tree's counts, the document list's figures), through apply and undo."""

from __future__ import annotations

from tui_helpers import settle, wait_until

from workbench.store import Project


def tree_label(app, code_id: int) -> str:
    return str(app.main.code_tree.nodes_by_id[code_id].label)


def document_cells(app, document_id: int) -> tuple[str, str]:
    table = app.main.document_list
    return str(table.get_cell(str(document_id), "coded")), str(table.get_cell(str(document_id), "codings"))


async def test_applying_says_so_in_the_status_line_not_a_toast(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        code_id = next(iter(app.main.codes))
        app.main.last_code_id = code_id
        await pilot.press("s", "a")
        name = app.main.codes[code_id].name
        assert "characters coded " + name in str(app.main.status.render())
        assert not any("characters coded" in n.message for n in app._notifications)
        with Project.open(demo_copy) as project:
            assert any(c.code_id == code_id and c.coder == "tester" for c in project.codings())
        # the confirmation goes away by itself
        await wait_until(pilot, lambda: "characters coded" not in str(app.main.status.render()),
                         "the status line's confirmation to end")


async def test_counts_catch_up_after_apply_and_again_after_undo(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        main = app.main
        code_id = next(iter(main.codes))
        document_id = main.document_id
        before_count = main.code_tree.counts.get(code_id, 0)
        before_label, before_cells = tree_label(app, code_id), document_cells(app, document_id)
        before_row = main.document_list.rows_by_id[document_id].codings
        main.last_code_id = code_id
        await pilot.press("s", "a")
        # the figures are current at once; what the panes draw follows when keys pause
        assert main.code_tree.counts[code_id] == before_count + 1
        assert main.document_list.rows_by_id[document_id].codings == before_row + 1
        await wait_until(pilot, lambda: tree_label(app, code_id) != before_label, "the tree's count to show")
        assert tree_label(app, code_id) == str(main.code_tree._label(main.codes[code_id]))
        await wait_until(pilot, lambda: document_cells(app, document_id)[1] == str(before_row + 1),
                         "the document list's count to show")
        await pilot.press("ctrl+z")
        assert main.code_tree.counts.get(code_id, 0) == before_count
        await wait_until(pilot, lambda: tree_label(app, code_id) == before_label, "the tree's count after undo")
        await wait_until(pilot, lambda: document_cells(app, document_id) == before_cells,
                         "the document list's figures after undo")
        assert "Undone" in str(main.status.render())
