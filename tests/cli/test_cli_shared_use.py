"""Shared use across real processes: a long-lived holder (as the TUI) while other programs come
and go — CLI writers and readers, a sqlite-utils reader, a backup — and every write survives.

Issue 7: the holder's own reopenings once dropped SQLite's locks, so the next program to close
deleted the WAL under the holder and later writes vanished with `integrity_check` still "ok".
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from named import code_named
from reliability_worker import cli_process, coded_spans

from workbench.coding import remove_coding
from workbench.store import Project

DOCUMENT = "P01-yiwu-trader.txt"


def _sqlite_utils_reader(path) -> int:
    """Another program entirely: sqlite-utils in its own process, reading and closing."""
    script = ("import sqlite_utils, sys; db = sqlite_utils.Database(sys.argv[1]); "
              "print(db['codings'].count); db.close()")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def _visible_within_a_second(holder: Project, coder: str, start: int) -> bool:
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        if any(c.start == start for c in holder.codings(coders=[coder])):
            return True
        time.sleep(0.05)
    return False


def test_every_party_writes_and_every_write_is_kept(demo_copy, tmp_path):
    holder = Project.open(demo_copy)
    expected: set[tuple[str, int, int]] = set()
    try:
        for round_ in range(3):
            base = 1000 + round_ * 100
            with Project.open(demo_copy):  # the holder reopens, as the TUI does per screen
                pass
            cli_process("code", str(demo_copy), DOCUMENT, "Trust", str(base), str(base + 5), "--coder", "party-cli")
            expected.add(("party-cli", base, base + 5))
            assert _visible_within_a_second(holder, "party-cli", base)

            cli_process("query", str(demo_copy), "Trust", "--json")  # a reader comes and goes
            assert _sqlite_utils_reader(demo_copy) >= len(expected)

            code_named(holder, DOCUMENT, "Trust", base + 10, base + 15, "party-holder")
            expected.add(("party-holder", base + 10, base + 15))

            cli_process("backup", str(demo_copy), "-o", str(tmp_path / f"backup-{round_}.qda"))
            cli_process("code", str(demo_copy), DOCUMENT, "Trust", str(base + 20), str(base + 25), "--coder", "party-cli2")
            expected.add(("party-cli2", base + 20, base + 25))
            assert _visible_within_a_second(holder, "party-cli2", base + 20)
        assert holder.integrity_ok()
    finally:
        holder.close()
    assert coded_spans(demo_copy, {coder for coder, _, _ in expected}) == expected
    # Each backup holds what was written before it.
    with Project.open(tmp_path / "backup-2.qda") as backup:
        assert len(backup.codings(coders=["party-cli", "party-holder"])) == 6


def test_a_failed_undo_changes_nothing_and_keeps_the_step(demo_copy):
    """Undo is all-or-nothing: a step that another program made impossible stays on its stack."""
    from workbench.history import History
    from workbench.model import WorkbenchError

    with Project.open(demo_copy) as project:
        history = History(project, "party-holder")
        document_id = project.document_id(DOCUMENT)
        from workbench.coding import code_id

        trust = code_id(project, "Trust")
        coding = history.apply_code(document_id, trust, 2000, 2010)
        cli_process("code", str(demo_copy), DOCUMENT, "Trust", "2000", "2010", "--coder", "party-holder", "--remove")
        before = project.coding_count()
        with pytest.raises(WorkbenchError):
            history.undo()  # the coding it would take back is already gone
        assert project.coding_count() == before
        assert history.can_undo and not history.can_redo
        assert coding is not None


def test_removal_from_another_program_is_seen_by_the_holder(demo_copy):
    holder = Project.open(demo_copy)
    try:
        coding_id = code_named(holder, DOCUMENT, "Trust", 3000, 3010, "party-holder")
        cli_process("code", str(demo_copy), DOCUMENT, "Trust", "3000", "3010", "--coder", "party-holder", "--remove")
        assert holder.coding(coding_id) is None
        with pytest.raises(Exception):
            remove_coding(holder, coding_id, "party-holder")
    finally:
        holder.close()


def test_a_connection_whose_log_was_removed_refuses_to_write(demo_copy):
    """If the holder's view diverged from the file anyway, it stops writing and says so."""
    import os

    from workbench.model import WorkbenchError

    holder = Project.open(demo_copy)
    try:
        code_named(holder, DOCUMENT, "Trust", 3100, 3110, "party-holder")
        os.remove(f"{demo_copy}-wal")  # what a program that dropped SQLite's locks would do
        with pytest.raises(WorkbenchError, match="out of date"):
            code_named(holder, DOCUMENT, "Trust", 3120, 3130, "party-holder")
        with pytest.raises(WorkbenchError, match="out of date"):  # and it stays refused
            code_named(holder, DOCUMENT, "Trust", 3140, 3150, "party-holder")
    finally:
        holder.close()
    with Project.open(demo_copy) as fresh:
        assert not [c for c in fresh.codings(coders=["party-holder"]) if c.start in (3120, 3140)]
