"""Memos from the main screen: on the open or highlighted document, the highlighted code, a coding."""

from __future__ import annotations

from ..session import FAILED
from .choosing import with_coding_here
from .dialogs import MemoEditor
from .host import MainHost


class MemoActions:
    """Writes this coder's memo; the other coders' memos on the same thing are shown beside it."""

    def __init__(self, screen: MainHost) -> None:
        self.screen = screen

    def memo(self, target: str) -> None:
        screen = self.screen
        if target == "coding":
            with_coding_here(screen, "write a memo on", lambda span: self.edit("coding", span.coding_id))
            return
        if target == "code":
            code_id = screen.code_tree.current_id or screen.current_code_id
            if code_id is None:
                screen.notify("Highlight a code in the tree first (3).", severity="warning")
                return
            self.edit("code", code_id)
            return
        document_id = screen.document_id
        if screen.app.focused is screen.document_list and screen.document_list.highlighted_id is not None:
            document_id = screen.document_list.highlighted_id
        if document_id is not None:
            self.edit("document", document_id)

    def edit(self, target: str, target_id: int) -> None:
        screen = self.screen
        current = screen.history.memo(target, target_id)
        if target == "code":
            about = screen.codes[target_id].name
        elif target == "document":
            row = screen.document_list.rows_by_id.get(target_id)
            about = row.name if row else str(target_id)
        else:
            coding = screen.project.coding(target_id)
            code = screen.codes.get(coding.code_id) if coding else None
            about = f"{code.name if code else ''} coding"
        others = [f"{m.coder}: {m.text}" for m in screen.project.memos(target, target_id) if m.coder != screen.coder]
        screen.app.push_screen(
            MemoEditor(f"Memo on {target} {about} ({screen.coder})", current.text if current else "",
                       "\n".join(others)),
            lambda text: self._saved(target, target_id, text),
        )

    def _saved(self, target: str, target_id: int, text: str | None) -> None:
        screen = self.screen
        if text is None:
            return
        if screen.attempt(lambda: screen.history.set_memo(target, target_id, text)) is FAILED:
            return
        screen.show_code_details()
        screen.show_here(force=True)
        screen.show_document_details()
        screen.notify("Memo saved." if text.strip() else "Memo deleted.", timeout=2)
