"""Issue 7 through the real TUI: the workbench stays open while other programs write, and when
it quits every party's coding is in the file (once, the second CLI coding was lost)."""

from __future__ import annotations

from reliability_worker import cli_process, coded_spans
from tui_helpers import settle

from workbench.codebook.ops import resolve

DOCUMENT = "P01-yiwu-trader.txt"


def _cli_code(path, start: int, end: int, coder: str) -> None:
    cli_process("code", str(path), DOCUMENT, "Trust", str(start), str(end), "--coder", coder)


async def test_the_tui_and_cli_writers_keep_every_coding(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        document_id = app.project.document_id(DOCUMENT)
        app.main.open_document(document_id)
        await settle(pilot)
        _cli_code(demo_copy, 10, 20, "cli1")
        await pilot.pause(1.5)  # the app polls for outside changes once a second
        trust = resolve(app.project, "Trust")
        app.main.apply_code(trust, 30, 40)
        await settle(pilot)
        _cli_code(demo_copy, 50, 60, "cli2")
        await pilot.pause(1.5)
        seen = {(c.coder, c.start, c.end) for c in app.project.codings(document_id=document_id)}
        assert {("cli1", 10, 20), ("tester", 30, 40), ("cli2", 50, 60)} <= seen
        await pilot.press("ctrl+q")
    assert coded_spans(demo_copy, {'cli1', 'tester', 'cli2'}) == {("cli1", 10, 20), ("tester", 30, 40), ("cli2", 50, 60)}
