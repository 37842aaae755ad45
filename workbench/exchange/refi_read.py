"""Reading a .qdpx or .qdc into plain values, touching no database.

What real exports do that the standard does not say is handled here: UTF-8 BOMs, CRLF text
with positions counting both characters, UTF-16 code units instead of code points, selection
names holding the selected text (with U+2029 between paragraphs) or nothing at all, members
named in another case, and files in `sources/` that nothing refers to (left unread).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..model import WorkbenchError
from . import codetext
from .positions import Normalised, Utf16Map, normalise
from .safe_zip import Limits, SafeArchive
from .xmlsafe import CODEBOOK_NS, PROJECT_NS, parse, validate

P = f"{{{PROJECT_NS}}}"


@dataclass
class RefiCode:
    guid: str
    name: str
    color: str | None
    parts: codetext.CodeText
    children: list[RefiCode] = field(default_factory=list)
    codable: bool = True  # isCodable="false": a folder-like code that takes no codings

    def walk(self, path: tuple[str, ...] = ()):
        here = path + (self.name,)
        yield here, self
        for child in self.children:
            yield from child.walk(here)


@dataclass(frozen=True)
class RefiCoding:
    guid: str
    code_guid: str
    start: int
    end: int
    user: str | None
    created: str | None
    selection: str | None  # the selection's guid (None for a coding of the whole source)


@dataclass
class RefiSource:
    guid: str
    name: str
    text: str
    encoding: str
    format: str
    created: str | None
    codings: list[RefiCoding] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class RefiCase:
    guid: str
    name: str
    variables: dict[str, str]
    sources: list[str]


@dataclass
class RefiNote:
    guid: str
    text: str
    user: str | None
    created: str | None
    targets: list[str] = field(default_factory=list)  # guids of what it annotates, "" = project


@dataclass
class RefiProject:
    """Everything of a .qdpx we keep, with a line for each thing we could not."""

    name: str
    origin: str
    users: dict[str, str]  # guid -> name
    codes: list[RefiCode]
    cases: list[RefiCase]
    sources: list[RefiSource]
    notes: list[RefiNote]
    creator: str | None = None
    description: str = ""
    report: list[str] = field(default_factory=list)

    def walk_codes(self):
        for code in self.codes:
            yield from code.walk()


# ------------------------------------------------------------------------- archive


def read_qdpx(path: str | Path, limits: Limits = Limits()) -> RefiProject:
    """Parse a .qdpx archive; raise a one-line WorkbenchError when it is unsafe or unreadable."""
    path = Path(path)
    with SafeArchive(path, limits) as archive:
        member = archive.find("project.qde") or next(
            (n for n in archive.names() if n.casefold().endswith(".qde") and "/" not in n.strip("/")), None)
        if member is None:
            raise WorkbenchError(f"{path}: not a REFI-QDA project (no project.qde inside)")
        where = f"{path}: {member}"
        tree = parse(archive.read(member), where)
        deviations = validate(tree, PROJECT_NS, where, strict=False)
        archive.check_time()
        project = _project(tree.getroot(), archive, path)
    if deviations:
        project.report.insert(0, f"{len(deviations)} schema deviation{'s' if len(deviations) != 1 else ''} "
                                 f"tolerated (first: {deviations[0]})")
    return project


def read_qdc(path: str | Path) -> list[RefiCode]:
    """The code tree of a .qdc codebook file."""
    path = Path(path)
    if not path.exists():
        raise WorkbenchError(f"{path}: no such file")
    data = path.read_bytes()
    if len(data) > 50 * 1024 * 1024:
        raise WorkbenchError(f"{path}: {len(data) / 1048576:.0f} MB is too large for a codebook")
    tree = parse(data, str(path))
    validate(tree, CODEBOOK_NS, str(path), strict=False)
    codes_element = tree.getroot().find(f"{{{CODEBOOK_NS}}}Codes")
    report: list[str] = []
    return _codes(codes_element, f"{{{CODEBOOK_NS}}}", report) if codes_element is not None else []


def _project(root, archive: SafeArchive, path: Path) -> RefiProject:
    report: list[str] = []
    users = {_guid(u.get("guid")): (clean_name(u.get("name") or "") or f"user {(u.get('guid') or '')[:8]}")
             for u in root.iterfind(f"{P}Users/{P}User") if u.get("guid")}
    codes_element = root.find(f"{P}CodeBook/{P}Codes")
    codes = _codes(codes_element, P, report) if codes_element is not None else []
    variables = {_guid(v.get("guid")): clean_name(v.get("name") or "")
                 for v in root.iterfind(f"{P}Variables/{P}Variable")}
    notes_by_guid: dict[str, RefiNote] = {}
    for note in root.iterfind(f"{P}Notes/{P}Note"):
        text = _text_of(note, archive, report, f"note {note.get('guid')}")
        if text is None:
            continue
        notes_by_guid[_guid(note.get("guid"))] = RefiNote(
            _guid(note.get("guid")), text[0].strip("\n"), (_guid(note.get("creatingUser")) or None),
            _date(note.get("creationDateTime")))
    described: list[RefiNote] = []

    def attach(element, target: str, codings=()) -> None:
        """Notes referred to from `element`, and its Description, become memos on `target`.

        A Description is a memo where readers such as QualCoder look for one; ours repeats the
        Notes of the same object, so one that says what those Notes say adds nothing.
        """
        own: list[RefiNote] = []
        for ref in element.iterfind(f"{P}NoteRef"):
            note = notes_by_guid.get(_guid(ref.get("targetGUID")))
            if note is not None:
                note.targets.append(target)
                own.append(note)
        description = element.findtext(f"{P}Description")
        if description and description.strip() and element.tag not in (f"{P}Code", f"{P}Project"):
            description_on = [(_guid(c.get("guid")), [notes_by_guid[g] for g in (
                _guid(r.get("targetGUID")) for r in c.iterfind(f"{P}NoteRef")) if g in notes_by_guid])
                for c in codings] or [(target, own)]
            for where, notes in description_on:
                if description.strip() == "\n\n".join(n.text.strip() for n in notes if n.text.strip()):
                    continue
                described.append(RefiNote("", description.strip(), (_guid(element.get("creatingUser")) or None),
                                          _date(element.get("creationDateTime")), [where]))

    attach(root, "")
    for element in root.iter(f"{P}Code"):
        for ref in element.iterfind(f"{P}NoteRef"):
            note = notes_by_guid.get(_guid(ref.get("targetGUID")))
            if note is not None:
                note.targets.append(_guid(element.get("guid")))
    sources: list[RefiSource] = []
    for element in root.iterfind(f"{P}Sources/*"):
        archive.check_time()
        kind = _local(element.tag)
        text_element = element
        if kind == "PDFSource":
            text_element = element.find(f"{P}Representation")
            if text_element is None:
                report.append(f"PDF source {element.get('name')!r}: no plain-text representation; skipped")
                continue
        elif kind != "TextSource":
            report.append(f"{kind} {element.get('name')!r}: pictures, audio and video are not imported")
            continue
        source = _source(element, text_element, kind, archive, variables, report, attach)
        if source is not None:
            sources.append(source)
    cases: list[RefiCase] = []
    for element in root.iterfind(f"{P}Cases/{P}Case"):
        guid = _guid(element.get("guid"))
        name = clean_name(element.get("name") or "") or f"case {guid[:8]}"
        cases.append(RefiCase(guid, name, _values(element, variables),
                              [_guid(r.get("targetGUID")) for r in element.iterfind(f"{P}SourceRef")]))
        attach(element, guid)
    for link in root.iterfind(f"{P}Links/{P}Link"):
        origin, target = _guid(link.get("originGUID")), _guid(link.get("targetGUID"))
        if origin in notes_by_guid and target and target not in notes_by_guid:
            notes_by_guid[origin].targets.append(target)
        elif target in notes_by_guid and origin and origin not in notes_by_guid:
            notes_by_guid[target].targets.append(origin)
    if root.find(f"{P}Sets") is not None:
        report.append("sets are not imported")
    if root.find(f"{P}Graphs") is not None:
        report.append("graphs are not imported")
    return RefiProject(
        name=root.get("name") or path.stem, origin=root.get("origin") or "", users=users, codes=codes,
        cases=cases, sources=sources, notes=list(notes_by_guid.values()) + described,
        creator=_guid(root.get("creatingUserGUID")) or None, report=report,
        description=(root.findtext(f"{P}Description") or "").strip(),
    )


def _codes(element, ns: str, report: list[str]) -> list[RefiCode]:
    codes: list[RefiCode] = []
    seen: dict[str, int] = {}
    for child in element.iterfind(f"{ns}Code"):
        name = clean_name(child.get("name") or "") or "(unnamed code)"
        folded = name.casefold()
        if folded in seen:  # names are unique among siblings here; keep both codes
            seen[folded] += 1
            renamed = f"{name} ({seen[folded]})"
            report.append(f"code {name!r}: a sibling has the same name; imported as {renamed!r}")
            name = renamed
        else:
            seen[folded] = 1
        codes.append(RefiCode(
            guid=_guid(child.get("guid")), name=name, color=_color(child.get("color")),
            parts=codetext.parse(child.findtext(f"{ns}Description") or ""),
            children=_codes(child, ns, report),
            codable=(child.get("isCodable") or "true").strip().lower() not in ("false", "0"),
        ))
    return codes


def _source(element, text_element, kind, archive, variables, report, attach) -> RefiSource | None:
    guid = _guid(element.get("guid"))
    name = clean_name(element.get("name") or "") or guid
    loaded = _text_of(text_element, archive, report, f"source {name!r}")
    if loaded is None:
        return None
    raw, encoding = loaded
    if raw.startswith("\ufeff"):
        raw = raw[1:]  # positions count from after the BOM
    normalised = normalise(raw)
    if not normalised.text.strip():
        report.append(f"source {name!r}: holds no text; skipped")
        return None
    source = RefiSource(guid, name, normalised.text, encoding, "pdf" if kind == "PDFSource" else "txt",
                        _date(element.get("creationDateTime")), variables=_values(element, variables))
    attach(element, guid)
    placer = _Placer(raw, normalised, name, report)
    selections = list(text_element.iterfind(f"{P}PlainTextSelection"))
    placer.choose(selections)
    for selection in selections:
        span = placer.place(selection)
        sel_guid = _guid(selection.get("guid")) or None
        codings = list(selection.iterfind(f"{P}Coding"))
        if span is None:
            continue
        for coding in codings:
            source.codings.append(_coding(coding, span, selection, sel_guid, report, name))
        # A selection's Description is the memo of each of its codings (as QualCoder reads it)
        attach(selection, codings and _guid(codings[0].get("guid")) or guid, codings)
        for coding in codings:
            attach(coding, _guid(coding.get("guid")))
    for coding in list(text_element.iterfind(f"{P}Coding")) + (
            list(element.iterfind(f"{P}Coding")) if text_element is not element else []):
        source.codings.append(_coding(coding, (0, len(source.text)), element, None, report, name))
        attach(coding, _guid(coding.get("guid")))
    return source


def _coding(coding, span, selection, sel_guid, report, source_name) -> RefiCoding:
    ref = coding.find(f"{P}CodeRef")
    return RefiCoding(
        guid=_guid(coding.get("guid")), code_guid=_guid(ref.get("targetGUID")) if ref is not None else "",
        start=span[0], end=span[1],
        user=_guid(coding.get("creatingUser")) or _guid(selection.get("creatingUser")) or None,
        created=_date(coding.get("creationDateTime")) or _date(selection.get("creationDateTime")),
        selection=sel_guid,
    )


class _Placer:
    """Turns a selection's positions into ours, checking them against the selection's name."""

    def __init__(self, raw: str, normalised: Normalised, source: str, report: list[str]):
        self.raw, self.normalised, self.source, self.report = raw, normalised, source, report
        self.utf16 = Utf16Map.of(raw)
        self.order = ("utf16", "code points")

    def candidates(self, start: int, end: int, unit: str) -> tuple[int, int]:
        if unit == "utf16":
            start, end = self.utf16.from_units(start), self.utf16.from_units(end)
        return self.normalised.from_raw(start), self.normalised.from_raw(end)

    def fits(self, name: str, span: tuple[int, int]) -> bool:
        start, end = span
        if not 0 <= start < end <= len(self.normalised.text):
            return False
        return same_text(name, self.normalised.text[start:end])

    def choose(self, selections) -> None:
        """Count units the way most named selections agree with (UTF-16 when undecided)."""
        if not self.utf16.astral:
            return
        score = {"utf16": 0, "code points": 0}
        for selection in selections:
            name = selection.get("name") or ""
            raw_span = _positions(selection)
            if not name.strip() or raw_span is None:
                continue
            for unit in score:
                if self.fits(name, self.candidates(*raw_span, unit)):
                    score[unit] += 1
        if score["code points"] > score["utf16"]:
            self.order = ("code points", "utf16")

    def place(self, selection) -> tuple[int, int] | None:
        name = selection.get("name") or ""
        raw_span = _positions(selection)
        label = f"source {self.source!r}, selection {selection.get('guid')}"
        if raw_span is None:
            self.report.append(f"{label}: positions are not whole numbers; skipped")
            return None
        start, end = raw_span
        first = self.candidates(start, end, self.order[0])
        if name.strip():
            for unit in self.order:
                for span in (self.candidates(start, end, unit), self.candidates(start, end + 1, unit)):
                    if self.fits(name, span):
                        return span
        if not 0 <= first[0] < first[1] <= len(self.normalised.text):
            self.report.append(f"{label}: positions {start}–{end} do not fit in its "
                               f"{len(self.normalised.text):,} characters; skipped")
            return None
        if name.strip():
            self.report.append(f"{label}: the text at {start}–{end} is not its name {_short(name)!r}; "
                               "kept at the given positions")
        return first


def _positions(selection) -> tuple[int, int] | None:
    try:
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    except (TypeError, ValueError):
        return None
    return (start, end) if start <= end else (end, start)


_SPACE = re.compile(r"\s+")


def same_text(name: str, text: str) -> bool:
    """Whether a selection's name is its text (paragraph marks and spacing aside, maybe cut short)."""
    a, b = _canon(name), _canon(text)
    if not a or not b:
        return False
    if a == b:
        return True
    for ellipsis in ("...", "…"):
        if a.endswith(ellipsis) and len(a) > len(ellipsis) + 3:
            return b.startswith(a[: -len(ellipsis)].rstrip())
    return len(a) >= 20 and b.startswith(a)


def _canon(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u2029", "\n").replace("\u2028", "\n")
    return _SPACE.sub(" ", text).strip()


def _short(text: str) -> str:
    return _canon(text)[:40] + ("…" if len(_canon(text)) > 40 else "")


def _text_of(element, archive: SafeArchive, report: list[str], label: str) -> tuple[str, str] | None:
    """A text source's or note's plain text, from its content or the archive member it names."""
    content = element.find(f"{P}PlainTextContent")
    if content is not None and content.text is not None:
        return content.text, "utf-8"
    reference = element.get("plainTextPath")
    if not reference:
        if content is not None:
            return "", "utf-8"
        rich = element.get("richTextPath") or element.get("path")
        report.append(f"{label}: no plain text in the file" + (f" (only {rich})" if rich else "") + "; skipped")
        return None
    member = _member_for(reference, archive)
    if member is None:
        report.append(f"{label}: its text {reference!r} is not in the archive; skipped")
        return None
    return decode_text(archive.read(member), f"{archive.path}: {member}")


def _member_for(reference: str, archive: SafeArchive) -> str | None:
    """The archive member a source path names (`internal://x.txt`, `relative:///x.txt`, `x.txt`)."""
    for scheme in ("internal://", "relative://"):
        if reference.startswith(scheme):
            reference = reference[len(scheme):]
            break
    else:
        if "://" in reference:  # absolute:// and the like point outside the archive
            return None
    reference = reference.lstrip("/")
    return archive.find(f"sources/{reference}") or archive.find(reference)


def decode_text(data: bytes, where: str) -> tuple[str, str]:
    """UTF-8 as the standard says; anything else through the importers' detection."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from ..importers.encoding import decode

        return decode(data, where)


def _values(element, variables: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in element.iterfind(f"{P}VariableValue"):
        ref = value.find(f"{P}VariableRef")
        name = variables.get(_guid(ref.get("targetGUID"))) if ref is not None else None
        if not name:
            continue
        for child in value:
            if child is not ref and child.text is not None:
                values[name] = child.text.strip()
    return values


def clean_name(name: str) -> str:
    """A name as one line: paragraph and line marks (U+2029 from some tools) become spaces."""
    name = unicodedata.normalize("NFC", name)
    return _SPACE.sub(" ", name.replace("\u2029", " ").replace("\u2028", " ")).strip()


def _guid(value: str | None) -> str:
    """GUIDs compare without case or braces (vendors write both); "" for none."""
    if not value:
        return ""
    return value.strip().strip("{}").lower()


_COLOR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def _color(value: str | None) -> str | None:
    match = _COLOR.fullmatch((value or "").strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


def _date(value: str | None) -> str | None:
    """An xsd:dateTime as UTC ISO (a date without zone is taken as UTC); None if unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
