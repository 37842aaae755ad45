"""An evaluation set shaped like real coding, in English and Chinese (written for this project).

What real projects look like and the earlier generated set did not: 120 leaf codes with a long
tail (most under 15 coded passages); whole spoken paragraphs coded, often with 2–4 codes each;
near-twin codes (`Laptop - problems` / `Laptop - fixes` talk about the same things and differ in
what is said about them); disfluent speech (um, uh, you know, false starts, 嗯, 那个, 就是); the
interviewer's questions use the answers' words; coders miss codes, use the parent now and then,
and add a stray code. A paragraph about two subjects carries the words of both, so matching a
subject's words is not enough to tell the code.

`build(folder, seed, interviews)` writes the transcripts and a project; run to print its size.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# subject: (English words, Chinese words)
SUBJECTS: dict[str, tuple[list[str], list[str]]] = {
    "Laptop": (["laptop", "battery", "screen", "keyboard", "charger", "hard drive"], ["电脑", "电池", "屏幕", "键盘", "充电器", "硬盘"]),
    "Hotel room": (["room", "bed", "shower", "air conditioner", "window", "carpet"], ["房间", "床", "淋浴", "空调", "窗户", "地毯"]),
    "Data quality": (["data", "spreadsheet", "records", "survey answers", "labels", "database"], ["数据", "表格", "记录", "问卷答案", "标注", "数据库"]),
    "Training data": (["training set", "examples", "annotations", "samples", "corpus", "dataset"], ["训练集", "样本", "标注数据", "例子", "语料", "数据集"]),
    "Model deployment": (["model", "server", "release", "pipeline", "production system", "endpoint"], ["模型", "服务器", "上线", "流水线", "生产环境", "接口"]),
    "Team meetings": (["meeting", "stand-up", "agenda", "minutes", "call", "team"], ["会议", "例会", "议程", "纪要", "电话会", "团队"]),
    "Manager": (["manager", "boss", "supervisor", "team lead", "director", "line manager"], ["经理", "老板", "主管", "组长", "总监", "领导"]),
    "Salary": (["salary", "pay", "bonus", "wage", "raise", "paycheck"], ["工资", "薪水", "奖金", "收入", "涨薪", "月薪"]),
    "Commute": (["commute", "bus", "metro", "traffic", "train", "bike"], ["通勤", "公交", "地铁", "堵车", "火车", "自行车"]),
    "Housing": (["rent", "flat", "landlord", "deposit", "lease", "apartment"], ["房租", "公寓", "房东", "押金", "租约", "出租屋"]),
    "Children's school": (["school", "teacher", "homework", "classroom", "exam", "kids"], ["学校", "老师", "作业", "教室", "考试", "孩子"]),
    "Health care": (["doctor", "hospital", "clinic", "medicine", "nurse", "appointment"], ["医生", "医院", "诊所", "药", "护士", "挂号"]),
    "Health insurance": (["insurance", "claim", "policy", "premium", "coverage", "reimbursement"], ["保险", "理赔", "保单", "保费", "保障", "报销"]),
    "Food": (["food", "restaurant", "canteen", "noodles", "dinner", "breakfast"], ["吃饭", "餐厅", "食堂", "面条", "晚饭", "早餐"]),
    "Neighbours": (["neighbours", "building", "courtyard", "the family next door", "stairwell", "block"], ["邻居", "楼里", "院子", "隔壁", "楼道", "小区"]),
    "Residents' committee": (["committee", "community office", "cadres", "notice board", "grid worker", "street office"], ["居委会", "社区办公室", "干部", "公告栏", "网格员", "街道办"]),
    "Police": (["police", "officer", "station", "patrol", "fine", "report"], ["警察", "民警", "派出所", "巡逻", "罚款", "报案"]),
    "Paperwork": (["form", "stamp", "certificate", "permit", "office window", "application"], ["表格", "盖章", "证明", "证件", "办事窗口", "申请"]),
    "Phone and apps": (["phone", "app", "messages", "WeChat group", "notifications", "account"], ["手机", "应用", "消息", "微信群", "通知", "账号"]),
    "Online shopping": (["order", "delivery", "parcel", "seller", "refund", "courier"], ["订单", "快递", "包裹", "卖家", "退款", "快递员"]),
    "Customers": (["customers", "clients", "buyers", "orders from abroad", "regulars", "complaints"], ["客户", "顾客", "买家", "外国订单", "老客户", "投诉"]),
    "Suppliers": (["supplier", "factory", "goods", "stock", "samples from the factory", "price list"], ["供应商", "工厂", "货", "库存", "工厂样品", "价格表"]),
    "Family": (["parents", "wife", "husband", "mother", "cousin", "grandparents"], ["父母", "老婆", "老公", "妈妈", "表哥", "爷爷奶奶"]),
    "Language": (["English", "dialect", "Mandarin", "accent", "translation", "words"], ["英语", "方言", "普通话", "口音", "翻译", "说话"]),
    "Religion": (["mosque", "church", "prayer", "temple", "festival", "imam"], ["清真寺", "教堂", "祈祷", "寺庙", "节日", "阿訇"]),
    "Volunteering": (["volunteers", "patrol team", "sign-up sheet", "armbands", "cleaning day", "duty roster"], ["志愿者", "巡逻队", "报名表", "红袖章", "大扫除", "值班表"]),
    "Software tools": (["tool", "software", "license", "plugin", "update", "dashboard"], ["工具", "软件", "授权", "插件", "更新", "仪表盘"]),
    "Deadlines": (["deadline", "schedule", "milestone", "delivery date", "overtime", "timeline"], ["截止日期", "进度", "里程碑", "交付日期", "加班", "时间表"]),
    "Weather": (["rain", "heat", "typhoon", "winter", "humidity", "snow"], ["下雨", "高温", "台风", "冬天", "潮湿", "下雪"]),
    "Travel home": (["ticket", "hometown", "spring festival trip", "long-distance bus", "flight", "village"], ["车票", "老家", "春运", "长途车", "航班", "村里"]),
}

# aspect: (English sentence patterns, Chinese sentence patterns); {a} {b} are two of the subject's words
ASPECTS: dict[str, tuple[list[str], list[str]]] = {
    "problems": ([
        "the {a} {kept breaking down|was a mess|never worked properly|was just wrong} and the {b} {too|as well|was no better}",
        "{every week|all the time|again and again} something went wrong with the {a}, {first|then} the {b}",
        "we had {so many|endless|constant} problems with the {a}, {honestly|really} the {b} was {useless|a disaster|the worst}",
        "the {a} {failed|let us down|broke} {right when we needed it|at the worst moment|twice in one month}",
    ], [
        "{那个|这个}{a}{老是出问题|一直坏|根本不好用|乱七八糟的}，{b}{也是|也不行|更差}",
        "{每个星期|经常|三天两头}{a}就出毛病，{然后|接着}{b}又不行了",
        "{a}的问题{太多了|没完没了|一大堆}，说实话{b}{根本没用|简直是灾难|最差}",
        "{a}{偏偏|正好}在{最需要的时候|关键时刻|一个月里两次}{坏了|掉链子|出故障}",
    ]),
    "fixes": ([
        "so we {fixed|sorted out|worked around} the {a} by {changing|replacing|redoing} the {b}",
        "in the end {my colleague|I|we} {found a way|figured out how} to {repair|patch|fix} the {a}, {we just|we simply} {swapped|reset|cleaned up} the {b}",
        "what {helped|worked} was {checking|re-doing|replacing} the {a} {every morning|step by step|before anything else}, and {then|after that} the {b} was fine",
        "we {set up|made} a {routine|checklist|small script} for the {a} so the {b} {stopped failing|stays correct|works now}",
    ], [
        "{后来|最后}我们把{b}{换了|重做了|改了}，{a}的问题就{解决了|好了|搞定了}",
        "{我同事|我|我们}{想了个办法|琢磨出来}{修好|补好|弄好}了{a}，就是把{b}{换掉|重置|清理}了一下",
        "{管用的|有用的}办法是{每天早上|一步一步|先}{检查|重做|更换}{a}，{然后|这样}{b}就没事了",
        "我们给{a}{定了一个|做了一个}{流程|清单|小脚本}，{b}{就不出错了|现在好了|就正常了}",
    ]),
    "feelings": ([
        "I {felt|was} {so frustrated|really anxious|quite happy|relieved} about the {a}, {you know|honestly|to be fair}",
        "the {a} {makes me|made me} {nervous|angry|proud|tired}, {especially|mostly} the {b}",
        "{honestly|to be honest} I {love|hate|cannot stand|really like} the {a}, it {feels|felt} like {home|a burden|a gift}",
        "{my wife|my mother|everyone} {worries|complains|is happy} about the {a} and I {feel the same|understand her|agree}",
    ], [
        "{说实话|讲真的}{a}让我{特别烦|很焦虑|挺开心|松了口气}",
        "{a}{让我|搞得我}{很紧张|很生气|很骄傲|很累}，{特别是|主要是}{b}",
        "我{很喜欢|很讨厌|受不了|挺喜欢}{a}，{感觉|觉得}{像家一样|是个负担|是个礼物}",
        "{我老婆|我妈|大家}{担心|抱怨|高兴}{a}的事，我{也一样|能理解|也同意}",
    ]),
    "costs": ([
        "the {a} cost us {a fortune|two months of pay|far too much|more than we planned}, and the {b} {on top|as well|extra}",
        "we {spent|lost|wasted} {weeks|whole days|hours every week} on the {a}, {not counting|plus} the {b}",
        "{the price of|paying for} the {a} {went up|doubled|keeps rising} {every year|this spring|since last year}",
        "{it takes|it took} {so much time|half my salary|all our savings} just for the {a} and the {b}",
    ], [
        "{a}{花了我们|用掉了}{好多钱|两个月工资|太多钱|比预算多}，{b}{还另算|也要钱|又花了一笔}",
        "我们在{a}上{花了|浪费了|耗了}{好几个星期|好几天|每周好几个小时}，{还不算|加上}{b}",
        "{a}的{价格|费用}{涨了|翻倍了|一直涨}，{每年都涨|今年春天又涨|去年开始}",
        "光是{a}和{b}就{花了|用了}{好多时间|一半工资|所有积蓄}",
    ]),
}

EN_FILLER = [
    "I came here in {year}, first alone and then with my family",
    "anyway that is how it was for us at the time",
    "we were living near the market then, it was quite a small place",
    "my daughter was still small, she was maybe five",
    "you see, everything was new for us then",
    "it was a long time ago now, I don't remember every detail",
    "we talk about it sometimes at dinner, how things changed",
    "that was in the year my father got ill",
]
ZH_FILLER = [
    "我是{year}年过来的，一开始一个人，后来家里人也来了",
    "反正那个时候我们就是这样过来的",
    "那时候我们住在市场旁边，地方挺小的",
    "我女儿那时候还小，也就五岁吧",
    "那时候什么都是新的嘛",
    "很久以前的事了，细节我也记不太清了",
    "我们吃饭的时候有时候也会聊，说变化挺大的",
    "那一年我爸正好生病",
]
EN_DISFLUENT = ["um", "uh", "you know", "I mean", "like", "sort of", "well"]
ZH_DISFLUENT = ["嗯", "那个", "就是", "然后", "对对", "怎么说呢", "呃"]
EN_QUESTIONS = ["Can you tell me more about the {a}?", "And the {a}, how was that for you?",
                "What happened with the {a} then?", "How do you feel about the {a} and the {b}?"]
ZH_QUESTIONS = ["能不能多讲讲{a}？", "那{a}呢，对你来说怎么样？", "后来{a}怎么样了？", "你对{a}和{b}怎么看？"]


def _fill(rng: random.Random, pattern: str, words: list[str]) -> str:
    a, b = rng.sample(words, 2)
    text = pattern.replace("{a}", a).replace("{b}", b).replace("{year}", str(rng.randint(2003, 2019)))
    while "{" in text:
        start = text.index("{")
        end = text.index("}", start)
        text = text[:start] + rng.choice(text[start + 1:end].split("|")) + text[end + 1:]
    return text


def _disfluent(rng: random.Random, text: str, zh: bool) -> str:
    """Fillers, false starts and repeated words, as transcribed speech has them."""
    if zh:
        pieces = list(text)
        for _ in range(rng.randint(0, 2)):
            at = rng.randrange(len(pieces) + 1)
            pieces.insert(at, rng.choice(ZH_DISFLUENT) + "，")
        return "".join(pieces)
    words = text.split()
    out = []
    for word in words:
        if rng.random() < 0.08:
            out.append(rng.choice(EN_DISFLUENT) + ",")
        if rng.random() < 0.04:
            out.append(word + " -")  # a false start: the word said twice
        out.append(word)
    return " ".join(out)


def sentence(rng: random.Random, code: tuple[str, str] | None, zh: bool) -> str:
    if code is None:
        pattern = rng.choice(ZH_FILLER if zh else EN_FILLER)
        text = _fill(rng, pattern, ["x", "y"])
    else:
        subject, aspect = code
        words = SUBJECTS[subject][1 if zh else 0]
        text = _fill(rng, rng.choice(ASPECTS[aspect][1 if zh else 0]), words)
    text = _disfluent(rng, text, zh)
    return (text + "。") if zh else (text[0].upper() + text[1:] + ".")


def leaf_codes() -> list[tuple[str, str]]:
    return [(subject, aspect) for subject in SUBJECTS for aspect in ASPECTS]


def code_path(code: tuple[str, str]) -> str:
    return f"{code[0]}/{code[0]} - {code[1]}"


def build(folder: Path, seed: int = 11, interviews: int = 48, turns: int = 24) -> Path:
    """Transcripts in `folder/in` and a project `folder/realistic.qda` with people's coding on whole turns."""
    from workbench.imports import import_files
    from workbench.model import Code
    from workbench.store import Project

    rng = random.Random(seed)
    leaves = leaf_codes()
    order = leaves[:]
    rng.shuffle(order)
    weight = {code: 1.0 / (rank + 3) ** 1.1 for rank, code in enumerate(order)}  # a long tail
    source = folder / "in"
    source.mkdir(parents=True, exist_ok=True)
    planned: dict[str, list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]] = {}
    for number in range(interviews):
        zh = number % 2 == 1
        name = f"R{number:02d}-{'zh' if zh else 'en'}.txt"
        body, coded = [], []
        # an interview dwells on a few subjects: the codes of one interview are related
        focus = rng.sample(leaves, 10)
        focus_weights = [weight[c] * 4 for c in focus]
        for _ in range(turns):
            topics: list[tuple[str, str]] = []
            if rng.random() < 0.8:
                n = rng.choices([1, 2, 3, 4], [35, 35, 20, 10])[0]
                pool = focus + leaves
                pool_weights = focus_weights + [weight[c] for c in leaves]
                while len(topics) < n:
                    pick = rng.choices(pool, pool_weights)[0]
                    if pick not in topics:
                        topics.append(pick)
            words = SUBJECTS[(topics or [rng.choice(leaves)])[0][0]][1 if zh else 0]
            question = _fill(rng, rng.choice(ZH_QUESTIONS if zh else EN_QUESTIONS), words)
            body.append(("访谈者：" if zh else "Interviewer: ") + question)
            sentences = [sentence(rng, t, zh) for t in topics for _ in range(rng.choice([1, 1, 2]))]
            sentences += [sentence(rng, None, zh) for _ in range(rng.randint(1, 3))]
            rng.shuffle(sentences)
            answer = ("" if zh else " ").join(sentences)
            body.append(("受访者：" if zh else "Respondent: ") + answer)
            # coders: most codes found, some missed, some given as the parent, a stray code now and then
            given = []
            for t in topics:
                roll = rng.random()
                if roll < 0.12:
                    continue
                given.append((t[0], "") if roll < 0.2 else t)
            if rng.random() < 0.05:
                given.append(rng.choice(leaves))
            coded.append((answer, given))
        (source / name).write_text("\n\n".join(body) + "\n", encoding="utf-8")
        planned[name] = coded
    path = folder / "realistic.qda"
    with Project.create(path) as project:
        ids: dict[tuple[str, str], int] = {}
        for subject in SUBJECTS:
            parent = project.add_code(Code(name=subject), None)
            ids[(subject, "")] = parent
            for aspect in ASPECTS:
                ids[(subject, aspect)] = project.add_code(Code(name=f"{subject} - {aspect}"), parent)
        list(import_files(project, sorted(source.iterdir()), coder="ana"))
        with project.transaction():
            for name, coded in planned.items():
                doc = project.document_id(name)
                text = project.document(doc).text
                at = 0
                for answer, given in coded:
                    start = text.find(answer, at)
                    if start < 0:
                        continue
                    at = start + len(answer)
                    for code in given:
                        coder = "ana" if rng.random() < 0.6 else "ben"
                        project.add_coding(doc, ids[code], start, start + len(answer), coder)
    return path


def evaluate_on(path: Path, encoder: bool, folds: int = 5) -> dict:
    """Every ranking method and both baselines on the project, by document folds."""
    from workbench.store import Project
    from workbench.suggest import engine
    from workbench.suggest import encoder as enc
    from workbench.suggest.evaluate import evaluate_ranking, format_ranking

    with Project.open(path) as project:
        corpus = engine.load_corpus(project)
        embed = enc.project_embedder(project) if encoder and enc.available() else None
        result = evaluate_ranking(corpus, folds=folds, embed=embed)
    for line in format_ranking(result):
        print(line)
    return result.as_dict()


def unseen_transcript(seed: int, zh: bool, chars: int = 20_000) -> str:
    """A transcript of about `chars` characters the project has never seen (answers on two subjects each)."""
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < chars:
        topics = rng.sample(leaf_codes(), 2)
        said = [sentence(rng, t, zh) for t in topics] + [sentence(rng, None, zh)]
        parts.append(("受访者：" if zh else "Respondent: ") + ("" if zh else " ").join(said))
    return "\n\n".join(parts)


def timing(folder: Path, interviews: int = 270) -> dict:
    """Training and proposing time at ~5,000 coded passages across 120+ codes.

    Training is `fit_ranked` (features of every passage and turn, the ranker, its calibration);
    proposing ranks the turns and the sentences of a 20,000-character transcript never seen, in
    English and in Chinese (its words cut and its features computed), per method. CPU seconds are
    given beside wall seconds: the machine is shared, and wall time then measures the others too.
    """
    import os
    import re
    import time

    from workbench.store import Project
    from workbench.suggest import engine, rank
    from workbench.suggest.choose import Choice
    from workbench.suggest.corpus import training_hash, turn_units
    from workbench.suggest.propose import fit_ranked
    from workbench.suggest.units import document_units

    path = build(folder, seed=3, interviews=interviews)
    with Project.open(path) as project:
        corpus = engine.load_corpus(project)
    passages = len(engine.coded_passages(corpus, corpus.codings))
    figures: dict = {"passages": passages, "codes": len({c.code_id for c in corpus.codings})}
    transcripts = {lang: unseen_transcript(41, lang == "zh") for lang in ("en", "zh")}
    for method in ("balanced", "nearest", "fused"):
        choice = Choice(method, "turn", training_hash(corpus), False)
        started, cpu = time.perf_counter(), time.process_time()
        ranked = fit_ranked(corpus, choice)
        figures[f"{method}_train_s"] = round(time.perf_counter() - started, 2)
        figures[f"{method}_train_cpu_s"] = round(time.process_time() - cpu, 2)
        worst = 0.0
        for lang, text in transcripts.items():
            spans = [(m.start(), m.end(), "R") for m in re.finditer(r"[^\n]+", text)]
            for unit in ("turn", "sentence"):
                started, cpu = time.perf_counter(), time.process_time()
                units = turn_units(-1, text, spans) if unit == "turn" else document_units(-1, text, spans)
                rank.rank(ranked.ranker, [u.text for u in units], 3)
                wall = (time.perf_counter() - started) * 20_000 / len(text) * 1000
                figures[f"{method}_propose_{lang}_{unit}_ms"] = round(wall, 1)
                figures[f"{method}_propose_{lang}_{unit}_cpu_ms"] = round(
                    (time.process_time() - cpu) * 20_000 / len(text) * 1000, 1)
                worst = max(worst, figures[f"{method}_propose_{lang}_{unit}_cpu_ms"])
        print(f"{method}: trained on {passages:,} coded passages across {figures['codes']} codes in "
              f"{figures[f'{method}_train_s']} s ({figures[f'{method}_train_cpu_s']} s CPU; target <= 15 s); "
              f"proposing for an unseen 20,000-character transcript: " + ", ".join(
                  f"{lang} {unit} {figures[f'{method}_propose_{lang}_{unit}_ms']:.0f} ms "
                  f"({figures[f'{method}_propose_{lang}_{unit}_cpu_ms']:.0f} CPU)"
                  for lang in transcripts for unit in ("turn", "sentence"))
              + f" (target <= 300 ms; worst CPU {worst:.0f} ms)")
    figures["load_average"] = round(os.getloadavg()[0], 1)
    print(f"load average: {figures['load_average']} on {os.cpu_count()} cores")
    return figures


def main() -> None:
    import json
    import tempfile
    from collections import Counter

    from workbench.demo import build_demo
    from workbench.store import Project

    encoder = "--no-encoder" not in sys.argv
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp))
        with Project.open(path) as project:
            codings = project.codings()
            per_code = Counter(c.code_id for c in codings)
            spans = Counter((c.document_id, c.start, c.end) for c in codings)
            print(f"{len(project.documents())} interviews, {len(codings)} codings, {len(per_code)} codes used, "
                  f"{sum(1 for n in per_code.values() if n < 15)} with under 15 passages, "
                  f"{sum(1 for n in spans.values() if n >= 2)} of {len(spans)} paragraphs with 2+ codes")
        if "--timing" in sys.argv:
            out["timing"] = timing(Path(tmp) / "big")
        print("realistic set:")
        out["realistic"] = evaluate_on(path, encoder)
        print("demo:")
        out["demo"] = evaluate_on(build_demo(Path(tmp) / "demo"), encoder)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
