"""An honest measure of the suggestions: train on some documents, score on documents held out.

Human-coded documents are split into folds by document (GroupKFold), so no sentence of a
held-out interview, nor its neighbours, is ever learned from. Scoring is at sentence level:
a sentence is positive for a code when people coded it (see `units.unit_labels`); sentences
a coding only grazes are left out for that code. Nothing is written to the project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model import WorkbenchError
from . import engine as engine_mod
from . import learned, rank
from .corpus import Corpus, coded_passages, coding_unit
from .engine import Proposal
from .keyword import KeywordIndex
from .units import unit_labels

DEFAULT_FOLDS = 5


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class MethodScores:
    """One method's counts per code, with micro and macro summaries over codes people used."""

    per_code: dict[int, Counts] = field(default_factory=dict)

    def micro(self) -> Counts:
        total = Counts()
        for counts in self.per_code.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    def macro(self, code_ids: Sequence[int]) -> dict:
        chosen = [self.per_code.get(c, Counts()) for c in code_ids]
        if not chosen:
            return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
        return {name: round(float(np.mean([getattr(c, name) for c in chosen])), 4)
                for name in ("precision", "recall", "f1")}


@dataclass
class Evaluation:
    """The result: methods x codes, the folds used and each code's number of examples."""

    folds: int
    documents: int
    sentences: int
    methods: dict[str, MethodScores]
    examples: dict[int, int]
    gold: dict[int, int]  # code -> held-out positive sentences
    code_paths: dict[int, str]
    encoder_note: str = ""

    def scored_codes(self) -> list[int]:
        """Codes with at least one held-out positive sentence: the ones macro averages run over."""
        return sorted((c for c, n in self.gold.items() if n > 0), key=lambda c: self.code_paths.get(c, ""))

    def summary(self) -> dict[str, dict]:
        codes = self.scored_codes()
        return {name: {"micro": scores.micro().as_dict(), "macro": scores.macro(codes)}
                for name, scores in self.methods.items()}

    def as_dict(self) -> dict:
        codes = self.scored_codes()
        return {
            "folds": self.folds, "documents": self.documents, "sentences": self.sentences,
            "unit": "sentence", "encoder": self.encoder_note or "used",
            "summary": self.summary(),
            "codes": [
                {"code": self.code_paths.get(c, str(c)), "examples": self.examples.get(c, 0),
                 "held_out_positives": self.gold.get(c, 0),
                 "methods": {name: s.per_code.get(c, Counts()).as_dict() for name, s in self.methods.items()}}
                for c in codes
            ],
        }


def evaluate(
    corpus: Corpus, code_paths: dict[int, str], *, folds: int = DEFAULT_FOLDS,
    embed: Callable[[list[str]], np.ndarray] | None = None, encoder_note: str = "",
    progress: Callable[[int, int], object] | None = None, settings: learned.Settings = learned.DEFAULT,
) -> Evaluation:
    """Cross-validate keyword, learned, encoder (when `embed` is given) and their combinations.

    Held-out sentences are always judged by the same rule (a coding covers half of the sentence or
    half of the coding lies in it), whatever rule `settings` trains with.
    """
    coded = sorted({c.document_id for c in corpus.codings})
    if len(coded) < 2:
        raise WorkbenchError("evaluation needs people's coding in at least 2 documents "
                             f"(this project has {len(coded)})")
    folds = max(2, min(folds, len(coded)))
    from sklearn.model_selection import GroupKFold

    methods = ["keyword", "learned"] + (["encoder"] if embed is not None else [])
    names = ["keyword", "learned", "combined"] + (["encoder", "combined+encoder"] if embed else [])
    scores = {name: MethodScores() for name in names}
    gold_total: dict[int, int] = {}
    documents = np.asarray(coded)
    splitter = GroupKFold(n_splits=folds)
    sentences = 0
    keywords = KeywordIndex.from_codes(corpus.codes).fit(u.text for u in corpus.units)  # needs no coding
    for number, (train_index, test_index) in enumerate(splitter.split(documents, groups=documents)):
        train_docs = set(documents[train_index].tolist())
        test_docs = set(documents[test_index].tolist())
        trained = engine_mod.train(corpus, methods, document_ids=train_docs, embed=embed, settings=settings,
                                   keywords=keywords)
        units = corpus.units_of(test_docs)
        sentences += len(units)
        gold, grazed = unit_labels(units, [c for c in corpus.codings if c.document_id in test_docs])
        for labels in gold:
            for code_id in labels:
                gold_total[code_id] = gold_total.get(code_id, 0) + 1
        proposals = engine_mod.propose(trained, units, methods, corpus.texts, embed, fuse=False)
        by_method: dict[str, list[Proposal]] = {
            "keyword": [p for p in proposals if p.method == "keyword"],
            "learned": [p for p in proposals if p.method == "learned"],
            "combined": engine_mod.combine(trained, [p for p in proposals if p.method != "encoder"]),
        }
        if embed:
            by_method["encoder"] = [p for p in proposals if p.method == "encoder"]
            fused = engine_mod.propose(trained, units, methods, corpus.texts, embed, fuse=True)
            by_method["combined+encoder"] = engine_mod.combine(trained, fused)
        for name, found in by_method.items():
            _score(scores[name], found, gold, grazed)
        if progress:
            progress(number + 1, folds)
    examples = engine_mod.passage_counts(corpus.codings)
    return Evaluation(folds, len(coded), sentences, scores, examples, gold_total, code_paths, encoder_note)


def _score(scores: MethodScores, proposals: list[Proposal], gold: list[set[int]], grazed: list[set[int]]) -> None:
    predicted: dict[int, set[int]] = {}
    for p in proposals:
        predicted.setdefault(p.unit, set()).add(p.code_id)
    for index, truth in enumerate(gold):
        guessed = predicted.get(index, set())
        for code_id in guessed | truth:
            if code_id in grazed[index]:
                continue
            counts = scores.per_code.setdefault(code_id, Counts())
            if code_id in truth and code_id in guessed:
                counts.tp += 1
            elif code_id in guessed:
                counts.fp += 1
            else:
                counts.fn += 1


def format_table(evaluation: Evaluation) -> list[str]:
    """The evaluation as plain lines: a summary per method, then P/R/F1 per code and method."""
    lines = [f"{evaluation.documents} coded documents, {evaluation.folds} folds by document, "
             f"{evaluation.sentences} held-out sentences (scored per sentence)"]
    if evaluation.encoder_note:
        lines.append(f"encoder: {evaluation.encoder_note}")
    lines.append("")
    lines.append(f"{'method':<18} {'micro P':>8} {'micro R':>8} {'micro F1':>8}   "
                 f"{'macro P':>8} {'macro R':>8} {'macro F1':>8}")
    for name, summary in evaluation.summary().items():
        micro, macro = summary["micro"], summary["macro"]
        lines.append(f"{name:<18} {micro['precision']:>8.2f} {micro['recall']:>8.2f} {micro['f1']:>8.2f}   "
                     f"{macro['precision']:>8.2f} {macro['recall']:>8.2f} {macro['f1']:>8.2f}")
    lines.append("")
    methods = list(evaluation.methods)
    header = f"{'code':<44} {'ex':>3} {'pos':>4} " + " ".join(f"{m[:14]:>14}" for m in methods)
    lines.append(header)
    lines.append(" " * 54 + " ".join(f"{'P/R/F1':>14}" for _ in methods))
    for code_id in evaluation.scored_codes():
        path = evaluation.code_paths.get(code_id, str(code_id))
        cells = []
        for m in methods:
            c = evaluation.methods[m].per_code.get(code_id, Counts())
            cells.append(f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f}".rjust(14))
        lines.append(f"{path[:44]:<44} {evaluation.examples.get(code_id, 0):>3} "
                     f"{evaluation.gold.get(code_id, 0):>4} " + " ".join(cells))
    return lines


# ------------------------------------------------------------ ranking
RANK_K = (1, 3)
MARGIN = 0.01  # a method must beat a baseline by more than this (MRR and recall@3) to count as better


@dataclass
class RankScores:
    """One ranking method: figures per coded passage, and sentence-level counts of its top codes."""

    passages: int = 0
    hits: dict[int, float] = field(default_factory=lambda: {k: 0.0 for k in RANK_K})
    reciprocal: float = 0.0
    sentences: Counts = field(default_factory=Counts)
    seconds: float = 0.0
    thresholds: list[float] = field(default_factory=list)  # each fold's calibrated sentence threshold

    def recall(self, k: int) -> float:
        return self.hits[k] / self.passages if self.passages else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal / self.passages if self.passages else 0.0

    def as_dict(self) -> dict:
        return {"passages": self.passages, **{f"recall@{k}": round(self.recall(k), 4) for k in RANK_K},
                "mrr": round(self.mrr, 4), "sentence": self.sentences.as_dict(), "seconds": round(self.seconds, 2),
                "threshold": round(float(np.mean(self.thresholds)), 4) if self.thresholds else None}


@dataclass
class RankingEvaluation:
    """Every ranking method and baseline on the same folds, and what that says in words."""

    folds: int
    unit: str  # the unit people code in this project ("turn" or "sentence")
    methods: dict[str, RankScores]
    top: int = 3

    def better(self, name: str, than: str) -> bool:
        a, b = self.methods[name], self.methods[than]
        return a.mrr > b.mrr + MARGIN and a.recall(3) > b.recall(3) + MARGIN

    def winner(self) -> str | None:
        """The best method by MRR (recall@3 breaking ties) that beats the prior; None if none does."""
        candidates = [n for n in self.methods if n != "prior" and self.better(n, "prior")]
        if not candidates:
            return None
        return max(candidates, key=lambda n: (round(self.methods[n].mrr, 4), self.methods[n].recall(3)))

    def verdicts(self) -> list[str]:
        lines = []
        for name, scores in self.methods.items():
            if name in ("prior", "logreg"):
                continue
            lost = [base for base in ("prior", "logreg") if base in self.methods and not self.better(name, base)]
            if lost:
                lines.append(f"{name} does not beat the {' or the '.join(b + ' baseline' for b in lost)} "
                             f"(MRR {scores.mrr:.2f} against " + ", ".join(
                                 f"{self.methods[b].mrr:.2f}" for b in lost) + ")")
        chosen = self.winner()
        if chosen is None:
            lines.append("no method beats the prior baseline: suggestions would not beat a guess here")
        else:
            lines.append(f"best: {chosen} (recall@3 {self.methods[chosen].recall(3):.2f}, MRR "
                         f"{self.methods[chosen].mrr:.2f}; prior {self.methods['prior'].recall(3):.2f}, "
                         f"{self.methods['prior'].mrr:.2f})")
        return lines

    def as_dict(self) -> dict:
        chosen = self.winner()
        return {"folds": self.folds, "unit": self.unit, "top": self.top,
                "per": "coded passage (recall@k: share of a passage's codes among the top k; MRR: 1/rank of "
                       "its best-placed code); sentence P/R/F1 of the top codes scoring at least the method's "
                       "threshold, calibrated on held-out documents inside the training folds (prior: top 3)",
                "baselines": {"prior": self.methods["prior"].as_dict(), "logreg": self.methods["logreg"].as_dict()},
                "methods": {n: s.as_dict() for n, s in self.methods.items()},
                "winner": chosen, "beats_guess": chosen is not None, "verdicts": self.verdicts()}


def examples_for(corpus: Corpus, document_ids: set[int], background_unit: str) -> rank.Examples:
    """Coded passages of these documents with every code covering them, and their ordinary talk."""
    codings = [c for c in corpus.codings if c.document_id in document_ids]
    passages = [p for p in coded_passages(corpus, codings) if p.text.strip()]
    labels, _ = unit_labels(passages, codings)
    background_units = corpus.turns_of(document_ids) if background_unit == "turn" else corpus.units_of(document_ids)
    sentences = corpus.units_of(document_ids)
    gold, grazed = unit_labels(sentences, codings)
    return rank.Examples([p.text for p in passages], labels, [p.document_id for p in passages], corpus.codes,
                         [u.text for u in background_units],
                         rank.Sentences([u.text for u in sentences], gold, grazed, [u.document_id for u in sentences]))


def spaces(corpus: Corpus, texts: Sequence[str], embed) -> tuple[rank.Space, rank.Space | None]:
    return rank.Space(texts), (rank.Space(texts, embed) if embed is not None else None)


def evaluate_ranking(
    corpus: Corpus, *, folds: int = DEFAULT_FOLDS, embed: Callable[[list[str]], np.ndarray] | None = None,
    methods: Sequence[str] | None = None, top: int = 3, progress: Callable[[int, int], object] | None = None,
) -> RankingEvaluation:
    """Cross-validate ranking methods and both baselines by document (the same folds for all)."""
    import time

    from sklearn.model_selection import GroupKFold

    coded = sorted({c.document_id for c in corpus.codings})
    if len(coded) < 2:
        raise WorkbenchError("evaluation needs people's coding in at least 2 documents "
                             f"(this project has {len(coded)})")
    folds = max(2, min(folds, len(coded)))
    names = list(methods) if methods is not None else rank.method_names(embed is not None)
    for base in ("logreg", "prior"):
        if base not in names:
            names.insert(0, base)
    unit = coding_unit(corpus)
    scores = {name: RankScores() for name in names}
    documents = np.asarray(coded)
    for number, (train_index, test_index) in enumerate(GroupKFold(n_splits=folds).split(documents, groups=documents)):
        train_docs, test_docs = set(documents[train_index].tolist()), set(documents[test_index].tolist())
        examples = examples_for(corpus, train_docs, unit)
        held = examples_for(corpus, test_docs, unit)
        sentences = corpus.units_of(test_docs)
        gold_sentences, grazed = unit_labels(sentences, [c for c in corpus.codings if c.document_id in test_docs])
        texts = [*examples.texts, *examples.background, *held.texts, *(u.text for u in sentences)]
        lexical, semantic = spaces(corpus, texts, embed)
        for name in names:
            started = time.perf_counter()
            ranker = rank.fit(name, examples, lexical, semantic)
            _score_ranking(scores[name], ranker, held.texts, held.labels, name == "prior", top)
            _score_sentences(scores[name], ranker, [u.text for u in sentences], gold_sentences, grazed,
                             name == "prior", top)
            scores[name].seconds += time.perf_counter() - started
        if progress:
            progress(number + 1, folds)
    return RankingEvaluation(folds, unit, scores, top)


def _score_ranking(scores: RankScores, ranker, texts, labels, _prior: bool, top: int) -> None:
    for ranked, gold in zip(rank.rank(ranker, texts), labels, strict=True):
        if not gold:
            continue
        order = [c for c, _ in ranked.codes]
        scores.passages += 1
        for k in RANK_K:
            scores.hits[k] += len(gold & set(order[:k])) / min(len(gold), k)
        places = [order.index(c) + 1 for c in gold if c in order]
        scores.reciprocal += 1.0 / min(places) if places else 0.0


def _score_sentences(scores: RankScores, ranker, texts, gold, grazed, prior: bool, top: int) -> None:
    if not prior:
        scores.thresholds.append(ranker.threshold)
    for ranked, truth, skip in zip(rank.rank(ranker, texts, top), gold, grazed, strict=True):
        guessed = {c for c, p in ranked.codes if prior or p >= ranker.threshold}
        for code_id in (guessed | truth) - skip:
            if code_id in truth and code_id in guessed:
                scores.sentences.tp += 1
            elif code_id in guessed:
                scores.sentences.fp += 1
            else:
                scores.sentences.fn += 1


def format_ranking(result: RankingEvaluation) -> list[str]:
    """The ranking evaluation as plain lines: baselines first, then each method, then the verdicts."""
    lines = [f"Ranking per coded passage ({result.unit}s coded here), {result.folds} folds by document; "
             f"sentence P/R/F1 of the top {result.top} at or above a threshold calibrated on held-out documents "
             f"(prior: top {result.top} everywhere)",
             f"{'method':<20} {'recall@1':>8} {'recall@3':>8} {'MRR':>6}   {'sent P':>6} {'sent R':>6} {'sent F1':>7}"]
    for name, s in result.methods.items():
        tag = " (baseline)" if name in ("prior", "logreg") else ""
        lines.append(f"{(name + tag):<20} {s.recall(1):>8.2f} {s.recall(3):>8.2f} {s.mrr:>6.2f}   "
                     f"{s.sentences.precision:>6.2f} {s.sentences.recall:>6.2f} {s.sentences.f1:>7.2f}")
    lines.append("")
    lines += result.verdicts()
    return lines
