"""The coding workbench in the terminal: the app holds the project, the coder and the screens.

What the panes show, and every action on them, belongs to the main screen (`screens/main.py`);
the app opens the project, keeps this session's coder and undo history, and runs the global
keys (help, theme, coder, quit) and the command palette. The coder is decided before the app
is built (`workbench tui` does it from its options, `default_coder` when none was given).
"""

from __future__ import annotations

import gc
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen

from ..coders import default_coder
from ..history import History
from ..model import WorkbenchError
from ..serve.seat import Seat
from ..store import Project
from . import config
from .actions import ACTIONS, SCOPES
from .collector import TICK_S, IdleCollector
from .screens.dialogs import CoderPrompt, HelpScreen
from .screens.main import MainScreen
from .session import FAILED, Failed, T

OUTSIDE_CHANGES_POLL_S = 1.0  # PRAGMA data_version costs no disk read; once a second is plenty
SERVED_POLL_S = 0.25  # served sessions code together live: another's coding shows within a second


class WorkbenchApp(App):
    """The workbench on one project file, for one coder at a time.

    `coder`: who codes, as the person chose it (a flag, $WORKBENCH_CODER, their config); None
    asks at startup, offering `suggested_coder`. A served session's account is the coder.
    """

    CSS_PATH = "app.tcss"
    TITLE = "workbench"

    def __init__(self, path: str | Path, coder: str | None = None, *, suggested_coder: str | None = None,
                 seat: Seat | None = None, collector: IdleCollector | None = None):
        super().__init__()
        self.path = Path(path)
        self.collector = collector  # the process's garbage collector, run in pauses (its own process only)
        self.project = Project.open(self.path)
        self.project.session = uuid.uuid4().hex  # events written by this window (and its screens) carry it
        # a served session (workbench serve): the account is the coder, fixed; polled faster to code live
        self.seat = seat
        self.outside_changes_poll_s = OUTSIDE_CHANGES_POLL_S if seat is None else SERVED_POLL_S
        coder = seat.account if seat is not None else coder
        # the coder comes from the person (flag, environment, their own config), never the file
        self.coder = (coder or config.remembered_coder(self.path) or "").strip()
        self.suggested_coder = config.last_coder() or suggested_coder or default_coder()
        self.history = History(self.project, self.coder or self.suggested_coder)
        theme = config.load().get("theme")
        if theme in ("textual-dark", "textual-light"):
            self.theme = theme
        self._update_subtitle()
        self._main: MainScreen | None = None

    def get_default_screen(self) -> Screen:
        return self.main

    @property
    def main(self) -> MainScreen:
        """The main screen: at the bottom of the stack, under any dialog (kept after it closes,
        for a timer that fires late)."""
        if self._main is None:
            self._main = MainScreen(self)
        return self._main

    @property
    def acting_coder(self) -> str:
        """Who a change is recorded for: the coder, or the suggested name until one is chosen."""
        return self.coder or self.suggested_coder

    def _update_subtitle(self) -> None:
        self.sub_title = f"{self.path.name} · coder {self.coder or '?'}"

    # --------------------------------------------------------------- startup
    def main_screen_ready(self) -> None:
        """The panes are filled: ask who is coding, unless the person told us already."""
        if not self.coder:
            self.push_screen(CoderPrompt(self.suggested_coder, self.project.coders()), self._coder_chosen)
        else:
            self.attempt(lambda: config.remember_coder(self.path, self.coder))

    def _coder_chosen(self, name: str | None) -> None:
        self.set_coder(name or self.suggested_coder)

    def set_coder(self, name: str) -> None:
        if self.seat is not None:  # a served session codes as its account, nobody else
            self.notify(f"Signed in as {self.seat.account}: the coder is fixed.", severity="warning")
            return
        self.coder = name.strip() or self.suggested_coder
        self.history.coder = self.coder
        self.attempt(lambda: config.remember_coder(self.path, self.coder))
        self._update_subtitle()
        self.main.update_status()

    def attempt(self, change: Callable[[], T]) -> T | Failed:
        """Run one change; any refusal or failure is shown to the person and comes back as FAILED.

        Project writes retry a busy file inside `Project.transaction`; what still fails (a
        refused change, a locked or broken file, an unwritable config) ends up here.
        """
        try:
            return change()
        except WorkbenchError as error:
            self.notify(str(error), severity="error")
        except sqlite3.Error as error:
            self.notify(f"{self.path}: {error}", title="The project refused the change", severity="error")
        return FAILED

    @property
    def closing(self) -> bool:
        """True once shutdown began: timers may still fire while the panes are being removed."""
        return not self.is_running or not self.screen_stack

    # -------------------------------------------------------- global actions
    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_export(self) -> None:
        from .screens.export import ExportScreen

        self.push_screen(ExportScreen(self.path, self.acting_coder))

    def action_pseudonyms(self) -> None:
        from .screens.pseudonyms import PseudonymsScreen

        self.push_screen(PseudonymsScreen(self.path, self.acting_coder))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"
        self.attempt(lambda: config.save(theme=self.theme))

    def action_switch_coder(self) -> None:
        if self.seat is not None:
            self.set_coder("")  # refused, with the reason
            return
        self.push_screen(CoderPrompt(self.coder, self.project.coders()),
                         lambda name: self.set_coder(name) if name else None)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: every registered action by name, then Textual's own."""
        for action in ACTIONS:
            if action.palette:
                yield SystemCommand(f"{SCOPES[action.scope]}: {action.description}", action.help,
                                    self._palette_callback(action.scope, action.action))
        yield from super().get_system_commands(screen)

    def _palette_callback(self, scope: str, action: str):
        async def run() -> None:
            if action.startswith("app."):
                await self.run_action(action)
                return
            main = self.main
            if action.startswith("screen."):  # the main screen's, whichever pane's key runs it
                await self.run_action(action.removeprefix("screen."), main)
                return
            target = {"transcript": main.transcript, "codes": main.code_tree,
                      "documents": main.document_list}.get(scope, main)
            await self.run_action(action, target)

        return run

    async def action_quit(self) -> None:
        """Remember where the cursor is (in the person's config), then leave."""
        self.main.remember_place()
        self.exit()

    def on_mount(self) -> None:
        if self.collector is not None:
            self.collector.start()
            self.set_interval(TICK_S, self.collector.tick, name="collector")

    async def on_event(self, event: events.Event) -> None:
        if self.collector is not None and isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                                                             events.MouseScrollUp)):
            self.collector.input_seen()
        await super().on_event(event)

    def on_unmount(self) -> None:
        if self.collector is not None:
            self.collector.stop()
        self.project.close()


def settle_imports() -> None:
    """Move what the imports made out of the collector's way before the app starts (gc.freeze):
    a full collection while a long document loads then walks the objects of that document, not
    every module's too (a third of the first paint's CPU time went to the collector; issue 24).
    The young generation collects every 10,000 objects instead of 700: loading 20,000 codings
    made 260 collections, now 16, each well under a millisecond. For a process that runs one
    app (which then collects in pauses: `IdleCollector`); a test process running many must not."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def run(path: Path, coder: str | None = None, *, suggested_coder: str | None = None) -> None:
    """Open the workbench for `coder` (None: ask at startup, offering `suggested_coder`)."""
    settle_imports()
    WorkbenchApp(path, coder, suggested_coder=suggested_coder, collector=IdleCollector()).run()
