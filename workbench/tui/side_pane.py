"""The width of the side pane (documents and codes), widened with `>` and narrowed with `<`.

At 80×24 the CSS gives the lists 18 columns so the transcript keeps 60, which leaves about seven
characters of a code's name. A person who needs the names more than the text widens the pane; the
transcript gives up columns down to MIN_TRANSCRIPT. The width is remembered in the person's TUI
config (never in the shared project file), and `<` past the narrowest goes back to the layout's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from . import config

if TYPE_CHECKING:
    from .app import MainScreen

STEP = 4
MIN_SIDE = 14
MAX_SIDE = 80
MIN_TRANSCRIPT = 40
CONFIG_KEY = "side_width"


def saved_width() -> int | None:
    width = config.load().get(CONFIG_KEY)
    return width if isinstance(width, int) and MIN_SIDE <= width <= MAX_SIDE else None


def apply(screen: MainScreen, width: int | None) -> None:
    """Set the side pane to `width` columns (None: the layout's default for the screen size)."""
    left = screen.query_one("#left")
    transcript = screen.query_one("#transcript")
    if width is None:
        left.styles.clear_rule("width")
        transcript.styles.clear_rule("min_width")
        return
    left.styles.width = width
    # The transcript yields the columns the person asked for, but keeps MIN_TRANSCRIPT.
    room = screen.size.width - width - (0 if screen.one_side_pane else _details_width(screen))
    transcript.styles.min_width = max(MIN_TRANSCRIPT, min(62, room))


def _details_width(screen: Screen) -> int:
    details = screen.query_one("#details")
    return details.outer_size.width if details.display else 0


def current_width(screen: Screen) -> int:
    return screen.query_one("#left").outer_size.width


def change(screen: MainScreen, delta: int) -> int | None:
    """Widen (delta > 0) or narrow the pane by `delta` columns; returns the width now (None: default)."""
    now = current_width(screen)
    limit = max(MIN_SIDE, min(MAX_SIDE, screen.size.width - MIN_TRANSCRIPT))
    wanted = now + delta
    width: int | None = max(MIN_SIDE, min(limit, wanted))
    if delta < 0 and now <= MIN_SIDE:
        width = None  # narrower than the narrowest: back to the layout's own width
    apply(screen, width)
    config.save(**{CONFIG_KEY: width})
    return width
