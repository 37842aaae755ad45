"""The threshold models: keywords, learned per-code classifiers and the encoder's, trained together.

These decide per sentence and per code whether a code applies (each code's threshold chosen out
of fold); the rankers in `rank.py` order codes per unit instead. `train` builds an `Engine`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..model import WorkbenchError
from . import learned
from .corpus import Corpus, descendants, training_hash, training_set
from .keyword import KeywordIndex

if TYPE_CHECKING:
    from .encoder import EncoderModels  # imported for its type only: the encoder loads on demand

METHODS = ("keyword", "learned", "encoder")
DEFAULT_METHODS = ("keyword", "learned")  # what runs without the optional sentence encoder


def default_methods() -> tuple[str, ...]:
    """Keywords and learned models, plus the encoder where it is installed.

    On the bilingual evaluation set the learned and encoder models fused per code beat either
    alone (macro-F1 0.59 against 0.49 learned, 0.57 encoder); on the demo they tie.
    """
    from .encoder import available

    return DEFAULT_METHODS + (("encoder",) if available() else ())


@dataclass
class Engine:
    """What one training produced: keywords, learned models, optionally the encoder's models."""

    keywords: KeywordIndex
    learned: learned.Trained | None = None
    encoder: EncoderModels | None = None
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
    progress: Callable[[int, int], object] | None = None, cancelled: Callable[[], bool] | None = None,
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
    code_ids = [code.stored_id for code in corpus.codes]
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


