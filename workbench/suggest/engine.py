"""The suggestion engine: learn from a project's coding, propose codes for sentences, record runs.

Pure functions over a `Project`; the CLI and the TUI call these. Proposals become codings only
through `accept`, which a person triggers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .. import coding as coding_ops
from .. import intervals
from ..model import Code, Coding, Suggestion, SuggestionDraft, WorkbenchError
from ..store import Project
from . import learned
from .keyword import KeywordIndex
from .units import Unit, document_units, unit_labels  # noqa: F401  (Unit is part of the API)
from ..store.events import Action

METHODS = ("keyword", "learned", "encoder")
DEFAULT_METHODS = ("keyword", "learned")  # what runs without the optional sentence encoder


def default_methods() -> tuple[str, ...]:
    """Keywords and learned models, plus the encoder where it is installed.

    On the bilingual evaluation set the learned and encoder models fused per code beat either
    alone (macro-F1 0.59 against 0.49 learned, 0.57 encoder); on the demo they tie.
    """
    from .encoder import available

    return DEFAULT_METHODS + (("encoder",) if available() else ())
HUMAN_ORIGINS = ("manual", "import", "suggestion", "theme")  # keyword auto-coding teaches nothing new


@dataclass(frozen=True)
class Corpus:
    """A project's documents cut into sentences, with people's codings."""

    texts: dict[int, str]
    units: list[Unit]
    codings: list[Coding]
    codes: list[Code]

    def units_of(self, document_ids: Iterable[int]) -> list[Unit]:
        wanted = set(document_ids)
        return [u for u in self.units if u.document_id in wanted]


def load_corpus(project: Project, document_ids: Iterable[int] | None = None) -> Corpus:
    """Every document (or those named) as sentences, and the human codings."""
    ids = [row["id"] for row in project.documents()] if document_ids is None else list(document_ids)
    texts, units = {}, []
    for doc_id in ids:
        document = project.document(doc_id)
        texts[doc_id] = document.text
        units += document_units(doc_id, document.text, [(t.start, t.end, t.speaker) for t in project.turns(doc_id)])
    codings = [c for c in project.codings() if c.origin in HUMAN_ORIGINS]
    codes = [code for root in project.code_tree() for _, code in root.walk()]
    return Corpus(texts, units, codings, codes)


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: list[set[int]]
    ignore: list[set[int]]
    groups: list[int]
    examples: dict[int, int]  # code -> distinct coded passages (overlapping codings count once)


def training_set(corpus: Corpus, document_ids: Iterable[int] | None = None, rule: str = "half") -> TrainingSet:
    """Sentences of coded documents with their codes, plus each coded passage as an example itself.

    Negatives for a code are the sentences of coded documents that nobody coded with it.
    """
    coded = {c.document_id for c in corpus.codings}
    if document_ids is not None:
        coded &= set(document_ids)
    codings = [c for c in corpus.codings if c.document_id in coded]
    units = corpus.units_of(coded)
    labels, grazed = unit_labels(units, codings, rule)
    texts = [u.text for u in units]
    groups = [u.document_id for u in units]
    # each distinct coded passage, labelled with every code that covers it
    seen: set[tuple[int, int, int]] = set()
    passages = []
    for c in codings:
        if (c.document_id, c.start, c.end) not in seen:
            seen.add((c.document_id, c.start, c.end))
            passages.append(Unit(c.document_id, c.start, c.end, corpus.texts[c.document_id][c.start:c.end], -1))
    passage_labels, passage_grazed = unit_labels(passages, codings, rule)
    for passage, label, graze in zip(passages, passage_labels, passage_grazed):
        if passage.text.strip():
            texts.append(passage.text)
            labels.append(label)
            ignore_these = graze
            grazed.append(ignore_these)
            groups.append(passage.document_id)
    return TrainingSet(texts, labels, grazed, groups, passage_counts(codings))


def passage_counts(codings: Iterable[Coding]) -> dict[int, int]:
    """Code -> how many distinct passages people coded with it (two coders on one quote: one)."""
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for c in codings:
        spans.setdefault((c.code_id, c.document_id), []).append((c.start, c.end))
    counts: dict[int, int] = {}
    for (code_id, _), found in spans.items():
        counts[code_id] = counts.get(code_id, 0) + len(intervals.union(found))
    return counts


def training_hash(corpus: Corpus, document_ids: Iterable[int] | None = None) -> str:
    """A fingerprint of what a model learned from: the codings (code, document, span, coder)."""
    allowed = None if document_ids is None else set(document_ids)
    digest = hashlib.sha256()
    for c in sorted(corpus.codings, key=lambda c: (c.document_id, c.start, c.end, c.code_id, c.coder)):
        if allowed is None or c.document_id in allowed:
            digest.update(f"{c.document_id}:{c.code_id}:{c.start}:{c.end}:{c.coder}\n".encode())
    return digest.hexdigest()


@dataclass
class Engine:
    """What one training produced: keywords, learned models, optionally the encoder's models."""

    keywords: KeywordIndex
    learned: learned.Trained | None = None
    encoder: object | None = None  # encoder.EncoderModels
    training_hash: str = ""
    examples: dict[int, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for benchmarks

    def needs(self) -> dict[int, int]:
        """Code id -> how many more examples it needs before the learned method proposes it."""
        if self.learned is None:
            return {}
        return {code_id: s.needed for code_id, s in self.learned.shortfalls.items()}


def train(
    corpus: Corpus, methods: Sequence[str] = DEFAULT_METHODS, *, document_ids: Iterable[int] | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
    progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] | None = None,
    settings: learned.Settings = learned.DEFAULT, keywords: KeywordIndex | None = None,
) -> Engine:
    """Train the chosen methods on the corpus's codings (only those on `document_ids` if given)."""
    import time

    started = time.perf_counter()
    engine = Engine(keywords or KeywordIndex.from_codes(corpus.codes).fit(u.text for u in corpus.units))
    engine.timings["keywords_s"] = time.perf_counter() - started
    allowed = None if document_ids is None else list(document_ids)
    engine.training_hash = training_hash(corpus, allowed)
    if "learned" not in methods and "encoder" not in methods:
        return engine
    started = time.perf_counter()
    data = training_set(corpus, allowed, settings.positive)
    code_ids = [code.id for code in corpus.codes]
    engine.timings["training_set_s"] = time.perf_counter() - started
    if "learned" in methods:
        engine.learned = learned.train(data.texts, data.labels, data.groups, code_ids, ignore=data.ignore,
                                       examples=data.examples, descendants=descendants(corpus.codes),
                                       extra_texts=[u.text for u in corpus.units], progress=progress,
                                       cancelled=cancelled, settings=settings)
        engine.timings.update(engine.learned.timings)
    engine.examples = {cid: data.examples.get(cid, 0) for cid in code_ids}
    if "encoder" in methods:
        from .encoder import train_encoder

        if embed is None:
            raise WorkbenchError("the encoder method needs an embedding function")
        started = time.perf_counter()
        engine.encoder = train_encoder(data.texts, data.labels, data.groups, code_ids, data.ignore, embed,
                                       settings=settings)
        engine.timings["encoder_s"] = time.perf_counter() - started
    return engine


def descendants(codes: Iterable[Code]) -> dict[int, set[int]]:
    """Code id -> the ids of every code below it in the tree."""
    children: dict[int, list[int]] = {}
    for code in codes:
        if code.parent_id is not None:
            children.setdefault(code.parent_id, []).append(code.id)
    found: dict[int, set[int]] = {}

    def below(code_id: int) -> set[int]:
        if code_id not in found:
            found[code_id] = set()
            for child in children.get(code_id, ()):
                found[code_id] |= {child} | below(child)
        return found[code_id]

    for code in codes:
        below(code.id)
    return found


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
        for number, code_id, score, _ in engine.keywords.suggest(units, texts):
            found.append(Proposal(number, code_id, score, "keyword"))
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
    progress: Callable[[int, int], None] | None = None,
) -> RunReport:
    """Train (unless given an engine), propose for the documents (all if None) and store the proposals."""
    methods = default_methods() if methods is None else methods
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


# ------------------------------------------------------------ deciding
def accept(project: Project, suggestion_id: int, coder: str) -> int:
    """Make an open suggestion a coding (origin `suggestion`), linked both ways, in one transaction."""
    with project.transaction():
        found = _open(project, suggestion_id)
        coding_id = coding_ops.apply_code(project, found.document_id, found.code_id, found.start, found.end,
                                          coder, origin="suggestion")
        project.decide_suggestion(suggestion_id, "accepted", coder, coding_id)
        project.log(Action.SUGGEST_ACCEPT, {"suggestion": suggestion_id, "coding": coding_id, "run": found.run_id,
                                       "method": found.method}, coder)
    return coding_id


def reject(project: Project, suggestion_id: int, coder: str) -> None:
    """Remember that this span is not this code, so it is never proposed again (even if the code goes)."""
    with project.transaction():
        found = _open(project, suggestion_id)
        project.decide_suggestion(suggestion_id, "rejected", coder)
        project.log(Action.SUGGEST_REJECT, {"suggestion": suggestion_id, "code_guid": found.code_guid,
                                       "run": found.run_id}, coder)


def reopen(project: Project, suggestion_id: int, coder: str) -> None:
    """Undo a decision: the suggestion is open again and an accepted one's coding is removed."""
    with project.transaction():
        found = project.suggestion(suggestion_id)
        if found is None:
            raise WorkbenchError(f"no suggestion with id {suggestion_id}")
        if found.coding_id is not None and project.coding(found.coding_id) is not None:
            coding_ops.remove_coding(project, found.coding_id, coder)
        project.decide_suggestion(suggestion_id, "open", coder)
        project.log(Action.SUGGEST_REOPEN, {"suggestion": suggestion_id}, coder)


def accept_above(project: Project, threshold: float, coder: str, code_ids: Iterable[int] | None = None,
                 document_id: int | None = None) -> list[int]:
    """Accept every open suggestion scoring at least `threshold` (of some codes); one transaction."""
    with project.transaction():
        chosen = project.open_suggestions(document_id=document_id, code_ids=code_ids, min_score=threshold)
        return [accept(project, s.id, coder) for s in chosen]


def _open(project: Project, suggestion_id: int) -> Suggestion:
    found = project.suggestion(suggestion_id)
    if found is None:
        raise WorkbenchError(f"{project.path.name}: no suggestion with id {suggestion_id}")
    if found.status != "open":
        raise WorkbenchError(f"{project.path.name}: suggestion {suggestion_id} was already {found.status}"
                             + (f" by {found.decided_by}" if found.decided_by else ""))
    if found.code_id is None:
        raise WorkbenchError(f"{project.path.name}: suggestion {suggestion_id}: its code was deleted")
    return found
