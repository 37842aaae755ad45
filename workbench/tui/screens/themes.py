"""Words (table and bar chart), keyword in context, and themes: what the material is about.

Each screen computes in a thread worker with its own project connection and only posts
messages; Enter on a KWIC line or a theme's excerpt jumps to the passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, ProgressBar, Static
from textual_plotext import PlotextPlot

from ...model import Theme, ThemeMember, WorkbenchError
from ...store import Project
from .results import Jump

if TYPE_CHECKING:
    from ...kwic import Line
    from ...words import WordTable


def open_in_session(screen: WordsScreen | KwicScreen | ThemesScreen) -> Project:
    """The screen's project on its own connection, writing as the app's session: the app then knows the
    index build or a promotion as its own change, not "changed elsewhere" (issue 22)."""
    project = Project.open(screen.path)
    project.session = getattr(getattr(screen.app, "project", None), "session", None)
    return project


@dataclass
class WordsComputed(Message):
    table: WordTable | None = None
    error: str | None = None


@dataclass
class KwicComputed(Message):
    lines: list[Line]
    width: int
    error: str | None = None


@dataclass
class ThemesComputed(Message):
    run_id: int = 0
    method: str = ""
    themes: list[Theme] | None = None
    members: dict[int, list[ThemeMember]] | None = None
    error: str | None = None


@dataclass
class Progressed(Message):
    share: float
    stage: str = ""


class WordsScreen(Screen):
    """The most frequent words, in a table and as a bar chart drawn in the terminal."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="words.back"),
        Binding("l", "cycle_lang", "zh/en/all", id="words.lang", tooltip="Only Chinese, only English, or both."),
    ]

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.lang: str | None = None

    def compose(self) -> ComposeResult:
        yield Label("Words", id="words-title")
        with Horizontal():
            yield DataTable(id="words-table", cursor_type="row", zebra_stripes=True)
            yield PlotextPlot(id="words-plot")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Word", "Lang", "n", "/10k")
        self.query_one(DataTable).styles.width = "1fr"
        self.query_one(PlotextPlot).styles.width = "1fr"
        self._compute(self.lang)

    @work(thread=True, exclusive=True, exit_on_error=False, group="words")
    def _compute(self, lang: str | None) -> None:
        from ... import words

        try:
            with open_in_session(self) as project:
                table = words.frequencies(project, lang=lang, top=40)
        except WorkbenchError as error:
            self.post_message(WordsComputed(error=str(error)))
            return
        self.post_message(WordsComputed(table))

    @on(WordsComputed)
    def _shown(self, message: WordsComputed) -> None:
        title = self.query_one("#words-title", Label)
        table = message.table
        if message.error or table is None:
            title.update(Text(message.error or "", style="bold red"))
            return
        grid = self.query_one(DataTable)
        grid.clear()
        for row in table.rows:
            grid.add_row(row.term, row.lang, str(row.n), f"{row.per_10k:.1f}")
        title.update(f"Words · {table.scope} · {table.total:,} words · l: zh/en/all")
        plot = self.query_one(PlotextPlot).plt
        plot.clear_data()
        plot.clear_figure()
        top = list(table.rows[:12])[::-1]
        # plotext draws one cell per character: Chinese labels are numbered, the table names them
        labels = [r.term if r.term.isascii() else f"#{table.rows.index(r) + 1}" for r in top]
        plot.bar(labels, [r.n for r in top], orientation="horizontal")
        plot.title("most frequent")
        self.query_one(PlotextPlot).refresh()

    def action_cycle_lang(self) -> None:
        self.lang = {None: "zh", "zh": "en", "en": None}[self.lang]
        self._compute(self.lang)

    def action_back(self) -> None:
        self.dismiss(None)


class KwicScreen(Screen):
    """Every occurrence of a word with its context, aligned; Enter opens it in the transcript."""

    BINDINGS = [Binding("escape", "back", "Back", id="kwic.back"),
                Binding("enter", "jump", "Jump", id="kwic.jump", tooltip="Open the passage.")]

    def __init__(self, path: Path, term: str = ""):
        super().__init__()
        self.path, self.term = path, term
        self.lines: list = []

    def compose(self) -> ComposeResult:
        yield Input(self.term, placeholder="a word: 信任, trust, 商会", id="kwic-input")
        yield Label("", id="kwic-title")
        yield DataTable(id="kwic-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Document", "Concordance")
        if self.term:
            self._compute(self.term, self._width())
            self.query_one(DataTable).focus()
        else:
            self.query_one(Input).focus()

    def _width(self) -> int:
        return max(8, (self.app.size.width - 30) // 2 - 4)

    @on(Input.Submitted, "#kwic-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.term = event.value.strip()
            self._compute(self.term, self._width())
            self.query_one(DataTable).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="kwic")
    def _compute(self, term: str, width: int) -> None:
        from ... import kwic

        try:
            with open_in_session(self) as project:
                lines = kwic.kwic(project, term, width=width)
        except WorkbenchError as error:
            self.post_message(KwicComputed([], width, error=str(error)))
            return
        self.post_message(KwicComputed(lines, width))

    @on(KwicComputed)
    def _shown(self, message: KwicComputed) -> None:
        from ... import kwic

        title = self.query_one("#kwic-title", Label)
        grid = self.query_one(DataTable)
        grid.clear()
        if message.error:
            self.lines = []
            title.update(Text(message.error, style="bold red"))
            return
        self.lines, width = message.lines, message.width
        for index, line in enumerate(self.lines):
            text = kwic.aligned(line, width)
            shown = Text(text)
            at = text.index("[")
            shown.stylize("bold reverse", at, at + len(line.match) + 2)
            name = line.document.rsplit(".", 1)[0]
            grid.add_row(name[:18], shown, key=str(index))
        title.update(f"{len(self.lines)} occurrences of {self.term} · Enter opens one")

    @on(DataTable.RowSelected, "#kwic-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        grid = self.query_one(DataTable)
        if not self.lines or grid.cursor_row is None or not 0 <= grid.cursor_row < len(self.lines):
            return
        line = self.lines[grid.cursor_row]
        hits = tuple((hit.start, hit.end) for hit in self.lines if hit.document_id == line.document_id)
        self.dismiss(Jump(line.document_id, line.start, line.end, hits))

    def action_back(self) -> None:
        if isinstance(self.focused, Input) and self.lines:
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)


class ThemesScreen(Screen):
    """Candidate themes of the uncoded sentences: their words and excerpts; p promotes one."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="themes.back"),
        Binding("n", "new_run", "New run", id="themes.run", tooltip="Cluster again with another seed."),
        Binding("p", "promote", "Promote", id="themes.promote",
                tooltip="Make a new code from the theme; its passages become suggestions."),
        Binding("enter", "jump", "Jump", id="themes.jump", tooltip="Open the theme's best excerpt."),
    ]

    def __init__(self, path: Path, coder: str):
        super().__init__()
        self.path, self.coder = path, coder
        self.seed = 0
        self.themes: list[Theme] = []
        self.members: dict[int, list[ThemeMember]] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Themes", id="themes-title")
            yield ProgressBar(total=1.0, show_eta=False, id="themes-progress")
            yield DataTable(id="themes-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="themes-excerpts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("#", "Theme", "Size", "Langs")
        self._compute(None)

    def action_new_run(self) -> None:
        self.seed += 1
        self._compute(self.seed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="themes")
    def _compute(self, seed: int | None) -> None:
        from ... import themes

        try:
            with open_in_session(self) as project:
                runs = project.theme_runs()
                if seed is None and runs:
                    run_id = runs[0].id
                else:
                    run_id = themes.run(project, seed=seed or 0, coder=self.coder,
                                        progress=lambda stage, share: self.post_message(Progressed(share, stage)))
                found = project.themes_of_run(run_id)
                members = {t.id: project.theme_members(t.id)[:5] for t in found}
                method = project.theme_run(run_id).method
        except WorkbenchError as error:
            self.post_message(ThemesComputed(error=str(error)))
            return
        self.post_message(ThemesComputed(run_id, method, found, members))

    @on(Progressed)
    def _progress(self, message: Progressed) -> None:
        self.query_one(ProgressBar).update(progress=message.share)
        self.query_one("#themes-title", Label).update(f"Themes · {message.stage}…")

    @on(ThemesComputed)
    def _shown(self, message: ThemesComputed) -> None:
        title = self.query_one("#themes-title", Label)
        self.query_one(ProgressBar).update(progress=1.0)
        if message.error:
            title.update(Text(message.error, style="bold red"))
            return
        run_id, method = message.run_id, message.method
        self.themes, self.members = message.themes or [], message.members or {}
        grid = self.query_one(DataTable)
        grid.clear()
        for t in self.themes:
            code = " →code" if t.code_id else ""
            grid.add_row(str(t.id), t.label + code, str(t.size), ",".join(t.languages), key=str(t.id))
        title.update(f"Themes of run {run_id} ({method}) · n: new run · p: promote · Enter: excerpt")
        if self.themes:
            grid.move_cursor(row=0)
            self._excerpts(0)

    @on(DataTable.RowHighlighted, "#themes-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._excerpts(event.cursor_row)

    def _excerpts(self, index: int) -> None:
        if not 0 <= index < len(self.themes):
            return
        theme = self.themes[index]
        shown = Text(", ".join(theme.terms[:8]) + "\n", style="bold")
        for m in self.members.get(theme.id, []):
            shown.append("· " + " ".join(m.text.split())[:150] + f"  [{m.document}]\n")
        self.query_one("#themes-excerpts", Static).update(shown)

    def _current(self) -> Theme | None:
        row = self.query_one(DataTable).cursor_row
        return self.themes[row] if self.themes and row is not None and 0 <= row < len(self.themes) else None

    def action_promote(self) -> None:
        """Ask the new code's name (the label offered) and its parent, then promote."""
        from .promote import PromoteName

        theme = self._current()
        if theme is None:
            return
        self.app.push_screen(PromoteName(theme.label, theme.size), lambda name: self._named(theme, name))

    def _named(self, theme: Theme, name: str | None) -> None:
        from .dialogs import CodePicker

        if name is None:
            return
        main = self.app.screen_stack[0]  # the workbench's main screen knows the codes
        choices = main.code_choices() if hasattr(main, "code_choices") else []
        self.app.push_screen(CodePicker(f"Put “{name}” under", choices, top_level="(top level)"),
                             lambda parent: self._promote(theme, name, parent))

    def _promote(self, theme: Theme, name: str, parent: int | str | None) -> None:
        from ... import themes
        from ...codebook.ops import paths_by_id
        from .dialogs import TOP

        if parent is None:
            return
        try:
            with open_in_session(self) as project:
                parent_path = None if parent == TOP else paths_by_id(project).get(int(parent))
                _, stored = themes.promote(project, theme.id, new_code=name, parent=parent_path, coder=self.coder)
        except WorkbenchError as error:
            self.notify(str(error), severity="error")
            return
        where = f"{parent_path}/{name}" if parent_path else name
        self.notify(f"New code {where}: {stored} suggestions to review (nothing coded).")

    def action_jump(self) -> None:
        theme = self._current()
        if theme is None or not self.members.get(theme.id):
            return
        best = self.members[theme.id][0]
        self.dismiss(Jump(best.document_id, best.start, best.end))

    def action_back(self) -> None:
        self.dismiss(None)
