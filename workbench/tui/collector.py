"""Python's cyclic garbage collector, run while the person pauses rather than inside a key.

On a book-length document every key makes a few thousand short-lived objects (Textual's strips
and their caches). With the collector on its own schedule, one key in six or seven paid for a
young collection (3–8 ms) and one in sixty for an older one (25–30 ms): the slow tail of key
latency was mostly the collector (issue 24). Here it is switched off while the app runs and
called from a timer once input has been quiet for a moment; a long stretch of typing without
any pause still collects, so memory stays bounded. Reference counting frees almost everything
at once in any case: only objects in reference cycles wait.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field

TICK_S = 0.25  # how often the app asks whether to collect


@dataclass
class IdleCollector:
    quiet_s: float = 0.4  # input quiet this long: the person is reading, not typing
    idle_young: int = 2_000  # objects made since the last collection worth a collection at rest
    busy_young: int = 40_000  # this many without any pause: collect anyway (bounds memory)
    full_every: int = 16  # every so many collections at rest, a full one (still at rest)
    last_input: float = field(default_factory=time.monotonic)
    collections: int = 0
    _was_enabled: bool = True

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def stop(self) -> None:
        if self._was_enabled:
            gc.enable()

    def input_seen(self) -> None:
        self.last_input = time.monotonic()

    def tick(self) -> int | None:
        """Collect if now is a good moment; the generation collected, or None."""
        young = gc.get_count()[0]
        resting = time.monotonic() - self.last_input >= self.quiet_s
        if resting and young >= self.idle_young:
            self.collections += 1
            generation = 2 if self.collections % self.full_every == 0 else 1
        elif young >= self.busy_young:
            generation = 0
        else:
            return None
        gc.collect(generation)
        return generation
