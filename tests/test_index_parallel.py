"""Segmenting a large batch for the search index on every core gives what one process gives."""

from __future__ import annotations

import random

from workbench.text import segment
from workbench.text.segment import index_bodies, index_body


def test_the_parallel_batch_equals_the_serial_one_in_order(monkeypatch):
    rng = random.Random(3)
    pieces = ["我们刚来的时候什么都不认识，主要靠老乡介绍工作。", "居委会一开始不太信任我们。", "We trusted my cousin.",
              "café crème 和 老乡", "", "𠮷野家旁边的菜市场😀", "  "]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(400)]
    monkeypatch.setattr(segment, "CHUNK_CHARS", 500)  # many chunks, so both processes take some
    monkeypatch.setattr(segment, "_cores", lambda: 2)
    assert index_bodies(texts, min_parallel=0) == [index_body(text) for text in texts]


def test_a_small_batch_stays_in_this_process(monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a helper process was started for a small batch")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert index_bodies(["老乡之间互相信任", "trust"]) == [index_body("老乡之间互相信任"), "trust"]
