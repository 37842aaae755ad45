"""Proposing: what the trained models and the rankers propose for units, and storing it as a run.

Two ways to propose. The threshold methods (keyword, learned, encoder) propose a code for a
sentence when the code's own model says yes. The rankers (`rank.py`) give every unit its best
codes, ranked; `run` uses the project's chosen ranker (`choose.py`) unless methods are named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..model import SuggestionDraft
from ..store import Project
from . import learned
from .corpus import Corpus, load_corpus
from .models import DEFAULT_METHODS, Engine, train
from .units import Unit

if TYPE_CHECKING:
    from .choose import Choice
    from .rank import Ranker


@dataclass(frozen=True)
class Proposal:
    unit: int  # index into the units judged
    code_id: int
    score: float
    method: str


def propose(
    engine: Engine, units: Sequence[Unit], methods: Sequence[str] = DEFAULT_METHODS,
    texts: dict[int, str] | None = None, embed: Callable[[list[str]], np.ndarray] | None = None,
    fuse: bool = True,
) -> list[Proposal]:
    """What each method proposes for these sentences (above each code's threshold).

    With both the learned and the encoder methods, a code that has both models is judged by
    their fused score (`fuse`), which the evaluation showed to beat either alone.
    """
    found: list[Proposal] = []
    if "keyword" in methods:
        for unit_number, code_id, score, _ in engine.keywords.suggest(units, texts):
            found.append(Proposal(unit_number, code_id, score, "keyword"))
    judged: dict[str, dict[int, tuple[np.ndarray, float]]] = {}
    if "learned" in methods and engine.learned is not None and units:
        judged["learned"] = {code_id: (values, engine.learned.models[code_id].threshold)
                             for code_id, values in engine.learned.predict([u.text for u in units]).items()}
    if "encoder" in methods and engine.encoder is not None and units and embed is not None:
        judged["encoder"] = engine.encoder.predict(embed([u.text for u in units]))
    both = set(judged.get("learned", ())) & set(judged.get("encoder", ())) if fuse else set()
    for method, per_code in judged.items():
        for code_id, (values, threshold) in per_code.items():
            if code_id in both:
                continue
            for number in np.flatnonzero(values >= threshold):
                found.append(Proposal(int(number), code_id, float(values[number]), method))
    for code_id in sorted(both):
        # a code with both models: the mean of the two calibrated probabilities against the mean
        # threshold; each proposal is credited to the method that was surer of it
        (lexical, t_lexical), (semantic, t_semantic) = judged["learned"][code_id], judged["encoder"][code_id]
        fused, threshold = (lexical + semantic) / 2, (t_lexical + t_semantic) / 2
        for number in np.flatnonzero(fused >= threshold):
            method = "learned" if lexical[number] - t_lexical >= semantic[number] - t_semantic else "encoder"
            found.append(Proposal(int(number), code_id, float(fused[number]), method))
    return found


def combine(engine: Engine, proposals: Iterable[Proposal]) -> list[Proposal]:
    """One proposal per sentence and code: a learned model's where the code has one, keywords otherwise.

    A code with a model speaks through it (its threshold was chosen on held-out data); keyword
    hits for such a code are dropped, because the model already weighed those words. The
    encoder, when used, adds what neither found.
    """
    modelled = set(engine.learned.models) if engine.learned else set()
    best: dict[tuple[int, int], Proposal] = {}
    rank = {"learned": 0, "encoder": 1, "keyword": 2}
    for p in proposals:
        if p.method == "keyword" and p.code_id in modelled:
            continue
        key = (p.unit, p.code_id)
        if key not in best or rank[p.method] < rank[best[key].method]:
            best[key] = p
    return sorted(best.values(), key=lambda p: (p.unit, p.code_id))


# ---------------------------------------------------------------- runs
@dataclass(frozen=True)
class RunReport:
    """What one run of the engine did: runs recorded, suggestions stored, codes short of examples."""

    runs: dict[str, int]
    stored: int
    dropped: int
    needs: dict[int, int]
    examples: dict[int, int]
    method: str | None = ""  # ranked runs: the method used (None: nothing beats a guess)
    note: str = ""  # ranked runs: how the method was chosen
    unit: str = "sentence"


def drafts_for(
    engine: Engine, corpus: Corpus, document_ids: Iterable[int], methods: Sequence[str] = DEFAULT_METHODS,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> list[SuggestionDraft]:
    """What the trained engine proposes for these documents (reads nothing, writes nothing)."""
    units = corpus.units_of(document_ids)
    return [SuggestionDraft(units[p.unit].document_id, p.code_id, units[p.unit].start, units[p.unit].end,
                            round(p.score, 4), p.method)
            for p in combine(engine, propose(engine, units, methods, corpus.texts, embed))]


def store(
    project: Project, engine: Engine, drafts: Sequence[SuggestionDraft], document_ids: Iterable[int],
    methods: Sequence[str] = DEFAULT_METHODS, coder: str | None = None,
) -> RunReport:
    """Record one run per method and its drafts, replacing that method's earlier open proposals.

    A proposal made again keeps its id (so a list someone is reading stays valid); decisions stay.
    """
    docs = list(document_ids)
    runs: dict[str, int] = {}
    stored = dropped = 0
    with project.transaction():
        for method in methods:
            mine = [d for d in drafts if d.method == method]
            existing = project.open_suggestion_keys(method, docs)
            again = {existing[k] for k in ((d.document_id, d.code_id, d.start, d.end) for d in mine) if k in existing}
            dropped += project.drop_open_suggestions(method, docs, keep=again)
            runs[method] = project.add_suggestion_run(
                method, model=_model_name(method), parameters=_parameters(engine, method, docs), seed=learned.SEED,
                training_hash=engine.training_hash, coder=coder)
            stored += project.add_suggestions(runs[method], mine)
    return RunReport(runs, stored, dropped, engine.needs(), engine.examples)


def run(
    project: Project, document_ids: Iterable[int] | None = None, methods: Sequence[str] | None = None,
    coder: str | None = None, *, engine: Engine | None = None, corpus: Corpus | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> RunReport:
    """Propose for the documents (all if None) and store the proposals.

    Without `methods`, the project's ranker ranks codes for every unit (`run_ranked`); with the
    threshold methods (keyword, learned, encoder), those are trained (unless given an engine).
    """
    if methods is None or (len(methods) == 1 and methods[0] not in ("keyword", "learned", "encoder")):
        return run_ranked(project, document_ids, coder, method=None if methods is None else methods[0],
                          progress=progress)
    corpus = corpus or load_corpus(project)
    embed = None
    if "encoder" in methods:
        from .encoder import project_embedder

        embed = project_embedder(project)
    engine = engine or train(corpus, methods, embed=embed, progress=progress)
    docs = list(corpus.texts) if document_ids is None else list(document_ids)
    return store(project, engine, drafts_for(engine, corpus, docs, methods, embed), docs, methods, coder)


def _model_name(method: str) -> str:
    if method == "learned":
        return "tfidf+sgd"
    if method == "encoder":
        from ..text import encoder

        return encoder.model_name()
    return "phrase-matcher"


def _parameters(engine: Engine, method: str, docs: list[int]) -> dict:
    if method == "learned" and engine.learned is not None:
        return {**engine.learned.parameters, "documents": len(docs),
                "thresholds": {str(k): round(m.threshold, 4) for k, m in engine.learned.models.items()}}
    if method == "keyword":
        return {"scale": 4.0, "documents": len(docs), "keywords": len(engine.keywords.zh) + len(engine.keywords.en)}
    return {"documents": len(docs)}




# ------------------------------------------------------------- ranked
RANKED = "ranked"  # `run(methods=None)`: the project's chosen ranker


@dataclass
class Ranked:
    """A fitted ranker ready to propose, with the choice that picked it (None: nothing beats a guess)."""

    choice: Choice
    ranker: Ranker | None
    training_hash: str
    seconds: float = 0.0


def fit_ranked(corpus: Corpus, choice, embed: Callable[[list[str]], np.ndarray] | None = None,
               texts: Sequence[str] = ()) -> Ranked:
    """Fit the chosen ranker on every coded passage of the project (nothing when the choice is none)."""
    import time

    from . import rank
    from .evaluate import examples_for

    started = time.perf_counter()
    if choice.method is None:
        return Ranked(choice, None, choice.training_hash)
    coded = {c.document_id for c in corpus.codings}
    background_docs = coded or set(corpus.texts)
    examples = examples_for(corpus, background_docs, choice.unit)
    if not coded:
        examples = rank.Examples([], [], [], corpus.codes, examples.background)
    everything = [*examples.texts, *examples.background, *texts]
    lexical = rank.Space(everything or [" "])
    semantic = rank.Space(everything, embed) if embed is not None else None
    ranker = rank.fit(choice.method, examples, lexical, semantic)
    return Ranked(choice, ranker, choice.training_hash, time.perf_counter() - started)


def units_for(corpus: Corpus, document_ids: Iterable[int], unit: str) -> list[Unit]:
    return corpus.turns_of(document_ids) if unit == "turn" else corpus.units_of(document_ids)


def ranked_drafts(ranked: Ranked, corpus: Corpus, document_ids: Iterable[int], top: int = 3,
                  unit: str | None = None) -> list[SuggestionDraft]:
    """The top codes of every unit of these documents, best first (reads nothing, writes nothing)."""
    from . import rank

    if ranked.ranker is None:
        return []
    method = ranked.choice.method
    if method is None:  # nothing beat a guess (there is no ranker then)
        return []
    units = units_for(corpus, document_ids, unit or ranked.choice.unit)
    drafts = []
    for item in rank.rank(ranked.ranker, [u.text for u in units], top):
        u = units[item.unit]
        drafts += [SuggestionDraft(u.document_id, code_id, u.start, u.end, round(score, 4), method)
                   for code_id, score in item.codes]
    return drafts


def store_ranked(project: Project, ranked: Ranked, drafts: Sequence[SuggestionDraft], document_ids: Iterable[int],
                 coder: str | None = None, top: int = 3, encoder: bool = False) -> RunReport:
    """Record the run (with the choice that picked its method) and its drafts, replacing earlier
    ranked proposals of these documents; a proposal made again keeps its id."""
    from . import rank
    from .choose import record

    docs = list(document_ids)
    method = ranked.choice.method or "none"
    stored = dropped = 0
    with project.transaction():
        keep = set()
        for name in set(rank.method_names(True)) | {method}:
            existing = project.open_suggestion_keys(name, docs)
            keep |= {existing[k] for k in ((d.document_id, d.code_id, d.start, d.end) for d in drafts) if k in existing}
        for name in set(rank.method_names(True)) | {method}:
            dropped += project.drop_open_suggestions(name, docs, keep=keep)
        run_id = project.add_suggestion_run(
            method, model=_ranked_model(method), seed=rank.SEED, training_hash=ranked.training_hash, coder=coder,
            parameters={"selection": record(ranked.choice, encoder), "top": top, "unit": ranked.choice.unit,
                        "documents": len(docs), "calibration": "z per code against ordinary talk; one sigmoid",
                        "sentence_threshold": round(float(getattr(ranked.ranker, "threshold", 0.5)), 4)})
        stored = project.add_suggestions(run_id, drafts)
    return RunReport({method: run_id}, stored, dropped, {}, {}, method=ranked.choice.method,
                     note=ranked.choice.note, unit=ranked.choice.unit)


def _ranked_model(method: str) -> str:
    if "enc" in method:
        from ..text import encoder

        return f"tfidf + {encoder.model_name()}"
    return "tfidf words + char_wb 2-4" if method != "none" else ""


def run_ranked(
    project: Project, document_ids: Iterable[int] | None = None, coder: str | None = None, *,
    method: str | None = None, top: int = 3, unit: str | None = None, interviewers: bool = False,
    encoder: bool | None = None, refresh: bool = False, progress: Callable[[int, int], object] | None = None,
) -> RunReport:
    """Rank codes for every unit of the documents (all if None) with the project's method, and store them."""
    from .choose import Choice, choose

    corpus = load_corpus(project, interviewers=interviewers)
    embed = None
    if encoder is None:
        from .encoder import available

        encoder = available()
    if encoder:
        from .encoder import project_embedder

        embed = project_embedder(project)
    if method is None:
        choice = choose(project, corpus, embed, refresh=refresh, progress=progress)
    else:
        from .corpus import coding_unit, training_hash

        choice = Choice(method, coding_unit(corpus), training_hash(corpus), False, {}, f"{method}, as asked")
    if unit is not None:
        choice = type(choice)(choice.method, unit, choice.training_hash, choice.verified, choice.figures, choice.note)
    docs = list(corpus.texts) if document_ids is None else list(document_ids)
    texts = [u.text for u in units_for(corpus, docs, choice.unit)]
    ranked = fit_ranked(corpus, choice, embed, texts)
    return store_ranked(project, ranked, ranked_drafts(ranked, corpus, docs, top), docs, coder, top, encoder)
