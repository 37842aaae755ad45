"""SubRip (.srt) and WebVTT (.vtt): each cue becomes a timed turn, voices become speakers."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Turn, WorkbenchError
from ..text import lang
from ..text.normalize import normalize
from . import ParsedDocument, check_turn_count, read_bytes
from .encoding import decode_checked
from .turns import document_language, time_to_ms

CUE_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
VOICE = re.compile(r"<v(?:\.[\w.]+)?\s+([^>]+)>")
TAG = re.compile(r"</?[^>]+>")
SPEAKER_PREFIX = re.compile(r"^(?P<label>[A-Z][\w .'\-]{0,30}|[\u4e00-\u9fff]{1,6})\s*[:：]\s*")


def read(path: Path, encoding: str | None = None) -> list[ParsedDocument]:
    raw, encoding, warning = decode_checked(read_bytes(path), str(path), encoding)
    cues = list(_cues(normalize(raw)))
    if not cues:
        raise WorkbenchError(f"{path}: no subtitle cues found (expected lines like 00:00:01.000 --> 00:00:04.000)")
    text_parts: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for index, (start_ms, end_ms, speaker, body) in enumerate(cues):
        label = f"{speaker}: " if speaker else ""
        start = offset + len(label)
        turns.append(Turn(index, speaker, start, start + len(body), lang.detect(body), start_ms, end_ms))
        text_parts.append(label + body)
        offset += len(label) + len(body) + 1
    text = "\n".join(text_parts)
    check_turn_count(str(path), turns)
    format = path.suffix.lower().lstrip(".")
    return [ParsedDocument(path.name, text, encoding, format, turns, document_language(text, turns), warning=warning)]


def _cues(text: str):
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip("\n").split("\n")
        found = next(((i, m) for i, line in enumerate(lines) if (m := CUE_TIMING.match(line))), None)
        if found is None:
            continue  # WEBVTT header, NOTE, STYLE or REGION blocks
        timing_at, timing = found
        body_lines = [line for line in lines[timing_at + 1:] if line.strip()]
        if not body_lines:
            continue
        joined = " ".join(line.strip() for line in body_lines)
        voice = VOICE.search(joined)
        speaker = voice.group(1).strip() if voice else None
        body = TAG.sub("", joined).strip()
        body = re.sub(r"\s{2,}", " ", body)
        if speaker is None:
            prefix = SPEAKER_PREFIX.match(body)
            if prefix:
                speaker, body = prefix.group("label").strip(), body[prefix.end():]
        if body:
            yield time_to_ms(timing.group("start")), time_to_ms(timing.group("end")), speaker, body
