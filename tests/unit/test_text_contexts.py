"""Context windows (text/contexts.py): one rule for kwic and search, whatever the text's length."""

from __future__ import annotations

import random

from workbench.text import contexts
from workbench.text.contexts import BREAK, Contexts, flat


def test_short_and_long_texts_measure_windows_alike():
    rng = random.Random(7)
    alphabet = "ab 信任\n\t，😀 x"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        short = contexts._cumulative(text)
        assert short == contexts._cumulative_numpy(text).tolist(), repr(text)


def test_a_window_holds_whole_characters_and_a_break_run_counts_as_one_column():
    text = "我们信任 the chamber.\n\n  Yes, 商会 helps."
    hit = (text.index("chamber"), text.index("chamber") + len("chamber"))
    (left, right), = Contexts(text).lines([hit], 6)
    assert left == "the "  # 任 (two columns) would make seven; the blank it leaves at the edge is dropped
    assert right == f".{BREAK}Yes,"  # "\n\n  " is one ⏎ wide
    assert flat("a\n \n\tb\tc") == f"a{BREAK}b c"


def test_search_shows_the_same_stretch_as_the_concordance(tmp_path):
    from workbench.cli.core import _windows

    class Hit:  # a turn starting at 100 in its document
        context = "Interviewer asked: do you trust the chamber?\nYes, we trust them."
        turn_start = 100

    at = Hit.context.index("trust them")
    (window,) = _windows(Hit, [(100 + at, 100 + at + 5)], 10)
    (left, right), = Contexts(Hit.context).lines([(at, at + 5)], 10)
    assert window["before"].startswith("…") and flat(window["before"][1:]).lstrip(" " + BREAK) == left
    assert window["after"] == right == " them."
