"""Learned suggestions: calibrated linear models for every code, trained together on people's coding.

Features are TF-IDF over words (jieba tokens, English lemmas, stop words and fillers out) and
over character 2–4-grams inside word boundaries; the character n-grams carry Chinese, where
a topic often lives in sub-words jieba cuts differently from one speaker to the next. They are
built ONCE per training for all codes, over the distinct texts of the project, and the words of
each text are cut once per process (a cache), so judging a sentence seen in training costs a row
lookup. Every code then gets a logistic regression (liblinear, classes balanced, uncoded sentences
down-weighted as noisy negatives) fitted on the same feature matrix and the same K-fold split by
document; its model is the average of the fold models, and the out-of-fold scores give each code
its sigmoid calibration and its threshold (best F1, lowered where needed so a code still finds
at least half of its own examples), so nothing is tuned to one project by hand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..text.nlp import terms

MIN_EXAMPLES = 5  # below this a code says how many more it needs instead of guessing
SEED = 13
DEFAULT_THRESHOLD = 0.5
MIN_THRESHOLD, MAX_THRESHOLD = 0.2, 0.9
MAX_WORD_FEATURES = 50_000
MAX_CHAR_FEATURES = 100_000
UPDATES = 50_000  # SGD sample updates per fit: small sets get more passes, large ones fewer
MIN_EPOCHS, MAX_EPOCHS = 4, 50
MAX_NEGATIVES = 3000  # per code and fit: past this, more negatives barely move a linear model but cost time


@dataclass(frozen=True)
class Settings:
    """The choices the evaluation compares; the defaults are what it showed to work best."""

    loss: str = "logreg"  # liblinear logistic regression; "modified_huber" / "log_loss" / "hinge": SGD
    C: float = 1.0  # inverse L2 penalty of the logistic regression
    alpha: float = 1e-4  # L2 penalty of the SGD models
    balanced: bool = True  # weigh the few positives up to the many negatives
    # False: the average of the fold models (one fit fewer, and better out of sample); True: a final fit
    refit: bool = False
    uncoded_weight: float = 0.5  # sentences nobody coded at all are noisy negatives (coders skip things)
    positive: str = "half"  # "half": a coding covers >= half the sentence (or half the coding is in it); "any"
    parents: bool = False  # a parent code that people use also learns from its sub-codes' examples
    min_recall: float = 0.5  # the threshold never drops fewer than this share of a code's own examples out of fold
    folds: int = 3  # ONE split by document, shared by every code
    threads: int = 1  # liblinear draws its coordinate order from ONE process-wide RNG: two threads make
    # the figures depend on timing; 2 is safe for the SGD losses only

    def describe(self) -> dict:
        return asdict(self)


DEFAULT = Settings()


@functools.lru_cache(maxsize=262_144)
def word_terms(text: str) -> tuple[str, ...]:
    """Content words: jieba words and English lemmas, without stop words and fillers (cached per text)."""
    return tuple(terms(text))


def make_vectorizer(texts: int = 0):
    """Words plus character n-grams, each TF-IDF with sublinear counts.

    The vocabulary is fitted on the distinct texts of training *and* of the sentences to be judged,
    so a term seen in only one of them can never link a coded sentence to a new one: min_df=2 drops
    it without losing anything (small projects keep min_df=1 for the words, being short of them).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=word_terms, sublinear_tf=True, min_df=2 if texts > 2000 else 1,
                                  max_features=MAX_WORD_FEATURES, dtype=np.float32)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2,
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
        return _sigmoid(self.slope * scores + self.offset)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -50, 50)))


@dataclass(frozen=True)
class Shortfall:
    """A code with too few examples to learn from: how many it has and how many more it needs."""

    code_id: int
    examples: int
    needed: int


@dataclass
class Models:
    """Every code's model stacked as one matrix, so scoring all codes is one product."""

    models: dict[int, CodeModel] = field(default_factory=dict)
    _stack: tuple | None = None

    def probabilities(self, features) -> dict[int, np.ndarray]:
        if not self.models:
            return {}
        if self._stack is None:
            ids = list(self.models)
            coef = np.column_stack([self.models[c].coef for c in ids]).astype(np.float32)
            rest = np.array([[self.models[c].intercept, self.models[c].slope, self.models[c].offset] for c in ids])
            self._stack = (ids, coef, rest)
        ids, coef, rest = self._stack
        scores = np.asarray(features @ coef, dtype=np.float64) + rest[:, 0]
        values = _sigmoid(scores * rest[:, 1] + rest[:, 2])
        return {code_id: values[:, k] for k, code_id in enumerate(ids)}


@dataclass
class Trained:
    """Everything learned in one training: the features, the per-code models, who fell short."""

    vectorizer: Any  # a fitted sklearn TfidfVectorizer (sklearn is untyped)
    models: dict[int, CodeModel] = field(default_factory=dict)
    shortfalls: dict[int, Shortfall] = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    _rows: dict[str, int] = field(default_factory=dict)  # text -> row of `_matrix` (features built in training)
    _matrix: Any = None  # a scipy sparse matrix (scipy is untyped)
    _stacked: Models | None = None

    def features(self, texts: Sequence[str]):
        """Feature rows for these texts: looked up when built in training, computed otherwise."""
        import scipy.sparse as sp

        texts = list(texts)
        known = [self._rows.get(t, -1) for t in texts]
        missing = [i for i, r in enumerate(known) if r < 0]
        if not missing and self._matrix is not None:
            return self._matrix[known]
        fresh = self.vectorizer.transform([texts[i] for i in missing]).tocsr()
        if len(missing) == len(texts):
            return fresh
        matrix = sp.vstack([self._matrix, fresh]).tocsr()
        base = self._matrix.shape[0]
        order, k = [], 0
        for r in known:
            if r < 0:
                order.append(base + k)
                k += 1
            else:
                order.append(r)
        return matrix[order]

    def predict(self, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Code id -> calibrated probability per text."""
        if not texts or not self.models:
            return {}
        if self._stacked is None:
            self._stacked = Models(self.models)
        return self._stacked.probabilities(self.features(texts))


# ---------------------------------------------------------------- fitting
def shared_folds(groups: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """ONE split for every code: by document when there are enough documents, else by row (seeded)."""
    from sklearn.model_selection import GroupKFold, KFold

    n = len(groups)
    if len(set(groups.tolist())) >= k:
        return list(GroupKFold(n_splits=k).split(np.zeros(n), groups=groups))
    k = min(k, n)
    if k < 2:
        return []
    return list(KFold(n_splits=k, shuffle=True, random_state=SEED).split(np.zeros(n)))


def _row_folds(labels: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """A code whose examples sit in one document: stratified by row for it alone."""
    from sklearn.model_selection import StratifiedKFold

    k = min(k, int(labels.sum()), int((labels == 0).sum()))
    if k < 2:
        return []
    return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED).split(labels, labels))


def _fit_linear(features, labels: np.ndarray, weights: np.ndarray, settings: Settings) -> tuple[np.ndarray, float]:
    """A linear model with classes balanced by weight; rows of weight 0 are simply not learned from."""
    from sklearn.linear_model import SGDClassifier

    used = weights > 0
    positives = float(weights[used & (labels == 1)].sum())
    negatives = float(weights[used & (labels == 0)].sum())
    total = positives + negatives
    balanced = np.where(labels == 1, weights * total / (2 * max(positives, 1e-9)),
                        weights * total / (2 * max(negatives, 1e-9))) if settings.balanced else weights
    if settings.loss == "logreg":
        from sklearn.linear_model import LogisticRegression

        # dual coordinate descent: far fewer sentences than features; a loose tolerance is ~2x faster
        # for the same ranking (the scores are recalibrated out of fold anyway)
        model = LogisticRegression(C=settings.C, solver="liblinear", dual=True, tol=1e-2, max_iter=1000,
                                   random_state=SEED)
        model.fit(features, labels, sample_weight=balanced)
        return np.asarray(model.coef_[0], dtype=np.float32), float(model.intercept_[0])
    epochs = int(min(MAX_EPOCHS, max(MIN_EPOCHS, np.ceil(UPDATES / max(int(used.sum()), 1)))))
    model = SGDClassifier(loss=settings.loss, alpha=settings.alpha, max_iter=epochs, tol=None,
                          random_state=SEED, average=False)
    model.fit(features, labels, sample_weight=balanced)
    return np.asarray(model.coef_[0], dtype=np.float32), float(model.intercept_[0])


def _platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Sigmoid calibration of decision scores (Platt, with his smoothed targets), on out-of-fold scores.

    Two parameters: a few Newton steps in numpy, ~100x cheaper than a general solver per code.
    """
    positives, negatives = int(labels.sum()), int(len(labels) - labels.sum())
    if positives == 0 or negatives == 0:
        return 1.0, 0.0
    target = np.where(labels == 1, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    x = scores.astype(np.float64)
    a, b = 1.0 / max(float(np.std(x)), 1e-6), float(np.log((negatives + 1) / (positives + 1))) * -1.0
    for _ in range(50):
        p = _sigmoid(a * x + b)
        w = np.maximum(p * (1 - p), 1e-12)
        g = np.array([np.dot(p - target, x), np.sum(p - target)])
        h = np.array([[np.dot(w, x * x) + 1e-9, np.dot(w, x)], [np.dot(w, x), np.sum(w) + 1e-9]])
        try:
            step = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            break
        a, b = a - step[0], b - step[1]
        if abs(step[0]) + abs(step[1]) < 1e-7:
            break
    if not np.isfinite(a) or not np.isfinite(b) or a <= 0:  # scores that do not rank: stay neutral
        return 1.0, 0.0
    return float(a), float(b)


def best_threshold(probabilities: np.ndarray, labels: np.ndarray, min_recall: float = 0.0) -> float:
    """The probability cut with the best F1 out of fold, lowered until it keeps `min_recall`, in 0.2–0.9."""
    positives = int(labels.sum())
    if positives == 0:
        return DEFAULT_THRESHOLD
    order = np.argsort(-probabilities, kind="stable")
    sorted_labels = labels[order]
    true_positives = np.cumsum(sorted_labels)
    predicted = np.arange(1, len(labels) + 1)
    f1 = 2 * true_positives / (predicted + positives)
    best = int(np.argmax(f1))
    # the floor: a rare code whose out-of-fold scores are modest still proposes its likeliest sentences
    enough = int(np.searchsorted(true_positives, np.ceil(min_recall * positives)))
    best = max(best, min(enough, len(order) - 1))
    # cut halfway between the last probability taken and the next one, so ties resolve alike
    upper = probabilities[order[best]]
    lower = probabilities[order[best + 1]] if best + 1 < len(order) else upper - 0.05
    threshold = float((upper + lower) / 2)
    if positives < 10:  # few examples: the out-of-fold optimum is noisy, lean on the calibration
        threshold = (threshold + DEFAULT_THRESHOLD) / 2
    return float(min(MAX_THRESHOLD, max(MIN_THRESHOLD, threshold)))


def fit_codes(
    features, targets: dict[int, tuple[np.ndarray, np.ndarray]], groups: np.ndarray, settings: Settings = DEFAULT,
    *, progress: Callable[[int, int], object] | None = None, cancelled: Callable[[], bool] | None = None,
) -> dict[int, CodeModel]:
    """Calibrated models for many codes on one feature matrix and ONE shared split by document.

    `targets[code] = (labels 0/1, weights)`, a weight 0 meaning "neither yes nor no for this code".
    Each fold's training rows are sliced once for all codes; with an SGD loss, codes can be fitted
    on several threads (`settings.threads`; the SGD loop releases the GIL).
    """
    folds = shared_folds(groups, settings.folds)
    sliced = [(features[train], features[test], train, test) for train, test in folds]
    codes = list(targets)
    done = [0]

    def one(code_id: int) -> CodeModel | None:
        if cancelled and cancelled():
            return None
        labels, weights = targets[code_id]
        scores = np.zeros(len(labels), dtype=np.float64)
        scored = np.zeros(len(labels), dtype=bool)
        own = sliced
        held_positive = [int(labels[test][weights[test] > 0].sum()) for _, _, _, test in sliced]
        if sum(1 for h in held_positive if h) < 2:  # examples in one fold: the shared split cannot test them
            own = [(features[tr], features[te], tr, te)
                   for tr, te in _row_folds(labels * (weights > 0), settings.folds)]
        fold_models = []
        for train_x, test_x, train, test in own:
            if labels[train][weights[train] > 0].sum() == 0:
                continue
            rows = _sampled(labels[train], weights[train], code_id)
            if rows is not None:
                train_x, train = train_x[rows], train[rows]
            coef, intercept = _fit_linear(train_x, labels[train], weights[train], settings)
            scores[test] = np.asarray(test_x @ coef).ravel() + intercept
            scored[test] = True
            fold_models.append((coef, intercept))
        if settings.refit or len(fold_models) < 2:
            rows = _sampled(labels, weights, code_id)
            every = np.arange(len(labels)) if rows is None else rows
            coef, intercept = _fit_linear(features[every], labels[every], weights[every], settings)
        else:
            coef = np.mean([c for c, _ in fold_models], axis=0).astype(np.float32)
            intercept = float(np.mean([i for _, i in fold_models]))
        use = scored & (weights > 0)
        if use.any() and labels[use].sum() > 0:
            slope, offset = _platt(scores[use], labels[use])
            probabilities = _sigmoid(slope * scores[use] + offset)
            threshold = best_threshold(probabilities, labels[use], settings.min_recall)
        else:  # too small to hold anything out: the model's own scale
            slope, offset, threshold = 1.0, 0.0, DEFAULT_THRESHOLD
        done[0] += 1
        if progress:
            progress(done[0], len(codes))
        return CodeModel(code_id, coef, intercept, slope, offset, threshold, int(labels[weights > 0].sum()))

    if settings.threads > 1 and settings.loss != "logreg" and len(codes) > 1:
        with ThreadPoolExecutor(settings.threads) as pool:
            results = list(pool.map(one, codes))
    else:
        results = [one(c) for c in codes]
    return {m.code_id: m for m in results if m is not None}


def _sampled(labels: np.ndarray, weights: np.ndarray, code_id: int) -> np.ndarray | None:
    """Every positive and at most MAX_NEGATIVES negatives (seeded per code), or None to keep all rows.

    The kept negatives stand for all of them: the class balancing in `_fit_linear` weighs the two
    classes by their totals, so dropping negatives changes the estimate, not the balance.
    """
    used = np.flatnonzero(weights > 0)
    negatives = used[labels[used] == 0]
    if len(negatives) <= MAX_NEGATIVES:
        return None
    rng = np.random.default_rng(SEED + code_id)
    kept = rng.choice(negatives, MAX_NEGATIVES, replace=False)
    return np.sort(np.concatenate([used[labels[used] == 1], kept]))


def targets_for(
    labels: Sequence[set[int]], ignore: Sequence[set[int]], code_ids: Sequence[int], settings: Settings = DEFAULT,
    descendants: dict[int, set[int]] | None = None,
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per code: 0/1 labels and row weights (0 where the code only grazes; lower where nobody coded anything)."""
    n = len(labels)
    uncoded = np.fromiter((not label for label in labels), dtype=bool, count=n)
    base = np.where(uncoded, settings.uncoded_weight, 1.0)
    result = {}
    for code_id in code_ids:
        family = {code_id} | ((descendants or {}).get(code_id, set()) if settings.parents else set())
        y = np.fromiter((1 if family & label else 0 for label in labels), dtype=np.int8, count=n)
        skip = np.fromiter((bool(family & grazed) and not (family & label)
                            for label, grazed in zip(labels, ignore, strict=True)), dtype=bool, count=n)
        result[code_id] = (y, np.where(skip, 0.0, base))
    return result


def train(
    texts: Sequence[str], labels: Sequence[set[int]], groups: Sequence[int], code_ids: Sequence[int],
    *, ignore: Sequence[set[int]] | None = None, extra_texts: Sequence[str] = (),
    examples: dict[int, int] | None = None, descendants: dict[int, set[int]] | None = None,
    settings: Settings = DEFAULT,
    progress: Callable[[int, int], object] | None = None, cancelled: Callable[[], bool] | None = None,
) -> Trained:
    """Train every code with enough examples; the rest are reported as shortfalls.

    `labels[i]` are the codes of text i; `ignore[i]` codes that neither label nor contradict it;
    `groups[i]` its document, so calibration folds never split a document; `examples` says how
    many distinct passages each code has (else its positive texts are counted). `extra_texts` are
    the sentences to be judged later: they widen the vocabulary and get their features now.
    """
    import time

    texts = list(texts)
    timings: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    distinct = list(dict.fromkeys([*texts, *extra_texts]))
    vectorizer = make_vectorizer(len(distinct))
    trained = Trained(vectorizer, parameters={
        "features": "tfidf words (jieba / lemmas) + char_wb 2-4, fitted once for all codes",
        "model": f"SGD {settings.loss}, balanced", "calibration": "sigmoid on out-of-fold scores",
        "threshold": "best out-of-fold F1, floored by recall", "min_examples": MIN_EXAMPLES, "seed": SEED,
        **settings.describe(),
    }, timings=timings)
    ignore = ignore or [set() for _ in texts]
    counts = dict(examples) if examples is not None else {}
    if examples is None:
        for label, skip in zip(labels, ignore, strict=True):
            for code_id in label - skip:
                counts[code_id] = counts.get(code_id, 0) + 1
    if settings.parents and descendants:  # a parent people use counts its sub-codes' examples too
        counts = {c: n + (sum(counts.get(d, 0) for d in descendants.get(c, ())) if n else 0)
                  for c, n in counts.items()}
    learnable = [c for c in code_ids if counts.get(c, 0) >= MIN_EXAMPLES]
    for code_id in code_ids:
        if code_id not in learnable:
            have = counts.get(code_id, 0)
            trained.shortfalls[code_id] = Shortfall(code_id, have, max(MIN_EXAMPLES - have, 1))
    if not texts or not learnable:
        return trained
    matrix = vectorizer.fit_transform(distinct).tocsr()
    trained._rows = {t: i for i, t in enumerate(distinct)}
    trained._matrix = matrix
    timings["features_s"] = time.perf_counter() - started
    timings["features_cpu_s"] = time.process_time() - cpu
    started = time.perf_counter()
    # the same sentence twice (a passage that is exactly one sentence) is one piece of evidence
    first: dict[tuple, int] = {}
    for i, (text, label, skip, group) in enumerate(zip(texts, labels, ignore, groups, strict=True)):
        first.setdefault((text, frozenset(label), frozenset(skip), group), i)
    keep = sorted(first.values())
    texts, labels, ignore = [texts[i] for i in keep], [labels[i] for i in keep], [ignore[i] for i in keep]
    groups = [groups[i] for i in keep]
    features = matrix[[trained._rows[t] for t in texts]]
    targets = targets_for(labels, ignore, learnable, settings, descendants)
    targets = {c: t for c, t in targets.items() if (t[0][t[1] > 0] == 0).sum() >= 2}
    for code_id in set(learnable) - set(targets):
        trained.shortfalls[code_id] = Shortfall(code_id, counts.get(code_id, 0), 1)
    trained.models = fit_codes(features, targets, np.asarray(groups), settings, progress=progress,
                               cancelled=cancelled)
    timings["fit_s"] = time.perf_counter() - started
    timings["cpu_s"] = time.process_time() - cpu
    return trained
