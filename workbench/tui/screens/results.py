"""Retrieval, boolean queries and full-text search: a list of segments, each one jump from its
context. The work runs in a thread worker with its own connection and only posts messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from ...model import Segment, WorkbenchError
from ...store import Project

SNIPPET = 70


@dataclass(frozen=True)
class Jump:
    """Where to go when a result is chosen: a span to select and hits to highlight."""

    document_id: int
    start: int
    end: int
    hits: tuple[tuple[int, int], ...] = ()


@dataclass
class ResultsReady(Message):
    request: tuple
    rows: list[Segment] = field(default_factory=list)
    error: str | None = None


def find_rows(path: Path, mode: str, value: str | int, with_descendants: bool = True) -> list[Segment]:
    """The rows for one request, read through a connection of the calling thread's own."""
    from ... import coding, query, search

    with Project.open(path) as project:
        if mode == "retrieve":
            return coding.retrieve(project, int(value), with_descendants=with_descendants)
        if mode == "query":
            return query.run(project, str(value))
        cases = {row.id: row.case for row in project.documents()}
        return [
            Segment(h.document_id, h.document, h.turn_start, h.turn_end, h.context, h.speaker,
                    cases.get(h.document_id), matches=h.matches)
            for h in search.search(project, str(value))
        ]


def code_label(row: Segment) -> str:
    """Which code matched: its path where the core gives one (a parent's query names the sub-code)."""
    return getattr(row, "code_path", None) or row.code or ""


def _cell_width(cell: str | Text) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


def highlight(text: str, offset: int, matches: tuple[tuple[int, int], ...], style: str = "bold reverse") -> Text:
    shown = Text(text)
    for start, end in matches:
        shown.stylize(style, max(0, start - offset), max(0, end - offset))
    return shown


class ResultsScreen(Screen):
    """Segments of a code, of a query, or search hits; Enter jumps to the segment in context."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="results.back", tooltip="Back to the transcript."),
        Binding("enter", "jump", "Jump", show=True, id="results.jump", tooltip="Open the segment in its document."),
        Binding("d", "toggle_descendants", "Sub-codes", id="results.descendants",
                tooltip="Include or leave out the sub-codes' segments."),
        Binding("slash", "edit", "Edit query", key_display="/", id="results.edit", tooltip="Change the query."),
    ]

    def __init__(self, path: Path, mode: str, value: str | int = "", title: str = "", with_descendants: bool = True):
        super().__init__()
        self.path, self.mode, self.value, self.title_text = path, mode, value, title
        self.with_descendants = with_descendants
        self.rows: list[Segment] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="results"):
            yield Label(self.title_text, id="results-title")
            if self.mode != "retrieve":
                placeholder = ("a word or phrase: broker, 老乡, WeChat group" if self.mode == "search"
                               else 'codes with AND OR NOT ( ): Trust AND NOT Distrust, "Hukou" OR 子女教育')
                yield Input(str(self.value), placeholder=placeholder, id="results-input")
            yield DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="results-preview")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*self._labels())
        if self.value != "":
            self.run_request()
            table.focus()
        else:
            self.query_one("#results-input", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_descendants":
            return self.mode == "retrieve"
        if action == "edit":
            return self.mode != "retrieve"
        return True

    # ------------------------------------------------------------------ worker
    def run_request(self) -> None:
        self.query_one("#results-preview", Static).update(Text("Working…", style="italic"))
        self._find((self.mode, self.value, self.with_descendants))

    @work(thread=True, exclusive=True, exit_on_error=False, group="results")
    def _find(self, request: tuple) -> None:
        mode, value, with_descendants = request
        try:
            rows = find_rows(self.path, mode, value, with_descendants)
        except WorkbenchError as error:
            self.post_message(ResultsReady(request, error=str(error)))
            return
        self.post_message(ResultsReady(request, rows))

    @on(ResultsReady)
    def _ready(self, message: ResultsReady) -> None:
        preview = self.query_one("#results-preview", Static)
        table = self.query_one(DataTable)
        table.clear()
        if message.error:
            self.rows = []
            preview.update(Text(message.error, style="bold red"))
            return
        self.rows = message.rows
        width = SNIPPET if self.app.size.width >= 100 else SNIPPET // 2
        cells: list[tuple[str | Text, ...]] = []
        for row in self.rows:
            snippet = " ".join(row.text.split())
            if row.matches:
                first = row.matches[0][0] - row.start
                begin = max(0, first - 20)
                shown = highlight(row.text, row.start + 0, row.matches)
                shown = Text(" ").join(shown[begin:begin + width].split("\n"))
                code = str(len(row.matches))
            else:
                shown = Text(snippet[:width] + ("…" if len(snippet) > width else ""))
                code = code_label(row)
            name = row.document.rsplit(".", 1)[0]
            cells.append((name if len(name) <= 20 else name[:19] + "…", row.speaker or "", shown, code,
                          row.coder or "", row.case or ""))
        self._fill(table, cells)
        count = len(self.rows)
        noun = {"retrieve": "segment", "query": "segment", "search": "turn"}[self.mode]
        summary = f"{count} {noun}{'' if count == 1 else 's'} · Enter opens one in its document"
        if self.mode == "retrieve":
            summary += (" (sub-codes included; d leaves them out)" if self.with_descendants
                        else " (this code only; d adds sub-codes)")
        self.query_one("#results-title", Label).update(f"{self.title_text} — {summary}")
        if self.rows:
            table.move_cursor(row=0)
            self._preview(0)
        else:
            preview.update(Text("Nothing found.", style="italic"))

    def _labels(self) -> tuple[str, ...]:
        return ("Document", "Speaker", "Text", "Hits" if self.mode == "search" else "Code", "Coder", "Case")

    def _fill(self, table: DataTable, cells: list[tuple[str | Text, ...]]) -> None:
        """Rows under columns as wide as their widest cell, given up front. A DataTable measures
        auto-width columns only when next idle and keeps the lines it drew before that: a frame
        drawn in between left label-wide columns (the search snapshot flickered between the two)."""
        table.clear(columns=True)
        for index, label in enumerate(self._labels()):
            table.add_column(label, width=max([cell_len(label), *(_cell_width(row[index]) for row in cells)]))
        for index, row in enumerate(cells):
            table.add_row(*row, key=str(index))

    # ----------------------------------------------------------------- actions
    @on(Input.Submitted, "#results-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.value = event.value.strip()
            self.run_request()
            self.query_one(DataTable).focus()

    @on(DataTable.RowHighlighted, "#results-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview(event.cursor_row)

    @on(DataTable.RowSelected, "#results-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()

    def _preview(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        heading = Text(f"{row.document} · {row.speaker or '—'} · {row.case or '—'}", style="bold")
        if code_label(row):
            heading.append(f" · {code_label(row)} ({row.coder or '?'})", style="dim")
            if row.coding_id is not None:
                heading.append(f" · coding {row.coding_id}", style="dim")
        heading.append("\n")
        heading.append_text(highlight(row.text, row.start, row.matches))
        self.query_one("#results-preview", Static).update(heading)

    def action_jump(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or not 0 <= table.cursor_row < len(self.rows):
            return
        row = self.rows[table.cursor_row]
        hits = tuple(m for r in self.rows if r.document_id == row.document_id for m in r.matches)
        start, end = row.matches[0] if row.matches else (row.start, row.end)
        self.dismiss(Jump(row.document_id, start, end, hits))

    def action_toggle_descendants(self) -> None:
        self.with_descendants = not self.with_descendants
        self.run_request()

    def action_edit(self) -> None:
        self.query_one("#results-input", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input) and self.rows:
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)
