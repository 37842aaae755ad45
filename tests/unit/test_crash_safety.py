"""Crash safety: SIGKILL in the middle of an import or a codebook change loses nothing committed."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reliability_worker import count_rows, wait_for, write_transcripts
from workbench.backup import list_backups
from workbench.codebook import parse_codebook
from workbench.codebook.ops import descendants, install, resolve
from named import code_named
from workbench.importers import read_file
from workbench.imports import import_files
from workbench.store import Project
from workbench.text.normalize import sha256

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

WORKER = Path(__file__).parents[1] / "support" / "reliability_worker.py"
FILES = 100


def _env() -> dict[str, str]:
    return {**os.environ, "WORKBENCH_CODER": "kill-test", "PYTHONUNBUFFERED": "1"}


def _start_import(project: Path, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "import", str(project), *map(str, files)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(),
    )


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()


def _assert_whole(project_path: Path, expected_texts: dict[str, str]) -> int:
    """The project opens, passes integrity_check, and every stored document is whole."""
    with Project.open(project_path) as project:
        assert project.integrity_ok()
        rows = project.conn.execute("SELECT id, name, sha256, text, chars FROM documents").fetchall()
        names = [name for _, name, *_ in rows]
        assert len(names) == len(set(names)), "a document was stored twice"
        for doc_id, name, stored_sha, text, chars in rows:
            assert sha256(text) == stored_sha, f"{name}: stored text does not match its sha256"
            assert text == expected_texts[name], f"{name}: stored text differs from the file's"
            assert chars == len(text)
            turns = project.turns(doc_id)
            assert turns and all(0 <= t.start <= t.end <= len(text) for t in turns)
            indexed = project.conn.execute(
                "SELECT count(*) FROM search WHERE document_id = ?", [doc_id]).fetchone()[0]
            assert indexed == len(turns), f"{name}: search index is missing turns"
        imports = project.events(-1, action="import")
        logged = [n for event in imports for n in json.loads(event.detail)["documents"]]
        assert sorted(logged) == sorted(names), "every committed file has exactly one import event"
        return len(rows)


def test_import_killed_at_several_points_keeps_whole_files_and_resumes(tmp_path):
    files = write_transcripts(tmp_path / "transcripts", FILES, turns=120)
    expected = {path.name: read_file(path)[0].text for path in files}
    project = tmp_path / "fieldwork.qda"
    Project.create(project).close()

    previous = 0
    rng = random.Random(20240607)
    # Kill once the importer has committed this many documents; at random moments after its
    # next commit (inside a transaction, between files, while parsing); and during start-up.
    plan = [("count", 5), ("running", rng.uniform(0, 0.04)), ("count", 40), ("running", rng.uniform(0, 0.04)),
            ("count", 70), ("running", rng.uniform(0, 0.04)), ("delay", 0.1)]
    for kind, value in plan:
        process = _start_import(project, files)
        if kind == "delay":
            time.sleep(value)
        else:
            goal = value if kind == "count" else previous + 1
            assert wait_for(lambda: count_rows(project, "documents") >= goal or process.poll() is not None,
                            timeout=90)
            time.sleep(value if kind == "running" else 0)
        assert process.poll() is None, "the import finished before it could be killed"
        _kill(process)
        stored = _assert_whole(project, expected)
        assert stored >= previous, "a committed file disappeared"
        assert stored < FILES
        previous = stored

    finished = subprocess.run(
        [sys.executable, "-m", "workbench", "import", str(project), *map(str, files)],
        capture_output=True, text=True, env=_env(), timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr
    assert _assert_whole(project, expected) == FILES
    assert previous > 0


def test_codebook_changes_killed_at_random_moments_leave_a_consistent_project(tmp_path):
    project_path = tmp_path / "codebook.qda"
    files = write_transcripts(tmp_path / "transcripts", 2, turns=20)
    codebook = parse_codebook(
        "name: test\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n      - name: Building\n"
        "  - name: Housing\n",
        "test.yaml",
    )
    with Project.create(project_path) as project:
        install(project, codebook, coder="setup")
        list(import_files(project, files, coder="setup"))
        for start in range(0, 200, 10):
            code_named(project, files[0].name, "Trust/Distrust", start, start + 5, "setup")
            code_named(project, files[1].name, "Trust", start, start + 7, "setup")
            code_named(project, files[1].name, "Housing", start, start + 3, "setup")
        full = sorted(project.conn.execute(
            'SELECT id, document_id, code_id, start, "end" FROM codings').fetchall())
        housing = [row for row in full if row[2] == resolve(project, "Housing")]

    rng = random.Random(99)
    restores = "events WHERE action = 'code undelete'"
    for _ in range(5):
        done = count_rows(project_path, restores)
        process = subprocess.Popen([sys.executable, str(WORKER), "churn", str(project_path), "Trust"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
        assert wait_for(lambda: count_rows(project_path, restores) > done or process.poll() is not None,
                        timeout=60)
        time.sleep(rng.uniform(0.0, 0.1))  # then anywhere: in a backup, a deletion, an undo
        assert process.poll() is None, process.stderr.read().decode()
        _kill(process)
        with Project.open(project_path) as project:
            assert project.integrity_ok()
            codings = sorted(project.conn.execute(
                'SELECT id, document_id, code_id, start, "end" FROM codings').fetchall())
            names = {row.name for row in project.code_rows()}
            if "Trust" in names:  # undone: every coding is back as it was
                assert names == {"Trust", "Distrust", "Building", "Housing"}
                assert len(descendants(project, resolve(project, "Trust"))) == 3
                assert codings == full
            else:  # deleted: only the other code's codings are left
                assert names == {"Housing"}
                assert codings == housing
    for item in list_backups(project_path):  # every backup under a backup's name is whole
        connection = sqlite3.connect(f"file:{item.path}?mode=ro", uri=True)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("SELECT count(*) FROM codes").fetchone()[0] in (1, 4)
        finally:
            connection.close()


def test_an_interrupted_init_says_what_to_do(tmp_path):
    """Killed right after SQLite made the file, before the first commit: an empty database."""
    path = tmp_path / "new.qda"
    connection = sqlite3.connect(str(path))
    connection.execute("PRAGMA journal_mode = WAL")
    connection.close()
    from workbench.model import WorkbenchError

    with pytest.raises(WorkbenchError, match="interrupted `workbench init`"):
        Project.open(path)
