"""Start-up cost of the CLI: median wall time of `code`, `query`, `documents`, `show`, `search` on a small project.

Each verb runs 10 times as a fresh process (`python -m workbench …`), as a script calling the
CLI in a loop would. The interpreter's own start (`python -c pass`) is measured beside it, so
the workbench's share can be read off. Target (issue 9): ≤ 120 ms for code, query, documents, show.

Python caches compiled modules (`__pycache__`); an installed workbench runs from that cache, and
the figures that count are taken so (the cache goes to a temporary folder, never into the source
tree). Some machines set PYTHONDONTWRITEBYTECODE, which makes every call compile the workbench's
own modules again: that mode is measured too and printed second.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 10
INTERVIEW = "".join(
    f"Interviewer 1: Question {n} about trust and the committee?\n"
    f"Interviewee: Answer {n}. We trust our 老乡, 我们老乡之间互相信任, but not the brokers.\n"
    for n in range(40)
)


def wb(*args: str) -> list[str]:
    return [sys.executable, "-m", "workbench", *args]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one run; CPU time (user + system) holds steady on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(folder_path / "pycache")
        env["WORKBENCH_HOME"] = str(folder_path / "home")
        project = str(folder_path / "bench.qda")
        source = folder_path / "P01-interview.txt"
        source.write_text(INTERVIEW, encoding="utf-8")
        root = Path(__file__).resolve().parent.parent
        subprocess.run(wb("init", project, "--codebook", str(root / "codebooks" / "migration-governance.yaml")),
                       env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(wb("import", project, str(source)), env=env, check=True, stdout=subprocess.DEVNULL)
        verbs = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "--help": wb("--help"),
            "code": wb("code", project, source.name, "Trust", "0", "10", "--coder", "bench"),
            "code --quote": wb("code", project, source.name, "Trust", "--quote", "Answer 7.", "--coder", "bench"),
            "query": wb("query", project, "Trust"),
            "documents": wb("documents", project),
            "show": wb("show", project, source.name, "--turn", "3"),
            "search": wb("search", project, "trust"),
        }
        cached = measure(verbs, env, "with the bytecode cache (as installed)")
        # No prefix here: with one, Python would look for the standard library's cache there too.
        plain = {key: value for key, value in env.items() if key != "PYTHONPYCACHEPREFIX"}
        uncached = measure(verbs, {**plain, "PYTHONDONTWRITEBYTECODE": "1"},
                           "without a bytecode cache (PYTHONDONTWRITEBYTECODE=1)")
        print(json.dumps({"runs": RUNS, "load_average": os.getloadavg()[0], **cached,
                          "without_bytecode_cache": uncached}, ensure_ascii=False))


def measure(verbs: dict[str, list[str]], env: dict[str, str], title: str) -> dict[str, dict[str, float]]:
    print(f"-- {title}")
    figures: dict[str, dict[str, float]] = {}
    for name, command in verbs.items():
        timed(command, env)  # warm the file cache
        runs = [timed(command, env) for _ in range(RUNS)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        figures[name] = {"wall_ms": round(wall, 1), "cpu_ms": round(cpu, 1), "wall_min_ms": round(min(r[0] for r in runs), 1)}
        print(f"{name:<16} median wall {wall:7.1f} ms   CPU {cpu:7.1f} ms   min wall {min(r[0] for r in runs):7.1f} ms")
    base = figures["python -c pass"]["cpu_ms"]
    for name in ("code", "query", "documents", "show"):
        print(f"{name:<16} {figures[name]['cpu_ms'] - base:7.1f} ms CPU over the interpreter's own start")
    return figures


if __name__ == "__main__":
    main()
