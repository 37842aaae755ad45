"""The export screen: choose codes, a format and a file, de-identify or not; a thread worker
runs `export.run.export` on its own connection and reports progress, the screen shows the result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, ProgressBar, Select, SelectionList, Static

from ...codebook.ops import paths_by_id
from ...coding import parse_where
from ...export.run import Options, export
from ...export.select import Selection
from ...model import WorkbenchError
from ...store import Project

FORMATS = [
    ("Markdown excerpts (.md)", ".md"), ("Word excerpts (.docx)", ".docx"), ("HTML excerpts (.html)", ".html"),
    ("LaTeX excerpts (.tex)", ".tex"), ("Spreadsheet rows (.xlsx)", ".xlsx"), ("CSV rows (.csv)", ".csv"),
    ("Codebook appendix (.docx)", "appendix.docx"), ("Code frequencies chart (.png)", ".png"),
    ("Co-occurrence heatmap (.png)", "cooccurrence.png"),
]
STEPS = {"selecting excerpts": 1, "de-identifying": 2}


@dataclass
class ExportProgress(Message):
    step: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ExportProgress)


@dataclass
class ExportFinished(Message):
    summary: str
    error: bool


class ExportScreen(Screen):
    """Space ticks codes (none ticked: every code), Tab moves on, ctrl+s exports."""

    DEFAULT_CSS = """
    #export { height: 1fr; padding: 0 1; }
    #export-title { text-style: bold; height: 1; }
    #export-codes { height: 1fr; min-height: 4; }
    #export-row, #export-flags { height: auto; }
    #export-format { width: 34; }
    #export-file, #export-where { width: 1fr; }
    #export-progress { height: 1; }
    #export-result { height: auto; max-height: 4; }
    """
    BINDINGS = [
        Binding("ctrl+s", "start", "Export", id="export.start", tooltip="Write the export file."),
        Binding("escape", "close", "Back", id="export.close", tooltip="Go back to the workbench."),
    ]

    def __init__(self, path: Path, coder: str):
        super().__init__()
        self.path, self.coder = path, coder
        self.running = False
        self.written: list[str] = []

    def compose(self) -> ComposeResult:
        with Project.open(self.path) as project:
            paths = sorted(paths_by_id(project).items(), key=lambda item: item[1])
        with Vertical(id="export"):
            yield Label("Export for a paper: tick codes (none: all) · ctrl+s writes the file · Esc goes back",
                        id="export-title")
            yield SelectionList[str](*[(path, path) for _, path in paths], id="export-codes")
            with Horizontal(id="export-row"):
                yield Select(FORMATS, value=".md", allow_blank=False, id="export-format")
                yield Input(str(self._default_file(".md")), id="export-file")
            with Horizontal(id="export-flags"):
                yield Checkbox("Sub-codes", True, id="export-subcodes")
                yield Checkbox("De-identify", False, id="export-deidentify")
                yield Input(placeholder="where: city=Yiwu, role=trader", id="export-where")
            yield ProgressBar(total=3, id="export-progress", show_eta=False)
            yield Static(id="export-result")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-codes").focus()

    def _default_file(self, choice: str) -> Path:
        name = {".png": "frequencies.png", "cooccurrence.png": "cooccurrence.png",
                "appendix.docx": "appendix.docx"}.get(choice, "excerpts" + choice)
        return self.path.with_name(f"{self.path.stem}-{name}")

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        self.query_one("#export-file", Input).value = str(self._default_file(str(event.value)))

    def options(self) -> Options:
        choice = str(self.query_one("#export-format", Select).value)
        where_text = self.query_one("#export-where", Input).value
        where = parse_where(p for p in where_text.replace("，", ",").split(",") if p.strip())
        selection = Selection(codes=tuple(self.query_one("#export-codes", SelectionList).selected),
                              subcodes=self.query_one("#export-subcodes", Checkbox).value, where=where)
        return Options(selection=selection, deidentify=self.query_one("#export-deidentify", Checkbox).value,
                       appendix=choice == "appendix.docx",
                       chart="cooccurrence" if choice == "cooccurrence.png" else None, coder=self.coder)

    def action_start(self) -> None:
        if self.running:
            return
        try:
            options = self.options()
        except WorkbenchError as error:
            self._show(str(error), error=True)
            return
        target = Path(self.query_one("#export-file", Input).value.strip()).expanduser()
        seat = getattr(self.app, "seat", None)  # a served session writes only into the project's folder
        if seat is not None and not seat.allows_path(target):
            self._show(f"{target}: outside the project's folder; a served session exports only there", error=True)
            return
        self.running = True
        self.query_one("#export-progress", ProgressBar).update(total=3, progress=0)
        self._show(f"Exporting to {target}…")
        self._export(target, options)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, target: Path, options: Options) -> None:
        try:
            with Project.open(self.path) as project:
                result = export(project, target, options, progress=lambda step: self.post_message(ExportProgress(step)))
            self.post_message(ExportFinished(result.summary(), False))
        except WorkbenchError as error:
            self.post_message(ExportFinished(str(error), True))
        except Exception as error:  # shown, never a crash of the workbench
            self.post_message(ExportFinished(f"unexpected {type(error).__name__}: {error}", True))

    @on(ExportProgress)
    def _progress(self, message: ExportProgress) -> None:
        self.query_one("#export-progress", ProgressBar).update(progress=STEPS.get(message.step, 2.5))

    @on(ExportFinished)
    def _finished(self, message: ExportFinished) -> None:
        self.running = False
        self.query_one("#export-progress", ProgressBar).update(progress=3)
        if not message.error:
            self.written.append(message.summary)
        self._show(message.summary, error=message.error)

    def _show(self, text: str, error: bool = False) -> None:
        self.query_one("#export-result", Static).update(Text(text, style="bold red" if error else "green"))

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(len(self.written))
