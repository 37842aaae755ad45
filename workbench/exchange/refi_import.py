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
        _, added, known = _install_codes(project, codes, report)
        project.log("import refi", {"path": str(path), "codes": added, "known": known}, coder)
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
        project.log("import refi", {"path": str(path), "origin": parsed.origin, **counts}, coder)
    return ImportSummary(str(path), counts["documents"], counts["codes"], counts["codings"], counts["memos"],
                         counts["cases"], counts["known"], tuple(report))


def _store(project, parsed: RefiProject, prepared, path: Path, coder, report, progress) -> dict[str, int]:
    known = 0
    # Users: by guid, then by name; each becomes a coder.
    coder_names: dict[str, str] = {}
    for guid, name in parsed.users.items():
        row = project.refi_find("coders", guid)
        if row is not None:
            coder_names[guid] = next(n for i, (_, n) in project.refi_coders().items() if i == row)
            continue
        new = project.conn.execute("SELECT 1 FROM coders WHERE name = ?", [name]).fetchone() is None
        coder_id = project.coder_id(name)
        if new:
            project.refi_set_guid("coders", coder_id, guid)
        coder_names[guid] = name
    fallback = coder_names.get(parsed.creator or "") or coder or "imported"
    code_ids, codes_added, codes_known = _install_codes(project, parsed.codes, report)
    known += codes_known
    # Documents: by guid, then by text; equal texts within this file each stay a document.
    document_ids: dict[str, int] = {}
    made_here: set[int] = set()
    added_documents = 0
    for number, (source, turns, lang, bodies) in enumerate(prepared):
        digest = sha256(source.text)
        existing = project.refi_find("documents", source.guid) if source.guid else None
        if existing is None:
            by_text = project.refi_document_by_sha(digest)
            existing = by_text if by_text is not None and by_text not in made_here else None
        if existing is not None:
            document_ids[source.guid] = existing
            known += 1
            continue
        document_id = project.add_document(
            name=_free_name(project, source.name), text=source.text, sha256=digest, lang=lang,
            encoding=source.encoding, format=source.format, source_path=f"{path.resolve()}#{source.guid}",
            turns=turns, index_bodies=bodies)
        project.refi_set_guid("documents", document_id, source.guid)
        document_ids[source.guid] = document_id
        made_here.add(document_id)
        added_documents += 1
        if progress:
            progress(number + 1, len(prepared))
    # Cases and their variables; a source's own variables make a case of its own.
    case_ids: dict[str, int] = {}
    cases_added = 0
    for case in parsed.cases:
        existing = project.refi_find("cases", case.guid) if case.guid else None
        if existing is None:
            new = project.conn.execute("SELECT 1 FROM cases WHERE name = ?", [case.name]).fetchone() is None
            existing = project.upsert_case(case.name, case.variables)
            if new:
                project.refi_set_guid("cases", existing, case.guid)
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
    # Codings: by guid, then by span, code and coder.
    coding_ids: dict[str, int] = {}
    codings_added = 0
    for source, *_ in prepared:
        document_id = document_ids[source.guid]
        for coding in source.codings:
            code_id = code_ids.get(coding.code_guid or "")
            if code_id is None:
                report.append(f"source {source.name!r}: a coding refers to code {coding.code_guid} which "
                              "the file does not define; skipped")
                continue
            existing = project.refi_find("codings", coding.guid) if coding.guid else None
            name = coder_names.get(coding.user or "") or fallback
            coder_id = project.coder_id(name)
            if existing is None:
                existing = project.refi_same_coding(document_id, code_id, coding.start, coding.end, coder_id)
            if existing is not None:
                known += 1
                if coding.guid:
                    coding_ids[coding.guid] = existing
                continue
            coding_id = project.add_coding(document_id, code_id, coding.start, coding.end, name, origin="import")
            project.refi_set_guid("codings", coding_id, coding.guid)
            project.refi_set_created("codings", coding_id, coding.created)
            if coding.guid:
                coding_ids[coding.guid] = coding_id
            codings_added += 1
    # Notes become memos on what they annotate.
    targets: dict[str, tuple[str, int | None]] = {"": ("project", None)}
    targets.update({g: ("document", i) for g, i in document_ids.items()})
    targets.update({g: ("code", i) for g, i in code_ids.items()})
    targets.update({g: ("coding", i) for g, i in coding_ids.items()})
    targets.update({g: ("case", i) for g, i in case_ids.items()})
    memos_added = 0
    for note in parsed.notes:
        if note.guid and project.refi_find("memos", note.guid) is not None:
            known += 1
            continue
        if not note.text.strip():
            continue
        resolved = [targets[t] for t in note.targets if t in targets] or [("project", None)]
        if len(resolved) < len(note.targets):
            report.append(f"note {note.text[:30]!r}: annotates something not imported; kept as a project memo")
        for target, target_id in dict.fromkeys(resolved):
            if project.refi_memo_exists(target, target_id, note.text):
                known += 1
                continue
            memo_id = project.add_memo(target, target_id, note.text, coder_names.get(note.user or "") or None)
            project.refi_set_guid("memos", memo_id, note.guid if (target, target_id) == resolved[0] else None)
            project.refi_set_created("memos", memo_id, note.created)
            memos_added += 1
    if not project.meta("codebook") and parsed.codes:
        project.set_meta("codebook", parsed.name)
        if parsed.description:
            project.set_meta("codebook_description", parsed.description)
    return {"documents": added_documents, "codes": codes_added, "codings": codings_added, "memos": memos_added,
            "cases": cases_added, "known": known}


def _install_codes(project, codes: list[RefiCode], report: list[str]) -> tuple[dict[str, int], int, int]:
    """Codes by guid, then by path; returns (guid -> id, added, already there)."""
    from ..codebook.ops import code_paths

    by_path = {path: row.id for path, row in code_paths(project).items()}
    ids: dict[str, int] = {}
    added = known = 0

    def visit(code: RefiCode, parent_id: int | None, path: tuple[str, ...]) -> None:
        nonlocal added, known
        here = path + (code.name,)
        existing = project.refi_find("codes", code.guid) if code.guid else None
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
                keywords_en=parts.keywords_en, keywords_zh=parts.keywords_zh), parent_id)
            project.refi_set_guid("codes", code_id, code.guid)
            added += 1
        if code.guid:
            ids[code.guid] = code_id
        for child in code.children:
            visit(child, code_id, here)

    for code in codes:
        visit(code, None, ())
    return ids, added, known


def _free_name(project, name: str) -> str:
    """The source's name, or with a number added when a document already has it."""
    if project.document_id(name) is None:
        return name
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    number = 2
    while True:
        candidate = f"{stem} ({number}){dot}{suffix}"
        if project.document_id(candidate) is None:
            return candidate
        number += 1
