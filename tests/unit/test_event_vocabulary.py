"""Audit-trail action names are defined once, in store/events.py, and written only through them."""

from __future__ import annotations

import re
from pathlib import Path

import workbench
from workbench.store.events import CODE_ACTIONS, CODING_ACTIONS, DOCUMENT_ACTIONS, MEMO_ACTIONS, Action

SOURCE = Path(workbench.__file__).parent


def test_every_logged_action_is_a_defined_name() -> None:
    literal = re.compile(r"""\.log\(\s*["']""")
    offenders = [f"{path.relative_to(SOURCE)}:{number}"
                 for path in sorted(SOURCE.rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if literal.search(line)]
    assert offenders == [], "log an Action member, not a string: " + ", ".join(offenders)


def test_names_are_distinct_and_restoring_a_coding_is_not_undeleting_a_code() -> None:
    assert len({a.value for a in Action}) == len(Action)
    assert Action.CODE_RESTORE != Action.CODE_UNDELETE
    assert Action.CODE_RESTORE in CODING_ACTIONS and Action.CODE_UNDELETE not in CODING_ACTIONS | CODE_ACTIONS


def test_the_kinds_a_view_follows_do_not_overlap_and_match_stored_strings() -> None:
    kinds = [CODING_ACTIONS, CODE_ACTIONS, DOCUMENT_ACTIONS, MEMO_ACTIONS]
    assert sum(len(k) for k in kinds) == len(frozenset().union(*kinds))
    assert "code apply" in CODING_ACTIONS and "memo" in MEMO_ACTIONS  # rows read back are plain str
