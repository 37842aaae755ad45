"""Helpers for the reliability and fuzz tests, and a script the kill and concurrency tests run.

As a script: `python reliability_worker.py code PROJECT DOCUMENT CODE COUNT CODER [GO_FILE [STOP_FILE]]`
says `ready`, applies COUNT codings (one transaction each) through the core once GO_FILE appears,
stops early when STOP_FILE does, and prints its start and end times and how many it applied;
`python reliability_worker.py churn PROJECT CODE` deletes and undeletes CODE until killed.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

SPEAKERS_EN = ("Interviewer", "Respondent", "P01", "Moderator")
SPEAKERS_ZH = ("访谈者", "受访者", "主持人")
WORDS_EN = ("trust", "neighbourhood", "committee", "hukou", "school", "factory", "rent", "market",
            "the", "we", "never", "always", "because", "migrant", "village", "city", "work", "family")
SENTENCES_ZH = ("我们刚来的时候谁也不认识。", "社区居委会帮了很多忙。", "孩子上学的问题一直很难解决。",
                "老乡之间互相介绍工作。", "房租每年都在涨。", "我觉得政府的政策越来越好了。")


def project_digest(path: str | Path | sqlite3.Connection) -> str:
    """sha256 of a full SQL dump plus the header fields: equal digests, equal projects.

    Given an open connection (a Project's `conn`), it sees what that connection sees, an
    unfinished transaction included.
    """
    given = isinstance(path, sqlite3.Connection)
    connection = path if given else sqlite3.connect(str(path))
    try:
        digest = hashlib.sha256()
        for pragma in ("application_id", "user_version"):
            digest.update(f"{pragma}={connection.execute(f'PRAGMA {pragma}').fetchone()[0]}\n".encode())
        for line in connection.iterdump():
            digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
        return digest.hexdigest()
    finally:
        if not given:
            connection.close()


def copy_project(source: str | Path, target: str | Path) -> Path:
    """Copy a project through SQLite's backup API, never with Python file I/O.

    Closing a Python descriptor of a database file drops every SQLite lock this process holds
    on it (issue 7), so tests copy projects the way the workbench does.
    """
    source_connection = sqlite3.connect(str(source))
    try:
        target_connection = sqlite3.connect(str(target))
        try:
            source_connection.backup(target_connection)
        finally:
            target_connection.close()
    finally:
        source_connection.close()
    return Path(target)


def run_cli(*args: str) -> tuple[int, str]:
    """Run the CLI in-process; a failure must be the project's own one-line error, not a crash."""
    from click.testing import CliRunner

    from workbench.cli import cli

    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert lines and lines[-1].startswith(("Error: ", "error: ")), result.output  # import: per file
        assert "WORKBENCH_DEBUG" not in result.output and "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def cli_process(*args: str) -> str:
    """Run the CLI in a process of its own, as a script or a colleague would; its output."""
    done = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def coded_spans(path: str | Path, coders: set[str]) -> set[tuple[str, int, int]]:
    """(coder, start, end) of these coders' codings, read by a connection of its own."""
    connection = sqlite3.connect(str(path))
    try:
        rows = connection.execute(
            'SELECT k.name, g.start, g."end" FROM codings g JOIN coders k ON k.id = g.coder_id')
        return {row for row in rows if row[0] in coders}
    finally:
        connection.close()


def transcript(rng: random.Random, number: int, turns: int = 60) -> str:
    """A plausible mixed zh/en interview transcript with speaker labels."""
    lines = [f"# Interview {number}", ""]
    for index in range(turns):
        if rng.random() < 0.3:
            speaker = SPEAKERS_ZH[index % 2]
            body = "".join(rng.choice(SENTENCES_ZH) for _ in range(rng.randint(1, 6)))
            lines.append(f"{speaker}：{body}")
        else:
            speaker = SPEAKERS_EN[index % 2]
            body = " ".join(rng.choice(WORDS_EN) for _ in range(rng.randint(5, 60)))
            lines.append(f"{speaker}: {body.capitalize()}.")
        lines.append("")
    return "\n".join(lines)


def write_transcripts(folder: Path, count: int, seed: int = 7, turns: int = 60) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"T{number:03d}-interview.txt"
        path.write_text(transcript(rng, number, turns), encoding="utf-8")
        paths.append(path)
    return paths


def wait_for(condition, timeout: float, interval: float = 0.002) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def count_rows(path: str | Path, table: str) -> int:
    """Rows of a table seen from a separate read-only connection (0 while it does not exist)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def _code(project_path: str, document: str, code: str, count: int, coder: str, go_file: str | None,
          stop_file: str | None = None) -> None:
    from named import code_named

    from workbench.store import Project

    if go_file:
        print("ready", flush=True)
        wait_for(lambda: Path(go_file).exists(), timeout=60, interval=0.001)
    began = time.time()
    applied = 0
    with Project.open(project_path) as project:
        length = project.document_length(project.document_id(document))
        for index in range(count):
            if stop_file and index % 10 == 0 and Path(stop_file).exists():
                break
            start = index % (length - 1)
            code_named(project, document, code, start, start + 1 + index // (length - 1), coder)
            applied += 1
    print(began, time.time(), applied)  # the tests check that the writers' runs overlapped


def _churn(project_path: str, code: str) -> None:
    from workbench.codebook.ops import delete_code, resolve, undo_delete
    from workbench.store import Project

    with Project.open(project_path) as project:
        if code.casefold() not in {row.name.casefold() for row in project.code_rows()}:
            undo_delete(project, code, coder="churn")  # a kill left it deleted
        while True:
            delete_code(project, resolve(project, code), remove_codings=True, coder="churn")
            undo_delete(project, code, coder="churn")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "code":
        project_path, document, code, count, coder, *rest = arguments
        _code(project_path, document, code, int(count), coder, *rest)
    elif command == "churn":
        _churn(*arguments)
    else:
        raise SystemExit(f"unknown command {command!r}")
