"""Helpers for the TUI tests (a module of its own: `conftest` is a name every folder uses)."""

from __future__ import annotations

import time

# How long a condition may take on a loaded machine (two cores shared by many processes): a
# generous deadline, never a fixed pause; a test waits only as long as the condition needs.
DEADLINE_S = 120.0


async def wait_until(pilot, condition, what: str = "the condition", timeout: float = DEADLINE_S) -> None:
    """Let the app run until `condition()` holds; fail with `what` if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await pilot.pause(0.01)


async def settle(pilot, jieba: bool = False) -> None:
    """Let workers finish and their messages land (and jieba load, when asked).

    A DirectoryTree keeps a loader worker waiting for folders to read; it is not waited for.
    """
    from textual.widgets import DirectoryTree

    app = pilot.app

    def idle() -> bool:
        busy = [w for w in app.workers if not w.is_finished and not isinstance(w.node, DirectoryTree)]
        return not busy and (not jieba or getattr(getattr(app, "main", app), "jieba_ready", True))

    await wait_until(pilot, idle, "workers to finish" + (" and jieba to load" if jieba else ""))
    await pilot.pause()


async def screen_stable(pilot, repeats: int = 3) -> None:
    """Wait until the screen draws the same thing `repeats` times in a row (timers and workers done)."""
    app = pilot.app
    last, same = None, 0

    def steady() -> bool:
        nonlocal last, same
        shot = app.export_screenshot()
        same = same + 1 if shot == last else 0
        last = shot
        return same >= repeats

    await wait_until(pilot, steady, "the screen to stop changing")
