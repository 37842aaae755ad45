"""A real `workbench serve` on loopback, in a process of its own, with two accounts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench.serve.accounts import AccountBook
from workbench.serve.probe import free_port


@dataclass
class Served:
    project: Path
    base: str
    keys: dict[str, str]
    process: subprocess.Popen
    log: Path

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_server(project: Path, tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = tmp_path / "serve.out"
    environment = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    process = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(project), "--port", str(port), *args],
                               stdout=log.open("w"), stderr=subprocess.STDOUT, env=environment)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve stopped: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"http://127.0.0.1:{port}", log
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("serve did not start listening within 60 s")


@pytest.fixture
def served(demo_copy, tmp_path):
    book = AccountBook(demo_copy)
    keys = {"ana": book.add("ana", "coder").key, "bo": book.add("bo", "coder").key,
            "vi": book.add("vi", "viewer").key}
    process, base, log = start_server(demo_copy, tmp_path)
    server = Served(demo_copy, base, keys, process, log)
    yield server
    server.stop()
