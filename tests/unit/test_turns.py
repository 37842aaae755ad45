"""Speaker turns and timestamps: the transcript conventions of Chinese and English fieldwork."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.importers.turns import parse_turns, time_to_ms


def turns_of(text: str) -> list[tuple[str | None, str]]:
    return [(turn.speaker, text[turn.start:turn.end]) for turn in parse_turns(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Interviewer: How did you come to Yiwu?\nRespondent: By train, in 2015.\n"
            "Interviewer: Why?\nRespondent: Work.\n",
            [("Interviewer", "How did you come to Yiwu?"), ("Respondent", "By train, in 2015."),
             ("Interviewer", "Why?"), ("Respondent", "Work.")],
        ),
        (
            "I: How did you come?\nR: By train.\nI: Why?\nR: Work.",
            [("I", "How did you come?"), ("R", "By train."), ("I", "Why?"), ("R", "Work.")],
        ),
        (
            "Q: How long have you been here?\nA: Ten years.",
            [("Q", "How long have you been here?"), ("A", "Ten years.")],
        ),
        (
            "I: Hello.\nP3: Hi, thanks for coming to our shop.",
            [("I", "Hello."), ("P3", "Hi, thanks for coming to our shop.")],
        ),
        (
            "采访者：你来这里多久了？\n受访者：十几年了。\n采访者：为什么来？\n受访者：做生意。",
            [("采访者", "你来这里多久了？"), ("受访者", "十几年了。"), ("采访者", "为什么来？"), ("受访者", "做生意。")],
        ),
        (
            "访谈者：你好。\n受访者：你好，我们老乡很多。",
            [("访谈者", "你好。"), ("受访者", "你好，我们老乡很多。")],
        ),
        (
            "问：你来这里多久了？\n答：十几年了。",
            [("问", "你来这里多久了？"), ("答", "十几年了。")],
        ),
        (
            "采访者:你来这里多久了？\n受访者:十几年了。",  # half-width colons in Chinese
            [("采访者", "你来这里多久了？"), ("受访者", "十几年了。")],
        ),
        (
            "Interviewer：How long?\nRespondent：Ten years.",  # full-width colons in English
            [("Interviewer", "How long?"), ("Respondent", "Ten years.")],
        ),
        (
            "**Interviewer:** Hello.\n**Respondent:** Hi.",  # Markdown bold labels
            [("Interviewer", "Hello."), ("Respondent", "Hi.")],
        ),
        (
            "Interviewer: When did you meet?\nRespondent: At 10:30. Note: it rained.\nInterviewer: OK.",
            [("Interviewer", "When did you meet?"), ("Respondent", "At 10:30. Note: it rained."),
             ("Interviewer", "OK.")],
        ),
    ],
    ids=["Interviewer", "I/R", "Q/A", "P3", "采访者/受访者", "访谈者", "问/答", "half-width", "full-width",
         "markdown", "colon-in-body"],
)
def test_speaker_conventions(text, expected):
    assert turns_of(text) == expected


def test_bracketed_timestamps_give_names_and_media_times():
    text = "[00:12:31] Maria: We came in June.\n[00:12:45] Tom: Right.\n[00:13:02] Maria: Then we moved."
    turns = parse_turns(text)
    assert [(t.speaker, text[t.start:t.end]) for t in turns] == [
        ("Maria", "We came in June."), ("Tom", "Right."), ("Maria", "Then we moved.")]
    assert [(t.t_start_ms, t.t_end_ms) for t in turns] == [
        (751_000, 765_000), (765_000, 782_000), (782_000, None)]


def test_a_single_timestamped_line_is_a_turn():
    text = "[00:12:31] Maria: We came in June."
    assert turns_of(text) == [("Maria", "We came in June.")]


def test_without_labels_paragraphs_are_turns():
    text = "First paragraph, about the market.\n\nSecond paragraph,\nstill the second."
    assert turns_of(text) == [(None, "First paragraph, about the market."),
                              (None, "Second paragraph,\nstill the second.")]


def test_a_label_on_its_own_line_starts_the_turn_at_the_speech():
    text = "Interviewer:\nHow are you?\n\n受访者：\n还好。"
    assert turns_of(text) == [("Interviewer", "How are you?"), ("受访者", "还好。")]


def test_a_preamble_before_the_first_label_is_kept():
    text = "Interview 3, Yiwu, May 2024\n\nInterviewer: Hello.\nRespondent: Hi."
    assert turns_of(text) == [(None, "Interview 3, Yiwu, May 2024"), ("Interviewer", "Hello."),
                              ("Respondent", "Hi.")]


def test_turn_languages():
    text = "Interviewer: How long have you lived here?\n受访者：我在这里住了十几年了，老乡很多。"
    assert [t.lang for t in parse_turns(text)] == ["en", "zh"]


@pytest.mark.parametrize(
    ("value", "ms"),
    [("01:02:03.5", 3_723_500), ("02:03", 123_000), ("01:02:03,500", 3_723_500), ("00:00:00.001", 1)],
)
def test_time_to_ms(value, ms):
    assert time_to_ms(value) == ms


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab IRQ:：问答采访者受\n[]0123456789.,")), max_size=120))
def test_turns_are_ordered_disjoint_and_inside_the_text(text):
    turns = parse_turns(text)
    previous_end = 0
    for index, turn in enumerate(turns):
        assert turn.idx == index
        assert previous_end <= turn.start <= turn.end <= len(text)
        assert text[turn.start:turn.end] == text[turn.start:turn.end].strip()
        previous_end = turn.end
