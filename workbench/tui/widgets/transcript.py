"""The transcript view: a Line-API `ScrollView` that draws only the rows a key press touches.

Rows are wrapped (start, end) offsets found by bisect (see `..layout`); codings sit in span
buckets; each row becomes a `Strip` behind an LRU cache keyed by everything that can change it
(row, width, spans, styles, the part of the selection on it, the cursor), so moving the cursor
repaints two rows and scrolling paints one.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..actions import bindings
from ..layout import (
    Layout,
    Span,
    SpanIndex,
    Steps,
    TurnMark,
    abbreviate,
    cells,
    clock,
    display_text,
    fit_names,
    paragraphs,
)

STRIPES = 4
PAINT_FIRST_CHARS = 20_000  # at least this much past the cursor is wrapped before the first paint
NAMES_MIN_CONTENT = 48  # narrower than this, the code names give way to the text
SUGGESTED_STYLE = Style(underline=True, italic=True)
SPEAKER_COLORS = ("#d08770", "#88c0d0", "#a3be8c", "#b48ead", "#ebcb8b", "#8fbcbb")


@dataclass(frozen=True)
class Selection:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


class TranscriptView(ScrollView, can_focus=True):
    """One document's text with speaker turns, coded spans and a margin of coding stripes."""

    COMPONENT_CLASSES = {
        "transcript--cursor", "transcript--selection", "transcript--hit", "transcript--speaker",
        "transcript--gutter", "transcript--placeholder",
    }
    DEFAULT_CSS = """
    TranscriptView {
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        background: $surface;
        color: $foreground;
        & > .transcript--cursor { background: $foreground; color: $surface; }
        & > .transcript--selection { background: $accent 55%; }
        & > .transcript--hit { background: $warning 70%; color: $text; text-style: bold; }
        & > .transcript--speaker { text-style: bold; }
        & > .transcript--gutter { color: $foreground 45%; }
        & > .transcript--placeholder { color: $foreground 50%; text-style: italic; }
        &:focus > .transcript--cursor { background: $accent; color: $text; }
    }
    """
    BINDINGS = bindings("transcript")

    marking = var(False)

    class Moved(Message):
        """The cursor or the selection moved; carries where, for the status line and details."""

        def __init__(self, view: TranscriptView) -> None:
            super().__init__()
            self.view = view
            self.cursor = view.cursor
            self.selection = view.selection

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TranscriptView.Moved)

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.document_id: int | None = None
        self.doc_title = ""
        self.text = ""
        self._display = ""
        self.turns: list[TurnMark] = []
        self.spans = SpanIndex()
        self.code_colors: dict[int, str] = {}
        self.code_names: dict[int, str] = {}
        self.layout_: Layout | None = None
        self.steps: Steps | None = None
        self.cursor = 0
        self.anchor_at: int | None = None
        self.hits: list[tuple[int, int]] = []
        self._hits_version = 0
        self.suggested: list[tuple[int, int, int]] = []  # (start, end, code id): proposals, not codings
        self._suggested_version = 0
        self._style_version = 0
        self._goal_column: int | None = None
        self._row_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._labels: list[tuple[int, int, str]] = []  # (start, end, speaker) of speaker labels
        self._label_starts: list[int] = []
        self._speaker_palette: dict[str, str] = {}
        self._times: dict[int, str] = {}  # row -> clock of the turn starting there
        self._time_width = 0
        self._speaker_styles: dict[str, Style] = {}
        self._code_styles: dict[int, Style] = {}
        self._stripe_styles: dict[int, Style] = {}
        self._words: Callable[[str], list[tuple[int, int]]] | None = None
        self._drag = False
        self.placeholder = "Open a document: press 1, pick one, Enter."
        self._legend: Text | None = None  # what the bottom border shows
        self._frame_base: Style | None = None

    # ------------------------------------------------------------------ loading
    def load(
        self, document_id: int, title: str, text: str, turns: list[TurnMark],
        spans: Iterable[Span], colors: dict[int, str], cursor: int = 0,
    ) -> None:
        """Show a document; everything about the previous one is forgotten."""
        self.document_id, self.doc_title, self.text = document_id, title, text
        self._display = display_text(text)
        self.turns = turns
        self.spans = SpanIndex(spans)
        self.code_colors = dict(colors)
        self._code_styles.clear()
        self._stripe_styles.clear()
        self._update_legend()
        self.steps = Steps(self._display, paragraphs(self._display), turns)
        if self._words is not None:
            self.steps.use_words(self._words)
        self._labels = [(t.label_start, t.start, t.speaker or "") for t in turns if t.label_start is not None]
        self._label_starts = [label[0] for label in self._labels]
        speakers = sorted({t.speaker for t in turns if t.speaker})
        self._speaker_palette = {s: SPEAKER_COLORS[i % len(SPEAKER_COLORS)] for i, s in enumerate(speakers)}
        self._speaker_styles.clear()
        times = [t.t_start_ms for t in turns if t.t_start_ms is not None]
        self._time_width = (len(clock(max(times))) + 1) if times else 0
        self.cursor = max(0, min(cursor, len(text)))
        self.anchor_at = None
        self.marking = False
        self.hits = []
        self._hits_version += 1
        self.layout_ = None
        # a long document is wrapped a few screens past the cursor, the rest once that is painted
        screen = max(1, self.scrollable_content_region.height) * max(1, self.scrollable_content_region.width)
        self._relayout(keep_top=False, until=self.cursor + max(PAINT_FIRST_CHARS, 4 * screen))
        self._row_cache.clear()
        self.scroll_to(y=0, animate=False)
        self._reveal_cursor(center=True)
        self.refresh()
        self._moved()

    def _finish_layout(self, layout: Layout) -> None:
        """Wrap the rest of a long document (rows above the part already shown do not move)."""
        if layout is not self.layout_ or layout.finished:
            return
        layout.finish()
        self._laid_out()

    def _wrap_through(self, position: int) -> None:
        """Before the cursor goes past the rows wrapped so far, wrap them all."""
        if self.layout_ is not None and position >= self.layout_.wrapped_to and not self.layout_.finished:
            self._finish_layout(self.layout_)

    def use_words(self, words: Callable[[str], list[tuple[int, int]]]) -> None:
        """Word steps by jieba from now on (it is loaded in a worker after the first paint)."""
        self._words = words
        if self.steps is not None:
            self.steps.use_words(words)

    def set_colors(self, colors: dict[int, str]) -> None:
        self.code_colors = dict(colors)
        self._code_styles.clear()
        self._stripe_styles.clear()
        self._style_version += 1
        self._update_legend()
        self.refresh()

    def set_names(self, names: dict[int, str]) -> None:
        """Code names for the margin and the legend."""
        self.code_names = dict(names)
        self._style_version += 1
        self._update_legend()
        self.refresh()

    def set_spans(self, spans: Iterable[Span]) -> None:
        self.spans = SpanIndex(spans)
        self._row_cache.clear()
        self._update_legend()
        self.refresh()

    def add_span(self, coding_id: int, code_id: int, start: int, end: int) -> None:
        span = self.spans.add(coding_id, code_id, start, end)
        self._refresh_range(self._first_row_start(span.start), end)
        self._update_legend()

    def remove_span(self, coding_id: int) -> None:
        span = self.spans.remove(coding_id)
        if span is not None:
            self._refresh_range(self._first_row_start(span.start), span.end)
            self._update_legend()

    def _first_row_start(self, position: int) -> int:
        return position if self.layout_ is None else self.layout_.row_starts[self.layout_.row_of(position)]

    def legend(self) -> list[tuple[int, int]]:
        """(code id, codings) of the codes used in this document, the most used first."""
        return sorted(self.spans.by_code.items(), key=lambda item: (-item[1], self.code_names.get(item[0], "")))

    def _update_legend(self) -> None:
        """The bottom border: each colour in this document and its code's name, as many as fit."""
        room = max(0, self.size.width - 6)
        text = Text()
        for code_id, _ in self.legend():
            name = abbreviate(self.code_names.get(code_id, str(code_id)), 14)
            if text.cell_len + cells(name) + 3 > room:
                text.append("…", style="dim")
                break
            if text:
                text.append(" ")
            text.append("■", style=self.code_colors.get(code_id, "#888888"))
            text.append(name)
        legend = text if text else None
        # setting the border repaints every row: only when it changed (a coding mostly changes none)
        if legend != self._legend or (legend is None) != (self._legend is None):
            self._legend = legend
            self.border_subtitle = legend

    def set_suggested(self, spans: list[tuple[int, int, int]]) -> None:
        """Show suggested spans (start, end, code id): a dotted stripe and underline, never a coding's colour."""
        self.suggested = sorted(spans)
        self._suggested_version += 1
        self.refresh()

    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        self.hits = sorted(hits)
        self._hits_version += 1
        self.refresh()

    # ------------------------------------------------------------------- layout
    @property
    def gutter_width(self) -> int:
        return STRIPES + 1 + self._time_width

    @property
    def names_width(self) -> int:
        """Columns on the right for the names of the codes on the cursor's line (0 when narrow)."""
        content = self.scrollable_content_region.width
        return 0 if content < NAMES_MIN_CONTENT else max(8, min(16, content // 7))

    def _text_width(self) -> int:
        names = self.names_width
        return max(8, self.scrollable_content_region.width - self.gutter_width - 1 - (names + 1 if names else 0))

    def _relayout(self, keep_top: bool = True, until: int | None = None) -> None:
        width = self._text_width()
        if self.layout_ is not None and self.layout_.width == width and self.layout_.text is self._display:
            return
        top = (self.layout_.row_starts[min(round(self.scroll_y), len(self.layout_) - 1)]
               if (keep_top and self.layout_) else 0)
        self.layout_ = Layout(self._display, width, until)
        self._laid_out()
        if keep_top:
            self.scroll_to(y=self.layout_.row_of(top), animate=False)

    def _laid_out(self) -> None:
        """What follows from the rows: turn times in the margin, the scroll height, no cached rows."""
        layout = self.layout_
        if layout is None:  # nothing laid out yet
            return
        self._times = {}
        if self._time_width:
            for turn in self.turns:
                if turn.t_start_ms is not None:
                    row = layout.row_of(turn.label_start if turn.label_start is not None else turn.start)
                    self._times.setdefault(row, clock(turn.t_start_ms))
        self.virtual_size = Size(self.scrollable_content_region.width, len(layout))
        self._row_cache.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.text or self.layout_ is None:
            self._relayout()
        self._update_legend()

    def _on_mount(self, event: events.Mount) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self._style_version += 1
        self._code_styles.clear()
        self._stripe_styles.clear()
        self._speaker_styles.clear()
        self.refresh()

    def on_focus(self) -> None:
        self._refresh_range(self.cursor, self.cursor)

    def on_blur(self) -> None:
        self._refresh_range(self.cursor, self.cursor)

    # ---------------------------------------------------------------- selection
    @property
    def selection(self) -> Selection | None:
        if self.anchor_at is None or self.anchor_at == self.cursor:
            return None
        return Selection(min(self.anchor_at, self.cursor), max(self.anchor_at, self.cursor))

    def select(self, start: int, end: int, reveal: bool = True) -> None:
        """Select [start, end) with the cursor at its end."""
        length = len(self.text)
        start, end = max(0, min(start, length)), max(0, min(end, length))
        self._wrap_through(max(start, end))
        before = self._touched()
        self.anchor_at, self.cursor = start, end
        self._goal_column = None
        self._changed(before, reveal)

    def move_to(self, position: int, extend: bool = False, keep_goal: bool = False, center: bool = False) -> None:
        """Put the cursor at a position; extend the selection, or drop it unless marking."""
        position = max(0, min(position, len(self.text)))
        self._wrap_through(position)
        before = self._touched()
        if extend or self.marking:
            if self.anchor_at is None:
                self.anchor_at = self.cursor
        else:
            self.anchor_at = None
        self.cursor = position
        if not keep_goal:
            self._goal_column = None
        self._changed(before, True, center)

    def clear_selection(self) -> bool:
        if self.anchor_at is None and not self.marking:
            return False
        before = self._touched()
        self.anchor_at = None
        self.marking = False
        self._changed(before, False)
        return True

    def _touched(self) -> tuple[int, int]:
        selection = self.selection
        low, high = self.cursor, self.cursor
        if selection:
            low, high = min(low, selection.start), max(high, selection.end)
        return low, high

    def _changed(self, before: tuple[int, int], reveal: bool, center: bool = False) -> None:
        after = self._touched()
        if reveal:
            self._reveal_cursor(center=center)
        self._refresh_range(min(before[0], after[0]), max(before[0], after[0]))
        self._refresh_range(min(before[1], after[1]), max(before[1], after[1]))
        self._moved()

    def _moved(self) -> None:
        self.post_message(self.Moved(self))

    def _refresh_range(self, start: int, end: int) -> None:
        if self.layout_ is None:
            return
        first, last = self.layout_.row_of(start), self.layout_.row_of(end)
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        first, last = max(first, top), min(last, top + height - 1)
        if last >= first:
            self.refresh_lines(first, last - first + 1)

    def reveal(self, center: bool = True) -> None:
        """Scroll so that the cursor is in view (a third from the top with `center`, if it was out)."""
        self._reveal_cursor(center=center)

    def _reveal_cursor(self, center: bool = False) -> None:
        if self.layout_ is None:
            return
        row = self.layout_.row_of(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if center and not (top <= row < top + height):
            self.scroll_to(y=max(0, row - height // 3), animate=False)
        elif row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    # ------------------------------------------------------------------ motions
    def _vertical(self, rows: int, extend: bool) -> None:
        if self.layout_ is None:
            return
        layout = self.layout_
        if self._goal_column is None:
            self._goal_column = layout.column_of(self.cursor)
        row = max(0, min(layout.row_of(self.cursor) + rows, len(layout) - 1))
        self.move_to(layout.position_at(row, self._goal_column), extend, keep_goal=True)

    def action_cursor_left(self, extend: bool = False) -> None:
        self.move_to(self.cursor - 1, extend)

    def action_cursor_right(self, extend: bool = False) -> None:
        self.move_to(self.cursor + 1, extend)

    def action_cursor_up(self, extend: bool = False) -> None:
        self._vertical(-1, extend)

    def action_cursor_down(self, extend: bool = False) -> None:
        self._vertical(1, extend)

    def action_page_up(self, extend: bool = False) -> None:
        self._vertical(-max(1, self.scrollable_content_region.height - 1), extend)

    def action_page_down(self, extend: bool = False) -> None:
        self._vertical(max(1, self.scrollable_content_region.height - 1), extend)

    def action_row_start(self, extend: bool = False) -> None:
        if self.layout_:
            self.move_to(self.layout_.row_starts[self.layout_.row_of(self.cursor)], extend)

    def action_row_end(self, extend: bool = False) -> None:
        if self.layout_:
            self.move_to(self.layout_.row_ends[self.layout_.row_of(self.cursor)], extend)

    def action_document_start(self, extend: bool = False) -> None:
        self.move_to(0, extend)

    def action_document_end(self, extend: bool = False) -> None:
        self.move_to(len(self.text), extend)

    def action_word_right(self, extend: bool = False) -> None:
        if self.steps:
            self.move_to(self.steps.word_right(self.cursor), extend)

    def action_word_left(self, extend: bool = False) -> None:
        if self.steps:
            self.move_to(self.steps.word_left(self.cursor), extend)

    def action_sentence_next(self, extend: bool = False) -> None:
        if self.steps and (found := self.steps.next_sentence(self.cursor)) is not None:
            self.move_to(found, extend)

    def action_sentence_previous(self, extend: bool = False) -> None:
        if self.steps and (found := self.steps.previous_sentence(self.cursor)) is not None:
            self.move_to(found, extend)

    def action_turn_next(self, extend: bool = False) -> None:
        if self.steps and (found := self.steps.next_turn(self.cursor)) is not None:
            self.move_to(found, extend)

    def action_turn_previous(self, extend: bool = False) -> None:
        if self.steps and (found := self.steps.previous_turn(self.cursor)) is not None:
            self.move_to(found, extend)

    def action_select_word(self) -> None:
        if self.steps:
            start, end = self.steps.word_at(self.cursor)
            if end > start:
                self.select(start, end)

    def action_select_sentence(self) -> None:
        """Select the sentence at the cursor; again, and the selection grows by a sentence."""
        if not self.steps:
            return
        steps, selection = self.steps, self.selection
        if selection and steps.is_sentence_start(selection.start) and steps.is_sentence_end(selection.end):
            following = steps.sentence_after(selection.end)
            if following is not None:
                self.select(selection.start, following[1])
            return
        found = steps.sentence_at(selection.start if selection else self.cursor)
        if found:
            self.select(*found)

    def action_select_turn(self) -> None:
        """Select the speaker's turn at the cursor; again, and the next turn joins it."""
        if not self.steps:
            return
        steps, selection = self.steps, self.selection
        if selection and steps.is_turn_start(selection.start) and steps.is_turn_end(selection.end):
            following = steps.next_turn(selection.end)
            turn = steps.turn_at(following) if following is not None else None
            if turn is not None:
                self.select(selection.start, turn.end)
            return
        turn = steps.turn_at(selection.start if selection else self.cursor)
        if turn is not None:
            self.select(turn.start, turn.end)

    def action_toggle_mark(self) -> None:
        """Start (or stop) extending the selection with every motion, for keyboards without shift."""
        if self.marking:
            self.marking = False
        else:
            self.marking = True
            if self.anchor_at is None:
                self.anchor_at = self.cursor
        self._moved()

    def action_clear(self) -> None:
        if not self.clear_selection() and self.hits:
            self.set_hits([])

    # -------------------------------------------------------------------- mouse
    def _offset_at(self, event: events.MouseEvent) -> int | None:
        if self.layout_ is None:
            return None
        offset = event.get_content_offset_capture(self)
        row = round(self.scroll_y) + offset.y
        if row >= len(self.layout_):
            return len(self.text)
        return self.layout_.position_at(max(0, row), max(0, offset.x - self.gutter_width))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        position = self._offset_at(event)
        if position is None:
            return
        self.focus()
        self.move_to(position, extend=event.shift)
        self.anchor_at = self.anchor_at if event.shift else position
        self._drag = True
        self.capture_mouse()

    def on_click(self, event: events.Click) -> None:
        """A double click selects a word (a jieba word in Chinese), a triple click a sentence."""
        position = self._offset_at(event)
        if position is None or self.steps is None or event.chain < 2:
            return
        if event.chain == 2:
            start, end = self.steps.word_at(position)
            if end > start:
                self.select(start, end)
        else:
            found = self.steps.sentence_at(position)
            if found:
                self.select(*found)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag and event.button:
            position = self._offset_at(event)
            if position is not None and position != self.cursor:
                self.move_to(position, extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag:
            self._drag = False
            self.release_mouse()
            if self.anchor_at == self.cursor and not self.marking:
                self.anchor_at = None
            self._moved()

    # ---------------------------------------------------------------- rendering
    def _code_style(self, code_id: int) -> Style:
        style = self._code_styles.get(code_id)
        if style is None:
            background = self.background_colors[1]
            color = Color.parse(self.code_colors.get(code_id, "#888888"))
            blended = background.blend(color, 0.55 if background.brightness < 0.5 else 0.45)
            style = self._code_styles[code_id] = Style(bgcolor=blended.rich_color,
                                                       color=blended.get_contrast_text(1.0).rich_color)
        return style

    def _stripe_style(self, code_id: int) -> Style:
        style = self._stripe_styles.get(code_id)
        if style is None:
            colour = Color.parse(self.code_colors.get(code_id, "#888888"))
            style = self._stripe_styles[code_id] = Style(color=colour.rich_color)
        return style

    def _speaker_style(self, speaker: str) -> Style:
        style = self._speaker_styles.get(speaker)
        if style is None:
            base = self.get_component_rich_style("transcript--speaker", partial=True)
            color = Color.parse(self._speaker_palette.get(speaker, "#d08770"))
            if self.background_colors[1].brightness > 0.5:  # light theme: darker names
                color = color.darken(0.3)
            style = self._speaker_styles[speaker] = base + Style(color=color.rich_color)
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_base = None  # the base style: walked up from every ancestor once per paint, not per row
        lines = super().render_lines(crop)
        if self.layout_ is not None and not self.layout_.finished:
            self.call_later(self._finish_layout, self.layout_)  # the first screen is painted: wrap the rest
        return lines

    def _base_style(self) -> Style:
        if self._frame_base is None:
            self._frame_base = self.rich_style
        return self._frame_base

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if self.layout_ is None or not self.text:
            base = self._base_style()
            if y == 1:
                style = self.get_component_rich_style("transcript--placeholder")
                return Strip([Segment("  " + self.placeholder, style)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        row = round(self.scroll_y) + y
        if row >= len(self.layout_):
            return Strip.blank(width, self._base_style())
        start, end = self.layout_.row(row)
        selection = self.selection
        on_row = None
        if selection and selection.start <= end and selection.end > start:
            on_row = (max(selection.start, start), min(selection.end, end + 1))
        cursor = self.cursor if start <= self.cursor <= end and self.layout_.row_of(self.cursor) == row else None
        # the versions of this row's span buckets, not of all spans: a new coding repaints its rows only
        key = (row, width, self.layout_.width, self.spans.versions(start, end + 1), id(self.spans), self._style_version,
               on_row, cursor, self._hits_version, self.has_focus, self._suggested_version)
        strip = self._row_cache.get(key)
        if strip is None:
            # adjacent pieces of one style joined: every later pass over the row (styles, filters,
            # the compositor's cuts) works per piece; a page of new rows costs about a tenth less
            strip = self._render_row(row, start, end, on_row, cursor, width, self._base_style()).simplify()
            self._row_cache[key] = strip
        return strip

    def _render_row(self, row: int, start: int, end: int, on_row, cursor: int | None, width: int, base: Style) -> Strip:
        spans = self.spans.overlapping(start, end + 1)
        segments: list[Segment] = []
        # the margin: one column per lane, the code's colour
        gutter = self.get_component_rich_style("transcript--gutter")
        lanes: dict[int, int] = {}
        overflow = False
        for span in spans:
            if span.start <= end and span.end > start:
                if span.lane < STRIPES:
                    lanes.setdefault(span.lane, span.code_id)
                else:
                    overflow = True
        for lane in range(STRIPES):
            if overflow and lane == STRIPES - 1:
                segments.append(Segment("+", gutter))
            elif lane in lanes:
                segments.append(Segment("┃", base + self._stripe_style(lanes[lane])))
            else:
                segments.append(Segment(" ", base))
        suggested = [(s, e, c) for s, e, c in self.suggested if s <= end and e > start] if self.suggested else []
        if suggested:  # a dotted stripe beside the coding stripes: proposed, not yet decided
            segments.append(Segment("┆", base + self._stripe_style(suggested[0][2])))
        else:
            segments.append(Segment(" ", base))
        if self._time_width:
            stamp = self._times.get(row, "")
            segments.append(Segment(stamp.rjust(self._time_width - 1) + " ", base + gutter))
        # the text, cut where any style changes
        text = self._display
        cuts = {start, end}
        for span in spans:
            cuts.add(max(start, min(span.start, end)))
            cuts.add(max(start, min(span.end, end)))
        labels = [(s, e, who) for s, e, who in self._label_range(start, end)]
        for s, e, _ in labels:
            cuts.update((max(s, start), min(e, end)))
        hits = self._hits_in(start, end)
        for s, e in hits:
            cuts.update((max(s, start), min(e, end)))
        for s, e, _ in suggested:
            cuts.update((max(s, start), min(e, end)))
        if on_row:
            cuts.update((min(on_row[0], end), min(on_row[1], end)))
        if cursor is not None and cursor < end:
            cuts.update((cursor, cursor + 1))
        points = sorted(p for p in cuts if start <= p <= end)
        selection_style = self.get_component_rich_style("transcript--selection", partial=True)
        cursor_style = self.get_component_rich_style("transcript--cursor", partial=True)
        hit_style = self.get_component_rich_style("transcript--hit", partial=True)
        used = self.gutter_width
        for a, b in pairwise(points):
            if b <= a:
                continue
            style = base
            for s, e, who in labels:
                if s <= a < e:
                    style = style + self._speaker_style(who)
                    break
            innermost = None
            for span in spans:
                if span.start <= a < span.end and (
                        innermost is None or span.end - span.start < innermost.end - innermost.start):
                    innermost = span
            if innermost is not None:
                style = style + self._code_style(innermost.code_id)
            if any(s <= a < e for s, e in hits):
                style = style + hit_style
            if any(s <= a < e for s, e, _ in suggested):
                style = style + SUGGESTED_STYLE
            if on_row and on_row[0] <= a < on_row[1]:
                style = style + selection_style
            if cursor is not None and a == cursor:
                style = style + cursor_style
            piece = text[a:b]
            segments.append(Segment(piece, style))
            used += cells(piece)
        # the end of the line: the cursor may sit there, the selection may run on
        if cursor == end or (on_row and on_row[1] > end):
            style = base
            if on_row and on_row[1] > end:
                style = style + selection_style
            if cursor == end:
                style = style + cursor_style
            segments.append(Segment(" ", style))
            used += 1
        names = self.names_width
        if not names:
            return Strip(segments, used).crop_extend(0, width, base)
        text_strip = Strip(segments, used).crop_extend(0, width - names, base)
        return Strip.join([text_strip, self._names_strip(spans, start, end, cursor is not None, names, base)])

    def _names_strip(self, spans: list[Span], start: int, end: int, on_cursor: bool, width: int, base: Style) -> Strip:
        """The margin's code names: every coding on the cursor's line, else those starting here."""
        chosen: dict[int, None] = {}
        for span in sorted(spans, key=lambda s: s.lane):
            if span.start <= end and span.end > start and (on_cursor or start <= span.start < end or
                                                           (span.start == end and end == start)):
                chosen.setdefault(span.code_id)
        if not chosen:
            return Strip.blank(width, base)
        code_ids = list(chosen)
        fitted, hidden = fit_names([self.code_names.get(c, str(c)) for c in code_ids], width - 1)
        segments = [Segment(" ", base)]
        emphasis = Style(bold=True) if on_cursor else Style(dim=True)
        for index, name in enumerate(fitted):
            if index:
                segments.append(Segment(" ", base))
            segments.append(Segment(name, base + self._stripe_style(code_ids[index]) + emphasis))
        if hidden:
            segments.append(Segment(f" +{hidden}", base + self.get_component_rich_style("transcript--gutter")))
        return Strip(segments).crop_extend(0, width, base)

    def _label_range(self, start: int, end: int):
        index = max(0, bisect.bisect_right(self._label_starts, start) - 1)
        labels = self._labels
        for i in range(index, len(labels)):  # not labels[index:]: that copies the rest of the list per row
            s, e, who = labels[i]
            if s >= end:
                break
            if e > start:
                yield s, e, who

    def _hits_in(self, start: int, end: int) -> list[tuple[int, int]]:
        if not self.hits:
            return []
        index = max(0, bisect.bisect_left(self.hits, (start, -1)) - 1)
        found = []
        hits = self.hits
        for i in range(index, len(hits)):
            s, e = hits[i]
            if s >= end:
                break
            if e > start:
                found.append((s, e))
        return found

    # ------------------------------------------------------------------ queries
    def turn_at_cursor(self) -> TurnMark | None:
        return self.steps.turn_at(self.cursor) if self.steps else None

    def spans_here(self) -> list[Span]:
        """Spans under the selection, or under the cursor when nothing is selected."""
        selection = self.selection
        if selection:
            return self.spans.overlapping(selection.start, selection.end)
        return self.spans.at(self.cursor) or (self.spans.at(self.cursor - 1) if self.cursor else [])
