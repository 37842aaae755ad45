"""Small modal screens: pick a code, pick one of several, confirm, edit a code, write a memo,
choose the coder, and the help screen. Each returns its answer through `dismiss`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.button import ButtonVariant
from textual.widgets.option_list import Option

from ..actions import ACTIONS, SCOPES, key_text

NEW = "new:"
TOP = "top"


@dataclass(frozen=True)
class CodeChoice:
    id: int
    path: str
    name: str
    name_zh: str
    color: str
    count: int = 0  # codings of the code and its sub-codes
    own: int = 0  # codings of the code itself
    has_children: bool = False

    @property
    def counts_text(self) -> str:
        """Both counts, labelled: the tree shows the code's own, retrieval takes in sub-codes."""
        if self.has_children:
            return f"{self.own} own · {self.count} with sub-codes"
        return f"{self.own} coding{'s' if self.own != 1 else ''}"

    @property
    def haystack(self) -> str:
        return f"{self.name} {self.name_zh} {self.path}"


class CodePicker(ModalScreen):
    """Find a code by fuzzy search on its English or Chinese name or its path."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(8)", show=False),
        Binding("pageup", "move(-8)", show=False),
    ]

    def __init__(self, title: str, choices: list[CodeChoice], *, allow_new: bool = False,
                 top_level: str | None = None, recent: int | None = None):
        super().__init__()
        self.title_text, self.choices, self.allow_new, self.top_level = title, choices, allow_new, top_level
        self.recent = recent
        self.shown_query: str | None = None  # the query the options list shows (tests wait for it)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(placeholder="type to search: trust, 信任, serv/hukou …", id="picker-input")
            yield OptionList(id="picker-options")
            yield Static("↑↓ choose · Enter take · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self._fill("")

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        query = query.strip()
        options.clear_options()
        found: list[Option] = []
        if not query:
            if self.top_level:
                found.append(Option(Text(self.top_level, style="italic"), id=TOP))
            ranked = self.choices
        else:
            matcher = Matcher(query, case_sensitive=False)
            scored = [(matcher.match(c.haystack), i, c) for i, c in enumerate(self.choices)]
            ranked = [c for score, _, c in sorted(scored, key=lambda t: (-t[0], t[1])) if score > 0]
        for choice in ranked:
            prompt = Text()
            prompt.append("■ ", style=choice.color)
            prompt.append(choice.path)
            if choice.name_zh:
                prompt.append(f"  {choice.name_zh}", style="dim")
            prompt.append(f"  {choice.counts_text}", style="dim italic")
            found.append(Option(prompt, id=str(choice.id)))
        exact = any(c.name.casefold() == query.casefold() or c.name_zh == query for c in self.choices)
        if self.allow_new and query and not exact and "/" not in query:
            found.append(Option(Text(f"+ new code “{query}”", style="bold"), id=NEW + query))
        options.add_options(found)
        if found:
            index = 0
            if not query and self.recent is not None and str(self.recent) in {o.id for o in found}:
                index = next(i for i, o in enumerate(found) if o.id == str(self.recent))
            options.highlighted = index
        self.shown_query = query

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None and options.option_count:
            self._take(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._take(event.option.id)

    def _take(self, option_id: str | None) -> None:
        if option_id is None:
            return
        if option_id == TOP or option_id.startswith(NEW):
            self.dismiss(option_id)
        else:
            self.dismiss(int(option_id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choose(ModalScreen):
    """Pick one of a few things (e.g. which coding under the cursor)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: list[tuple[str, Text | str]]):
        super().__init__()
        self.title_text, self.options = title, options

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="choose"):
            yield Label(self.title_text, id="dialog-title")
            yield OptionList(*[Option(prompt, id=key) for key, prompt in self.options], id="choose-options")
            yield Static("↑↓ choose · Enter take · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen):
    """A question with a few buttons; returns the id of the button pressed (None on Esc)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("left", "app.focus_previous", show=False),
                Binding("right", "app.focus_next", show=False)]

    def __init__(self, title: str, message: str, buttons: list[tuple[str, str, ButtonVariant]]):
        super().__init__()
        self.title_text, self.message, self.buttons = title, message, buttons

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(self.message, id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                for key, label, variant in self.buttons:
                    yield Button(label, id=key, variant=variant)

    def on_mount(self) -> None:
        self.query(Button).last().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CodeEditor(ModalScreen):
    """Name, Chinese name, colour, definition, criteria and keywords of a code."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]
    COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

    def __init__(self, title: str, values: dict):
        super().__init__()
        self.title_text, self.values = title, values

    def compose(self) -> ComposeResult:
        v = self.values
        with Vertical(id="dialog", classes="editor"):
            yield Label(self.title_text, id="dialog-title")
            with VerticalScroll(id="editor-fields"):
                yield Label("Name")
                yield Input(v.get("name", ""), id="name")
                yield Label("Chinese name 中文名")
                yield Input(v.get("name_zh", ""), id="name_zh")
                yield Label("Colour (#rrggbb)")
                yield Input(v.get("color", "#888888"), id="color")
                yield Label("Definition")
                yield TextArea(v.get("definition", ""), id="definition", soft_wrap=True, classes="short")
                yield Label("Include when")
                yield TextArea(v.get("include", ""), id="include", soft_wrap=True, classes="short")
                yield Label("Exclude when")
                yield TextArea(v.get("exclude", ""), id="exclude", soft_wrap=True, classes="short")
                yield Label("Keywords, English (comma-separated)")
                yield Input(", ".join(v.get("keywords_en", [])), id="keywords_en")
                yield Label("Keywords, Chinese (、or comma)")
                yield Input("、".join(v.get("keywords_zh", [])), id="keywords_zh")
            yield Static("ctrl+s save · Esc cancel · Tab next field", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def action_save(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        color = self.query_one("#color", Input).value.strip()
        if not name:
            self.notify("A code needs a name.", severity="error")
            return
        if not self.COLOR.match(color):
            self.notify(f"Colour {color!r}: write it as #rrggbb, e.g. #1f77b4.", severity="error")
            return
        split = lambda value: [w.strip() for w in re.split(r"[,，、;；]", value) if w.strip()]  # noqa: E731
        self.dismiss({
            "name": name,
            "name_zh": self.query_one("#name_zh", Input).value.strip(),
            "color": color,
            "definition": self.query_one("#definition", TextArea).text.strip(),
            "include": self.query_one("#include", TextArea).text.strip(),
            "exclude": self.query_one("#exclude", TextArea).text.strip(),
            "keywords_en": split(self.query_one("#keywords_en", Input).value),
            "keywords_zh": split(self.query_one("#keywords_zh", Input).value),
        })

    @on(Input.Submitted)
    def _submit(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoEditor(ModalScreen):
    """A memo on a document, code or coding; saving it empty deletes it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, title: str, text: str, context: str = ""):
        super().__init__()
        self.title_text, self.text, self.context = title, text, context

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="memo"):
            yield Label(self.title_text, id="dialog-title")
            if self.context:
                yield Static(self.context, id="memo-context")
            yield TextArea(self.text, id="memo-text", soft_wrap=True)
            yield Static("ctrl+s save (empty deletes) · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CoderPrompt(ModalScreen):
    """Who is coding: asked once per project, then remembered."""

    BINDINGS = [Binding("escape", "keep", "Keep suggestion"), Binding("down", "pick", show=False)]

    def __init__(self, suggestion: str, known: list[str]):
        super().__init__()
        self.suggestion, self.known = suggestion, known

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="coder"):
            yield Label("Who is coding?", id="dialog-title")
            yield Static("Every coding records its coder. The name is remembered for this project.",
                         classes="hint")
            yield Input(self.suggestion, id="coder-input", placeholder="your name or initials")
            if self.known:
                yield Static("Coders in this project (↓ to pick):", classes="hint")
                yield OptionList(*[Option(name, id=name) for name in self.known], id="coder-known")

    def on_mount(self) -> None:
        self.query_one("#coder-input", Input).focus()

    @on(Input.Submitted, "#coder-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    @on(OptionList.OptionSelected, "#coder-known")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_keep(self) -> None:
        self.dismiss(self.query_one("#coder-input", Input).value.strip() or self.suggestion)

    def action_pick(self) -> None:
        if self.known and isinstance(self.focused, Input):
            known = self.query_one("#coder-known", OptionList)
            known.focus()
            known.highlighted = 0


class HelpScreen(ModalScreen):
    """Every action with its keys, generated from the action registry, one table per place."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Label("Keys — every action is also in the command palette (ctrl+p)", id="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_tables(), id="help-text")
            yield Static("↑↓ PgUp PgDn scroll · Esc close", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


def help_rows() -> list[tuple[str, str, str]]:
    """(place, keys, what it does) for every action, extensions folded into their motion."""
    rows = []
    for scope, title in SCOPES.items():
        for action in ACTIONS:
            if action.scope == scope and not action.id.endswith("-extend"):
                keys = key_text(action)
                extend = next((a for a in ACTIONS if a.id == action.id + "-extend"), None)
                if extend:
                    keys += f"; {key_text(extend)} extends"
                rows.append((title, keys, action.help))
    rows.append((SCOPES["main"], "ctrl+p", "Command palette: every action by name."))
    return rows


def help_tables():
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text as RichText

    tables = []
    for title in SCOPES.values():
        table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                      box=None, expand=True, padding=(0, 1))
        table.add_column("keys", style="bold", ratio=2)
        table.add_column("action", ratio=5)
        for place, keys, what in help_rows():
            if place == title:
                table.add_row(keys, what)
        tables += [table, RichText("")]
    return Group(*tables)
