"""The lab server under a team: `workbench serve` on loopback with N accounts coding at once.

Figures: seconds from sign-in to the first drawn screen (a screenful of terminal output sent to
the browser); memory per served session (resident size of each app process); N sessions coding
at once for S seconds — codings per second in all, and the p50/p95 latency from the first key of
a coding to the coding stored in the project file (seen by a separate reader, as another
session would); nothing lost (every coding a session saw stored is in the file at the end, after
Ctrl+C). Each session codes sentence after sentence: `)` steps to the next sentence, `s` selects it,
`a` applies the code it used last (its first coding is in vivo, `i`); at a document's end it
opens the next document.

    python benchmarks/serve_bench.py [--sessions 10] [--seconds 60]

Readable lines, then one JSON object of all figures as the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbench.demo import build_demo
from workbench.serve.accounts import AccountBook
from workbench.serve.probe import Probe, code_until_stored, codings_by, free_port


DOWN, ENTER = "\x1b[B", "\r"


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def app_processes(server_pid: int) -> list[int]:
    """The served app processes: children of the server running workbench.serve.client."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().split(b"\0")
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if parent == server_pid and b"workbench.serve.client" in command:
            found.append(int(entry))
    return found


async def session_loop(probe: Probe, project: Path, name: str, stop_at: float, latencies: list[float]) -> int:
    """Code word after word until `stop_at`; the number of codings this session saw stored."""
    latencies.append(await code_until_stored(probe, project, name, ("s", "i")))
    made = 1
    while time.monotonic() < stop_at:
        try:
            latencies.append(await code_until_stored(probe, project, name, (")", "s", "a"), timeout=10,
                                                     again_after=10))
            made += 1
        except TimeoutError:  # the document's end: on to the next document
            await probe.keys("1", DOWN, ENTER)
            await asyncio.sleep(1.0)  # let it load
    return made


async def run(base: str, project: Path, keys: dict[str, str], server_pid: int, seconds: float) -> dict:
    probes = {name: Probe(base) for name in keys}
    # sign-in to first screen, one session alone first (the others would share the two cores)
    first_name = next(iter(keys))
    started = time.monotonic()
    await probes[first_name].sign_in(keys[first_name])
    await probes[first_name].open()
    await probes[first_name].wait_for_screen()
    first_screen = time.monotonic() - started
    for name in list(keys)[1:]:
        await probes[name].sign_in(keys[name])
        await probes[name].open()
    await asyncio.gather(*(probe.wait_for_screen(timeout=120) for probe in probes.values()))
    memory = [rss_mb(pid) for pid in app_processes(server_pid)]
    latencies: list[float] = []
    before = sum(codings_by(project, name) for name in keys)
    begin = time.monotonic()
    made = await asyncio.gather(*(session_loop(probes[name], project, name, begin + seconds, latencies)
                                  for name in keys))
    elapsed = time.monotonic() - begin
    during = sum(codings_by(project, name) for name in keys) - before
    for probe in probes.values():
        await probe.close()
    return {"first_screen_s": first_screen, "memory": memory, "latencies": latencies,
            "made": dict(zip(keys, made)), "elapsed": elapsed,
            "during": during}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        environment = {**os.environ, "HOME": str(root), "WORKBENCH_HOME": str(root / "home"),
                       "XDG_CONFIG_HOME": str(root / "config")}
        os.environ.update(environment)
        project = build_demo(root)
        book = AccountBook(project)
        keys = {f"coder{n:02d}": book.add(f"coder{n:02d}").key for n in range(1, args.sessions + 1)}
        port = free_port()
        log = root / "serve.out"
        server = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(project), "--port", str(port),
                                   "--max-sessions", str(args.sessions + 2), "--max-per-account", "2"],
                                  stdout=log.open("w"), stderr=subprocess.STDOUT, env=environment)
        try:
            for _ in range(600):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.1)
            result = asyncio.run(run(f"http://127.0.0.1:{port}", project, keys, server.pid, args.seconds))
        finally:
            server.send_signal(signal.SIGINT)
            code = server.wait(timeout=60)
        stored = {name: codings_by(project, name) for name in keys}
    latencies = sorted(result["latencies"])
    lost = sum(max(0, result["made"][n] - stored[n]) for n in keys)
    figures = {
        "sessions": args.sessions, "seconds": round(result["elapsed"], 1),
        "signin_to_first_screen_s": round(result["first_screen_s"], 3),
        "memory_per_session_mb": round(statistics.mean(result["memory"]), 1) if result["memory"] else None,
        "codings": result["during"], "codings_per_s": round(result["during"] / result["elapsed"], 2),
        "key_to_stored_p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
        "key_to_stored_p95_ms": round(1000 * latencies[min(len(latencies) - 1, math.ceil(0.95 * len(latencies)) - 1)], 1),
        "lost": lost, "load_average_1min": os.getloadavg()[0], "cores": os.cpu_count(), "stored_in_file": sum(stored.values()), "server_exit": code,
    }
    print(f"sign-in → first drawn screen: {figures['signin_to_first_screen_s']} s")
    print(f"memory per served session: {figures['memory_per_session_mb']} MB (resident, app process)")
    print(f"{args.sessions} sessions coding for {figures['seconds']} s: {result['during']} codings stored, "
          f"{figures['codings_per_s']}/s; key → stored p50 {figures['key_to_stored_p50_ms']} ms, "
          f"p95 {figures['key_to_stored_p95_ms']} ms")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"lost: {lost} (in the file: {figures['stored_in_file']}); server stopped with exit {code}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
