"""Coding on the main screen: apply a code to the selection, again, in-vivo; remove or recode a coding."""

from __future__ import annotations

from ...model import Code
from ...text.segment import has_han
from ..layout import Span
from ..session import FAILED
from ..widgets.transcript import Selection
from .choosing import selection, with_coding_here
from .code_management import PALETTE
from .dialogs import NEW, CodePicker
from .host import MainHost


class CodingActions:
    """The transcript's coding keys; every change goes through the app's history, so it can be undone."""

    def __init__(self, screen: MainHost) -> None:
        self.screen = screen

    def code_selection(self) -> None:
        screen = self.screen
        chosen = selection(screen)
        if chosen is None:
            return
        snippet = " ".join(screen.transcript.text[chosen.start:chosen.end].split())
        snippet = snippet[:30] + ("…" if len(snippet) > 30 else "")
        screen.app.push_screen(
            CodePicker(f"Code “{snippet}” with", screen.code_choices(), allow_new=True, recent=screen.last_code_id),
            lambda result: self._code_picked(result, chosen),
        )

    def _code_picked(self, result: int | str | None, chosen: Selection) -> None:
        screen = self.screen
        if result is None:
            return
        if isinstance(result, str) and result.startswith(NEW):
            name = result[len(NEW):].strip()
            new_code = Code(name=name, name_zh=name if has_han(name) else "",
                            color=PALETTE[len(screen.codes) % len(PALETTE)])
            code_id = screen.attempt(lambda: screen.history.add_code(new_code))
            if code_id is FAILED:
                return
            screen.reload_codes()
        else:
            code_id = int(result)
        self.apply_code(code_id, chosen.start, chosen.end)

    def apply_code(self, code_id: int, start: int, end: int) -> None:
        """Code [start, end) of the open document; the view, counts and details follow."""
        screen = self.screen
        document_id = screen.document_id
        if document_id is None:
            return
        coding = screen.attempt(lambda: screen.history.apply_code(document_id, code_id, start, end))
        if coding is FAILED:
            return
        code = screen.codes.get(code_id)
        name = code.name if code else str(code_id)
        screen.last_code_id = code_id
        if coding is None:
            screen.notify(f"Already coded {name} by {screen.coder}.", severity="warning")
            return
        screen.sync_codings([coding.id])
        screen.current_code_id = code_id
        screen.schedule_details(code=True)
        screen.update_status()
        screen.say(f"{end - start} characters coded {name}")

    def apply_last(self) -> None:
        screen = self.screen
        chosen = selection(screen)
        if chosen is None:
            return
        if screen.last_code_id is None or screen.last_code_id not in screen.codes:
            self.code_selection()
            return
        self.apply_code(screen.last_code_id, chosen.start, chosen.end)

    def apply_tree_code(self) -> None:
        screen = self.screen
        code_id = screen.code_tree.current_id
        if code_id is None:
            return
        chosen = selection(screen)
        if chosen is not None:
            self.apply_code(code_id, chosen.start, chosen.end)

    def in_vivo(self) -> None:
        screen = self.screen
        chosen = selection(screen)
        document_id = screen.document_id
        if chosen is None or document_id is None:
            return
        result = screen.attempt(lambda: screen.history.in_vivo(document_id, chosen.start, chosen.end))
        if result is FAILED:
            return
        code_id, coding = result
        screen.reload_codes()  # the new code, counted from the codings known so far
        screen.last_code_id = screen.current_code_id = code_id
        screen.code_tree.select_code(code_id)
        if coding is not None:
            screen.sync_codings([coding.id])  # counts it once (it was counted twice before)
        screen.say(f"In-vivo code “{screen.codes[code_id].name}”")
        screen.show_here()
        screen.update_status()

    def uncode(self) -> None:
        with_coding_here(self.screen, "remove", self._remove)

    def _remove(self, span: Span) -> None:
        screen = self.screen
        coding = screen.attempt(lambda: screen.history.remove_coding(span.coding_id))
        if coding is FAILED:
            return
        screen.sync_codings([coding.id])
        screen.show_here()
        code = screen.codes.get(coding.code_id)
        screen.say(f"Removed {code.name if code else 'coding'} (ctrl+z brings it back)")

    def recode(self) -> None:
        with_coding_here(self.screen, "recode", self._recode_pick)

    def _recode_pick(self, span: Span) -> None:
        screen = self.screen
        code = screen.codes.get(span.code_id)
        screen.app.push_screen(
            CodePicker(f"Recode {code.name if code else ''} as", screen.code_choices(exclude=[span.code_id])),
            lambda result: self._recode(span, result) if isinstance(result, int) else None,
        )

    def _recode(self, span: Span, code_id: int) -> None:
        screen = self.screen
        new = screen.attempt(lambda: screen.history.recode(span.coding_id, code_id))
        if new is FAILED:
            return
        screen.sync_codings([span.coding_id, new.id])
        screen.say(f"Recoded as {screen.codes[code_id].name}")
