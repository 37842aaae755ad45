"""The embedding cache: sentence vectors of the optional encoder, computed once and kept.

Keyed by a hash of the model and the text, kept in the project file (`embeddings` table) or in
memory; suggestions and themes both read it through `embedder` / `project_embedder`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from ..model import WorkbenchError


def _require():
    from . import encoder

    if not encoder.available():
        raise WorkbenchError(f"the sentence encoder is not installed: {encoder.INSTALL_HINT}")
    return encoder


def cache_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def embedder(lookup: Callable[[list[str]], dict[str, bytes]] | None = None,
             keep: Callable[[str, dict[str, tuple[int, bytes]]], None] | None = None,
             ) -> Callable[[list[str]], np.ndarray]:
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
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if todo:
            vectors = np.asarray(encoder.encode(list(todo.values())), dtype=np.float32)
            fresh = {}
            for key, vector in zip(todo, vectors, strict=True):
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
