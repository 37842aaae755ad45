"""Managing a project's documents: list, show with positions, rename, delete, re-import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Turn, WorkbenchError
from .store import Project
from .store.events import Action


@dataclass(frozen=True)
class DocumentInfo:
    """What tells one document from another, without its text."""

    id: int
    name: str
    lang: str
    encoding: str
    format: str
    chars: int
    turns: int
    case: str | None
    codings: int
    source_path: str | None
    imported_at: str
    warning: str | None = None


@dataclass(frozen=True)
class TurnText:
    """A turn (or the part of it in a requested range), numbered from 1 as people count."""

    number: int
    speaker: str | None
    start: int
    end: int
    text: str
    t_start_ms: int | None = None
    lang: str = "und"


@dataclass(frozen=True)
class Deletion:
    name: str
    codings: int
    memos: int
    suggestions: int
    recorded: bool  # remembered in the deletions table, so a merge knows it was deleted here


@dataclass(frozen=True)
class Reimport:
    name: str
    old_encoding: str
    encoding: str
    chars: int
    turns: int
    warning: str | None


def list_documents(project: Project) -> list[DocumentInfo]:
    """Every document, by name (case-insensitively)."""
    return [_info(row) for row in project.document_summaries()]


def reference_id(project: Project, reference: str) -> int:
    """The edge's resolver: a document by name, or by id when no document has that name."""
    from .coding import document_id

    return document_id(project, reference, digits_are_ids=True)


def find(project: Project, document_id: int) -> DocumentInfo:
    """A document by id."""
    for row in project.document_summaries():
        if row["id"] == document_id:
            return _info(row)
    raise WorkbenchError(f"no document with id {document_id} in {project.path.name}")


def show(
    project: Project, document_id: int, start: int | None = None, end: int | None = None,
    turn: int | None = None,
) -> tuple[DocumentInfo, list[TurnText]]:
    """The turns of a document with positions; `turn` (from 1) or `start`/`end` narrow it."""
    info = find(project, document_id)
    turns = project.turns(info.id)
    if turn is not None:
        if not 1 <= turn <= len(turns):
            raise WorkbenchError(f"{info.name}: no turn {turn} (it has turns 1–{len(turns)})")
        turns = [turns[turn - 1]]
        start, end = turns[0].start, turns[0].end
    low = 0 if start is None else start
    high = info.chars if end is None else end
    if not 0 <= low <= high <= info.chars or (start is not None and end is not None and start >= end):
        raise WorkbenchError(f"{info.name}: range {low}–{high} is outside its {info.chars} characters "
                             "(give --from N --to M with N < M)")
    text = project.slice(info.id, 0, info.chars) if turns else ""
    shown = []
    for item in turns:
        a, b = max(item.start, low), min(item.end, high)
        if a < b or (a == b == item.start and low <= item.start < high):
            shown.append(TurnText(item.idx + 1, item.speaker, a, b, text[a:b], item.t_start_ms, item.lang))
    if not shown and turns and (start is not None or end is not None):
        raise WorkbenchError(_outside_turns(info.name, text, turns, low, high))
    return info, shown


def _outside_turns(name: str, text: str, turns: list[Turn], low: int, high: int) -> str:
    """Why a range shows nothing: what lies there (a speaker label, blank lines) and where text resumes."""
    after = next((t for t in turns if t.start >= high), None)
    before = next((t for t in reversed(turns) if t.end <= low), None)
    there = text[low:high].strip()
    what = f"only {there!r}" if there else "only blank space"
    if after is not None and after.speaker and there and there in text[(before.end if before else 0):after.start]:
        what += f" (the label of turn {after.idx + 1}, {after.speaker})"
    if after is not None:
        where = (f"turn {after.idx + 1}'s text starts at {after.start}: "
                 f"try --from {after.start} or --turn {after.idx + 1}")
    elif before is not None:
        where = f"the last turn ends at {before.end}: try --turn {before.idx + 1}"
    else:  # every turn is empty
        where = "no turn holds text"
    if after is not None and before is None:
        where = "the text starts at " + where.split("starts at ", 1)[1].replace(
            ": try", f" (turn {after.idx + 1}): try", 1)
    return f"{name}: {low}–{high} holds no turn's text, {what}; {where}"


def rename(project: Project, document_id: int, new_name: str, coder: str | None = None) -> DocumentInfo:
    """Give a document another name; its codings, memos and positions stay as they are."""
    info = find(project, document_id)
    new_name = new_name.strip()
    if not new_name:
        raise WorkbenchError(f"{info.name}: a new name must not be empty")
    if new_name != info.name and project.document_id(new_name) is not None:
        raise WorkbenchError(f"{info.name}: the project already has a document named {new_name!r}")
    with project.transaction():
        project.rename_document(info.id, new_name)
        project.log(Action.DOCUMENT_RENAME, {"document_id": info.id, "from": info.name, "to": new_name}, coder)
    return find(project, info.id)


def delete(project: Project, document_id: int, coder: str | None = None) -> Deletion:
    """Delete a document with its codings and memos, after an automatic backup."""
    info = find(project, document_id)
    dependents = project.document_dependents(info.id)
    project.before_destructive("delete document")  # a backup first; if it fails, nothing changes
    with project.transaction():
        guid = project.document_guid(info.id)
        if guid is None:
            raise WorkbenchError(f"document {info.name!r}: deleted meanwhile by another window; nothing was changed")
        project.delete_document_rows(info.id)
        project.record_deletion(guid, "document", coder)  # with who deleted it
        recorded = True
        project.log(Action.DOCUMENT_DELETE, {"document_id": info.id, "name": info.name, "guid": guid, **dependents},
                    coder)
    return Deletion(info.name, dependents["codings"], dependents["memos"], dependents["suggestions"], recorded)


def reimport(project: Project, document_id: int, encoding: str, coder: str | None = None) -> Reimport:
    """Read a document's file again with another encoding; refused once it has codings.

    Another encoding changes the text, so every position after the first changed character
    would move: codings would land on the wrong words.
    """
    from .importers import read_file
    from .text.segment import index_body

    info = find(project, document_id)
    if info.codings:
        raise WorkbenchError(
            f"{info.name}: has {info.codings} coding{'s' if info.codings != 1 else ''}; a new encoding moves "
            "their positions, so it cannot be re-imported (export or remove its codings, or delete it "
            "and import the file again)")
    if not info.source_path or not Path(info.source_path).is_file():
        raise WorkbenchError(f"{info.name}: its file {info.source_path} is gone; import it again by hand")
    parsed = read_file(info.source_path, encoding)
    if len(parsed) != 1:
        raise WorkbenchError(f"{info.source_path}: holds {len(parsed)} documents; re-import works on one")
    doc = parsed[0]
    old = project.document(info.id)
    if doc.text == old.text:
        raise WorkbenchError(f"{info.name}: {encoding} gives the same text as {info.encoding}; nothing to change")
    bodies = [index_body(doc.text[t.start:t.end]) for t in doc.turns]
    project.before_destructive("reimport document")
    with project.transaction():
        guid = project.document_guid(info.id)
        project.rename_document(info.id, f"{info.name} (replaced {info.id})")
        new_id = project.add_document(
            name=info.name, text=doc.text, sha256=doc.sha256, lang=doc.lang, encoding=doc.encoding,
            format=doc.format, source_path=info.source_path, turns=doc.turns, index_bodies=bodies,
            case_id=old.case_id,
        )
        project.set_import_warning(new_id, doc.warning)
        project.retarget_document_memos(info.id, new_id)
        project.delete_document_rows(info.id)
        project.set_document_guid(new_id, guid)  # the same document to a merge, with a corrected text
        project.log(Action.DOCUMENT_REIMPORT, {"document_id": new_id, "guid": guid, "replaced": info.id,
                                               "name": info.name, "from": info.encoding, "to": doc.encoding}, coder)
    return Reimport(info.name, info.encoding, doc.encoding, len(doc.text), len(doc.turns), doc.warning)


def _info(row: dict) -> DocumentInfo:
    return DocumentInfo(
        id=row["id"], name=row["name"], lang=row["lang"], encoding=row["encoding"], format=row["format"],
        chars=row["chars"], turns=row["turns"], case=row["case"], codings=row["codings"],
        source_path=row["source_path"], imported_at=row["imported_at"], warning=row["import_warning"],
    )
