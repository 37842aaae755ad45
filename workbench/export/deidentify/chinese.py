"""Chinese names, places and organisations PROPOSED for review; precision before recall.

jieba's dictionary tags many ordinary words as names (安静, 陈旧 and 温馨 are `nr` there), so
a dictionary `nr` tag alone proposes nothing. A person is proposed when the text says it is a
person: a surname with a form of address (老陈, 小王, 王女士, 张伟主任, 陈书记), a name after
叫/名叫, or a word jieba's HMM joined that is not in its dictionary and starts with a surname.
Places are jieba `ns` words and names ending in 市/县/镇/村; organisations are `nt` words and
runs of nouns ending in 公司, 协会, 中心 and the like. Nothing here changes any text.
"""

from __future__ import annotations

import re
from collections import Counter

from .match import stands_alone

# The commonest surnames (a bare one is never proposed: it must come with context).
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
                     "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
                     "戴莫孔向汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "皇甫", "令狐", "慕容", "尉迟", "公孙")
# Forms of address after a name (王女士, 张伟主任) and before a surname (老陈, 小王).
TITLES = ("先生", "女士", "小姐", "太太", "老师", "书记", "主任", "经理", "师傅", "阿姨", "大姐", "大哥", "局长",
          "科长", "处长", "所长", "站长", "村长", "镇长", "市长", "县长", "主席", "教授", "医生", "律师", "老板",
          "总", "老板娘", "同志", "警官", "会长", "社长", "校长", "院长", "厂长", "队长", "组长")
PREFIXES = ("老", "小", "阿")
NAMING = ("叫", "名叫", "姓名是", "名字是", "我是")
_SUFFIX_PLACE = ("市", "县", "镇", "村", "乡", "区", "省", "州")
ORG_SUFFIXES = ("公司", "集团", "协会", "商会", "中心", "银行", "大学", "学院", "医院", "工厂", "基金会", "事务所",
                "委员会", "研究所", "合作社", "居委会", "村委会", "街道办")
# Places and words jieba tags ns/nt that identify nobody.
GENERIC = frozenset("""
外国 国外 外地 本地 当地 老家 家乡 农村 城市 城里 城中村 乡下 东西 南方 北方 全国 中国 海外 市里 省里 社区 小区
街道 村里 地方 回国 出国 中东 内地 大陆 中央 东北 西北 西南 东南 华南 华北 西方 东方 亚洲 欧洲 非洲 美洲 世界 国内
中华 祖国 各地 全省 全市 本市 本省 外省 内陆 沿海 山区 城乡 两岸 港澳 中外 国际 政府 党委 人大 政协 居委会 村委会
""".split())
# What makes a jieba `ns` word a place: a place name's last character, or a place's context.
PLACE_ENDINGS = frozenset("州山江海川南北西东门京阳沙宁口城都庆津岛湾港圳莞乌沧源市县省区镇村乡亚国")
PLACE_BEFORE = frozenset({"在", "到", "去", "来", "从", "回", "住", "来自", "离开", "老家", "搬到", "位于", "于",
                          "住在"})
PLACE_AFTER = frozenset({"人", "市", "省", "县", "区", "话", "这边", "那边", "那里", "这里", "本地"})
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_TITLE_RE = "|".join(sorted(TITLES, key=len, reverse=True))
_SURNAME_RE = "|".join(COMPOUND_SURNAMES) + "|[" + "".join(sorted(SURNAMES)) + "]"
# 张伟主任, 王女士: a surname, up to two given-name characters, a title.
_WITH_TITLE = re.compile(rf"(?P<name>(?:{_SURNAME_RE})[{_HAN}]{{0,2}}?)(?P<title>{_TITLE_RE})")
# 老陈, 小王: a prefix and one surname.
_WITH_PREFIX = re.compile(rf"(?P<prefix>[老小阿])(?P<name>{_SURNAME_RE})")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_AFTER_NAME = frozenset("说讲问告跟和也都就是在来去的家")
_FUNCTION = frozenset("的地得了着过是在和与及或也都就还又再才只很太更最把被给让从向往对跟同比为以于而但却则即之其这那哪"
                      "谁啥么吗呢吧啊呀嘛哦嗯呃哈啦咯喔我你您他她它咱个些一不没有说到们来去要会能可上下中里外")


def _starts_with_surname(word: str) -> bool:
    return word[:2] in COMPOUND_SURNAMES or word[:1] in SURNAMES


def _plausible_given(chars: str) -> bool:
    return not (_FUNCTION & set(chars))


def propose(text: str) -> Counter[tuple[str, str]]:
    """(term, kind) -> how often, for one text."""
    found: Counter[tuple[str, str]] = Counter()
    for run in _HAN_RUN.finditer(text):
        if len(run.group()) >= 2:
            found.update(_in_run(run.group()))
    return found


def _in_run(run: str) -> Counter[tuple[str, str]]:
    from ...text.segment import quiet_jieba

    quiet_jieba()
    import jieba
    import jieba.posseg

    jieba.dt.check_initialized()
    tags = jieba.posseg.dt.word_tag_tab
    freq = jieba.dt.FREQ
    found: Counter[tuple[str, str]] = Counter()
    taken: list[tuple[int, int]] = []

    def add(term: str, kind: str, start: int, end: int) -> None:
        found[(term, kind)] += 1
        taken.append((start, end))

    for match in _WITH_TITLE.finditer(run):
        name, title = match.group("name"), match.group("title")
        start, end = match.start("name"), match.end("name")
        if not _plausible_given(name[1:]) or not stands_alone(run, start, match.end()):
            continue
        if len(name) == 1 or (name[:2] in COMPOUND_SURNAMES and len(name) == 2):
            add(name + title, "person", start, match.end())  # 王女士: the surname alone says too little
        elif freq.get(name, 0) == 0 or tags.get(name, "").startswith("nr"):
            add(name, "person", start, end)
    for match in _WITH_PREFIX.finditer(run):
        start, end = match.span()
        if any(a <= start < b for a, b in taken):
            continue
        # 小于, 老黄牛, 老高兴: the surname belongs to a word that goes on, so no name is here.
        # (老陈说: 陈说 is a word too, but a name before 说 is the commoner reading.)
        follows = run[end:end + 1]
        if freq.get(match.group(), 0) > 0 or not (follows in _AFTER_NAME or stands_alone(run, start, end)):
            continue
        add(match.group(), "person", start, end)
    words = jieba.lcut(run)  # with the HMM, which joins unknown names into one word
    at = 0
    spans = []
    for word in words:
        spans.append((word, at, at + len(word)))
        at += len(word)
    for i, (word, start, end) in enumerate(spans):
        if any(a < end and start < b for a, b in taken) or word in GENERIC:
            continue
        previous = spans[i - 1][0] if i else ""
        flag = tags.get(word)
        if (len(word) >= 3 and word.endswith(_SUFFIX_PLACE) and flag in (None, "nr", "ns", "nz")
                and _plausible_given(word[:-1])):
            add(word, "place", start, end)  # 白云区, 武侯区 (jieba's dictionary calls them names)
        elif flag is None and 2 <= len(word) <= 3 and _starts_with_surname(word) and _plausible_given(word[1:]):
            # A word the dictionary does not know, joined by the HMM, starting with a surname.
            if previous in NAMING or len(word) == 3 or _is_unknown_pair(word):
                add(word, "person", start, end)
        elif previous in NAMING and 2 <= len(word) <= 3 and _starts_with_surname(word) and flag != "nr":
            continue
        elif flag == "ns" and len(word) >= 2 and _treated_as_place(word, previous,
                                                                   spans[i + 1][0] if i + 1 < len(spans) else ""):
            add(word, "place", start, end)
        elif flag == "nt" and len(word) >= 2:
            add(word, "organisation", start, end)
    _organisations(spans, tags, found, taken)
    return found


def _treated_as_place(word: str, previous: str, following: str) -> bool:
    """jieba tags 太多, 长大 and 礼拜 `ns` too: a place needs a place's ending or a place's context."""
    return (word[-1] in PLACE_ENDINGS or previous in PLACE_BEFORE or previous[-1:] in PLACE_BEFORE
            or following[:1] in PLACE_AFTER or following in PLACE_AFTER)


def _is_unknown_pair(word: str) -> bool:
    """Two characters the dictionary knows only apart: a given name, not a compound word."""
    import jieba

    return all(jieba.dt.FREQ.get(ch, 0) > 0 for ch in word)


def _organisations(spans: list[tuple[str, int, int]], tags: dict[str, str], found: Counter, taken: list) -> None:
    """阳光社工服务中心: up to four nouns ending in an organisation word, as one organisation."""
    for i, (word, _start, end) in enumerate(spans):
        if not word.endswith(ORG_SUFFIXES) or word in GENERIC:
            continue
        first = i
        while (first > 0 and i - first < 4 and (tags.get(spans[first - 1][0]) or "n")[:1] in ("n", "j")
               and spans[first - 1][0] not in GENERIC and len(spans[first - 1][0]) >= 2):
            first -= 1
        if first < i or (len(word) >= 4 and word not in ORG_SUFFIXES):
            term = "".join(w for w, _, _ in spans[first:i + 1])
            if term not in GENERIC and not tags.get(term):  # 服务中心, 物流公司: dictionary words, no one's name
                found[(term, "organisation")] += 1
                taken.append((spans[first][1], end))
