"""The details pane and the status line of the main screen, kept in line with the cursor and the codes."""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer

from .host import MainHost


class DetailsKeeper:
    """Redraws the details pane and the status line; each only when what it shows changed."""

    def __init__(self, screen: MainHost) -> None:
        self.screen = screen
        self._here_key: tuple = ()
        self._here_timer: Timer | None = None
        self._code_details_due = False
        self._status_text = Text()
        self._echo: str | None = None  # a routine confirmation shown in the status line for a moment
        self._echo_timer: Timer | None = None

    def schedule(self, code: bool = False) -> None:
        """Refresh the details pane and the counts shown once keys pause, so they never slow a key down."""
        self._code_details_due = self._code_details_due or code
        if self._here_timer is not None:
            self._here_timer.stop()
        self._here_timer = self.screen.set_timer(0.12, self.refresh)

    def refresh(self) -> None:
        screen = self.screen
        if screen.workbench.closing:
            return
        screen.code_tree.relabel_changed()
        screen.document_list.redraw_changed()
        if self._code_details_due:
            self._code_details_due = False
            self.show_code()
        self.show_here()

    def show_code(self) -> None:
        screen = self.screen
        code = screen.codes.get(screen.current_code_id) if screen.current_code_id is not None else None
        if code is None:
            screen.details.show_code(None, "", 0, [])
            return
        memos = [f"{m.text} ({m.coder})" for m in screen.project.memos("code", code.stored_id)]
        screen.details.show_code(code, screen.paths.get(code.stored_id, code.name), screen.code_tree.total(code),
                                 memos, own_count=screen.code_tree.counts.get(code.stored_id, 0))

    def show_here(self, force: bool = False) -> None:
        """The codings under the cursor in the details pane (redrawn only when they change)."""
        screen = self.screen
        spans = screen.transcript.spans_here()[:8]
        key = (screen.document_id, tuple(s.coding_id for s in spans), screen.transcript.spans.version)
        if key == self._here_key and not force:
            return
        self._here_key = key
        lines = []
        for span in spans:
            coding = screen.project.coding(span.coding_id)
            code = screen.codes.get(span.code_id)
            if coding is None or code is None:
                continue
            memos = screen.project.memos("coding", coding.id)
            lines.append((code.color, f"{code.name} · {coding.coder} · {coding.end - coding.start} chars",
                          "; ".join(m.text for m in memos)))
        screen.details.show_here(lines)

    def show_document(self) -> None:
        screen = self.screen
        if screen.document_id is None:
            screen.details.show_document("", {}, [])
            return
        row = screen.document_list.rows_by_id.get(screen.document_id)
        memos = [f"{m.text} ({m.coder})" for m in screen.project.memos("document", screen.document_id)]
        screen.details.show_document(row.name if row else "", screen.attributes.get(screen.document_id, {}), memos)

    def say(self, message: str, seconds: float = 3.0) -> None:
        """Confirm a routine step in the status line. A toast would re-lay out the whole screen on every
        coding key (a quarter of its time at 2 M characters, issue 24); warnings and errors stay toasts."""
        self._echo = message
        if self._echo_timer is not None:
            self._echo_timer.stop()
        self._echo_timer = self.screen.set_timer(seconds, self._end_echo)
        self.update_status()

    def _end_echo(self) -> None:
        self._echo = self._echo_timer = None
        self.update_status()

    def update_status(self) -> None:
        screen = self.screen
        status = screen.status
        if not status.is_attached:  # not composed yet, or already gone
            return
        view = screen.transcript
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
        code = screen.codes.get(screen.current_code_id) if screen.current_code_id is not None else None
        if code is not None:
            text.append(" · ")
            text.append("■ ", style=code.color)
            text.append(screen.paths.get(code.stored_id, code.name))  # the whole path: the tree may show it cut
        text.append(f" · {screen.coder or '?'}", style="italic")
        if not screen.jieba_ready:
            text.append(" · loading jieba…", style="dim")
        if text != self._status_text:
            self._status_text = text
            status.update(text, layout=False)
