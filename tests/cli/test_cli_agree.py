"""`agree` and `query --coded-by` on a team's project: figures, JSON shape, and one-line refusals."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.agreement import compute


@pytest.fixture
def team_project(tmp_path):
    from workbench.codebook.ops import add_code
    from workbench.imports import import_files
    from workbench.model import Code
    from workbench.store import Project

    (tmp_path / "P01.txt").write_text("访谈者：你信任居委会吗？\n受访者：我很信任居委会。We trust them.\n", encoding="utf-8")
    (tmp_path / "P02.txt").write_text("Interviewer: Do you trust the police?\nRespondent: 不太信任，警察不管我们。\n",
                                      encoding="utf-8")
    (tmp_path / "P03.txt").write_text("Interviewer: Who helps?\nRespondent: 老乡帮忙。\n", encoding="utf-8")
    path = tmp_path / "team.qda"
    with Project.create(path) as project:
        list(import_files(project, [tmp_path / "P01.txt", tmp_path / "P02.txt", tmp_path / "P03.txt"], "lead"))
        trust = add_code(project, Code(name="Trust", name_zh="信任"))
        add_code(project, Code(name="Distrust"), trust)
        add_code(project, Code(name="Networks"))
    return path


def _code(project, document, code, start, end, coder):
    from named import code_named

    code_named(project, document, code, start, end, coder)


def test_agree_on_a_project_and_its_json_shape(team_project):
    from workbench.cli import cli
    from workbench.store import Project

    with Project.open(team_project) as project:
        p1 = project.document(project.document_id("P01.txt")).text
        at = p1.index("我很信任")
        _code(project, "P01.txt", "Trust", at, at + 8, "ana")
        _code(project, "P01.txt", "Trust", at + 2, at + 8, "ben")
        p2 = project.document(project.document_id("P02.txt")).text
        at2 = p2.index("不太信任")
        _code(project, "P02.txt", "Trust/Distrust", at2, at2 + 4, "ana")
        _code(project, "P02.txt", "Trust/Distrust", at2, at2 + 4, "ben")
        _code(project, "P03.txt", "Networks", 0, 5, "ana")  # a document only ana touched
        result = compute(project, ["ana", "ben"])
        assert result.documents == (project.document_id("P01.txt"), project.document_id("P02.txt"))
    out = CliRunner().invoke(cli, ["agree", str(team_project), "--coders", "ana,ben", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["coders"] == ["ana", "ben"] and data["documents"] == 2
    assert [c["code"] for c in data["codes"]] == ["Trust", "Trust/Distrust"]
    trust = data["codes"][0]
    assert set(trust) >= {"code", "percent", "kappa", "alpha", "chars_a", "chars_b"}
    assert (trust["chars_a"], trust["chars_b"]) == (8, 6)
    assert data["codes"][1]["kappa"] == 1.0
    assert data["overall"]["kappa"] is not None
    assert data["disagreements"][0]["text"] == "我很"
    text = CliRunner().invoke(cli, ["agree", str(team_project), "--coders", "ana,ben", "--level", "segment",
                                    "--unit", "turn"])
    assert text.exit_code == 0, text.output
    assert "Trust/Distrust" in text.output and "kappa" in text.output
    bad = CliRunner().invoke(cli, ["agree", str(team_project), "--coders", "ana,zoe"])
    assert bad.exit_code != 0 and "zoe" in bad.output and len(bad.output.strip().splitlines()) == 1


def test_query_by_coder(team_project):
    from workbench.cli import cli
    from workbench.store import Project

    with Project.open(team_project) as project:
        p1 = project.document(project.document_id("P01.txt")).text
        at = p1.index("我很信任")
        _code(project, "P01.txt", "Trust", at, at + 4, "ana")
        _code(project, "P01.txt", "Trust", at + 4, at + 6, "ben")
    runner = CliRunner()
    out = runner.invoke(cli, ["query", str(team_project), "Trust", "--coded-by", "ben", "--json"])
    assert out.exit_code == 0, out.output
    assert [s["text"] for s in json.loads(out.output)["segments"]] == ["居委"]
    both = json.loads(runner.invoke(cli, ["query", str(team_project), "Trust", "--json"]).output)
    assert [s["text"] for s in both["segments"]] == ["我很信任居委"]  # the two codings side by side
    bad = runner.invoke(cli, ["query", str(team_project), "Trust", "--coded-by", "zoe"])
    assert bad.exit_code != 0 and "zoe" in bad.output


def test_agree_three_coders_and_one_code(team_project):
    from workbench.cli import cli
    from workbench.store import Project

    with Project.open(team_project) as project:
        p2 = project.document(project.document_id("P02.txt")).text
        at = p2.index("不太信任")
        for coder, end in (("ana", 4), ("ben", 4), ("cai", 2)):
            _code(project, "P02.txt", "Trust/Distrust", at, at + end, coder)
        _code(project, "P02.txt", "Networks", 0, 5, "ana")
    runner = CliRunner()
    out = runner.invoke(cli, ["agree", str(team_project), "--coders", "ana,ben,cai", "--code", "信任", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [c["code"] for c in data["codes"]] == ["Trust", "Trust/Distrust"]  # --code: the code and its sub-codes
    distrust = data["codes"][1]
    assert distrust["chars"] == {"ana": 4, "ben": 4, "cai": 2}
    # Over the len(P02) characters: 2 all three, 2 two of three (ana, ben), the rest none.
    n = len(p2)
    p_bar = ((n - 2) * 1 + 2 * (1 / 3)) / n
    p_yes = (2 * 3 + 2 * 2) / (3 * n)
    expected = (p_bar - (p_yes ** 2 + (1 - p_yes) ** 2)) / (1 - (p_yes ** 2 + (1 - p_yes) ** 2))
    assert distrust["kappa"] == pytest.approx(expected, abs=1e-4)
    text = runner.invoke(cli, ["agree", str(team_project), "--coders", "ana,ben,cai"])
    assert "Fleiss" in text.output and "only ana, ben" in text.output
