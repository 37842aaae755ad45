"""Issue 22: memos without the TUI — `workbench memo PROJECT add|list|edit|delete|undo`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from workbench.cli import cli
from workbench.history import History
from workbench.store import Project


def run(*args, ok: bool = True, coder: str = "ana"):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env={"WORKBENCH_CODER": coder})
    if ok:
        assert result.exit_code == 0, result.output
    return result


def memos(project, *target):
    return json.loads(run("memo", project, "list", *target, "--json").stdout)["memos"]


def test_memos_on_a_coding_a_code_a_document_and_a_case_with_the_coder(demo_copy):
    run("memo", demo_copy, "add", "Check with P02", "--coding", 12)
    run("memo", demo_copy, "add", "What trust means here", "--code", "Trust/Distrust")
    run("memo", demo_copy, "add", "Noisy recording", "--document", "P01-yiwu-trader.txt")
    run("memo", demo_copy, "add", "Moved twice", "--case", "P01")
    (on_coding,) = memos(demo_copy, "--coding", 12)
    assert on_coding["text"] == "Check with P02" and on_coding["coder"] == "ana" and on_coding["target"] == "coding"
    assert memos(demo_copy, "--code", "不信任")[0]["text"] == "What trust means here"
    assert memos(demo_copy, "--case", "P01")[0]["on"] == "case P01"
    assert "did you mean" in run("memo", demo_copy, "add", "x", "--code", "Distrst", ok=False).output


def test_edit_delete_and_undo_step_back_through_the_changes(demo_copy):
    run("memo", demo_copy, "add", "first", "--coding", 12)
    run("memo", demo_copy, "edit", "second", "--coding", 12)
    memo_id = memos(demo_copy, "--coding", 12)[0]["id"]
    run("memo", demo_copy, "delete", "--id", memo_id)
    assert memos(demo_copy, "--coding", 12) == []
    run("memo", demo_copy, "undo")
    assert memos(demo_copy, "--coding", 12)[0]["text"] == "second"
    run("memo", demo_copy, "undo")
    assert memos(demo_copy, "--coding", 12)[0]["text"] == "first"
    run("memo", demo_copy, "undo")
    assert memos(demo_copy, "--coding", 12) == []
    assert run("memo", demo_copy, "undo", ok=False).exit_code != 0


def test_another_coders_memo_is_theirs_to_change(demo_copy):
    run("memo", demo_copy, "add", "mine", "--coding", 12)
    memo_id = memos(demo_copy, "--coding", 12)[0]["id"]
    refused = run("memo", demo_copy, "edit", "theirs now", "--id", memo_id, coder="ben", ok=False)
    assert refused.exit_code != 0 and "ana's" in refused.output


def test_cli_undo_and_tui_undo_agree(demo_copy):
    with Project.open(demo_copy) as project:
        history = History(project, "ana")  # the TUI's memo path
        history.set_memo("coding", 12, "from the TUI")
        history.set_memo("coding", 12, "edited in the TUI")
        history.undo()  # the TUI took its edit back
    # The CLI's undo skips what the TUI already undid and takes back the add.
    run("memo", demo_copy, "undo")
    assert memos(demo_copy, "--coding", 12) == []
