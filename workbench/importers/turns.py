"""Speaker turns and timestamps from the usual transcript conventions, in zh and en."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from ..model import Turn
from ..text import lang
from ..text.segment import trim_span

# Roles that are speakers wherever they open a line, numbered or lettered or not
# (`Interviewer 1`, `Speaker 2`, `Participant 3`, `Interviewer1`, `受访者A`, `访谈员1`).
_NUMBERING = r"(?:\s*#?\d{1,3}[a-z]?|\s+[a-z])?"
KNOWN_LABELS = re.compile(
    r"^(?:(?:interviewer|interviewee|respondent|moderator|facilitator|participant|speaker"
    r"|researcher|int|resp|person|informant|subject)" + _NUMBERING +
    r"|i|r|q|a|p\d+[a-z]?"
    r"|(?:采访者|受访者|访谈者|访谈员|访谈人|访员|被访者|被访人|访问者|被采访者|采访人|主持人|记者|研究者"
    r"|採訪者|受訪者|訪談者|訪談員|被訪者|訪問者|被採訪者|採訪人|記者)(?:[A-Za-z0-9]|[一二三四五六七八九十])?"
    r"|问|答|访|受|問|訪)$",
    re.IGNORECASE,
)
TIMESTAMP = r"(?:[\[(]\s*(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\s*[\])]|(?P<bare>\d{1,2}:\d{2}:\d{2}))"
LABEL_LINE = re.compile(
    rf"^[ \t]*(?:{TIMESTAMP}[ \t]*)?(?:\*\*|__)?(?P<label>[^:：\n*]{{1,32}}?)(?:\*\*|__)?[ \t]*[:：](?:\*\*|__)?[ \t]*",
    re.MULTILINE,
)
# A name or role: capitalised words, or a number or letter after one (`Speaker 2`, `Person B`);
# in Chinese a short run of Han characters, perhaps with a letter or number (`受访者A`).
GENERIC_LABEL = re.compile(
    r"^(?:[A-Z][\w.'\-]*(?: (?:[A-Za-z][\w.'\-]*|\d{1,3}))?(?: [A-Za-z][\w.'\-]*){0,2}"
    r"|[\u4e00-\u9fff]{1,6}[A-Za-z0-9]?)$"
)
# Chinese words that end speech or are grammar, never a speaker's name: 他说： is speech.
SPEECH_ENDINGS = re.compile(
    r"(?:说|说道|道|讲|称|问|答道|回答|表示|指出|认为|介绍|强调|透露|告诉|坦言|解释|补充|写道|提到|笑道|感叹|宣布|回忆|发现|知道|觉得|如下|是|有|为|在)$"
)
FUNCTION_CHARACTERS = re.compile(r"[的了是在为和与就也都而及或这那其之以于但把被让从对向着过吗呢吧啊]")
SINGLE_HAN_ROLES = set("问答访受問訪")
# Generic (not role) labels must open this share of the text's paragraphs: in an interview
# most paragraphs start with a speaker, in a newspaper "照片：" opens one line in a hundred.
MIN_LABEL_COVERAGE = 0.1
MAX_TURNS = 100_000
MAX_TURN_CHARS = 2_000  # longer stretches are cut at paragraph, then sentence boundaries


def time_to_ms(value: str) -> int:
    """'01:02:03.5', '02:03', '01:02:03,500' -> milliseconds."""
    value = value.replace(",", ".")
    seconds = 0.0
    for part in value.split(":"):
        seconds = seconds * 60 + float(part)
    return int(round(seconds * 1000))


def parse_turns(text: str, headings: bool = False) -> list[Turn]:
    """Turns keyed by speaker labels; without labels, paragraphs (long ones cut into sentence groups).

    With `headings`, a short recurring line holding only a speaker's name or role (as print
    layouts put it, `Interviewer 1` above the words) also starts a turn.
    """
    labelled = _label_matches(text, headings)
    if not labelled:
        return _finish(_capped(_paragraph_turns(text, 0, len(text)), text))
    turns: list[Turn] = []
    if labelled[0][0] > 0:
        turns.extend(_paragraph_turns(text, 0, labelled[0][0]))
    for number, (_start, end, label, stamp) in enumerate(labelled):
        body_start = end
        next_start = labelled[number + 1][0] if number + 1 < len(labelled) else len(text)
        while body_start < next_start and text[body_start].isspace():  # "Interviewer:" on its own line
            body_start += 1
        body_end = next_start
        while body_end > body_start and text[body_end - 1].isspace():
            body_end -= 1
        turns.append(
            Turn(
                idx=0, speaker=label, start=body_start, end=body_end,
                lang=lang.detect(text[body_start:body_end]),
                t_start_ms=time_to_ms(stamp) if stamp else None,
            )
        )
    return _finish(_capped(turns, text))


def _label_matches(text: str, headings: bool) -> list[tuple[int, int, str, str | None]]:
    """(start, end, label, timestamp) of each line that opens a speaker's turn."""
    candidates: list[tuple[int, int, str, str | None]] = [
        (m.start(), m.end(), m.group("label").strip(), m.group("ts") or m.group("bare"))
        for m in LABEL_LINE.finditer(text) if _plausible(m.group("label").strip())
    ]
    if headings:
        candidates = sorted(candidates + _heading_lines(text))
    counts: dict[str, int] = {}
    for _, _, label, _ in candidates:
        counts[label.lower()] = counts.get(label.lower(), 0) + 1
    known = [c for c in candidates if KNOWN_LABELS.match(c[2]) or c[3]]
    generic = [c for c in candidates if not (KNOWN_LABELS.match(c[2]) or c[3]) and counts[c[2].lower()] >= 2]
    # Labels that open few paragraphs are prose ("照片：", "Note:"), not speakers.
    # A conversation has two speakers at least: one recurring "照片：" is a caption, not a voice.
    speakers = {c[2].lower() for c in known + generic}
    generic_ok = (len(speakers) >= 2 and len(known) + len(generic) >= MIN_LABEL_COVERAGE * _paragraph_count(text)
                  and _reads_like_talk(text, sorted(known + generic)))
    return [
        c for c in candidates
        if KNOWN_LABELS.match(c[2]) or c[3] or (generic_ok and counts[c[2].lower()] >= 2)
    ]


# Generic labels are speakers only where the labelled lines carry most of the text and the labels
# take turns as talk does: in a newspaper "照片：", "点评：", "同志：" open captions and columns
# between unlabelled paragraphs (issue 22).
MIN_LABELLED_SHARE = 0.5
MIN_ALTERNATION = 0.5


def _reads_like_talk(text: str, labelled: list[tuple[int, int, str, str | None]]) -> bool:
    """Labelled lines hold most of the text's characters, and the label changes from one to the next."""
    if len(labelled) < 2:
        return False
    total = sum(1 for ch in text if not ch.isspace())
    carried = 0
    for start, end, _, _ in labelled:
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[end:line_end].strip():  # "Ms Huang:" on its own line: her words are on the next
            following = re.search(r"\S[^\n]*", text[line_end:])
            line_end = line_end + following.end() if following else line_end
        carried += sum(1 for ch in text[start:line_end] if not ch.isspace())
    changes = sum(1 for a, b in pairwise(labelled) if a[2].lower() != b[2].lower())
    return carried >= MIN_LABELLED_SHARE * total and changes >= MIN_ALTERNATION * (len(labelled) - 1)


def _heading_lines(text: str) -> list[tuple[int, int, str, str | None]]:
    """Lines holding only a speaker's role or name, followed by text."""
    found = [
        (m.start(), m.end(), m.group("label").strip(), None)
        for m in re.finditer(r"^[ \t]*(?P<label>[^\n:：]{1,32}?)[ \t]*\n(?=\s*\S)", text, re.MULTILINE)
    ]
    headings = speaker_headings([label for _, _, label, _ in found])
    return [f for f in found if f[2] in headings]


def speaker_headings(lines: list[str]) -> set[str]:
    """The short lines that are speaker headings: a role that recurs, a name that recurs thrice.

    A one-off short line ("Introduction") is text; once headings are established, a role seen
    once (`Interviewer 2`) is a heading too.
    """
    counts: dict[str, int] = {}
    for line in lines:
        line = line.strip()
        if 0 < len(line) <= 32:
            counts[line] = counts.get(line, 0) + 1
    headings = {
        line for line, count in counts.items()
        if (count >= 2 and KNOWN_LABELS.match(line)) or (count >= 3 and _plausible(line))
    }
    if headings:
        headings |= {line for line in counts if KNOWN_LABELS.match(line)}
    return headings


def looks_like_speaker(label: str, known_only: bool = False) -> bool:
    """A role (`Interviewer 1`, `受访者`), or, unless `known_only`, a plausible name."""
    label = label.strip()
    if KNOWN_LABELS.match(label):
        return True
    return not known_only and _plausible(label)


def _plausible(label: str) -> bool:
    """A speaker's name or role, not the start of a sentence that happens to hold a colon."""
    if not label or label.startswith(("http", "www")):
        return False
    if KNOWN_LABELS.match(label):
        return True
    if not GENERIC_LABEL.match(label):
        return False
    if lang.HAN.search(label):
        han = label.rstrip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        if len(han) == 1 and han not in SINGLE_HAN_ROLES:
            return False
        return not (SPEECH_ENDINGS.search(han) or FUNCTION_CHARACTERS.search(han))
    return True


def _paragraph_count(text: str) -> int:
    splitter = r"\n[ \t]*\n" if re.search(r"\n[ \t]*\n", text) else r"\n"
    return sum(1 for piece in re.split(splitter, text) if piece.strip())


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
    return turns


def _capped(turns: list[Turn], text: str) -> list[Turn]:
    """Cut turns over MAX_TURN_CHARS at line breaks, then sentence ends, keeping the speaker."""
    if all(t.end - t.start <= MAX_TURN_CHARS for t in turns):
        return turns
    capped: list[Turn] = []
    for turn in turns:
        if turn.end - turn.start <= MAX_TURN_CHARS:
            capped.append(turn)
            continue
        for number, (start, end) in enumerate(split_long(text, turn.start, turn.end)):
            capped.append(replace(
                turn, start=start, end=end, lang=lang.detect(text[start:end]),
                # only the first piece starts at the label's time; the others are untimed
                t_start_ms=turn.t_start_ms if number == 0 else None,
            ))
    return capped


def split_long(text: str, start: int, end: int, limit: int = MAX_TURN_CHARS) -> list[tuple[int, int]]:
    """Consecutive (start, end) pieces of text[start:end], each at most `limit` characters if it can be.

    Pieces are whole sentences grouped greedily; a sentence longer than the limit is cut at
    the last space (or anywhere, in Chinese without punctuation) before it.
    """
    from ..text.segment import sentence_spans

    units: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, start, end):
        while e - s > limit:
            cut = text.rfind(" ", s + limit // 2, s + limit)
            cut = cut if cut > s else s + limit
            units.append(trim_span(text, s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            units.append(trim_span(text, s, e))
    pieces: list[tuple[int, int]] = []
    for s, e in units:
        if s >= e:
            continue
        if pieces and e - pieces[-1][0] <= limit:
            pieces[-1] = (pieces[-1][0], e)
        else:
            pieces.append((s, e))
    return pieces or [(start, end)]


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
