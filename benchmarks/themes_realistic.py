"""A realistic set for themes: bilingual interviews on several subjects of very uneven size, in disfluent
speech, with interviewer questions, asides about nothing in particular and mentions of other subjects.

The earlier generated set (tests/support/themes_corpus.py) was one clean sentence per subject naming it, which
flattered every method: silhouettes were high and k obvious. Here, as in real transcripts, a sentence
carries fillers (um, like, you know, gonna, 嗯, 那个, 就是), repeats itself, drifts into an aside shared
by every subject, and now and then names another subject; subjects run from 300 sentences down to 12,
two exist in one language only, and each interview mixes several subjects.

    python benchmarks/themes_realistic.py OUT.qda      # writes the project; prints its make-up
`build(folder)` returns (project path, truth) where truth maps (document name, sentence text) to a subject.
"""

from __future__ import annotations

import random
import sys
import zlib
from pathlib import Path

# subject -> language -> (subject phrases, things said about them); sizes are sentences per language.
SUBJECTS: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "housing": {
        "en": (["the rent", "our landlord", "the apartment", "the deposit", "the room we rent", "the lease"],
               ["went up again this spring", "was never fixed when the pipes leaked", "took half my salary",
                "was kept when we moved out", "was so small the kids slept in the kitchen",
                "ended without notice, we had to move out in a week"]),
        "zh": (["房租", "房东", "出租屋", "押金", "租的房子", "租房合同"],
               ["今年又涨了", "漏水了也没人来修", "占了我一半的工资", "搬走的时候没退给我们", "小得孩子只能睡在厨房",
                "说不续就不续，一个礼拜就得搬走"]),
    },
    "work": {
        "en": (["the factory", "my shift", "the overtime", "our supervisor", "the assembly line", "the wages"],
               ["ran twelve hours a day in peak season", "was paid late every month",
                "fined us for every minute we were late", "had no contract, so no insurance",
                "was cut when orders dropped", "made my back hurt after a year"]),
        "zh": (["工厂", "我们的班", "加班", "车间主任", "流水线", "工资"],
               ["旺季一天要干十二个小时", "每个月都拖欠", "迟到一分钟就罚款", "没有合同，也就没有社保",
                "订单少了就被砍掉", "干了一年腰就坏了"]),
    },
    "schooling": {
        "en": (["my son's school", "the public school", "the enrolment", "the teachers", "the school fees",
                "the entrance exam"],
               ["needed a local hukou we did not have", "turned us away twice",
                "cost more than a month of wages", "changed every term", "was in the home village, far from us"]),
        "zh": (["儿子的学校", "公办学校", "入学", "老师", "学费", "升学考试"],
               ["要本地户口，我们没有", "拒了我们两次", "比一个月工资还多", "每个学期都换", "只能回老家考"]),
    },
    "health": {
        "en": (["the hospital", "the doctor", "my medical insurance", "the clinic", "the medicine"],
               ["would not take our insurance from the village", "cost us all our savings",
                "was hours away by bus", "asked for cash before treatment"]),
        "zh": (["医院", "医生", "医保", "诊所", "药费"],
               ["不认老家的医保", "花光了我们的积蓄", "坐车要好几个小时", "看病之前先要交现金"]),
    },
    "trust": {
        "en": (["the officials", "the police", "the neighbourhood committee", "the government office"],
               ["never listened to people like us", "helped when the boss would not pay",
                "we did not trust at first", "sent us from one window to another"]),
        "zh": (["当官的", "派出所", "居委会", "政府办事处"],
               ["从来不听我们这种人说话", "老板不给钱的时候帮了我们", "一开始我们不信任", "让我们在窗口之间跑来跑去"]),
    },
    "wechat": {
        "en": (["the WeChat group", "our chat group", "the video calls"],
               ["is where we find jobs now", "keeps me close to my parents", "spread rumours about the raids"]),
        "zh": (["微信群", "老乡群", "视频通话"],
               ["现在找工作都靠它", "让我跟爸妈还能联系", "传了好多查暂住证的谣言"]),
    },
    "food": {  # English only
        "en": (["the food here", "home cooking", "the noodles from my province"],
               ["tastes of nothing compared to home", "is what I miss most", "cost three times as much here"]),
    },
    "temple": {  # Chinese only
        "zh": (["庙里", "烧香", "菩萨"], ["过年一定要回去拜", "求个平安", "我妈每个月都去"]),
    },
}
SIZES = {  # (en, zh) sentences: very uneven, as real projects are
    "housing": (170, 130), "work": (120, 100), "schooling": (50, 70), "health": (40, 40),
    "trust": (30, 20), "wechat": (15, 15), "food": (12, 0), "temple": (0, 12),
}
FILLERS = {"en": ["Um, ", "Uh, ", "Like, ", "You know, ", "So, ", "I mean, ", "Yeah, ", "Honestly ", "", "", ""],
           "zh": ["嗯，", "那个，", "就是，", "然后，", "其实", "反正", "", "", ""]}
MIDDLE = {"en": [" kinda", " like", " you know,", ", I mean,", "", "", "", ""],
          "zh": ["，就是说，", "，那个，", "，嗯，", "", "", ""]}
ASIDES = {
    "en": ["and that was the year my dad got sick", "I'm gonna be honest, I don't remember the exact month",
           "my cousin had the same thing happen", "but that's just how it is for people like us",
           "and my wife was pregnant at the time", "this was before we came to Guangzhou",
           "everybody in the village says the same", "I told my sister all about it on the phone"],
    "zh": ["那年我爸正好生病", "具体哪个月我也记不清了", "我表哥也碰到过一样的事", "我们这种人就是这样",
           "那时候我老婆怀着孕", "那是我们来广州之前的事", "村里的人都这么说", "我在电话里跟我姐说了半天"],
}
QUESTIONS = {"en": ["Can you tell me more about that?", "How did that make you feel about the city?",
                    "What happened after that?", "Did you talk to anyone about the housing or the work?"],
             "zh": ["能再多说一点吗？", "那你当时是怎么想的？", "后来呢？", "这些事你跟谁说过吗？"]}


def sentence(subject: str, lang: str, rng: random.Random) -> str:
    heads, tails = SUBJECTS[subject][lang]
    head, tail = rng.choice(heads), rng.choice(tails)
    if rng.random() < 0.25:  # a stammered start
        head = f"{head.split()[0]}, {head}" if lang == "en" else f"{head[:2]}，{head}"
    body = f"{head}{rng.choice(MIDDLE[lang])} {tail}" if lang == "en" else f"{head}{rng.choice(MIDDLE[lang])}{tail}"
    if rng.random() < 0.6:
        body += (", " if lang == "en" else "，") + rng.choice(ASIDES[lang])
    if rng.random() < 0.1:  # names another subject in passing
        other = rng.choice([s for s in SUBJECTS if lang in SUBJECTS[s] and s != subject])
        body += (", and also " if lang == "en" else "，还有") + rng.choice(SUBJECTS[other][lang][0])
    start = rng.choice(FILLERS[lang])
    text = start + (body[0].upper() + body[1:] if lang == "en" and not start else body)
    return text + ("." if lang == "en" else "。")


def interviews(seed: int = 0) -> list[tuple[str, str, list[tuple[str | None, str]]]]:
    """(document name, lang, [(subject or None for a question, line)]): interviews mixing subjects."""
    rng = random.Random(seed)
    pools: dict[str, list[str]] = {"en": [], "zh": []}
    for subject, (en, zh) in SIZES.items():
        pools["en"] += [subject] * en
        pools["zh"] += [subject] * zh
    documents = []
    for lang in ("en", "zh"):
        subjects = pools[lang]
        rng.shuffle(subjects)
        for number, first in enumerate(range(0, len(subjects), 45), 1):
            lines: list[tuple[str | None, str]] = []
            # an interview runs on a subject for a while: sort a window loosely by subject
            chunk = sorted(subjects[first:first + 45], key=lambda s: (zlib.crc32(f'{s}{number}'.encode()) % 7, rng.random()))
            for i, subject in enumerate(chunk):
                if i % 6 == 0:
                    lines.append((None, rng.choice(QUESTIONS[lang])))
                lines.append((subject, sentence(subject, lang, rng)))
            documents.append((f"{lang}-interview-{number:02d}.txt", lang, lines))
    return documents


def write(folder: Path, seed: int = 0) -> tuple[list[Path], dict[tuple[str, str], str]]:
    """The transcripts as files (Interviewer/Respondent, 采访者/受访者); truth (file, sentence) -> subject."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, truth = [], {}
    for name, lang, lines in interviews(seed):
        asker, teller = ("Interviewer", "Respondent") if lang == "en" else ("采访者", "受访者")
        colon = ": " if lang == "en" else "："
        out = []
        for subject, line in lines:
            out.append(f"{asker if subject is None else teller}{colon}{line}")
            if subject is not None:
                truth[(name, line)] = subject
        (folder / name).write_text("\n".join(out) + "\n", encoding="utf-8")
        paths.append(folder / name)
    return paths, truth


def build(folder: Path, seed: int = 0) -> tuple[Path, dict[tuple[str, str], str]]:
    """A project of the set in `folder`; returns its path and the truth."""
    from workbench.imports import import_files
    from workbench.store import Project

    paths, truth = write(folder / "transcripts", seed)
    path = folder / "realistic.qda"
    with Project.create(path) as project:
        list(import_files(project, paths, "bench"))
    return path, truth


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "realistic.qda")
    made, truth = build(target.parent / (target.stem + "-set"))
    made.rename(target)
    from collections import Counter

    print(f"{target}: {len(truth)} respondent sentences; by subject: {dict(Counter(truth.values()))}")
