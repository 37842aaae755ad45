"""Bringing files into a project: parse outside the lock, then one transaction per file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .importers import ParsedDocument, read_file
from .model import WorkbenchError
from .participants import Participant, documents_of, read_participants
from .store import Project
from .store.events import Action
from .text.segment import index_body


@dataclass(frozen=True)
class ImportOutcome:
    path: str
    status: str  # "imported", "skipped" or "failed"
    message: str
    documents: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # doubts worth a look (a guessed encoding), also kept with the document


def import_files(
    project: Project,
    paths: Iterable[str | Path],
    coder: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    encoding: str | None = None,
) -> Iterator[ImportOutcome]:
    """Yield one outcome per file; a failed file leaves the project exactly as it was.

    `encoding` forces the text encoding of every file instead of detecting it.
    """
    for path in paths:
        if cancelled():
            return
        try:
            yield _import_one(project, Path(path), coder, encoding)
        except WorkbenchError as error:
            yield ImportOutcome(str(path), "failed", str(error))


def _import_one(project: Project, path: Path, coder: str | None, encoding: str | None = None) -> ImportOutcome:
    if project.is_own_file(path):  # reading it with Python would drop SQLite's locks (issue 7)
        raise WorkbenchError(f"{path}: is the project file itself, not a transcript")
    parsed = read_file(path, encoding)
    fresh = [doc for doc in parsed if project.document_by_sha(doc.sha256) is None]
    if not fresh:
        names = ", ".join(sorted({project.document_by_sha(doc.sha256) or doc.name for doc in parsed}))
        return ImportOutcome(str(path), "skipped",
                             f"{path}: already imported as {names} (identical text); nothing to do")
    _check_names(project, path, fresh)
    bodies = [[index_body(doc.text[t.start:t.end]) for t in doc.turns] for doc in fresh]
    with project.transaction():
        # Checked again under the write lock: another process may have imported them meanwhile.
        stored = [(d, b) for d, b in zip(fresh, bodies, strict=True) if project.document_by_sha(d.sha256) is None]
        _check_names(project, path, [doc for doc, _ in stored])
        for doc, doc_bodies in stored:
            _store(project, path, doc, doc_bodies)
        if stored:
            project.log(Action.IMPORT, {"path": str(path), "documents": [d.name for d, _ in stored]}, coder)
    fresh = [doc for doc, _ in stored]
    if not fresh:
        return ImportOutcome(str(path), "skipped", f"{path}: already imported (identical text); nothing to do")
    skipped = len(parsed) - len(fresh)
    note = f" ({skipped} identical already there)" if skipped else ""
    chars = sum(len(d.text) for d in fresh)
    summary = f"{path}: imported {len(fresh)} document{'s' if len(fresh) != 1 else ''}, {chars:,} characters{note}"
    warnings = tuple(dict.fromkeys(d.warning for d in fresh if d.warning))
    return ImportOutcome(str(path), "imported", summary, tuple(d.name for d in fresh), warnings)


def _check_names(project: Project, path: Path, documents: list[ParsedDocument]) -> None:
    for doc in documents:
        if project.document_id(doc.name) is not None:
            raise WorkbenchError(
                f"{path}: the project already has a document named {doc.name!r} with different text; "
                "rename the file to import it as a new document"
            )


def _store(project: Project, path: Path, doc: ParsedDocument, bodies: list[str], case_id: int | None = None) -> int:
    if doc.case:
        case_id = project.upsert_case(doc.case, doc.attributes)
    document_id = project.add_document(
        name=doc.name, text=doc.text, sha256=doc.sha256, lang=doc.lang, encoding=doc.encoding,
        format=doc.format, source_path=str(path.resolve()), turns=doc.turns, index_bodies=bodies,
        case_id=case_id,
    )
    if doc.warning:
        project.set_import_warning(document_id, doc.warning)
    return document_id


def link_participants(project: Project, path: str | Path, coder: str | None = None) -> str:
    """Store a participants table's people as cases and attach them to their documents."""
    participants = read_participants(path)
    names = [row.name for row in project.documents()]
    by_document: dict[str, list[Participant]] = {}
    for participant in participants:
        for name in documents_of(participant, names):
            by_document.setdefault(name, []).append(participant)
    with project.transaction():
        case_ids = {p.case: project.upsert_case(p.case, p.attributes) for p in participants}
        for name, people in by_document.items():
            if len(people) == 1:
                case_id = case_ids[people[0].case]
            else:
                # A focus group: its document belongs to a group case holding what they share.
                shared = dict(set.intersection(*(set(p.attributes.items()) for p in people)))
                shared["members"] = ", ".join(p.case for p in people)
                case_id = project.upsert_case(Path(name).stem, shared)
            document_id = project.document_id(name)
            if document_id is None:
                raise WorkbenchError(f"{path}: document {name!r} is gone (removed by another window?); "
                                     "nothing was changed")
            project.set_document_case(document_id, case_id)
        project.log(Action.PARTICIPANTS, {"path": str(path), "cases": len(participants),
                                     "linked": len(by_document)}, coder)
    unlinked = [p.case for p in participants if not any(p in v for v in by_document.values())]
    message = f"{path}: {len(participants)} participants, {len(by_document)} documents linked"
    if unlinked:
        message += f"; no document yet for {', '.join(unlinked[:8])}{' …' if len(unlinked) > 8 else ''}"
    return message
