"""Random sequences of codebook edits, codings, deletions, merges and undos: the project stays
whole, no coding disappears unless its removal was asked for, and undo gives back exactly
what a deletion took."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from workbench.codebook import MAX_DEPTH, parse_codebook
from workbench.codebook.export import export
from workbench.codebook.ops import (
    add_code, as_codebook, delete_code, descendants, install, last_deletion, merge_codes, move_code,
    paths_by_id, undo_delete,
)
from workbench.codebook.yaml_io import load_yaml
from named import code_named
from workbench.imports import import_files
from workbench.model import Code, WorkbenchError
from workbench.store import Project

EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "300"))  # fixed seed: CI runs the same inputs
NAMES = ("Trust", "Distrust", "Housing", "Rent", "信任", "Work")
CODEBOOK = "name: undo\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n  - name: Housing\n"


def _state(project: Project) -> tuple[list, list]:
    codes = project.conn.execute("SELECT * FROM codes ORDER BY id").fetchall()
    codings = project.conn.execute("SELECT * FROM codings ORDER BY id").fetchall()
    return codes, codings


def _spans(project: Project) -> set[tuple]:
    """Every coded span with who coded it, whatever the code: what must never silently vanish."""
    return {(c.document_id, c.start, c.end, c.coder) for c in project.codings()}


class CodebookEdits(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = tempfile.TemporaryDirectory(prefix="fuzz-undo-")
        folder = Path(self.folder.name)
        (folder / "a.txt").write_text("Interviewer: when did you come?\n\nRespondent: " + "word " * 80, "utf-8")
        # Backups are tested elsewhere.
        self.project = Project.create(folder / "undo.qda", before_destructive=lambda project, action: None)
        install(self.project, parse_codebook(CODEBOOK, "undo.yaml"))
        list(import_files(self.project, [folder / "a.txt"]))
        self.document = self.project.documents()[0].id
        self.length = self.project.document_length(self.document)

    def teardown(self):
        self.project.close()
        self.folder.cleanup()

    def _code(self, index: int) -> int | None:
        ids = sorted(paths_by_id(self.project))
        return ids[index % len(ids)] if ids else None

    @rule(name=st.sampled_from(NAMES), parent=st.integers(0, 20) | st.none())
    def add(self, name, parent):
        parent_id = self._code(parent) if parent is not None else None
        try:
            add_code(self.project, Code(name=name), parent_id)
        except WorkbenchError:
            pass  # a sibling of that name, or too deep: refused, nothing changed

    @rule(code=st.integers(0, 20), start=st.integers(0, 400), size=st.integers(1, 30),
          coder=st.sampled_from(["ana", "ben"]))
    def apply(self, code, start, size, coder):
        code_id = self._code(code)
        if code_id is None:
            return
        start = start % (self.length - 1)
        code_named(self.project, self.document, code_id, start, min(self.length, start + size), coder)

    @rule(code=st.integers(0, 20), into=st.integers(0, 20) | st.none(), undo_now=st.booleans())
    def delete(self, code, into, undo_now):
        code_id = self._code(code)
        if code_id is None:
            return
        subtree = descendants(self.project, code_id)
        target_id = self._code(into) if into is not None else None
        before, spans = _state(self.project), _spans(self.project)
        doomed = {(c.document_id, c.start, c.end, c.coder) for c in self.project.codings(code_ids=subtree)}
        try:
            delete_code(self.project, code_id, reassign_to=target_id, remove_codings=target_id is None)
        except WorkbenchError:
            assert _state(self.project) == before
            return
        if target_id is None:
            kept_elsewhere = spans - doomed | {(c.document_id, c.start, c.end, c.coder) for c in self.project.codings()}
            assert _spans(self.project) == kept_elsewhere
        else:
            assert _spans(self.project) == spans, "reassigning lost a coded span"
        if undo_now:
            undo_delete(self.project)
            assert _state(self.project) == before, "undo did not give back exactly what was deleted"

    @rule()
    def undelete(self):
        if last_deletion(self.project) is None:
            return
        spans = _spans(self.project)
        try:
            undo_delete(self.project)
        except WorkbenchError:
            return  # e.g. a code of that name was made since: refused as a whole
        assert _spans(self.project) >= spans, "undo took codings away"

    @rule(source=st.integers(0, 20), into=st.integers(0, 20))
    def merge(self, source, into):
        source_id, target_id = self._code(source), self._code(into)
        if source_id is None:
            return
        before, spans = _state(self.project), _spans(self.project)
        try:
            merge_codes(self.project, source_id, target_id)
        except WorkbenchError:
            assert _state(self.project) == before
            return
        assert _spans(self.project) == spans, "merging lost a coded span"

    @rule(code=st.integers(0, 20), parent=st.integers(0, 20) | st.none())
    def move(self, code, parent):
        code_id = self._code(code)
        if code_id is None:
            return
        before = _state(self.project)
        try:
            move_code(self.project, code_id, self._code(parent) if parent is not None else None)
        except WorkbenchError:
            assert _state(self.project) == before

    @invariant()
    def whole(self):
        connection: sqlite3.Connection = self.project.conn
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        paths = paths_by_id(self.project)
        assert all(len(path.split("/")) <= MAX_DEPTH for path in paths.values())
        assert len({path.casefold() for path in paths.values()}) == len(paths), "two codes share a path"

    @precondition(lambda self: self.project.code_count() > 0)
    @invariant()
    def exports_and_loads_again(self):
        target = Path(self.folder.name) / "codebook.yaml"
        export(as_codebook(self.project), target)
        again = load_yaml(target)
        assert sorted(path for path, _ in again.walk()) == sorted(
            tuple(path.split("/")) for path in paths_by_id(self.project).values())


CodebookEdits.TestCase.settings = settings(
    derandomize=True, max_examples=max(10, EXAMPLES // 5), stateful_step_count=25, deadline=None,
    database=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCodebookEdits = CodebookEdits.TestCase
