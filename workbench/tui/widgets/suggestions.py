"""The suggestions panel: the engine's proposals for the open document, accepted or rejected by key.

Training runs in a thread worker with its own connection, after coding changes settle, and only
posts messages; proposals are stored through the app's connection (so the app does not take
them for another program's change). A proposal becomes a coding only when the person presses
the accept key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...model import Code, Suggestion, SuggestionDraft, WorkbenchError
from ...store.events import SUGGESTION_ACTIONS

if TYPE_CHECKING:
    from textual.timer import Timer

    from ...history import History
    from ...store import Project
    from ...suggest.propose import Ranked
    from ..screens.main import MainScreen
    from .transcript import TranscriptView

TOP = 3  # codes proposed per unit, best first
RETRAIN_AFTER_S = 1.0  # coding changes settle this long before the engine trains again
POLL_S = 0.5


class SuggestionHost(Protocol):
    """What the panel uses of the screen it sits on (the workbench's main screen)."""

    project: Project
    document_id: int | None
    coder: str
    codes: dict[int, Code]
    history: History

    @property
    def transcript(self) -> TranscriptView: ...
    def attempt(self, change: Callable[[], object]) -> object: ...
    def refresh_from_store(self) -> None: ...
    def notify(self, message: str, *, timeout: float | None = None) -> None: ...


@dataclass
class SuggestProgress(Message):
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SuggestProgress)


@dataclass
class SuggestionsComputed(Message):
    document_id: int
    drafts: list[SuggestionDraft]
    engine: Ranked
    training_hash: str


@dataclass
class SuggestFailed(Message):
    error: str


def compute(path: Path, document_id: int, cached: tuple[str, Ranked] | None,
            progress: Callable[[int, int], object], cancelled: Callable[[], bool],
            ) -> tuple[Ranked, str, list[SuggestionDraft]]:
    """Choose the project's ranker (cached by training hash), fit it (or reuse one fitted on the same
    coding) and rank codes for the document's units; read only."""
    from ...store import Project
    from ...suggest import engine as engine_mod
    from ...suggest.choose import choose
    from ...suggest.propose import fit_ranked, ranked_drafts, units_for

    with Project.open(path) as project:
        corpus = engine_mod.load_corpus(project)
        fingerprint = engine_mod.training_hash(corpus)
        if cached is not None and cached[0] == fingerprint:
            ranked = cached[1]
        else:
            choice = choose(project, corpus, progress=progress)
            texts = [u.text for u in units_for(corpus, list(corpus.texts), choice.unit)]
            ranked = fit_ranked(corpus, choice, texts=texts)
    drafts = ranked_drafts(ranked, corpus, [document_id], TOP)
    return ranked, fingerprint, drafts


class SuggestionPanel(Vertical):
    """Open suggestions of the current document; y accepts, n rejects, j jumps to the next."""

    DEFAULT_CSS = """
    SuggestionPanel { width: 34; border: round $secondary; border-title-color: $text; height: 1fr; }
    SuggestionPanel OptionList { height: 1fr; border: none; padding: 0; }
    SuggestionPanel ProgressBar { height: 1; }
    SuggestionPanel #suggest-status { height: auto; color: $text-muted; }
    """

    def __init__(self, path: Path, *, id: str | None = "suggestions") -> None:
        super().__init__(id=id)
        self.path = Path(path)
        self.items: list[Suggestion] = []
        self.document_id: int | None = None
        self._cache: tuple[str, Ranked] | None = None
        self._seen_event = -1
        self._due: Timer | None = None
        self.border_title = "Suggestions"

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="suggest-progress")
        yield Static("", id="suggest-status")
        yield OptionList(id="suggest-list")

    @property
    def host(self) -> SuggestionHost:
        """The main screen the panel sits on, typed by what this panel uses of it."""
        return cast("SuggestionHost", self.screen)

    def on_mount(self) -> None:
        self.query_one(OptionList).can_focus = False  # the transcript keeps the keys
        self.schedule(0)
        self.set_interval(POLL_S, self._poll)

    # ----------------------------------------------------------- training
    def _poll(self) -> None:
        """Retrain when the document changes or someone codes (events other than our own)."""
        app = self.host
        if app.document_id != self.document_id:
            self.schedule(0.1)
            return
        last = app.project.last_event_id()
        if last == self._seen_event:
            return
        changes = [e for e in app.project.events_since(self._seen_event) if e.action not in SUGGESTION_ACTIONS]
        self._seen_event = last
        if changes:
            self.schedule(RETRAIN_AFTER_S)

    def schedule(self, delay: float) -> None:
        if self._due is not None:
            self._due.stop()
        self._due = self.set_timer(delay, self._start) if delay else None
        if not delay:
            self._start()

    def _start(self) -> None:
        document_id = self.host.document_id
        if document_id is None:
            self._status("Open a document to see suggestions.")
            return
        self.document_id = document_id
        self._seen_event = self.host.project.last_event_id()
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(ProgressBar).display = True
        self._status("Learning from the coding…")
        self._train(document_id, self._cache)

    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest")
    def _train(self, document_id: int, cached: tuple[str, Ranked] | None) -> None:
        worker = get_current_worker()
        try:
            trained, fingerprint, drafts = compute(
                self.path, document_id, cached, lambda done, total: self.post_message(SuggestProgress(done, total)),
                lambda: worker.is_cancelled)
        except WorkbenchError as error:
            self.post_message(SuggestFailed(str(error)))
            return
        if not worker.is_cancelled:
            self.post_message(SuggestionsComputed(document_id, drafts, trained, fingerprint))

    @on(SuggestProgress)
    def _progress(self, message: SuggestProgress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    @on(SuggestFailed)
    def _failed(self, message: SuggestFailed) -> None:
        self.query_one(ProgressBar).display = False
        self._status(message.error)

    @on(SuggestionsComputed)
    def _computed(self, message: SuggestionsComputed) -> None:
        self.query_one(ProgressBar).display = False
        self._cache = (message.training_hash, message.engine)
        if message.document_id != self.host.document_id:
            self.schedule(0.1)
            return
        from ...suggest.choose import GUESS
        from ...suggest.propose import store_ranked

        ranked = message.engine
        store_ranked(self.host.project, ranked, message.drafts, [message.document_id],
                     coder=self.host.coder or None, top=TOP)
        self._seen_event = self.host.project.last_event_id()
        if ranked.choice.method is None:
            self.show(note=f"{GUESS.capitalize()}: no method beats proposing the most frequent codes.")
        else:
            self.show(note=f"{ranked.choice.method}, top {TOP} per {ranked.choice.unit}.")

    # ----------------------------------------------------------- showing
    def _status(self, text: str) -> None:
        self.query_one("#suggest-status", Static).update(text)

    def show(self, note: str = "") -> None:
        """List the open suggestions of the document and mark them in the transcript."""
        app = self.host
        if self.document_id is None:
            return
        self.items = app.project.open_suggestions(document_id=self.document_id)
        options = []
        for s in self.items:
            code = app.codes.get(s.code_id) if s.code_id is not None else None
            label = Text()
            label.append("┆ ", style=code.color if code else "")
            label.append(f"{code.name if code else s.code_id}", style="bold")
            label.append(f" {s.score:.2f} {s.method}\n", style="dim")
            snippet = " ".join(s.text.split())
            label.append(snippet[:60] + ("…" if len(snippet) > 60 else ""), style="italic")
            options.append(Option(label, id=str(s.id)))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        if options:
            listing.highlighted = 0
        app.transcript.set_suggested([(s.start, s.end, s.code_id) for s in self.items if s.code_id is not None])
        self._status((note + " " if note else "") + f"{len(self.items)} open · y accept · n reject · j next")

    def current(self) -> Suggestion | None:
        listing = self.query_one(OptionList)
        if not self.items or listing.highlighted is None:
            return None
        return self.items[min(listing.highlighted, len(self.items) - 1)]

    # ----------------------------------------------------------- deciding
    def next(self) -> Suggestion | None:
        """Highlight the next suggestion after the cursor (wrapping) and select its text."""
        if not self.items:
            self.app.notify("No open suggestions in this document.", timeout=2)
            return None
        cursor = self.host.transcript.cursor
        listing = self.query_one(OptionList)
        at = listing.highlighted
        following = [i for i, s in enumerate(self.items)
                     if s.start > cursor or (at is not None and i > at and s.start >= cursor)]
        index = following[0] if following else 0
        listing.highlighted = index
        chosen = self.items[index]
        view = self.host.transcript
        view.select(chosen.start, chosen.end, reveal=False)
        view.reveal()
        return chosen

    def accept(self) -> int | None:
        chosen = self.current()
        if chosen is None:
            self.app.notify("No suggestion to accept.", timeout=2)
            return None
        app = self.host
        coding_id = app.attempt(lambda: app.history.accept_suggestion(chosen.id))
        if not isinstance(coding_id, int):
            return None
        app.refresh_from_store()
        self.show()
        code = app.codes.get(chosen.code_id) if chosen.code_id is not None else None
        app.notify(f"Accepted: {code.name if code else 'code'} (ctrl+z takes it back).", timeout=2)
        return coding_id

    def reject(self) -> None:
        chosen = self.current()
        if chosen is None:
            self.app.notify("No suggestion to reject.", timeout=2)
            return
        app = self.host
        if app.attempt(lambda: app.history.reject_suggestion(chosen.id)) is not None:
            return
        index = self.query_one(OptionList).highlighted or 0
        self.show()
        if self.items:
            self.query_one(OptionList).highlighted = min(index, len(self.items) - 1)
        app.notify("Rejected: it will not be proposed again (ctrl+z takes it back).", timeout=2)

    @classmethod
    def act(cls, screen: MainScreen, what: str) -> None:
        """The main screen's one entry point: show or hide the panel, or accept / reject / go to the next."""
        found = screen.query(cls)
        panel = found.first() if found else None
        if what == "toggle":
            if panel is None:
                screen.query_one("#main").mount(cls(screen.path))
            else:
                panel.display = not panel.display
                if panel.display:
                    panel.schedule(0)
            screen.set_class(panel is None or bool(panel.display), "show-suggestions")
            return
        if panel is None or not panel.display:
            screen.notify("Press S to show suggestions first.", severity="warning", timeout=3)
            return
        {"accept": panel.accept, "reject": panel.reject, "next": panel.next}[what]()
