"""Hypothesis settings the fuzz tests share: a fixed seed, so CI runs the same inputs every time."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    derandomize=True, max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
