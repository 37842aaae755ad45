"""Importing transcripts: a file picker, a list of chosen files, and a progress bar fed by a
thread worker that walks `imports.import_files` (one outcome per file) and can be cancelled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DirectoryTree, Footer, Input, Label, ProgressBar, RichLog, Static
from textual.worker import get_current_worker

from ...importers import TRANSCRIPT_SUFFIXES, expand_folders
from ...imports import ImportOutcome, import_files
from ...model import WorkbenchError
from ...store import Project

# Shown in the picker: transcripts, and tables (imported only when chosen one by one)
SUFFIXES = {*TRANSCRIPT_SUFFIXES, ".csv", ".tsv", ".xlsx"}


class TranscriptFiles(DirectoryTree):
    """Folders, and only the files the importers read; hidden entries left out.

    Enter chooses the file or folder under the cursor (it does not open a folder); space and
    the arrow keys open and close folders.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_expand = False  # Enter on a folder adds its files, as the title says

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in SUFFIXES)]


@dataclass
class ImportProgress(Message):
    done: int
    total: int
    outcome: ImportOutcome

    def can_replace(self, message: Message) -> bool:
        return False  # every outcome is shown in the log


@dataclass
class ImportFinished(Message):
    imported: int
    failed: int
    cancelled: bool


class ImportScreen(Screen):
    """Choose files (Enter on a file or folder, or type a path), then ctrl+s imports them."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Import", id="import.start", tooltip="Import the chosen files."),
        Binding("escape", "close", "Cancel / back", id="import.close",
                tooltip="Stop a running import, or go back."),
        Binding("ctrl+l", "clear", "Clear list", id="import.clear", tooltip="Empty the list of chosen files."),
    ]

    def __init__(self, path: Path, coder: str, start: Path | None = None):
        super().__init__()
        self.path, self.coder = path, coder
        self.start_folder = start or Path.cwd()
        self.chosen: list[Path] = []
        self.running = False
        self.imported = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="import"):
            yield Label("Import transcripts: Enter adds a file or a folder's transcripts · space opens a "
                        "folder · ctrl+s imports", id="import-title")
            with Horizontal(id="import-body"):
                yield TranscriptFiles(self.start_folder, id="import-tree")
                with Vertical(id="import-side"):
                    yield Input(placeholder="or type a path and press Enter", id="import-path")
                    yield Static(id="import-chosen")
            yield ProgressBar(total=1, id="import-progress", show_eta=False)
            yield RichLog(id="import-log", wrap=True, markup=False, max_lines=500)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-tree").focus()
        self._show_chosen()

    def _add(self, paths: Iterable[Path]) -> None:
        """Add files (a folder gives its transcripts, by the core's one rule); again removes them."""
        seat = getattr(self.app, "seat", None)  # a served session reads only the project's folder
        outside = [p for p in paths if seat is not None and not seat.allows_path(p)]
        if outside:
            self.notify(f"{outside[0]}: outside the project's folder; a served session imports only from there",
                        severity="error")
            return
        try:
            found = expand_folders(paths)
        except WorkbenchError as error:
            self.notify(str(error), severity="warning")
            return
        for path in found:
            if path in self.chosen:
                self.chosen.remove(path)
            else:
                self.chosen.append(path)
        self._show_chosen()

    def _show_chosen(self) -> None:
        text = Text(f"{len(self.chosen)} file{'s' if len(self.chosen) != 1 else ''} chosen\n", style="bold")
        for path in self.chosen[:50]:
            text.append(f"  {path.name}\n")
        if len(self.chosen) > 50:
            text.append(f"  … and {len(self.chosen) - 50} more\n", style="dim")
        self.query_one("#import-chosen", Static).update(text)

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        self._add([event.path])

    @on(DirectoryTree.DirectorySelected)
    def _folder(self, event: DirectoryTree.DirectorySelected) -> None:
        self._add([event.path])

    @on(Input.Submitted, "#import-path")
    def _typed(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not path.exists():
            self.notify(f"{path}: no such file or folder", severity="error")
            return
        self._add([path])
        event.input.value = ""

    def action_clear(self) -> None:
        if not self.running:
            self.chosen.clear()
            self._show_chosen()

    def action_start(self) -> None:
        if self.running:
            return
        if not self.chosen:
            self.notify("Choose files first: Enter on a file in the tree, or type a path.", severity="warning")
            return
        self.running = True
        self.query_one("#import-progress", ProgressBar).update(total=len(self.chosen), progress=0)
        self.query_one("#import-log", RichLog).write(Text(f"Importing {len(self.chosen)} files…", style="bold"))
        self._import(list(self.chosen))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, paths: list[Path]) -> None:
        worker = get_current_worker()
        imported = failed = 0
        with Project.open(self.path) as project:
            for done, outcome in enumerate(
                import_files(project, paths, self.coder, cancelled=lambda: worker.is_cancelled), start=1
            ):
                imported += outcome.status == "imported"
                failed += outcome.status == "failed"
                self.post_message(ImportProgress(done, len(paths), outcome))
        self.post_message(ImportFinished(imported, failed, worker.is_cancelled))

    @on(ImportProgress)
    def _progress(self, message: ImportProgress) -> None:
        self.query_one("#import-progress", ProgressBar).update(progress=message.done)
        style = {"imported": "green", "skipped": "yellow", "failed": "bold red"}[message.outcome.status]
        self.query_one("#import-log", RichLog).write(Text(message.outcome.message, style=style))

    @on(ImportFinished)
    def _finished(self, message: ImportFinished) -> None:
        self.running = False
        self.imported += message.imported
        note = " (cancelled)" if message.cancelled else ""
        self.query_one("#import-log", RichLog).write(
            Text(f"Done{note}: {message.imported} imported, {message.failed} failed. Esc goes back.", style="bold")
        )
        self.chosen.clear()
        self._show_chosen()

    def action_close(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "import")
            self.query_one("#import-log", RichLog).write(Text("Cancelling after the current file…", style="yellow"))
            return
        self.dismiss(self.imported)
