"""The transcript's text layout: rows, widths, spans and steps, without a screen."""

from __future__ import annotations

import random

from rich.cells import cell_len

from workbench.text.segment import word_spans
from workbench.tui.layout import Layout, Span, SpanIndex, Steps, TurnMark, assign_lanes, paragraphs

MIXED = (
    "Interviewer: How did you find the factory?\n"
    "受访者：工厂这边也是靠老乡。我是江西人，义乌很多做小商品的工厂老板、车间主任也是江西过来的，"
    "大家在老乡会里认识，吃个饭，喝个酒，关系就建立起来了。We call it guanxi, 关系, you know?\n"
    "\n"
    "Interviewer: " + "word " * 40 + "\n"
    "受访者：" + "很" * 95 + "。"
)


def test_rows_cover_the_text_and_fit_the_width():
    for width in (9, 20, 37, 80):
        layout = Layout(MIXED, width)
        starts, ends = layout.row_starts, layout.row_ends
        assert starts[0] == 0 and ends[-1] == len(MIXED)
        for i in range(len(layout) - 1):
            # rows are contiguous, except where a newline separates paragraphs
            assert ends[i] == starts[i + 1] or (MIXED[ends[i]] == "\n" and starts[i + 1] == ends[i] + 1)
        for start, end in zip(starts, ends):
            assert cell_len(MIXED[start:end].rstrip(" ")) <= width


def test_wide_characters_stay_aligned():
    layout = Layout("中文字符宽两格，English is one.", 10)
    for row in range(len(layout)):
        start, end = layout.row(row)
        for position in range(start, end):
            assert layout.row_of(position) == row
            column = layout.column_of(position)
            assert layout.position_at(row, column) == position
    assert layout.column_of(2) == 4  # two Chinese characters before it


def test_no_row_starts_with_closing_punctuation():
    layout = Layout("工厂这边也是靠老乡。我是江西人，义乌很多", 9)
    for start in layout.row_starts[1:]:
        assert layout.text[start] not in "，。"


def test_span_index_matches_brute_force():
    rnd = random.Random(7)
    spans = []
    for i in range(400):
        start = rnd.randrange(0, 5000)
        spans.append(Span(i, rnd.randrange(5), start, start + rnd.randrange(1, 900)))
    index = SpanIndex(spans)
    for _ in range(200):
        start = rnd.randrange(0, 5500)
        end = start + rnd.randrange(0, 300)
        expected = {s.coding_id for s in spans if s.start < max(end, start + 1) and start < s.end}
        assert {s.coding_id for s in index.overlapping(start, end)} == expected
    index.remove(3)
    assert 3 not in {s.coding_id for s in index.overlapping(0, 6000)}
    added = index.add(999, 1, 10, 20)
    assert added.lane not in {s.lane for s in index.overlapping(10, 20) if s.coding_id != 999}


def test_lanes_never_share_a_column_where_spans_overlap():
    spans = assign_lanes([Span(i, 0, i * 7, i * 7 + 30) for i in range(50)])
    for a in spans:
        for b in spans:
            if a.coding_id != b.coding_id and a.start < b.end and b.start < a.end:
                assert a.lane != b.lane


def test_chinese_word_steps_follow_jieba():
    text = "我们社区在香洲区，人口增长太快了。"
    steps = Steps(text, paragraphs(text), [], words=word_spans)
    words = [text[s:e] for s, e in word_spans(text)]
    position, seen = 0, []
    while True:
        following = steps.word_right(position)
        if following == position or following >= len(text):
            break
        seen.append(text[steps.word_left(following):following])
        position = following
    assert seen == words[: len(seen)] and "社区" in seen


def test_sentences_and_turns_leave_the_speaker_label_out():
    text = "受访者：工厂这边也是靠老乡。我是江西人。\nInterviewer: Really? Yes."
    turns = [TurnMark(4, 19, "受访者", 0), TurnMark(33, 46, "Interviewer", 20)]
    steps = Steps(text, paragraphs(text), turns)
    assert text.__getitem__(slice(*steps.sentence_at(0))) == "工厂这边也是靠老乡。"
    assert steps.next_sentence(5) == 14
    assert steps.turn_at(25).start == 33
    assert steps.next_turn(5) == 33 and steps.previous_turn(33) == 4
