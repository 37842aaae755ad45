"""The suggestion engine's public face: corpus, models, proposing and deciding, by module.

Kept so callers can say `engine.run(...)`; each idea lives in its own module:
`corpus` (units and codings), `models` (threshold models), `rank` (rankers), `choose` (the
project's method), `propose` (proposals and runs) and `decide` (accept, reject, reopen).
"""

from __future__ import annotations

from .corpus import (  # noqa: F401
    HUMAN_ORIGINS,
    Corpus,
    TrainingSet,
    coded_passages,
    coding_unit,
    descendants,
    load_corpus,
    passage_counts,
    training_hash,
    training_set,
)
from .decide import accept, accept_above, reject, reopen  # noqa: F401
from .models import DEFAULT_METHODS, METHODS, Engine, default_methods, train  # noqa: F401
from .propose import Proposal, RunReport, combine, drafts_for, propose, run, store  # noqa: F401
from .units import Unit, document_units, unit_labels  # noqa: F401
