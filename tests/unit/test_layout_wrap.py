"""The transcript's wrapping by cell width gives the rows the character-by-character rule gives."""

from __future__ import annotations

import random

import pytest

from workbench.tui.layout import NO_BREAK_BEFORE, Layout, _wrap_ascii, char_width


def reference_wrap(text: str, start: int, end: int, width: int, starts: list[int], ends: list[int]) -> None:
    """The rule as it was first written, one character at a time (the fast version must agree)."""
    row_start, column, breakpoint, break_column = start, 0, -1, 0
    previous_wide = previous_space = False
    for index in range(start, end):
        character = text[index]
        w = char_width(character)
        if index > row_start and character not in NO_BREAK_BEFORE and (previous_space or previous_wide or w == 2):
            breakpoint, break_column = index, column
        if column + w > width and character != " ":
            if breakpoint > row_start:
                cut, cut_column = breakpoint, break_column
            else:
                cut, cut_column = index, column
            starts.append(row_start)
            ends.append(cut)
            row_start, column, breakpoint = cut, column - cut_column, -1
            if column + w > width:
                starts.append(row_start)
                ends.append(index)
                row_start, column = index, 0
        column += w
        previous_wide, previous_space = w == 2, character == " "
    starts.append(row_start)
    ends.append(end)


def reference_rows(text: str, width: int) -> list[tuple[int, int]]:
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    width = max(4, width)
    for line in text.split("\n"):  # as Layout picks: short lines whole, ASCII by its own rule
        end = position + len(line)
        if len(line) <= width // 2:
            starts.append(position)
            ends.append(end)
        elif line.isascii():
            _wrap_ascii(text, position, end, width, starts, ends)
        else:
            reference_wrap(text, position, end, width, starts, ends)
        position = end + 1
    return list(zip(starts, ends))


PIECES = ["我们", "社区", "，", "。", "信任", "trust", "the", "broker", " ", " ", "  ", "WeChat", "a" * 30,
          "（", "）", "…", "é", "\u0301", "ｅ", "😀", "-", ":", "https://example.org/a/very/long/path"]


@pytest.mark.parametrize("seed", range(40))
def test_fast_wrapping_agrees_with_the_character_rule(seed: int) -> None:
    rng = random.Random(seed)
    text = "\n".join("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 120))) for _ in range(8))
    for width in (4, 5, 7, 12, 31, 46, 80):
        layout = Layout(text, width)
        assert list(zip(layout.row_starts, layout.row_ends)) == reference_rows(text, width), (seed, width)


@pytest.mark.parametrize("until", [0, 1, 50, 400, 10_000])
def test_a_layout_wrapped_up_to_an_offset_keeps_its_rows_and_finishes_as_the_whole(until: int) -> None:
    rng = random.Random(until)
    text = "\n".join("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60))) for _ in range(30))
    whole = Layout(text, 17)
    part = Layout(text, 17, until=until)
    exact = part.row_of(min(until, len(text)))
    assert part.row_starts[:exact] == whole.row_starts[:exact] and part.row_ends[:exact] == whole.row_ends[:exact]
    assert part.finished == (until >= text.rfind("\n") + 1)
    part.finish()
    assert part.finished and (part.row_starts, part.row_ends) == (whole.row_starts, whole.row_ends)
