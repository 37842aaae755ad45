"""Speaker labels name the interviewer or a participant."""

from __future__ import annotations

import pytest

from workbench.text.roles import is_interviewer, speaker_role


@pytest.mark.parametrize("label", [
    "Interviewer", "Interviewer 1", "interviewer2", "INTERVIEWER", "Moderator", "Facilitator",
    "I", "Q", "问", "采访者", "访谈员1", "采访者A", "主持人", "Researcher",
])
def test_interviewer_labels_are_the_interviewers(label: str) -> None:
    assert is_interviewer(label)


@pytest.mark.parametrize("label", [
    None, "", "Interviewee", "Respondent", "R", "A", "答", "受访者", "受访者A", "P3",
    "Participant 2", "Speaker 1", "Mr Diallo", "老陈", "Ingrid",
])
def test_other_labels_are_participants(label: str | None) -> None:
    assert speaker_role(label) == "participant"
