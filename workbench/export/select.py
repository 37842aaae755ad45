"""Which excerpts an export holds: codes (with or without sub-codes), a boolean query, case
attributes, coders and documents, each excerpt carrying everything a citation or a table needs."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..codebook.ops import descendants, paths_by_id
from ..coding import code_id, documents_matching
from ..model import WorkbenchError
from ..store import Project


@dataclass(frozen=True)
class Selection:
    """What to export, as the CLI and the TUI ask for it."""

    codes: tuple[str, ...] = ()  # empty: every code
    subcodes: bool = True
    query: str | None = None
    where: dict[str, str] = field(default_factory=dict)
    coders: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Excerpt:
    """One coded passage with where it comes from: document, case, turn, time, coder, memo."""

    document_id: int
    document: str
    start: int
    end: int
    text: str
    code: str  # the code's path ('Trust/Distrust'), or the query for query results
    coder: str = ""  # one coder, or several joined by ', ' once merged
    coding_id: int | None = None
    case: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    turn: int | None = None  # 1-based turn (paragraph) number: the ¶ of a citation
    speaker: str = ""
    t_start_ms: int | None = None
    t_end_ms: int | None = None
    memo: str = ""
    translation: str = ""
    translation_lang: str = ""
    definition: str = ""  # the code's definition, shown under its heading
    coding_ids: tuple[int, ...] = ()
    code_names: tuple[str, ...] = ()  # the code's path as names (a name may hold '/'): tables write it exactly
    lang: str = ""  # the document's language (zh, en, mixed, fr, …)


def select(project: Project, selection: Selection) -> list[Excerpt]:
    """The excerpts a selection names, in codebook order, then document and position order."""
    allowed = _allowed_documents(project, selection)
    if selection.query:
        if selection.coders:
            raise WorkbenchError("--coder cannot narrow a --query (a query's spans belong to no single coder); "
                                 "use --code with --coder instead")
        return _query_excerpts(project, selection.query, allowed)
    paths = paths_by_id(project)
    if selection.codes:
        roots = [code_id(project, name) for name in selection.codes]
        ids: list[int] = []
        for root in roots:
            for cid in (descendants(project, root) if selection.subcodes else [root]):
                if cid not in ids:
                    ids.append(cid)
    else:
        ids = list(paths)
    names = _names_by_id(project)
    coders = list(selection.coders) or None
    definitions = _definitions(project)
    context = _Context(project)
    excerpts = []
    for row in project.segment_rows(ids, coders):  # each row carries the code that applied
        if allowed is not None and row.document_id not in allowed:
            continue
        cid = row.code_id
        excerpts.append(replace(context.excerpt(
            row.document_id, row.document, row.start, row.end, row.text or "", paths[cid],
            coder=row.coder or "", coding_id=row.coding_id, definition=definitions.get(cid, ""),
        ), code_names=names[cid]))
    order = {path: i for i, path in enumerate(_tree_order(project))}
    excerpts.sort(key=lambda e: (order.get(e.code, len(order)), e.document, e.start, e.end, e.coder))
    return excerpts


def merge_coders(excerpts: Iterable[Excerpt]) -> list[Excerpt]:
    """One excerpt per code and span: the same passage coded by two coders is quoted once."""
    merged: dict[tuple, Excerpt] = {}
    for excerpt in excerpts:
        key = (excerpt.code, excerpt.document_id, excerpt.start, excerpt.end)
        ids = (excerpt.coding_id,) if excerpt.coding_id is not None else ()
        if key not in merged:
            merged[key] = replace(excerpt, coding_ids=ids)
            continue
        seen = merged[key]
        coders = seen.coder.split(", ") if seen.coder else []
        if excerpt.coder and excerpt.coder not in coders:
            coders.append(excerpt.coder)
        memo = "\n".join(m for m in (seen.memo, excerpt.memo) if m and m not in seen.memo)
        merged[key] = replace(
            seen, coder=", ".join(coders), coding_ids=seen.coding_ids + ids, memo=memo or seen.memo,
            translation=seen.translation or excerpt.translation,
            translation_lang=seen.translation_lang or excerpt.translation_lang,
        )
    return list(merged.values())


def group(excerpts: Iterable[Excerpt], by: str = "code") -> list[tuple[str, list[Excerpt]]]:
    """Excerpts under headings (code paths, or cases), keeping the order they came in."""
    if by not in ("code", "case"):
        raise WorkbenchError(f"--group-by {by!r}: use 'code' or 'case'")
    groups: dict[str, list[Excerpt]] = {}
    for excerpt in excerpts:
        key = excerpt.code if by == "code" else (excerpt.case or excerpt.document)
        groups.setdefault(key, []).append(excerpt)
    if by == "case":
        return sorted(groups.items(), key=lambda item: item[0])
    return list(groups.items())


class _Context:
    """Per-document lookups (turns, attributes), memos and translations, each loaded once."""

    def __init__(self, project: Project):
        self.project = project
        self.attributes = project.document_attributes()
        self.translations = project.translations()
        self.memos: dict[int, list[str]] = defaultdict(list)
        for memo in project.memos("coding"):
            self.memos[memo.target_id].append(memo.text)
        self.turns: dict[int, tuple[list[int], list]] = {}
        self.langs = {row.id: row.lang for row in project.documents()}

    def turn_at(self, document_id: int, start: int):
        if document_id not in self.turns:
            turns = self.project.turns(document_id)
            self.turns[document_id] = ([t.end for t in turns], turns)
        ends, turns = self.turns[document_id]
        # The first turn ending after the start (as retrieval does): a span starting on a
        # speaker label belongs to the turn that follows the label.
        i = bisect.bisect_right(ends, start)
        return turns[i] if i < len(turns) else (turns[-1] if turns else None)

    def excerpt(self, document_id: int, document: str, start: int, end: int, text: str, code: str,
                coder: str = "", coding_id: int | None = None, definition: str = "") -> Excerpt:
        values = dict(self.attributes.get(document_id, {}))
        case = values.pop("case", "") or ""
        turn = self.turn_at(document_id, start)
        translation, lang = self.translations.get(coding_id, ("", "")) if coding_id is not None else ("", "")
        return Excerpt(
            document_id=document_id, document=document, start=start, end=end, text=text, code=code,
            coder=coder, coding_id=coding_id, case=case, attributes=values,
            turn=turn.idx + 1 if turn else None, speaker=(turn.speaker or "") if turn else "",
            t_start_ms=turn.t_start_ms if turn else None, t_end_ms=turn.t_end_ms if turn else None,
            memo="\n".join(self.memos.get(coding_id, [])) if coding_id is not None else "",
            translation=translation, translation_lang=lang, definition=definition,
            lang=self.langs.get(document_id, ""),
        )


def _allowed_documents(project: Project, selection: Selection) -> set[int] | None:
    allowed: set[int] | None = None
    if selection.where:
        allowed = documents_matching(project, selection.where)
    if selection.documents:
        by_name = {row.name.casefold(): row.id for row in project.documents()}
        named = set()
        for name in selection.documents:
            if name.casefold() not in by_name:
                raise WorkbenchError(f"--document {name!r}: no such document in {project.path.name}")
            named.add(by_name[name.casefold()])
        allowed = named if allowed is None else allowed & named
    return allowed


def _query_excerpts(project: Project, expression: str, allowed: set[int] | None) -> list[Excerpt]:
    from ..query import run

    context = _Context(project)
    return [
        context.excerpt(s.document_id, s.document, s.start, s.end, s.text, expression)
        for s in run(project, expression, unit="span")
        if allowed is None or s.document_id in allowed
    ]


def _names_by_id(project: Project) -> dict[int, tuple[str, ...]]:
    by_id = {row.id: row for row in project.code_rows()}
    found: dict[int, tuple[str, ...]] = {}
    for wanted in by_id:
        names, current, seen = [], by_id.get(wanted), set()
        while current is not None and current.id not in seen:
            seen.add(current.id)
            names.append(current.name)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        found[wanted] = tuple(reversed(names))
    return found


def _definitions(project: Project) -> dict[int, str]:
    found: dict[int, str] = {}
    for root in project.code_tree():
        for _, code in root.walk():
            found[code.id] = code.definition
    return found


def _tree_order(project: Project) -> list[str]:
    return ["/".join(path) for root in project.code_tree() for path, _ in root.walk()]
