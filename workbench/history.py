"""Undo and redo: each change the workbench makes, kept as an operation that can be reversed.

Pure domain code (no Textual): the TUI calls `History` instead of the core functions so that
every coding, code edit and memo can be taken back and done again, by the coder who did it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import coding as coding_ops
from .codebook import ops as code_ops
from .model import Code, Coding, Memo, WorkbenchError
from .store import Project
from .store.events import Action
from .text.segment import has_han

MAX_IN_VIVO_NAME = 60


@dataclass
class Operation:
    """One reversible change: `undo` and `redo` replay it against a project."""

    label: str
    undo: Callable[[Project, str], object]  # what they return is not used
    redo: Callable[[Project, str], object]
    documents: frozenset[int] = frozenset()
    codes_changed: bool = False
    memos_changed: bool = False
    steps: list[Operation] = field(default_factory=list)


def _coding_op(label: str, removed: list[Coding], added: list[Coding],
               memos: dict[str, list[Memo]] | None = None) -> Operation:
    """Replace `removed` codings by `added` ones (either may be empty); ids and guids survive
    undo/redo, and a coding's memos leave and come back with it."""
    notes: dict[str, list[Memo]] = dict(memos or {})  # coding guid -> its memos while it is out

    def swap(project: Project, coder: str, out: list[Coding], back: list[Coding]) -> None:
        with project.transaction():
            for item in out:
                current = project.id_of("coding", item.guid) if item.guid else item.id
                if current is None:
                    raise WorkbenchError(f"the coding {item.start}–{item.end} is no longer there (removed elsewhere)")
                _, notes[item.guid] = coding_ops.take_coding(project, current, coder)
            for item in back:
                coding_ops.restore_coding(project, item, coder, notes.pop(item.guid, ()))

    return Operation(
        label,
        undo=lambda project, coder: swap(project, coder, added, removed),
        redo=lambda project, coder: swap(project, coder, removed, added),
        documents=frozenset(c.document_id for c in removed + added),
    )


def _recode_op(label: str, old: Coding, new: Coding, added: bool, memo_guids: list[str]) -> Operation:
    """Undo/redo of a recode: the span's coding swaps back and forth, its memos with it; a coding
    that was there before the recode (the same span, code and coder) stays."""

    def move(project: Project, coder: str, out: Coding, back: Coding, put_back: bool, take: bool) -> None:
        with project.transaction():
            back_id = (coding_ops.restore_coding(project, back, coder) if put_back
                       else project.id_of("coding", back.guid))
            out_id = project.id_of("coding", out.guid)
            if out_id is None or back_id is None:
                raise WorkbenchError(f"the coding {out.start}–{out.end} is no longer there (removed elsewhere)")
            for guid in memo_guids:
                memo_id = project.id_of("memo", guid)
                if memo_id is not None:
                    project.retarget_memo(memo_id, "coding", back_id)
            if take:
                coding_ops.take_coding(project, out_id, coder)

    return Operation(
        label,
        undo=lambda project, coder: move(project, coder, new, old, put_back=True, take=added),
        redo=lambda project, coder: move(project, coder, old, new, put_back=added, take=True),
        documents=frozenset({old.document_id, new.document_id}),
        memos_changed=bool(memo_guids),
    )


def code_snapshot(project: Project, code_id: int) -> dict:
    """A code's stored fields (without children), as `restore_deleted` takes them back."""
    for root in project.code_tree():
        for _, code in root.walk():
            if code.id == code_id:
                return code_ops.code_snapshot(code, codable=code_id not in project.refi_not_codable())
    raise WorkbenchError(f"no code with id {code_id}")


def in_vivo_name(text: str) -> str:
    """A code name taken from selected words: one line, no '/', at most 60 characters."""
    name = " ".join(text.replace("/", " ").split())
    if len(name) > MAX_IN_VIVO_NAME:
        name = name[: MAX_IN_VIVO_NAME - 1].rstrip() + "…"
    return name


class History:
    """The undo and redo stacks of one session; every change goes through here."""

    def __init__(self, project: Project, coder: str, limit: int = 500):
        self.project, self.coder, self.limit = project, coder, limit
        self.done: list[Operation] = []
        self.undone: list[Operation] = []

    # ------------------------------------------------------------------ stacks
    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)

    def _push(self, operation: Operation) -> Operation:
        self.done.append(operation)
        del self.done[: -self.limit]
        self.undone.clear()
        return operation

    def undo(self) -> Operation | None:
        """Take back the last change; None when there is nothing to undo.

        All or nothing: a step that cannot be taken back (another program changed what it
        touches) leaves the project and both stacks as they were, and says why.
        """
        if not self.done:
            return None
        operation = self.done[-1]
        self._replay(operation, operation.undo, "undo")
        self.undone.append(self.done.pop())
        return operation

    def redo(self) -> Operation | None:
        """Do again the last undone change; all or nothing, like `undo`."""
        if not self.undone:
            return None
        operation = self.undone[-1]
        self._replay(operation, operation.redo, "redo")
        self.done.append(self.undone.pop())
        return operation

    def _replay(self, operation: Operation, replay: Callable[[Project, str], object], verb: str) -> None:
        try:
            with self.project.transaction():  # one transaction: the steps of a compound too
                replay(self.project, self.coder)
        except WorkbenchError as error:
            raise WorkbenchError(f"cannot {verb} {operation.label}: {error}; nothing was changed, "
                                 f"and it stays on the {verb} list") from None

    # ----------------------------------------------------------------- codings
    def apply_code(
        self, document_id: int, code_id: int, start: int, end: int, origin: str = "manual",
    ) -> Coding | None:
        """Code a span; None when this coder already has exactly that coding."""
        if self.project.find_coding(document_id, code_id, start, end, self.coder) is not None:
            return None
        coding_id = coding_ops.apply_code(self.project, document_id, code_id, start, end, self.coder, origin)
        coding = _stored(self.project, coding_id)
        name = self._code_name(code_id)
        self._push(_coding_op(f"code {name!r}", [], [coding]))
        return coding

    def remove_coding(self, coding_id: int) -> Coding:
        coding, memos = coding_ops.take_coding(self.project, coding_id, self.coder)
        self._push(_coding_op(f"remove {self._code_name(coding.code_id)!r}", [coding], [], {coding.guid: memos}))
        return coding

    def recode(self, coding_id: int, code_id: int) -> Coding:
        """Give a coded span another code: the old coding goes, a new one takes its place, and the
        memos on it follow (a memo is about the coded passage, issue 20)."""
        old = self.project.coding(coding_id)
        if old is None:
            raise WorkbenchError(f"no coding with id {coding_id}")
        if old.code_id == code_id:
            return old
        with self.project.transaction():
            existing = self.project.find_coding(old.document_id, code_id, old.start, old.end, self.coder)
            new_id = existing if existing is not None else coding_ops.apply_code(
                self.project, old.document_id, code_id, old.start, old.end, self.coder, old.origin
            )
            moved = [memo.guid for memo in self.project.memos("coding", coding_id)]
            self.project.reattach_memos("coding", coding_id, new_id)
            coding_ops.take_coding(self.project, coding_id, self.coder)
        new = _stored(self.project, new_id)
        self._push(_recode_op(
            f"recode {self._code_name(old.code_id)!r} as {self._code_name(code_id)!r}", old, new,
            existing is None, moved,
        ))
        return new

    def in_vivo(self, document_id: int, start: int, end: int,
                parent_id: int | None = None) -> tuple[int, Coding | None]:
        """Code a span with a new code named after its own words (or the code of that name)."""
        text = self.project.slice(document_id, start, end)
        name = in_vivo_name(text)
        if not name:
            raise WorkbenchError("in-vivo coding needs a selection with words in it")
        existing = next(
            (row.id for row in self.project.code_rows()
             if row.parent_id == parent_id and row.name.casefold() == name.casefold()),
            None,
        )
        steps: list[Operation] = []
        if existing is None:
            code_id = self.add_code(Code(name=name, name_zh=name if has_han(name) else "",
                                         definition="In-vivo code."), parent_id)
            steps.append(self.done.pop())
        else:
            code_id = existing
        coding = self.apply_code(document_id, code_id, start, end)
        if coding is not None:
            steps.append(self.done.pop())
        if steps:
            self._push(_compound(f"in-vivo {name!r}", steps))
        return code_id, coding

    # ------------------------------------------------------------------- codes
    def add_code(self, code: Code, parent_id: int | None = None) -> int:
        code_id = code_ops.add_code(self.project, code, parent_id, self.coder)
        snapshot = code_snapshot(self.project, code_id)
        guid = snapshot["guid"]

        def undo(project: Project, coder: str) -> None:
            current = _current_id(project, "code", guid, f"code {code.name!r}")
            subtree = code_ops.descendants(project, current)
            if len(subtree) > 1:
                raise WorkbenchError(f"code {code.name!r} has sub-codes now; delete it from the codebook "
                                     "if it should go")
            used = len(project.codings(code_ids=[current]))
            if used:
                raise WorkbenchError(f"{used} coding{'s' if used != 1 else ''} use code {code.name!r} now; "
                                     "delete it from the codebook if it should go")
            code_ops.delete_code(project, current, coder=coder)

        def redo(project: Project, coder: str) -> None:
            code_ops.restore_deleted(project, {"codes": [snapshot], "codings": []}, coder)

        self._push(Operation(f"add code {code.name!r}", undo, redo, codes_changed=True))
        return code_id

    def update_code(self, code_id: int, **fields: object) -> None:
        """Rename, or edit definition, criteria, colour or keywords; undo puts the old back."""
        before_all = code_snapshot(self.project, code_id)
        before = {key: before_all[key] for key in fields}
        code_ops.update_code(self.project, code_id, self.coder, **fields)
        after_all = code_snapshot(self.project, code_id)
        after = {key: after_all[key] for key in fields}
        label = "rename" if set(fields) == {"name"} else "edit"
        self._push(Operation(
            f"{label} code {before_all['name']!r}",
            undo=lambda project, coder: code_ops.update_code(project, code_id, coder, **dict(before)),
            redo=lambda project, coder: code_ops.update_code(project, code_id, coder, **dict(after)),
            codes_changed=True,
        ))

    def move_code(self, code_id: int, new_parent_id: int | None) -> None:
        old = code_snapshot(self.project, code_id)
        if old["parent_id"] == new_parent_id:
            return
        code_ops.move_code(self.project, code_id, new_parent_id, self.coder)
        self._push(Operation(
            f"move code {old['name']!r}",
            undo=lambda project, coder: code_ops.move_code(project, code_id, old["parent_id"], coder),
            redo=lambda project, coder: code_ops.move_code(project, code_id, new_parent_id, coder),
            codes_changed=True,
        ))

    def merge_codes(self, source_id: int, target_id: int) -> int:
        """Fold one code into another; undo brings the code, its codings and sub-codes back.

        The step keeps the codes' guids, not their ids: whatever another program adds or
        removes meanwhile, redo merges the same two codes.
        """
        source = code_snapshot(self.project, source_id)
        target = code_snapshot(self.project, target_id)
        box: dict = {}

        def merge(project: Project, coder: str) -> int:
            source_now = _current_id(project, "code", source["guid"], f"code {source['name']!r}")
            target_now = _current_id(project, "code", target["guid"], f"code {target['name']!r}")
            box["codings"] = project.codings(code_ids=[source_now])
            box["children"] = [row.guid for row in project.code_rows() if row.parent_id == source_now]
            box["memos"] = [m.guid for m in project.memos("code", source_now)]
            return code_ops.merge_codes(project, source_now, target_now, coder)

        def undo(project: Project, coder: str) -> None:
            with project.transaction():
                new_ids = code_ops.restore_deleted(
                    project, {"codes": [source], "codings": [c.__dict__ for c in box["codings"]]}, coder
                )
                source_now = new_ids.get(source["id"], source["id"])
                for child in box["children"]:
                    project.update_code(_current_id(project, "code", child, "a sub-code"), by=coder,
                                        parent_id=source_now)
                for memo in box["memos"]:  # the notes on the code, moved to the target, come back
                    memo_id = project.id_of("memo", memo)
                    if memo_id is not None:
                        project.retarget_memo(memo_id, "code", source_now)

        moved = merge(self.project, self.coder)
        self._push(Operation(
            f"merge {source['name']!r} into {target['name']!r}", undo, lambda project, coder: merge(project, coder),
            documents=frozenset(c.document_id for c in box["codings"]), codes_changed=True,
        ))
        return moved

    def delete_code(self, code_id: int, *, reassign_to: int | None = None, remove_codings: bool = False) -> dict:
        name = code_snapshot(self.project, code_id)["name"]
        snapshot = code_ops.delete_code(
            self.project, code_id, reassign_to=reassign_to, remove_codings=remove_codings, coder=self.coder
        )
        current_id, current_snapshot = code_id, snapshot  # the code's id changes when undo restores it

        def undo(project: Project, coder: str) -> None:
            nonlocal current_id
            new_ids = code_ops.restore_deleted(project, current_snapshot, coder)
            current_id = (new_ids or {}).get(current_id, current_id)

        def redo(project: Project, coder: str) -> None:
            nonlocal current_snapshot
            current_snapshot = code_ops.delete_code(
                project, current_id, reassign_to=reassign_to, remove_codings=remove_codings, coder=coder
            )

        self._push(Operation(
            f"delete code {name!r}", undo, redo,
            documents=frozenset(c["document_id"] for c in snapshot["codings"]), codes_changed=True,
        ))
        return snapshot

    # ------------------------------------------------------------------- memos
    def memo(self, target: str, target_id: int | None) -> Memo | None:
        """This coder's memo on a document, code or coding (the latest, if several)."""
        mine = [m for m in self.project.memos(target, target_id) if m.coder == self.coder]
        return mine[-1] if mine else None

    def set_memo(self, target: str, target_id: int | None, text: str) -> int | None:
        """Write this coder's memo on a target: new, edited, or deleted when `text` is blank."""
        text = text.strip()
        current = self.memo(target, target_id)
        before = current.text if current else ""
        if text == before:
            return current.id if current else None
        box = {"guid": current.guid if current else None}  # the memo keeps one identity through undo/redo
        write = _memo_writer(target, target_id, box)
        write(self.project, self.coder, text)
        verb = "delete" if not text else ("edit" if current else "add")
        self._push(Operation(
            f"{verb} memo on {target}",
            # The undo names the change it takes back, so `workbench memo undo` skips what the TUI undid.
            undo=lambda project, coder: write(project, coder, before, {"undoes": box["event"]}),
            redo=lambda project, coder: write(project, coder, text),
            memos_changed=True,
        ))
        return self.project.id_of("memo", box["guid"]) if text and box["guid"] else None

    # ------------------------------------------------------------ suggestions
    def accept_suggestion(self, suggestion_id: int) -> int:
        """Accept a suggestion (it becomes a coding); undo reopens it and removes only what it made."""
        from .suggest import decide

        found = self.project.suggestion(suggestion_id)
        coding_id = decide.accept(self.project, suggestion_id, self.coder)
        self._push(Operation(
            f"accept suggestion {suggestion_id}",
            undo=lambda project, coder: decide.reopen(project, suggestion_id, coder),
            redo=lambda project, coder: decide.accept(project, suggestion_id, coder),
            documents=frozenset({found.document_id}) if found else frozenset(),
        ))
        return coding_id

    def reject_suggestion(self, suggestion_id: int) -> None:
        """Reject a suggestion (never proposed again); undo opens it again."""
        from .suggest import decide

        found = self.project.suggestion(suggestion_id)
        decide.reject(self.project, suggestion_id, self.coder)
        self._push(Operation(
            f"reject suggestion {suggestion_id}",
            undo=lambda project, coder: decide.reopen(project, suggestion_id, coder),
            redo=lambda project, coder: decide.reject(project, suggestion_id, coder),
            documents=frozenset({found.document_id}) if found else frozenset(),
        ))

    # ----------------------------------------------------------------- helpers
    def _code_name(self, code_id: int) -> str:
        return next((row.name for row in self.project.code_rows() if row.id == code_id), str(code_id))


def _stored(project: Project, coding_id: int) -> Coding:
    """A coding just written (another window may have removed it meanwhile)."""
    coding = project.coding(coding_id)
    if coding is None:
        raise WorkbenchError(f"coding {coding_id}: removed by another window meanwhile")
    return coding


def _current_id(project: Project, kind: str, guid: str, what: str) -> int:
    """The id an object has now, found by its guid; refuses when it is gone."""
    found = project.id_of(kind, guid)
    if found is None:
        raise WorkbenchError(f"{what} is no longer there (removed elsewhere)")
    return found


def _compound(label: str, steps: list[Operation]) -> Operation:
    """Several operations undone and redone as one (in reverse order on the way back)."""

    def undo(project: Project, coder: str) -> None:
        for step in reversed(steps):
            step.undo(project, coder)

    def redo(project: Project, coder: str) -> None:
        for step in steps:
            step.redo(project, coder)

    return Operation(
        label, undo, redo,
        documents=frozenset().union(*(s.documents for s in steps)),
        codes_changed=any(s.codes_changed for s in steps),
        memos_changed=any(s.memos_changed for s in steps),
        steps=list(steps),
    )


def _memo_writer(target: str, target_id: int | None, box: dict) -> Callable[..., None]:
    """Write one memo's text (add, edit, or delete when blank), logging the text before and after.

    The log is what lets `workbench memo undo` in a later process take a change back as the TUI
    does: the event names the memo's guid and the text it replaced.
    """
    def write(project: Project, coder: str, value: str, extra: dict | None = None) -> None:
        with project.transaction():
            memo_id = project.id_of("memo", box["guid"]) if box["guid"] else None
            previous = (next((m.text for m in project.memos(target, target_id) if m.id == memo_id), "")
                        if memo_id else "")
            if memo_id is not None and value:
                project.update_memo(memo_id, value, by=coder)
            elif memo_id is not None:
                project.delete_memo(memo_id, by=coder)
                memo_id = None
            elif value:
                memo_id = project.add_memo(target, target_id, value, coder, guid=box["guid"])
                box["guid"] = project.guid_of("memo", memo_id)
            project.log(Action.MEMO, {"target": target, "target_id": target_id, "memo": memo_id,
                                      "guid": box["guid"], "chars": len(value), "before": previous,
                                      "text": value, **(extra or {})}, coder)
            if extra is None:
                box["event"] = project.last_event_id()

    return write


def undo_last_memo(project: Project, coder: str) -> dict | None:
    """Take back this coder's last memo change that is not yet undone, as the TUI's undo does.

    Returns what was undone (the event's detail), or None when there is nothing to undo.
    """
    mine = {project.known_coder_id(coder)} - {None}  # who may now have no memo left
    events = [row for row in project.events(limit=100_000, action=Action.MEMO) if row.coder_id in mine]
    undone: set[int] = set()
    for row in events:  # newest first
        detail = row.details()
        if "undoes" in detail:
            undone.add(detail["undoes"])
            continue
        if row.id in undone or "before" not in detail:
            continue
        box = {"guid": detail.get("guid")}
        _memo_writer(detail["target"], detail["target_id"], box)(project, coder, detail["before"],
                                                                 {"undoes": row.id})
        return detail
    return None
