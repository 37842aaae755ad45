"""Runs of themes: made, compared, recorded and promoted to suggestions.

`evaluate` clusters the project's passages with each method (TF-IDF per language, the encoder when
installed) and compares them by stable coverage and label distinctness; `auto` takes the winner for
this project and remembers it (keyed by the passages clustered), so the comparison is made once.
Promoting a theme makes suggestions, never codings: a person decides each one.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..model import SuggestionDraft, WorkbenchError
from ..store import Project
from ..store.events import Action
from . import clustering as cl
from .passages import DISCOURSE_WORDS, MIN_TERMS, Passage, collect_passages

Progress = Callable[[str, float], object]
METHOD_CACHE = "themes.auto"  # project meta key: the method `auto` chose, for which passages
TIE = 0.05  # scores this close: the encoder wins where it joins languages on one subject (bilingual themes)
JOINS = 0.2  # ...that is, where at least this share more of the passages are in bilingual themes


@dataclass(frozen=True)
class MethodScore:
    """One method's figures on a project's passages."""

    method: str
    k: int
    stability: float  # share of passages in stable, distinctly labelled themes at the chosen k
    distinctness: float  # 1 - mean largest word overlap between themes
    bilingual: float  # share of passages in themes holding Chinese and English (each >= 20 %)
    seconds: float

    @property
    def score(self) -> float:
        return round((self.stability + self.distinctness) / 2, 4)


@dataclass(frozen=True)
class Evaluation:
    rows: tuple[MethodScore, ...]
    winner: str
    reason: str
    segments: int
    fingerprint: str
    results: dict  # method -> Clustering (not kept in the cache)


def _embedder(project: Project):
    from ..text.embeddings import project_embedder
    return project_embedder(project)  # the suggestions' embedding cache: a sentence is embedded once


def methods_available() -> list[str]:
    from ..text import encoder

    return ["tfidf", "encoder"] if encoder.available() else ["tfidf"]


def fingerprint(passages: list[Passage], unit: str, scope: str, seed: int) -> str:
    digest = hashlib.sha256(f"{unit}|{scope}|{seed}".encode())
    for p in passages:
        digest.update(f"{p.document_id}:{p.start}:{p.end};".encode())
    return digest.hexdigest()[:16]


def score(result: cl.Clustering) -> MethodScore:
    """The figures of one clustering (seconds filled in by the caller)."""
    total = sum(t.size for t in result.themes) or 1
    bilingual = sum(t.size for t in result.themes if _bilingual(t)) / total
    return MethodScore(result.method, result.k, result.stability, cl.distinctness(result.themes),
                       round(bilingual, 4), 0.0)


def _bilingual(theme: cl.Theme) -> bool:
    zh = theme.languages.get("zh", 0) + theme.languages.get("mixed", 0)
    en = theme.languages.get("en", 0) + theme.languages.get("mixed", 0)
    return min(zh, en) >= 0.2 * theme.size


def evaluate(
    project: Project, *, unit: str = "sentence", scope: str = "uncoded", seed: int = 0, interviewers: bool = False,
    methods: list[str] | None = None, passages: list[Passage] | None = None, progress: Progress | None = None,
) -> Evaluation:
    """Each method on this project's passages, compared; the winner is remembered for `auto`."""
    from dataclasses import replace

    passages = collect_passages(project, unit, scope, interviewers=interviewers) if passages is None else passages
    methods = methods or methods_available()
    rows, results = [], {}
    for i, method in enumerate(methods):
        started = time.perf_counter()
        say = ((lambda stage, share, i=i, method=method: progress(f"{method}: {stage}", (i + share) / len(methods)))
               if progress else None)
        embed = _embedder(project) if method == "encoder" else None
        result = cl.cluster(passages, seed=seed, method=method, progress=say, embed=embed)
        results[method] = result
        rows.append(replace(score(result), seconds=round(time.perf_counter() - started, 2)))
    best = max(rows, key=lambda r: (r.score, r.method == "tfidf"))  # a tie: the cheaper method
    encoder_row = next((r for r in rows if r.method == "encoder"), None)
    if (encoder_row is not None and best.method != "encoder" and best.score - encoder_row.score <= TIE
            and encoder_row.bilingual - best.bilingual >= JOINS):
        reason = (f"within {TIE} of {best.method}'s score, and {encoder_row.bilingual:.0%} of the passages in "
                  "themes that join Chinese and English")
        best = encoder_row
    else:
        reason = "highest mean of stability and distinctness" if len(rows) > 1 else "the only method installed"
    key = fingerprint(passages, unit, scope, seed)
    with project.transaction():
        project.set_meta(METHOD_CACHE, json.dumps({
            "fingerprint": key, "method": best.method, "reason": reason, "interviewers": interviewers,
            "table": [r.__dict__ for r in rows]}, ensure_ascii=False))
    return Evaluation(tuple(rows), best.method, reason, len(passages), key, results)


def cached_choice(project: Project, key: str) -> dict | None:
    """What `auto` chose before for these passages, if it did."""
    raw = project.meta(METHOD_CACHE)
    if not raw:
        return None
    found = json.loads(raw)
    return found if found.get("fingerprint") == key and found.get("method") in methods_available() else None


def run(
    project: Project, *, unit: str = "sentence", scope: str = "uncoded", k: int | None = None, seed: int = 0,
    method: str = "auto", coder: str | None = None, progress: Progress | None = None, interviewers: bool = False,
) -> int:
    """Cluster the project's segments and record the run with its parameters; returns the run id.

    `auto` takes the method that won this project's own comparison (made now, once, if not cached).
    """
    import sklearn

    requested = method
    if method not in cl.METHODS:
        raise WorkbenchError(f"--method {method!r}: use auto, tfidf or encoder")
    passages = collect_passages(project, unit, scope, interviewers=interviewers)
    choice, result = None, None
    if method == "auto":
        key = fingerprint(passages, unit, scope, seed)
        choice = cached_choice(project, key)
        if choice is None and len(methods_available()) > 1 and len(passages) >= 4:
            evaluation = evaluate(project, unit=unit, scope=scope, seed=seed, interviewers=interviewers,
                                  passages=passages, progress=progress)
            choice = cached_choice(project, key)
            if k is None:
                result = evaluation.results[evaluation.winner]
        method = choice["method"] if choice else cl.resolve_method("auto")
    else:
        method = cl.resolve_method(method)
    if result is None:
        embed = _embedder(project) if method == "encoder" else None
        result = cl.cluster(passages, k=k, seed=seed, method=method, progress=progress, embed=embed)
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
    from ..words import INDEX_VERSION

    parameters = {
        "unit": unit, "scope": scope, "k_requested": k, "k": result.k, "seed": seed, "method": method,
        "method_requested": requested, "method_reason": (choice or {}).get("reason"),
        "model": result.model, "features": result.features, "segments": len(passages), "min_terms": MIN_TERMS,
        "interviewers": interviewers, "k_choice": "stable coverage" if k is None else "requested",
        "k_range": list(cl.K_RANGE) if k is None else None,
        "groups": {g: {"passages": result.sizes.get(g), "k": result.chosen[g],
                       "coverage": {str(c): v for c, v in result.coverage[g].items()}} for g in result.chosen},
        "stability": result.stability, "distinctness": cl.distinctness(result.themes),
        "resamples": cl.RESAMPLES, "resample_share": cl.RESAMPLE_SHARE, "match_jaccard": cl.MATCH_JACCARD,
        "stable_share": cl.STABLE_SHARE, "min_size": cl.MIN_SIZE, "min_share": cl.MIN_SHARE,
        "k_tolerance": cl.K_TOLERANCE, "n_init": cl.N_INIT, "k_sample": cl.K_SAMPLE,
        "max_features": cl.MAX_FEATURES, "svd_components": cl.SVD_COMPONENTS,
        "svd_iterations": cl.SVD_ITERATIONS, "svd_sample": cl.SVD_SAMPLE, "discourse_words": len(DISCOURSE_WORDS),
        "stopwords": len(project.stopwords()),
        "tokenizer": "jieba words, spaCy lookup lemmas, spaCy blank tokenizers for other languages "
                     "(workbench.text.nlp), from the word index " + INDEX_VERSION,
        "scikit_learn": sklearn.__version__,
    }
    return project.add_theme_run(unit=unit, scope=scope, k=result.k, seed=seed, method=result.method,
                                 model=result.model, parameters=parameters, themes=themes, coder=coder)


def promote(
    project: Project, theme_id: int, *, code: str | None = None, new_code: str | None = None,
    parent: str | None = None, name_zh: str = "", min_score: float = 0.0, coder: str | None = None,
) -> tuple[int, int]:
    """Turn a theme's passages into suggestions for a code (new or existing); returns (code id, stored).

    A new code gets the name given (the theme's label if empty), under `parent` if given, and a Chinese
    name only when one is given. Nothing is coded: the suggestions wait for a person to accept or reject them.
    """
    from ..codebook.ops import add_code
    from ..coding import code_id as resolve_code
    from ..model import Code
    from ..words import term_lang

    theme = project.theme(theme_id)
    if (code is None) == (new_code is None):
        raise WorkbenchError("promote: name an existing code with --code, or a new one with --new-code")
    if code is not None:
        if parent:
            raise WorkbenchError("promote: --parent goes with --new-code (an existing code keeps its place)")
        target = resolve_code(project, code)
    else:
        name = (new_code or "").strip() or theme.label.replace("/", "·")
        parent_id = resolve_code(project, parent) if parent else None
        target = add_code(project, Code(name=name, name_zh=name_zh.strip() if name_zh.strip() != name else "",
                                        definition=f"From theme {theme.label} (theme {theme_id})",
                                        keywords_en=[t for t in theme.terms if term_lang(t) == "en"][:5],
                                        keywords_zh=[t for t in theme.terms if term_lang(t) == "zh"][:5]),
                          parent_id=parent_id, coder=coder)
    members = [m for m in project.theme_members(theme_id) if m.score >= min_score]
    run_info = project.theme_run(theme.run_id)
    run_id = project.add_suggestion_run(
        "theme", model=run_info.model or "",
        parameters={"theme_run": run_info.guid, "theme": theme.guid, "label": theme.label,
                    "min_score": min_score, **{k: run_info.parameters.get(k) for k in ("unit", "scope", "k")}},
        seed=run_info.seed, coder=coder)
    stored = project.add_suggestions(run_id, [
        SuggestionDraft(m.document_id, target, m.start, m.end, float(m.score), "theme") for m in members])
    with project.transaction():
        project.set_theme_code(theme_id, target)
        project.log(Action.THEMES_PROMOTE, {"theme": theme_id, "code_id": target, "suggestions": stored,
                                       "min_score": min_score}, coder)
    return target, stored
