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
from . import learned
from .engine import Corpus, Proposal
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
    progress: Callable[[int, int], None] | None = None, settings: learned.Settings = learned.DEFAULT,
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
    lines.append(f"{'method':<18} {'micro P':>8} {'micro R':>8} {'micro F1':>8}   {'macro P':>8} {'macro R':>8} {'macro F1':>8}")
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
