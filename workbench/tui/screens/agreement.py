"""Intercoder agreement in the terminal: per-code figures, the disagreements, Enter jumps there.
And a small chooser to show or hide one coder's codings in the transcript."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, OptionList, ProgressBar
from textual.widgets.option_list import Option

from ...model import WorkbenchError
from ...store import Project
from .results import Jump


@dataclass
class AgreementReady(Message):
    data: dict | None
    error: str | None = None


def agreement_data(path: Path, coders: list[str], level: str) -> dict:
    """The `agree --json` figures, with document ids for jumping, read on the worker's connection."""
    from ...agreement import as_json, compute

    with Project.open(path) as project:
        result = compute(project, coders, level=level)
        names = {row.id: row.name for row in project.documents()}
        data = as_json(result, names, lambda d: project.slice(d.document, d.start, d.end))
    data["jumps"] = [(d.document, d.start, d.end) for d in result.disagreements]
    return data


def default_coders(project: Project) -> list[str]:
    """The two coders with the most codings: the usual pair to compare."""
    rows = sorted(project.coder_counts(), key=lambda row: -row["codings"])
    return [row["name"] for row in rows if row["codings"]][:2]


def _figure(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if percent else f"{value:.3f}"


class AgreementScreen(Screen):
    """Agreement of chosen coders per code; the disagreements below, each one Enter from its passage."""

    BINDING_GROUP_TITLE = "Agreement"
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreement.back", tooltip="Back to the transcript."),
        Binding("l", "toggle_level", "Level", id="agreement.level",
                tooltip="Switch between character level and sentence level."),
        Binding("slash", "edit", "Coders", key_display="/", id="agreement.coders", tooltip="Choose the coders."),
    ]
    DEFAULT_CSS = """
    AgreementScreen #agree-top { height: auto; }
    AgreementScreen #agree-coders { width: 1fr; }
    AgreementScreen #agree-codes { height: 1fr; }
    AgreementScreen #agree-disagreements { height: 1fr; }
    AgreementScreen ProgressBar { height: 1; }
    """

    def __init__(self, path: Path, coders: list[str]):
        super().__init__()
        self.path, self.coders, self.level = path, coders, "char"
        self.jumps: list[tuple[int, int, int]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="agree-top"):
                yield Input(",".join(self.coders), placeholder="coders to compare: ana,ben", id="agree-coders")
            yield Label("", id="agree-summary")
            yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="agree-progress")
            yield DataTable(id="agree-codes", cursor_type="row", zebra_stripes=True)
            yield Label("Disagreements (Enter: go there)", id="agree-label")
            yield DataTable(id="agree-disagreements", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        codes = self.query_one("#agree-codes", DataTable)
        codes.add_columns("code", "agree", "kappa", "alpha", "coded")
        self.query_one("#agree-disagreements", DataTable).add_columns("document", "span", "code", "only", "passage")
        if len(self.coders) >= 2:
            self.run_agreement()
            self.query_one("#agree-disagreements", DataTable).focus()
        else:
            self.query_one("#agree-summary", Label).update("Name at least two coders (comma between), then Enter.")
            self.query_one("#agree-progress").display = False
            self.query_one(Input).focus()

    def run_agreement(self) -> None:
        self.query_one("#agree-progress").display = True
        self.query_one("#agree-summary", Label).update(f"Comparing {', '.join(self.coders)}…")
        self._compute(list(self.coders), self.level)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement")
    def _compute(self, coders: list[str], level: str) -> None:
        try:
            self.post_message(AgreementReady(agreement_data(self.path, coders, level)))
        except WorkbenchError as error:
            self.post_message(AgreementReady(None, str(error)))

    @on(AgreementReady)
    def _show(self, message: AgreementReady) -> None:
        self.query_one("#agree-progress").display = False
        summary = self.query_one("#agree-summary", Label)
        codes = self.query_one("#agree-codes", DataTable)
        table = self.query_one("#agree-disagreements", DataTable)
        codes.clear()
        table.clear()
        if message.error or message.data is None:
            summary.update(message.error or "")
            self.notify(message.error or "no result", severity="error")
            return
        data = message.data
        overall = data["overall"]
        level = "characters" if data["level"] == "char" else "sentences"
        summary.update(f"{', '.join(data['coders'])}: {data['documents']} documents coded by all, by {level}; "
                       f"overall kappa {_figure(overall['kappa'])}, alpha {_figure(overall['alpha'])}")
        for entry in data["codes"] + [dict(overall, code="overall")]:
            coded = " / ".join(str(v) for v in (entry["chars"].values() if "chars" in entry
                                                else (entry["chars_a"], entry["chars_b"])))
            codes.add_row(entry["code"], _figure(entry["percent"], True), _figure(entry["kappa"]),
                          _figure(entry["alpha"]), coded)
        self.jumps = data["jumps"]
        for index, item in enumerate(data["disagreements"]):
            passage = " ".join(item["text"].split())
            table.add_row(item["document"], f"{item['start']}–{item['end']}", item["code"],
                          ", ".join(item["applied_by"]), passage[:40] + ("…" if len(passage) > 40 else ""),
                          key=str(index))

    @on(DataTable.RowSelected, "#agree-disagreements")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None:
            return
        document, start, end = self.jumps[int(key)]
        self.dismiss(Jump(document, start, end))

    @on(Input.Submitted, "#agree-coders")
    def _coders_given(self, event: Input.Submitted) -> None:
        self.coders = [name.strip() for name in event.value.split(",") if name.strip()]
        if len(self.coders) < 2:
            self.notify("Name at least two coders, with a comma between.", severity="warning")
            return
        self.run_agreement()
        self.query_one("#agree-disagreements", DataTable).focus()

    def action_toggle_level(self) -> None:
        self.level = "segment" if self.level == "char" else "char"
        if len(self.coders) >= 2:
            self.run_agreement()

    def action_edit(self) -> None:
        self.query_one(Input).focus()

    def action_back(self) -> None:
        self.dismiss(None)


class CoderFilterScreen(ModalScreen[str | None]):
    """Pick a coder to show or hide; hidden coders' codings leave the transcript's stripes."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="coder-filter.cancel", tooltip="Close.")]
    DEFAULT_CSS = """
    CoderFilterScreen { align: center middle; }
    CoderFilterScreen > Vertical { width: 50; height: auto; max-height: 20; border: round $accent;
                                   background: $surface; padding: 0 1; }
    CoderFilterScreen OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, coders: list[tuple[str, int]], hidden: set[str]):
        super().__init__()
        self.coders, self.hidden = coders, hidden

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Show or hide a coder's codings (Enter)")
            yield OptionList(*[
                Option(f"{'[ ] hidden ' if name in self.hidden else '[x] shown  '}{name}  ({count} codings)", id=name)
                for name, count in self.coders
            ])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
