"""Pilot tests: import with progress, the palette, help, the coder, themes, small terminals."""

from __future__ import annotations

import json

from textual.widgets import ProgressBar
from tui_helpers import settle, wait_until

from workbench.store import Project
from workbench.tui.actions import ACTIONS
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import CoderPrompt, HelpScreen, help_rows
from workbench.tui.screens.importer import ImportScreen
from workbench.tui.widgets.panes import DetailPane


async def test_import_with_a_progress_bar(make_app, demo_copy, tmp_path):
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "P10-new.txt").write_text("采访者：您好。\n受访者：我们靠老乡。\n", encoding="utf-8")
    (folder / "P11-new.txt").write_text("Interviewer: Hello.\nRespondent: The WeChat group helps.\n", encoding="utf-8")
    (folder / "notes.bin").write_bytes(b"\x00")
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-path").focus()
        await pilot.press(*str(folder), "enter")
        assert [p.name for p in screen.chosen] == ["P10-new.txt", "P11-new.txt"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        bar = screen.query_one(ProgressBar)
        assert (bar.total, bar.progress) == (2, 2)
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.document_list.row_count == 11
    with Project.open(demo_copy) as project:
        assert {"P10-new.txt", "P11-new.txt"} <= {row.name for row in project.documents()}


async def _until_palette_has_matches(pilot, attempts: int = 100) -> None:
    """The palette searches in the background; under load its matches come late."""
    from textual.command import CommandList

    def matched() -> bool:
        found = pilot.app.screen.query(CommandList)
        return bool(found and found.first().option_count and found.first().highlighted is not None)

    await wait_until(pilot, matched, "the command palette to show a match")


async def test_palette_has_every_action(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for action in ACTIONS:
            if action.palette:
                assert any(action.description in title for title in titles), action.id
        await pilot.press("ctrl+p", *"Transcript: Sentence")
        await _until_palette_has_matches(pilot)
        await pilot.press("enter")
        await pilot.pause()
        view = app.main.transcript
        assert view.selection is not None and view.text[view.selection.start:view.selection.end].endswith(".")


async def test_help_lists_every_key(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = {what for _, _, what in help_rows()}
        assert all(a.help in described for a in ACTIONS if not a.id.endswith("-extend"))
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_coder_is_asked_once_then_remembered(demo_copy, workbench_home):
    """The name is kept in the person's own config, never in the shared project file."""
    app = WorkbenchApp(demo_copy, None, suggested_coder="guest")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoderPrompt)
        app.screen.query_one("#coder-input").value = ""
        await pilot.press(*"mei", "enter")
        await pilot.pause()
        assert app.coder == "mei" and app.history.coder == "mei"
        await pilot.press("s", "a")  # no code used yet: "again" opens the picker
        await pilot.press(*"Hukou", "enter")
        await pilot.pause()
    with Project.open(demo_copy) as project:
        assert project.meta("tui.last_coder") is None
        assert [c.coder for c in project.codings() if c.origin == "manual"] == ["mei"]
    saved = json.loads((workbench_home / "tui.json").read_text())
    assert saved["last_coder"] == "mei"
    assert saved["projects"][str(demo_copy.resolve())]["coder"] == "mei"
    again = WorkbenchApp(demo_copy, None, suggested_coder="guest")
    async with again.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert not isinstance(again.screen, CoderPrompt) and again.coder == "mei"


async def test_theme_toggle_is_remembered(make_app, workbench_home):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
    assert json.loads((workbench_home / "tui.json").read_text())["theme"] == "textual-light"
    assert make_app().theme == "textual-light"


async def test_usable_at_80_by_24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        details = app.screen.query_one(DetailPane)
        assert not details.display
        assert app.main.transcript.size.width >= 60
        await pilot.press("4")
        await pilot.pause()
        assert details.display
        await pilot.press("4", "3")
        assert app.focused is app.main.code_tree
        await pilot.press("1")
        assert app.focused is app.main.document_list
        await pilot.press("2", "ctrl+z")
        assert any("Nothing to undo" in n.message for n in app._notifications)


async def test_codings_made_by_another_process_appear(make_app, demo_copy):
    """A script codes while the workbench is open: the tree's counts and the transcript follow."""
    import subprocess
    import sys

    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        document_id = app.main.document_id
        with Project.open(demo_copy) as project:
            code_id = next(row.id for row in project.code_rows() if row.name == "Housing")
            before = len(project.codings(code_ids=[code_id]))
        script = (
            "from workbench import coding; from workbench.store import Project\n"
            f"with Project.open({str(demo_copy)!r}) as p:\n"
            f"    coding.apply_code(p, {document_id}, {code_id}, 0, 5, 'script')\n"
        )
        subprocess.run([sys.executable, "-c", script], check=True)
        app.main.notice_outside_changes()  # what the once-a-second timer calls
        await pilot.pause()
        assert app.main.code_tree.counts[code_id] == before + 1
        assert any(span.code_id == code_id for span in app.main.transcript.spans.overlapping(0, 5))


async def test_a_poll_that_fires_while_the_app_closes_does_nothing(make_app, demo_copy):
    """Timers may tick during shutdown, after the panes are gone and the project is closed."""
    from workbench import coding

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with Project.open(demo_copy) as project:
            document_id = project.documents()[0].id
            coding.apply_code(project, document_id, coding.code_id(project, "Housing"), 0, 5, "colleague")
    assert app.closing
    app.main.notice_outside_changes()  # the once-a-second poll, late
    app.main._refresh_details()  # the details timer, late
