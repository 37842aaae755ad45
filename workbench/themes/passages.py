"""The segments a run of themes clusters: sentences or turns of the participants, with their words.

Words come from the word index (each language cut by its own tokenizer), without the project's own
stop words; interviewers' questions are left out unless asked for, because a question ("Do you trust
the committee?") resembles every answer about trust and pulls the themes towards the interview guide.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..model import WorkbenchError
from ..store import Project
from ..text import nlp
from ..text.roles import is_interviewer
from ..text.segment import has_han

UNITS = ("sentence", "turn")
MIN_TERMS = 3  # a segment with fewer theme words ("嗯，对。", "Yes, I think so.") says too little

# How interviewees talk rather than what about: never a feature or a label of a theme. Kept here, not
# in the shared stop words, because word frequencies should still count them.
DISCOURSE_WORDS = frozenset("""
maybe say said tell feel think know thing stuff really just lot kind sort way year time like
go get got come make want need see look mean guess yeah yes okay ok well right sure actually
basically probably little bit much many also always still even ever back day thank people
something anything everything someone somebody thing kind lot one two three first last
good bad great big small new old different same whole long short today take talk ask give put
start try use keep let call find hundred thousand million half gon na wan ta
觉得 感觉 可能 知道 东西 时候 事情 应该 还是 已经 一直 特别 真的 一下 那种 这种 有点 一点 一些
比较 现在 当时 后来 然后 所以 因为 但是 反正 其实 差不多 那么 这么 怎么 什么 为什么 没有 不是
可以 就是 就是说 还有 一个 这个 那个 一样 自己 大家 他们 我们 你们 人家 这样 那样 这边 那边
说 想 讲 问 看 做 去 来 年 月 天 有时候 平时 一般 主要 基本上 当然 比如 比如说 介绍 introduce
不知道 不会 不能 不想 不要 不用 没事 不行
""".split()) | frozenset({"not know", "not think", "not sure", "not really", "not want", "no idea"})


@dataclass(frozen=True)
class Passage:
    """A segment to cluster: where it is, its words, who said it, its language."""

    document_id: int
    document: str
    start: int
    end: int
    text: str
    terms: tuple[str, ...]
    case: str | None = None
    lang: str = ""  # the language most of its words are in (zh, en, fr...); "" = read from the terms

    @property
    def language(self) -> str:
        return self.lang or passage_lang(self.terms)


def theme_word(term: str) -> bool:
    """Whether a term may shape and name a theme: no single Han characters, no interview talk, no counts."""
    if has_han(term) and (len(term) < 2 or (len(term) == 2 and term[0] in _COUNTING and term[1] in _MEASURES)):
        return False  # 几个, 三年, 一块, 这项: how many, not what
    return term not in DISCOURSE_WORDS


_COUNTING = frozenset("一二三四五六七八九十百千万几两这那每各某半多")
_MEASURES = frozenset("个年块项次天月些种样位条件岁点回遍周部类")


def passage_lang(terms: tuple[str, ...] | list[str], langs: list[str] | None = None) -> str:
    """zh, en, another language's tag, or mixed (Chinese and English each over a fifth of the words)."""
    from ..words import term_lang

    counts = Counter(langs if langs is not None else (term_lang(t) for t in terms))
    counts.pop("other", None)
    if not counts:
        return "und"
    zh, en = counts.get("zh", 0), counts.get("en", 0)
    if zh and en and min(zh, en) / (zh + en) > 0.2:
        return "mixed"
    return counts.most_common(1)[0][0]


def collect_passages(project: Project, unit: str = "sentence", scope: str = "uncoded",
                     min_terms: int = MIN_TERMS, interviewers: bool = False) -> list[Passage]:
    """The segments of the project in scope: uncoded text, all text, or a code's passages.

    Participants' turns only, unless `interviewers`; turns in a language without a tokenizer have no
    indexed words and so never reach a theme.
    """
    from .. import intervals
    from ..codebook.ops import descendants
    from ..coding import code_id
    from ..words import document_words, ensure_index, project_stopwords

    if unit not in UNITS:
        raise WorkbenchError(f"--unit {unit!r}: use sentence or turn")
    coded: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if scope == "uncoded":
        for coding in project.codings():
            coded[coding.document_id].append((coding.start, coding.end))
    elif scope != "all":
        ids = descendants(project, code_id(project, scope))
        for coding in project.codings(code_ids=ids):
            coded[coding.document_id].append((coding.start, coding.end))
    ensure_index(project)  # words come from the index: nothing is cut again for a run of themes
    stop = project_stopwords(project)
    names = {row.id: (row.name, row.case) for row in project.documents()}
    passages = []
    for document_id, (name, case) in names.items():
        text = project.document(document_id).text
        ranges = intervals.union(coded.get(document_id, []))
        starts, norms, langs = document_words(project, document_id)
        for turn in project.turns(document_id):
            if not interviewers and is_interviewer(turn.speaker):
                continue
            spans = ([(turn.start, turn.end)] if unit == "turn"
                     else nlp.sentence_spans(text, turn.start, turn.end))
            for start, end in spans:
                start, end = without_speaker_label(text, start, end, turn.speaker)
                if end <= start:
                    continue
                inside = sum(max(0, min(end, e) - max(start, s)) for s, e in ranges)
                if scope == "uncoded" and inside > 0:
                    continue
                if scope not in ("uncoded", "all") and inside * 2 < end - start:
                    continue  # a code's passages: segments at least half inside its codings
                first, last = bisect_left(starts, start), bisect_left(starts, end)
                kept = [(t, lang) for t, lang in zip(norms[first:last], langs[first:last], strict=True)
                        if t not in stop]
                words = tuple(t for t, _ in kept)
                if sum(map(theme_word, words)) >= min_terms:
                    passages.append(Passage(document_id, name, start, end, text[start:end], words, case,
                                            passage_lang(words, [lang for _, lang in kept])))
    return passages


def without_speaker_label(text: str, start: int, end: int, speaker: str | None) -> tuple[int, int]:
    """Drop a leading 'Interviewer:' / '受访者：' so labels never become theme words."""
    if speaker:
        head = text[start:min(end, start + len(speaker) + 20)]
        at = head.find(speaker)
        if 0 <= at <= 12:
            rest = at + len(speaker)
            while rest < len(head) and head[rest] in ":：]） \t":
                rest += 1
            if rest > at + len(speaker):
                start += rest
    return start, end
