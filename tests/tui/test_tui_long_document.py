"""A long transcript is painted before all of it is wrapped, and then wrapped whole."""

from __future__ import annotations

from tui_helpers import settle

from workbench.codebook import parse_codebook
from workbench.codebook.ops import install
from workbench.imports import import_files
from workbench.store import Project
from workbench.tui.layout import Layout

LINE = "受访者：工厂这边也是靠老乡，大家在老乡会里认识。We trust people more than offices, you know.\n"


async def test_a_long_document_is_wrapped_whole_after_the_first_paint(tmp_path):
    from workbench.tui.app import WorkbenchApp

    source = tmp_path / "long.txt"
    source.write_text(LINE * 2_000, encoding="utf-8")  # far more than the part wrapped first
    path = tmp_path / "long.qda"
    with Project.create(path) as project:
        install(project, parse_codebook("name: t\ncodes:\n  - name: Trust\n", "t.yaml"))
        list(import_files(project, [source]))
    app = WorkbenchApp(path, "tester")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for _ in range(100):
            if app.main.transcript.layout_ is not None:
                break
            await pilot.pause(0.01)
        view = app.main.transcript
        await pilot.pause()
        layout = view.layout_
        assert layout.finished
        whole = Layout(view._display, layout.width)
        assert (layout.row_starts, layout.row_ends) == (whole.row_starts, whole.row_ends)
        assert view.virtual_size.height == len(whole)
        await pilot.press("ctrl+end")  # to the end: the cursor is on the last row
        await pilot.pause()
        assert layout.row_of(view.cursor) == len(whole) - 1
