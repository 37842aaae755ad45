"""Issue 7's reproduction: a long-lived holder (as the TUI), a reopening in the same process,
and CLI writers in other processes; every party's coding must be in the file at the end."""

from __future__ import annotations

from named import code_named
from reliability_worker import cli_process, coded_spans

from workbench.store import Project

DOCUMENT = "P01-yiwu-trader.txt"


def _cli_code(path, start: int, end: int, coder: str) -> None:
    cli_process("code", str(path), DOCUMENT, "Trust", str(start), str(end), "--coder", coder)


def test_a_reopening_in_the_holders_process_does_not_lose_other_programs_writes(demo_copy):
    holder = Project.open(demo_copy)
    holder.conn.execute("SELECT count(*) FROM codings").fetchone()
    with Project.open(demo_copy):  # what the TUI does on every document, search and import
        pass
    _cli_code(demo_copy, 10, 20, "cli1")
    code_named(holder, DOCUMENT, "Trust", 30, 40, "tui")
    _cli_code(demo_copy, 50, 60, "cli2")
    assert {("cli1", 10, 20), ("cli2", 50, 60)} <= {
        (c.coder, c.start, c.end) for c in holder.codings(coders=["cli1", "cli2"])
    }  # the holder sees the others' writes
    holder.close()
    assert coded_spans(demo_copy, {'cli1', 'tui', 'cli2'}) == {("cli1", 10, 20), ("tui", 30, 40), ("cli2", 50, 60)}


def test_the_project_file_itself_is_never_read_as_a_transcript(demo_copy, tmp_path):
    from workbench.imports import import_files

    with Project.open(demo_copy) as project:
        outcome, = import_files(project, [demo_copy], coder="tester")
        assert outcome.status == "failed" and "project file itself" in outcome.message
