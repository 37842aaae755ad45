"""Property: two coders' copies of one project, worked on apart (code, uncode, memo, rename, move,
fold, delete a document, merge from the other now and then), merged both ways, never lose a coding
or memo that was not deleted, never credit one to another coder or code, and converge (merging
again changes nothing).

The transport that carries FROM to the merge is pluggable (`TRANSPORTS`): the project file itself,
or a `.qdpx` round trip (export, import into a new project). REFI-QDA has no record of deletions,
so through .qdpx FROM's deletions do not travel: the merge is checked against what arrived, and
the trip itself must keep every coding and memo of FROM with its guid, coder, code and span."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from named import code_named

from workbench.codebook.ops import add_code, merge_codes, move_code, update_code
from workbench.coding import remove_coding
from workbench.merge import merge_projects
from workbench.model import Code, WorkbenchError
from workbench.store import Project

TEXTS = {"P01.txt": "I trust my family. Work is hard. My boss lies to us.\n",
         "P02.txt": "我们很信任居委会的王主任。Nobody helps the newcomers.\n"}
CODERS = {"a": "alice", "b": "bob"}
KINDS = ("code", "code", "code", "code", "code", "uncode", "memo", "memo", "rename", "move", "fold", "delete", "sync")

Transport = Callable[[Path, Path], Path]  # (project file, scratch folder) -> the project to merge from


def _file(path: Path, scratch: Path) -> Path:
    return path


def _qdpx(path: Path, scratch: Path) -> Path:
    """FROM through REFI-QDA: exported to .qdpx and imported into a new project. REFI has no record of
    deletions, so what FROM deleted is simply absent; guids (sources, codes, users, codings, notes)
    travel, so the merge still knows every object."""
    from workbench.exchange.refi_export import export_project
    from workbench.exchange.refi_import import import_qdpx

    archive = scratch / f"{path.stem}.qdpx"
    carried = scratch / f"{path.stem}-via-qdpx.qda"
    with Project.open(path) as project:
        export_project(project, archive)
    with Project.create(carried) as project:
        import_qdpx(project, archive, "lead")
    return carried


TRANSPORTS: dict[str, Transport] = {"file": _file, "qdpx": _qdpx}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    from workbench.imports import import_files

    folder = tmp_path_factory.mktemp("team-base")
    path = folder / "base.qda"
    with Project.create(path) as project:
        for name, text in TEXTS.items():
            (folder / name).write_text(text, encoding="utf-8")
            list(import_files(project, [folder / name], "lead"))
        trust = add_code(project, Code("Trust"))
        add_code(project, Code("Distrust"), trust)
        add_code(project, Code("Work"))
        add_code(project, Code("Family"))
    return path


op = st.tuples(st.sampled_from("ab"), st.sampled_from(KINDS), st.integers(0, 60), st.integers(0, 60),
               st.integers(1, 14))


@dataclass
class Counter:
    n: int = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _apply(path: Path, other: Path, side: str, kind: str, i: int, j: int, k: int, counter: Counter) -> None:
    coder = CODERS[side]
    if kind == "sync":
        merge_projects(path, other, coder)
        return
    with Project.open(path) as project:
        docs = [row.id for row in project.documents()]
        codes = [row.id for row in project.code_rows()]
        codings = project.codings()
        try:
            if kind == "code" and docs:
                doc = docs[i % len(docs)]
                length = project.document_length(doc)
                start = j % (length - 1)
                code_named(project, doc, codes[i % len(codes)], start, min(length, start + k), coder)
            elif kind == "uncode" and codings:
                remove_coding(project, codings[i % len(codings)].id, coder)
            elif kind == "memo":
                text = f"{coder} memo {counter.next()}"
                with project.transaction():
                    if codings and j % 2 == 0:
                        project.add_memo("coding", codings[i % len(codings)].id, text, coder)
                    else:
                        project.add_memo("code", codes[i % len(codes)], text, coder)
            elif kind == "rename":
                code = codes[i % len(codes)]
                name = next(r.name for r in project.code_rows() if r.id == code)
                update_code(project, code, coder, name=f"{name.split('~')[0]}~{counter.next()}")
            elif kind == "move":
                code = codes[i % len(codes)]
                parent = None if j % 3 == 0 else codes[j % len(codes)]
                move_code(project, code, parent, coder)
            elif kind == "fold" and len(codes) > 1:
                source, target = codes[i % len(codes)], codes[j % len(codes)]
                if source != target:
                    merge_codes(project, source, target, coder)
            elif kind == "delete" and docs:
                from workbench.documents import delete

                delete(project, docs[i % len(docs)], coder)
        except (WorkbenchError, sqlite3.IntegrityError):
            pass  # a move under itself, a fold onto its own sub-code, a clash of names: refused, nothing changed


@dataclass
class State:
    codings: dict[str, tuple]  # guid -> (document guid, code guid, coder guid, start, end)
    memos: dict[str, tuple]  # text -> (guid, target, target guid, coder guid)
    deleted: set[str]
    folds: dict[str, str]
    codes: set[str]


def _state(path: Path) -> State:
    with Project.open(path) as project:
        guid = {table: {row["id"]: row["guid"].lower() for row in project.rows_of(table)}
                for table in ("documents", "codes", "codings", "coders", "cases")}
        codings = {guid["codings"][row["id"]]: (guid["documents"][row["document_id"]], guid["codes"][row["code_id"]],
                                                guid["coders"][row["coder_id"]], row["start"], row["end"])
                   for row in project.rows_of("codings")}
        tables = {"coding": "codings", "code": "codes", "document": "documents", "case": "cases"}
        memos = {}
        for memo in project.memos():
            target = guid[tables[memo.target]][memo.target_id] if memo.target in tables else None
            coder = next(row["guid"].lower() for row in project.rows_of("coders") if row["name"] == memo.coder)
            memos[memo.text] = (memo.guid.lower(), memo.target, target, coder)
        return State(codings, memos, set(project.deleted_guids()), project.fold_targets(), set(guid["codes"].values()))


def _resolved(code: str, folds: dict[str, str], codes: set[str]) -> str | None:
    seen = set()
    while code not in codes and code in folds and code not in seen:
        seen.add(code)
        code = folds[code]
    return code if code in codes else None


def _check(into: State, source: State, merged: State) -> None:
    """What INTO ← FROM must hold (into/source before the merge, merged after it). A code folded on
    either side is that code's target after the merge (a fold made here wins)."""
    folds = {**source.folds, **into.folds}

    def allowed_codes(guid: str) -> set[str]:
        found = set()
        for state in (into, source):
            if guid in state.codings:
                code = state.codings[guid][1]
                found |= {code, _resolved(code, folds, merged.codes)}
        return found - {None}

    by_content = {}
    for guid, (doc, code, coder, start, end) in merged.codings.items():
        # never invented, never credited to another coder, code or passage
        assert guid in into.codings or guid in source.codings, f"coding {guid} came from nowhere"
        origin = into.codings.get(guid) or source.codings[guid]
        assert (doc, coder, start, end) == (origin[0], origin[2], origin[3], origin[4])
        assert code in allowed_codes(guid), f"coding {guid} credited to another code"
        by_content[(doc, code, coder, start, end)] = guid

    def survives(guid: str, row: tuple) -> bool:
        if guid in merged.codings:
            return True
        doc, code, coder, start, end = row
        target = _resolved(code, folds, merged.codes)
        return (doc, target, coder, start, end) in by_content

    for guid, row in into.codings.items():  # ours: lost only when they deleted it (knowing it)
        if guid not in source.deleted:
            assert survives(guid, row), f"INTO's coding {row} lost"
    for guid, row in source.codings.items():  # theirs: lost only when we deleted it, its document or code
        doc, code = row[0], row[1]
        if guid in into.deleted or doc in into.deleted:
            continue
        if code in into.deleted and _resolved(code, folds, merged.codes) is None:
            continue
        assert survives(guid, row), f"FROM's coding {row} lost"
    for text, (guid, target, target_guid, coder) in merged.memos.items():
        origin = into.memos.get(text) or source.memos.get(text)
        assert origin is not None and origin[3] == coder, f"memo {text!r} misattributed"
    for side, other in ((into, source), (source, into)):
        for text, (guid, target, target_guid, coder) in side.memos.items():
            if guid in other.deleted:
                continue
            if target == "coding":
                row = side.codings[target_guid]
                kept = survives(target_guid, row) and target_guid not in other.deleted
                if side is source and (row[0] in into.deleted or (row[1] in into.deleted and _resolved(
                        row[1], folds, merged.codes) is None)):
                    kept = False
            elif target == "code":
                kept = _resolved(target_guid, folds, merged.codes) is not None or target_guid in merged.codes
            else:
                kept = True
            if kept:
                assert text in merged.memos, f"memo {text!r} lost"


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=3, max_size=12))
def test_team_paths_never_lose_or_misattribute_and_converge(base, tmp_path_factory, transport, ops):
    carry = TRANSPORTS[transport]
    folder = tmp_path_factory.mktemp("team")
    paths = {"a": folder / "a.qda", "b": folder / "b.qda"}
    for path in paths.values():
        shutil.copyfile(base, path)
    counter = Counter()
    for side, kind, i, j, k in ops:
        _apply(paths[side], paths["b" if side == "a" else "a"], side, kind, i, j, k, counter)
    states = {side: _state(path) for side, path in paths.items()}
    event(f"codings on both sides: {min(9, len(states['a'].codings) + len(states['b'].codings))}+")
    event(f"deletions recorded: {bool(states['a'].deleted or states['b'].deleted)}")
    for into, source in (("a", "b"), ("b", "a")):  # both ways, each from the state before either merge
        target = folder / f"{into}-merged.qda"
        shutil.copyfile(paths[into], target)
        carried = carry(paths[source], folder)
        merge_projects(target, carried, CODERS[into])
        through = _state(carried)
        if carried != paths[source]:  # the trip itself keeps every coding and memo, with its guid
            assert through.codings == states[source].codings
            assert {t: m[0] for t, m in through.memos.items()} == {t: m[0] for t, m in states[source].memos.items()}
        _check(states[into], through, _state(target))
        assert not merge_projects(target, carried, CODERS[into]).changed, "merging again changed something"
