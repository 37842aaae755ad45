"""Learned suggestions: one calibrated linear model per code, trained on people's coding.

Features are TF-IDF over words (jieba tokens, English lemmas, stop words and fillers out) and
over character 2–4-grams inside word boundaries; the character n-grams carry Chinese, where
a topic often lives in sub-words jieba cuts differently from one speaker to the next. Each
code gets a logistic regression with balanced class weights; its scores are calibrated by a
sigmoid fitted on out-of-fold scores, and its threshold is the one that maximised F1 on those
same out-of-fold predictions, so nothing is tuned to one project by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..text.nlp import terms

MIN_EXAMPLES = 5  # below this a code says how many more it needs instead of guessing
SEED = 13
C = 4.0  # inverse regularisation: high-dimensional sparse text wants a fairly weak penalty
MAX_CHAR_FEATURES = 200_000
DEFAULT_THRESHOLD = 0.5
MIN_THRESHOLD, MAX_THRESHOLD = 0.2, 0.9
INNER_FOLDS = 3



def word_terms(text: str) -> list[str]:
    """Content words: jieba words and English lemmas, without stop words and fillers."""
    return terms(text)


def make_vectorizer():
    """Words plus character n-grams, each TF-IDF with sublinear counts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=word_terms, sublinear_tf=True, min_df=1, dtype=np.float32)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1,
                                  lowercase=True, max_features=MAX_CHAR_FEATURES, dtype=np.float32)),
    ])


@dataclass(frozen=True)
class CodeModel:
    """One code's classifier: weights, calibration and the threshold chosen out of fold."""

    code_id: int
    coef: np.ndarray
    intercept: float
    slope: float  # Platt scaling: p = 1 / (1 + exp(-(slope * score + offset)))
    offset: float
    threshold: float
    examples: int

    def probability(self, features) -> np.ndarray:
        scores = np.asarray(features @ self.coef).ravel() + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(self.slope * scores + self.offset, -50, 50)))


@dataclass(frozen=True)
class Shortfall:
    """A code with too few examples to learn from: how many it has and how many more it needs."""

    code_id: int
    examples: int
    needed: int


@dataclass
class Trained:
    """Everything learned in one training: the features, the per-code models, who fell short."""

    vectorizer: object
    models: dict[int, CodeModel] = field(default_factory=dict)
    shortfalls: dict[int, Shortfall] = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)

    def predict(self, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Code id -> calibrated probability per text."""
        if not texts or not self.models:
            return {}
        features = self.vectorizer.transform(list(texts))
        return {code_id: model.probability(features) for code_id, model in self.models.items()}


def _fit_linear(features, labels: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=True, random_state=SEED,
                               max_iter=1000)  # dual: far fewer sentences than features, ~30x faster
    model.fit(features, labels)
    return model


def _folds(labels: np.ndarray, groups: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds by document when positives sit in several documents, else stratified by label."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    positive_groups = len(set(groups[labels == 1].tolist()))
    if positive_groups >= k and len(set(groups.tolist())) >= k:
        return list(GroupKFold(n_splits=k).split(labels, labels, groups))
    k = min(k, int(labels.sum()), int((labels == 0).sum()))
    if k < 2:
        return []
    return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED).split(labels, labels))


def _platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Sigmoid calibration of decision scores (Platt), on out-of-fold scores."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels.tolist())) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=1e4, solver="lbfgs")
    model.fit(scores.reshape(-1, 1), labels)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The probability cut with the best F1 out of fold, kept between 0.2 and 0.9."""
    positives = int(labels.sum())
    if positives == 0:
        return DEFAULT_THRESHOLD
    order = np.argsort(-probabilities, kind="stable")
    sorted_labels = labels[order]
    true_positives = np.cumsum(sorted_labels)
    predicted = np.arange(1, len(labels) + 1)
    f1 = 2 * true_positives / (predicted + positives)
    best = int(np.argmax(f1))
    # cut halfway between the last probability taken and the next one, so ties resolve alike
    upper = probabilities[order[best]]
    lower = probabilities[order[best + 1]] if best + 1 < len(order) else upper - 0.05
    threshold = float((upper + lower) / 2)
    if positives < 10:  # few examples: the out-of-fold optimum is noisy, lean on the calibration
        threshold = (threshold + DEFAULT_THRESHOLD) / 2
    return float(min(MAX_THRESHOLD, max(MIN_THRESHOLD, threshold)))


def fit_code(code_id: int, features, labels: np.ndarray, groups: np.ndarray) -> CodeModel:
    """A calibrated classifier for one code from a feature matrix and 0/1 labels."""
    scores = np.zeros(len(labels), dtype=np.float64)
    folds = _folds(labels, groups, INNER_FOLDS)
    for train, test in folds:
        if len(set(labels[train].tolist())) < 2:
            continue
        model = _fit_linear(features[train], labels[train])
        scores[test] = model.decision_function(features[test])
    final = _fit_linear(features, labels)
    if folds:
        slope, offset = _platt(scores, labels)
    else:  # too small to hold anything out: the model's own sigmoid
        slope, offset = 1.0, 0.0
        scores = final.decision_function(features)
    probabilities = 1.0 / (1.0 + np.exp(-np.clip(slope * scores + offset, -50, 50)))
    threshold = best_threshold(probabilities, labels) if folds else DEFAULT_THRESHOLD
    return CodeModel(code_id, np.asarray(final.coef_[0], dtype=np.float32), float(final.intercept_[0]),
                     slope, offset, threshold, int(labels.sum()))


def train(
    texts: Sequence[str], labels: Sequence[set[int]], groups: Sequence[int], code_ids: Sequence[int],
    *, ignore: Sequence[set[int]] | None = None, extra_texts: Sequence[str] = (),
    examples: dict[int, int] | None = None,
    progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] | None = None,
    vectorizer=None,
) -> Trained:
    """Train every code with enough examples; the rest are reported as shortfalls.

    `labels[i]` are the codes of text i; `ignore[i]` codes that neither label nor contradict it;
    `groups[i]` its document, so calibration folds never split a document; `examples` says how
    many distinct passages each code has (else its positive texts are counted). `extra_texts` only
    widen the vocabulary (the sentences to be judged later), never the labels.
    """
    texts = list(texts)
    vectorizer = vectorizer or make_vectorizer()
    fitted_on = texts + [t for t in extra_texts]
    vectorizer.fit(fitted_on)
    trained = Trained(vectorizer, parameters={
        "features": "tfidf words (jieba / lemmas) + char_wb 2-4", "model": "LogisticRegression balanced",
        "C": C, "calibration": "sigmoid on out-of-fold scores", "threshold": "best out-of-fold F1",
        "min_examples": MIN_EXAMPLES, "inner_folds": INNER_FOLDS, "seed": SEED,
    })
    if not texts:
        for code_id in code_ids:
            trained.shortfalls[code_id] = Shortfall(code_id, 0, MIN_EXAMPLES)
        return trained
    features = vectorizer.transform(texts).tocsr()
    group_array = np.asarray(groups)
    ignore = ignore or [set() for _ in texts]
    examples_of = examples
    for number, code_id in enumerate(code_ids):
        if cancelled and cancelled():
            break
        y = np.fromiter((1 if code_id in label else 0 for label in labels), dtype=np.int8, count=len(texts))
        keep = np.fromiter((code_id not in skip for skip in ignore), dtype=bool, count=len(texts))
        examples = examples_of.get(code_id, 0) if examples_of is not None else int(y[keep].sum())
        if examples < MIN_EXAMPLES or (y[keep] == 0).sum() < 2:
            trained.shortfalls[code_id] = Shortfall(code_id, examples, max(MIN_EXAMPLES - examples, 1))
        else:
            index = np.flatnonzero(keep)
            trained.models[code_id] = fit_code(code_id, features[index], y[index], group_array[index])
        if progress:
            progress(number + 1, len(code_ids))
    return trained
