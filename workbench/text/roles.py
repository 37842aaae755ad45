"""Whose words a turn holds: the interviewer's questions or a participant's answers.

Suggestions, themes and word counts work on participants' turns by default, because an
interviewer's question ("Do you trust the committee?") resembles every answer about trust.
"""

from __future__ import annotations

import re
from typing import Literal

Role = Literal["interviewer", "participant"]

# The labels transcribers give the person asking, numbered or lettered or not
# (`Interviewer 2`, `Moderator`, `I`, `Q`, `问`, `采访者A`, `主持人`).
_INTERVIEWER = re.compile(
    r"^(?:(?:interviewer|moderator|facilitator|researcher|int|interviewing|host|fieldworker)"
    r"(?:\s*#?\d{1,3}[a-z]?|\s+[a-z])?"
    r"|i|q"
    r"|(?:采访者|访谈者|访谈员|访谈人|访员|访问者|采访人|主持人|记者|研究者|研究员|调查员|调研员"
    r"|採訪者|訪談者|訪談員|訪問者|採訪人|記者)(?:[A-Za-z0-9]|[一二三四五六七八九十])?"
    r"|问|問|访|訪)$",
    re.IGNORECASE,
)


def speaker_role(speaker: str | None) -> Role:
    """The role a speaker label stands for; unlabelled text is the participant's."""
    if not speaker:
        return "participant"
    label = speaker.strip().strip("[]()（）*_ ").strip()
    return "interviewer" if _INTERVIEWER.match(label) else "participant"


def is_interviewer(speaker: str | None) -> bool:
    """True where the label names the person asking the questions."""
    return speaker_role(speaker) == "interviewer"
