"""Constructed interview passages on three subjects, in Chinese and English, for the themes tests.

Housing, hukou and schooling, the chamber of commerce: each sentence names its subject, as in
the transcripts of the demo, so that a clustering can be scored by purity.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.store import Project

SUBJECTS = {
    "housing": {
        "zh": [
            "我们租的房子太小了，房租每年都涨，房东说不租就搬走。",
            "城中村的出租屋便宜，但是房子很旧，房东也不修。",
            "为了房租便宜，我们一家人挤在一间出租屋里。",
            "房东突然要涨房租，我们只好又去找房子。",
            "买房子想都不敢想，房价太高了，只能一直租房子。",
            "搬了三次家，每次都是因为房东要涨房租。",
            "出租屋没有合同，房东随时可以让我们搬走。",
            "找房子要看离工厂近不近，房租贵不贵。",
            "房子漏水，跟房东说了好几次，房东就是不管。",
            "押金交了两个月房租，搬走的时候房东不退押金。",
            "现在租的房子是老乡介绍的，房租还算公道。",
            "城里的房价涨得太快，我们租房子的压力很大。",
        ],
        "en": [
            "Our rent went up again this year and the landlord said we could leave if we did not like it.",
            "The apartment is small and old, but the rent is cheap, so we stay.",
            "We moved apartments three times because the landlord kept raising the rent.",
            "Buying a flat is impossible with these housing prices, so we rent.",
            "The landlord kept our deposit when we moved out of the apartment.",
            "Finding an apartment near the factory with a fair rent took months.",
            "The roof of the apartment leaks and the landlord never repairs anything.",
            "Housing prices in the city rose so fast that renting is all we can afford.",
            "We share the rent of one apartment with two other families.",
            "Without a lease the landlord can evict us from the apartment any time.",
            "A friend found us the apartment, and the rent is fair for the area.",
            "Rent takes almost half of what I earn, housing is the biggest worry.",
        ],
    },
    "schooling": {
        "zh": [
            "孩子上学要户口，没有本地户口就进不了公办学校。",
            "为了孩子读书，我们办居住证、交社保，就是为了积分入学。",
            "户口不在这里，孩子只能上民办学校，学费很贵。",
            "孩子中考要回老家考，因为户口在老家。",
            "积分不够，孩子排不上公办学校的学位。",
            "我们把孩子留在老家读书，户口问题解决不了。",
            "学校要我们交户口本、居住证、社保证明，材料一大堆。",
            "孩子在这里上小学，初中还不知道能不能上公办学校。",
            "户口迁不过来，孩子读书就是最大的难题。",
            "老师说没有户口的孩子不能在这里参加高考。",
            "为了孩子上学，我们交了五年社保才够积分。",
            "民办学校的学费太贵了，可是公办学校进不去，没有户口。",
        ],
        "en": [
            "Without a local hukou our son cannot enter the public school here.",
            "We collect points with the residence permit and social insurance so the children can go to school.",
            "The private school fees are very high because our hukou is in the village.",
            "Our daughter has to go back to the hometown for the high school exam, because of her hukou.",
            "The school asked for the hukou booklet, the residence permit and insurance records.",
            "We left the children with their grandparents so they could go to school at home.",
            "Not enough points, so no place for our son in the public school this year.",
            "The teacher said children without a hukou cannot take the exam in this city.",
            "Changing our hukou is impossible, so schooling for the kids is the hardest part.",
            "Primary school is fine, but middle school for the children depends on the hukou points.",
            "We paid social insurance for five years just to get the school points.",
            "Public schools are full of local children, ours without hukou go to private schools.",
        ],
    },
    "chamber": {
        "zh": [
            "商会帮我们跟政府沟通，有什么政策变化商会先通知大家。",
            "我们是通过老乡商会认识供应商的，商会里都是做生意的老乡。",
            "出了纠纷，我们先找商会调解，比打官司快。",
            "商会每个月开一次会，会员交会费，一起讨论生意上的事。",
            "商会会长跟市场管理办公室很熟，帮会员解决了很多问题。",
            "外国客商的商会在义乌帮了很多人，找工厂、追货款。",
            "商会组织会员去展会，生意伙伴都是在那里认识的。",
            "有个会员被骗了货款，商会出面去追回了一部分钱。",
            "新来的商人要加入商会，先有人介绍，再交会费。",
            "商会还办培训，教会员怎么报关、怎么签合同。",
            "政府开座谈会的时候会请商会负责人去，听听商人的意见。",
            "商会的微信群里每天都有生意信息和供应商的消息。",
        ],
        "en": [
            "The chamber of commerce talks to the government for us when the rules for traders change.",
            "We met our suppliers through the chamber, all the members are traders from home.",
            "When a customer did not pay, the chamber helped us to recover the money.",
            "The chamber holds a meeting every month and members pay a fee.",
            "The president of the chamber knows the market office and solves problems for members.",
            "Foreign traders rely on their chamber of commerce in Yiwu to find factories and suppliers.",
            "The chamber took members to the trade fair, where we found business partners.",
            "A new trader needs an introduction before he can join the chamber as a member.",
            "The chamber runs training on customs declarations and contracts for its members.",
            "Officials invite the chamber leaders to meetings to hear what traders think.",
            "Disputes between traders go to the chamber first, it is faster than a court.",
            "The chamber group chat has business news and supplier contacts every day.",
        ],
    },
}


def passages() -> list[tuple[str, str, str]]:
    """(subject, language, sentence) for every constructed sentence."""
    return [(subject, lang, s) for subject, by_lang in SUBJECTS.items() for lang, sentences in by_lang.items()
            for s in sentences]


def write_transcripts(folder: Path) -> list[Path]:
    """One transcript per subject and language: 受访者/Respondent turns, one sentence each."""
    paths = []
    for subject, by_lang in SUBJECTS.items():
        for lang, sentences in by_lang.items():
            label = "受访者：" if lang == "zh" else "Respondent: "
            path = folder / f"{subject}-{lang}.txt"
            path.write_text("\n".join(label + s for s in sentences) + "\n", encoding="utf-8")
            paths.append(path)
    return paths


def corpus_project(tmp_path: Path) -> Iterator[Project]:
    """The three-subject corpus, one document per subject and language, cities as case attributes."""
    from workbench.imports import import_files
    from workbench.store import Project

    project = Project.create(tmp_path / "corpus.qda")
    folder = tmp_path / "files"
    folder.mkdir()
    list(import_files(project, write_transcripts(folder), "tester"))
    with project.transaction():
        for row in project.documents():
            city = "Yiwu" if row.name.startswith("chamber") else "Dongguan"
            project.set_document_case(row.id, project.upsert_case(row.name[:-4], {"city": city}))
    yield project
    project.close()
