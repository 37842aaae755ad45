"""Deciding: a person accepts or rejects a proposal; only an accept makes a coding."""

from __future__ import annotations

from collections.abc import Iterable

from .. import coding as coding_ops
from ..model import Suggestion, WorkbenchError
from ..store import Project
from ..store.events import Action


def accept(project: Project, suggestion_id: int, coder: str) -> int:
    """Make an open suggestion a coding (origin `suggestion`), linked both ways, in one transaction.

    Where this coder already coded exactly that span with that code, the suggestion is linked to
    that coding and nothing new is made (undo then leaves it alone: see `reopen`).
    """
    with project.transaction():
        found = _open(project, suggestion_id)
        code_id = found.code_id
        assert code_id is not None  # _open refuses a suggestion whose code was deleted
        existing = project.find_coding(found.document_id, code_id, found.start, found.end, coder)
        coding_id = coding_ops.apply_code(project, found.document_id, code_id, found.start, found.end,
                                          coder, origin="suggestion")
        project.decide_suggestion(suggestion_id, "accepted", coder, coding_id)
        project.log(Action.SUGGEST_ACCEPT, {"suggestion": suggestion_id, "coding": coding_id, "run": found.run_id,
                                       "method": found.method, "existing": existing is not None}, coder)
    return coding_id


def reject(project: Project, suggestion_id: int, coder: str) -> None:
    """Remember that this span is not this code, so it is never proposed again (even if the code goes)."""
    with project.transaction():
        found = _open(project, suggestion_id)
        project.decide_suggestion(suggestion_id, "rejected", coder)
        project.log(Action.SUGGEST_REJECT, {"suggestion": suggestion_id, "code_guid": found.code_guid,
                                       "run": found.run_id}, coder)


def reopen(project: Project, suggestion_id: int, coder: str) -> None:
    """Undo a decision: the suggestion is open again and the coding its accept made is removed.

    A coding the accept only found (someone's earlier manual coding of the same span, with its
    memos) stays: it was never the suggestion's to take back (issue 20, item 6).
    """
    with project.transaction():
        found = project.suggestion(suggestion_id)
        if found is None:
            raise WorkbenchError(f"no suggestion with id {suggestion_id}")
        coding = project.coding(found.coding_id) if found.coding_id is not None else None
        if coding is not None and _made_by(project, coding, suggestion_id):
            coding_ops.remove_coding(project, coding.id, coder)
        project.decide_suggestion(suggestion_id, "open", coder)
        project.log(Action.SUGGEST_REOPEN, {"suggestion": suggestion_id}, coder)


def _made_by(project: Project, coding, suggestion_id: int) -> bool:
    """True when this suggestion's accept made the coding (not an earlier coding it coincided with)."""
    if coding.origin != "suggestion":
        return False
    others = [s for s in project.suggestions(status="accepted", document_id=coding.document_id)
              if s.coding_id == coding.id and s.id != suggestion_id]
    return not others


def accept_above(project: Project, threshold: float, coder: str, code_ids: Iterable[int] | None = None,
                 document_id: int | None = None) -> list[int]:
    """Accept every open suggestion scoring at least `threshold` (of some codes); one transaction."""
    with project.transaction():
        chosen = project.open_suggestions(document_id=document_id, code_ids=code_ids, min_score=threshold)
        return [accept(project, s.id, coder) for s in chosen]


def _open(project: Project, suggestion_id: int) -> Suggestion:
    found = project.suggestion(suggestion_id)
    if found is None:
        raise WorkbenchError(f"{project.path.name}: no suggestion with id {suggestion_id}")
    if found.status != "open":
        raise WorkbenchError(f"{project.path.name}: suggestion {suggestion_id} was already {found.status}"
                             + (f" by {found.decided_by}" if found.decided_by else ""))
    if found.code_id is None:
        raise WorkbenchError(f"{project.path.name}: suggestion {suggestion_id}: its code was deleted")
    return found
