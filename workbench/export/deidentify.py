"""De-identification: a per-project pseudonym table, candidates detected in the text, and one
replacer applied to every output, so `Chen Jun` is `P02` and `义乌` is `[City A]` everywhere.

Detection proposes (unconfirmed) rows; the researcher reviews them as CSV or in the TUI. The
participants table's names always map to their case ids. A row with an empty replacement (or
one equal to the original) is kept as is: that is how a false candidate is turned down.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import WorkbenchError
from ..store import Project
from ..store.export import KINDS, Pseudonym
from .files import neutralise, write_text
from ..store.events import Action

# Case attributes that hold a participant's name (or the pseudonym the study gave them).
NAME_ATTRIBUTES = frozenset({"name", "full name", "full_name", "pseudonym", "alias", "姓名", "名字", "化名", "称呼"})
JIEBA_KINDS = {"nr": "person", "nrfg": "person", "nrt": "person", "ns": "place", "nt": "organisation"}
SPACY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation"}
LABELS = {"person": "Person", "place": "City", "organisation": "Organisation"}

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NAME_WORD = r"[A-Z][a-zà-öø-ÿ]+(?:['’-][A-Za-zà-öø-ÿ]+)?"
_CAPITALISED = re.compile(rf"(?<![\w'’-])({_NAME_WORD}(?:[ \t]+{_NAME_WORD})*)(?![\w'’-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?。！？:：\"“”\n\]\)])[\s\"“']*$")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "doctor", "madam", "mister", "uncle", "auntie", "aunt",
                     "brother", "sister", "boss", "teacher", "professor", "prof", "director", "secretary",
                     "chairman", "officer", "manager", "old", "little", "lao", "xiao"})
_PLACE_CUES = frozenset({"in", "at", "from", "to", "near", "into", "around", "across", "outside", "via"})
_ORG_WORDS = frozenset({"company", "committee", "bureau", "office", "association", "group", "factory", "bank",
                        "ltd", "inc", "co", "university", "college", "school", "hospital", "council",
                        "department", "ministry", "centre", "center", "corporation", "foundation", "church",
                        "mosque", "federation", "union", "agency", "institute", "trading", "logistics"})
# Capitalised words that are not names: interview labels, weekdays, months, languages, fillers.
_NOT_NAMES = frozenset("""
i i'm i've i'd i'll ok okay yes no yeah yep well so and but or oh um uh hmm ah right sure thanks thank please
interviewer respondent moderator participant speaker q a r p note laughs laughter pause inaudible crosstalk
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december spring summer autumn winter new year festival
chinese english mandarin cantonese arabic french african arab muslim christian western foreign foreigners
government party city province village district street community road the this that these those there then
when what why how who where which if because also just maybe actually really very now here we you they he
she it my our your their his her its a an of in on at for with by from to as is was are were be been
""".split())
# Words jieba tags as places or names that name nobody: generic places, and "X person".
_NOT_NAMES_ZH = frozenset("""
外国 国外 外地 本地 当地 老家 家乡 农村 城市 城里 城中村 乡下 东西 南方 北方 全国 中国 海外 市里 省里 社区 小区
街道 村里 地方 回国 出国 太多 中东 内地 大陆 中央 东北 西北 西南 东南 华南 华北 凉亭 花园 花园里 老乡 外国人 本地人 外地人
""".split())
_ZH_ORG_SUFFIXES = ("公司", "集团", "协会", "商会", "中心", "银行", "大学", "学院", "医院", "工厂", "基金会",
                    "事务所", "委员会", "研究所", "合作社")
# The hundred commonest surnames (and compound ones): an unknown word starting with one is a name.
_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                      "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙"})
_FUNCTION_CHARS = frozenset("您你我他她它们的了吗呢吧么这那是有在不也都就很太谢")
_DEMONYM = re.compile(r"(?:ians?|eans?|ese|ish|ans|cans)$")


@dataclass(frozen=True)
class Candidate:
    """A name, place or organisation found in the text."""

    original: str
    kind: str
    count: int


@dataclass(frozen=True)
class Report:
    """What a de-identified export did: replacements made and rows nobody has confirmed yet."""

    replacements: int
    by_original: dict[str, int]
    unconfirmed: tuple[Pseudonym, ...]

    def summary(self) -> str:
        text = f"de-identified: {self.replacements} replacement{'s' if self.replacements != 1 else ''}"
        if self.unconfirmed:
            shown = ", ".join(f"{p.original} → {p.replacement}" for p in self.unconfirmed[:8])
            more = f", … {len(self.unconfirmed) - 8} more" if len(self.unconfirmed) > 8 else ""
            text += (f"; {len(self.unconfirmed)} detected candidate{'s' if len(self.unconfirmed) != 1 else ''} "
                     f"not yet confirmed ({shown}{more}); review with `workbench pseudonyms --export`")
        return text


# ----------------------------------------------------------------------------- detection
def detect(texts: Iterable[str], english_model: object | None = None) -> list[Candidate]:
    """Candidates in these texts: jieba's nr/ns/nt for Chinese, spaCy or capitalisation for English."""
    counts: Counter[tuple[str, str]] = Counter()
    nlp = english_model if english_model is not None else _english_ner()
    for text in texts:
        if _HAN.search(text):
            counts.update(detect_chinese(text))
        if re.search("[A-Z]", text):
            counts.update(detect_english(text, nlp))
    kinds: dict[str, Counter] = {}
    for (original, kind), count in counts.items():
        kinds.setdefault(original, Counter())[kind] += count
    return sorted(
        (Candidate(original, kind_counts.most_common(1)[0][0], sum(kind_counts.values()))
         for original, kind_counts in kinds.items()),
        key=lambda c: (-c.count, c.original),
    )


def detect_chinese(text: str) -> Counter[tuple[str, str]]:
    """jieba's tags (nr person, ns place, nt organisation) on jieba's words.

    jieba.posseg's HMM tagger finds unknown names but tags a few thousand characters a second;
    instead each word is segmented by jieba (whose HMM joins unknown names into one word) and
    tagged from jieba's dictionary, an unknown two- or three-character word starting with a
    common surname counting as a person (what the HMM tagger mostly concludes too).
    """
    from ..text.segment import quiet_jieba

    quiet_jieba()
    import jieba
    import jieba.posseg

    tags = jieba.posseg.dt.word_tag_tab
    found: Counter[tuple[str, str]] = Counter()
    runs = Counter(run for run in _HAN_RUN.findall(text) if len(run) >= 2)
    for run, times in runs.items():
        pairs = []
        for word in jieba.lcut(run):
            flag = tags.get(word)
            if flag is None:
                surname = word[:2] in _COMPOUND_SURNAMES or word[0] in _SURNAMES
                flag = "nr" if surname and 2 <= len(word) <= 3 and not _FUNCTION_CHARS & set(word) else "n"
            pairs.append((word, flag))
        absorbed: set[int] = set()
        for i, (word, flag) in enumerate(pairs):
            # jieba rarely tags organisations (nt): a run of nouns ending in 公司, 协会, 中心… is one.
            if word.endswith(_ZH_ORG_SUFFIXES):
                first = i
                while (first > 0 and i - first < 4 and pairs[first - 1][1][:1] in ("n", "j")
                       and pairs[first - 1][0] not in _NOT_NAMES_ZH):
                    first -= 1
                if first < i or (len(word) >= 4 and word not in _ZH_ORG_SUFFIXES):
                    found[("".join(w for w, _ in pairs[first:i + 1]), "organisation")] += times
                    absorbed.update(range(first, i + 1))
        for i, (word, flag) in enumerate(pairs):
            kind = JIEBA_KINDS.get(flag)
            if (kind and i not in absorbed and len(word) >= 2 and word not in _NOT_NAMES_ZH
                    and not (kind == "person" and word.endswith("人"))):
                found[(word, kind)] += times
    return found


def detect_english(text: str, nlp: object | None = None) -> Counter[tuple[str, str]]:
    """spaCy entities when a trained English model is installed, else capitalised-name heuristics."""
    found: Counter[tuple[str, str]] = Counter()
    if nlp is not None:
        for ent in nlp(text).ents:  # type: ignore[operator]
            kind = SPACY_KINDS.get(ent.label_)
            name = ent.text.strip()
            if kind and len(name) >= 2 and not _HAN.search(name):
                found[(name, kind)] += 1
        return found
    for match in _CAPITALISED.finditer(text):
        words = match.group(1).split()
        start = match.start(1)
        before = text[max(0, start - 30):start]
        cue = (re.findall(r"([A-Za-z]+)\.?\s*$", before) or [""])[0].casefold()
        while words and words[0].casefold().strip("'’") in _TITLES | _NOT_NAMES:
            if words[0].casefold() in _TITLES:
                cue = "mr"
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        while words and words[-1].casefold() in _NOT_NAMES:
            words = words[:-1]
        if not words or (len(words) == 1 and _DEMONYM.search(words[0])):
            continue  # "Syrians", "Chinese": a people, not a person
        name = " ".join(words)
        at_sentence_start = bool(_SENTENCE_START.search(text[max(0, match.start(1) - 30):match.start(1)]))
        if len(words) == 1 and at_sentence_start and cue not in _TITLES:
            continue  # "Trust is…" at a sentence start says nothing
        if words[-1].casefold() in _ORG_WORDS:
            kind = "organisation"
        elif cue in _TITLES or cue == "mr":
            kind = "person"
        elif cue in _PLACE_CUES:
            kind = "place"
        else:
            kind = "person"
        found[(name, kind)] += 1
    return found


@functools.lru_cache(maxsize=1)
def _english_ner() -> object | None:
    """A trained English spaCy pipeline with an entity recogniser, if the user installed one."""
    try:
        import spacy

        for name in sorted(spacy.util.get_installed_models()):
            if name.startswith("en_"):
                nlp = spacy.load(name, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
                if "ner" in nlp.pipe_names:
                    return nlp
    except Exception:  # a broken model install must not stop an export: heuristics take over
        return None
    return None


# ----------------------------------------------------------------------------- the table
def participant_names(project: Project) -> list[tuple[str, str]]:
    """(name, case) for every name-like attribute of a case: the participants table's names."""
    found = []
    for case in project.cases():
        for key, value in case.attributes.items():
            if key.strip().casefold() in NAME_ATTRIBUTES and value and value.strip() and value.strip() != case.name:
                found.append((value.strip(), case.name))
    return found


def next_replacement(kind: str, taken: Iterable[str]) -> str:
    """The next free label of a kind: [Person 3], [City C], [Organisation 2]."""
    taken = set(taken)
    for n in range(1, 100_000):
        label = f"[{LABELS[kind]} {_letters(n) if kind == 'place' else n}]"
        if label not in taken:
            return label
    raise WorkbenchError(f"too many {kind} pseudonyms")


def _letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sync_participants(project: Project, coder: str | None = None) -> int:
    """Put every participant's name in the table, mapped to the case id and confirmed."""
    rows = {p.original: p for p in project.pseudonyms()}
    added = 0
    with project.transaction():
        for name, case in participant_names(project):
            if name not in rows:
                project.add_pseudonym(name, case, "person", True, "participants")
                added += 1
        if added:
            project.log(Action.PSEUDONYMS_PARTICIPANTS, {"added": added}, coder)
    return added


def add_candidates(project: Project, candidates: Iterable[Candidate], coder: str | None = None) -> list[Pseudonym]:
    """Add detected candidates not yet in the table, unconfirmed, each with the next free label."""
    existing = project.pseudonyms()
    known = {p.original.casefold() for p in existing}
    taken = {p.replacement for p in existing}
    added: list[str] = []
    with project.transaction():
        for candidate in candidates:
            if candidate.original.casefold() in known:
                continue
            label = next_replacement(candidate.kind, taken)
            taken.add(label)
            known.add(candidate.original.casefold())
            project.add_pseudonym(candidate.original, label, candidate.kind, False, "detected")
            added.append(candidate.original)
        if added:
            project.log(Action.PSEUDONYMS_DETECT, {"added": len(added)}, coder)
    return [p for p in project.pseudonyms() if p.original in set(added)]


def detect_in_project(project: Project, texts: Iterable[str] | None = None, coder: str | None = None) -> list[Pseudonym]:
    """Sync the participants' names, detect candidates (in `texts`, or every document), add them."""
    sync_participants(project, coder)
    if texts is None:
        texts = (text for _, _, text in project.document_texts())
    return add_candidates(project, detect(texts), coder)


# ----------------------------------------------------------------------------- applying
class Replacer:
    """Every replacement of the table as two regular expressions shaped as tries: one pass each.

    Latin-script originals match whole words only (Li never touches Living); the participants'
    names and confirmed rows match in any letter case (yiwu in a file name), unconfirmed
    detections only as written. Han originals match anywhere (Chinese has no spaces).
    A trie (one branch per first character) keeps 10 M characters to seconds with hundreds of rows.
    """

    def __init__(self, pseudonyms: Iterable[Pseudonym]):
        rows = [p for p in pseudonyms if p.replacement.strip() and p.replacement != p.original]
        rows.sort(key=lambda p: -len(p.original))
        self.rows = rows
        self.by_key: dict[str, Pseudonym] = {}
        words, han = [], []
        for row in rows:
            key = row.original.casefold()
            if key in self.by_key:
                continue
            self.by_key[key] = row
            bounded = not _HAN.search(row.original[0]) or not _HAN.search(row.original[-1])
            (words if bounded else han).append(key)
        self.han = re.compile(_trie(han), re.IGNORECASE) if han else None
        self.words = re.compile(rf"(?<![^\W_])(?:{_trie(words)})(?![^\W_])", re.IGNORECASE) if words else None
        self.counts: Counter[str] = Counter()

    def __call__(self, text: str) -> str:
        if not text:
            return text
        for pattern in (self.han, self.words):
            if pattern is not None:
                text = pattern.sub(self._replace, text)
        return text

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group()
        row = self.by_key[found.casefold()]
        if found != row.original and not (row.confirmed or row.source == "participants"):
            return found  # an unconfirmed detection matches only as written
        self.counts[row.original] += 1
        return row.replacement

    def report(self) -> Report:
        used = set(self.counts)
        unconfirmed = tuple(p for p in self.rows if not p.confirmed and p.original in used)
        return Report(sum(self.counts.values()), dict(self.counts), unconfirmed)


def _trie(words: list[str]) -> str:
    """A regular expression matching any of the words, longest first, factored by prefix."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # a word ends here, a longer one may go on: prefer the longer (greedy `?`)
            return f"(?:{body})?"
        return body if len(branches) == 1 else body

    return emit(root)


def replacer(project: Project) -> Replacer:
    return Replacer(project.pseudonyms())


# ----------------------------------------------------------------------------- review as CSV
CSV_COLUMNS = ("original", "replacement", "kind", "confirmed", "source", "guid")


def to_csv(pseudonyms: Iterable[Pseudonym]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for p in pseudonyms:
        writer.writerow([neutralise(p.original), neutralise(p.replacement), p.kind, "yes" if p.confirmed else "no",
                         p.source, p.guid])
    return buffer.getvalue()


def export_csv(project: Project, path: str | Path) -> int:
    rows = project.pseudonyms()
    write_text(path, to_csv(rows), encoding="utf-8-sig")  # Excel reads UTF-8 with a BOM
    return len(rows)


_YES = {"yes": True, "y": True, "true": True, "1": True, "x": True, "是": True,
        "no": False, "n": False, "false": False, "0": False, "": False, "否": False}


def import_csv(project: Project, path: str | Path, coder: str | None = None,
               progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Apply a reviewed CSV: rows update the table by original (new originals are added). (added, updated)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise WorkbenchError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise WorkbenchError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().casefold() for h in (reader.fieldnames or [])]
    if "original" not in header or "replacement" not in header:
        raise WorkbenchError(f"{path}: needs the columns original and replacement (as `--export` writes them)")
    parsed = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().casefold(): (v or "").strip() for k, v in raw.items()}
        original = _unneutralise(row.get("original", ""))
        if not original:
            raise WorkbenchError(f"{path}: row {number} has no original")
        kind = (row.get("kind") or "person").casefold()
        if kind not in KINDS:
            raise WorkbenchError(f"{path}: row {number}: kind {kind!r} is not one of {', '.join(KINDS)}")
        confirmed = row.get("confirmed", "").casefold()
        if confirmed not in _YES:
            raise WorkbenchError(f"{path}: row {number}: confirmed {confirmed!r} is not yes or no")
        parsed.append((original, _unneutralise(row.get("replacement", "")), kind, _YES[confirmed]))
    existing = {p.original: p for p in project.pseudonyms()}
    added = updated = 0
    with project.transaction():
        for original, replacement, kind, confirmed in parsed:
            row = existing.get(original)
            if row is None:
                project.add_pseudonym(original, replacement, kind, confirmed, "manual")
                added += 1
            elif (row.replacement, row.kind, row.confirmed) != (replacement, kind, confirmed):
                project.update_pseudonym(row.id, replacement, kind, confirmed)
                updated += 1
        project.log(Action.PSEUDONYMS_IMPORT, {"file": str(path), "added": added, "updated": updated}, coder)
    return added, updated


def _unneutralise(value: str) -> str:
    if value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value
