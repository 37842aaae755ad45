"""The pseudonym review: one candidate at a time with its contexts and count, decided by one key.

y confirms (exports replace it from now on), n rejects (an ordinary word: never replaced nor
proposed again), s skips, d (or escape) is done. Detection and the counts run in a thread
worker with its own connection; each decision is one short write of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...model import WorkbenchError
from ...store import Project


@dataclass
class ReviewReady(Message):
    rows: list = field(default_factory=list)
    error: str | None = None


def load_review(path: Path, coder: str | None) -> list:
    """Propose what the documents hold, then the candidates with counts and contexts (most frequent first)."""
    from ...export import deidentify

    with Project.open(path) as project:
        deidentify.detect_in_project(project, None, coder)
        return deidentify.review(project)


class PseudonymsScreen(Screen):
    """Candidates for de-identification, decided one key each."""

    BINDINGS = [
        Binding("y", "decide('confirmed')", "Confirm", id="pseudonyms.confirm",
                tooltip="Confirm: exports replace this term by its label from now on."),
        Binding("n", "decide('rejected')", "Reject", id="pseudonyms.reject",
                tooltip="Reject: an ordinary word, never replaced nor proposed again."),
        Binding("s", "skip", "Skip", id="pseudonyms.skip", tooltip="Leave it undecided for now."),
        Binding("d,escape", "done", "Done", key_display="d", id="pseudonyms.done", tooltip="Back to the transcript."),
    ]
    DEFAULT_CSS = """
    PseudonymsScreen #pseudonyms-box { border: round $secondary; padding: 0 1; height: 1fr; }
    PseudonymsScreen #pseudonyms-status { color: $text-muted; height: auto; }
    PseudonymsScreen #pseudonyms-term { height: auto; margin: 1 0; }
    PseudonymsScreen #pseudonyms-contexts { height: 1fr; }
    """

    def __init__(self, path: Path, coder: str | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.coder = coder
        self.rows: list = []
        self.index = 0
        self.decided = {"confirmed": 0, "rejected": 0}

    def compose(self) -> ComposeResult:
        with Vertical(id="pseudonyms-box"):
            yield Static("Looking for names, places and organisations…", id="pseudonyms-status")
            yield Static("", id="pseudonyms-term")
            yield Static("", id="pseudonyms-contexts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pseudonyms-box").border_title = "De-identification review"
        self.load()

    @work(thread=True, exclusive=True, group="pseudonyms")
    def load(self) -> None:
        try:
            self.post_message(ReviewReady(load_review(self.path, self.coder)))
        except WorkbenchError as error:
            self.post_message(ReviewReady(error=str(error)))

    def on_review_ready(self, message: ReviewReady) -> None:
        if message.error:
            self.query_one("#pseudonyms-status", Static).update(message.error)
            return
        self.rows = message.rows
        self.index = 0
        self.show()

    @property
    def current(self):
        return self.rows[self.index] if 0 <= self.index < len(self.rows) else None

    def show(self) -> None:
        status = self.query_one("#pseudonyms-status", Static)
        term = self.query_one("#pseudonyms-term", Static)
        contexts = self.query_one("#pseudonyms-contexts", Static)
        done = f"{self.decided['confirmed']} confirmed, {self.decided['rejected']} rejected"
        row = self.current
        if row is None:
            status.update(f"No undecided candidates left ({done}). Only confirmed terms are ever replaced. d: done")
            term.update("")
            contexts.update("")
            return
        status.update(f"Candidate {self.index + 1} of {len(self.rows)} · {done} · y confirm  n reject  s skip  d done")
        line = Text()
        line.append(row.original, style="bold")
        line.append(f"  → {row.replacement}   ({row.kind}, {row.count}× in the documents)")
        term.update(line)
        shown = Text()
        for context in row.contexts or ("(not found in the documents)",):
            shown.append(context + "\n")
        contexts.update(shown)

    def action_decide(self, decision: str) -> None:
        from ...export import deidentify

        row = self.current
        if row is None:
            return
        try:
            with Project.open(self.path) as project:
                deidentify.decide(project, [row.original], decision, self.coder)
        except WorkbenchError as error:
            self.notify(str(error), severity="error")
            return
        self.decided[decision] += 1
        self.rows.pop(self.index)
        self.show()

    def action_skip(self) -> None:
        if self.current is not None:
            self.index += 1
            self.show()

    def action_done(self) -> None:
        self.dismiss(self.decided)
