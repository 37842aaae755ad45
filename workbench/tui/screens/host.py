"""What the main screen's helpers (coding, memos, code management, the details) use of it.

A protocol, so the helpers need not import the screen that imports them: `MainScreen` matches it,
and mypy checks that where the screen hands itself to a helper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ...history import History
from ...model import Code
from ...store import Project
from ..session import Failed, T
from ..widgets.panes import CodeTree, DetailPane, DocumentList, StatusLine
from ..widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel
    from textual.timer import Timer, TimerCallback

    from ..app import WorkbenchApp
    from .dialogs import CodeChoice
    from .results import Jump


class MainHost(Protocol):
    """The main screen as its helpers see it: its state, its panes and the steps they share."""

    workbench: WorkbenchApp
    document_id: int | None
    current_code_id: int | None
    last_code_id: int | None
    codes: dict[int, Code]
    paths: dict[int, str]
    attributes: dict[int, dict[str, str]]
    hidden_coders: set[str]
    jieba_ready: bool
    document_list: DocumentList
    code_tree: CodeTree
    transcript: TranscriptView
    details: DetailPane
    status: StatusLine

    @property
    def app(self) -> App[object]: ...
    @property
    def project(self) -> Project: ...
    @property
    def path(self) -> Path: ...
    @property
    def history(self) -> History: ...
    @property
    def coder(self) -> str: ...

    def attempt(self, change: Callable[[], T]) -> T | Failed: ...
    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...
    def set_timer(self, delay: float, callback: TimerCallback | None = None, *, name: str | None = None,
                  pause: bool = False) -> Timer: ...

    # steps the screen owns (documents, reloading) or hands on to a helper (details, choosing)
    def open_document(self, document_id: int, jump: Jump | None = None) -> None: ...
    def reload_spans(self) -> None: ...
    def reload_codes(self) -> None: ...
    def refresh_from_store(self) -> None: ...
    def sync_codings(self, coding_ids: Iterable[int]) -> None: ...
    def code_choices(self, exclude: Iterable[int] = ()) -> list[CodeChoice]: ...
    def schedule_details(self, code: bool = False) -> None: ...
    def show_code_details(self) -> None: ...
    def show_here(self, force: bool = False) -> None: ...
    def show_document_details(self) -> None: ...
    def update_status(self) -> None: ...
    def say(self, message: str, seconds: float = 3.0) -> None: ...
