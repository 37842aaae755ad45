"""Themes: segments (sentences or turns) clustered by what they say, labelled by their own words.

TF-IDF over jieba words and English lemmas, reduced with truncated SVD and clustered with
k-means (k by silhouette unless given), all seeded, so a run can be repeated and cited. With
`method="encoder"` the multilingual sentence encoder's embeddings replace TF-IDF, so Chinese and
English passages on one subject can share a theme. Promoting a theme makes suggestions, never
codings: a person decides each one.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .model import SuggestionDraft, WorkbenchError
from .store import Project
from .text import nlp
from .text.segment import has_han
from .words import term_lang

UNITS = ("sentence", "turn")
METHODS = ("tfidf", "encoder")
MIN_TERMS = 3  # a segment with fewer content words ("嗯，对。", "Yes, right.") says too little
K_RANGE = (2, 12)
N_INIT = 10
SILHOUETTE_SAMPLE = 3000
EXCERPTS = 5

Progress = Callable[[str, float], object]


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
    names = {row["id"]: (row["name"], row["case"]) for row in project.documents()}
    passages = []
    for document_id, (name, case) in names.items():
        text = project.document(document_id).text
        ranges = intervals.union(coded.get(document_id, []))
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
                words = tuple(nlp.terms(text[start:end]))
                if len(words) >= min_terms:
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
    k_range: tuple[int, int] = K_RANGE, progress: Progress | None = None,
) -> Clustering:
    """Group passages into themes; deterministic for a seed."""
    import sklearn.cluster  # noqa: F401  (loaded before the limit, so that it covers their OpenMP)
    import sklearn.decomposition  # noqa: F401
    from threadpoolctl import threadpool_limits

    if method not in METHODS:
        raise WorkbenchError(f"--method {method!r}: use tfidf or encoder")
    if len(passages) < 4:
        raise WorkbenchError(f"themes: only {len(passages)} segments with enough words to cluster "
                             f"(at least 4 are needed; try --scope all or --unit turn)")
    # Small problems run several times faster on one thread: OpenMP/BLAS start-up dominates them.
    with threadpool_limits(limits=1 if len(passages) < 20_000 else None):
        return _cluster(passages, k, seed, method, k_range, progress or (lambda stage, share: None))


def _cluster(passages, k, seed, method, k_range, say) -> Clustering:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    say("features", 0.05)
    vectors, model, features = _vectors(passages, method, seed)
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
    fits = {}
    for i, candidate in enumerate(candidates):
        km = KMeans(n_clusters=candidate, n_init=N_INIT, random_state=seed).fit(vectors)
        fits[candidate] = km
        if len(set(km.labels_)) > 1:
            silhouettes[candidate] = round(float(silhouette_score(
                vectors, km.labels_, metric="cosine", sample_size=min(n, SILHOUETTE_SAMPLE), random_state=seed)), 4)
        say("choosing k", 0.3 + 0.6 * (i + 1) / len(candidates))
    chosen = k if k is not None else max(silhouettes, key=lambda c: (silhouettes[c], -c))
    km = fits[chosen]
    say("labelling", 0.95)
    themes = _themes(passages, vectors, km.labels_, km.cluster_centers_)
    say("done", 1.0)
    return Clustering(tuple(themes), chosen, silhouettes, method, model, features)


def _vectors(passages: list[Passage], method: str, seed: int) -> tuple[np.ndarray, str, int]:
    from sklearn.preprocessing import normalize

    if method == "encoder":
        from .text import encoder  # noqa: PLC0415 (optional, loaded only when asked for)

        if not encoder.available():
            raise WorkbenchError(f"--method encoder: the multilingual encoder is not installed ({encoder.INSTALL_HINT})")
        return np.asarray(encoder.encode([p.text for p in passages]), dtype=np.float32), encoder.model_name(), 0
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    tfidf = TfidfVectorizer(analyzer=lambda terms: terms, min_df=2 if len(passages) >= 50 else 1,
                            sublinear_tf=True, dtype=np.float32)
    # Single Chinese characters (租, 搬, 家) are left out of the features: on the test corpus they made
    # k-means' purity swing between 0.89 and 0.97 by seed; without them it stays at 0.92-0.94.
    matrix = tfidf.fit_transform([[t for t in p.terms if len(t) > 1 or not has_han(t)] for p in passages])
    features = matrix.shape[1]
    components = min(100, features - 1, len(passages) - 1)
    if components < 2:
        return normalize(matrix.toarray()), "tfidf", features
    reduced = TruncatedSVD(n_components=components, random_state=seed).fit_transform(matrix)
    return normalize(reduced).astype(np.float32), f"tfidf+svd{components}", features


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
            if len(t) > 1 and (n > 1 or len(counter) < 20)
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
    method: str = "tfidf", coder: str | None = None, progress: Progress | None = None,
) -> int:
    """Cluster the project's segments and record the run with its parameters; returns the run id."""
    import sklearn

    passages = collect_passages(project, unit, scope)
    result = cluster(passages, k=k, seed=seed, method=method, progress=progress)
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
        "features": result.features, "segments": len(passages), "min_terms": MIN_TERMS,
        "k_range": list(K_RANGE) if k is None else None, "silhouettes": result.silhouettes,
        "n_init": N_INIT, "tokenizer": "jieba words + spaCy lookup lemmas (workbench.text.nlp)",
        "scikit_learn": sklearn.__version__,
    }
    return project.add_theme_run(unit=unit, scope=scope, k=result.k, seed=seed, method=method, model=result.model,
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
        project.log("themes promote", {"theme": theme_id, "code_id": target, "suggestions": stored,
                                       "min_score": min_score}, coder)
    return target, stored
