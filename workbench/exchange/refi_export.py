"""Writing a project as a REFI-QDA .qdpx, and its codebook as a .qdc, validated before written.

Positions are written in UTF-16 code units, which is what NVivo, ATLAS.ti, MAXQDA and
QualCoder count (the standard says code points; they agree for text without emoji or CJK
Extension B, and our importer reads either back by checking selection names). Every object
carries its stored guid, so exporting twice gives the same identities.
"""

from __future__ import annotations

import os
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import Code, WorkbenchError
from . import codetext
from .positions import Utf16Map
from .xmlsafe import CODEBOOK_LOCATION, CODEBOOK_NS, PROJECT_LOCATION, PROJECT_NS, XSI_NS, schema


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("workbench")
    except PackageNotFoundError:
        return "dev"


ORIGIN = f"workbench {_version()}"
# Identities of things we keep no row for (variables, selections) are derived, so they are
# the same in every export of the same project.
DERIVED = uuid.UUID("6f1c9c36-2f53-4c1a-9a4e-5b0f3e2f7a10")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")


@dataclass(frozen=True)
class ExportSummary:
    path: str
    documents: int
    codes: int
    codings: int
    memos: int
    cases: int
    bytes: int


def derived_guid(*parts: object) -> str:
    return str(uuid.uuid5(DERIVED, "\x1f".join(map(str, parts))))


def xml_text(value: str) -> str:
    """Text XML 1.0 can hold: control characters and lone surrogates become U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _color(value: str | None) -> str | None:
    return value.upper() if value and _COLOR.fullmatch(value) else None


def code_element(parent, ns: str, code: Code, guid_of: Callable[[Code], str], note_refs=None,
                 not_codable: frozenset[int] | set[int] = frozenset()):
    """A `<Code>` with its description and children (shared by .qdpx and .qdc)."""
    from lxml import etree

    element = etree.SubElement(parent, f"{{{ns}}}Code", guid=guid_of(code), name=xml_text(code.name),
                               isCodable="false" if code.id in not_codable else "true")
    color = _color(code.color)
    if color:
        element.set("color", color)
    description = codetext.describe(codetext.CodeText(
        definition=code.definition, name_zh=code.name_zh, include=code.include, exclude=code.exclude,
        examples=list(code.examples), keywords_en=list(code.keywords_en), keywords_zh=list(code.keywords_zh)))
    if description:
        etree.SubElement(element, f"{{{ns}}}Description").text = xml_text(description)
    for note in (note_refs or {}).get(code.id, ()):
        etree.SubElement(element, f"{{{ns}}}NoteRef", targetGUID=note)
    for child in code.children:
        code_element(element, ns, child, guid_of, note_refs, not_codable)
    return element


def codebook_xml(codes: list[Code], guid_of: Callable[[Code], str],
                 not_codable: frozenset[int] | set[int] = frozenset()) -> bytes:
    """A .qdc document for a code tree, checked against the codebook schema."""
    from lxml import etree

    if not codes:
        raise WorkbenchError("codebook: no codes to export (a .qdc needs at least one)")
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI_NS}, origin=ORIGIN)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{CODEBOOK_NS} {CODEBOOK_LOCATION}")
    codes_element = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for code in codes:
        code_element(codes_element, CODEBOOK_NS, code, guid_of, not_codable=not_codable)
    return _valid_bytes(root, CODEBOOK_NS)


def _valid_bytes(root, namespace: str) -> bytes:
    """Serialise after validation: an export the schema rejects is a bug, never a file."""
    from lxml import etree

    checker = schema(namespace)
    if not checker.validate(root):
        error = checker.error_log[0]
        raise WorkbenchError(f"export: the file would not validate against the REFI-QDA schema "
                             f"({error.message}); nothing was written (a bug: please report it)")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", standalone=True)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    if not path.parent.exists():
        raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        temporary.replace(path)
    finally:
        if temporary.exists():
            temporary.unlink()


def export_codebook(project, path: str | Path) -> int:
    """Write the project's codebook as a .qdc; returns the number of codes."""
    path = Path(path)
    tree = project.code_tree()
    guids = project.refi_guids("codes")
    data = codebook_xml(tree, lambda code: guids[code.id], project.refi_not_codable())
    write_atomically(path, lambda target: _write_bytes(target, data))
    return len(guids)


def _write_bytes(target: Path, data: bytes) -> None:
    target.write_bytes(data)


def export_project(project, path: str | Path, progress: Callable[[int, int], None] | None = None) -> ExportSummary:
    """Write the whole project as a .qdpx: project.qde plus each document as UTF-8 text."""
    from lxml import etree

    path = Path(path)
    E = f"{{{PROJECT_NS}}}"
    users = project.refi_coders(worked=True)  # id -> (guid, name) of those who coded or wrote
    user_by_name = {name: guid for guid, name in users.values()}
    code_guids = project.refi_guids("codes")
    document_guids = project.refi_guids("documents")
    coding_guids = project.refi_guids("codings")
    case_guids = project.refi_guids("cases")
    memo_guids = project.refi_guids("memos")
    memos = project.memos()
    notes_on: dict[tuple[str, int | None], list[str]] = {}
    texts_on: dict[tuple[str, int | None], list[str]] = {}  # for the Descriptions readers look in
    for memo in memos:
        notes_on.setdefault((memo.target, memo.target_id), []).append(memo_guids[memo.id])
        texts_on.setdefault((memo.target, memo.target_id), []).append(memo.text)

    root = etree.Element(f"{E}Project", nsmap={None: PROJECT_NS, "xsi": XSI_NS},
                         name=xml_text(project.meta("name") or project.path.stem), origin=ORIGIN)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{PROJECT_NS} {PROJECT_LOCATION}")
    created = _datetime(project.meta("created_at"))
    if users:
        root.set("creatingUserGUID", next(iter(users.values()))[0])
        element = etree.SubElement(root, f"{E}Users")
        for guid, name in users.values():
            etree.SubElement(element, f"{E}User", guid=guid, name=xml_text(name))
    if created:
        root.set("creationDateTime", created)
    tree = project.code_tree()
    if tree:
        codes_element = etree.SubElement(etree.SubElement(root, f"{E}CodeBook"), f"{E}Codes")
        not_codable = project.refi_not_codable()
        code_notes = {target_id: guids for (target, target_id), guids in notes_on.items() if target == "code"}
        for code in tree:
            code_element(codes_element, PROJECT_NS, code, lambda c: code_guids[c.id], code_notes, not_codable)
    cases = project.cases()
    documents = project.documents()
    variable_names = sorted({name for case in cases for name in case.attributes})
    if variable_names:
        element = etree.SubElement(root, f"{E}Variables")
        for name in variable_names:
            etree.SubElement(element, f"{E}Variable", guid=derived_guid("variable", name),
                             name=xml_text(name), typeOfVariable="Text")
    if cases:
        element = etree.SubElement(root, f"{E}Cases")
        for case in cases:
            case_element = etree.SubElement(element, f"{E}Case", guid=case_guids[case.id], name=xml_text(case.name))
            for name in sorted(case.attributes):
                value = etree.SubElement(case_element, f"{E}VariableValue")
                etree.SubElement(value, f"{E}VariableRef", targetGUID=derived_guid("variable", name))
                etree.SubElement(value, f"{E}TextValue").text = xml_text(case.attributes[name] or "")
            for row in documents:
                if row.case_id == case.id:
                    etree.SubElement(case_element, f"{E}SourceRef", targetGUID=document_guids[row.id])
    texts: list[tuple[str, str]] = []
    codings_by_document: dict[int, list] = {}
    for coding in project.codings():
        codings_by_document.setdefault(coding.document_id, []).append(coding)
    if documents:
        sources = etree.SubElement(root, f"{E}Sources")
        for number, row in enumerate(documents):
            document = project.document(row.id)
            guid = document_guids[document.id]
            member = f"{guid}.txt"
            texts.append((member, document.text))
            source = etree.SubElement(sources, f"{E}TextSource", guid=guid, name=xml_text(document.name),
                                      plainTextPath=f"internal://{member}")
            moment = _datetime(document.imported_at)
            if moment:
                source.set("creationDateTime", moment)
            # A document memo where QualCoder and others read one (its Description), and as Notes
            memo_text = description_of(texts_on.get(("document", document.id), ()))
            if memo_text:
                etree.SubElement(source, f"{E}Description").text = xml_text(memo_text)
            _selections(source, E, document, codings_by_document.get(document.id, []), code_guids,
                        coding_guids, user_by_name, notes_on, texts_on)
            for note in notes_on.get(("document", document.id), ()):
                etree.SubElement(source, f"{E}NoteRef", targetGUID=note)
            if progress:
                progress(number + 1, len(documents))
    if memos:
        notes = etree.SubElement(root, f"{E}Notes")
        for memo in memos:
            first_line = memo.text.strip().split("\n", 1)[0]
            note = etree.SubElement(notes, f"{E}Note", guid=memo_guids[memo.id],
                                    name=xml_text(first_line[:60] or "memo"))
            if memo.coder and memo.coder in user_by_name:
                note.set("creatingUser", user_by_name[memo.coder])
            moment = _datetime(memo.created_at)
            if moment:
                note.set("creationDateTime", moment)
            etree.SubElement(note, f"{E}PlainTextContent").text = xml_text(memo.text)
        case_notes = [(guid, case_guids[target_id]) for (target, target_id), guids in notes_on.items()
                      if target == "case" and target_id in case_guids for guid in guids]
        if case_notes:  # a Case has no NoteRef in the schema: a Link from the note says what it is about
            links = etree.SubElement(root, f"{E}Links")
            for note, case in case_notes:
                etree.SubElement(links, f"{E}Link", guid=derived_guid("link", note, case), name="memo",
                                 direction="OneWay", originGUID=note, targetGUID=case)
    description = project.meta("codebook_description")
    if description:
        etree.SubElement(root, f"{E}Description").text = xml_text(description)
    for note in notes_on.get(("project", None), ()):
        etree.SubElement(root, f"{E}NoteRef", targetGUID=note)
    data = _valid_bytes(root, PROJECT_NS)

    def write(target: Path) -> None:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr("project.qde", data)
            for member, text in texts:
                archive.writestr(f"sources/{member}", text.encode("utf-8"))

    write_atomically(path, write)
    return ExportSummary(str(path), len(documents), len(code_guids), sum(map(len, codings_by_document.values())),
                         len(memos), len(cases), path.stat().st_size)


def description_of(memos: Iterable[str]) -> str:
    """Memo texts as one Description (readers that take one memo per object read this)."""
    return "\n\n".join(text.strip() for text in memos if text.strip())


def _selections(source, E, document, codings: Iterable, code_guids, coding_guids, user_by_name, notes_on,
                texts_on) -> None:
    """One PlainTextSelection per coded span, coder and memo, its codings (code, date) inside it.

    Readers such as QualCoder credit every coding of a selection to the selection's
    creatingUser and take its Description as the memo of each: a selection per coder (and per
    memo) keeps both right.
    """
    from lxml import etree

    spans: dict[tuple[int, int, str, str], list] = {}
    for coding in codings:
        memo = description_of(texts_on.get(("coding", coding.id), ()))
        spans.setdefault((coding.start, coding.end, coding.coder or "", memo), []).append(coding)
    if not spans:
        return
    units = Utf16Map.of(document.text)
    for (start, end, coder, memo), group in sorted(spans.items()):
        guid = derived_guid("selection", document.guid, start, end, coder, memo) if coder or memo else \
            derived_guid("selection", document.guid, start, end)
        selection = etree.SubElement(
            source, f"{E}PlainTextSelection", guid=guid,
            name=xml_text(document.text[start:end]), startPosition=str(units.to_units(start)),
            endPosition=str(units.to_units(end)))
        first = min(group, key=lambda c: c.created_at or "")
        if first.coder in user_by_name:
            selection.set("creatingUser", user_by_name[first.coder])
        moment = _datetime(first.created_at)
        if moment:
            selection.set("creationDateTime", moment)
        if memo:
            etree.SubElement(selection, f"{E}Description").text = xml_text(memo)
        for coding in group:
            element = etree.SubElement(selection, f"{E}Coding", guid=coding_guids[coding.id])
            if coding.coder in user_by_name:
                element.set("creatingUser", user_by_name[coding.coder])
            moment = _datetime(coding.created_at)
            if moment:
                element.set("creationDateTime", moment)
            etree.SubElement(element, f"{E}CodeRef", targetGUID=code_guids[coding.code_id])
            for note in notes_on.get(("coding", coding.id), ()):
                etree.SubElement(element, f"{E}NoteRef", targetGUID=note)


_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _datetime(value: str | None) -> str | None:
    return value if value and _DATETIME.fullmatch(value) else None
