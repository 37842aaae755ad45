"""Helpers for the TUI tests (a module of its own: `conftest` is a name every folder uses)."""

from __future__ import annotations


async def settle(pilot, jieba: bool = False) -> None:
    """Let workers finish and their messages land (and jieba load, when asked).

    A DirectoryTree keeps a loader worker waiting for folders to read; it is not waited for.
    """
    from textual.widgets import DirectoryTree

    app = pilot.app
    for _ in range(1000):
        busy = [w for w in app.workers if not w.is_finished and not isinstance(w.node, DirectoryTree)]
        if not busy and (not jieba or getattr(app, "jieba_ready", True)):
            break
        await pilot.pause(0.01)
    await pilot.pause()
