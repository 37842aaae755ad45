"""The suggestion tests' project (`study`): the bundled codebook, two codes learned from examples
("Queue", "Food"), three coded interviews, and uncoded Chinese and English talk."""

from __future__ import annotations

import pytest

from workbench.codebook import load_yaml
from workbench.codebook.ops import install
from workbench.demo import DEMO_CODEBOOK
from workbench.imports import import_files
from workbench.store import Project

# Interviews shaped like the demo's: labelled turns, Chinese, English and mixed.
TRUST_ZH = "受访者：说实话，我们不信任居委会，他们说一套做一套。"
COPRODUCTION_EN = "Respondent: The residents' committee organised volunteers to patrol the lanes at night."


# A code ("Queue") learned from examples about waiting in line at offices; nothing in its
# keywords or name says so. Other codes give the negatives.
QUEUE = [
    "I waited in the queue at the hukou office for four hours before they saw me.",
    "We stood in line at the bureau all morning and the window closed at noon.",
    "排队排了一上午，窗口中午就关了，只好第二天再来排队。",
    "The queue at the social insurance counter was so long that I went home.",
    "为了办居住证，我在派出所门口排了三个小时的队。",
    "Every visit means another long queue and another stamp from another window.",
]


FOOD = [
    "My mother cooks dumplings for the whole street at the spring festival.",
    "我们老家的菜很辣，这边的菜太甜了，吃不惯。",
    "On Sundays we eat noodles together at the Lanzhou restaurant near the market.",
    "她每天早上五点起来做包子，卖给工地上的工人。",
    "The canteen at the factory serves rice and two dishes for eight yuan.",
    "We grow vegetables on the roof and share them with the neighbours.",
]


# Uncoded talk, as most of any interview is.
OTHER = [
    "I came to the city in 2009 with my cousin, first to Guangzhou, then here.",
    "我在这边做了十几年的外贸，主要是小商品，发到中东和非洲。",
    "My children go to school near the market; the older one is in grade five.",
    "平时工作很忙，周末有时候去公园走走。",
    "The rent went up again this year, so we moved two streets further.",
    "我觉得这里的人还是挺好的，做生意也方便。",
    "Most of my customers come from Dubai and Cairo.",
    "以前在老家种地，后来跟着亲戚出来打工。",
    "The weather in summer is hot, but I am used to it now.",
]


def transcript(lines: list[str]) -> str:
    turns = []
    for number, line in enumerate(lines):
        turns.append(f"Interviewer: Can you tell me more about that, part {number}?")
        turns.append(f"Respondent: {line}")
    return "\n\n".join(turns) + "\n"


@pytest.fixture
def study(tmp_path):
    """A project with the bundled codebook, two codes of its own and three coded interviews."""
    path = tmp_path / "study.qda"
    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "A01.txt": transcript(OTHER[:3] + QUEUE[:2] + FOOD[:2] + [QUEUE[2]]),
        "A02.txt": transcript(QUEUE[3:5] + OTHER[3:6] + FOOD[2:4]),
        "A03.txt": transcript(FOOD[4:] + OTHER[6:] + [QUEUE[5]]),
        "B01.txt": transcript([
            "The line at the entry-exit office moved so slowly that we queued again the next day.",
            "Spicy food from home is the thing I miss.",
        ]),
        "Z01.txt": TRUST_ZH + "\n\n" + COPRODUCTION_EN + "\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Project.create(path) as project:
        install(project, load_yaml(DEMO_CODEBOOK), coder="lin")
        from workbench.model import Code

        queue = project.add_code(Code(name="Queue"), None)
        food = project.add_code(Code(name="Food"), None)
        list(import_files(project, sorted(folder.iterdir()), coder="lin"))
        with project.transaction():
            for name in ("A01.txt", "A02.txt", "A03.txt"):
                doc = project.document_id(name)
                text = project.document(doc).text
                for line in QUEUE + FOOD:
                    at = text.find(line)
                    if at >= 0:
                        project.add_coding(doc, queue if line in QUEUE else food, at, at + len(line), "lin")
    return path
