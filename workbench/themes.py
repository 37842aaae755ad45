"""Themes: segments (sentences or turns) clustered by what they say, labelled by their own words.

TF-IDF over jieba words and English lemmas, reduced with truncated SVD and clustered with
k-means (k by silhouette unless given), all seeded, so a run can be repeated and cited. With
`method="encoder"` the multilingual sentence encoder's embeddings replace TF-IDF, so Chinese and
English passages on one subject share a theme; `method="auto"` (the default) takes the encoder when
it is installed: on the constructed zh+en corpus it found the three subjects as three bilingual
themes (purity 1.0, k chosen = 3) where TF-IDF splits every subject by language (k = 11-12). Promoting a theme makes suggestions, never
codings: a person decides each one.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .model import SuggestionDraft, WorkbenchError
from .store import Project
from .text import nlp
from .text.segment import has_han
from .words import INDEX_VERSION, document_words, term_lang
from .store.events import Action

UNITS = ("sentence", "turn")
METHODS = ("auto", "tfidf", "encoder")
EMBED_CHUNK = 1024  # sentences per embedding call: a progress step and a cancellation point
MIN_TERMS = 3  # a segment with fewer theme words ("嗯，对。", "Yes, I think so.") says too little
K_RANGE = (2, 12)
N_INIT = 10  # k-means restarts when k is chosen over every segment
N_INIT_LARGE = 4  # ...and over a sample of a large set
K_SAMPLE = 5000  # above this many segments, k is chosen on a seeded sample
SILHOUETTE_SAMPLE = 2000
MAX_FEATURES = 20_000
SVD_COMPONENTS = 100
SVD_ITERATIONS = 4
SVD_SAMPLE = 10_000  # above this many segments, the SVD is fitted on a seeded sample

# How interviewees talk rather than what about: never a feature or a label of a theme. Kept here, not
# in the shared stop words, because word frequencies should still count them.
DISCOURSE_WORDS = frozenset("""
maybe say said tell feel think know thing stuff really just lot kind sort way year time like
go get got come make want need see look mean guess yeah yes okay ok well right sure actually
basically probably little bit much many also always still even ever back day thank people
something anything everything someone somebody thing kind lot one two three first last
good bad great big small new old different same whole long short today take talk ask give put
start try use keep let call find hundred thousand million half
觉得 感觉 可能 知道 东西 时候 事情 应该 还是 已经 一直 特别 真的 一下 那种 这种 有点 一点 一些
比较 现在 当时 后来 然后 所以 因为 但是 反正 其实 差不多 那么 这么 怎么 什么 为什么 没有 不是
可以 就是 就是说 还有 一个 这个 那个 一样 自己 大家 他们 我们 你们 人家 这样 那样 这边 那边
说 想 讲 问 看 做 去 来 年 月 天 有时候 平时 一般 主要 基本上 当然 比如 比如说 介绍 introduce
""".split())
EXCERPTS = 5

Progress = Callable[[str, float], object]
Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Passage:
    """A segment to cluster: where it is, its words, who said it."""

    document_id: int
    document: str
    start: int
    end: int
    text: str
    terms: tuple[str, ...]
    case: str | None = None


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
    silhouettes: dict[int, float]
    method: str
    model: str
    features: int


# ---------------------------------------------------------------- segments
def collect_passages(project: Project, unit: str = "sentence", scope: str = "uncoded",
                     min_terms: int = MIN_TERMS) -> list[Passage]:
    """The segments of the project in scope: uncoded text, all text, or a code's passages."""
    from . import intervals
    from .codebook.ops import descendants
    from .coding import code_id

    if unit not in UNITS:
        raise WorkbenchError(f"--unit {unit!r}: use sentence or turn")
    coded: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if scope == "uncoded":
        for coding in project.codings():
            coded[coding.document_id].append((coding.start, coding.end))
    elif scope != "all":
        ids = descendants(project, code_id(project, scope))
        for coding in project.codings(code_ids=ids):
            coded[coding.document_id].append((coding.start, coding.end))
    from .words import ensure_index

    ensure_index(project)  # words come from the index: nothing is cut again for a run of themes
    names = {row["id"]: (row["name"], row["case"]) for row in project.documents()}
    passages = []
    for document_id, (name, case) in names.items():
        text = project.document(document_id).text
        ranges = intervals.union(coded.get(document_id, []))
        starts, norms, _ = document_words(project, document_id)
        for turn in project.turns(document_id):
            spans = ([(turn.start, turn.end)] if unit == "turn"
                     else nlp.sentence_spans(text, turn.start, turn.end))
            for start, end in spans:
                start, end = _without_speaker_label(text, start, end, turn.speaker)
                if end <= start:
                    continue
                inside = sum(max(0, min(end, e) - max(start, s)) for s, e in ranges)
                if scope == "uncoded" and inside > 0:
                    continue
                if scope not in ("uncoded", "all") and inside * 2 < end - start:
                    continue  # a code's passages: segments at least half inside its codings
                words = tuple(norms[bisect_left(starts, start):bisect_left(starts, end)])
                if sum(map(theme_word, words)) >= min_terms:
                    passages.append(Passage(document_id, name, start, end, text[start:end], words, case))
    return passages


def _without_speaker_label(text: str, start: int, end: int, speaker: str | None) -> tuple[int, int]:
    """Drop a leading 'Interviewer:' / '受访者：' so labels never become theme words."""
    if speaker:
        head = text[start:min(end, start + len(speaker) + 20)]
        at = head.find(speaker)
        if 0 <= at <= 12:
            rest = at + len(speaker)
            while rest < len(head) and head[rest] in ":：]） \t":
                rest += 1
            if rest > at + len(speaker):
                start += rest
    return start, end


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
    # One thread: with k chosen on a sample and the SVD fitted on one, every step is small, and OpenMP/BLAS
    # start-up and contention with other work on a shared machine cost more than a second core gives.
    with threadpool_limits(limits=1):
        return _cluster(passages, k, seed, method, k_range, progress or (lambda stage, share: None), embed)


def resolve_method(method: str) -> str:
    """The method a run uses: `auto` is the encoder when installed (better across languages), else TF-IDF."""
    from .text import encoder

    if method not in METHODS:
        raise WorkbenchError(f"--method {method!r}: use auto, tfidf or encoder")
    if method == "auto":
        return "encoder" if encoder.available() else "tfidf"
    if method == "encoder" and not encoder.available():
        raise WorkbenchError(f"--method encoder: the multilingual encoder is not installed ({encoder.INSTALL_HINT})")
    return method


def _cluster(passages, k, seed, method, k_range, say, embed) -> Clustering:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    say("features", 0.05)
    vectors, model, features = _vectors(passages, method, seed, embed, say)
    n = len(passages)
    say("choosing k", 0.3)
    silhouettes: dict[int, float] = {}
    if k is not None:
        if not 2 <= k <= n - 1:
            raise WorkbenchError(f"--k {k}: choose between 2 and {n - 1} for {n} segments")
        candidates = [k]
    else:
        low, high = k_range
        candidates = list(range(low, min(high, n - 1) + 1))
    # k is chosen on a seeded sample (every segment when there are few): k-means and silhouettes over
    # 50,000 segments cost minutes and choose the same k; the final fit starts from the sample's centres.
    sample = np.arange(n) if n <= K_SAMPLE else np.sort(np.random.default_rng(seed).choice(n, K_SAMPLE, replace=False))
    n_init = N_INIT if n <= K_SAMPLE else N_INIT_LARGE
    fits = {}
    for i, candidate in enumerate(candidates):
        km = KMeans(n_clusters=candidate, n_init=n_init, random_state=seed).fit(vectors[sample])
        fits[candidate] = km
        if len(set(km.labels_)) > 1 and len(candidates) > 1:
            silhouettes[candidate] = round(float(silhouette_score(
                vectors[sample], km.labels_, metric="cosine", sample_size=min(len(sample), SILHOUETTE_SAMPLE),
                random_state=seed)), 4)
        say("choosing k", 0.3 + 0.6 * (i + 1) / len(candidates))
    chosen = k if k is not None else max(silhouettes, key=lambda c: (silhouettes[c], -c))
    km = fits[chosen]
    if n > K_SAMPLE:
        # copy_x=False: centred in place and put back, instead of a second copy of every vector.
        km = KMeans(n_clusters=chosen, init=km.cluster_centers_, n_init=1, random_state=seed, copy_x=False).fit(vectors)
    say("labelling", 0.95)
    themes = _themes(passages, vectors, km.labels_, km.cluster_centers_)
    say("done", 1.0)
    return Clustering(tuple(themes), chosen, silhouettes, method, model, features)


def _vectors(passages: list[Passage], method: str, seed: int, embed: Embed | None = None,
             say: Progress = lambda stage, share: None) -> tuple[np.ndarray, str, int]:
    from sklearn.preprocessing import normalize

    if method == "encoder":
        return _embeddings(passages, embed, say)
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    many = len(passages) >= 50
    tfidf = TfidfVectorizer(analyzer=lambda terms: terms, min_df=2 if many else 1, max_df=0.5 if many else 1.0,
                            max_features=MAX_FEATURES, sublinear_tf=True, dtype=np.float32)
    # Single Chinese characters (租, 搬, 家) are left out of the features: on the test corpus they made
    # k-means' purity swing between 0.89 and 0.97 by seed; without them it stays at 0.92-0.94.
    # Interview talk (maybe, say, feel, 觉得, 东西) is left out too: it groups segments by how people speak.
    matrix = tfidf.fit_transform([[t for t in p.terms if theme_word(t)] for p in passages])
    features = matrix.shape[1]
    # ~100 dimensions for thousands of segments, fewer for a few hundred: with nearly as many dimensions as
    # segments nothing is merged, and k-means leaves one catch-all theme next to a few tiny exact ones.
    components = min(SVD_COMPONENTS, max(10, len(passages) // 20), features - 1, len(passages) - 1)
    if components < 2:
        return normalize(matrix.toarray()), "tfidf", features
    svd = TruncatedSVD(n_components=components, algorithm="randomized", n_iter=SVD_ITERATIONS, random_state=seed)
    if matrix.shape[0] > SVD_SAMPLE:  # the axes of a seeded sample describe the rest as well, at a fraction of the cost
        rows = np.sort(np.random.default_rng(seed).choice(matrix.shape[0], SVD_SAMPLE, replace=False))
        reduced = svd.fit(matrix[rows]).transform(matrix)
    else:
        reduced = svd.fit_transform(matrix)
    return normalize(reduced).astype(np.float32), f"tfidf+svd{components}", features


def _embeddings(passages: list[Passage], embed: Embed | None, say: Progress) -> tuple[np.ndarray, str, int]:
    """The encoder's unit vectors of the passages, each distinct text embedded once (and cached by `embed`)."""
    from .suggest.encoder import embedder
    from .text import encoder

    embed = embed or embedder()
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
        for text, row in zip(chunk, rows):
            vectors[places[text]] = row
        say("embedding", 0.05 + 0.25 * min(1.0, (first + len(chunk)) / len(distinct)))
    if vectors is None:
        vectors = np.zeros((0, 512), dtype=np.float32)
    return vectors, encoder.model_name(), int(vectors.shape[1])


def theme_word(term: str) -> bool:
    """Whether a term may shape and name a theme: no single Han characters, no interview talk, no counts."""
    if has_han(term) and (len(term) < 2 or (len(term) == 2 and term[0] in _COUNTING and term[1] in _MEASURES)):
        return False  # 几个, 三年, 一块, 这项: how many, not what
    return term not in DISCOURSE_WORDS


_COUNTING = frozenset("一二三四五六七八九十百千万几两这那每各某半多")
_MEASURES = frozenset("个年块项次天月些种样位条件岁点回遍周部类")


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
        ranked = sorted(zip(members, scores.tolist()), key=lambda p: (-p[1], p[0]))
        excerpts, seen = [], set()
        for index, _ in ranked:
            key = " ".join(passages[index].text.split())
            if key not in seen:
                seen.add(key)
                excerpts.append(index)
            if len(excerpts) == EXCERPTS:
                break
        terms = top_terms[cluster_id]
        langs = Counter(_passage_lang(passages[i]) for i in members)
        themes.append(Theme(
            label=" · ".join(terms[:3]) or "(no label)", terms=tuple(terms),
            members=tuple((i, round(max(0.0, min(1.0, s)), 4)) for i, s in ranked),
            excerpts=tuple(excerpts), languages=dict(langs.most_common()),
            documents=tuple(sorted({passages[i].document for i in members})),
            cases=tuple(sorted({passages[i].case for i in members if passages[i].case})),
        ))
    themes.sort(key=lambda t: (-t.size, t.label))
    return themes


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


def _passage_lang(passage: Passage) -> str:
    langs = Counter(term_lang(t) for t in passage.terms)
    zh, en = langs.get("zh", 0), langs.get("en", 0)
    if zh and en and min(zh, en) / (zh + en) > 0.2:
        return "mixed"
    return "zh" if zh >= en else "en"


# ----------------------------------------------------------------- runs
def run(
    project: Project, *, unit: str = "sentence", scope: str = "uncoded", k: int | None = None, seed: int = 0,
    method: str = "auto", coder: str | None = None, progress: Progress | None = None,
) -> int:
    """Cluster the project's segments and record the run with its parameters; returns the run id."""
    import sklearn

    requested, method = method, resolve_method(method)
    passages = collect_passages(project, unit, scope)
    embed = None
    if method == "encoder":
        from .suggest.encoder import project_embedder

        embed = project_embedder(project)  # the suggestions' embedding cache: a sentence is embedded once
    result = cluster(passages, k=k, seed=seed, method=method, progress=progress, embed=embed)
    themes = []
    for theme in result.themes:
        rank = {index: r for r, index in enumerate(theme.excerpts)}
        themes.append({
            "label": theme.label, "size": theme.size, "terms": list(theme.terms),
            "languages": theme.languages, "documents": list(theme.documents), "cases": list(theme.cases),
            "members": [{"document_id": passages[i].document_id, "start": passages[i].start,
                         "end": passages[i].end, "score": score, "representative": rank.get(i)}
                        for i, score in theme.members],
        })
    parameters = {
        "unit": unit, "scope": scope, "k_requested": k, "k": result.k, "seed": seed, "method": method,
        "method_requested": requested, "model": result.model, "features": result.features, "segments": len(passages), "min_terms": MIN_TERMS,
        "k_range": list(K_RANGE) if k is None else None, "silhouettes": result.silhouettes,
        "n_init": N_INIT if len(passages) <= K_SAMPLE else N_INIT_LARGE, "k_sample": K_SAMPLE,
        "silhouette_sample": SILHOUETTE_SAMPLE, "max_features": MAX_FEATURES, "svd_components": SVD_COMPONENTS,
        "svd_iterations": SVD_ITERATIONS, "svd_sample": SVD_SAMPLE, "discourse_words": len(DISCOURSE_WORDS),
        "tokenizer": "jieba words + spaCy lookup lemmas (workbench.text.nlp), from the word index " + INDEX_VERSION,
        "scikit_learn": sklearn.__version__,
    }
    return project.add_theme_run(unit=unit, scope=scope, k=result.k, seed=seed, method=result.method, model=result.model,
                                 parameters=parameters, themes=themes, coder=coder)


def promote(
    project: Project, theme_id: int, *, code: str | None = None, new_code: str | None = None,
    min_score: float = 0.0, coder: str | None = None,
) -> tuple[int, int]:
    """Turn a theme's passages into suggestions for a code (new or existing); returns (code id, stored).

    Nothing is coded: the suggestions wait for a person to accept or reject them.
    """
    from .codebook.ops import add_code
    from .coding import code_id as resolve_code
    from .model import Code

    theme = project.theme(theme_id)
    if (code is None) == (new_code is None):
        raise WorkbenchError("promote: name an existing code with --code, or a new one with --new-code")
    if code is not None:
        target = resolve_code(project, code)
    else:
        name = (new_code or "").strip() or theme["label"].replace("/", "·")
        zh = next((t for t in theme["terms"] if term_lang(t) == "zh"), "")
        target = add_code(project, Code(name=name, name_zh=zh if name != zh else "",
                                        definition=f"From theme {theme['label']} (theme {theme_id})",
                                        keywords_en=[t for t in theme["terms"] if term_lang(t) == "en"][:5],
                                        keywords_zh=[t for t in theme["terms"] if term_lang(t) == "zh"][:5]),
                          coder=coder)
    members = [m for m in project.theme_members(theme_id) if m["score"] >= min_score]
    run_info = project.theme_run(theme["run_id"])
    run_id = project.add_suggestion_run(
        "theme", model=run_info["model"] or "",
        parameters={"theme_run": run_info["guid"], "theme": theme["guid"], "label": theme["label"],
                    "min_score": min_score, **{k: run_info["parameters"].get(k) for k in ("unit", "scope", "k")}},
        seed=run_info["seed"], coder=coder)
    stored = project.add_suggestions(run_id, [
        SuggestionDraft(m["document_id"], target, m["start"], m["end"], float(m["score"]), "theme") for m in members])
    with project.transaction():
        project.set_theme_code(theme_id, target)
        project.log(Action.THEMES_PROMOTE, {"theme": theme_id, "code_id": target, "suggestions": stored,
                                       "min_score": min_score}, coder)
    return target, stored
