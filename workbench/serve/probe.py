"""A scripted browser for tests and benchmarks: sign in with a link, open a session, type keys.

It speaks the same websocket protocol as textual-serve's page (JSON envelopes in, terminal
bytes out), so a test drives a real served app process without a browser.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from .sessions import COOKIE


@dataclass
class Probe:
    base: str  # http://127.0.0.1:PORT
    http: aiohttp.ClientSession = field(default_factory=lambda: aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True)))
    websocket: aiohttp.ClientWebSocketResponse | None = None
    received: int = 0  # bytes of screen output so far
    _reader: asyncio.Task | None = None

    async def sign_in(self, key: str) -> int:
        async with self.http.get(f"{self.base}/signin", params={"key": key}) as response:
            return response.status

    @property
    def session_cookie(self) -> str | None:
        cookie = self.http.cookie_jar.filter_cookies(self.base).get(COOKIE)  # type: ignore[arg-type]
        return cookie.value if cookie else None

    async def open(self, width: int = 140, height: int = 40, origin: str | None = None) -> None:
        self.websocket = await self.http.ws_connect(
            f"{self.base.replace('http', 'ws', 1)}/ws?width={width}&height={height}",
            headers={"Origin": origin or self.base})
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.websocket is not None
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += len(message.data)

    async def wait_for_screen(self, timeout: float = 60.0) -> float:
        """Seconds until the app's first screen arrived (at least a screenful of output)."""
        start = time.monotonic()
        while self.received < 2000:
            if time.monotonic() - start > timeout:
                raise TimeoutError("no screen from the served app")
            await asyncio.sleep(0.01)
        return time.monotonic() - start

    async def keys(self, *keys: str) -> None:
        assert self.websocket is not None
        for key in keys:
            await self.websocket.send_json(["stdin", key])

    async def close(self) -> None:
        if self.websocket is not None:
            await self.websocket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        await self.http.close()


_readers: dict[Path, sqlite3.Connection] = {}


def codings_by(project: Path, coder: str) -> int:
    """How many codings `coder` has in the project file (read without the store, as a script would;
    one read-only connection per file, kept: polling must not cost the sessions it measures)."""
    connection = _readers.get(project)
    if connection is None:
        connection = _readers[project] = sqlite3.connect(f"file:{project}?mode=ro", uri=True,
                                                         check_same_thread=False)
    return connection.execute(
        "SELECT count(*) FROM codings JOIN coders ON coders.id = codings.coder_id WHERE coders.name = ?",
        (coder,)).fetchone()[0]


async def code_until_stored(probe: Probe, project: Path, coder: str, keys: tuple[str, ...],
                            timeout: float = 60.0, again_after: float = 2.0) -> float:
    """Type `keys` (again every `again_after` seconds, while the app is still loading) until one
    more coding by `coder` is stored; the seconds from the last try's first key to the stored coding."""
    before = codings_by(project, coder)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = time.monotonic()
        await probe.keys(*keys)
        while time.monotonic() - sent < again_after and time.monotonic() < deadline:
            if codings_by(project, coder) > before:
                return time.monotonic() - sent
            await asyncio.sleep(0.01)
    raise TimeoutError(f"{coder}: no coding stored after {timeout:.0f} s")


def free_port() -> int:
    """A loopback port nobody listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
