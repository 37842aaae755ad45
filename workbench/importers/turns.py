"""Speaker turns and timestamps from the usual transcript conventions, in zh and en."""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Turn
from ..text import lang

KNOWN_LABELS = re.compile(
    r"^(?:interviewer|interviewee|respondent|moderator|facilitator|participant(?:\s*\d+)?"
    r"|speaker\s*\d+|i|r|q|a|p\d+[a-z]?|int|resp"
    r"|采访者|受访者|访谈者|被访者|访问者|被采访者|主持人|记者|问|答|访|受"
    r"|採訪者|受訪者|訪談者|被訪者|訪問者|被採訪者|記者|問|訪)$",  # the same in traditional characters
    re.IGNORECASE,
)
TIMESTAMP = r"(?:[\[(]\s*(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\s*[\])]|(?P<bare>\d{1,2}:\d{2}:\d{2}))"
LABEL_LINE = re.compile(
    rf"^[ \t]*(?:{TIMESTAMP}[ \t]*)?(?:\*\*|__)?(?P<label>[^:：\n*]{{1,32}}?)(?:\*\*|__)?[ \t]*[:：](?:\*\*|__)?[ \t]*",
    re.MULTILINE,
)
GENERIC_LABEL = re.compile(
    r"^(?:[A-Z][\w.'\-]*(?: [A-Za-z][\w.'\-]*){0,3}|[\u4e00-\u9fff]{1,6}[A-Za-z0-9]?)$"
)
MAX_TURNS = 100_000


def time_to_ms(value: str) -> int:
    """'01:02:03.5', '02:03', '01:02:03,500' -> milliseconds."""
    value = value.replace(",", ".")
    seconds = 0.0
    for part in value.split(":"):
        seconds = seconds * 60 + float(part)
    return int(round(seconds * 1000))


def parse_turns(text: str) -> list[Turn]:
    """Turns keyed by speaker labels; without labels, one turn per paragraph."""
    labelled = _label_matches(text)
    if not labelled:
        return _paragraph_turns(text, 0, len(text))
    turns: list[Turn] = []
    if labelled[0].start() > 0:
        turns.extend(_paragraph_turns(text, 0, labelled[0].start()))
    for number, match in enumerate(labelled):
        body_start = match.end()
        next_start = labelled[number + 1].start() if number + 1 < len(labelled) else len(text)
        while body_start < next_start and text[body_start].isspace():  # "Interviewer:" on its own line
            body_start += 1
        body_end = next_start
        while body_end > body_start and text[body_end - 1].isspace():
            body_end -= 1
        stamp = match.group("ts") or match.group("bare")
        turns.append(
            Turn(
                idx=0, speaker=match.group("label").strip(), start=body_start, end=body_end,
                lang=lang.detect(text[body_start:body_end]),
                t_start_ms=time_to_ms(stamp) if stamp else None,
            )
        )
    return _finish(turns)


def _label_matches(text: str) -> list[re.Match]:
    candidates = [m for m in LABEL_LINE.finditer(text) if _plausible(m)]
    counts: dict[str, int] = {}
    for match in candidates:
        key = match.group("label").strip().lower()
        counts[key] = counts.get(key, 0) + 1
    return [
        m for m in candidates
        if KNOWN_LABELS.match(m.group("label").strip())
        or counts[m.group("label").strip().lower()] >= 2
        or m.group("ts") or m.group("bare")
    ]


def _plausible(match: re.Match) -> bool:
    label = match.group("label").strip()
    if not label or label.startswith(("http", "www")):
        return False
    return bool(KNOWN_LABELS.match(label) or GENERIC_LABEL.match(label))


def _paragraph_turns(text: str, start: int, end: int) -> list[Turn]:
    chunk = text[start:end]
    splitter = r"\n[ \t]*\n" if re.search(r"\n[ \t]*\n", chunk) else r"\n"
    turns = []
    cursor = 0
    for piece in re.split(f"({splitter})", chunk) + [""]:
        if re.fullmatch(splitter, piece or "x"):
            cursor += len(piece)
            continue
        stripped_start = len(piece) - len(piece.lstrip())
        body = piece.strip()
        if body:
            first = start + cursor + stripped_start
            turns.append(Turn(0, None, first, first + len(body), lang.detect(body)))
        cursor += len(piece)
    return _finish(turns)


def _finish(turns: list[Turn]) -> list[Turn]:
    """Number the turns and give each timed turn the next turn's start as its end."""
    finished = []
    for index, turn in enumerate(turns):
        t_end = turn.t_end_ms
        if turn.t_start_ms is not None and t_end is None:
            later = next((t.t_start_ms for t in turns[index + 1:] if t.t_start_ms is not None), None)
            t_end = later
        finished.append(replace(turn, idx=index, t_end_ms=t_end))
    return finished


def document_language(text: str, turns: list[Turn]) -> str:
    if not turns:
        return lang.detect(text)
    return lang.combine([t.lang for t in turns], [t.end - t.start for t in turns])
