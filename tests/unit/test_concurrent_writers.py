"""Concurrent coders: several processes write one project at once and no write is lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from reliability_worker import count_rows, wait_for, write_transcripts
from workbench.codebook import parse_codebook
from workbench.codebook.ops import install
from named import code_named
from workbench.imports import import_files
from workbench.store import Project

WORKER = Path(__file__).parents[1] / "support" / "reliability_worker.py"
CODEBOOK = "name: test\ncodes:\n  - name: Trust\n  - name: Housing\n    children:\n      - name: Rent\n"


def _project(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "shared.qda"
    files = write_transcripts(tmp_path / "transcripts", 1, turns=40)
    with Project.create(path) as project:
        install(project, parse_codebook(CODEBOOK, "test.yaml"), coder="setup")
        outcome, = import_files(project, files, coder="setup")
        assert outcome.status == "imported"
    return path, files[0].name


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def _writer(path: Path, document: str, code: str, count: int, coder: str, go: Path,
            stop: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), "code", str(path), document, code, str(count), coder, str(go),
         *([str(stop)] if stop else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )


def _go(go: Path, *writers: subprocess.Popen) -> None:
    """Start the writers together, once each has imported everything and opened nothing yet."""
    for writer in writers:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
    go.touch()


def _finish(process: subprocess.Popen, timeout: float = 120) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    assert err == "", err
    return out


def test_two_writer_processes_apply_500_codings_each_and_all_1000_are_there(tmp_path):
    path, document = _project(tmp_path)
    go = tmp_path / "go"
    writers = [_writer(path, document, "Trust", 500, "ana", go),
               _writer(path, document, "Housing/Rent", 500, "ben", go)]
    _go(go, *writers)
    (a_start, a_end, _), (b_start, b_end, _) = [map(float, _finish(writer).split()) for writer in writers]
    assert a_start < b_end and b_start < a_end, "the two writers did not run at the same time"
    with Project.open(path) as project:
        assert project.integrity_ok()
        assert project.coding_count() == 1000
        assert len(project.codings(coders=["ana"])) == 500
        assert len(project.codings(coders=["ben"])) == 500
        assert len(project.events(-1, action="code apply")) == 1000
        spans = {(c.coder, c.start, c.end) for c in project.codings()}
        assert len(spans) == 1000


def test_same_coding_from_two_processes_is_kept_once(tmp_path):
    path, document = _project(tmp_path)
    go = tmp_path / "go"
    writers = [_writer(path, document, "Trust", 200, "same", go) for _ in range(2)]
    _go(go, *writers)
    for writer in writers:
        _finish(writer)
    with Project.open(path) as project:
        assert project.coding_count() == 200


def test_cli_commands_and_backups_while_a_writer_works(tmp_path):
    """CLI scripts beside a busy writer never see "database is locked", and a backup taken
    meanwhile holds exactly a prefix of committed transactions."""
    path, document = _project(tmp_path)
    go = tmp_path / "go"
    stop = tmp_path / "stop"
    writer = _writer(path, document, "Trust", 100_000, "ana", go, stop)
    _go(go, writer)
    assert wait_for(lambda: count_rows(path, "codings") >= 20, timeout=60)
    cli = [sys.executable, "-m", "workbench"]
    runs = [
        [*cli, "code", str(path), document, "Housing", "1", "9", "--coder", "cli"],
        [*cli, "backup", str(path)],
        [*cli, "query", str(path), "Trust OR Housing", "--json"],
        [*cli, "code", str(path), document, "Housing/Rent", "3", "12", "--coder", "cli"],
        [*cli, "backup", str(path)],
    ]
    started = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
               for command in runs]
    for process in started:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "locked" not in err.lower() and "busy" not in err.lower()
    assert writer.poll() is None, "the writer finished before the CLI commands ran beside it"
    stop.touch()
    applied = int(_finish(writer).split()[2])
    from workbench.backup import list_backups

    backups = list_backups(path)
    assert len(backups) == 2
    for item in backups:
        connection = sqlite3.connect(f"file:{item.path}?mode=ro", uri=True)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            codings = connection.execute("SELECT count(*) FROM codings").fetchone()[0]
            logged = connection.execute("SELECT count(*) FROM events WHERE action = 'code apply'").fetchone()[0]
            assert codings == logged  # each coding and its event were copied together, or neither
        finally:
            connection.close()
    with Project.open(path) as project:
        assert project.coding_count() == applied + 2


def test_a_reader_notices_another_process_writing(tmp_path):
    """What the TUI polls: data_version and last_event_id move when someone else commits."""
    path, document = _project(tmp_path)
    with Project.open(path) as watcher, Project.open(path) as other:
        version, last = watcher.data_version(), watcher.last_event_id()
        assert watcher.data_version() == version  # nothing happened: no refresh
        code_named(other, document, "Trust", 0, 5, "other")
        assert watcher.data_version() != version
        assert watcher.last_event_id() > last
        news, = watcher.events_since(last)
        assert news.action == "code apply" and '"start": 0' in news.detail
        version = watcher.data_version()
        code_named(watcher, document, "Trust", 5, 9, "me")
        assert watcher.data_version() == version  # its own writes it knows about already
