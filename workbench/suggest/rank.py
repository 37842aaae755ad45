"""Ranking codes for a unit from few examples: each code scored against what people coded with it.

Every ranker turns a text into one raw score per code. Each method's scores are standardised
against its scores on the project's ordinary talk (`background`), one shift and scale for all of
its codes, so that methods can be averaged (`fused`). One sigmoid, fitted on
documents held out of the fit, maps z to a probability, the same mapping for every code, so a
0.7 means the same thing for a rare and a frequent code, and the ranking is by resemblance, not
by frequency.

Rankers (all work from 1 passage per code):
- `prior`: the codes people used most, the same for every unit (the baseline to beat);
- `logreg`: TF-IDF + one-vs-rest logistic regression, no weighting (the plain baseline);
- `balanced`: the same with class weights balanced per code;
- `nearest`: the most similar coded passages (k nearest, TF-IDF cosine);
- `centroid`: the mean of a code's passages (a prototype per code);
- `anchors`: the codebook's own words: name, Chinese name, definition, keywords, examples;
- `enc-nearest`, `enc-centroid`, `enc-anchors`: the same on the multilingual encoder;
- `fused`: the mean z of nearest, centroid, anchors and balanced (and the encoder's, if there);
  `+tree` adds the code tree: a parent's z is evidence for its children and the reverse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from ..model import Code

T = TypeVar("T")

SEED = 13
BACKGROUND = 1500  # units sampled to standardise each code's scores: enough for a stable mean and spread
TREE_WEIGHT = 0.3
DEFAULT_THRESHOLD = 0.5  # where no held-out sentences calibrate it
MIN_THRESHOLD, MAX_THRESHOLD = 0.02, 0.9
TOP = 3
NEAREST_K = 2  # mean of the two most similar passages (one near-duplicate does not decide alone)
LEXICAL = ("logreg", "balanced", "nearest", "centroid", "anchors")
SEMANTIC = ("enc-nearest", "enc-centroid", "enc-anchors")
BASELINES = ("prior", "logreg")
FUSED = ("fused", "fused+tree")
FUSED_LEXICAL = ("nearest", "centroid", "anchors", "balanced")
FUSED_SEMANTIC = ("enc-nearest", "enc-centroid")


def method_names(encoder: bool) -> list[str]:
    """Every ranking method, baselines first; the encoder's only where an embedding is given."""
    names = ["prior", *LEXICAL, *FUSED]
    if encoder:
        names[names.index("fused"):names.index("fused")] = list(SEMANTIC)
        names += ["fused+encoder", "fused+encoder+tree"]
    return names


@dataclass(frozen=True)
class Sentences:
    """Sentences of the same documents with the codes people gave them (and codes they only graze):
    what the proposal threshold is calibrated on."""

    texts: list[str] = field(default_factory=list)
    labels: list[set[int]] = field(default_factory=list)
    grazed: list[set[int]] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)

    def of(self, keep_groups: set[int]) -> Sentences:
        rows = [i for i, g in enumerate(self.groups) if g in keep_groups]
        return Sentences([self.texts[i] for i in rows], [self.labels[i] for i in rows],
                         [self.grazed[i] for i in rows], [self.groups[i] for i in rows])


@dataclass(frozen=True)
class Examples:
    """What a ranker learns from: coded passages with their codes and documents, and ordinary talk."""

    texts: list[str]
    labels: list[set[int]]
    groups: list[int]
    codes: list[Code]
    background: list[str]  # units of the same documents, coded or not: what a code's score usually is
    sentences: Sentences = field(default_factory=Sentences)

    def subset(self, keep_groups: set[int], background: list[str]) -> Examples:
        rows = [i for i, g in enumerate(self.groups) if g in keep_groups]
        return Examples([self.texts[i] for i in rows], [self.labels[i] for i in rows],
                        [self.groups[i] for i in rows], self.codes, background, self.sentences.of(keep_groups))


def anchor_text(code: Code, path: str = "") -> str:
    """A code's own words: its path split into words, Chinese name, definition, keywords and examples."""
    name = (path or code.name).replace("/", " ").replace("-", " ").replace("_", " ")
    parts = [name, code.name_zh, code.definition, code.include, " ".join(code.keywords_en),
             " ".join(code.keywords_zh), " ".join(code.examples)]
    return " ".join(p for p in parts if p).strip()


def code_paths(codes: Sequence[Code]) -> dict[int, str]:
    by_id = {c.stored_id: c for c in codes}
    paths: dict[int, str] = {}
    for code in codes:
        names: list[str] = []
        at: Code | None = code
        while at is not None and len(names) < 20:
            names.append(at.name)
            at = by_id.get(at.parent_id) if at.parent_id is not None else None
        paths[code.stored_id] = "/".join(reversed(names))
    return paths


def _fitted(value: T | None) -> T:
    """What `fit` (or the constructor) set: a ranker used before it is fitted is a programming error."""
    if value is None:
        raise ValueError("the ranker is not fitted (or was made without its space)")
    return value


class Space:
    """Texts as unit-length rows: TF-IDF (fitted once on every text seen) or the encoder's vectors."""

    def __init__(self, texts: Sequence[str], embed: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self.embed = embed
        self.vectorizer: Any = None  # a fitted sklearn TfidfVectorizer (sklearn is untyped)
        self._rows: dict[str, int] = {}
        self._matrix: Any = None  # a scipy sparse matrix
        self._fresh: tuple[tuple[str, ...], Any] | None = None
        if embed is None:
            from . import learned

            distinct = list(dict.fromkeys(t for t in texts if t))
            self.vectorizer = learned.make_vectorizer(len(distinct))
            self._matrix = _normalise(self.vectorizer.fit_transform(distinct or [" "]).tocsr())
            self._rows = {t: i for i, t in enumerate(distinct)}

    def rows(self, texts: Sequence[str]):
        texts = list(texts)
        if self.embed is not None:
            return np.asarray(self.embed(texts), dtype=np.float32) if texts else np.zeros((0, 512), np.float32)
        known = [self._rows.get(t, -1) for t in texts]
        if all(k >= 0 for k in known):
            return self._matrix[known]
        # new texts: the members of a fused ranker ask for the same texts in turn; cut them once
        key = tuple(texts)
        if self._fresh is None or self._fresh[0] != key:
            self._fresh = (key, _normalise(self.vectorizer.transform(texts).tocsr()))
        return self._fresh[1]


def _normalise(matrix):
    from sklearn.preprocessing import normalize

    return normalize(matrix, norm="l2", copy=False)


def _dense(values) -> np.ndarray:
    return np.asarray(values.toarray() if hasattr(values, "toarray") else values, dtype=np.float64)


# ---------------------------------------------------------------- rankers
@dataclass
class Ranker:
    """Fitted raw scorer plus each code's standardisation and the shared calibration."""

    name: str
    code_ids: list[int] = field(default_factory=list)
    mean: np.ndarray | None = None
    spread: np.ndarray | None = None
    slope: float = 1.0
    offset: float = -2.0
    threshold: float = DEFAULT_THRESHOLD  # a top code is proposed for a sentence at or above this score

    def raw(self, texts: Sequence[str]) -> np.ndarray:  # (n, codes)
        raise NotImplementedError

    def fit(self, examples: Examples) -> Ranker:
        raise NotImplementedError

    def standardise(self, background: Sequence[str]) -> None:
        """Each code's usual score on ordinary talk: its mean and spread, so z compares across codes."""
        sample = _sample(background, BACKGROUND)
        scores = self.raw(sample) if sample else np.zeros((1, len(self.code_ids)))
        # one shift and scale for all codes of a method: per-code standardising lifted rare codes
        # whose few passages rarely resemble anything (recall@3 0.05 against 0.30 on the realistic set)
        self.mean = np.full(len(self.code_ids), float(scores.mean()))
        self.spread = np.full(len(self.code_ids), max(float(scores.std()), 1e-3))

    def z(self, texts: Sequence[str]) -> np.ndarray:
        if not self.code_ids or not len(texts):
            return np.zeros((len(texts), len(self.code_ids)))
        values = self.raw(texts)
        return (values - self.mean) / self.spread

    def probability(self, z: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.slope * z + self.offset, -50, 50)))


def _sample(texts: Sequence[str], n: int) -> list[str]:
    texts = list(dict.fromkeys(texts))
    if len(texts) <= n:
        return texts
    rng = np.random.default_rng(SEED)
    return [texts[i] for i in sorted(rng.choice(len(texts), n, replace=False))]


def _label_matrix(labels: Sequence[set[int]], code_ids: Sequence[int]) -> np.ndarray:
    column = {c: k for k, c in enumerate(code_ids)}
    y = np.zeros((len(labels), len(code_ids)), dtype=np.float32)
    for i, label in enumerate(labels):
        for c in label:
            if c in column:
                y[i, column[c]] = 1
    return y


@dataclass
class Prior(Ranker):
    """The most frequent codes, everywhere: what a guess scores."""

    share: np.ndarray | None = None

    def fit(self, examples: Examples) -> Prior:
        counts: dict[int, int] = {}
        for label in examples.labels:
            for c in label:
                counts[c] = counts.get(c, 0) + 1
        self.code_ids = sorted(counts)
        total = max(len(examples.labels), 1)
        self.share = np.array([counts[c] / total for c in self.code_ids])
        return self

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        return np.tile(_fitted(self.share), (len(texts), 1))

    def z(self, texts: Sequence[str]) -> np.ndarray:
        return self.raw(texts)  # a frequency is already comparable: it is what it claims

    def probability(self, z: np.ndarray) -> np.ndarray:
        return z


# `balanced` learns from the TF-IDF columns found in at most 5% of the passages (the words every
# answer shares tell no code apart: recall@3 .49 -> .51 on the realistic set), and from every
# positive with at most 1,500 negatives per code, weighted up to stand for all of them (R@3 .660
# against .663 with all of ~4,000, a third of the time). Dual coordinate descent with a loose
# tolerance: far fewer passages than features, and the scores are standardised and calibrated
# afterwards, so a tight optimum ranks no better (identical figures at tol 1e-2 and 0.1).
BALANCED_MAX_DF = 0.05
BALANCED_NEGATIVES = 1500
BALANCED_C = 4.0
BALANCED_TOL = 0.1
PLAIN_TOL = 1e-2  # the plain baseline stays plain: every column, every negative, C=1


@dataclass
class Linear(Ranker):
    """One-vs-rest logistic regression on TF-IDF; `balanced` weighs each code's few positives up."""

    space: Space | None = None
    balanced: bool = False
    coef: np.ndarray | None = None
    intercept: np.ndarray | None = None

    def fit(self, examples: Examples) -> Linear:
        from sklearn.linear_model import LogisticRegression

        codes = sorted({c for label in examples.labels for c in label})
        full = _fitted(self.space).rows(examples.texts)
        y = _label_matrix(examples.labels, codes)
        x, columns = _columns(full, BALANCED_MAX_DF if self.balanced else 1.0)
        coefs, intercepts, kept = [], [], []
        for k, code_id in enumerate(codes):
            labels = y[:, k]
            if labels.min() == labels.max():
                continue  # every passage has it: nothing to tell apart
            rows, weights = _rows_for(labels, code_id, self.balanced)
            model = LogisticRegression(C=BALANCED_C if self.balanced else 1.0, solver="liblinear", dual=True,
                                       tol=BALANCED_TOL if self.balanced else PLAIN_TOL, max_iter=1000,
                                       random_state=SEED)
            model.fit(x if len(rows) == x.shape[0] else _sorted_rows(x, rows), labels[rows], sample_weight=weights)
            coef = np.zeros(full.shape[1], dtype=np.float32)
            coef[columns] = model.coef_[0]
            coefs.append(coef)
            intercepts.append(model.intercept_[0])
            kept.append(code_id)
        self.code_ids = kept
        self.coef = np.array(coefs, dtype=np.float32).T if coefs else np.zeros((full.shape[1], 0), np.float32)
        self.intercept = np.array(intercepts)
        return self

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        decision = _dense(_fitted(self.space).rows(texts) @ _fitted(self.coef)) + self.intercept
        if self.balanced:
            return decision
        return 1.0 / (1.0 + np.exp(-decision))  # the plain baseline ranks by its own probabilities

    def z(self, texts: Sequence[str]) -> np.ndarray:
        if self.balanced:
            return super().z(texts)
        return self.raw(texts)

    def probability(self, z: np.ndarray) -> np.ndarray:
        return z if not self.balanced else super().probability(z)


def _columns(x, max_df: float):
    """The columns in at most `max_df` of the rows, as float64 CSR with sorted indices, built once
    (liblinear would otherwise copy and sort the matrix on every fit), and which columns they are."""
    import scipy.sparse as sp

    x = sp.csr_matrix(x, dtype=np.float64)
    df = np.bincount(x.indices, minlength=x.shape[1])
    # a small project keeps words found in up to 20 passages: 5% of 70 passages would leave almost none
    columns = np.flatnonzero((df > 0) & (df <= max(max_df * x.shape[0], 20)))
    if not len(columns):
        columns = np.flatnonzero(df > 0) if df.any() else np.arange(x.shape[1])
    x = x[:, columns].tocsr()
    x.sort_indices()
    return x, columns


def _sorted_rows(x, rows: np.ndarray):
    """Rows of a CSR matrix whose indices are sorted: picking rows keeps them sorted."""
    picked = x[rows]
    picked.has_sorted_indices = True
    return picked


def _rows_for(labels: np.ndarray, code_id: int, balanced: bool) -> tuple[np.ndarray, np.ndarray]:
    """The rows a code learns from and their weights: `balanced` gives each class n / (2 * its size)
    (sklearn's "balanced") and keeps at most BALANCED_NEGATIVES negatives (seeded per code),
    weighted up so that they stand for all of them; the plain baseline takes every row, weight 1."""
    positives, negatives = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    if not balanced:
        return np.arange(len(labels)), np.ones(len(labels))
    kept = negatives
    if len(negatives) > BALANCED_NEGATIVES:
        rng = np.random.default_rng(SEED + code_id)
        kept = rng.choice(negatives, BALANCED_NEGATIVES, replace=False)
    n = len(labels)
    weights = np.where(labels == 1, n / (2 * len(positives)), n / (2 * len(negatives)) * len(negatives) / len(kept))
    rows = np.union1d(positives, kept)
    return rows, weights[rows]


@dataclass
class Nearest(Ranker):
    """A code scores as the mean similarity of its NEAREST_K most similar coded passages."""

    space: Space | None = None
    passages: Any = None  # dense rows, or a scipy sparse matrix (untyped)
    members: list[np.ndarray] = field(default_factory=list)

    def fit(self, examples: Examples) -> Nearest:
        by_code: dict[int, list[int]] = {}
        for i, label in enumerate(examples.labels):
            for c in label:
                by_code.setdefault(c, []).append(i)
        self.code_ids = sorted(by_code)
        self.members = [np.asarray(by_code[c]) for c in self.code_ids]
        self.passages = _fitted(self.space).rows(examples.texts)
        return self

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        similarity = _dense(_fitted(self.space).rows(texts) @ _fitted(self.passages).T)
        out = np.zeros((len(texts), len(self.code_ids)))
        for k, rows in enumerate(self.members):
            block = similarity[:, rows]
            if block.shape[1] > NEAREST_K:
                block = np.partition(block, -NEAREST_K, axis=1)[:, -NEAREST_K:]
            out[:, k] = block.mean(axis=1) if block.shape[1] else 0.0
        return out


@dataclass
class Centroid(Ranker):
    """A code scores as the similarity to the mean of its passages (a prototype)."""

    space: Space | None = None
    prototypes: np.ndarray | None = None

    def fit(self, examples: Examples) -> Centroid:
        codes = sorted({c for label in examples.labels for c in label})
        self.code_ids = codes
        x = _fitted(self.space).rows(examples.texts)
        y = _label_matrix(examples.labels, codes)
        sums = _dense(x.T @ y).T if hasattr(x, "toarray") else (y.T @ x)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        self.prototypes = (sums / np.maximum(norms, 1e-9)).astype(np.float32)
        return self

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        return _dense(_fitted(self.space).rows(texts) @ _fitted(self.prototypes).T)


@dataclass
class Anchors(Ranker):
    """A code scores as the similarity to its own words in the codebook (needs no coding at all)."""

    space: Space | None = None
    anchors: np.ndarray | None = None

    def fit(self, examples: Examples) -> Anchors:
        paths = code_paths(examples.codes)
        texts = {c.stored_id: anchor_text(c, paths.get(c.stored_id, "")) for c in examples.codes}
        self.code_ids = [c for c, t in texts.items() if t]
        rows = _fitted(self.space).rows([texts[c] for c in self.code_ids])
        self.anchors = rows
        return self

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        if not self.code_ids:
            return np.zeros((len(texts), 0))
        return _dense(_fitted(self.space).rows(texts) @ _fitted(self.anchors).T)


@dataclass
class Fused(Ranker):
    """The mean z of several rankers per code (a code some member lacks is judged by the others)."""

    members: list[Ranker] = field(default_factory=list)
    parents: dict[int, int] = field(default_factory=dict)  # child -> parent, for `tree`
    tree: bool = False

    def fit(self, examples: Examples) -> Fused:
        for member in self.members:
            member.fit(examples)
            member.standardise(examples.background)
        self.code_ids = sorted({c for m in self.members for c in m.code_ids})
        if self.tree:
            self.parents = {c.stored_id: c.parent_id for c in examples.codes if c.parent_id is not None}
        return self

    def standardise(self, background: Sequence[str]) -> None:  # members are standardised already
        self.mean = np.zeros(len(self.code_ids))
        self.spread = np.ones(len(self.code_ids))

    def z(self, texts: Sequence[str]) -> np.ndarray:
        column = {c: k for k, c in enumerate(self.code_ids)}
        total = np.zeros((len(texts), len(self.code_ids)))
        count = np.zeros(len(self.code_ids))
        for member in self.members:
            if not member.code_ids:
                continue
            at = [column[c] for c in member.code_ids]
            total[:, at] += member.z(texts)
            count[at] += 1
        fused = total / np.maximum(count, 1)
        if not self.tree or not self.parents:
            return fused
        lifted = fused.copy()
        children: dict[int, list[int]] = {}
        for child, parent in self.parents.items():
            if child in column and parent in column:
                lifted[:, column[child]] += TREE_WEIGHT * fused[:, column[parent]]
                children.setdefault(parent, []).append(column[child])
        for parent, kids in children.items():
            lifted[:, column[parent]] += TREE_WEIGHT * fused[:, kids].max(axis=1)
        return lifted


def make(name: str, lexical: Space | None, semantic: Space | None) -> Ranker:
    """A fresh ranker of this name on these spaces."""
    if name == "prior":
        return Prior(name)
    if name in ("logreg", "balanced"):
        return Linear(name, space=lexical, balanced=name == "balanced")
    kinds = {"nearest": Nearest, "centroid": Centroid, "anchors": Anchors}
    if name in kinds:
        return kinds[name](name, space=lexical)
    if name.startswith("enc-") and name[4:] in kinds:
        if semantic is None:
            raise ValueError(f"{name} needs the sentence encoder")
        return kinds[name[4:]](name, space=semantic)
    if name.startswith("fused"):
        names = list(FUSED_LEXICAL) + (list(FUSED_SEMANTIC) if "+encoder" in name else [])
        return Fused(name, members=[make(n, lexical, semantic) for n in names], tree=name.endswith("+tree"))
    raise ValueError(f"unknown ranking method {name!r}")


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """One sigmoid for every code: p(coded | z), fitted on held-out z (Platt, smoothed targets)."""
    from .learned import _platt as platt

    slope, offset = platt(z, y)
    return (slope, offset) if slope > 0 else (1.0, -2.0)


def fit(name: str, examples: Examples, lexical: Space | None, semantic: Space | None) -> Ranker:
    """Fit a ranker, standardise it, and calibrate z on documents held out of a first fit."""
    ranker = make(name, lexical, semantic).fit(examples)
    ranker.standardise(examples.background)
    if isinstance(ranker, Prior) or (isinstance(ranker, Linear) and not ranker.balanced):
        return ranker
    documents = sorted(set(examples.groups))
    if len(documents) >= 3:
        held = set(documents[::3])
        inner = make(name, lexical, semantic).fit(examples.subset(set(documents) - held, examples.background))
        inner.standardise(examples.background)
        rows = [i for i, g in enumerate(examples.groups) if g in held]
        if rows and inner.code_ids:
            z = inner.z([examples.texts[i] for i in rows])
            y = _label_matrix([examples.labels[i] for i in rows], inner.code_ids)
            # every (passage, code) pair; subsample negatives so a 120-code project stays quick
            positives = np.argwhere(y == 1)
            negatives = np.argwhere(y == 0)
            rng = np.random.default_rng(SEED)
            if len(negatives) > 20 * max(len(positives), 50):
                negatives = negatives[rng.choice(len(negatives), 20 * max(len(positives), 50), replace=False)]
            pairs = np.vstack([positives, negatives]) if len(positives) else negatives
            if len(positives):
                ranker.slope, ranker.offset = _platt(z[pairs[:, 0], pairs[:, 1]], y[pairs[:, 0], pairs[:, 1]])
                inner.slope, inner.offset = ranker.slope, ranker.offset
                ranker.threshold = sentence_threshold(inner, examples.sentences.of(held))
    return ranker


def sentence_threshold(ranker: Ranker, sentences: Sentences, top: int = TOP) -> float:
    """The score cut with the best F1 over held-out sentences' top codes (a fixed 0.5 proposed almost
    nothing: a sentence resembles a whole coded paragraph only in part, so its scores run lower)."""
    if not sentences.texts or not ranker.code_ids:
        return DEFAULT_THRESHOLD
    scores, hits, positives = [], [], 0
    for ranked, truth, skip in zip(rank(ranker, sentences.texts, top), sentences.labels, sentences.grazed,
                                    strict=True):
        positives += len(truth - skip)
        for code_id, score in ranked.codes:
            if code_id not in skip:
                scores.append(score)
                hits.append(code_id in truth)
    if not positives or not scores:
        return DEFAULT_THRESHOLD
    order = np.argsort(-np.asarray(scores), kind="stable")
    ordered = np.asarray(scores)[order]
    true_positives = np.cumsum(np.asarray(hits)[order])
    f1 = 2 * true_positives / (np.arange(1, len(order) + 1) + positives)
    best = int(np.argmax(f1))
    below = ordered[best + 1] if best + 1 < len(ordered) else ordered[best] - 0.01
    return float(min(MAX_THRESHOLD, max(MIN_THRESHOLD, (ordered[best] + below) / 2)))


@dataclass(frozen=True)
class Ranked:
    """One unit's codes, best first: (code id, calibrated score)."""

    unit: int
    codes: tuple[tuple[int, float], ...]


def rank(ranker: Ranker, texts: Sequence[str], top: int | None = None) -> list[Ranked]:
    """Every text's codes ordered by z (the same order as the calibrated score), best first."""
    if not texts:
        return []
    z = ranker.z(texts)
    if not ranker.code_ids:
        return [Ranked(i, ()) for i in range(len(texts))]
    p = ranker.probability(z)
    order = np.argsort(-z, axis=1, kind="stable")
    if top is not None:
        order = order[:, :top]
    return [Ranked(i, tuple((ranker.code_ids[k], float(p[i, k])) for k in row)) for i, row in enumerate(order)]
