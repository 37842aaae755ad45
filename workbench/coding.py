"""Coding: applying and removing codes on spans, retrieving segments, counting codes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from .codebook.ops import descendants, paths_by_id, resolve
from .intervals import overlaps
from .model import Coding, Memo, Segment, WorkbenchError
from .store import Project
from .store.events import Action
from .turn_index import TurnIndex


# The resolvers below are the edge's tools (CLI, TUI, scripts): names become ids once, there.
# The core functions take ids, and check only that the ids exist.
def document_id(project: Project, reference: str | int, *, digits_are_ids: bool = False) -> int:
    """A document's id from its id or its name ('P01-yiwu-trader.txt').

    With `digits_are_ids`, a name of digits that no document has is taken as an id when one has it
    (`workbench show study.qda 3`).
    """
    if digits_are_ids and isinstance(reference, str) and reference.isdigit() and \
            project.document_id(reference) is None and project.document_length(int(reference)) is not None:
        return int(reference)
    if isinstance(reference, int):
        if project.document_length(reference) is None:
            raise WorkbenchError(f"no document with id {reference} in {project.path.name}")
        return reference
    found = project.document_id(reference)
    if found is None:
        from .closest import hint

        names = [row.name for row in project.documents()]
        raise WorkbenchError(f"no document named {reference!r} in {project.path.name}{hint(reference, names)}")
    return found


def code_id(project: Project, reference: str | int, paths: dict[int, str] | None = None) -> int:
    """A code's id from its id or its path or name; `paths` (from `paths_by_id`) saves building them."""
    if isinstance(reference, int):  # one lookup, not every code's path (each coding checks its code)
        if (reference not in paths) if paths is not None else project.guid_of("code", reference) is None:
            raise WorkbenchError(f"no code with id {reference} in {project.path.name}")
        return reference
    return resolve(project, reference)


def apply_code(
    project: Project, document: int, code: int, start: int, end: int, coder: str,
    origin: str = "manual",
) -> int:
    """Code text[start:end] of a document with a code (both ids, checked to exist).

    The same code on the same span by the same coder is kept once.
    """
    doc_id, length = document, project.document_length(document)  # one lookup: it exists, and how long
    if length is None:
        raise WorkbenchError(f"no document with id {doc_id} in {project.path.name}")
    code_ = code_id(project, code)
    if not (0 <= start < end <= length):
        name = project.document(doc_id).name
        raise WorkbenchError(
            f"span {start}–{end} is outside document {name!r} (it has {length} characters; "
            "the end must be after the start)"
        )
    with project.transaction():  # look under the write lock: another process may code it meanwhile
        existing = project.find_coding(doc_id, code_, start, end, coder)
        if existing is not None:
            return existing
        coding_id = project.add_coding(doc_id, code_, start, end, coder, origin)
        project.log(Action.CODE_APPLY, {"coding": coding_id, "guid": project.guid_of("coding", coding_id),
                                   "document_id": doc_id, "code_id": code_, "start": start, "end": end,
                                   "origin": origin}, coder)
    return coding_id


def remove_coding(project: Project, coding_id: int, coder: str | None = None) -> Coding:
    """Remove one coding (its memos go with it) and return it."""
    return take_coding(project, coding_id, coder)[0]


def take_coding(project: Project, coding_id: int, coder: str | None = None) -> tuple[Coding, list[Memo]]:
    """Remove one coding and return it with its memos, so that both can be put back (undo)."""
    with project.transaction():
        removed = project.delete_coding(coding_id, coder)
        if removed is None:
            raise WorkbenchError(f"no coding with id {coding_id} (removed meanwhile?)")
        coding, memos = removed
        project.log(Action.CODE_REMOVE, {"coding": coding.__dict__, "memos": [m.guid for m in memos]}, coder)
    return coding, memos


def restore_coding(project: Project, coding: Coding, coder: str | None = None, memos: Iterable[Memo] = ()) -> int:
    """Put a removed coding back, with its memos; returns its id."""
    with project.transaction():
        coding_id = project.restore_coding(coding, memos)
        project.log(Action.CODE_RESTORE, {"coding": coding_id, "guid": coding.guid}, coder)
    return coding_id


def codings_at(project: Project, document: int, start: int, end: int) -> list[Coding]:
    """Codings of a document that overlap [start, end) (a point when start == end)."""
    doc_id = document_id(project, document)
    wanted = (start, max(end, start + 1))
    return [c for c in project.codings(document_id=doc_id) if overlaps((c.start, c.end), wanted)]


def retrieve(
    project: Project, code: int, *, with_descendants: bool = True,
    coders: Iterable[str] | None = None, where: dict[str, str] | None = None,
) -> list[Segment]:
    """Every segment coded with a code (and its sub-codes), in document order."""
    paths = paths_by_id(project)  # built once: it names the sub-code that applied to each segment
    root = code_id(project, code, paths)
    ids = descendants(project, root) if with_descendants else [root]
    segments = project.coded_segments(ids, paths, coders)
    if where:
        allowed = documents_matching(project, where)
        segments = [segment for segment in segments if segment.document_id in allowed]
    return segments


def documents_matching(project: Project, where: dict[str, str]) -> set[int]:
    """Documents whose case attributes match every ATTR=VALUE (case-insensitive)."""
    attributes = project.document_attributes()
    documents = {row.id: row for row in project.documents()}
    known = {"document", "lang"} | {name.casefold() for values in attributes.values() for name in values}
    for key in where:
        if key.casefold() not in known:
            names = sorted({name for values in attributes.values() for name in values} | {"document", "lang"})
            raise WorkbenchError(f"--where {key}=…: unknown attribute {key} in {project.path.name} "
                                 f"(known: {', '.join(names)})")
    matched = set()
    for doc_id, values in attributes.items():
        values = {k.casefold(): v for k, v in values.items()}
        values.setdefault("document", documents[doc_id].name)
        values.setdefault("lang", documents[doc_id].lang)
        if all(values.get(key.casefold(), "").casefold() == value.casefold() for key, value in where.items()):
            matched.add(doc_id)
    return matched


def parse_where(pairs: Iterable[str]) -> dict[str, str]:
    where = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise WorkbenchError(f"--where {pair!r}: expected ATTRIBUTE=VALUE, e.g. city=Yiwu")
        where[key.strip()] = value.strip()
    return where


def frequencies(
    project: Project, by: str = "document", with_descendants: bool = False,
    where: dict[str, str] | None = None,
) -> dict[str, Counter]:
    """Code path -> Counter of codings per document name or per value of a case attribute."""
    paths = paths_by_id(project)
    documents = {row.id: row.name for row in project.documents()}
    attributes = project.document_attributes()
    allowed = documents_matching(project, where) if where else None
    subtree = {cid: descendants(project, cid) for cid in paths} if with_descendants else None
    table: dict[str, Counter] = {paths[cid]: Counter() for cid in paths}
    for coding in project.codings():
        if allowed is not None and coding.document_id not in allowed:
            continue
        column = documents[coding.document_id] if by == "document" else next(
            (v for k, v in attributes.get(coding.document_id, {}).items() if k.casefold() == by.casefold()),
            "(none)",
        )
        owners = [cid for cid, below in subtree.items() if coding.code_id in below] if subtree else [coding.code_id]
        for owner in owners:
            table[paths[owner]][column] += 1
    return table


def cooccurrence(project: Project, unit: str = "span", coders: Iterable[str] | None = None) -> Counter:
    """(code path, code path) -> how often the two codes overlap (or share a turn)."""
    if unit not in ("span", "turn"):
        raise WorkbenchError(f"unit {unit!r}: use 'span' or 'turn'")
    paths = paths_by_id(project)
    by_document: dict[int, list[Coding]] = defaultdict(list)
    for coding in project.codings(coders=coders):
        by_document[coding.document_id].append(coding)
    counts: Counter = Counter()
    for doc_id, codings in by_document.items():
        if unit == "turn":
            in_turn = TurnIndex.of(project, doc_id).keys_by_turn((c.start, c.end, c.code_id) for c in codings)
            for codes in in_turn.values():
                for a in codes:
                    for b in codes:
                        if a < b:
                            counts[_pair(paths[a], paths[b])] += 1
            continue
        codings.sort(key=lambda c: c.start)
        for i, first in enumerate(codings):
            for second in codings[i + 1:]:
                if second.start >= first.end:
                    break
                if second.code_id != first.code_id:
                    counts[_pair(paths[first.code_id], paths[second.code_id])] += 1
    return counts


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def find_quote(project: Project, document: int, quote: str, nth: int | None = None) -> tuple[int, int]:
    """(start, end) of a quote in a document, so scripts can code without counting offsets.

    Whitespace and line breaks in the quote match any whitespace in the text. A quote ending in
    `…` or `...` runs to the end of the sentence it starts. When the quote occurs more than once,
    `nth` (from 1) says which.
    """
    import re
    import unicodedata

    from .text.segment import sentence_spans

    doc_id = document_id(project, document)
    text = project.slice(doc_id, 0, project.document_length(doc_id) or 0)
    wanted = unicodedata.normalize("NFC", quote).strip()
    to_sentence_end = wanted.endswith(("…", "..."))
    wanted = wanted.rstrip("….").strip() if to_sentence_end else wanted
    if not wanted:
        raise WorkbenchError("--quote: give the words to code")
    pattern = re.compile(r"\s+".join(re.escape(part) for part in wanted.split()))
    found = [m.span() for m in pattern.finditer(text)]
    name = project.document(doc_id).name
    shown = wanted if len(wanted) <= 40 else wanted[:39] + "…"
    if not found:
        raise WorkbenchError(f"{name}: the quote {shown!r} is not in it (spacing and line breaks are ignored; "
                             "check the spelling, or use `workbench show` for offsets)")
    if nth is None and len(found) > 1:
        places = ", ".join(str(start) for start, _ in found[:6]) + (" …" if len(found) > 6 else "")
        raise WorkbenchError(f"{name}: the quote {shown!r} occurs {len(found)} times (at {places}); "
                             "say which with --nth K")
    index = 1 if nth is None else nth
    if not 1 <= index <= len(found):
        raise WorkbenchError(f"{name}: --nth {index}, but the quote occurs "
                             f"{len(found)} time{'s' if len(found) != 1 else ''}")
    start, end = found[index - 1]
    if to_sentence_end:
        end = next((e for s, e in sentence_spans(text, start, len(text)) if e > end), end)
    return start, end
