"""Passages grouped into themes: vectors, the number of themes, labels.

Vectors are TF-IDF per language (each language's words from its own tokenizer, reduced with truncated
SVD, clustered on their own, so a language never steals another's themes) or the multilingual
encoder's embeddings (one space, so Chinese and English passages on one subject share a theme).

The number of themes is chosen by *stable coverage*, not by silhouette: on sentence vectors of real
interviews every silhouette lay between 0.05 and 0.09 (no signal) and the highest picked k=2 (issue
19). For each k from 3 to 12, k-means is fitted on every passage and again on a few seeded resamples
(80 %); a theme is *stable* when a resample finds it again (Jaccard >= 0.75 on the shared passages)
in most resamples. A theme counts towards k's coverage when it is stable, above a size floor, below
40 % of the passages (a larger one is a split such as one theme per language), and labelled
distinctly (its three label words are not mostly another theme's, and it is not one language's
half of a theme a smaller k found in both languages). Among the ks whose coverage is within 15 % of
the best, the largest wins: coarse splits (one theme per language) are always stable, and finer
themes that hold up nearly as well say more. Everything is seeded, so a run can be repeated and cited.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..model import WorkbenchError
from .passages import Passage, theme_word

METHODS = ("auto", "tfidf", "encoder")
EMBED_CHUNK = 1024  # sentences per embedding call: a progress step and a cancellation point
K_RANGE = (3, 12)  # never fewer than 3 themes where there are passages enough for them
RESAMPLES = 5
RESAMPLE_SHARE = 0.8
MATCH_JACCARD = 0.75  # a theme found again in a resample
STABLE_SHARE = 0.6  # ...in at least this share of the resamples
MIN_SIZE = 3  # a theme smaller than this (or than MIN_SHARE of the passages) does not count as covered
MIN_SHARE = 0.01
MAX_SHARE = 0.4  # a theme holding more of the passages is a split (one per language), not a theme: not covered
K_TOLERANCE = 0.15  # ks with coverage within this share of the best: the largest is taken (coarse splits,
# such as one theme per language, are always stable; finer themes that hold up nearly as well say more)
LABEL_OVERLAP = 2  # label words shared with a larger theme that make a label not distinct
N_INIT = 10  # k-means restarts for each candidate k (4 gave one impure seed of three on the test corpus)
N_INIT_RESAMPLE = 2
K_SAMPLE = 2000  # above this many passages, k is chosen on a seeded sample
MAX_FEATURES = 20_000
SVD_COMPONENTS = 100
SVD_ITERATIONS = 4
SVD_SAMPLE = 10_000  # above this many segments, the SVD is fitted on a seeded sample
MIN_GROUP = 8  # a language with fewer passages is one theme of its own (TF-IDF)
EXCERPTS = 5

Progress = Callable[[str, float], object]
Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Theme:
    label: str
    terms: tuple[str, ...]
    members: tuple[tuple[int, float], ...]  # (passage index, similarity to the centre), best first
    excerpts: tuple[int, ...]  # passage indices of the representative excerpts
    languages: dict[str, int] = field(default_factory=dict)
    documents: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Clustering:
    themes: tuple[Theme, ...]
    k: int
    coverage: dict[str, dict[int, float]]  # group (a language, or "all") -> k -> stable coverage
    chosen: dict[str, int]  # group -> its k
    method: str
    model: str
    features: int
    sizes: dict[str, int] = field(default_factory=dict)  # group -> passages

    @property
    def stability(self) -> float:
        """Share of the passages in stable, distinct themes at the chosen k (weighted over groups)."""
        total = sum(self.sizes.values()) or 1
        return round(sum(self.coverage[g].get(k, 0.0) * self.sizes.get(g, 0) for g, k in self.chosen.items())
                     / total, 4)


# -------------------------------------------------------------- clustering
def cluster(
    passages: list[Passage], *, k: int | None = None, seed: int = 0, method: str = "tfidf",
    k_range: tuple[int, int] = K_RANGE, progress: Progress | None = None, embed: Embed | None = None,
) -> Clustering:
    """Group passages into themes; deterministic for a seed.

    `embed` maps texts to unit vectors for the encoder method (default: the encoder, cached in memory);
    `run` passes the project's embedding cache so that a sentence is embedded once, ever.
    """
    import sklearn.cluster  # noqa: F401  (loaded before the limit, so that it covers their OpenMP)
    import sklearn.decomposition  # noqa: F401
    from threadpoolctl import threadpool_limits

    method = resolve_method(method)
    if len(passages) < 4:
        raise WorkbenchError(f"themes: only {len(passages)} segments with enough words to cluster "
                             f"(at least 4 are needed; try --scope all or --unit turn)")
    if k is not None and not 2 <= k <= len(passages) - 1:
        raise WorkbenchError(f"--k {k}: choose between 2 and {len(passages) - 1} for {len(passages)} segments")
    # One thread: with k chosen on a sample and the SVD fitted on one, every step is small, and OpenMP/BLAS
    # start-up and contention with other work on a shared machine cost more than a second core gives.
    with threadpool_limits(limits=1):
        return _cluster(passages, k, seed, method, k_range, progress or (lambda stage, share: None), embed)


def resolve_method(method: str) -> str:
    """`tfidf` or `encoder` as asked (the encoder must be installed); `auto` is decided per project by
    `runs.choose_method`, and here (without a project) is the encoder when installed."""
    from ..text import encoder

    if method not in METHODS:
        raise WorkbenchError(f"--method {method!r}: use auto, tfidf or encoder")
    if method == "auto":
        return "encoder" if encoder.available() else "tfidf"
    if method == "encoder" and not encoder.available():
        raise WorkbenchError(f"--method encoder: the multilingual encoder is not installed ({encoder.INSTALL_HINT})")
    return method


def language_groups(passages: list[Passage]) -> dict[str, list[int]]:
    """Passage indices per language, for TF-IDF: mixed zh/en passages go with the language of most words."""
    from ..words import term_lang

    groups: dict[str, list[int]] = defaultdict(list)
    for index, passage in enumerate(passages):
        lang = passage.language
        if lang in ("mixed", "und"):
            counts = Counter(term_lang(t) for t in passage.terms)
            lang = "zh" if counts.get("zh", 0) >= counts.get("en", 0) else "en"
        groups[lang].append(index)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def _cluster(passages, k, seed, method, k_range, say, embed) -> Clustering:
    n = len(passages)
    say("features", 0.05)
    if method == "encoder":
        vectors, model, features = _embeddings(passages, embed, say)
        plan = [("all", list(range(n)), vectors)]
    else:
        groups = language_groups(passages)
        plan, model, features = [], "", 0
        for lang, members in groups.items():
            vectors, group_model, group_features = _tfidf([passages[i] for i in members], seed)
            plan.append((lang, members, vectors))
            model = model or group_model  # the largest language's
            features += group_features
    wanted = _allot(k, {group: len(members) for group, members, _ in plan}) if k is not None else {}
    themes: list[Theme] = []
    coverage: dict[str, dict[int, float]] = {}
    chosen: dict[str, int] = {}
    for step, (group, members, vectors) in enumerate(plan):
        share = (0.3 + 0.6 * step / len(plan), 0.6 / len(plan))
        group_passages = [passages[i] for i in members]

        def choosing(done: float, share: tuple[float, float] = share) -> None:
            say("choosing k", share[0] + share[1] * done)

        labels, centres, scores = _fit(vectors, [p.terms for p in group_passages], wanted.get(group), seed,
                                       k_range, choosing, [p.language for p in group_passages])
        chosen[group] = int(centres.shape[0])
        coverage[group] = scores
        for theme in _themes(group_passages, vectors, labels, centres):
            themes.append(_reindex(theme, members))
    say("labelling", 0.95)
    themes = _distinct_labels(sorted(themes, key=lambda t: (-t.size, t.label)))
    say("done", 1.0)
    return Clustering(tuple(themes), len(themes), coverage, chosen, method, model, features,
                      {group: len(members) for group, members, _ in plan})


def _allot(k: int, sizes: dict[str, int]) -> dict[str, int]:
    """A requested k shared among language groups by their sizes (largest remainder), at least one each."""
    total = sum(sizes.values())
    exact = {g: k * n / total for g, n in sizes.items()}
    given = {g: max(1, int(x)) for g, x in exact.items()}
    for g in sorted(exact, key=lambda g: (-(exact[g] - int(exact[g])), g)):
        if sum(given.values()) >= k:
            break
        given[g] += 1
    return {g: min(given[g], max(1, sizes[g] - 1)) for g in given}


def _fit(vectors: np.ndarray, terms: list[tuple[str, ...]], k: int | None, seed: int, k_range: tuple[int, int],
         say: Callable[[float], object], langs: list[str] | None = None
         ) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    """(labels, centres, coverage per candidate k) for one group of passages."""
    from sklearn.cluster import KMeans

    n = len(vectors)
    most = max(1, n // (2 * MIN_SIZE))
    if k is None:
        low, high = min(k_range[0], most), min(k_range[1], most)
        candidates = list(range(max(2, low), high + 1)) if n >= MIN_GROUP and most >= 2 else [1]
    else:
        candidates = [min(k, n - 1)] if n > 1 else [1]
    if candidates == [1]:
        return np.zeros(n, dtype=int), vectors.mean(axis=0, keepdims=True), {1: 1.0}
    sample = np.arange(n) if n <= K_SAMPLE else np.sort(np.random.default_rng(seed).choice(n, K_SAMPLE, replace=False))
    scores: dict[int, float] = {}
    fits = {}
    joined: tuple[np.ndarray, ...] = ()  # stable bilingual themes of the smaller ks
    sample_langs = [langs[j] for j in sample] if langs is not None else None
    for i, candidate in enumerate(candidates):
        fits[candidate] = KMeans(n_clusters=candidate, n_init=N_INIT, random_state=seed).fit(vectors[sample])
        scores[candidate], found = _coverage(vectors[sample], fits[candidate].labels_, [terms[j] for j in sample],
                                             candidate, seed, sample_langs, joined)
        joined += tuple(found)
        say((i + 1) / len(candidates))
    best = max(scores.values())
    # Nothing holds up at any k: the fewest themes, broad ones, rather than many arbitrary ones.
    chosen = max(c for c in candidates if scores[c] >= best * (1 - K_TOLERANCE)) if best > 0 else candidates[0]
    km = fits[chosen]
    if n > K_SAMPLE:
        km = KMeans(n_clusters=chosen, init=km.cluster_centers_, n_init=1, random_state=seed).fit(vectors)
    return km.labels_, km.cluster_centers_, scores


def stable_coverage(vectors: np.ndarray, labels: np.ndarray, terms: list[tuple[str, ...]], k: int, seed: int,
                    langs: list[str] | None = None, joined: tuple[np.ndarray, ...] = ()) -> float:
    """Share of passages in themes that are stable across resamples, large enough and distinctly labelled."""
    return _coverage(vectors, labels, terms, k, seed, langs, joined)[0]


def _coverage(vectors: np.ndarray, labels: np.ndarray, terms: list[tuple[str, ...]], k: int, seed: int,
              langs: list[str] | None, joined: tuple[np.ndarray, ...]) -> tuple[float, list[np.ndarray]]:
    """(coverage, the stable themes that join Chinese and English), given those a smaller k found (`joined`):
    one language's half of a theme already found in both is a split by language, not a theme of its own."""
    from sklearn.cluster import KMeans

    n = len(vectors)
    members = [np.flatnonzero(labels == c) for c in range(k)]
    found_again = np.zeros(k)
    rng = np.random.default_rng(seed + 7919)
    for r in range(RESAMPLES):
        rows = np.sort(rng.choice(n, max(k + 1, int(n * RESAMPLE_SHARE)), replace=False))
        again = KMeans(n_clusters=k, n_init=N_INIT_RESAMPLE, random_state=seed + 1 + r).fit(vectors[rows]).labels_
        reference = labels[rows]
        for c in range(k):
            mine = reference == c
            if not mine.any():
                continue
            best = max(_jaccard(mine, again == d) for d in np.unique(again[mine]))
            found_again[c] += best >= MATCH_JACCARD
    floor = max(MIN_SIZE, MIN_SHARE * n)
    label_words = class_tfidf({c: [terms[i] for i in members[c]] for c in range(k)}, top=3)
    order = sorted(range(k), key=lambda c: -len(members[c]))
    covered, bilingual = 0, []
    for rank, c in enumerate(order):
        words = set(label_words[c])
        distinct = bool(words) and all(len(words & set(label_words[o])) < LABEL_OVERLAP for o in order[:rank])
        if not (found_again[c] >= STABLE_SHARE * RESAMPLES and floor <= len(members[c]) <= MAX_SHARE * n):
            continue
        mask = np.zeros(n, dtype=bool)
        mask[members[c]] = True
        if langs is not None:
            shares = Counter(langs[i] for i in members[c])
            zh, en = shares.get("zh", 0) + shares.get("mixed", 0), shares.get("en", 0) + shares.get("mixed", 0)
            if min(zh, en) >= 0.2 * len(members[c]):
                bilingual.append(mask)
            elif any(np.count_nonzero(mask & theme) >= 0.9 * len(members[c]) for theme in joined):
                distinct = False  # the Chinese (or English) half of a bilingual theme
        if distinct:
            covered += len(members[c])
    return round(covered / n, 4), bilingual


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    union = np.count_nonzero(a | b)
    return np.count_nonzero(a & b) / union if union else 0.0


def _tfidf(passages: list[Passage], seed: int) -> tuple[np.ndarray, str, int]:
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    many = len(passages) >= 50
    tfidf = TfidfVectorizer(analyzer=lambda terms: terms, min_df=2 if many else 1, max_df=0.5 if many else 1.0,
                            max_features=MAX_FEATURES, sublinear_tf=True, dtype=np.float32)
    # Single Chinese characters (租, 搬, 家) are left out of the features: on the test corpus they made
    # k-means' purity swing between 0.89 and 0.97 by seed; without them it stays at 0.92-0.94.
    # Interview talk (maybe, say, feel, 觉得, 东西) is left out too: it groups segments by how people speak.
    rows = [[t for t in p.terms if theme_word(t)] for p in passages]
    try:
        matrix = tfidf.fit_transform(rows)
    except ValueError:  # no feature left (every word too common or too rare): one theme
        return np.ones((len(passages), 1), dtype=np.float32), "tfidf", 0
    features = matrix.shape[1]
    # ~100 dimensions for thousands of segments, fewer for a few hundred: with nearly as many dimensions as
    # segments nothing is merged, and k-means leaves one catch-all theme next to a few tiny exact ones.
    components = min(SVD_COMPONENTS, max(10, len(passages) // 20), features - 1, len(passages) - 1)
    if components < 2:
        return normalize(matrix.toarray()), "tfidf", features
    svd = TruncatedSVD(n_components=components, algorithm="randomized", n_iter=SVD_ITERATIONS, random_state=seed)
    if matrix.shape[0] > SVD_SAMPLE:  # the axes of a seeded sample describe the rest as well, at a fraction of the cost
        sample = np.sort(np.random.default_rng(seed).choice(matrix.shape[0], SVD_SAMPLE, replace=False))
        reduced = svd.fit(matrix[sample]).transform(matrix)
    else:
        reduced = svd.fit_transform(matrix)
    return normalize(reduced).astype(np.float32), f"tfidf+svd{components}", features


def _embeddings(passages: list[Passage], embed: Embed | None, say: Progress) -> tuple[np.ndarray, str, int]:
    """The encoder's unit vectors of the passages, each distinct text embedded once (and cached by `embed`)."""
    from ..text import encoder

    if embed is None:
        from ..text.embeddings import embedder
        embed = embedder()
    # The sentence text as the suggestions engine's units have it, so that the two share cached vectors.
    places: dict[str, list[int]] = {}
    for index, passage in enumerate(passages):
        places.setdefault(passage.text, []).append(index)
    distinct = list(places)
    vectors: np.ndarray | None = None
    # Each chunk's rows go straight to their places in one matrix: no second copy (issue 11: memory).
    for first in range(0, len(distinct), EMBED_CHUNK):
        chunk = distinct[first:first + EMBED_CHUNK]
        rows = embed(chunk)
        if vectors is None:
            vectors = np.empty((len(passages), rows.shape[1]), dtype=np.float32)
        for text, row in zip(chunk, rows, strict=True):
            vectors[places[text]] = row
        say("embedding", 0.05 + 0.25 * min(1.0, (first + len(chunk)) / len(distinct)))
    if vectors is None:
        vectors = np.zeros((0, 512), dtype=np.float32)
    return vectors, encoder.model_name(), int(vectors.shape[1])


# ---------------------------------------------------------------- labels
def _themes(passages: list[Passage], vectors: np.ndarray, labels: np.ndarray, centres: np.ndarray) -> list[Theme]:
    from sklearn.preprocessing import normalize

    centres = normalize(centres)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        groups[int(label)].append(index)
    top_terms = class_tfidf({c: [passages[i].terms for i in members] for c, members in groups.items()})
    themes = []
    for cluster_id, members in groups.items():
        scores = vectors[members] @ centres[cluster_id]
        ranked = sorted(zip(members, scores.tolist(), strict=True), key=lambda p: (-p[1], p[0]))
        excerpts, seen = [], set()
        for index, _ in ranked:
            key = " ".join(passages[index].text.split())
            if key not in seen:
                seen.add(key)
                excerpts.append(index)
            if len(excerpts) == EXCERPTS:
                break
        terms = top_terms[cluster_id]
        langs = Counter(passages[i].language for i in members)
        themes.append(Theme(
            label=" · ".join(terms[:3]) or "(no label)", terms=tuple(terms),
            members=tuple((i, round(max(0.0, min(1.0, s)), 4)) for i, s in ranked),
            excerpts=tuple(excerpts), languages=dict(langs.most_common()),
            documents=tuple(sorted({passages[i].document for i in members})),
            cases=tuple(sorted({case for i in members if (case := passages[i].case)})),
        ))
    return themes


def _reindex(theme: Theme, members: list[int]) -> Theme:
    """A group's theme with passage indices into the whole list."""
    from dataclasses import replace

    return replace(theme, members=tuple((members[i], s) for i, s in theme.members),
                   excerpts=tuple(members[i] for i in theme.excerpts))


def _distinct_labels(themes: list[Theme]) -> list[Theme]:
    """No two themes with one label: a repeated label takes the theme's next words."""
    from dataclasses import replace

    seen: set[str] = set()
    result = []
    for theme in themes:
        label, extra = theme.label, 3
        while label in seen and extra < len(theme.terms):
            extra += 1
            label = " · ".join(theme.terms[:extra])
        seen.add(label)
        result.append(replace(theme, label=label) if label != theme.label else theme)
    return result


def class_tfidf(classes: dict[int, list[tuple[str, ...]]], top: int = 10) -> dict[int, list[str]]:
    """Each class's most distinctive terms (c-TF-IDF): frequent in the class, rare elsewhere.

    Single Chinese characters and single letters never label a theme: they read as fragments.
    """
    counts = {c: Counter(t for terms in docs for t in terms) for c, docs in classes.items()}
    across: Counter = Counter()
    for counter in counts.values():
        across.update(counter)
    average = sum(across.values()) / max(1, len(counts))
    result = {}
    for c, counter in counts.items():
        total = sum(counter.values()) or 1
        scored = [
            (n / total * math.log(1 + average / across[t]), t) for t, n in counter.items()
            if len(t) > 1 and theme_word(t) and (n > 1 or len(counter) < 20)
        ]
        scored.sort(key=lambda p: (-p[0], p[1]))
        result[c] = [t for _, t in scored[:top]]
    return result


def distinctness(themes: tuple[Theme, ...] | list[Theme]) -> float:
    """How different the themes' words are: 1 minus each theme's largest overlap (Jaccard of its ten words)
    with another theme, averaged. 1.0: no theme shares a word with another."""
    sets = [set(t.terms) for t in themes]
    if len(sets) < 2:
        return 0.0
    overlaps = [max((len(a & b) / len(a | b) if a | b else 1.0) for j, b in enumerate(sets) if j != i)
                for i, a in enumerate(sets)]
    return round(1 - sum(overlaps) / len(overlaps), 4)
