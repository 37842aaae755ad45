"""The export tests' project: a codebook for papers, English, Chinese and timed transcripts, cases,
codings by two coders, a translation and a memo (built per test by `papers_project`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from named import code_named

from workbench.codebook import parse_codebook
from workbench.codebook.ops import install
from workbench.export.translations import set_translation
from workbench.imports import import_files, link_participants
from workbench.store import Project

CODEBOOK = """\
name: Papers
codes:
  - name: Trust
    name_zh: 信任
    definition: Confidence in people or institutions.
    include: Statements of relying on someone.
    exclude: Mere politeness.
    examples: ["I trust the committee now."]
    children:
      - name: Distrust
        name_zh: 不信任
        definition: Expressed doubt about someone's reliability.
  - name: Networks
    name_zh: 网络
    definition: Help found through acquaintances.
"""


EN = ("Interviewer: How did you start the business here?\n"
      "Respondent: My name is Huang Meiling. When I came to Yiwu I knew nobody. Mr Okafor helped me, "
      "and later the Yiwu Traders Association gave us a stall.\n"
      "Interviewer: And the committee?\n"
      "Respondent: =SUM(A1) is what my accountant types. I trust the committee now.\n")


ZH = ("采访者：您在这边工作多久了？\n"
      "受访者：我叫何静，来广州十年了。我们跟阳光社工服务中心合作，张伟主任帮了很多忙。\n"
      "采访者：您信任居委会吗？\n"
      "受访者：说实话，我不太相信他们，{这} & 那 $100 #1 50% 都是问题。\n")


VTT = ("WEBVTT\n\n00:12:31.000 --> 00:12:40.000\n<v Liu>I moved to Dongguan for the factory.\n\n"
       "00:12:41.000 --> 00:12:50.000\n<v Interviewer>And your hukou?\n")


PEOPLE = ("id,name,city,role,document\n"
          "P07,Huang Meiling,Yiwu,trader,P07-en.txt\n"
          "P08,何静,Guangzhou,social worker,P08-zh.txt\n"
          "P05,Liu Fang,Dongguan,migrant worker,P05-timed.vtt\n")


def code(project: Project, document: str, text: str, name: str, quote: str, coder: str) -> int:
    start = text.index(quote)
    return code_named(project, document, name, start, start + len(quote), coder)


def papers_project(tmp_path: Path) -> Iterator[Project]:
    """Build the project in `tmp_path` and yield it open; a fixture yields from this."""
    (tmp_path / "P07-en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "P08-zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "P05-timed.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    with Project.create(tmp_path / "p.qda") as opened:
        install(opened, parse_codebook(CODEBOOK, "papers.yaml"))
        paths = [tmp_path / n for n in ("P07-en.txt", "P08-zh.txt", "P05-timed.vtt")]
        assert all(o.status == "imported" for o in import_files(opened, paths))
        link_participants(opened, tmp_path / "people.csv")
        en = opened.document(opened.document_id("P07-en.txt")).text
        zh = opened.document(opened.document_id("P08-zh.txt")).text
        timed = opened.document(opened.document_id("P05-timed.vtt")).text
        ids = {
            "trust_en": code(opened, "P07-en.txt", en, "Trust", "I trust the committee now.", "lin"),
            "trust_en_sara": code(opened, "P07-en.txt", en, "Trust", "I trust the committee now.", "sara"),
            "formula": code(opened, "P07-en.txt", en, "Networks", "=SUM(A1) is what my accountant types.", "lin"),
            "names": code(opened, "P07-en.txt", en, "Networks",
                          "My name is Huang Meiling. When I came to Yiwu I knew nobody. Mr Okafor helped me, "
                          "and later the Yiwu Traders Association gave us a stall.", "lin"),
            "zh_names": code(opened, "P08-zh.txt", zh, "Networks",
                             "我叫何静，来广州十年了。我们跟阳光社工服务中心合作，张伟主任帮了很多忙。", "lin"),
            "distrust_zh": code(opened, "P08-zh.txt", zh, "Distrust",
                                "我不太相信他们，{这} & 那 $100 #1 50% 都是问题。", "sara"),
            "timed": code(opened, "P05-timed.vtt", timed, "Networks", "I moved to Dongguan for the factory.", "lin"),
        }
        set_translation(opened, ids["distrust_zh"], "I don't really believe them.", "en", "sara")
        opened.add_memo("coding", ids["trust_en"], "-contrast with distrust", "lin")
        opened.ids = ids
        yield opened
