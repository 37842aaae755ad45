"""Issue 22: newspaper text gets no speakers from caption and column labels; talk keeps them."""

from __future__ import annotations

from workbench.importers.turns import parse_turns

PROSE = ("本报北京1月5日讯 国务院今天召开常务会议，研究部署进一步做好春节期间市场供应和物价稳定工作，"
         "会议指出，各地区各部门要加强组织领导，确保群众过好节日。")
NEWSPAPER = "\n".join([
    PROSE, "照片：新华社记者摄", PROSE, PROSE, "点评：这是一个好做法", PROSE, "照片：群众在市场选购年货",
    PROSE, "同志：请注意安全", PROSE, PROSE, "点评：值得推广", PROSE, "同志：大家辛苦了", PROSE,
    "照片：本报记者摄", PROSE,
]) + "\n"


def test_caption_and_column_labels_in_newspaper_text_are_not_speakers():
    turns = parse_turns(NEWSPAPER)
    assert {t.speaker for t in turns} == {None}
    assert len(turns) == len([line for line in NEWSPAPER.splitlines() if line.strip()])  # paragraphs are turns


def test_named_speakers_who_take_turns_stay_speakers():
    talk = "".join(f"黄女士：{PROSE}\n王先生：我同意，{PROSE}\n" for _ in range(4))
    speakers = [t.speaker for t in parse_turns(talk)]
    assert speakers[:4] == ["黄女士", "王先生", "黄女士", "王先生"] and len(speakers) == 8
