"""Managing codes from the code tree: new, edit, move, merge and delete, each confirmed in a dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...codebook.ops import descendants
from ...model import Code
from ..session import FAILED
from .dialogs import TOP, CodeEditor, CodePicker, Confirm
from .host import MainHost

if TYPE_CHECKING:
    from textual.widgets.button import ButtonVariant

PALETTE = ("#e15759", "#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


class CodeManagement:
    """The code tree's keys that change the codebook; every change can be undone."""

    def __init__(self, screen: MainHost) -> None:
        self.screen = screen

    def _tree_code(self) -> Code | None:
        screen = self.screen
        code_id = screen.code_tree.current_id
        if code_id is None or code_id not in screen.codes:
            screen.notify("Highlight a code in the tree first (3).", severity="warning")
            return None
        return screen.codes[code_id]

    def new_code(self, top: bool = False) -> None:
        screen = self.screen
        parent = None if top else screen.code_tree.current_id
        where = f"under {screen.codes[parent].name}" if parent in screen.codes else "at the top level"
        values = {"color": PALETTE[len(screen.codes) % len(PALETTE)]}
        screen.app.push_screen(CodeEditor(f"New code {where}", values),
                               lambda result: self._code_added(result, parent) if result else None)

    def _code_added(self, values: dict, parent: int | None) -> None:
        screen = self.screen
        code_id = screen.attempt(lambda: screen.history.add_code(Code(**values), parent))
        if code_id is FAILED:
            return
        screen.reload_codes()
        screen.code_tree.select_code(code_id)
        screen.notify(f"Added code {values['name']}.", timeout=2)

    def edit_code(self) -> None:
        screen = self.screen
        code = self._tree_code()
        if code is None:
            return
        values = {k: getattr(code, k) for k in ("name", "name_zh", "color", "definition", "include", "exclude",
                                                 "keywords_en", "keywords_zh")}
        screen.app.push_screen(
            CodeEditor(f"Edit code {screen.paths.get(code.stored_id, code.name)}", values),
            lambda result: self._code_edited(code.stored_id, values, result) if result else None)

    def _code_edited(self, code_id: int, before: dict, after: dict) -> None:
        screen = self.screen
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if not changed:
            return
        if screen.attempt(lambda: screen.history.update_code(code_id, **changed)) is FAILED:
            return
        screen.reload_codes()
        screen.notify(f"Saved {screen.codes[code_id].name}.", timeout=2)

    def move_code(self) -> None:
        screen = self.screen
        code = self._tree_code()
        if code is None:
            return
        below = descendants(screen.project, code.stored_id)
        screen.app.push_screen(
            CodePicker(f"Move {code.name} under", screen.code_choices(exclude=below), top_level="(top level)"),
            lambda result: self._code_moved(code.stored_id, result),
        )

    def _code_moved(self, code_id: int, result: int | str | None) -> None:
        screen = self.screen
        if result is None:
            return
        parent = None if result == TOP else int(result)
        if screen.attempt(lambda: screen.history.move_code(code_id, parent)) is FAILED:
            return
        screen.reload_codes()
        screen.code_tree.select_code(code_id)
        screen.notify(f"Moved {screen.codes[code_id].name} to {screen.paths[code_id]}.", timeout=2)

    def merge_code(self) -> None:
        screen = self.screen
        code = self._tree_code()
        if code is None:
            return
        below = descendants(screen.project, code.stored_id)
        screen.app.push_screen(
            CodePicker(f"Merge {code.name} into", screen.code_choices(exclude=below)),
            lambda result: self._confirm_merge(code, result) if isinstance(result, int) else None,
        )

    def _confirm_merge(self, code: Code, target_id: int) -> None:
        screen = self.screen
        target = screen.codes[target_id]
        count = screen.code_tree.counts.get(code.stored_id, 0)
        screen.app.push_screen(
            Confirm("Merge codes", f"Merge “{code.name}” ({count} codings) into “{target.name}”?\n"
                                   f"Its codings and sub-codes move to {target.name}; then it is gone "
                                   "(ctrl+z undoes).",
                    [("merge", "Merge", "warning"), ("cancel", "Cancel", "default")]),
            lambda answer: self._merge(code.stored_id, target_id) if answer == "merge" else None,
        )

    def _merge(self, source_id: int, target_id: int) -> None:
        screen = self.screen
        moved = screen.attempt(lambda: screen.history.merge_codes(source_id, target_id))
        if moved is FAILED:
            return
        screen.refresh_from_store()
        screen.code_tree.select_code(target_id)
        screen.notify(f"Merged: {moved} codings moved to {screen.codes[target_id].name}.", timeout=3)

    def delete_code(self) -> None:
        screen = self.screen
        code = self._tree_code()
        if code is None:
            return
        below = descendants(screen.project, code.stored_id)
        count = sum(screen.code_tree.counts.get(cid, 0) for cid in below)
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
                buttons.append(("parent", f"Move to {screen.codes[code.parent_id].name}", "primary"))
            buttons += [("other", "Move to…", "default"), ("remove", "Delete codings too", "error"),
                        ("cancel", "Cancel", "default")]
        screen.app.push_screen(Confirm("Delete code", message, buttons),
                               lambda answer: self._delete_answer(code, below, answer))

    def _delete_answer(self, code: Code, below: list[int], answer: str | None) -> None:
        if answer in (None, "cancel"):
            return
        if answer == "other":
            self.screen.app.push_screen(
                CodePicker(f"Move the codings of {code.name} to", self.screen.code_choices(exclude=below)),
                lambda result: self._delete(code.stored_id, reassign_to=result) if isinstance(result, int) else None,
            )
            return
        if answer == "parent":
            self._delete(code.stored_id, reassign_to=code.parent_id)
        else:
            self._delete(code.stored_id, remove=True)

    def _delete(self, code_id: int, reassign_to: int | None = None, remove: bool = False) -> None:
        screen = self.screen
        name = screen.codes[code_id].name
        deleted = screen.attempt(
            lambda: screen.history.delete_code(code_id, reassign_to=reassign_to, remove_codings=remove))
        if deleted is FAILED:
            return
        screen.refresh_from_store()
        screen.notify(f"Deleted {name}.", timeout=3)
