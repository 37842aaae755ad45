"""Issue 19 (and 22): words of other languages, function characters, fillers and negations in word counts."""

from __future__ import annotations

import json

from click.testing import CliRunner

from workbench import words
from workbench.cli import cli
from workbench.imports import import_files
from workbench.store import Project

FRENCH = ("Interviewer: Pourquoi avez-vous quitté le quartier ?\n"
          "Répondant: Le loyer de notre appartement augmentait chaque année, et le propriétaire ne voulait "
          "rien réparer dans la cuisine. Nous avons cherché un autre logement près de la gare.\n"
          "Répondant: Les voisins étaient gentils, mais le loyer était trop cher pour une famille.\n")
ENGLISH = ("Interviewer: Why did you move?\n"
           "Respondent: I'm gonna be honest, the landlord kinda raised the rent again, you know.\n"
           "Respondent: We don't trust the landlord. We never trusted the agency either. Distrust everywhere.\n")
CHINESE = ("受访者：中介里说的时候，我们不信任他们，也没有信任过房东。在这个过程中，房租一直涨。\n"
           "受访者：嗯，那个，后来我们在城里找了别的房子，房东还算好。\n")


def _project(tmp_path) -> Project:
    project = Project.create(tmp_path / "study.qda")
    paths = []
    for name, text in (("fr.txt", FRENCH), ("en.txt", ENGLISH), ("zh.txt", CHINESE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    assert all(o.status == "imported" for o in import_files(project, paths, "tester"))
    return project


def test_a_french_document_never_appears_in_english_word_counts(tmp_path):
    project = _project(tmp_path)
    english = {r.term for r in words.frequencies(project, lang="en", top=None).rows}
    assert not {"loyer", "de", "le", "que", "propriétaire", "appartement"} & english
    french = {r.term: r.n for r in words.frequencies(project, lang="fr", top=None).rows}
    assert french["loyer"] == 2 and "le" not in french and "de" not in french  # French stop words out


def test_words_lang_accepts_any_language_present(tmp_path):
    project = _project(tmp_path)
    project.close()
    result = CliRunner().invoke(cli, ["words", str(tmp_path / "study.qda"), "--lang", "fr", "--json"])
    assert result.exit_code == 0, result.output
    assert {w["lang"] for w in json.loads(result.output)["words"]} == {"fr"}
    refused = CliRunner().invoke(cli, ["words", str(tmp_path / "study.qda"), "--lang", "de"])
    assert refused.exit_code != 0 and "fr" in refused.output


def test_function_characters_and_spoken_fillers_are_not_words(tmp_path):
    project = _project(tmp_path)
    counted = {r.term for r in words.frequencies(project, top=None).rows}
    assert not {"中", "时", "里", "嗯", "那个", "gon", "na", "gonna", "kinda"} & counted
    assert {"房租", "房东", "landlord", "rent"} <= counted


def test_a_negated_word_is_its_own_term_in_both_languages(tmp_path):
    project = _project(tmp_path)
    counted = {r.term: r.n for r in words.frequencies(project, top=None).rows}
    assert counted["不信任"] == 1 and counted["没有信任"] == 1 and "信任" not in counted
    assert counted["not trust"] == 2 and counted["distrust"] == 1 and "trust" not in counted


def test_the_person_extends_the_stop_list_per_project(tmp_path):
    project = _project(tmp_path)
    project.close()
    path = str(tmp_path / "study.qda")
    run = CliRunner().invoke
    assert run(cli, ["stopwords", path, "add", "landlords", "房东"]).exit_code == 0
    listed = json.loads(run(cli, ["stopwords", path, "list", "--json"]).output)["stopwords"]
    assert listed == ["landlord", "房东"]  # English as its lemma, the way it is counted
    counted = {w["term"] for w in json.loads(run(cli, ["words", path, "--json", "--top", "200"]).output)["words"]}
    assert not {"landlord", "房东"} & counted and "rent" in counted
    assert run(cli, ["stopwords", path, "remove", "landlord"]).exit_code == 0
    counted = {w["term"] for w in json.loads(run(cli, ["words", path, "--json", "--top", "200"]).output)["words"]}
    assert "landlord" in counted and "房东" not in counted


def test_japanese_without_its_tokenizer_is_left_out_with_a_note(tmp_path):
    from workbench.text import nlp

    if nlp.own_tokenizer("ja") is not None:
        import pytest

        pytest.skip("spaCy's Japanese tokenizer (sudachipy) is installed here: Japanese is counted")
    (tmp_path / "ja.txt").write_text("回答者：私たちは東京のアパートに住んでいます。家賃が高いです。\n"
                                     "回答者：工場の仕事はとても大変でした。\n", encoding="utf-8")
    (tmp_path / "zh.txt").write_text("受访者：房租太贵了，房东不修房子。\n", encoding="utf-8")
    project = Project.create(tmp_path / "p.qda")
    list(import_files(project, [tmp_path / "ja.txt", tmp_path / "zh.txt"], "tester"))
    table = words.frequencies(project, top=None)
    assert {r.lang for r in table.rows} == {"zh"} and "工場" not in {r.term for r in table.rows}
    assert any("ja" in note and "left out" in note for note in table.notes)
