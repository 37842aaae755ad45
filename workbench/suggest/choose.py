"""Which ranking method a project uses: the one that wins its own cross-validation.

The choice is cached by the training hash (it is recorded in the parameters of the run that
used it), so it is made again only when people's coding changes. Where no method beats the
prior baseline (the most frequent codes everywhere), the choice is "none" and the workbench
says that suggestions would not beat a guess here, instead of proposing noise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from ..store import Project
from . import rank
from .corpus import Corpus, coding_unit, training_hash

GUESS = "suggestions would not beat a guess here"
FOLDS = 3  # enough to tell methods apart on a project; the full table is `suggest evaluate`


@dataclass(frozen=True)
class Choice:
    """The project's ranking method (None: nothing beats a guess), and the figures that chose it."""

    method: str | None
    unit: str
    training_hash: str
    verified: bool  # False: too little coding to cross-validate, the default was taken untested
    figures: dict = field(default_factory=dict)  # method -> {"recall@3", "mrr"}
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def default_method(encoder: bool) -> str:
    return "fused+encoder" if encoder else "fused"


def choose(project: Project | None, corpus: Corpus, embed: Callable[[list[str]], np.ndarray] | None = None,
           *, refresh: bool = False, progress: Callable[[int, int], object] | None = None) -> Choice:
    """The cached choice for this coding, or a new one by cross-validation (writes nothing)."""
    fingerprint = training_hash(corpus)
    encoder = embed is not None
    if project is not None and not refresh:
        found = project.suggestion_choice(fingerprint)
        if found and found.get("encoder", False) == encoder:
            return Choice(found["method"], found["unit"], fingerprint, found["verified"], found.get("figures", {}),
                          found.get("note", ""))
    unit = coding_unit(corpus)
    coded = {c.document_id for c in corpus.codings}
    if len(coded) < 2:
        note = ("not cross-validated: people's coding is in fewer than 2 documents" if coded
                else "no coding yet: the codebook's own words only")
        method = default_method(encoder) if coded else ("enc-anchors" if encoder else "anchors")
        return Choice(method, unit, fingerprint, False, {}, note)
    from .evaluate import evaluate_ranking

    result = evaluate_ranking(corpus, folds=FOLDS, embed=embed, progress=progress)
    figures = {name: {"recall@3": round(s.recall(3), 4), "mrr": round(s.mrr, 4)} for name, s in result.methods.items()}
    winner = result.winner()
    note = (f"chosen by {result.folds}-fold cross-validation by document" if winner
            else f"{GUESS}: no method beats proposing the most frequent codes ({result.folds}-fold cross-validation)")
    return Choice(winner, unit, fingerprint, True, figures, note)


def record(choice: Choice, encoder: bool) -> dict:
    """What a run's parameters keep of the choice (read back by `Project.suggestion_choice`)."""
    return {"method": choice.method, "unit": choice.unit, "verified": choice.verified, "figures": choice.figures,
            "note": choice.note, "encoder": encoder}


__all__ = ["Choice", "GUESS", "choose", "default_method", "record", "rank"]
