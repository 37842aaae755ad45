"""Promoting a theme from the TUI: the new code's name (the theme's label offered, editable), then its parent.

Issue 22: `p` made a code named `不错 · 屏幕 · 配置` (with 不错 as its Chinese name) without asking.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class PromoteName(ModalScreen):
    """The name of the code a theme becomes; returns it (stripped), or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, label: str, size: int):
        super().__init__()
        self.label, self.passages = label, size

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label(f"New code from the theme ({self.passages} passages become suggestions, nothing is coded)",
                        id="dialog-title")
            yield Input(value=self.label.replace("/", "·"), placeholder="the code's name", id="promote-name")
            yield Static("Enter: next, choose where it goes · Esc cancel", classes="hint")

    @on(Input.Submitted, "#promote-name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name or "/" in name:
            self.notify("A code's name is not empty and has no '/'.", severity="warning")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
