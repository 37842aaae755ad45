"""Learned suggestions: one shared split, calibration, thresholds, reused features, pinned evaluation figures."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.suggest import engine, learned
from workbench.suggest.evaluate import evaluate

TEXTS = [
    "I waited in the queue at the hukou office for four hours.",  # 0 queue
    "排队排了一上午，窗口中午就关了。",  # 1 queue
    "We stood in line at the bureau all morning.",  # 2 queue
    "为了办居住证，我在派出所门口排了三个小时的队。",  # 3 queue
    "The queue at the social insurance counter was so long that I went home.",  # 4 queue
    "Every visit means another long queue at another window.",  # 5 queue
    "My mother cooks dumplings for the whole street.",
    "我们老家的菜很辣，这边的菜太甜了。",
    "On Sundays we eat noodles at the Lanzhou restaurant.",
    "她每天早上五点起来做包子。",
    "The canteen serves rice and two dishes for eight yuan.",
    "I came to the city in 2009 with my cousin.",
    "平时工作很忙，周末有时候去公园走走。",
    "The rent went up again this year.",
]
GROUPS = [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 1, 2]


def test_one_split_by_document_serves_every_code():
    groups = np.asarray(GROUPS)
    folds = learned.shared_folds(groups, 3)
    assert len(folds) == 3
    for train, test in folds:  # no document on both sides
        assert not set(groups[train].tolist()) & set(groups[test].tolist())
    assert sorted(np.concatenate([t for _, t in folds]).tolist()) == list(range(len(GROUPS)))


def test_a_code_with_two_examples_needs_three_more_and_gets_no_model():
    labels = [({7, 8} if i < 2 else {8}) if i < 6 else set() for i in range(len(TEXTS))]
    trained = learned.train(TEXTS, labels, GROUPS, [7, 8])
    assert trained.shortfalls[7] == learned.Shortfall(7, 2, 3)
    assert 7 not in trained.models and 8 in trained.models


def test_features_are_built_once_and_training_sentences_are_looked_up(monkeypatch):
    labels = [{1} if i < 6 else set() for i in range(len(TEXTS))]
    trained = learned.train(TEXTS, labels, GROUPS, [1], extra_texts=["We queued again at the entry-exit office."])
    calls = []
    original = trained.vectorizer.transform
    monkeypatch.setattr(trained.vectorizer, "transform", lambda texts: calls.append(list(texts)) or original(texts))
    seen = trained.predict(TEXTS[:3] + ["We queued again at the entry-exit office."])
    assert calls == []  # training sentences and the sentences to judge already have their rows
    fresh = trained.predict(["A sentence nobody has seen before about dumplings."])
    assert calls == [["A sentence nobody has seen before about dumplings."]]
    # a looked-up row scores exactly as a freshly computed one
    again = learned.Trained(trained.vectorizer, trained.models)
    assert np.allclose(again.predict(TEXTS[:3])[1], seen[1][:3])
    assert 0.0 <= float(fresh[1][0]) <= 1.0


def test_an_unseen_paraphrase_scores_above_unrelated_talk():
    labels = [{1} if i < 6 else set() for i in range(len(TEXTS))]
    trained = learned.train(TEXTS, labels, GROUPS, [1])
    paraphrase, unrelated = trained.predict(["排了三个小时的队，窗口还是关了。", "我妈妈做的饺子最好吃。"])[1]
    assert paraphrase > trained.models[1].threshold > unrelated


def test_platt_calibration_is_monotonic_and_fits_separable_scores():
    scores = np.array([-3.0, -2.0, -1.5, -1.0, -0.5, 0.2, 0.8, 1.5, 2.0, 3.0])
    labels = np.array([0, 0, 0, 0, 0, 1, 0, 1, 1, 1])
    slope, offset = learned._platt(scores, labels)
    probabilities = learned._sigmoid(slope * scores + offset)
    assert slope > 0 and np.all(np.diff(probabilities) > 0)
    assert probabilities[0] < 0.1 and probabilities[-1] > 0.8
    assert learned._platt(scores, np.zeros(10, dtype=int)) == (1.0, 0.0)


def test_the_threshold_keeps_at_least_half_of_a_codes_examples():
    # the F1 optimum takes the three top sentences (3 of 10 examples); the floor lowers the cut to find 5
    probabilities = np.linspace(0.99, 0.3, 60)
    labels = np.zeros(60, dtype=int)
    labels[[0, 1, 2, 50, 51, 52, 53, 54, 55, 56]] = 1
    plain = learned.best_threshold(probabilities, labels, 0.0)
    floored = learned.best_threshold(probabilities, labels, 0.5)
    assert int(((probabilities >= plain) & (labels == 1)).sum()) == 3
    assert floored < plain and int(((probabilities >= floored) & (labels == 1)).sum()) == 5


def test_evaluation_on_a_fixed_split_gives_these_figures(study):  # noqa: F811
    from workbench.codebook.ops import paths_by_id
    from workbench.store import Project

    with Project.open(study) as project:
        corpus = engine.load_corpus(project)
        paths = paths_by_id(project)
    result = evaluate(corpus, paths, folds=3).as_dict()
    queue = next(c for c in result["codes"] if c["code"] == "Queue")
    food = next(c for c in result["codes"] if c["code"] == "Food")
    figures = {name: (c["methods"]["learned"]["tp"], c["methods"]["learned"]["fp"], c["methods"]["learned"]["fn"])
               for name, c in (("Queue", queue), ("Food", food))}
    assert figures == PINNED
    assert result["summary"]["learned"]["micro"]["tp"] == sum(tp for tp, _, _ in PINNED.values())


# three interviews, 6 examples per code: trained on two, a code has ~4 examples, mostly below the
# minimum of 5, so the learned method rightly stays quiet on most held-out sentences
PINNED = {"Queue": (1, 0, 5), "Food": (0, 0, 6)}


@pytest.mark.parametrize("rule, expected", [("half", [set(), {5}]), ("any", [{5}, {5}])])
def test_a_sentence_is_positive_by_half_or_by_any_overlap(rule, expected):
    from workbench.model import Coding
    from workbench.suggest.units import Unit, unit_labels

    units = [Unit(1, 0, 40, "x" * 40, 0), Unit(1, 41, 60, "y" * 19, 0)]
    coding = Coding(1, 1, 5, 35, 60, "lin", "manual", "")  # 5 of 40 chars, and all of 19
    labels, _ = unit_labels(units, [coding], rule)
    assert labels == expected


def test_the_default_adds_the_encoder_only_where_it_is_installed():
    from workbench.suggest import encoder

    assert engine.default_methods() == engine.DEFAULT_METHODS + (("encoder",) if encoder.available() else ())


def test_a_code_with_both_models_is_judged_by_their_fused_score(study):  # noqa: F811
    from workbench.codebook.ops import resolve
    from workbench.store import Project
    from workbench.suggest import encoder

    if not encoder.available():
        pytest.skip("the sentence encoder is not installed")
    with Project.open(study) as project:
        corpus = engine.load_corpus(project)
        queue = resolve(project, "Queue")
    embed = encoder.embedder()
    trained = engine.train(corpus, ["learned", "encoder"], embed=embed)
    units = [engine.Unit(1, 0, 20, "排了三个小时的队，窗口还是关了。", 0),
             engine.Unit(1, 21, 60, "We queued again at the entry-exit office the next morning.", 0),
             engine.Unit(1, 61, 80, "我妈妈做的饺子最好吃。", 0)]
    lexical = trained.learned.predict([u.text for u in units])[queue]
    semantic, _ = trained.encoder.predict(embed([u.text for u in units]))[queue]
    fused = {(p.unit, p.code_id): p for p in engine.propose(trained, units, ["learned", "encoder"], embed=embed)}
    threshold = (trained.learned.models[queue].threshold + trained.encoder.models[queue].threshold) / 2
    for number in range(3):
        mean = (lexical[number] + semantic[number]) / 2
        assert ((number, queue) in fused) == (mean >= threshold)
        if (number, queue) in fused:
            assert fused[(number, queue)].score == pytest.approx(mean)
    assert (1, queue) in fused and (2, queue) not in fused
