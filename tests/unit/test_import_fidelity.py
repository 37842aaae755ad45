"""Import fidelity on text shaped like real transcripts: numbered labels, prose, print layout, encodings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from workbench.importers import read_file
from workbench.importers.layout import unprint
from workbench.importers.turns import MAX_TURN_CHARS, parse_turns
from workbench.model import WorkbenchError


def speakers(text: str, **options) -> list[tuple[str | None, str]]:
    return [(t.speaker, text[t.start:t.end]) for t in parse_turns(text, **options)]


QUESTIONS = [
    "How did you first come to Yiwu?", "Who helped you find a room?", "Do you trust the committee?",
    "What about your children's school?", "你们老乡之间怎么联系？", "And the hukou, did it matter?",
]
ANSWERS = [
    "By train, in 2015. My cousin was already here and he had a stall in the market.",
    "A fellow villager, a 老乡, introduced me to an agent. We trusted him.",
    "Not at first. They came to check our papers and we did not know why.",
    "That was hard. Without a local hukou the public school would not take her.",
    "我们有一个微信群，有什么事情大家都在群里说。",
    "Yes, for the school, for the hospital, for everything really.",
]


def numbered_interview(rounds: int) -> str:
    """An interview with two numbered interviewers, as transcription services write it."""
    lines = []
    for number in range(rounds):
        who = "Interviewer 1" if number % 3 else "Interviewer 2"
        lines.append(f"{who}: {QUESTIONS[number % len(QUESTIONS)]}")
        lines.append(f"Interviewee: {ANSWERS[number % len(ANSWERS)]}")
        if number % 2:  # a second answer turn after a short back-channel
            lines.append("Interviewer 1: Mm-hm.")
            lines.append(f"Interviewee: {ANSWERS[(number + 1) % len(ANSWERS)]}")
    return "\n".join(lines) + "\n"


def test_numbered_interviewers_are_speakers_and_questions_are_not_glued_to_answers():
    text = numbered_interview(44)
    turns = parse_turns(text)
    counts = Counter(t.speaker for t in turns)
    assert counts == {"Interviewee": 66, "Interviewer 1": 51, "Interviewer 2": 15}
    assert text.count("\nInterviewee:") + text.startswith("Interviewee:") == counts["Interviewee"]
    for turn in turns:
        body = text[turn.start:turn.end]
        assert "Interviewer" not in body and "Interviewee" not in body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Speaker 1: Where do you live?\nSpeaker 2: Near the market.\nSpeaker 1: Since when?\nSpeaker 2: 2015.",
         ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]),
        ("Interviewer: Hello.\nParticipant 3: Hi.\nInterviewer: Your city?\nParticipant 3: Yiwu.",
         ["Interviewer", "Participant 3", "Interviewer", "Participant 3"]),
        ("Interviewer1 : How long?\nInterviewee : Ten years.\nInterviewer1 : Why?\nInterviewee : Work.",
         ["Interviewer1", "Interviewee", "Interviewer1", "Interviewee"]),
        ("INTERVIEWER: How long?\nRESPONDENT: Ten years.\nINTERVIEWER: Why here?\nRESPONDENT: Family.",
         ["INTERVIEWER", "RESPONDENT", "INTERVIEWER", "RESPONDENT"]),
        ("[00:12:31] Speaker 2: We came in June.\n[00:12:45] Speaker 1: Why June?\n"
         "[00:12:50] Speaker 2: The school year.", ["Speaker 2", "Speaker 1", "Speaker 2"]),
        ("访谈员1：你来义乌多久了？\n受访者A：十几年了。\n访谈员1：为什么来？\n受访者A：老乡介绍的。",
         ["访谈员1", "受访者A", "访谈员1", "受访者A"]),
        ("Moderator: Welcome.\nPerson A: Thanks.\nPerson B: Hello.\nPerson A: We trust the committee.",
         ["Moderator", "Person A", "Person B", "Person A"]),
    ],
    ids=["Speaker N", "Participant N", "space-before-colon", "upper-case", "timestamped", "受访者A/访谈员1", "Person A"],
)
def test_every_recurring_label_form_is_a_speaker(text, expected):
    assert [speaker for speaker, _ in speakers(text)] == expected


def newspaper(articles: int) -> str:
    """One article per line, as a Chinese newspaper corpus comes: quotations with 说：, captions."""
    templates = [
        "本报讯 记者从市政府获悉，今年全市外来务工人员超过十万人。王鹏说：这是一个好消息。",
        "鹏说：我们在义乌做生意已经十年了，老乡之间互相帮助。他表示，社区居委会也帮了很多忙。",
        "说：这件事情要慢慢来。市场管理部门负责人在会上这样回答记者的提问，并介绍了新政策。",
        "为：进一步做好流动人口服务管理工作，街道成立了专门的服务中心，提供办证、就业等服务。",
        "一：加强社区服务。二：完善积分入学制度。三：推进居住证制度改革，让更多人享受公共服务。",
        "照片：义乌国际商贸城一角。本报记者 张三 摄。商贸城每天接待来自世界各地的采购商数万人次。",
        "据了解，今年以来，全市共办理居住证三万余张，比去年同期增长百分之二十，的话：群众满意度明显提高。",
    ]
    return "\n".join(templates[n % len(templates)] * (1 + n % 3) for n in range(articles))


def test_newspaper_prose_gets_no_fake_speakers():
    text = newspaper(140)
    turns = parse_turns(text)
    assert {t.speaker for t in turns} == {None}
    assert len(turns) == 140  # one turn per article line


def test_text_without_labels_is_cut_into_sentence_groups_of_bounded_length():
    sentence = "我们在义乌做生意已经十年了，老乡之间互相帮助，社区居委会也帮了很多忙。"
    text = "导语\n\n" + sentence * 3000 + "\n\nThe end of the corpus."  # one 108,000-character paragraph
    turns = parse_turns(text)
    assert max(t.end - t.start for t in turns) <= MAX_TURN_CHARS
    assert len(turns) > 50
    for turn in turns[1:-1]:  # every group starts at a sentence and ends at its full stop
        assert text[turn.end - 1] == "。" and text[turn.start] == "我"
    assert text[turns[-1].start:turns[-1].end] == "The end of the corpus."


def test_a_long_labelled_answer_keeps_its_speaker_in_every_piece():
    answer = "We trusted the committee because they helped with the school. " * 100
    text = f"Interviewer 1: Why?\nInterviewee: {answer}\nInterviewer 1: Thanks."
    turns = parse_turns(text)
    assert [t.speaker for t in turns][:2] == ["Interviewer 1", "Interviewee"]
    pieces = [t for t in turns if t.speaker == "Interviewee"]
    assert len(pieces) >= 3 and all(t.end - t.start <= MAX_TURN_CHARS for t in pieces)
    assert text[pieces[0].start:pieces[-1].end] == answer.strip()


# -------------------------------------------------------------------------- PDF
PAGES = [
    [("Interviewer 1", False),
     ("How did you first come to Yiwu, and what did you do in the first", True),
     ("year after you arrived?", False),
     ("interviewee", False),
     ("We came by train in 2015. My cousin had a stall in the market and he", True),
     ("needed someone to help him with the accounts, so I stayed with him and", True),
     ("learned the trade.", False)],
    [("Interviewer 1", False),
     ("Did you trust the neighbourhood committee at that time, or did you", True),
     ("keep away from them?", False),
     ("interviewee", False),
     ("Not at first. They came to check our papers and we did not know why", True),
     ("they wanted them. Later a woman from the committee helped my", True),
     ("daughter get into the school.", False)],
    [("Interviewer 2", False),
     ("And your laoxiang, the people from your village?", False),
     ("interviewee", False),
     ("We have a WeChat group. Whatever happens, everybody says it in the", True),
     ("group first, and then we decide what to do together.", False)],
]


def make_printed_pdf(path: Path) -> Path:
    """A transcript printed from a web tool: date header, URL and page footer on every page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        for number, lines in enumerate(PAGES, start=1):
            figure = plt.figure(figsize=(8.5, 11))
            figure.text(0.05, 0.97, "6/4/23, 5:43 PM      Interview 7 - Yiwu traders - Transcript", fontsize=8)
            for row, (line, _) in enumerate(lines):
                figure.text(0.08, 0.9 - row * 0.03, line, fontsize=10)
            figure.text(0.05, 0.02, f"https://transcribe.example.org/t/8841/print      {number}/{len(PAGES)}", fontsize=8)
            pdf.savefig(figure)
            plt.close(figure)
    return path


def test_printed_pdf_loses_its_furniture_and_finds_its_speakers(tmp_path):
    (document,) = read_file(make_printed_pdf(tmp_path / "interview-7.pdf"))
    text = document.text
    assert "5:43 PM" not in text and "https://" not in text and "/3" not in text
    turns = [(t.speaker, text[t.start:t.end]) for t in document.turns]
    assert [speaker for speaker, _ in turns] == [
        "Interviewer 1", "interviewee", "Interviewer 1", "interviewee", "Interviewer 2", "interviewee"]
    assert turns[0][1] == "How did you first come to Yiwu, and what did you do in the first year after you arrived?"
    assert turns[3][1].startswith("Not at first. They came to check our papers and we did not know why they")
    assert "\n" not in turns[1][1]  # printed lines joined back into one paragraph


def test_unprint_joins_chinese_lines_without_spaces_and_drops_page_numbers():
    pages = [
        "访谈记录（第一次）\n受访者\n我们是二零一五年来义乌的，那时候我表哥在市场里有\n一个摊位，他需要有人帮他记账，所以我就留下来了，\n跟他学做生意。\n第 1 页",
        "访谈记录（第一次）\n访谈员\n你们信任居委会吗？\n受访者\n一开始不信任，他们来查我们的证件，我们也不知道为\n什么。后来居委会的一个阿姨帮我女儿进了学校，我们\n才慢慢信任他们。\n第 2 页",
    ]
    text = unprint(pages)
    assert "第 1 页" not in text and "访谈记录" not in text
    assert "在市场里有一个摊位" in text and "我们也不知道为什么。后来" in text and "我们才慢慢信任他们。" in text
    assert [t.speaker for t in parse_turns(text, headings=True)] == ["受访者", "访谈员", "受访者"]


# --------------------------------------------------------------------- encodings
LATIN1_TEXT = (
    "Interviewer: Vous êtes arrivée quand à Paris ?\n"
    "Respondent: En 2015. Le café crème et la pâtisserie, c'était ma vie, très naïve à l'époque.\n"
)


def test_a_latin1_file_is_read_as_western_with_a_warning_naming_the_encoding(tmp_path):
    path = tmp_path / "entretien.txt"
    path.write_bytes(LATIN1_TEXT.encode("latin-1"))
    (document,) = read_file(path)
    assert "crème" in document.text and "naïve" in document.text and "crčme" not in document.text
    assert document.warning and document.encoding in document.warning and "--encoding" in document.warning


def test_a_forced_encoding_is_used_and_a_utf8_file_has_no_warning(tmp_path):
    path = tmp_path / "entretien.txt"
    path.write_bytes(LATIN1_TEXT.encode("latin-1"))
    (forced,) = read_file(path, encoding="cp1250")
    assert "crčme" in forced.text and forced.encoding == "cp1250" and forced.warning is None
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(LATIN1_TEXT, encoding="utf-8")
    assert read_file(utf8)[0].warning is None


def test_a_bad_forced_encoding_names_the_file(tmp_path):
    path = tmp_path / "entretien.txt"
    path.write_bytes("受访者：你好".encode("gb18030"))
    with pytest.raises(WorkbenchError, match=r"entretien\.txt: unknown encoding 'klingon'"):
        read_file(path, encoding="klingon")
    with pytest.raises(WorkbenchError, match=r"entretien\.txt: not valid utf-8 at byte"):
        read_file(path, encoding="utf-8")
