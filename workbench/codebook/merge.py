"""Merging codebooks: two coders' versions of one codebook, with their common ancestor if known.

Codes are matched by guid, then by path, then by name in either language, then by a fuzzy name
(rapidfuzz, reported as such). With a base (three-way), a change made on one side only is taken;
a field both sides changed differently is a conflict. Without one (two-way), any field the two
sides fill differently is a conflict. Conflicts are resolved by `prefer` ("A" or "B"), never
silently: unresolved ones are returned for the caller to refuse or ask about.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..model import Code, WorkbenchError
from .model import Codebook, path_text

FIELDS = ("name_zh", "definition", "include", "exclude", "examples", "color", "keywords_en", "keywords_zh")
FUZZY_THRESHOLD = 88.0
SIDES = ("O", "A", "B")


@dataclass(frozen=True)
class Entry:
    """A code of one codebook, flattened: where it sits and what it says."""

    key: int
    path: tuple[str, ...]
    parent: int | None
    code: Code

    @property
    def guid(self) -> str | None:
        return getattr(self.code, "guid", None) or None


@dataclass(frozen=True)
class Match:
    left: tuple[str, ...]
    right: tuple[str, ...]
    how: str  # guid, path, name, fuzzy
    score: float = 100.0


@dataclass(frozen=True)
class Conflict:
    """Both sides changed one thing of one code differently (or, two-way, simply differ)."""

    path: str
    field: str  # a field of FIELDS, or name, parent, deleted
    base: object
    a: object
    b: object
    resolved: str | None = None  # "A" or "B" when --prefer settled it


@dataclass
class MergeReport:
    """Everything the merge found, for the printed summary and --json."""

    three_way: bool
    matches: list[Match] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)  # (side, path)
    deleted: list[tuple[str, str]] = field(default_factory=list)  # (side that deleted, path)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (side, old path, new name)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (side, old path, new path)
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # (side, path, field)
    duplicated: list[tuple[str, str]] = field(default_factory=list)  # (path, path) alike names, both kept
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def unresolved(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.resolved is None]

    def as_json(self) -> dict:
        return {
            "three_way": self.three_way,
            "matches": [{"a": path_text(m.left), "b": path_text(m.right), "how": m.how, "score": round(m.score, 1)}
                        for m in self.matches if m.how != "path"],
            "added": [{"side": s, "code": p} for s, p in self.added],
            "deleted": [{"side": s, "code": p} for s, p in self.deleted],
            "renamed": [{"side": s, "code": p, "to": n} for s, p, n in self.renamed],
            "moved": [{"side": s, "code": p, "to": n} for s, p, n in self.moved],
            "changed": [{"side": s, "code": p, "field": f} for s, p, f in self.changed],
            "duplicated": [{"code": a, "like": b} for a, b in self.duplicated],
            "conflicts": [{"code": c.path, "field": c.field, "base": c.base, "a": c.a, "b": c.b,
                           "resolved": c.resolved} for c in self.conflicts],
        }

    def lines(self) -> list[str]:
        out = []
        for m in self.matches:
            if m.how == "fuzzy":
                out.append(f"matched by a similar name ({m.score:.0f}%): "
                           f"A {path_text(m.left)!r} = B {path_text(m.right)!r}")
            elif m.how == "name":
                out.append(f"matched by name: A {path_text(m.left)!r} = B {path_text(m.right)!r}")
        out += [f"added in {s}: {p}" for s, p in self.added]
        out += [f"deleted in {s}: {p}" for s, p in self.deleted]
        out += [f"renamed in {s}: {p} -> {n}" for s, p, n in self.renamed]
        out += [f"moved in {s}: {p} -> {n}" for s, p, n in self.moved]
        out += [f"changed in {s}: {p} ({f})" for s, p, f in self.changed]
        out += [f"possible duplicate: {a} and {b}" for a, b in self.duplicated]
        for c in self.conflicts:
            how = f"took {c.resolved}" if c.resolved else "UNRESOLVED"
            out.append(f"conflict on {c.path} ({c.field}): A {_show(c.a)} / B {_show(c.b)} — {how}")
        return out


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 50 else text[:49] + "…"


# ----------------------------------------------------------------------------- flattening and matching
def flatten(codebook: Codebook | None) -> dict[int, Entry]:
    entries: dict[int, Entry] = {}
    if codebook is None:
        return entries

    def visit(codes: list[Code], path: tuple[str, ...], parent: int | None) -> None:
        for code in codes:
            key = len(entries)
            here = path + (code.name,)
            entries[key] = Entry(key, here, parent, code)
            visit(code.children, here, key)

    visit(codebook.codes, (), None)
    return entries


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def match(left: dict[int, Entry], right: dict[int, Entry], fuzzy: bool = True,
          threshold: float = FUZZY_THRESHOLD, by_name: bool = True) -> dict[int, tuple[int, Match]]:
    """right key -> (left key, how): by guid, path, name (either language; unless not `by_name`),
    then a similar name."""
    found: dict[int, tuple[int, Match]] = {}
    taken: set[int] = set()

    def pair(r: Entry, l_key: int, how: str, score: float = 100.0) -> None:
        found[r.key] = (l_key, Match(left[l_key].path, r.path, how, score))
        taken.add(l_key)

    by_guid = {e.guid: e.key for e in left.values() if e.guid}
    for r in right.values():
        if r.guid and r.guid in by_guid and by_guid[r.guid] not in taken:
            pair(r, by_guid[r.guid], "guid")
    by_path = {tuple(_fold(n) for n in e.path): e.key for e in left.values()}
    for r in right.values():
        key = by_path.get(tuple(_fold(n) for n in r.path))
        if r.key not in found and key is not None and key not in taken:
            pair(r, key, "path")
    for r in right.values():
        if r.key in found or not by_name:
            continue
        names = {_fold(r.code.name), _fold(r.code.name_zh)} - {""}
        candidates = [e.key for e in left.values() if e.key not in taken
                      and names & ({_fold(e.code.name), _fold(e.code.name_zh)} - {""})]
        if len(candidates) == 1:
            pair(r, candidates[0], "name")
    if fuzzy:
        from rapidfuzz import fuzz

        for r in right.values():
            if r.key in found:
                continue
            best, best_score = None, threshold
            for e in left.values():
                if e.key in taken:
                    continue
                both_zh = r.code.name_zh and e.code.name_zh
                score = max(fuzz.ratio(_fold(r.code.name), _fold(e.code.name)),
                            fuzz.ratio(_fold(r.code.name_zh), _fold(e.code.name_zh)) if both_zh else 0)
                if score >= best_score:
                    best, best_score = e.key, score
            if best is not None:
                pair(r, best, "fuzzy", best_score)
    return found


# ----------------------------------------------------------------------------- the merge
@dataclass
class _Node:
    id: str
    sources: dict[str, int]
    name: str
    parent: str | None
    code: Code


def merge(a: Codebook, b: Codebook, base: Codebook | None = None, prefer: str | None = None,
          fuzzy: bool = True) -> tuple[Codebook, MergeReport]:
    """The merged codebook and what happened; unresolved conflicts keep A's value and are reported."""
    if prefer not in (None, "A", "B"):
        raise WorkbenchError(f"--prefer {prefer!r}: use A or B")
    flat = {"O": flatten(base), "A": flatten(a), "B": flatten(b)}
    report = MergeReport(three_way=base is not None)
    to_base = {side: {r: o for r, (o, _) in match(flat["O"], flat[side], fuzzy).items()} for side in ("A", "B")}
    # Codes new on both sides are matched with each other, as in a two-way merge.
    new_a = {k: e for k, e in flat["A"].items() if k not in to_base["A"]}
    new_b = {k: e for k, e in flat["B"].items() if k not in to_base["B"]}
    a_of_b = match(new_a, new_b, fuzzy)
    report.matches = [m for _, m in a_of_b.values()]
    nodes: dict[str, _Node] = {}
    owner: dict[tuple[str, int], str] = {}
    for key in flat["O"]:
        sources = {"O": key}
        for side in ("A", "B"):
            hit = next((r for r, base_key in to_base[side].items() if base_key == key), None)
            if hit is not None:
                sources[side] = hit
        nodes[f"O{key}"] = _Node(f"O{key}", sources, "", None, flat["O"][key].code)
    for k in new_a:
        nodes[f"A{k}"] = _Node(f"A{k}", {"A": k}, "", None, flat["A"][k].code)
    for k in new_b:
        if k in a_of_b:
            nodes[f"A{a_of_b[k][0]}"].sources["B"] = k
        else:
            nodes[f"B{k}"] = _Node(f"B{k}", {"B": k}, "", None, flat["B"][k].code)
    for node in nodes.values():
        for side, k in node.sources.items():
            owner[(side, k)] = node.id

    def entry(node: _Node, side: str) -> Entry | None:
        k = node.sources.get(side)
        return flat[side][k] if k is not None else None

    def decide(node: _Node, what: str, base_value, a_value, b_value, has_base: bool):
        """Three-way choice of one value; a conflict when both changed it differently."""
        seen = entry(node, "A") or entry(node, "B") or entry(node, "O")
        assert seen is not None  # every node comes from at least one side
        label = path_text(seen.path)
        if a_value == b_value:
            return a_value, None
        if has_base and a_value == base_value:
            return b_value, "B"
        if has_base and b_value == base_value:
            return a_value, "A"
        if not has_base and what in FIELDS and _empty(a_value) != _empty(b_value):
            return (b_value, "B") if _empty(a_value) else (a_value, "A")  # one side filled it in
        report.conflicts.append(Conflict(label, what, base_value if has_base else None, a_value, b_value, prefer))
        return (b_value if prefer == "B" else a_value), None

    kept: dict[str, _Node] = {}
    moves: list[tuple[str, str, str]] = []
    for node in nodes.values():
        o, ea, eb = entry(node, "O"), entry(node, "A"), entry(node, "B")
        if o is not None and (ea is None or eb is None):
            if ea is None and eb is None:
                report.deleted.append(("A and B", path_text(o.path)))
                continue
            side, survivor = ("A", eb) if ea is None else ("B", ea)
            assert survivor is not None  # not deleted on both sides (above)
            if _same(o.code, survivor.code) and _parent_path(flat, o) == _parent_path(flat, survivor):
                report.deleted.append((side, path_text(o.path)))
                continue
            # Deleted on one side, changed on the other: keep or drop, but never decide silently.
            keep_side = "B" if side == "A" else "A"
            report.conflicts.append(Conflict(path_text(o.path), "deleted", "kept",
                                             "deleted" if side == "A" else "changed",
                                             "deleted" if side == "B" else "changed", prefer))
            if prefer == side:
                report.deleted.append((side, path_text(o.path)))
                continue
            node.sources = {"O": node.sources["O"], keep_side: node.sources[keep_side]}
        kept[node.id] = node
    for node in kept.values():
        o, ea, eb = entry(node, "O"), entry(node, "A"), entry(node, "B")
        has_base = o is not None
        if ea is None or eb is None:
            only = ea or eb
            assert only is not None  # a node both sides deleted was dropped above
            side = "A" if ea is not None else "B"
            node.name, node.code = only.code.name, only.code
            node.parent = owner.get((side, only.parent)) if only.parent is not None else None
            if o is None:
                report.added.append((side, path_text(only.path)))
            else:
                _note_changes(report, side, o, only, flat)
            continue
        node.name, who = decide(node, "name", o.code.name if o else None, ea.code.name, eb.code.name, has_base)
        fields = {}
        for name in FIELDS:
            value, who_field = decide(node, name, getattr(o.code, name) if o else None, getattr(ea.code, name),
                                      getattr(eb.code, name), has_base)
            fields[name] = value
            if who_field and o is not None:
                report.changed.append((who_field, path_text(o.path), name))
        if who and o is not None:
            report.renamed.append((who, path_text(o.path), node.name))
        elif not has_base and ea.code.name != eb.code.name and node.name != ea.code.name:
            report.renamed.append(("B", path_text(ea.path), node.name))
        parents = {side: (owner.get((side, e.parent)) if e.parent is not None else None)
                   for side, e in (("O", o), ("A", ea), ("B", eb)) if e is not None}
        node.parent, who_parent = decide(node, "parent", parents.get("O"), parents["A"], parents["B"], has_base)
        if who_parent and o is not None:
            moves.append((who_parent, path_text(o.path), node.id))
        node.code = replace(ea.code, name=node.name, children=[], **fields)
        if not has_base and base is not None:
            report.added.append(("A and B", path_text(ea.path)))
    tree = _build(kept, report)
    paths = {node_id: _path_of(kept, node_id) for node_id in kept}

    def shown(node_id: object, missing: object) -> object:
        """A parent conflict's node id as its path (`missing` for none, the top level)."""
        return paths.get(node_id, missing) if isinstance(node_id, str) else missing

    report.conflicts = [
        replace(c, base=shown(c.base, c.base), a=shown(c.a, "(top)"), b=shown(c.b, "(top)"))
        if c.field == "parent" else c
        for c in report.conflicts
    ]
    report.moved += [(side, old, paths[node_id]) for side, old, node_id in moves if node_id in paths]
    _duplicates(kept, paths, report)
    name = a.name if a.name == b.name or prefer != "B" else b.name
    merged = Codebook(name=name, codes=tree, name_zh=a.name_zh or b.name_zh, description=a.description or b.description)
    return merged, report


def _empty(value: object) -> bool:
    return value in ("", None, [], "#888888")


def _same(left: Code, right: Code) -> bool:
    return left.name == right.name and all(getattr(left, f) == getattr(right, f) for f in FIELDS)


def _parent_path(flat, e: Entry) -> tuple[str, ...]:
    return e.path[:-1]


def _note_changes(report: MergeReport, side: str, o: Entry, now: Entry, flat) -> None:
    if now.code.name != o.code.name:
        report.renamed.append((side, path_text(o.path), now.code.name))
    for name in FIELDS:
        if getattr(now.code, name) != getattr(o.code, name):
            report.changed.append((side, path_text(o.path), name))
    if now.path[:-1] != o.path[:-1]:
        report.moved.append((side, path_text(o.path), path_text(now.path)))


def _path_of(kept: dict[str, _Node], node_id: str | None) -> str:
    names, seen = [], set()
    while node_id is not None and node_id in kept and node_id not in seen:
        seen.add(node_id)
        names.append(kept[node_id].name)
        node_id = kept[node_id].parent
    return "/".join(reversed(names))


def _build(kept: dict[str, _Node], report: MergeReport) -> list[Code]:
    """The tree from parent links: a parent that is gone or a cycle puts the code at the top."""
    for node in kept.values():
        seen, current = {node.id}, node.parent
        while current is not None:
            if current not in kept or current in seen:
                node.parent = None
                break
            seen.add(current)
            current = kept[current].parent
    children: dict[str | None, list[_Node]] = {}
    for node in kept.values():
        children.setdefault(node.parent, []).append(node)

    def grow(parent: str | None) -> list[Code]:
        codes, names = [], set()
        for node in children.get(parent, []):
            name = node.name
            while name.casefold() in names:  # two different codes, one name: both kept, told apart
                name = f"{name} (B)"
                report.duplicated.append((_path_of(kept, node.id), f"{_path_of(kept, parent)}/{name}".lstrip("/")))
            names.add(name.casefold())
            node.name = name
            codes.append(replace(node.code, name=name, children=grow(node.id)))
        return codes

    return grow(None)


def _duplicates(kept: dict[str, _Node], paths: dict[str, str], report: MergeReport) -> None:
    """Codes in different places with one name (in either language): likely the same idea twice."""
    seen: dict[str, str] = {}
    for node_id, node in kept.items():
        for name in {_fold(node.name), _fold(node.code.name_zh)} - {""}:
            other = seen.get(name)
            if other is not None and other != node_id:
                pair = (paths[other], paths[node_id])
                if pair not in report.duplicated:
                    report.duplicated.append(pair)
            seen.setdefault(name, node_id)


# ----------------------------------------------------------------------------- files and projects
def load(source: str | Path) -> Codebook:
    """A codebook from a YAML file or from a project file (its codebook)."""
    from ..store import SQLITE_MAGIC, Project
    from .ops import as_codebook
    from .yaml_io import load_yaml

    path = Path(source)
    if not path.exists():
        raise WorkbenchError(f"{path}: no such codebook or project file")
    if path.is_file():
        with path.open("rb") as handle:
            head = handle.read(16)
        if head == SQLITE_MAGIC:
            with Project.open(path) as project:
                return as_codebook(project)
    return load_yaml(path)
