"""A small bilingual project (an English survey interview, a Chinese trader's), built as a user
would with the CLI: the search-syntax and first-steps tests' fixture."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import Project

EN = (
    "Interviewer 1: What do you think about data quality in the survey?\n"
    "Interviewee: Data quality was poor. Nobody trusted the numbers, and the quality of the data "
    "collection was a joke.\n"
    "Interviewer 2: Was there bias in who answered?\n"
    "Interviewee: Bias, yes, and fairness too. The committee is trustworthy, I think, but the "
    "brokers are not. I distrust the brokers.\n"
    "Interviewer 1: And fairness in the school places?\n"
    "Interviewee: Fairness is the word they use. We trust our own people.\n"
)


ZH = (
    "访谈员1：你怎么看美国经济？\n"
    "受访者A：美国经济这几年不太好，我们做外贸的都感觉到了。经济美国那边的客户也少了。\n"
    "访谈员1：你信任居委会吗？\n"
    "受访者A：我姓陈，嗯，做外贸代理差不多十二年了。居委会的人我信任，中介我不信任。\n"
    "访谈员1：老乡呢？\n"
    "受访者A：老乡之间互相信任，有事都在微信群里说。\n"
)


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def survey_project(tmp_path: Path) -> Path:
    (tmp_path / "en-survey.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "zh-trader.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "participants.csv").write_text("id,document,city\nP1,en-survey.txt,Yiwu\nP2,zh-trader.txt,Xiamen\n",
                                               encoding="utf-8")
    path = tmp_path / "p.qda"
    run("init", path)
    run("import", path, tmp_path / "en-survey.txt", tmp_path / "zh-trader.txt",
        "--participants", tmp_path / "participants.csv")
    run("codebook", "add", path, "Trust/Distrust", "--zh", "不信任")
    with Project.open(path) as opened:
        from workbench.codebook.ops import resolve, update_code

        update_code(opened, resolve(opened, "Trust"), name_zh="信任")
    return path
