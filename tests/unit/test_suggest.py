"""Suggestions: keywords, learned models, provenance, decisions and the evaluation, on bilingual text."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.codebook.ops import resolve
from workbench.model import SuggestionDraft, WorkbenchError
from workbench.store import Project
from workbench.suggest import engine
from workbench.suggest.evaluate import evaluate
from workbench.suggest.units import document_units


def test_a_chinese_turn_about_distrust_of_the_rc_gets_a_trust_suggestion(study):
    with Project.open(study) as project:
        report = engine.run(project, [project.document_id("Z01.txt")], ["keyword"], "lin")
        found = project.open_suggestions(document_id=project.document_id("Z01.txt"))
        distrust = resolve(project, "Trust/Distrust")
        trust_codes = {distrust, resolve(project, "Trust")}
        zh = [s for s in found if "不信任居委会" in s.text]
        assert zh and {s.code_id for s in zh} <= trust_codes | {s.code_id for s in zh}
        assert distrust in {s.code_id for s in zh}
        # 不信 (Distrust) wins over the overlapping 信任 (Trust): one code, not both
        assert resolve(project, "Trust") not in {s.code_id for s in zh}
        assert report.runs["keyword"] > 0


def test_residents_committee_organising_volunteers_gets_co_production(study):
    with Project.open(study) as project:
        doc = project.document_id("Z01.txt")
        engine.run(project, [doc], ["keyword"], "lin")
        codes = {s.code_id for s in project.open_suggestions(document_id=doc) if "patrol" in s.text}
        co_production = {resolve(project, "Co-production")} | {
            resolve(project, f"Co-production/{name}") for name in ("Volunteering", "State-initiated co-production")}
        assert codes & co_production
        assert resolve(project, "Co-production/Volunteering") in codes  # "volunteers" by its lemma


def test_a_learned_code_proposes_an_unseen_paraphrase(study):
    with Project.open(study) as project:
        doc = project.document_id("B01.txt")
        report = engine.run(project, [doc], ["learned"], "lin")
        queue, food = resolve(project, "Queue"), resolve(project, "Food")
        found = project.open_suggestions(document_id=doc, method="learned")
        assert report.needs.get(queue) is None  # enough examples: it learned
        paraphrase = [s for s in found if s.code_id == queue and "queued again" in s.text]
        assert paraphrase and paraphrase[0].score > 0.5
        # an unrelated sentence is not proposed for Queue, and scores lower than the paraphrase
        assert not any(s.code_id == queue and "Spicy" in s.text for s in found)
        trained = engine.train(engine.load_corpus(project), ["learned"])
        scores = trained.learned.predict(["Spicy food from home is the thing I miss.",
                                          "The line at the entry-exit office moved so slowly that we queued again."])
        assert scores[queue][0] < scores[queue][1] - 0.2
        assert not any(s.code_id == food and "queued" in s.text for s in found)
        run = project.suggestion_run(found[0].run_id)
        assert run["method"] == "learned" and run["seed"] == 13 and len(run["training_hash"]) == 64


def test_a_code_with_two_examples_says_it_needs_more(study):
    with Project.open(study) as project:
        trust = resolve(project, "Trust/Interpersonal trust")
        doc = project.document_id("Z01.txt")
        text = project.document(doc).text
        project.add_coding(doc, trust, 0, 10, "lin")
        project.add_coding(doc, trust, text.index("The residents"), len(text) - 1, "lin")
        report = engine.run(project, [doc], ["learned"], "lin")
        assert report.examples[trust] == 2 and report.needs[trust] == 3
    result = CliRunner().invoke(cli, ["suggest", str(study), "Z01.txt", "--method", "learned"])
    assert result.exit_code == 0, result.output
    assert "Trust/Interpersonal trust (needs 3 more examples)" in result.output


def test_rejected_suggestions_stay_gone_even_after_the_code_is_deleted(study):
    with Project.open(study) as project:
        doc = project.document_id("Z01.txt")
        engine.run(project, [doc], ["keyword"], "lin")
        victim = next(s for s in project.open_suggestions(document_id=doc) if "不信任" in s.text)
        engine.reject(project, victim.id, "sara")
        engine.run(project, [doc], ["keyword"], "lin")
        again = [(s.code_id, s.start, s.end) for s in project.open_suggestions(document_id=doc)]
        assert (victim.code_id, victim.start, victim.end) not in again
        # the theme engine's door: the same draft is refused too
        run = project.add_suggestion_run("theme", model="kmeans", parameters={"k": 3}, seed=1, coder="lin")
        draft = SuggestionDraft(doc, victim.code_id, victim.start, victim.end, 0.9, "theme")
        assert project.add_suggestions(run, [draft, draft]) == 0
        # deleting the code keeps the rejection (code id gone, guid kept)
        with project.transaction():
            project.conn.execute("DELETE FROM codes WHERE id = ?", [victim.code_id])
        kept = project.suggestion(victim.id)
        assert kept.status == "rejected" and kept.code_id is None and kept.code_guid == victim.code_guid
        assert kept.decided_by == "sara"


def test_accepting_makes_a_coding_with_origin_suggestion_and_provenance(study):
    with Project.open(study) as project:
        doc = project.document_id("Z01.txt")
        engine.run(project, [doc], ["keyword"], "lin")
        chosen = project.open_suggestions(document_id=doc)[0]
        coding_id = engine.accept(project, chosen.id, "sara")
        coding = project.coding(coding_id)
        accepted = project.suggestion(chosen.id)
        assert coding.origin == "suggestion" and coding.coder == "sara"
        assert (coding.document_id, coding.code_id, coding.start, coding.end) == (doc, chosen.code_id, chosen.start, chosen.end)
        assert accepted.status == "accepted" and accepted.coding_id == coding_id
        assert project.suggestion_run(accepted.run_id)["method"] == "keyword"
        assert [e.action for e in project.events(5)][:2] == ["suggest accept", "code apply"]
        with pytest.raises(WorkbenchError, match="already accepted"):
            engine.accept(project, chosen.id, "sara")
        # already coded with that code: not proposed again
        engine.run(project, [doc], ["keyword"], "lin")
        assert chosen.id not in [s.id for s in project.open_suggestions(document_id=doc)]


def test_a_new_run_keeps_the_ids_of_proposals_made_again(study):
    with Project.open(study) as project:
        doc = project.document_id("Z01.txt")
        engine.run(project, [doc], ["keyword"], "lin")
        first = [s.id for s in project.open_suggestions(document_id=doc)]
        engine.run(project, [doc], ["keyword"], "lin")
        assert [s.id for s in project.open_suggestions(document_id=doc)] == first


def test_sentences_stay_inside_turns():
    text = "Interviewer: 你觉得呢？\nRespondent: 我不信任他们。The RC never listens. 嗯。\n"
    units = document_units(1, text, [(0, 22, "Interviewer"), (23, len(text), "Respondent")])
    assert [u.text for u in units] == ["你觉得呢？", "我不信任他们。", "The RC never listens."]
    assert [u.turn for u in units] == [0, 1, 1]
    # without a recorded speaker, a colon early in a turn is content, not a label
    assert document_units(1, "The point is this: trust.", [(0, 25, None)])[0].text == "The point is this: trust."


def _digest(path) -> str:
    with sqlite3.connect(path) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


def test_evaluation_on_a_fixed_split_gives_fixed_figures_and_writes_nothing(study):
    with Project.open(study) as project:
        corpus = engine.load_corpus(project)
        from workbench.codebook.ops import paths_by_id

        paths = paths_by_id(project)
        before = _digest(study)
        first = evaluate(corpus, paths, folds=3).as_dict()
        second = evaluate(corpus, paths, folds=3).as_dict()
        assert _digest(study) == before
    assert first == second
    assert first["folds"] == 3 and first["documents"] == 3
    queue = next(c for c in first["codes"] if c["code"] == "Queue")
    assert queue["examples"] == 6 and queue["held_out_positives"] == 6
    learned = queue["methods"]["learned"]
    assert (learned["tp"], learned["fp"], learned["fn"]) == (learned["tp"], learned["fp"], 6 - learned["tp"])
    assert first["summary"]["keyword"]["micro"]["tp"] == 0  # these codes have no keywords
    result = CliRunner().invoke(cli, ["suggest", str(study), "--evaluate", "--folds", "3", "--json"])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.output)["summary"]  # with the encoder installed it adds its own rows
    assert {name: from_cli[name] for name in first["summary"]} == first["summary"]
    assert _digest(study) == before


def test_with_the_encoder_a_code_taught_in_english_proposes_a_chinese_sentence(study):
    from workbench.suggest import encoder

    if not encoder.available():
        pytest.skip("the sentence encoder is not installed")
    with Project.open(study) as project:
        corpus = engine.load_corpus(project)
        queue = resolve(project, "Queue")
        # teach Queue with its English examples only
        english_only = [c for c in corpus.codings if c.code_id != queue or not any(
            "\u4e00" <= ch <= "\u9fff" for ch in corpus.texts[c.document_id][c.start:c.end])]
        taught = engine.Corpus(corpus.texts, corpus.units, english_only, corpus.codes)
        embed = encoder.project_embedder(project)
        trained = engine.train(taught, ["encoder"], embed=embed)
        units = [engine.Unit(1, 0, 20, "在出入境窗口排了一整天的队，第二天还得再去排。", 0),
                 engine.Unit(1, 21, 40, "我妈妈做的饺子最好吃。", 0)]
        proposed = {(p.unit, p.code_id) for p in engine.propose(trained, units, ["encoder"], embed=embed)}
        assert (0, queue) in proposed and (1, queue) not in proposed
        cached = project.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        assert cached > 0  # computed once, kept in the project
