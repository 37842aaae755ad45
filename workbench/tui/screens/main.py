"""The main screen: documents and codes on the left, the transcript, the details; and every action
on them.

The screen owns what its panes show (the open document, the code tree, the codings index) and
keeps it in line with the project: thread workers (document loading, jieba) open their own
connection and only post messages; every change goes through the app's `History`, so it can be
undone. The app holds the project, the coder and the screens (as posting keeps its App thin).

Loading and reloading stay here; each other job has a module of its own (details, choosing, coding,
memos, code_management, retrieval) that holds the screen. The screen's actions are one-line hand-ons,
because Textual looks actions and bindings up on the screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Tree

from ...codebook.ops import paths_by_id
from ...history import History, Operation
from ...model import Code, DocumentSummary, WorkbenchError
from ...store import Project
from .. import config
from ..actions import bindings
from ..layout import Span, TurnMark, turn_marks
from ..session import FAILED, CodingIndex, Failed, T, classify
from ..widgets.panes import CodeTree, DetailPane, DocumentList, DocumentRow, StatusLine
from ..widgets.transcript import TranscriptView
from . import choosing
from .code_management import CodeManagement
from .coding import CodingActions
from .details import DetailsKeeper
from .dialogs import CodeChoice
from .importer import ImportScreen
from .memos import MemoActions
from .results import Jump
from .retrieval import RetrievalActions

if TYPE_CHECKING:
    from ..app import WorkbenchApp


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
        # the panes, made once here: every key asks for some of them
        self.document_list = DocumentList(id="documents")
        self.code_tree = CodeTree(id="codes")
        self.transcript = TranscriptView(id="transcript")
        self.details = DetailPane(id="details")
        self.status = StatusLine(id="status")
        # each job in a module of its own; the actions below hand on to them (Textual looks actions up here)
        self._upkeep = DetailsKeeper(self)
        self._coding = CodingActions(self)
        self._memos = MemoActions(self)
        self._codebook = CodeManagement(self)
        self._retrieval = RetrievalActions(self)

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

    # -------------------------------------------------- details (details.py)
    @on(TranscriptView.Moved)
    def _moved(self, message: TranscriptView.Moved) -> None:
        self.update_status()
        self.schedule_details()

    def schedule_details(self, code: bool = False) -> None:
        self._upkeep.schedule(code)

    def _refresh_details(self) -> None:
        self._upkeep.refresh()

    def show_code_details(self) -> None:
        self._upkeep.show_code()

    def show_here(self, force: bool = False) -> None:
        self._upkeep.show_here(force)

    def show_document_details(self) -> None:
        self._upkeep.show_document()

    def say(self, message: str, seconds: float = 3.0) -> None:
        self._upkeep.say(message, seconds)

    def update_status(self) -> None:
        self._upkeep.update_status()

    # ------------------------------------------------ choosing (choosing.py)
    def code_choices(self, exclude: Iterable[int] = ()) -> list[CodeChoice]:
        return choosing.code_choices(self, exclude)

    # ---------------------------------------------------- coding (coding.py)
    def action_code_selection(self) -> None:
        self._coding.code_selection()

    def apply_code(self, code_id: int, start: int, end: int) -> None:
        self._coding.apply_code(code_id, start, end)

    def action_apply_last(self) -> None:
        self._coding.apply_last()

    def action_apply_tree_code(self) -> None:
        self._coding.apply_tree_code()

    def action_in_vivo(self) -> None:
        self._coding.in_vivo()

    def action_uncode(self) -> None:
        self._coding.uncode()

    def action_recode(self) -> None:
        self._coding.recode()

    # ------------------------------------------------------ memos (memos.py)
    def action_memo(self, target: str) -> None:
        self._memos.memo(target)

    # ------------------------------------------------------------ undo/redo
    def action_undo(self) -> None:
        self._replay(self.history.undo, "Undone", "Nothing to undo.")

    def action_redo(self) -> None:
        self._replay(self.history.redo, "Redone", "Nothing to redo.")

    def _replay(self, step: Callable[[], Operation | None], verb: str, nothing: str) -> None:
        operation = self.attempt(step)
        if operation is FAILED:
            return
        if operation is None:
            self.notify(nothing, timeout=2)
            return
        self.refresh_from_store()
        self.say(f"{verb}: {operation.label}")

    # ---------------------------------- code management (code_management.py)
    def action_new_code(self, top: bool = False) -> None:
        self._codebook.new_code(top)

    def action_edit_code(self) -> None:
        self._codebook.edit_code()

    def action_move_code(self) -> None:
        self._codebook.move_code()

    def action_merge_code(self) -> None:
        self._codebook.merge_code()

    def action_delete_code(self) -> None:
        self._codebook.delete_code()

    # ---------------------------------------------- retrieval (retrieval.py)
    def action_retrieve(self) -> None:
        self._retrieval.retrieve()

    def action_search(self) -> None:
        self._retrieval.search()

    def action_query(self) -> None:
        self._retrieval.query()

    def action_agreement(self) -> None:
        self._retrieval.agreement()

    def action_coder_filter(self) -> None:
        self._retrieval.coder_filter()

    def action_words(self) -> None:
        self._retrieval.words()

    def action_kwic(self) -> None:
        self._retrieval.kwic()

    def action_themes(self) -> None:
        self._retrieval.themes()

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

