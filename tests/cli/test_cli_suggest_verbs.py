"""`suggest` sub-verbs, several ids per decision, and the evaluation's baselines in --json."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.imports import import_files
from workbench.model import Code
from workbench.store import Project

QUEUE = ["I waited in the queue at the hukou office for four hours.", "We stood in line at the bureau all morning.",
         "The queue at the insurance counter was so long that I went home.", "排队排了一上午，窗口中午就关了。"]
FOOD = ["My mother cooks dumplings for the whole street.", "On Sundays we eat noodles at the restaurant.",
        "The canteen serves rice and two dishes for eight yuan.", "我们老家的菜很辣，这边的菜太甜了。"]
OTHER = ["I came to the city in 2009 with my cousin.", "The rent went up again this year.",
         "Most of my customers come from Dubai.", "The weather in summer is hot."]


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "study.qda"
    for number in range(4):
        lines = [QUEUE[number], FOOD[number], OTHER[number]]
        body = "\n\n".join(f"Interviewer: And then?\n\nRespondent: {line}" for line in lines)
        (tmp_path / f"A{number}.txt").write_text(body + "\n", encoding="utf-8")
    with Project.create(path) as opened:
        queue = opened.add_code(Code(name="Queue"), None)
        food = opened.add_code(Code(name="Food"), None)
        list(import_files(opened, sorted(tmp_path.glob("A*.txt")), coder="lin"))
        with opened.transaction():
            for number in range(4):
                doc = opened.document_id(f"A{number}.txt")
                text = opened.document(doc).text
                for line, code in ((QUEUE[number], queue), (FOOD[number], food)):
                    at = text.index(line)
                    opened.add_coding(doc, code, at, at + len(line), "lin")
    return path


def test_evaluate_json_holds_the_baselines_and_ranking_figures(project):
    result = CliRunner().invoke(cli, ["suggest", "evaluate", str(project), "--folds", "2", "--json"])
    assert result.exit_code == 0, result.output
    ranking = json.loads(result.output)["ranking"]
    assert set(ranking["baselines"]) == {"prior", "logreg"}
    for figures in ranking["methods"].values():
        assert {"recall@1", "recall@3", "mrr", "sentence"} <= set(figures)
    assert "prior" in ranking["methods"] and "nearest" in ranking["methods"]
    assert 0 < ranking["methods"]["nearest"]["threshold"] < 1  # calibrated on held-out documents, not a fixed 0.5
    assert ranking["verdicts"]
    # the old flag says the same
    again = CliRunner().invoke(cli, ["suggest", str(project), "--evaluate", "--folds", "2", "--json"])
    assert json.loads(again.output)["ranking"]["methods"].keys() == ranking["methods"].keys()


def test_run_ranks_top_codes_and_decisions_take_several_ids(project):
    runner = CliRunner()
    listed = runner.invoke(cli, ["suggest", "run", str(project), "--method", "nearest", "--top", "2", "--json"])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)
    assert items and all(item["method"] == "nearest" for item in items)
    per_unit: dict = {}
    for item in items:
        per_unit.setdefault((item["document"], item["start"]), []).append(item["score"])
    assert max(len(scores) for scores in per_unit.values()) <= 2
    assert all(scores == sorted(scores, reverse=True) for scores in per_unit.values())  # best first
    assert not any("And then?" in item["text"] for item in items)  # participants' turns only
    ids = [str(item["id"]) for item in items[:4]]
    # the old form with several ids after --accept: ids, not documents (issue 22)
    decided = runner.invoke(cli, ["suggest", str(project), "--accept", ids[0], ids[1], "--coder", "sara", "--json"])
    assert decided.exit_code == 0, decided.output
    assert [a["suggestion"] for a in json.loads(decided.output)["accepted"]] == [int(ids[0]), int(ids[1])]
    rejected = runner.invoke(cli, ["suggest", "reject", str(project), ids[2], ids[3], "--json"])
    assert json.loads(rejected.output)["rejected"] == [int(ids[2]), int(ids[3])]
    stored = runner.invoke(cli, ["suggest", "list", str(project), "--json"])
    assert not {int(i) for i in ids} & {item["id"] for item in json.loads(stored.output)}
    bad = runner.invoke(cli, ["suggest", "accept", str(project), "12x"])
    assert bad.exit_code != 0 and "not a suggestion id" in bad.output
