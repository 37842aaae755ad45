"""Bringing a .qdpx or .qdc into a project: read and check everything first, then one transaction.

Into an empty project everything is imported. Into one that already has work, objects are
matched by guid first, then by content (a document's text hash, a code's path, a coding's span,
code and coder), and only what is new is added: importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Code, WorkbenchError
from ..store.base import new_guid
from ..store.events import Action
from ..text.normalize import sha256
from .refi_read import RefiCode, RefiProject, read_qdc, read_qdpx
from .safe_zip import Limits


@dataclass(frozen=True)
class ImportSummary:
    path: str
    documents: int
    codes: int
    codings: int
    memos: int
    cases: int
    known: int  # objects already in the project, left as they were
    report: tuple[str, ...]

    def message(self) -> str:
        parts = [f"{self.documents} documents", f"{self.codes} codes", f"{self.codings} codings",
                 f"{self.cases} cases", f"{self.memos} memos"]
        line = f"{self.path}: imported " + ", ".join(parts)
        if self.known:
            line += f" ({self.known} already in the project)"
        if self.report:
            line += f"; {len(self.report)} note{'s' if len(self.report) != 1 else ''} below"
        return line


def import_file(project, path: str | Path, coder: str | None = None, limits: Limits = Limits(),
                progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import a .qdpx project or a .qdc codebook, by suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".qdc":
        return import_qdc(project, path, coder)
    if suffix == ".qdpx":
        return import_qdpx(project, path, coder, limits, progress)
    raise WorkbenchError(f"{path}: not a REFI-QDA file (.qdpx or .qdc)")


def import_qdc(project, path: str | Path, coder: str | None = None) -> ImportSummary:
    codes = read_qdc(path)
    if not project.refi_is_empty():
        project.before_destructive("refi import")
    with project.transaction():
        report: list[str] = []
        deleted, skipped = project.refi_deleted(), []

        def gone(kind: str, guid: str | None) -> bool:
            if guid and guid.lower() in deleted:
                skipped.append(guid)
                return True
            return False

        _, added, known = _install_codes(project, codes, report, None, gone)
        if skipped:
            report.append(f"deleted in this project, so not brought back: {len(skipped)} codes")
        project.log(Action.IMPORT_REFI, {"path": str(path), "codes": added, "known": known}, coder)
    return ImportSummary(str(path), 0, added, 0, 0, 0, known, tuple(report))


def import_qdpx(project, path: str | Path, coder: str | None = None, limits: Limits = Limits(),
                progress: Callable[[int, int], None] | None = None) -> ImportSummary:
    """Import a .qdpx; on any error the project is left exactly as it was."""
    from ..importers import check_turn_count
    from ..importers.turns import document_language, parse_turns
    from ..text.segment import index_body

    parsed = read_qdpx(path, limits)
    prepared = []
    for source in parsed.sources:  # the slow part, outside the write lock
        turns = parse_turns(source.text)
        check_turn_count(f"{path}: {source.name}", turns)
        prepared.append((source, turns, document_language(source.text, turns),
                         [index_body(source.text[t.start:t.end]) for t in turns]))
    if not project.refi_is_empty():
        project.before_destructive("refi import")
    report = list(parsed.report)
    with project.transaction():
        counts = _store(project, parsed, prepared, Path(path), coder, report, progress)
        project.log(Action.IMPORT_REFI, {"path": str(path), "origin": parsed.origin, **counts}, coder)
    return ImportSummary(str(path), counts["documents"], counts["codes"], counts["codings"], counts["memos"],
                         counts["cases"], counts["known"], tuple(report))


def _store(project, parsed: RefiProject, prepared, path: Path, coder, report, progress) -> dict[str, int]:
    """Everything in one transaction; each object matched once against guid maps read up front."""
    known = 0
    guids = _Guids()
    # What was deleted here stays deleted (as a merge does): skipped, counted, and its deletion
    # record kept, so later merges and imports still respect it.
    deleted = project.refi_deleted()
    skipped: dict[str, int] = {}

    def gone(kind: str, guid: str | None) -> bool:
        if guid and guid.lower() in deleted:
            skipped[kind] = skipped.get(kind, 0) + 1
            return True
        return False

    # Users: a coder is their guid. A known guid is that coder, whatever the name now says; an
    # unknown one joins the coder of that name already in the project (as a project merge does),
    # unless that coder is someone else of this file; two users of one name in a file stay two
    # coders, the second "name (2)".
    coder_ids: dict[str, int] = {}
    by_guid = project.refi_ids("coders")
    by_name = {name: row_id for row_id, (_, name) in project.refi_coders().items()}
    claimed = {by_guid[guid] for guid in parsed.users if guid in by_guid}
    for guid, name in parsed.users.items():
        if guid in by_guid:
            coder_ids[guid] = by_guid[guid]
            continue
        if name in by_name and by_name[name] not in claimed:
            coder_ids[guid] = by_name[name]
            claimed.add(by_name[name])
            continue
        label, number = name, 2
        while label in by_name:
            label, number = f"{name} ({number})", number + 1
        if label != name:
            report.append(f"user {name!r} ({guid}): another coder already has that name; imported as {label!r}")
        coder_ids[guid] = by_name[label] = project.coder_id(label, guid=guids.fresh("coders", guid))
        claimed.add(coder_ids[guid])
    fallback = coder_ids.get(parsed.creator or "")  # for codings that name no user of the file
    code_ids, codes_added, codes_known = _install_codes(project, parsed.codes, report, guids, gone)
    known += codes_known
    # Documents: by guid, then by text; equal texts within this file each stay a document.
    document_ids: dict[str, int] = {}
    made_here: set[int] = set()
    existing_documents = project.refi_ids("documents")
    by_sha = project.refi_documents_by_sha()
    names = project.refi_document_names()
    added_documents = 0
    for number, (source, turns, lang, bodies) in enumerate(prepared):
        digest = sha256(source.text)
        existing = existing_documents.get(source.guid) if source.guid else None
        if existing is None and gone("documents", source.guid):
            continue
        if existing is None:
            existing = by_sha.get(digest)
        if existing is not None:
            document_ids[source.guid] = existing
            known += 1
            continue
        name = _free_name(names, source.name)
        names.add(name)
        document_id = project.add_document(
            name=name, text=source.text, sha256=digest, lang=lang, encoding=source.encoding, format=source.format,
            source_path=f"{path.resolve()}#{source.guid}", turns=turns, index_bodies=bodies,
            guid=guids.fresh("documents", source.guid))
        project.refi_set_created("documents", document_id, source.created)  # export → import → export keeps it
        document_ids[source.guid] = document_id
        made_here.add(document_id)
        added_documents += 1
        if progress:
            progress(number + 1, len(prepared))
    # Cases and their variables, by guid, then by name; a source's own variables make a case of its own.
    case_ids: dict[str, int] = {}
    existing_cases = project.refi_ids("cases")
    case_names = {case.name for case in project.cases()}
    cases_added = 0
    for case in parsed.cases:
        existing = existing_cases.get(case.guid) if case.guid else None
        if existing is None and gone("cases", case.guid):
            continue
        if existing is None:
            new = case.name not in case_names
            existing = project.upsert_case(case.name, case.variables, guid=guids.fresh("cases", case.guid))
            case_names.add(case.name)
            if new:
                cases_added += 1
            else:
                known += 1
        else:
            known += 1
        case_ids[case.guid] = existing
        for source_guid in case.sources:
            document_id = document_ids.get(source_guid)
            if document_id in made_here:
                project.set_document_case(document_id, existing)
    for source, *_ in prepared:
        document_id = document_ids.get(source.guid)
        if source.variables and document_id in made_here:
            case_id = project.upsert_case(Path(source.name).stem, source.variables)
            project.set_document_case(document_id, case_id)
            cases_added += 1
    # Codings: by guid, then by span, code and coder; new ones stored in one batch.
    existing_codings = project.refi_ids("codings")
    spans = project.refi_coding_keys() if existing_codings else {}
    coding_ids: dict[str, int | str] = {}  # an id, or the guid of a coding added below
    rows = []
    for source, *_ in prepared:
        document_id = document_ids.get(source.guid)
        if document_id is None:  # deleted here: its codings went with it (and notes on them)
            skipped["codings"] = skipped.get("codings", 0) + len(source.codings)
            deleted.update(c.guid.lower() for c in source.codings if c.guid)
            continue
        for coding in source.codings:
            code_id = code_ids.get(coding.code_guid or "")
            if code_id is None and (coding.code_guid or "").lower() in deleted:
                skipped["codings"] = skipped.get("codings", 0) + 1
                if coding.guid:
                    deleted.add(coding.guid.lower())
                continue
            if code_id is None:
                report.append(f"source {source.name!r}: a coding refers to code {coding.code_guid} which "
                              "the file does not define; skipped")
                continue
            coder_id = coder_ids.get(coding.user or "", fallback)
            if coder_id is None:  # nobody named in the file: the person importing it
                coder_id = fallback = project.coder_id(coder or "imported")
            key = (document_id, code_id, coding.start, coding.end, coder_id)
            existing = existing_codings.get(coding.guid) if coding.guid else None
            if existing is None and gone("codings", coding.guid):
                continue
            if existing is None:
                existing = spans.get(key)
            if existing is not None:
                known += 1
                if coding.guid:
                    coding_ids[coding.guid] = existing
                continue
            guid = guids.fresh("codings", coding.guid)
            spans[key] = guid  # a second coding of the same span, code and coder is the same coding
            rows.append((guid, document_id, code_id, coding.start, coding.end, coder_id, coding.created,
                         source.text[coding.start:coding.end] if document_id in made_here else None))
            if coding.guid:
                coding_ids[coding.guid] = guid
    project.refi_add_codings(rows)
    stored = project.refi_ids("codings") if rows else {}
    coding_id_of = {g: stored[i] if isinstance(i, str) else i for g, i in coding_ids.items()}
    codings_added = len(rows)
    # Notes become memos on what they annotate.
    targets: dict[str, tuple[str, int | None]] = {"": ("project", None)}
    targets.update({g: ("document", i) for g, i in document_ids.items()})
    targets.update({g: ("code", i) for g, i in code_ids.items()})
    targets.update({g: ("coding", i) for g, i in coding_id_of.items()})
    targets.update({g: ("case", i) for g, i in case_ids.items()})
    names_of = {row_id: name for row_id, (_, name) in project.refi_coders().items()}
    existing_memos = project.refi_ids("memos")
    memos_added = 0
    for note in parsed.notes:
        if note.guid and note.guid in existing_memos:
            known += 1
            continue
        if not note.text.strip() or gone("memos", note.guid):
            continue
        if note.targets and all(t.lower() in deleted for t in note.targets):
            skipped["memos"] = skipped.get("memos", 0) + 1  # on something deleted here
            continue
        resolved = [targets[t] for t in note.targets if t in targets] or [("project", None)]
        if len(resolved) < len(note.targets):
            report.append(f"note {note.text[:30]!r}: annotates something not imported; kept as a project memo")
        author = names_of.get(coder_ids.get(note.user or "", -1))
        for target, target_id in dict.fromkeys(resolved):
            if project.refi_memo_exists(target, target_id, note.text):
                known += 1
                continue
            # The note's guid stays with its first target; a copy on another target is a memo of its own.
            first = (target, target_id) == resolved[0]
            memo_id = project.add_memo(target, target_id, note.text, author,
                                       guid=guids.fresh("memos", note.guid if first else None))
            project.refi_set_created("memos", memo_id, note.created)
            memos_added += 1
    if skipped:
        report.append("deleted in this project, so not brought back: "
                      + ", ".join(f"{count} {kind}" for kind, count in skipped.items()))
    if not project.meta("codebook") and parsed.codes:
        project.set_meta("codebook", parsed.name)
        if parsed.description:
            project.set_meta("codebook_description", parsed.description)
    return {"documents": added_documents, "codes": codes_added, "codings": codings_added, "memos": memos_added,
            "cases": cases_added, "known": known, "skipped_deleted": sum(skipped.values())}


class _Guids:
    """Guids for new rows: the file's own, unless missing or already used by another object of the file."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {}

    def fresh(self, table: str, guid: str | None) -> str:
        used = self.used.setdefault(table, set())
        if not guid or guid in used:
            guid = new_guid()
        used.add(guid)
        return guid


def _install_codes(project, codes: list[RefiCode], report: list[str],
                   guids: _Guids | None = None, gone=lambda kind, guid: False) -> tuple[dict[str, int], int, int]:
    """Codes by guid, then by path (none deleted here); returns (guid -> id, added, already there)."""
    from ..codebook.ops import code_paths

    guids = guids or _Guids()
    by_path = {path: row.id for path, row in code_paths(project).items()}
    by_guid = project.refi_ids("codes")
    ids: dict[str, int] = {}
    added = known = 0

    def visit(code: RefiCode, parent_id: int | None, path: tuple[str, ...]) -> None:
        nonlocal added, known
        here = path + (code.name,)
        existing = by_guid.get(code.guid) if code.guid else None
        if existing is None and gone("codes", code.guid):
            for child in code.children:  # a child kept here (moved away) is found by its guid
                visit(child, parent_id, path)
            return
        if existing is None:
            existing = by_path.get("/".join(here).casefold())
        if existing is not None:
            known += 1
            code_id = existing
        else:
            parts = code.parts
            code_id = project.add_code(Code(
                name=code.name, name_zh=parts.name_zh, definition=parts.definition, include=parts.include,
                exclude=parts.exclude, examples=parts.examples, color=code.color or "#888888",
                keywords_en=parts.keywords_en, keywords_zh=parts.keywords_zh), parent_id,
                guid=guids.fresh("codes", code.guid))
            if not code.codable:
                project.refi_set_codable(code_id, False)
            added += 1
        if code.guid:
            ids[code.guid] = code_id
        for child in code.children:
            visit(child, code_id, here)

    for code in codes:
        visit(code, None, ())
    return ids, added, known


def _free_name(names: set[str], name: str) -> str:
    """The source's name, or with a number added when a document already has it."""
    if name not in names:
        return name
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    number = 2
    while True:
        candidate = f"{stem} ({number}){dot}{suffix}"
        if candidate not in names:
            return candidate
        number += 1
