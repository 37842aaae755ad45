"""The main screen: documents and codes on the left, the transcript, the details; and every action
on them.

The screen owns what its panes show (the open document, the code tree, the codings index) and
keeps it in line with the project: thread workers (document loading, jieba) open their own
connection and only post messages; every change goes through the app's `History`, so it can be
undone. The app holds the project, the coder and the screens (as posting keeps its App thin).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Tree

from ...codebook.ops import descendants, paths_by_id
from ...history import History
from ...model import Code, DocumentSummary, WorkbenchError
from ...store import Project
from ...text.segment import has_han
from .. import config
from ..actions import bindings
from ..layout import Span, TurnMark, turn_marks
from ..session import FAILED, CodingIndex, Failed, T, classify
from ..widgets.panes import CodeTree, DetailPane, DocumentList, DocumentRow, StatusLine
from ..widgets.transcript import TranscriptView
from .dialogs import NEW, TOP, Choose, CodeChoice, CodeEditor, CodePicker, Confirm, MemoEditor
from .importer import ImportScreen
from .results import Jump, ResultsScreen

if TYPE_CHECKING:
    from textual.widgets.button import ButtonVariant

    from ..app import WorkbenchApp

PALETTE = ("#e15759", "#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


# ------------------------------------------------------------------- messages
@dataclass
class DocumentLoaded(Message):
    document_id: int
    name: str
    text: str
    turns: list[TurnMark]
    spans: list[Span]
    jump: Jump | None = None


@dataclass
class DocumentFailed(Message):
    error: str


@dataclass
class JiebaReady(Message):
    pass


def load_document(path: Path, document_id: int, hidden: frozenset[str] = frozenset(),
                  spans: list[Span] | None = None) -> tuple[str, str, list[TurnMark], list[Span]]:
    """A document's name, text, turns and codings (but hidden coders'), read through a connection of its own;
    `spans`: its codings when the caller knows them already."""
    with Project.open(path) as project:
        document = project.document(document_id)
        marks = turn_marks(document.text, project.turn_places(document_id))
        if spans is None:
            spans = [Span(cid, code_id, start, end)
                     for cid, _, code_id, start, end in project.coding_places(document_id, hidden)]
    return document.name, document.text, marks, spans


class MainScreen(Screen):
    """The four panes: documents and codes on the left, the transcript, the details."""

    BINDINGS = bindings("main")
    BINDING_GROUP_TITLE = "Workbench"
    AUTO_FOCUS = "#transcript"
    # below 120 columns the transcript shares the screen with one side pane (see app.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (120, "-wide"), (150, "-wider")]

    def __init__(self, workbench: WorkbenchApp) -> None:
        super().__init__()
        # the app, kept: a timer may fire after the screen left the app (then `self.app` is gone)
        self.workbench = workbench
        self.document_id: int | None = None
        self.current_code_id: int | None = None
        self.last_code_id: int | None = None
        self.codes: dict[int, Code] = {}
        self.paths: dict[int, str] = {}
        self.hidden_coders: set[str] = set()  # whose codings the stripes leave out (this session only)
        self.attributes: dict[int, dict[str, str]] = {}
        # every coding as (document, code, start, end): counts and changes come from here
        self.coding_index = CodingIndex()
        self._seen_event = 0
        self._seen_version = 0
        self._outside = False  # whether the last catch-up met another session's events
        self.jieba_ready = False
        self._jieba_started = False
        self._here_key: tuple = ()
        self._here_timer: Timer | None = None
        self._code_details_due = False
        self._status_text = Text()
        self._echo: str | None = None  # a routine confirmation shown in the status line for a moment
        self._echo_timer: Timer | None = None
        # the panes, made once here: every key asks for some of them
        self.document_list = DocumentList(id="documents")
        self.code_tree = CodeTree(id="codes")
        self.transcript = TranscriptView(id="transcript")
        self.details = DetailPane(id="details")
        self.status = StatusLine(id="status")

    @property
    def one_side_pane(self) -> bool:
        return self.has_class("-narrow") or self.has_class("-medium")

    # the project and the session belong to the app
    @property
    def project(self) -> Project:
        return self.workbench.project

    @property
    def path(self) -> Path:
        return self.workbench.path

    @property
    def history(self) -> History:
        return self.workbench.history

    @property
    def coder(self) -> str:
        return self.workbench.coder

    def attempt(self, change: Callable[[], T]) -> T | Failed:
        return self.workbench.attempt(change)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield self.document_list
                yield self.code_tree
            yield self.transcript
            yield self.details
        yield self.status
        yield Footer()

    def on_mount(self) -> None:
        from .. import side_pane

        width = side_pane.saved_width()  # the person's own side-pane width (`>`/`<`), if they chose one
        if width is not None:
            self.call_after_refresh(side_pane.apply, self, width)
        self.start()
        self.workbench.main_screen_ready()

    # --------------------------------------------------------------- startup
    def start(self) -> None:
        """Fill the panes once composed; open the last document; follow other programs' changes."""
        self._seen_event = self.project.last_event_id()
        self.reload_all()
        rows = self.document_list.rows_by_id
        last = config.last_document(self.path)
        first = last if last in rows else next(iter(rows), None)
        if first is not None:
            self.open_document(first)
        else:
            self.transcript.placeholder = "No documents yet: ctrl+o imports transcripts."
            self.transcript.refresh()
            self.call_after_refresh(self._start_jieba)
        self.transcript.focus()
        self._seen_version = self.project.data_version()
        self.set_interval(self.workbench.outside_changes_poll_s, self.notice_outside_changes)

    def _start_jieba(self) -> None:
        """Load jieba's dictionary (about a second) once, after the first document is painted."""
        if not self._jieba_started:
            self._jieba_started = True
            self._load_jieba()

    @work(thread=True, exclusive=True, exit_on_error=False, group="jieba")
    def _load_jieba(self) -> None:
        from ...text.segment import tokenizer

        tokenizer()
        self.post_message(JiebaReady())

    @on(JiebaReady)
    def _jieba_ready(self) -> None:
        from ...text.segment import word_spans

        self.jieba_ready = True
        if self.workbench.closing:  # the dictionary may finish loading after the panes are gone
            return
        self.transcript.use_words(word_spans)
        self.update_status()

    # ------------------------------------------------------------- reloading
    def notice_outside_changes(self) -> None:
        """Another program (a second TUI, a script) committed: show its codings and codes too."""
        if self.workbench.closing:
            return
        version = self.project.data_version()  # changes only on other connections' commits
        if version == self._seen_version:
            return
        self._seen_version = version
        # served sessions code together live: no note each time another's coding arrives
        if self.catch_up() and self._outside and self.workbench.seat is None:
            self.notify("The project changed elsewhere (another coder or a script); refreshed.", timeout=3)

    def catch_up(self) -> bool:
        """Redraw what the events since the last seen one touched; True if anything was shown.

        Codings are synced one by one; code, document and memo changes reload only their pane;
        an event this view does not know reloads everything. Replaying our own events is
        harmless: each step compares the view with the store.
        """
        events = self.project.events_since(self._seen_event)
        if not events:
            return False
        self._outside = any(event.session != self.project.session for event in events)
        self._seen_event = events[-1].id
        changes = classify(events)
        if changes.everything:
            self.refresh_from_store()
            return True
        if changes.codes:
            self.reload_codes()
        if changes.documents:
            self.reload_documents()
        if changes.coding_ids:
            self.sync_codings(changes.coding_ids)
        if changes.memos or changes.codes or changes.documents:
            self.show_code_details()
            self.show_here(force=True)
            self.show_document_details()
        return True

    def refresh_from_store(self) -> None:
        """Reload every code, document and coding (after an undo, a merge, an unknown change)."""
        self.reload_all()
        self.reload_spans()
        self.show_document_details()

    def reload_all(self) -> None:
        self.coding_index = CodingIndex(self.project.coding_places())
        self.reload_codes()
        self.reload_documents()

    def code_counts(self) -> Counter:
        return self.coding_index.code_counts()

    def reload_codes(self) -> None:
        """The code tree and colours from the store; counts from the codings already known."""
        roots = self.project.code_tree()
        self.codes = {code.id: code for root in roots for _, code in root.walk()}
        self.paths = paths_by_id(self.project)
        self.code_tree.show(roots, self.code_counts())
        if self.current_code_id not in self.codes:
            self.current_code_id = None
        self.transcript.set_colors({cid: code.color for cid, code in self.codes.items()})
        self.transcript.set_names({cid: code.name for cid, code in self.codes.items()})
        self.show_code_details()

    def _document_row(self, row: DocumentSummary | DocumentRow) -> DocumentRow:
        document_id, name, case, chars = row.id, row.name, row.case or "", row.chars
        codings, coded = self.coding_index.coded(document_id)
        attributes = {k: v for k, v in self.attributes.get(document_id, {}).items() if k != "case"}
        return DocumentRow(document_id, name, case, attributes, chars, codings, coded)

    def reload_documents(self) -> None:
        self.attributes = self.project.document_attributes()
        rows = [self._document_row(row) for row in self.project.documents()]
        rows.sort(key=lambda row: (row.name.casefold(), row.name, row.id))  # as a person reads a list
        self.document_list.show(rows, self.document_id)

    def reload_spans(self) -> None:
        if self.document_id is None:
            return
        hidden = {c.id for c in self.project.codings(document_id=self.document_id, coders=self.hidden_coders)
                  } if self.hidden_coders else set()
        self.transcript.set_spans(
            Span(cid, code_id, start, end)
            for cid, (document_id, code_id, start, end) in self.coding_index.items()
            if document_id == self.document_id and cid not in hidden
        )
        self.show_here()

    def sync_codings(self, coding_ids: Iterable[int]) -> None:
        """Bring these codings in line with the store: added, moved to another code, or gone."""
        touched_documents: set[int] = set()
        for coding_id in dict.fromkeys(coding_ids):
            coding = self.project.coding(coding_id)
            changed = self.coding_index.change(
                coding_id, (coding.document_id, coding.code_id, coding.start, coding.end) if coding else None)
            if changed is None:
                continue
            old, new = changed
            if old is not None:
                self.code_tree.change_count(old[1], -1)
                touched_documents.add(old[0])
                if old[0] == self.document_id:
                    self.transcript.remove_span(coding_id)
            if new is not None:
                self.code_tree.change_count(new[1], 1)
                touched_documents.add(new[0])
                if new[0] == self.document_id and coding is not None and coding.coder not in self.hidden_coders:
                    self.transcript.add_span(coding_id, new[1], new[2], new[3])
        for document_id in touched_documents:
            self._refresh_document_row(document_id)
        if touched_documents:
            self.schedule_details(code=True)

    def _refresh_document_row(self, document_id: int | None = None) -> None:
        document_id = self.document_id if document_id is None else document_id
        row = self.document_list.rows_by_id.get(document_id) if document_id is not None else None
        if row is None:
            return
        self.document_list.update_row(self._document_row(row))

    # ------------------------------------------------------------- documents
    def open_document(self, document_id: int, jump: Jump | None = None) -> None:
        """Load a document in a worker; the transcript shows it when it arrives."""
        if document_id == self.document_id and self.transcript.text:
            if jump:
                self._apply_jump(jump)
            return
        self.remember_place()  # where the cursor was in the document being left
        self.transcript.placeholder = "Loading…"
        # the codings index knows the document's codings (but not whose they are: hidden coders ask the store)
        known = None if self.hidden_coders else [
            Span(cid, code_id, start, end)
            for cid, (_, code_id, start, end) in self.coding_index.of_document(document_id)]
        self._load_document(document_id, jump, known)

    @work(thread=True, exclusive=True, exit_on_error=False, group="document")
    def _load_document(self, document_id: int, jump: Jump | None, known: list[Span] | None = None) -> None:
        try:
            name, text, marks, spans = load_document(self.path, document_id, frozenset(self.hidden_coders), known)
        except WorkbenchError as error:
            self.post_message(DocumentFailed(str(error)))
            return
        self.post_message(DocumentLoaded(document_id, name, text, marks, spans, jump))

    @on(DocumentLoaded)
    def _document_loaded(self, message: DocumentLoaded) -> None:
        self.document_id = message.document_id
        # the worker read the text already: the first coding need not read it again
        self.project.remember_document_text(message.document_id, message.text)
        cursor = 0 if message.jump else config.cursor(self.path, message.document_id)
        self.transcript.load(message.document_id, message.name, message.text, message.turns, message.spans,
                             {cid: code.color for cid, code in self.codes.items()}, cursor=cursor)
        self.transcript.border_title = message.name
        if message.jump:
            self._apply_jump(message.jump)
        # the person's own config, never the shared file: other windows see no commit
        self.attempt(lambda: config.remember_place(self.path, message.document_id))
        table = self.document_list
        if str(message.document_id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(message.document_id)), animate=False)
        self.show_document_details()
        self.update_status()
        self.call_after_refresh(self._start_jieba)

    def remember_place(self) -> None:
        """Keep this person's cursor in the open document in their config."""
        if self.document_id is not None and self.transcript.text:
            document_id, cursor = self.document_id, self.transcript.cursor
            self.attempt(lambda: config.remember_place(self.path, document_id, cursor))

    @on(DocumentFailed)
    def _document_failed(self, message: DocumentFailed) -> None:
        self.notify(message.error, severity="error")
        self._start_jieba()

    def _apply_jump(self, jump: Jump) -> None:
        view = self.transcript
        view.set_hits(list(jump.hits))
        view.select(jump.start, jump.end, reveal=False)
        view.reveal()
        view.focus()

    @on(DataTable.RowSelected, "#documents")
    def _document_chosen(self, event: DataTable.RowSelected) -> None:
        self.open_document(int(str(event.row_key.value)))
        self.transcript.focus()

    # ----------------------------------------------------------- code tree
    @on(Tree.NodeHighlighted, "#codes")
    def _code_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data is not None:
            self.current_code_id = event.node.data
            self.show_code_details()
            self.update_status()

    # ----------------------------------------------------------- details
    @on(TranscriptView.Moved)
    def _moved(self, message: TranscriptView.Moved) -> None:
        self.update_status()
        self.schedule_details()

    def schedule_details(self, code: bool = False) -> None:
        """Refresh the details pane and the counts shown once keys pause, so they never slow a key down."""
        self._code_details_due = self._code_details_due or code
        if self._here_timer is not None:
            self._here_timer.stop()
        self._here_timer = self.set_timer(0.12, self._refresh_details)

    def _refresh_details(self) -> None:
        if self.workbench.closing:
            return
        self.code_tree.relabel_changed()
        self.document_list.redraw_changed()
        if self._code_details_due:
            self._code_details_due = False
            self.show_code_details()
        self.show_here()

    def show_code_details(self) -> None:
        details = self.details
        code = self.codes.get(self.current_code_id) if self.current_code_id is not None else None
        if code is None:
            details.show_code(None, "", 0, [])
            return
        memos = [f"{m.text} ({m.coder})" for m in self.project.memos("code", code.stored_id)]
        details.show_code(code, self.paths.get(code.stored_id, code.name), self.code_tree.total(code), memos,
                          own_count=self.code_tree.counts.get(code.stored_id, 0))

    def show_here(self, force: bool = False) -> None:
        """The codings under the cursor in the details pane (redrawn only when they change)."""
        spans = self.transcript.spans_here()[:8]
        key = (self.document_id, tuple(s.coding_id for s in spans), self.transcript.spans.version)
        if key == self._here_key and not force:
            return
        self._here_key = key
        details = self.details
        lines = []
        for span in spans:
            coding = self.project.coding(span.coding_id)
            code = self.codes.get(span.code_id)
            if coding is None or code is None:
                continue
            memos = self.project.memos("coding", coding.id)
            lines.append((code.color, f"{code.name} · {coding.coder} · {coding.end - coding.start} chars",
                          "; ".join(m.text for m in memos)))
        details.show_here(lines)

    def show_document_details(self) -> None:
        details = self.details
        if self.document_id is None:
            details.show_document("", {}, [])
            return
        row = self.document_list.rows_by_id.get(self.document_id)
        memos = [f"{m.text} ({m.coder})" for m in self.project.memos("document", self.document_id)]
        details.show_document(row.name if row else "", self.attributes.get(self.document_id, {}), memos)

    def say(self, message: str, seconds: float = 3.0) -> None:
        """Confirm a routine step in the status line. A toast would re-lay out the whole screen on every
        coding key (a quarter of its time at 2 M characters, issue 24); warnings and errors stay toasts."""
        self._echo = message
        if self._echo_timer is not None:
            self._echo_timer.stop()
        self._echo_timer = self.set_timer(seconds, self._end_echo)
        self.update_status()

    def _end_echo(self) -> None:
        self._echo = self._echo_timer = None
        self.update_status()

    def update_status(self) -> None:
        status = self.status
        if not status.is_attached:  # not composed yet, or already gone
            return
        view = self.transcript
        text = Text()
        if self._echo:
            text.append(f" ✓ {self._echo} ", style="bold reverse")
        if view.text:
            turn = view.turn_at_cursor()
            text.append(f" {view.cursor:,}", style="bold")
            text.append(f"/{len(view.text):,}")
            if turn is not None and turn.speaker:
                text.append(f" · {turn.speaker}")
            selection = view.selection
            if selection:
                text.append(f" · selected {len(selection)}", style="bold")
            if view.marking:
                text.append(" · MARK", style="bold reverse")
        code = self.codes.get(self.current_code_id) if self.current_code_id is not None else None
        if code is not None:
            text.append(" · ")
            text.append("■ ", style=code.color)
            text.append(self.paths.get(code.stored_id, code.name))  # the whole path: the tree may show it cut
        text.append(f" · {self.coder or '?'}", style="italic")
        if not self.jieba_ready:
            text.append(" · loading jieba…", style="dim")
        if text != self._status_text:
            self._status_text = text
            status.update(text, layout=False)

    # ------------------------------------------------------------- choosing
    def code_choices(self, exclude: Iterable[int] = ()) -> list[CodeChoice]:
        skip = set(exclude)
        tree = self.code_tree
        return [
            CodeChoice(cid, self.paths.get(cid, code.name), code.name, code.name_zh, code.color, tree.total(code),
                       tree.counts.get(cid, 0), bool(code.children))
            for cid, code in self.codes.items()
            if cid not in skip
        ]

    def _selection(self):
        selection = self.transcript.selection
        if selection is None:
            self.notify("Select text first: s selects a sentence, t a turn, shift+arrows extend.",
                        title="Nothing selected", severity="warning")
        return selection

    def _with_coding_here(self, purpose: str, then) -> None:
        """Call `then(span)` with the coding under the cursor, asking which one if several."""
        spans = self.transcript.spans_here()
        if not spans:
            self.notify("No coding under the cursor.", severity="warning")
            return
        if len(spans) == 1:
            then(spans[0])
            return
        by_id = {str(s.coding_id): s for s in spans}
        options: list[tuple[str, Text | str]] = []
        for span in spans:
            coding = self.project.coding(span.coding_id)
            code = self.codes.get(span.code_id)
            label = Text()
            label.append("■ ", style=code.color if code else "")
            label.append(f"{code.name if code else span.code_id}")
            label.append(f"  {coding.coder if coding else ''}  ", style="dim")
            snippet = " ".join(self.transcript.text[span.start:span.end].split())
            label.append(snippet[:40] + ("…" if len(snippet) > 40 else ""), style="italic")
            options.append((str(span.coding_id), label))
        self.app.push_screen(Choose(f"Which coding to {purpose}?", options),
                             lambda key: then(by_id[key]) if key else None)

    # --------------------------------------------------------------- coding
    def action_code_selection(self) -> None:
        selection = self._selection()
        if selection is None:
            return
        snippet = " ".join(self.transcript.text[selection.start:selection.end].split())
        snippet = snippet[:30] + ("…" if len(snippet) > 30 else "")
        self.app.push_screen(
            CodePicker(f"Code “{snippet}” with", self.code_choices(), allow_new=True, recent=self.last_code_id),
            lambda result: self._code_picked(result, selection),
        )

    def _code_picked(self, result, selection) -> None:
        if result is None:
            return
        if isinstance(result, str) and result.startswith(NEW):
            name = result[len(NEW):].strip()
            new_code = Code(name=name, name_zh=name if has_han(name) else "",
                            color=PALETTE[len(self.codes) % len(PALETTE)])
            code_id = self.attempt(lambda: self.history.add_code(new_code))
            if code_id is FAILED:
                return
            self.reload_codes()
        else:
            code_id = int(result)
        self.apply_code(code_id, selection.start, selection.end)

    def apply_code(self, code_id: int, start: int, end: int) -> None:
        """Code [start, end) of the open document; the view, counts and details follow."""
        document_id = self.document_id
        if document_id is None:
            return
        coding = self.attempt(lambda: self.history.apply_code(document_id, code_id, start, end))
        if coding is FAILED:
            return
        code = self.codes.get(code_id)
        name = code.name if code else str(code_id)
        self.last_code_id = code_id
        if coding is None:
            self.notify(f"Already coded {name} by {self.coder}.", severity="warning")
            return
        self.sync_codings([coding.id])
        self.current_code_id = code_id
        self.schedule_details(code=True)
        self.update_status()
        self.say(f"{end - start} characters coded {name}")

    def action_apply_last(self) -> None:
        selection = self._selection()
        if selection is None:
            return
        if self.last_code_id is None or self.last_code_id not in self.codes:
            self.action_code_selection()
            return
        self.apply_code(self.last_code_id, selection.start, selection.end)

    def action_apply_tree_code(self) -> None:
        code_id = self.code_tree.current_id
        if code_id is None:
            return
        selection = self._selection()
        if selection is not None:
            self.apply_code(code_id, selection.start, selection.end)

    def action_in_vivo(self) -> None:
        selection = self._selection()
        document_id = self.document_id
        if selection is None or document_id is None:
            return
        result = self.attempt(lambda: self.history.in_vivo(document_id, selection.start, selection.end))
        if result is FAILED:
            return
        code_id, coding = result
        self.reload_codes()  # the new code, counted from the codings known so far
        self.last_code_id = self.current_code_id = code_id
        self.code_tree.select_code(code_id)
        if coding is not None:
            self.sync_codings([coding.id])  # counts it once (it was counted twice before)
        self.say(f"In-vivo code “{self.codes[code_id].name}”")
        self.show_here()
        self.update_status()

    def action_uncode(self) -> None:
        self._with_coding_here("remove", self._remove)

    def _remove(self, span: Span) -> None:
        coding = self.attempt(lambda: self.history.remove_coding(span.coding_id))
        if coding is FAILED:
            return
        self.sync_codings([coding.id])
        self.show_here()
        code = self.codes.get(coding.code_id)
        self.say(f"Removed {code.name if code else 'coding'} (ctrl+z brings it back)")

    def action_recode(self) -> None:
        self._with_coding_here("recode", self._recode_pick)

    def _recode_pick(self, span: Span) -> None:
        code = self.codes.get(span.code_id)
        self.app.push_screen(
            CodePicker(f"Recode {code.name if code else ''} as", self.code_choices(exclude=[span.code_id])),
            lambda result: self._recode(span, result) if isinstance(result, int) else None,
        )

    def _recode(self, span: Span, code_id: int) -> None:
        new = self.attempt(lambda: self.history.recode(span.coding_id, code_id))
        if new is FAILED:
            return
        self.sync_codings([span.coding_id, new.id])
        self.say(f"Recoded as {self.codes[code_id].name}")

    # ---------------------------------------------------------------- memos
    def action_memo(self, target: str) -> None:
        if target == "coding":
            self._with_coding_here("write a memo on", lambda span: self._edit_memo("coding", span.coding_id))
            return
        if target == "code":
            code_id = self.code_tree.current_id or self.current_code_id
            if code_id is None:
                self.notify("Highlight a code in the tree first (3).", severity="warning")
                return
            self._edit_memo("code", code_id)
            return
        document_id = self.document_id
        if self.app.focused is self.document_list and self.document_list.highlighted_id is not None:
            document_id = self.document_list.highlighted_id
        if document_id is not None:
            self._edit_memo("document", document_id)

    def _edit_memo(self, target: str, target_id: int) -> None:
        current = self.history.memo(target, target_id)
        if target == "code":
            about = self.codes[target_id].name
        elif target == "document":
            row = self.document_list.rows_by_id.get(target_id)
            about = row.name if row else str(target_id)
        else:
            coding = self.project.coding(target_id)
            code = self.codes.get(coding.code_id) if coding else None
            about = f"{code.name if code else ''} coding"
        others = [f"{m.coder}: {m.text}" for m in self.project.memos(target, target_id) if m.coder != self.coder]
        self.app.push_screen(
            MemoEditor(f"Memo on {target} {about} ({self.coder})", current.text if current else "",
                       "\n".join(others)),
            lambda text: self._memo_saved(target, target_id, text),
        )

    def _memo_saved(self, target: str, target_id: int, text: str | None) -> None:
        if text is None:
            return
        if self.attempt(lambda: self.history.set_memo(target, target_id, text)) is FAILED:
            return
        self.show_code_details()
        self.show_here(force=True)
        self.show_document_details()
        self.notify("Memo saved." if text.strip() else "Memo deleted.", timeout=2)

    # ------------------------------------------------------------ undo/redo
    def action_undo(self) -> None:
        self._replay(self.history.undo, "Undone", "Nothing to undo.")

    def action_redo(self) -> None:
        self._replay(self.history.redo, "Redone", "Nothing to redo.")

    def _replay(self, step, verb: str, nothing: str) -> None:
        operation = self.attempt(step)
        if operation is FAILED:
            return
        if operation is None:
            self.notify(nothing, timeout=2)
            return
        self.refresh_from_store()
        self.say(f"{verb}: {operation.label}")

    # ------------------------------------------------------ code management
    def _tree_code(self) -> Code | None:
        code_id = self.code_tree.current_id
        if code_id is None or code_id not in self.codes:
            self.notify("Highlight a code in the tree first (3).", severity="warning")
            return None
        return self.codes[code_id]

    def action_new_code(self, top: bool = False) -> None:
        parent = None if top else self.code_tree.current_id
        where = f"under {self.codes[parent].name}" if parent in self.codes else "at the top level"
        values = {"color": PALETTE[len(self.codes) % len(PALETTE)]}
        self.app.push_screen(CodeEditor(f"New code {where}", values),
                             lambda result: self._code_added(result, parent) if result else None)

    def _code_added(self, values: dict, parent: int | None) -> None:
        code_id = self.attempt(lambda: self.history.add_code(Code(**values), parent))
        if code_id is FAILED:
            return
        self.reload_codes()
        self.code_tree.select_code(code_id)
        self.notify(f"Added code {values['name']}.", timeout=2)

    def action_edit_code(self) -> None:
        code = self._tree_code()
        if code is None:
            return
        values = {k: getattr(code, k) for k in ("name", "name_zh", "color", "definition", "include", "exclude",
                                                 "keywords_en", "keywords_zh")}
        self.app.push_screen(CodeEditor(f"Edit code {self.paths.get(code.stored_id, code.name)}", values),
                             lambda result: self._code_edited(code.stored_id, values, result) if result else None)

    def _code_edited(self, code_id: int, before: dict, after: dict) -> None:
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if not changed:
            return
        if self.attempt(lambda: self.history.update_code(code_id, **changed)) is FAILED:
            return
        self.reload_codes()
        self.notify(f"Saved {self.codes[code_id].name}.", timeout=2)

    def action_move_code(self) -> None:
        code = self._tree_code()
        if code is None:
            return
        below = descendants(self.project, code.stored_id)
        self.app.push_screen(
            CodePicker(f"Move {code.name} under", self.code_choices(exclude=below), top_level="(top level)"),
            lambda result: self._code_moved(code.stored_id, result),
        )

    def _code_moved(self, code_id: int, result) -> None:
        if result is None:
            return
        parent = None if result == TOP else int(result)
        if self.attempt(lambda: self.history.move_code(code_id, parent)) is FAILED:
            return
        self.reload_codes()
        self.code_tree.select_code(code_id)
        self.notify(f"Moved {self.codes[code_id].name} to {self.paths[code_id]}.", timeout=2)

    def action_merge_code(self) -> None:
        code = self._tree_code()
        if code is None:
            return
        below = descendants(self.project, code.stored_id)
        self.app.push_screen(
            CodePicker(f"Merge {code.name} into", self.code_choices(exclude=below)),
            lambda result: self._confirm_merge(code, result) if isinstance(result, int) else None,
        )

    def _confirm_merge(self, code: Code, target_id: int) -> None:
        target = self.codes[target_id]
        count = self.code_tree.counts.get(code.stored_id, 0)
        self.app.push_screen(
            Confirm("Merge codes", f"Merge “{code.name}” ({count} codings) into “{target.name}”?\n"
                                   f"Its codings and sub-codes move to {target.name}; then it is gone "
                                   "(ctrl+z undoes).",
                    [("merge", "Merge", "warning"), ("cancel", "Cancel", "default")]),
            lambda answer: self._merge(code.stored_id, target_id) if answer == "merge" else None,
        )

    def _merge(self, source_id: int, target_id: int) -> None:
        moved = self.attempt(lambda: self.history.merge_codes(source_id, target_id))
        if moved is FAILED:
            return
        self.refresh_from_store()
        self.code_tree.select_code(target_id)
        self.notify(f"Merged: {moved} codings moved to {self.codes[target_id].name}.", timeout=3)

    def action_delete_code(self) -> None:
        code = self._tree_code()
        if code is None:
            return
        below = descendants(self.project, code.stored_id)
        count = sum(self.code_tree.counts.get(cid, 0) for cid in below)
        subs = len(below) - 1
        what = f"“{code.name}”" + (f" and its {subs} sub-code{'s' if subs != 1 else ''}" if subs else "")
        if count == 0:
            message = f"Delete {what}? No text is coded with it."
            buttons: list[tuple[str, str, ButtonVariant]] = [("remove", "Delete", "error"),
                                                             ("cancel", "Cancel", "default")]
        else:
            message = (f"Delete {what}? {count} coding{'s' if count != 1 else ''} use it: "
                       "move them to another code, or delete them too. ctrl+z undoes.")
            buttons = []
            if code.parent_id is not None:
                buttons.append(("parent", f"Move to {self.codes[code.parent_id].name}", "primary"))
            buttons += [("other", "Move to…", "default"), ("remove", "Delete codings too", "error"),
                        ("cancel", "Cancel", "default")]
        self.app.push_screen(Confirm("Delete code", message, buttons),
                             lambda answer: self._delete_answer(code, below, answer))

    def _delete_answer(self, code: Code, below: list[int], answer: str | None) -> None:
        if answer in (None, "cancel"):
            return
        if answer == "other":
            self.app.push_screen(
                CodePicker(f"Move the codings of {code.name} to", self.code_choices(exclude=below)),
                lambda result: self._delete(code.stored_id, reassign_to=result) if isinstance(result, int) else None,
            )
            return
        if answer == "parent":
            self._delete(code.stored_id, reassign_to=code.parent_id)
        else:
            self._delete(code.stored_id, remove=True)

    def _delete(self, code_id: int, reassign_to: int | None = None, remove: bool = False) -> None:
        name = self.codes[code_id].name
        deleted = self.attempt(
            lambda: self.history.delete_code(code_id, reassign_to=reassign_to, remove_codings=remove))
        if deleted is FAILED:
            return
        self.refresh_from_store()
        self.notify(f"Deleted {name}.", timeout=3)

    # ------------------------------------------------------------- retrieval
    def action_retrieve(self) -> None:
        code_id = self.current_code_id if self.current_code_id in self.codes else self.code_tree.current_id
        if code_id is None:
            self.notify("Highlight a code in the tree first (3).", severity="warning")
            return
        title = f"■ {self.paths.get(code_id, '')}"
        self.app.push_screen(ResultsScreen(self.path, "retrieve", code_id, title), self._jump)

    def action_search(self) -> None:
        self.app.push_screen(ResultsScreen(self.path, "search", "", "Search"), self._jump)

    def action_query(self) -> None:
        self.app.push_screen(ResultsScreen(self.path, "query", "", "Query"), self._jump)

    def action_agreement(self) -> None:
        from .agreement import AgreementScreen, default_coders

        self.app.push_screen(AgreementScreen(self.path, default_coders(self.project)), self._jump)

    def action_coder_filter(self) -> None:
        from .agreement import CoderFilterScreen

        coders = [(row["name"], row["codings"]) for row in self.project.coder_counts()]
        self.app.push_screen(CoderFilterScreen(coders, self.hidden_coders), self._toggle_coder)

    def _toggle_coder(self, name: str | None) -> None:
        if name is None:
            return
        self.hidden_coders ^= {name}
        self.reload_spans()
        hidden = ", ".join(sorted(self.hidden_coders))
        self.notify(f"Hidden: {hidden}" if hidden else "Every coder's codings are shown.", timeout=3)
    def action_words(self) -> None:
        from .themes import WordsScreen

        self.app.push_screen(WordsScreen(self.path))

    def action_kwic(self) -> None:
        from .themes import KwicScreen

        self.app.push_screen(KwicScreen(self.path), self._jump)

    def action_themes(self) -> None:
        from .themes import ThemesScreen

        self.app.push_screen(ThemesScreen(self.path, self.workbench.acting_coder), self._themes_closed)

    def _themes_closed(self, jump: Jump | None) -> None:
        self.reload_codes()  # a promoted theme is a new code
        self._jump(jump)

    def _jump(self, jump: Jump | None) -> None:
        if jump is None:
            return
        self.open_document(jump.document_id, jump)
        self.transcript.focus()

    # -------------------------------------------------------------- the rest
    def action_focus_pane(self, pane: str) -> None:
        widget = self.query_one(f"#{pane}")
        if pane in ("documents", "codes") and self.has_class("side-details"):
            self.remove_class("side-details")  # one side pane at a time: bring the list back
            self.call_after_refresh(widget.focus)
            return
        widget.focus()

    def action_side_width(self, delta: int) -> None:
        """`>` widens the documents-and-codes pane, `<` narrows it (remembered for next time)."""
        from .. import side_pane

        width = side_pane.change(self, delta)
        self.notify(f"side pane: {width} columns" if width else "side pane: the layout's own width", timeout=2)

    def action_toggle_details(self) -> None:
        """Wide: show or hide the details. Narrow: switch the side pane between lists and details."""
        if self.one_side_pane:
            self.toggle_class("side-details")
            if not self.has_class("side-details") and self.app.focused is None:
                self.transcript.focus()
            elif self.has_class("side-details") and self.app.focused in (self.code_tree, self.document_list):
                self.transcript.focus()
        else:
            self.toggle_class("hide-details")

    def action_suggestions(self, what: str) -> None:
        from ..widgets.suggestions import SuggestionPanel

        SuggestionPanel.act(self, what)

    def action_import_files(self) -> None:
        seat = self.workbench.seat
        start = seat.folder if seat is not None and seat.folder else Path.cwd()
        self.app.push_screen(ImportScreen(self.path, self.workbench.acting_coder, start=start), self._imported)

    def _imported(self, count: int | None) -> None:
        if count:
            self.reload_all()
            self.notify(f"{count} file{'s' if count != 1 else ''} imported.", timeout=3)

