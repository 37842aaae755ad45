"""A project's codebook: installing a codebook, finding codes by name, and editing the tree."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from ..model import Code, Coding, Memo, WorkbenchError
from ..store import CodeRow, Project
from ..store.events import Action
from .model import MAX_DEPTH, PATH_SEPARATOR, Codebook, path_text


def install(project: Project, codebook: Codebook, coder: str | None = None) -> tuple[int, int]:
    """Merge a codebook into the project by guid, then by path: add new codes, update known ones,
    drop none.

    A code the file knows by guid takes the file's name and place (a rename or move found by
    `codebook merge` applies to the project's code, never a duplicate). A known code gets only
    the fields the codebook gives for it (`codebook.given`; every field when the codebook does
    not say), so a file that lists a parent just to add children under it, or gives a code only
    its names, keeps the rest as it was. A new code keeps the file's guid.
    Returns (added, updated). Nothing is deleted, so no coding is ever orphaned by an import.
    """
    existing = {path: row.id for path, row in code_paths(project).items()}
    rows = project.code_rows()
    by_guid = {row.guid.lower(): row for row in rows if row.guid}
    deleted = project.deleted_guids()
    added = updated = 0
    if existing:
        project.before_destructive("codebook import")
    with project.transaction():
        ids: dict[tuple[str, ...], int] = {}
        for path, code in codebook.walk():
            parent_id = ids.get(path[:-1]) if len(path) > 1 else None
            key = path_text(path).casefold()
            known = by_guid.get(code.guid.lower()) if code.guid else None
            if known is not None:
                if known.name != code.name or known.parent_id != parent_id:
                    _follow_rename(project, known, code.name, parent_id, key, existing, coder)
                    existing = {path: row.id for path, row in code_paths(project).items()}  # sub-codes moved too
            elif code.guid and code.guid.lower() in deleted:
                code = replace(code, guid="")  # deleted here: added again as a code of its own
            if key in existing:
                ids[path] = existing[key]
                fields = {
                    "name_zh": code.name_zh, "definition": code.definition, "include": code.include,
                    "exclude": code.exclude, "examples": code.examples, "color": code.color,
                    "keywords_en": code.keywords_en, "keywords_zh": code.keywords_zh,
                }
                given = codebook.given.get(path)
                if given is not None:
                    fields = {name: value for name, value in fields.items() if name in given}
                if fields:
                    project.update_code(existing[key], by=coder, **fields)
                updated += 1
            else:
                ids[path] = project.add_code(code, parent_id, by=coder)
                added += 1
        if not project.meta("codebook"):
            project.set_meta("codebook", codebook.name)
            project.set_meta("codebook_name_zh", codebook.name_zh)
            project.set_meta("codebook_description", codebook.description)
        project.log(Action.CODEBOOK_IMPORT, {"codebook": codebook.name, "added": added, "updated": updated}, coder)
    return added, updated


def _follow_rename(project: Project, known: CodeRow, name: str, parent_id: int | None, key: str,
                   existing: dict[str, int], coder: str | None) -> None:
    """The project's code takes the name and place the codebook gives it (same guid)."""
    clash = existing.get(key)
    if clash is not None and clash != known.id:
        raise WorkbenchError(f"code {name!r}: the codebook renames or moves a code to {key!r}, where this "
                             "project has another code; fold or rename one of them first")
    if parent_id is not None and parent_id in descendants(project, known.id):
        raise WorkbenchError(f"code {name!r}: the codebook puts it under one of its own sub-codes")
    project.update_code(known.id, by=coder, name=name, parent_id=parent_id)
    project.log(Action.CODE_UPDATE, {"id": known.id, "guid": known.guid, "name": name, "parent_id": parent_id,
                                     "from": "codebook import"}, coder)


def as_codebook(project: Project) -> Codebook:
    return Codebook(
        name=project.meta("codebook") or project.path.stem, codes=project.code_tree(),
        name_zh=project.meta("codebook_name_zh") or "",
        description=project.meta("codebook_description") or "",
    )


def code_paths(project: Project) -> dict[str, CodeRow]:
    """Casefolded 'Parent/Child' path -> row, for every code."""
    rows = project.code_rows()
    by_id = {row.id: row for row in rows}
    return {path_of(row.id, by_id).casefold(): row for row in rows}


def path_of(code_id: int, by_id: dict[int, CodeRow]) -> str:
    names, seen = [], set()
    current = by_id.get(code_id)
    while current is not None and current.id not in seen:
        seen.add(current.id)
        names.append(current.name)
        current = by_id.get(current.parent_id) if current.parent_id is not None else None
    return PATH_SEPARATOR.join(reversed(names))


def paths_by_id(project: Project) -> dict[int, str]:
    rows = project.code_rows()
    by_id = {row.id: row for row in rows}
    return {row.id: path_of(row.id, by_id) for row in rows}


def resolve(project: Project, reference: str) -> int:
    """A code id from a path ('Trust/Distrust'), a unique name, or a unique Chinese name."""
    reference = unicodedata.normalize("NFC", reference).strip()  # names are stored composed
    paths = code_paths(project)
    row = paths.get(reference.casefold())
    if row:
        return row.id
    if PATH_SEPARATOR in reference:
        found = _walk_path(project, reference)
        if found is not None:
            return found
    wanted = reference.casefold()
    matches = [r for r in paths.values() if r.name.casefold() == wanted or (r.name_zh and r.name_zh == reference)]
    if len(matches) == 1:
        return matches[0].id
    by_id = {r.id: r for r in paths.values()}
    if matches:
        options = ", ".join(sorted(path_of(r.id, by_id) for r in matches))
        raise WorkbenchError(f"code {reference!r} is ambiguous: {options}; give its path")
    raise WorkbenchError(f"no code named {reference!r} in {project.path.name}"
                         f"{code_hint(reference, paths.values(), by_id)}")


def code_hint(reference: str, rows, by_id: dict[int, CodeRow]) -> str:
    """'Did you mean' over names, Chinese names and paths, each shown as its path."""
    from ..closest import hint

    options: dict[str, str] = {}
    for row in rows:
        path = path_of(row.id, by_id)
        for key in (path, row.name, row.name_zh):
            if key:
                options.setdefault(key, path)
    found = hint(reference, options)
    if not found and PATH_SEPARATOR in reference:  # 'Trust/Distrst': the last part is the likely typo
        found = hint(reference.rsplit(PATH_SEPARATOR, 1)[-1], options)
    return found


def _walk_path(project: Project, reference: str) -> int | None:
    """A path whose parts are English or Chinese names, mixed as a person types them: 信任/不信任."""
    rows = project.code_rows()
    parent: int | None = None
    for part in (p.strip() for p in reference.split(PATH_SEPARATOR)):
        here = [r for r in rows if r.parent_id == parent
                and (r.name.casefold() == part.casefold() or (r.name_zh and r.name_zh == part))]
        if len(here) != 1:
            return None
        parent = here[0].id
    return parent


def add_path(project: Project, path: str, name_zh: str = "", coder: str | None = None) -> tuple[int, list[str]]:
    """The code at `path` ('Trust/Distrust'), created with any missing codes above it.

    Returns (code id, the paths created); an existing code is left as it is.
    """
    parts = [unicodedata.normalize("NFC", p).strip() for p in path.split(PATH_SEPARATOR)]
    if not path.strip() or any(not p for p in parts):
        raise WorkbenchError(f"code path {path!r}: give names separated by '{PATH_SEPARATOR}', none empty")
    if len(parts) > MAX_DEPTH:
        raise WorkbenchError(f"code path {path!r}: the tree may be at most {MAX_DEPTH} levels deep")
    created: list[str] = []
    parent: int | None = None
    with project.transaction():  # all the missing levels, or none
        for depth, part in enumerate(parts, start=1):
            rows = project.code_rows()
            here = next((r for r in rows if r.parent_id == parent and
                         (r.name.casefold() == part.casefold() or (r.name_zh and r.name_zh == part))), None)
            if here is not None:
                parent = here.id
                continue
            last = depth == len(parts)
            parent = add_code(project, Code(name=part, name_zh=name_zh if last else ""), parent, coder)
            created.append(PATH_SEPARATOR.join(parts[:depth]))
    assert parent is not None  # parts is not empty (checked above)
    return parent, created


def descendants(project: Project, code_id: int) -> list[int]:
    """The code and all codes below it."""
    children: dict[int | None, list[int]] = {}
    for row in project.code_rows():
        children.setdefault(row.parent_id, []).append(row.id)
    found, stack = [], [code_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _row(project: Project, code_id: int) -> CodeRow:
    row = next((r for r in project.code_rows() if r.id == code_id), None)
    if row is None:
        raise WorkbenchError(f"no code with id {code_id}")
    return row


def add_code(project: Project, code: Code, parent_id: int | None = None, coder: str | None = None) -> int:
    if not code.name.strip() or PATH_SEPARATOR in code.name:
        raise WorkbenchError(f"code {code.name!r}: a name must be non-empty and without '{PATH_SEPARATOR}'")
    by_id = {r.id: r for r in project.code_rows()} if parent_id is not None else {}
    if parent_id is not None and len(path_of(parent_id, by_id).split("/")) >= MAX_DEPTH:
        raise WorkbenchError(f"code {code.name!r}: the tree may be at most {MAX_DEPTH} levels deep")
    _check_sibling_name(project, code.name.strip(), parent_id)
    with project.transaction():
        code_id = project.add_code(replace(code, name=code.name.strip(), children=[]), parent_id, by=coder)
        project.log(Action.CODE_ADD, {"id": code_id, "guid": project.guid_of("code", code_id), "name": code.name,
                                 "parent_id": parent_id}, coder)
    return code_id


def _check_sibling_name(project: Project, name: str, parent_id: int | None, code_id: int | None = None) -> None:
    """Sibling names differ in more than case, as codebook files and path lookups require."""
    for row in project.code_rows():
        if row.parent_id == parent_id and row.id != code_id and row.name.casefold() == name.casefold():
            raise WorkbenchError(f"code {name!r}: a sibling already has that name ({row.name!r})")


def update_code(project: Project, code_id: int, coder: str | None = None, **fields: object) -> None:
    """Rename or edit a code's definition, criteria, colour or keywords."""
    if "name" in fields:
        name = str(fields["name"]).strip()
        if not name or PATH_SEPARATOR in name:
            raise WorkbenchError(f"code {name!r}: a name must be non-empty and without '{PATH_SEPARATOR}'")
        fields["name"] = name
        parent_id = fields["parent_id"] if "parent_id" in fields else _row(project, code_id).parent_id
        if parent_id is not None and not isinstance(parent_id, int):
            raise WorkbenchError(f"code {name!r}: parent_id must be a code id, not {parent_id!r}")
        _check_sibling_name(project, name, parent_id, code_id)
    with project.transaction():
        project.update_code(code_id, by=coder, **fields)
        project.log(Action.CODE_UPDATE, {"id": code_id, "guid": project.guid_of("code", code_id), **fields}, coder)


def move_code(project: Project, code_id: int, new_parent_id: int | None, coder: str | None = None) -> None:
    """Re-parent a code; refuses to put a code under itself or its own descendants.

    Checked under the write lock (another process may have moved the parent meanwhile), and
    the schema refuses a cycle whatever writes it.
    """
    with project.transaction():
        if new_parent_id is not None and new_parent_id in descendants(project, code_id):
            raise WorkbenchError("a code cannot be moved under itself or one of its own sub-codes")
        by_id = {r.id: r for r in project.code_rows()}
        _check_sibling_name(project, _row(project, code_id).name, new_parent_id, code_id)
        depth = len(path_of(code_id, by_id).split(PATH_SEPARATOR))
        height = max(len(path_of(i, by_id).split(PATH_SEPARATOR)) for i in descendants(project, code_id)) - depth + 1
        below = len(path_of(new_parent_id, by_id).split(PATH_SEPARATOR)) if new_parent_id is not None else 0
        if below + height > MAX_DEPTH:
            raise WorkbenchError(f"code {by_id[code_id].name!r}: moved there, the tree would be deeper than "
                                 f"{MAX_DEPTH} levels")
        project.update_code(code_id, by=coder, parent_id=new_parent_id)
        project.log(Action.CODE_MOVE, {"id": code_id, "guid": by_id[code_id].guid, "parent_id": new_parent_id,
                                  "parent_guid": by_id[new_parent_id].guid if new_parent_id is not None else None},
                    coder)


def merge_codes(project: Project, source_id: int, target_id: int, coder: str | None = None) -> int:
    """Fold `source` into `target`: its codings and sub-codes move there, then it goes.

    Returns how many codings moved. Identical codings (same span, coder) are kept once.
    """
    if source_id == target_id:
        raise WorkbenchError("a code cannot be merged into itself")
    if target_id in descendants(project, source_id):
        raise WorkbenchError("a code cannot be merged into one of its own sub-codes")
    source, target = _row(project, source_id), _row(project, target_id)
    project.before_destructive("merge codes")
    with project.transaction():
        moved = project.reassign_codings(source_id, target_id, by=coder)
        project.reattach_memos("code", source_id, target_id)  # notes on the code stay with its codings
        target_children = {r.name.casefold() for r in project.code_rows() if r.parent_id == target_id}
        for child in [r for r in project.code_rows() if r.parent_id == source_id]:
            if child.name.casefold() in target_children:
                raise WorkbenchError(
                    f"cannot merge {source.name!r} into {target.name!r}: both have a sub-code {child.name!r}; "
                    "merge those first"
                )
            project.update_code(child.id, by=coder, parent_id=target_id)
        project.delete_code_row(source_id, by=coder)
        project.log(Action.CODE_MERGE, {"from": source.name, "from_id": source_id, "from_guid": source.guid,
                                   "into": target.name, "into_id": target_id, "into_guid": target.guid,
                                   "codings": moved}, coder)
    return moved


def delete_code(
    project: Project, code_id: int, *, reassign_to: int | None = None, remove_codings: bool = False,
    coder: str | None = None,
) -> dict:
    """Delete a code and its sub-codes; their codings must be reassigned or removed explicitly.

    Returns a snapshot (codes and codings) that `restore_deleted` puts back, for undo.
    """
    ids = descendants(project, code_id)
    codings = project.codings(code_ids=ids)
    if codings and reassign_to is None and not remove_codings:
        raise WorkbenchError(
            f"code {_row(project, code_id).name!r} has {len(codings)} codings; reassign them to another "
            "code or say that they should be removed"
        )
    if reassign_to is not None and reassign_to in ids:
        raise WorkbenchError("codings cannot be reassigned to the code being deleted")
    tree = {row.id: row for row in project.code_rows()}
    full = {code.id: code for root in project.code_tree() for _, code in root.walk()}
    not_codable = project.refi_not_codable()
    memos = [m for i in ids for m in project.memos("code", i)]
    if reassign_to is None:
        memos += [m for c in codings for m in project.memos("coding", c.id)]
    snapshot = {
        "codes": [code_snapshot(full[i], codable=i not in not_codable) for i in ids],
        "codings": [c.__dict__ for c in codings],
        "memos": [m.__dict__ for m in memos],
        "reassigned_to": reassign_to,
    }
    project.before_destructive("delete code")
    with project.transaction():
        if reassign_to is not None:
            for source in ids:
                project.reassign_codings(source, reassign_to, by=coder)
        else:
            for coding in codings:
                project.delete_coding(coding.id, by=coder)
        for doomed in reversed(ids):  # children first: the tree refuses orphans
            project.delete_code_row(doomed, by=coder)
        project.log(Action.CODE_DELETE, {"id": code_id, "guid": tree[code_id].guid, "name": tree[code_id].name,
                                    "snapshot": snapshot}, coder)
    return snapshot


def code_snapshot(code: Code, codable: bool = True) -> dict:
    """A code's stored fields without its children, as `restore_deleted` takes them back.

    `codable` is False for a folder-like code (REFI `isCodable="false"`), kept through undo.
    """
    return {
        "codable": int(codable),
        "id": code.id, "parent_id": code.parent_id, "name": code.name, "name_zh": code.name_zh,
        "definition": code.definition, "include": code.include, "exclude": code.exclude,
        "examples": code.examples, "color": code.color, "keywords_en": code.keywords_en,
        "keywords_zh": code.keywords_zh, "position": code.position, "guid": code.guid,
        "updated_at": code.updated_at, "updated_by": code.updated_by,
    }


def restore_deleted(
    project: Project, snapshot: dict, coder: str | None = None, *, undoes: int | None = None,
) -> dict[int, int]:
    """Undo `delete_code`: the codes come back, and so do their codings.

    Ids are kept where still free (SQLite reuses the highest id, so a newer code or coding may
    hold one; then the restored row gets a new id and the newer row is left alone). A coding
    the deletion (or a merge) moved to another code is taken back from there. Returns old id ->
    new id.
    """

    # Where the codings went: `delete_code` says (None when they were removed, so any coding now
    # holding one of their ids is newer); other callers' snapshots (a merge's) may not.
    known, moved_to = "reassigned_to" in snapshot, snapshot.get("reassigned_to")
    with project.transaction():
        present = {row.id for row in project.code_rows()}
        new_ids: dict[int, int] = {}
        for data in snapshot["codes"]:  # parents before children, as `descendants` lists them
            parent_id = new_ids.get(data["parent_id"], data["parent_id"])
            if parent_id is not None and parent_id not in present:
                raise WorkbenchError(f"code {data['name']!r}: cannot come back, its parent code was deleted "
                                     "since; bring that back first")
            row = dict(data, parent_id=parent_id, id=None if data["id"] in present else data["id"])
            new_ids[data["id"]] = project.restore_code_row(row)
            present.add(new_ids[data["id"]])
        coding_ids: dict[int, int] = {}
        for data in snapshot["codings"]:
            old = Coding(**data)
            carried: list[Memo] = []
            keep_id = True
            if old.guid:  # the same coding, found by its identity wherever it is now
                current_id = project.id_of("coding", old.guid)
                now_here = project.coding(current_id) if current_id is not None else None
                if current_id is not None and now_here is not None:
                    if now_here.code_id != moved_to and known:
                        coding_ids[old.id] = current_id
                        continue  # it is here already
                    carried = _carried(project.delete_coding(current_id, coder))  # moved: it returns from there
                elif project.coding(old.id) is not None:
                    keep_id = False
            else:  # a snapshot from before guids: the same span, coder and time is the same coding
                current = project.coding(old.id)
                if current is not None:
                    same = (current.document_id, current.start, current.end, current.coder, current.created_at) == (
                        old.document_id, old.start, old.end, old.coder, old.created_at)
                    if same and (current.code_id == moved_to or not known):
                        carried = _carried(project.delete_coding(old.id, coder))
                    else:
                        keep_id = False  # the id now belongs to a newer coding
            coding_ids[data["id"]] = project.restore_coding(
                replace(old, code_id=new_ids.get(old.code_id, old.code_id)), carried, keep_id=keep_id
            )
        for data in snapshot.get("memos", []):
            memo = Memo(**data)
            if memo.guid and project.id_of("memo", memo.guid) is not None:
                continue
            moved = {"code": new_ids, "coding": coding_ids}.get(memo.target, {})
            project.restore_memo(replace(memo, target_id=moved.get(memo.target_id, memo.target_id)))
        project.log(Action.CODE_UNDELETE, {"codes": [c["name"] for c in snapshot["codes"]],
                                     "guids": [c.get("guid") for c in snapshot["codes"]], "undoes": undoes}, coder)
    return new_ids


def _carried(deleted: tuple[Coding, list[Memo]] | None) -> list[Memo]:
    """The memos a coding just deleted carried (none if it was already gone)."""
    return deleted[1] if deleted is not None else []


def last_deletion(project: Project, code: str | None = None) -> tuple[int, dict] | None:
    """The newest code deletion not yet undone, of `code` (name, Chinese name or path) if given.

    Returns (event id, the event's detail with its snapshot), or None.
    """
    undone = {e.details().get("undoes") for e in project.events(-1, action=Action.CODE_UNDELETE)}
    wanted = code.strip().rsplit(PATH_SEPARATOR, 1)[-1].strip().casefold() if code else None
    for event in project.events(-1, action=Action.CODE_DELETE):
        detail = event.details()
        if event.id in undone or "snapshot" not in detail:
            continue
        top: dict = next((c for c in detail["snapshot"]["codes"] if c["id"] == detail.get("id")), {})
        names = {str(detail.get("name", "")).casefold(), str(top.get("name_zh") or "").casefold()}
        if wanted is None or wanted in names:
            return event.id, detail
    return None


def undo_delete(project: Project, code: str | None = None, coder: str | None = None) -> dict:
    """Bring back the last deleted code (or the last deletion of `code`) with its sub-codes and
    codings; returns the deletion's detail (its `name` and `snapshot`)."""
    found = last_deletion(project, code)
    if found is None:
        what = f"deletion of a code named {code!r}" if code else "code deletion"
        raise WorkbenchError(f"{project.path.name}: no {what} to undo")
    project.before_destructive("undo delete code")
    with project.transaction():
        if last_deletion(project, code) != found:
            raise WorkbenchError(f"{project.path.name}: another program changed the deletions meanwhile; try again")
        restore_deleted(project, found[1]["snapshot"], coder, undoes=found[0])
    return found[1]
