"""A served session in Debian's headless Chromium: sign in by link, the first screen is drawn,
a key press codes a passage, and the coding is in the file as the signed-in account.

Chromium is driven over the DevTools protocol (a websocket, spoken with aiohttp), so the test
needs nothing beyond the `chromium` package (.ci/run installs it; skipped where it is missing).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path

import aiohttp
import pytest

from workbench.serve.probe import codings_by, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)")


class Browser:
    """One headless Chromium tab, driven over the DevTools protocol."""

    def __init__(self, profile: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             f"--user-data-dir={profile}", f"--remote-debugging-port={self.port}", "--window-size=1400,900",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ids = itertools.count(1)

    async def connect(self) -> None:
        self.http = aiohttp.ClientSession()
        deadline = time.monotonic() + 60
        while True:
            try:
                async with self.http.get(f"http://127.0.0.1:{self.port}/json/list") as response:
                    pages = [p for p in await response.json() if p["type"] == "page"]
                if pages:
                    break
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not open its DevTools port")
            await asyncio.sleep(0.2)
        self.socket = await self.http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)

    async def call(self, method: str, **params) -> dict:
        ident = next(self.ids)
        await self.socket.send_json({"id": ident, "method": method, "params": params})
        async for message in self.socket:
            data = json.loads(message.data)
            if data.get("id") == ident:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
        raise RuntimeError("chromium went away")

    async def evaluate(self, expression: str):
        return (await self.call("Runtime.evaluate", expression=expression, returnByValue=True))["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 60.0) -> float:
        start = time.monotonic()
        while not await self.evaluate(expression):
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"never true in the page: {expression}")
            await asyncio.sleep(0.05)
        return time.monotonic() - start

    async def press(self, key: str) -> None:
        code = f"Key{key.upper()}" if key.isalpha() else ""
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=key, text=key, code=code,
                        windowsVirtualKeyCode=ord(key.upper()))
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=ord(key.upper()))

    async def screenshot(self, path: Path) -> Path:
        data = (await self.call("Page.captureScreenshot", format="png"))["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    async def close(self) -> None:
        if hasattr(self, "socket"):
            await self.socket.close()
        if hasattr(self, "http"):
            await self.http.close()
        self.process.terminate()
        self.process.wait(timeout=20)


async def sign_in_and_code(browser: Browser, link: str, project: Path, account: str, shots: Path) -> dict:
    try:
        await browser.connect()
        return await _sign_in_and_code(browser, link, project, account, shots)
    finally:
        await browser.close()


async def _sign_in_and_code(browser: Browser, link: str, project: Path, account: str, shots: Path) -> dict:
    await browser.call("Page.navigate", url=link)
    first = await browser.wait_for("document.body && document.body.classList.contains('-first-byte')")
    # xterm.js draws on a canvas: the screen is drawn once its screenshot holds a screenful of text
    drawn = shots / "served-first-screen.png"
    deadline = time.monotonic() + 60
    while (await browser.screenshot(drawn)).stat().st_size < 40_000:
        assert time.monotonic() < deadline, "the workbench's first screen was never drawn"
        await asyncio.sleep(0.1)
    await browser.call("Input.dispatchMouseEvent", type="mousePressed", x=700, y=450, button="left", clickCount=1)
    await browser.call("Input.dispatchMouseEvent", type="mouseReleased", x=700, y=450, button="left", clickCount=1)
    deadline = time.monotonic() + 60
    while codings_by(project, account) == 0:  # keys before the document has loaded do nothing: again
        assert time.monotonic() < deadline, "no coding stored from the browser's key presses"
        await browser.press("s")  # select the sentence at the cursor
        await browser.press("i")  # code it in vivo
        for _ in range(40):
            if codings_by(project, account):
                break
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    coded = await browser.screenshot(shots / "served-coded.png")
    return {"first_byte_s": first, "first": drawn, "coded": coded}


def test_chromium_signs_in_by_link_sees_the_workbench_and_codes_as_the_account(served, tmp_path):
    browser = Browser(tmp_path / "chromium-profile")
    link = f"{served.base}/signin?key={served.keys['ana']}"
    try:
        result = asyncio.run(asyncio.wait_for(sign_in_and_code(browser, link, served.project, "ana", tmp_path), 240))
    finally:
        if browser.process.poll() is None:
            browser.process.kill()
    assert result["first"].stat().st_size >= 40_000  # a drawn screen, not a blank page
    assert codings_by(served.project, "ana") >= 1
    assert codings_by(served.project, "tester") == 0  # not the server's user: the account
    print(f"screenshots: {result['first']} {result['coded']}")
