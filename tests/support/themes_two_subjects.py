"""Two subjects that never meet: English talk about machine learning and Chinese hotel reviews.

Each has four sub-subjects, so a clustering should find at least three themes per language and none
that mixes the two (issue 19: a real mixed project gave one English and one Chinese theme).
"""

from __future__ import annotations

import itertools
import random

ML_EN = {
    "data": (["Um, so the labelled data", "Honestly the training data", "You know, the annotated data",
              "Yeah, the dataset"],
             ["was noisy and the annotators disagreed on half the labels",
              "had duplicates, so we cleaned the labels before training",
              "was too small, we paid annotators to label more examples",
              "came from scraped pages with wrong labels everywhere"]),
    "compute": (["Like, the GPU cluster", "So our GPUs", "Basically the compute budget", "The training run on the GPUs"],
                ["ran out of memory with a large batch size",
                 "took three days per epoch, the GPU bill was huge",
                 "was shared, we waited for GPU hours every week",
                 "needed mixed precision to fit the batch in memory"]),
    "evaluation": (["The validation accuracy", "Um, the test metrics", "Our evaluation benchmark", "The F1 score"],
                   ["looked great but the model was overfitting the validation split",
                    "dropped on the held-out test set, classic overfitting",
                    "needed a proper baseline before we believed the accuracy",
                    "changed with every random seed, so we reported the variance"]),
    "deployment": (["In production the model", "So the deployed service", "The inference server", "Serving the model"],
                   ["had latency spikes under load, so we cached predictions",
                    "needed a smaller model to keep latency under a hundred milliseconds",
                    "crashed when traffic doubled, we added autoscaling for inference",
                    "was monitored for drift after deployment, with alerts on latency"]),
}

HOTEL_ZH = {
    "room": (["房间", "客房", "我们住的房间", "这次的房间"],
             ["很干净，床也很舒服，卫生间有点小", "隔音太差，床单不干净，卫生一般", "面积很大，床很软，窗户能看到江景",
              "有霉味，空调噪音大，床垫太硬"]),
    "service": (["前台服务员", "酒店的服务", "前台小姐", "客服经理"],
                ["态度很热情，办理入住很快", "态度冷淡，退房等了半个小时", "帮我们免费升级，服务很周到",
                 "对投诉不理不睬，服务态度太差"]),
    "location": (["酒店位置", "酒店的地理位置", "这家酒店", "酒店附近"],
                 ["离地铁站很近，交通很方便", "在市中心，步行到商场只要五分钟", "比较偏僻，打车去机场很远",
                  "出门就是公交站，去景点很方便"]),
    "breakfast": (["早餐", "酒店的自助早餐", "餐厅的早餐", "第二天的早餐"],
                  ["品种很丰富，咖啡和面包都不错", "种类太少，鸡蛋都是凉的", "很好吃，有粥有包子还有水果",
                   "价格太贵，味道一般，餐厅很拥挤"]),
}


# What people add that is about neither subject: it makes sentences of one sub-subject less alike, as in
# real talk, where silhouettes are flat and the old default found one English and one Chinese theme.
ASIDES = {
    "en": ["and that was back in March when my manager was away on holiday",
           "I think, maybe, I don't remember exactly who decided that",
           "my colleague told me the same thing over lunch last week",
           "it was a really long week for the whole team, honestly",
           "and my boss was kinda annoyed about the whole thing",
           "which, you know, surprised everybody in the office at the time",
           "we talked about it for hours on the phone with the client",
           "and I was gonna quit around then, to be honest"],
    "zh": ["那次是和家人一起去的，孩子也很开心", "我们是周末出去玩的时候住的", "总的来说还可以吧，就是有点累",
           "朋友推荐的，说是性价比高", "下次出差可能不会再来了", "那天下大雨，心情也不太好",
           "我老公订的，我也没怎么看评价", "反正就住了两个晚上，也无所谓"],
}


def sentences(subjects: dict, lang: str, seed: int = 0, per_subject: int = 12) -> list[tuple[str, str, str]]:
    """(subject, lang, sentence): heads and tails combined, a seeded choice of them per subject, each with an
    aside about something else before and after."""
    rng = random.Random(seed)
    found = []
    for subject, (heads, tails) in subjects.items():
        pairs = list(itertools.product(heads, tails))
        rng.shuffle(pairs)
        for head, tail in pairs[:per_subject]:
            joiner = "，" if lang == "zh" else " "
            comma = "，" if lang == "zh" else ", "
            before, after = rng.sample(ASIDES[lang], 2)
            text = f"{before}{comma}{head}{joiner}{tail}{comma}{after}{'。' if lang == 'zh' else '.'}"
            found.append((subject, lang, text))
    return found


def corpus() -> list[tuple[str, str, str]]:
    return sentences(ML_EN, "en") + sentences(HOTEL_ZH, "zh")


def write_files(folder) -> list:
    """An English interview about machine learning and a file of Chinese hotel reviews."""
    from pathlib import Path

    folder = Path(folder)
    en = "\n".join(f"Respondent: {text}" for _, lang, text in corpus() if lang == "en")
    zh = "\n".join(text for _, lang, text in corpus() if lang == "zh")
    (folder / "ml-interview.txt").write_text(en + "\n", encoding="utf-8")
    (folder / "hotel-reviews.txt").write_text(zh + "\n", encoding="utf-8")
    return [folder / "ml-interview.txt", folder / "hotel-reviews.txt"]
