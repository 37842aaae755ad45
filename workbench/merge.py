"""Merging another coder's project into this one: their documents, codes, codings, memos and cases.

Objects are recognised by their guid where both projects have one, and otherwise by what they
are: a document by its text's sha256 (never duplicated), a code by its full path (a code of the
same name elsewhere in the tree is a reported conflict, never a match), a coding by its document,
code, span and coder, a case by its name. A coder is their guid: two people of one name stay two
("student (2)") unless the person merging says they are one. What either side remembers deleting
stays deleted, and a deletion there removes only what they knew of; work on a code folded here
follows the fold. The whole merge is one transaction after a backup of INTO; a merge that would
change nothing changes nothing (no backup, no record), so running it again is safe.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .model import Code, WorkbenchError
from .store import Project
from .store.events import Action

GUID_NAMESPACE = uuid.UUID("5b0f3c8e-3f4e-4d0b-9a57-6a1f0f6d2c11")


@dataclass
class MergeSummary:
    """What a project merge brought in (or would, with --dry-run)."""

    into: str
    source: str
    source_guid: str
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # conflicts kept as INTO had them, similar names, renames
    backup: str | None = None

    @property
    def changed(self) -> bool:
        return any(self.counts[k] for k in self.counts if not k.endswith("matched") and not k.startswith("kept"))

    def as_json(self) -> dict:
        return {"into": self.into, "from": self.source, "source_guid": self.source_guid, "dry_run": self.dry_run,
                "changed": self.changed, "counts": dict(sorted(self.counts.items())), "notes": self.notes,
                "backup": self.backup}

    def lines(self) -> list[str]:
        c = self.counts
        head = "would bring" if self.dry_run else "brought"
        parts = [f"{c['documents added']} documents ({c['documents matched']} already here)",
                 f"{c['codes added']} codes ({c['codes matched']} matched)",
                 f"{c['codings added']} codings ({c['codings matched']} already here)",
                 f"{c['memos added']} memos", f"{c['cases added']} cases", f"{c['attributes added']} attributes",
                 f"{c['coders added']} coders"]
        lines = [f"{self.source} -> {self.into}: {head} " + ", ".join(parts)]
        kept = [f"{c[k]} {k.replace('kept deleted ', '')}" for k in sorted(c) if k.startswith("kept deleted") and c[k]]
        if kept:
            lines.append("kept deleted (deleted here before): " + ", ".join(kept))
        removed = [f"{c[k]} {k.replace('removed ', '')}" for k in sorted(c) if k.startswith("removed") and c[k]]
        if removed:
            lines.append(("would remove" if self.dry_run else "removed") + " (deleted there): " + ", ".join(removed))
        lines += self.notes
        if not self.changed:
            lines.append("nothing to merge: everything is already here")
        elif self.backup:
            lines.append(f"backup of the project before the merge: {self.backup}")
        return lines


class _Rollback(Exception):
    """Raised inside the merge transaction to undo it (a dry run, or nothing to do)."""


def project_guid(project: Project, create: bool = False) -> str:
    """The project's own identity, kept in `meta`; a project without one gets one derived from it."""
    stored = project.meta("project_guid")
    if stored:
        return stored
    if create:
        guid = str(uuid.uuid4())
        with project.transaction():
            project.set_meta("project_guid", guid)
        return guid
    seed = f"{project.meta('created_at')}:{project.meta('name')}"
    return str(uuid.uuid5(GUID_NAMESPACE, seed))


def merge_projects(into_path: str | Path, source_path: str | Path, coder: str | None = None,
                   dry_run: bool = False, same_coders: dict[str, str] | None = None) -> MergeSummary:
    """Bring FROM's work into INTO, after a backup of INTO; the whole merge is one transaction.

    `same_coders` maps a coder name of FROM to one of INTO when both are one person with two guids
    (remembered, so later merges need not say it again)."""
    into_path, source_path = Path(into_path), Path(source_path)
    if into_path.exists() and source_path.exists() and into_path.resolve() == source_path.resolve():
        raise WorkbenchError(f"{source_path}: is the project being merged into; name another coder's project")
    with Project.open(source_path) as source, Project.open(into_path) as into:
        source_guid = project_guid(source)
        trial = MergeSummary(str(into_path), str(source_path), source_guid, dry_run=True)
        try:
            with into.transaction():
                _merge(into, source, trial, coder, same_coders or {})
                raise _Rollback
        except _Rollback:
            pass
        if dry_run or not trial.changed:
            trial.dry_run = dry_run
            return trial
        from .backup import make_backup

        summary = MergeSummary(str(into_path), str(source_path), source_guid)
        summary.backup = str(make_backup(into, "merge"))
        with into.transaction():
            if not into.meta("project_guid"):
                into.set_meta("project_guid", str(uuid.uuid4()))
            _merge(into, source, summary, coder, same_coders or {})
            into.record_merge(str(source_path.resolve()), source_guid, source.meta("name") or source_path.stem,
                              coder, {"counts": dict(summary.counts), "notes": summary.notes})
            into.log(Action.MERGE, {"from": str(source_path), "source_guid": source_guid,
                                    "counts": dict(summary.counts)}, coder)
        return summary


def _merge(into: Project, source: Project, summary: MergeSummary, coder: str | None,
           same_coders: dict[str, str]) -> None:
    counts = summary.counts
    deleted_here = into.deleted_guids()
    deleted_there = source.deleted_guids()
    coders = _merge_coders(into, source, counts, summary, same_coders)
    cases = _merge_cases(into, source, counts, summary, deleted_here)
    documents = _merge_documents(into, source, counts, summary, cases, deleted_here)
    codes = _merge_codes(into, source, counts, summary, deleted_here, coders)
    codings = _merge_codings(into, source, counts, documents, codes, coders, deleted_here, deleted_there)
    _merge_memos(into, source, counts, documents, codes, codings, cases, coders, deleted_here, deleted_there)
    _remove_documents_deleted_there(into, counts, summary, deleted_there)
    _remove_codes_deleted_there(into, source, counts, summary, codes, deleted_there)


def _guid(row: dict) -> str | None:
    value = row.get("guid")
    return value.lower() if value else None


ALIASES = "coder_aliases"  # meta key: {their coder guid: our coder guid}, from --same-coder


def _merge_coders(into: Project, source: Project, counts: Counter, summary: MergeSummary,
                  same_coders: dict[str, str]) -> dict[int, int]:
    """Source coder id -> INTO coder id by guid (the guid is the person, the name a label). Another
    person of a name known here is added as "name (2)" and reported, unless `same_coders` (their
    name -> ours) says they are one; that is remembered for later merges."""
    rows = into.rows_of("coders")
    by_guid = {_guid(row): row["id"] for row in rows if _guid(row)}
    by_name = {row["name"]: row for row in rows}
    theirs = {row["name"]: row for row in source.rows_of("coders")}
    for their_name, our_name in same_coders.items():
        if their_name not in theirs:
            raise WorkbenchError(f"--same-coder {their_name}={our_name}: {source.path.name} "
                                 f"has no coder {their_name!r}")
        if our_name not in by_name:
            raise WorkbenchError(f"--same-coder {their_name}={our_name}: {into.path.name} has no coder {our_name!r}")
    aliases = json.loads(into.meta(ALIASES) or "{}")
    mapping = {}
    for row in theirs.values():
        guid = _guid(row)
        if row["name"] in same_coders:
            ours = by_name[same_coders[row["name"]]]
            mapping[row["id"]] = ours["id"]
            if guid and guid != _guid(ours) and aliases.get(guid) != _guid(ours):
                aliases[guid] = _guid(ours)
                counts["coders joined"] += 1
        elif guid and aliases.get(guid) in by_guid:
            mapping[row["id"]] = by_guid[aliases[guid]]
        elif guid and guid in by_guid:
            mapping[row["id"]] = by_guid[guid]
        elif not guid and row["name"] in by_name:  # a project from before coders had guids
            mapping[row["id"]] = by_name[row["name"]]["id"]
        else:
            name, n = row["name"], 1
            while name in by_name:
                n += 1
                name = f"{row['name']} ({n})"
            if name != row["name"]:
                summary.notes.append(f"coder {row['name']!r} there is another person than {row['name']!r} here "
                                     f"(another guid): added as {name!r}; if they are one, merge with "
                                     f"--same-coder {row['name']}={row['name']}")
            new_id = into.insert_merged("coders", dict(row, name=name))
            by_name[name] = dict(row, id=new_id, name=name)
            if guid:
                by_guid[guid] = new_id
            mapping[row["id"]] = new_id
            counts["coders added"] += 1
    if counts["coders joined"]:
        into.set_meta(ALIASES, json.dumps(aliases))
    return mapping


def _merge_named(into: Project, source: Project, table: str, counts: Counter,
                 deleted_here: set[str] | frozenset[str] = frozenset()) -> dict[int, int]:
    """Source id -> INTO id for rows known by guid, then by name (coders, cases); new ones added.
    A row deleted here stays deleted."""
    by_guid = into.guids_of(table)
    by_name = {row["name"]: row["id"] for row in into.rows_of(table)}
    mapping = {}
    for row in source.rows_of(table):
        guid = _guid(row)
        if guid and guid in deleted_here:
            counts[f"kept deleted {table}"] += 1
            continue
        if guid and guid in by_guid:
            mapping[row["id"]] = by_guid[guid]
        elif row["name"] in by_name:
            mapping[row["id"]] = by_name[row["name"]]
        else:
            mapping[row["id"]] = by_name[row["name"]] = into.insert_merged(table, row)
            counts[f"{table} added"] += 1
    return mapping


def _merge_cases(into, source, counts, summary, deleted_here) -> dict[int, int]:
    mapping = _merge_named(into, source, "cases", counts, deleted_here)
    values = into.attribute_values()
    for row in source.rows_of("attributes", order="case_id, name"):
        case_id = mapping.get(row["case_id"])
        if case_id is None:
            continue
        here = values.get((case_id, row["name"]))
        if here is None:
            into.set_attribute_if_missing(case_id, row["name"], row["value"])
            counts["attributes added"] += 1
        elif here != row["value"]:
            summary.notes.append(f"attribute {row['name']} of a case: kept {here!r} here, theirs is {row['value']!r}")
    return mapping


def _merge_documents(into, source, counts, summary, cases, deleted_here) -> dict[int, int]:
    """Source document id -> INTO id, by guid or by the text's sha256; new documents come whole."""
    by_guid = into.guids_of("documents")
    here_rows = {row["id"]: row for row in into.rows_of("documents")}
    by_sha = {row["sha256"]: row["id"] for row in here_rows.values()}
    names = {row["name"] for row in here_rows.values()}
    mapping = {}
    for row in source.rows_of("documents"):
        guid = _guid(row)
        if guid and guid in deleted_here:
            counts["kept deleted documents"] += 1
            continue
        if guid and guid in by_guid:
            here = here_rows[by_guid[guid]]
            if here["sha256"] != row["sha256"]:
                mapping[row["id"]] = _another_text(into, source, here, row, counts, summary, cases, deleted_here)
                by_sha[row["sha256"]] = mapping[row["id"]]
                continue
            mapping[row["id"]] = by_guid[guid]
            counts["documents matched"] += 1
            continue
        if row["sha256"] in by_sha:
            mapping[row["id"]] = by_sha[row["sha256"]]
            counts["documents matched"] += 1
            continue
        name = row["name"]
        while name in names:  # the same name, another text: both kept, told apart
            name = f"{Path(row['name']).stem} ({source.meta('name') or 'merged'}){Path(row['name']).suffix}"
            if name in names:
                name = f"{Path(row['name']).stem} ({hashlib.sha256(row['sha256'].encode()).hexdigest()[:6]})" \
                       f"{Path(row['name']).suffix}"
        if name != row["name"]:
            summary.notes.append(f"document {row['name']!r}: another text has that name here; added as {name!r}")
        names.add(name)
        new_id = into.insert_merged("documents", dict(row, name=name, case_id=cases.get(row["case_id"])))
        _copy_turns(into, source, row, new_id)
        mapping[row["id"]] = by_sha[row["sha256"]] = new_id
        counts["documents added"] += 1
    return mapping


def _another_text(into, source, here: dict, row: dict, counts, summary, cases, deleted_here) -> int:
    """One document (one guid) with two texts: it was re-imported (another encoding) on one side.
    The newer import is the corrected text; codings made on the older one would land on other words,
    so they refuse the merge, saying why. Returns INTO's id of the document after the merge."""
    name, where = here["name"], source.path.name
    ours, theirs = into.reimported(here["id"], _guid(here)), source.reimported(row["id"], _guid(row))
    theirs_newer = theirs and not ours or (theirs == ours and (row.get("imported_at") or "") >
                                           (here.get("imported_at") or ""))
    if theirs_newer:
        stranded = into.codings(document_id=here["id"])
        if stranded:
            raise WorkbenchError(
                f"{name}: was re-imported in {where} with another text ({row.get('encoding')}; here it is still "
                f"{here.get('encoding')}), so {_these_codings(into, stranded)} here on the old text would cover "
                f"other words there; nothing was merged. Remove them here (`workbench code {into.path.name} "
                f"{name} CODE START END --remove`) and merge again: the corrected text comes over, and those "
                "passages can be coded again on it")
        new_id = into.replace_merged_document(here["id"], dict(row, name=name, case_id=cases.get(row["case_id"])))
        _copy_turns(into, source, row, new_id)
        counts["documents corrected"] += 1
        summary.notes.append(f"document {name!r}: the text re-imported in {where} ({row.get('encoding')}) "
                             f"replaces the one here ({here.get('encoding')})")
        return new_id
    known = set(into.document_coding_guids(here["id"])) | set(deleted_here)
    stranded = [c for c in source.codings(document_id=row["id"]) if (c.guid or "").lower() not in known]
    if stranded:
        raise WorkbenchError(
            f"{name}: was re-imported here with another text ({here.get('encoding')}; {where} still has "
            f"{row.get('encoding')}), so {_these_codings(source, stranded)} in {where} on the old text would "
            f"cover other words here; nothing was merged. Remove them in {where} (`workbench code {where} "
            f"{name} CODE START END --remove`) and merge again; after merging this project into {where}, "
            "they can code those passages again on the corrected text")
    counts["documents matched"] += 1
    summary.notes.append(f"document {name!r}: kept the text re-imported here ({here.get('encoding')}); "
                         f"{where} still has the old one ({row.get('encoding')})")
    return here["id"]


def _these_codings(project: Project, codings: list, shown: int = 3) -> str:
    """"its 2 codings (Trust 0–4 by bob 'ÎÒÐÅ'; …)": which codings a refusal is about, so they can be found."""
    from .codebook.ops import paths_by_id

    paths = paths_by_id(project)
    listed = [f"{paths.get(c.code_id, '?')} {c.start}–{c.end} by {c.coder} "
              f"{project.slice(c.document_id, c.start, c.end)[:20]!r}" for c in codings[:shown]]
    more = f", and {len(codings) - shown} more" if len(codings) > shown else ""
    return f"its {len(codings)} coding{'s' if len(codings) != 1 else ''} ({'; '.join(listed)}{more})"


def _copy_turns(into, source, row: dict, new_id: int) -> None:
    from .text.segment import index_body

    turns = source.turns(row["id"])
    into.add_turns_and_index(
        new_id, [(t.idx, t.speaker, t.start, t.end, t.lang, t.t_start_ms, t.t_end_ms) for t in turns],
        [index_body(row["text"][t.start:t.end]) for t in turns])


def _remove_documents_deleted_there(into, counts, summary, deleted_there) -> None:
    """A document they deleted goes here too, unless work on it here is new to them (then it stays,
    reported): their deletion removes only what they knew of."""
    by_guid = into.guids_of("documents")
    names = {row["id"]: row["name"] for row in into.rows_of("documents")}
    for guid, kind in sorted(deleted_there.items()):
        if kind != "document" or guid not in by_guid:
            continue
        unknown = [g for g in into.work_on_document(by_guid[guid]) if g not in deleted_there]
        if unknown:
            summary.notes.append(f"document {names[by_guid[guid]]!r}: deleted there, kept here: it holds "
                                 f"{len(unknown)} codings or memos they never saw")
            continue
        into.delete_merged_document(by_guid[guid])
        counts["removed documents"] += 1


def _remove_codes_deleted_there(into, source, counts, summary, codes, deleted_there) -> None:
    """A code they deleted goes here too, with its sub-codes, as a document does: only when all
    under it here is known to them. Their codings on it that they moved to another code (deleted
    with its codings reassigned) follow here; a coding, memo or sub-code here they never saw keeps
    the code (reported). A code of theirs that matched it (the same path, made again) keeps it."""
    gone = [guid for guid, kind in deleted_there.items() if kind == "code"]
    rows = {row["id"]: row for row in into.rows_of("codes")}
    by_guid = {guid: row_id for row_id, row in rows.items() if (guid := _guid(row))}
    gone = sorted((by_guid[guid] for guid in gone if guid in by_guid), key=lambda i: _depth(rows, i))
    if not gone:
        return
    children: dict[int | None, list[int]] = {}
    for row_id, row in rows.items():
        children.setdefault(row["parent_id"], []).append(row_id)
    alive_there = set(codes.values())
    their_code = {_guid(row): row["code_id"] for row in source.rows_of("codings") if _guid(row)}
    paths = {row_id: entry.path for row_id, entry in zip(rows, _entries(list(rows.values())).values(), strict=True)}
    folds = source.fold_targets()
    removed: set[int] = set()
    for top in gone:
        if top in removed or top in alive_there:
            continue  # went with a parent they deleted too, or one of theirs is this code (made again)
        into_id = _fold_target(_guid(rows[top]), folds, {g: i for g, i in by_guid.items() if i not in removed})
        if into_id is not None:
            if _fold_here(into, rows, children, top, into_id, paths, counts, summary):
                removed.add(top)
            continue
        tree = _subtree(children, top)
        codings, memos = into.code_work(tree)
        moves = [(coding_id, codes.get(their_code[guid])) for coding_id, guid in codings if guid in their_code]
        new = [i for i in tree if _guid(rows[i]) not in deleted_there or i in alive_there] \
            + [coding_id for coding_id, guid in codings if guid not in their_code] \
            + [coding_id for coding_id, target in moves if target is None or target in tree] + memos
        if new:
            summary.notes.append(f"code {'/'.join(paths[top])!r}: deleted there, kept here: it holds "
                                 f"{len(new)} codings, memos or sub-codes they never saw")
            continue
        for coding_id, target in moves:
            into.move_merged_coding(coding_id, target)
        if moves:
            counts["codings moved"] += len(moves)
            summary.notes.append(f"code {'/'.join(paths[top])!r}: deleted there with its codings moved to other "
                                 f"codes; {len(moves)} codings here follow them")
        for code_id in reversed(tree):  # children first: the tree refuses orphans
            into.delete_merged("codes", code_id)
            removed.add(code_id)
            counts["removed codes"] += 1


def _fold_here(into, rows, children, code_id: int, into_id: int, paths, counts, summary) -> bool:
    """Their code folded there into another (merge_codes): all work on it here follows the fold,
    new work too, as their later work follows a fold made here; sub-codes go under that code.
    False (and a note) when the fold cannot be made here."""
    names = {rows[i]["name"].casefold() for i in children.get(into_id, [])}
    clash = [repr(rows[i]["name"]) for i in children.get(code_id, []) if rows[i]["name"].casefold() in names]
    if clash or into_id in _subtree(children, code_id):
        why = f"both have a sub-code {clash[0]}" if clash else "that code is under it here"
        summary.notes.append(f"code {'/'.join(paths[code_id])!r}: folded there into {'/'.join(paths[into_id])!r}, "
                             f"kept here: {why}; fold them here")
        return False
    moved = into.reassign_codings(code_id, into_id)
    into.reattach_memos("code", code_id, into_id)
    for child in children.get(code_id, []):
        into.update_code(child, parent_id=into_id)
    children.setdefault(into_id, []).extend(children.pop(code_id, []))
    into.delete_merged("codes", code_id)
    counts["removed codes"] += 1
    counts["codings moved"] += moved
    summary.notes.append(f"code {'/'.join(paths[code_id])!r}: folded there into {'/'.join(paths[into_id])!r}; "
                         f"here too ({moved} codings follow)")
    return True


def _subtree(children: dict[int | None, list[int]], code_id: int) -> list[int]:
    """The code and every code below it, parents before their children."""
    tree, stack = [], [code_id]
    while stack:
        tree.append(stack.pop())
        stack.extend(children.get(tree[-1], []))
    return tree


def _depth(rows: dict[int, dict], code_id: int) -> int:
    depth, seen = 0, set()
    while rows[code_id]["parent_id"] in rows and code_id not in seen:
        seen.add(code_id)
        code_id, depth = rows[code_id]["parent_id"], depth + 1
    return depth


def _merge_codes(into, source, counts, summary, deleted_here, coders) -> dict[int, int]:
    """Source code id -> INTO id: by guid, then by full path; new codes added under their matched
    parent. A code of the same (or a similar) name elsewhere in the tree is reported, not matched.
    Their code folded here into another (merge_codes) maps to that one. A field only they filled
    in is taken, a field both filled differently stays as it is here and is reported."""
    from .codebook.merge import FIELDS, match

    here_rows, there_rows = into.rows_of("codes"), source.rows_of("codes")
    here, there = _entries(here_rows), _entries(there_rows)
    matched = {r: h for r, (h, _) in match(here, there, fuzzy=False, by_name=False).items()}
    similar = match({k: e for k, e in here.items() if k not in set(matched.values())},
                    {k: e for k, e in there.items() if k not in matched}, fuzzy=True)
    for _, m in similar.values():
        if m.how == "name":
            summary.notes.append(f"code {'/'.join(m.right)!r}: a code of that name is at {'/'.join(m.left)!r} "
                                 "here; added as a code of its own (fold one into the other if they are one)")
        elif m.how == "fuzzy":
            summary.notes.append(f"code {'/'.join(m.right)!r} looks like {'/'.join(m.left)!r} here "
                                 f"({m.score:.0f}%); added as a code of its own")
    folds, code_guids = into.fold_targets(), into.guids_of("codes")
    here_by_id = {row["id"]: row for row in here_rows}
    mapping: dict[int, int] = {}
    for key, entry in sorted(there.items(), key=lambda item: len(item[1].path)):  # parents first
        row = there_rows[key]
        if key in matched:
            target = here_rows[matched[key]]
            mapping[row["id"]] = target["id"]
            counts["codes matched"] += 1
            fill = {}
            for name in FIELDS:
                mine, theirs = target.get(name), row.get(name)
                if _blank(theirs) or mine == theirs:
                    continue
                if _blank(mine):
                    fill[name] = theirs
                else:
                    summary.notes.append(f"code {'/'.join(entry.path)!r}: kept this project's {name}; theirs differs")
            into.fill_code_fields(target["id"], fill)
            counts["codes filled in"] += bool(fill)
            continue
        guid = _guid(row)
        if guid and guid in deleted_here:
            target = _fold_target(guid, folds, code_guids)
            if target is not None:
                mapping[row["id"]] = target
                counts["fold codes matched"] += 1  # folded here: their work on it follows the fold
            else:
                counts["kept deleted codes"] += 1
            continue
        parent = mapping.get(row["parent_id"]) if row["parent_id"] is not None else None
        if row["parent_id"] is not None and parent is None:
            counts["kept deleted codes"] += 1  # its parent was deleted here
            continue
        siblings = {r["name"].casefold() for r in here_by_id.values() if r["parent_id"] == parent}
        name = row["name"]
        while name.casefold() in siblings:
            name += " (merged)"
        new_id = into.insert_merged("codes", _local_coders(dict(row, parent_id=parent, name=name), coders))
        here_by_id[new_id] = dict(row, id=new_id, parent_id=parent, name=name)
        mapping[row["id"]] = new_id
        counts["codes added"] += 1
    return mapping


def _fold_target(guid: str | None, folds: dict[str, str], code_guids: dict[str, int]) -> int | None:
    """INTO's id of the code a folded code went into, following folds of folds."""
    seen = set()
    while guid in folds and guid not in seen:
        seen.add(guid)
        guid = folds[guid]
        if guid in code_guids:
            return code_guids[guid]
    return None


def _local_coders(row: dict, coders: dict[int, int]) -> dict:
    """Columns naming a coder by row id (who updated it, after the identity schema) get this project's ids."""
    for column in ("updated_by", "created_by", "deleted_by"):
        if isinstance(row.get(column), int):
            row[column] = coders.get(row[column])
    return row


def _blank(value) -> bool:
    return value in (None, "", "[]", "#888888")


def _entries(rows: list[dict]):
    from .codebook.merge import Entry

    by_id = {row["id"]: i for i, row in enumerate(rows)}
    entries = {}

    def path(i: int, seen=()) -> tuple[str, ...]:
        row = rows[i]
        parent = by_id.get(row["parent_id"])
        if parent is None or parent in seen:
            return (row["name"],)
        return path(parent, seen + (i,)) + (row["name"],)

    for i, row in enumerate(rows):
        code = Code(name=row["name"], name_zh=row.get("name_zh") or "")
        code.guid = row.get("guid") or ""  # matching reads it when both projects have guids
        entries[i] = Entry(i, path(i), by_id.get(row["parent_id"]), code)
    return entries


def _merge_codings(into, source, counts, documents, codes, coders, deleted_here, deleted_there) -> dict[int, int]:
    """Both coders' codings are kept, even of one passage; the same coding is never doubled."""
    by_guid = into.guids_of("codings")
    keys = into.coding_keys()
    mapping = {}
    for source_row in source.rows_of("codings"):
        coding_id, guid = source_row["id"], _guid(source_row)
        doc, code = documents.get(source_row["document_id"]), codes.get(source_row["code_id"])
        if guid and guid in deleted_here:
            counts["kept deleted codings"] += 1
            continue
        if guid and guid in by_guid:  # here already, even if its code here is another now (reassigned)
            mapping[coding_id] = by_guid[guid]
            counts["codings matched"] += 1
            continue
        if doc is None or code is None:
            counts["kept deleted codings"] += 1  # its document or code was deleted here
            continue
        coder = coders.get(source_row["coder_id"])
        key = (doc, code, source_row["start"], source_row["end"], coder)
        if key in keys:
            mapping[coding_id] = keys[key]  # the same coding (another guid): its memos come to it
            counts["codings matched"] += 1
            continue
        # Every column comes along (created, updated, by whom), with ids of this project.
        row = dict(source_row, document_id=doc, code_id=code, coder_id=coder)
        _local_coders(row, coders)
        if not guid:  # both projects are migrated on opening: every table has guids
            row["guid"] = str(uuid.uuid4())
        mapping[coding_id] = keys[key] = into.insert_merged("codings", row)
        counts["codings added"] += 1
    # Codings they deleted (and remember deleting) go here too, once they are gone there.
    for guid, kind in deleted_there.items():
        if kind == "coding" and guid in by_guid:
            into.delete_merged("codings", by_guid[guid])
            counts["removed codings"] += 1
    return mapping


def _merge_memos(into, source, counts, documents, codes, codings, cases, coders, deleted_here, deleted_there) -> None:
    by_guid = into.guids_of("memos")
    fk = {"document_id": documents, "code_id": codes, "coding_id": codings, "case_id": cases}
    existing = {_memo_key(r) for r in into.rows_of("memos")}
    for row in source.rows_of("memos"):
        guid = _guid(row)
        if guid and guid in deleted_here:
            counts["kept deleted memos"] += 1
            continue
        if guid and guid in by_guid:
            continue
        new = _local_coders(dict(row, coder_id=coders.get(row.get("coder_id"))), coders)
        lost = False
        for column, mapping in fk.items():
            if row.get(column) is not None:
                new[column] = mapping.get(row[column])
                lost = lost or new[column] is None
        if lost:
            counts["kept deleted memos"] += 1  # what it was about is gone here
            continue
        key = _memo_key(new)
        if key in existing:
            continue
        if not new.get("guid"):
            new["guid"] = str(uuid.uuid4())
        into.insert_merged("memos", new)
        existing.add(key)
        counts["memos added"] += 1
    for guid, kind in deleted_there.items():
        if kind == "memo" and guid in by_guid:
            into.delete_merged("memos", by_guid[guid])
            counts["removed memos"] += 1


def _memo_key(row: dict) -> tuple:
    """What makes two memos one: what they are on and what they say (both projects are migrated on
    opening, so a memo names its target by one of these columns)."""
    return row["target"], row.get("document_id"), row.get("code_id"), row.get("coding_id"), row.get("case_id"), \
        row["text"]
