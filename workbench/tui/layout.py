"""Text layout for the transcript view: wrapped rows, span buckets, lanes and cursor steps.

Plain Python (rich.cells for character widths, no widgets), so that it can be tested and timed
on its own. All positions are character offsets into the document text, as in the store.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import NamedTuple

from rich.cells import get_character_cell_size

from ..text.segment import sentence_spans

# Characters a row should not start with (closing punctuation stays with the word before it).
NO_BREAK_BEFORE = frozenset("，。、；：？！）」』”’》〉】…,.;:?!)]}%·")
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FALLBACK_WORD = re.compile(rf"[{HAN}]|[^\W{HAN}]+(?:['’\-][^\W{HAN}]+)*")

_WIDTHS: dict[str, int] = {}


def char_width(character: str) -> int:
    width = _WIDTHS.get(character)
    if width is None:
        width = _WIDTHS[character] = get_character_cell_size(character)
    return width


CONTROL_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f]")


def display_text(text: str) -> str:
    """The text as shown: tabs and other control characters become spaces (same length)."""
    # a regex, not str.translate: that looks up every non-ASCII character (100 ms for 2 M characters)
    return CONTROL_CHARACTER.sub(" ", text)


def cells(text: str) -> int:
    """Cell width of a piece of display text (ASCII fast, wide CJK characters count two)."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def paragraphs(text: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the lines of a text, newlines excluded."""
    starts, ends = [0], []
    find = text.find
    position = find("\n")
    while position >= 0:
        ends.append(position)
        starts.append(position + 1)
        position = find("\n", position + 1)
    ends.append(len(text))
    return starts, ends


def _wrap_ascii(text: str, start: int, end: int, width: int, starts: list[int], ends: list[int]) -> None:
    position = start
    rfind = text.rfind
    while end - position > width:
        limit = position + width
        space = rfind(" ", position, limit + 1)  # a space may hang in the spare column
        cut = space + 1 if space > position else limit
        starts.append(position)
        ends.append(cut)
        position = cut
    starts.append(position)
    ends.append(end)


def _wrap_general(text: str, start: int, end: int, width: int, starts: list[int], ends: list[int]) -> None:
    """Greedy wrapping by cell width: a row breaks at the last break opportunity before the first
    character that does not fit (a space never overflows: it hangs), or at that character when
    there is none. Cumulative widths are summed in C (`accumulate` over `map`), and each row is
    then found by bisect and a short scan back, instead of a Python step per character (2 M
    characters: ~4x faster, issue 24)."""
    segment = text[start:end]
    widths = _WIDTHS
    for character in set(segment).difference(widths):
        char_width(character)
    before = list(accumulate(map(widths.__getitem__, segment), initial=0))  # cells before offset i
    length = end - start
    row = 0
    while True:
        # the first character past the row's width; trailing spaces hang in the margin
        over = bisect.bisect_right(before, before[row] + width, row + 1) - 1
        while over < length and segment[over] == " ":
            over += 1
        if over >= length:
            break
        cut = over
        for index in range(over, row, -1):
            character = segment[index]
            if character not in NO_BREAK_BEFORE and (
                segment[index - 1] == " " or before[index] - before[index - 1] == 2
                or before[index + 1] - before[index] == 2
            ):
                cut = index
                break
        starts.append(start + row)
        ends.append(start + cut)
        row = cut
    starts.append(start + row)
    ends.append(end)


class Layout:
    """A text wrapped to a width: each row a (start, end) pair of offsets, found by bisect."""

    def __init__(self, text: str, width: int, until: int | None = None):
        """Wrap the whole text, or with `until` only the lines up to that offset: the lines after it
        are one row each until `finish()` wraps them (rows before `until` never change, so a view
        can paint its first screen of a long document before wrapping the rest)."""
        self.text = text
        self.width = max(4, width)
        self.par_starts, self.par_ends = paragraphs(text)
        self.row_starts: list[int] = []
        self.row_ends: list[int] = []
        self._wrapped = 0  # lines wrapped so far
        self._wrap_lines(len(self.par_starts) if until is None else bisect.bisect_right(self.par_starts, until))
        self._exact_rows = len(self.row_starts)
        self.row_starts += self.par_starts[self._wrapped:]
        self.row_ends += self.par_ends[self._wrapped:]

    @property
    def finished(self) -> bool:
        return self._wrapped == len(self.par_starts)

    @property
    def wrapped_to(self) -> int:
        """The offset up to which rows are final (the text's length when finished)."""
        return len(self.text) if self.finished else self.par_starts[self._wrapped]

    def finish(self) -> None:
        """Wrap the lines left unwrapped by `until`."""
        if self.finished:
            return
        del self.row_starts[self._exact_rows:], self.row_ends[self._exact_rows:]
        self._wrap_lines(len(self.par_starts))
        self._exact_rows = len(self.row_starts)

    def _wrap_lines(self, stop: int) -> None:
        text, width, starts, ends = self.text, self.width, self.row_starts, self.row_ends
        for start, end in zip(self.par_starts[self._wrapped:stop], self.par_ends[self._wrapped:stop], strict=True):
            if end - start <= width // 2:  # fits even if every character is wide
                starts.append(start)
                ends.append(end)
            elif text[start:end].isascii():
                _wrap_ascii(text, start, end, width, starts, ends)
            else:
                _wrap_general(text, start, end, width, starts, ends)
        self._wrapped = max(self._wrapped, stop)

    def __len__(self) -> int:
        return len(self.row_starts)

    def row_of(self, position: int) -> int:
        return max(0, min(bisect.bisect_right(self.row_starts, position) - 1, len(self.row_starts) - 1))

    def row(self, index: int) -> tuple[int, int]:
        return self.row_starts[index], self.row_ends[index]

    def paragraph_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.par_starts, position) - 1)

    def column_of(self, position: int) -> int:
        start = self.row_starts[self.row_of(position)]
        return cells(self.text[start:position])

    def position_at(self, row: int, column: int) -> int:
        """The offset shown at a cell of a row (the end of the row when past its text)."""
        row = max(0, min(row, len(self.row_starts) - 1))
        start, end = self.row_starts[row], self.row_ends[row]
        segment = self.text[start:end]
        if segment.isascii():
            return start + max(0, min(column, end - start))
        used = 0
        for offset, character in enumerate(segment):
            w = char_width(character)
            if used + w > column:
                return start + offset
            used += w
        return end


# ------------------------------------------------------------------------ spans
class Span(NamedTuple):
    """A coding as the view draws it: its lane is the margin column of its stripe.

    A tuple, not a frozen dataclass: a long document makes 20,000 of them before its first
    paint, and a tuple is made in a third of the time (issue 24)."""

    coding_id: int
    code_id: int
    start: int
    end: int
    lane: int = 0


class SpanIndex:
    """Codings in buckets of a few hundred characters, so a row finds its spans at once."""

    BUCKET = 256

    def __init__(self, spans: Iterable[Span] = ()):
        self.spans: dict[int, Span] = {}
        self.buckets: dict[int, list[int]] = {}
        self.by_code: dict[int, int] = {}  # code id -> spans: the legend asks on every change
        self.version = 0
        self.bucket_versions: dict[int, int] = {}  # bumped by each change to a bucket's spans
        # _insert's work for thousands at once, with its lookups bound to locals; a new index is a
        # new object, so its buckets start at version 0 (what `versions` reads for a missing one)
        by_id, by_code, buckets, size = self.spans, self.by_code, self.buckets, self.BUCKET
        for span in assign_lanes(list(spans)):
            coding_id, code_id, start, end, _ = span
            by_id[coding_id] = span
            by_code[code_id] = by_code.get(code_id, 0) + 1
            first, last = start // size, max(start, end - 1) // size
            members = buckets.get(first)
            if members is None:
                buckets[first] = [coding_id]
            else:
                members.append(coding_id)
            for bucket in range(first + 1, last + 1):
                members = buckets.get(bucket)
                if members is None:
                    buckets[bucket] = [coding_id]
                else:
                    members.append(coding_id)

    def __len__(self) -> int:
        return len(self.spans)

    def _insert(self, span: Span) -> None:
        self.spans[span.coding_id] = span
        self.by_code[span.code_id] = self.by_code.get(span.code_id, 0) + 1
        versions = self.bucket_versions
        for bucket in range(span.start // self.BUCKET, max(span.start, span.end - 1) // self.BUCKET + 1):
            self.buckets.setdefault(bucket, []).append(span.coding_id)
            versions[bucket] = versions.get(bucket, 0) + 1

    def add(self, coding_id: int, code_id: int, start: int, end: int) -> Span:
        """Index a new coding in the lowest margin lane free along its length."""
        taken = {s.lane for s in self.overlapping(start, end)}
        lane = next(i for i in range(len(taken) + 1) if i not in taken)
        span = Span(coding_id, code_id, start, end, lane)
        self._insert(span)
        self.version += 1
        return span

    def remove(self, coding_id: int) -> Span | None:
        span = self.spans.pop(coding_id, None)
        if span is None:
            return None
        self.by_code[span.code_id] -= 1
        if not self.by_code[span.code_id]:
            del self.by_code[span.code_id]
        for bucket in range(span.start // self.BUCKET, max(span.start, span.end - 1) // self.BUCKET + 1):
            members = self.buckets.get(bucket)
            if members and coding_id in members:
                members.remove(coding_id)
            self.bucket_versions[bucket] = self.bucket_versions.get(bucket, 0) + 1
        self.version += 1
        return span

    def versions(self, start: int, end: int) -> tuple[int, ...]:
        """A stamp of the spans that can touch [start, end): it changes when any of them does."""
        end = max(end, start + 1)
        get = self.bucket_versions.get
        return tuple(get(bucket, 0) for bucket in range(start // self.BUCKET, (end - 1) // self.BUCKET + 1))

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans sharing at least one character with [start, end), in order of start."""
        end = max(end, start + 1)
        seen: set[int] = set()
        found: list[Span] = []
        spans = self.spans
        for bucket in range(start // self.BUCKET, (end - 1) // self.BUCKET + 1):
            for coding_id in self.buckets.get(bucket, ()):
                if coding_id in seen:
                    continue
                seen.add(coding_id)
                span = spans[coding_id]
                if span.start < end and start < span.end:
                    found.append(span)
        found.sort(key=lambda s: (s.start, s.lane))
        return found

    def at(self, position: int) -> list[Span]:
        return self.overlapping(position, position + 1)


def assign_lanes(spans: list[Span]) -> list[Span]:
    """Give each span the lowest lane free over its length, so stripes keep their column."""
    spans.sort(key=_lane_order)
    busy: list[tuple[int, int]] = []  # (end, lane)
    free: list[int] = []
    next_lane = 0
    placed: list[Span] = []
    push, pop, make, keep = heapq.heappush, heapq.heappop, tuple.__new__, placed.append
    for span in spans:
        coding_id, code_id, start, end, old_lane = span
        while busy and busy[0][0] <= start:
            push(free, pop(busy)[1])
        if free:
            lane = pop(free)
        else:
            lane, next_lane = next_lane, next_lane + 1
        push(busy, (end, lane))
        keep(span if old_lane == lane else make(Span, (coding_id, code_id, start, end, lane)))
    return placed


def _lane_order(span: Span) -> tuple[int, int, int]:
    return span[2], span[2] - span[3], span[0]  # by start, the longest first, then by id


# ------------------------------------------------------------------------ steps
def fallback_words(text: str) -> list[tuple[int, int]]:
    """Words before jieba is loaded: each Han character alone, other words by \\w runs."""
    return [m.span() for m in FALLBACK_WORD.finditer(text)]


class TurnMark(NamedTuple):
    """A turn as the view steps through it (a tuple: a long document has thousands; issue 24)."""

    start: int
    end: int
    speaker: str | None = None
    label_start: int | None = None  # where "Speaker:" begins on the turn's first line
    t_start_ms: int | None = None


class Steps:
    """Where the cursor goes by word, sentence or turn; words and sentences cached per line."""

    def __init__(
        self, text: str, layout_paragraphs: tuple[list[int], list[int]], turns: list[TurnMark],
        words: Callable[[str], list[tuple[int, int]]] = fallback_words,
    ):
        self.text = text
        self.par_starts, self.par_ends = layout_paragraphs
        self.words_of = words
        self._words: dict[int, list[tuple[int, int]]] = {}
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        if not turns:
            turns = [TurnMark(s, e) for s, e in zip(self.par_starts, self.par_ends, strict=True) if e > s]
        self.turns = turns
        self.turn_starts = [t.start for t in turns]
        # a sentence never takes in the "Speaker:" label before a turn's text
        self._label_ends = {t.label_start: t.start for t in turns if t.label_start is not None}

    def use_words(self, words: Callable[[str], list[tuple[int, int]]]) -> None:
        """Switch word finding (to jieba once it is loaded) and forget cached words."""
        self.words_of = words
        self._words.clear()

    def paragraph_of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.par_starts, position) - 1)

    def words(self, paragraph: int) -> list[tuple[int, int]]:
        found = self._words.get(paragraph)
        if found is None:
            start, end = self.par_starts[paragraph], self.par_ends[paragraph]
            found = [(start + s, start + e) for s, e in self.words_of(self.text[start:end])]
            self._words[paragraph] = found
        return found

    def sentences(self, paragraph: int) -> list[tuple[int, int]]:
        found = self._sentences.get(paragraph)
        if found is None:
            start = self.par_starts[paragraph]
            start = self._label_ends.get(start, start)
            found = sentence_spans(self.text, start, self.par_ends[paragraph])
            self._sentences[paragraph] = found
        return found

    # words
    def word_right(self, position: int) -> int:
        """The end of the word at or after the position (the line's end, then the next line)."""
        paragraph = self.paragraph_of(position)
        for _, end in self.words(paragraph):
            if end > position:
                return end
        if position < self.par_ends[paragraph]:
            return self.par_ends[paragraph]
        return self.par_starts[paragraph + 1] if paragraph + 1 < len(self.par_starts) else position

    def word_left(self, position: int) -> int:
        paragraph = self.paragraph_of(position)
        for start, _ in reversed(self.words(paragraph)):
            if start < position:
                return start
        if position > self.par_starts[paragraph]:
            return self.par_starts[paragraph]
        return self.par_ends[paragraph - 1] if paragraph > 0 else position

    def word_at(self, position: int) -> tuple[int, int]:
        for start, end in self.words(self.paragraph_of(position)):
            if start <= position < end:
                return start, end
        return position, position

    # sentences
    def sentence_at(self, position: int) -> tuple[int, int] | None:
        """The sentence holding the position, else the next one on its line, else the last."""
        paragraph = self.paragraph_of(position)
        found = self.sentences(paragraph)
        for start, end in found:
            if position < end:
                return start, end
        if found:
            return found[-1]
        following = self.next_sentence(position)
        return self._sentence_starting(following) if following is not None else None

    def _sentence_starting(self, position: int) -> tuple[int, int] | None:
        for start, end in self.sentences(self.paragraph_of(position)):
            if start == position:
                return start, end
        return None

    def next_sentence(self, position: int, limit: int = 2000) -> int | None:
        """Start of the first sentence after the position (across lines)."""
        paragraph = self.paragraph_of(position)
        for index in range(paragraph, min(len(self.par_starts), paragraph + limit)):
            for start, _ in self.sentences(index):
                if start > position:
                    return start
        return None

    def previous_sentence(self, position: int, limit: int = 2000) -> int | None:
        paragraph = self.paragraph_of(position)
        for index in range(paragraph, max(-1, paragraph - limit), -1):
            for start, _ in reversed(self.sentences(index)):
                if start < position:
                    return start
        return None

    def sentence_after(self, position: int) -> tuple[int, int] | None:
        """The whole sentence that starts next after the position."""
        start = self.next_sentence(position - 1) if position > 0 else self.next_sentence(-1)
        return self._sentence_starting(start) if start is not None else None

    def is_sentence_start(self, position: int) -> bool:
        return any(start == position for start, _ in self.sentences(self.paragraph_of(position)))

    def is_sentence_end(self, position: int) -> bool:
        return position > 0 and any(end == position for _, end in self.sentences(self.paragraph_of(position - 1)))

    # turns
    def is_turn_start(self, position: int) -> bool:
        index = bisect.bisect_left(self.turn_starts, position)
        return index < len(self.turns) and self.turns[index].start == position

    def is_turn_end(self, position: int) -> bool:
        index = self.turn_index(position)
        return any(t.end == position for t in self.turns[max(0, index - 1):index + 1])

    def turn_index(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.turn_starts, position) - 1)

    def turn_at(self, position: int) -> TurnMark | None:
        """The turn holding the position (its end included); between turns, the next one."""
        if not self.turns:
            return None
        index = self.turn_index(position)
        turn = self.turns[index]
        if position > turn.end and index + 1 < len(self.turns):
            return self.turns[index + 1]
        return turn

    def next_turn(self, position: int) -> int | None:
        index = bisect.bisect_right(self.turn_starts, position)
        return self.turns[index].start if index < len(self.turns) else None

    def previous_turn(self, position: int) -> int | None:
        index = bisect.bisect_left(self.turn_starts, position) - 1
        return self.turns[index].start if index >= 0 else None


def turn_marks(text: str, turns: Iterable[tuple[int, int, str | None, int | None]]) -> list[TurnMark]:
    """Turns of the store, as (start, end, speaker, start time) rows, as the view needs them: with
    where each speaker label begins."""
    marks: list[TurnMark] = []
    rfind, make, keep = text.rfind, tuple.__new__, marks.append
    for start, end, speaker, t_start_ms in turns:
        line_start = rfind("\n", 0, start) + 1
        label_start = line_start if speaker and 0 < start - line_start <= 60 else None
        keep(make(TurnMark, (start, end, speaker, label_start, t_start_ms)))
    return marks


def clock(ms: int) -> str:
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def abbreviate(name: str, width: int) -> str:
    """A name cut to `width` cells with an ellipsis (wide Chinese characters count two)."""
    if width <= 0:
        return ""
    if cells(name) <= width:
        return name
    used, kept = 0, []
    for character in name:
        w = char_width(character)
        if used + w > width - 1:
            break
        kept.append(character)
        used += w
    return "".join(kept) + "…"


def fit_names(names: list[str], width: int) -> tuple[list[str], int]:
    """As many names as fit in `width` cells, one space apart, each shortened to a fair share,
    and how many were left out (shown as "+n" after them)."""
    for shown in range(len(names), 0, -1):
        hidden = len(names) - shown
        more = len(f" +{hidden}") if hidden else 0
        share = (width - more - (shown - 1)) // shown
        if share >= 1 and (share >= min(4, max(cells(n) for n in names[:shown])) or shown == 1):
            return [abbreviate(n, share) for n in names[:shown]], hidden
    return [], len(names)
