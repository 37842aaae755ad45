"""The terminal workbench's first hour: narrow screens, margin names, counts, the import dialog,
the document list, and the defects of issue 8 (coder, per-person state, refresh, failures).

Each test here failed on the code before its fix.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tui_helpers import settle, wait_until

from workbench.codebook.ops import resolve
from workbench.imports import import_files
from workbench.store import Project
from workbench.tui import config
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.dialogs import CodePicker, CoderPrompt
from workbench.tui.screens.importer import ImportScreen
from workbench.tui.widgets.panes import DetailPane

ROOT = Path(__file__).resolve().parents[2]


def row_text(view, position: int) -> str:
    """The characters drawn on the screen row holding a position."""
    y = view.layout_.row_of(position) - round(view.scroll_y)
    return "".join(segment.text for segment in view.render_line(y))


# ------------------------------------------------------------------ issue 9: the narrow screen
async def test_transcript_keeps_60_columns_at_80_by_24_and_one_side_pane(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.main
        left, details = screen.query_one("#left"), screen.query_one(DetailPane)
        assert app.main.transcript.size.width >= 60 and left.display and not details.display
        await pilot.press("4")  # switch the side pane to the details
        await pilot.pause()
        assert details.display and not left.display and app.main.transcript.size.width >= 60
        await pilot.press("3")  # the code tree brings the lists back
        await pilot.pause()
        assert left.display and not details.display and app.focused is app.main.code_tree


async def test_margin_names_the_codes_on_the_cursor_line_and_a_legend(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        view = app.main.transcript
        hukou = resolve(app.project, "Hukou")
        await pilot.press("s")
        selection = view.selection
        app.main.apply_code(hukou, selection.start, selection.end)
        await pilot.pause()
        assert "Hukou" in row_text(view, view.cursor)
        legend = view.legend()  # the colours of this document's codes, the most used first
        assert hukou in dict(legend) and view.code_names[legend[0][0]][:8] in str(view.border_subtitle)


async def test_in_vivo_code_counts_its_one_coding_once(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, jieba=True)
        before = set(app.main.codes)
        await pilot.press("w", "i")
        await wait_until(pilot, lambda: app.main.current_code_id is not None and app.main.current_code_id not in before
                         and app.main.code_tree.counts.get(app.main.current_code_id) == 1,
                     "the in-vivo code and its coding")
        code_id = app.main.current_code_id
        with Project.open(demo_copy) as project:
            assert len(project.codings(code_ids=[code_id])) == 1
        assert app.main.code_tree.counts[code_id] == 1
        app.main.show_code_details()
        shown = str(app.main.query_one("#detail-code").render())
        assert "1 coding" in shown and "2 codings" not in shown


async def test_counts_show_own_and_with_sub_codes_labelled(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        parent = next(code for code in app.main.codes.values() if code.children and app.main.code_tree.total(code))
        own, total = app.main.code_tree.counts.get(parent.id, 0), app.main.code_tree.total(parent)
        label = str(app.main.code_tree.nodes_by_id[parent.id].label)
        assert f"Σ{total}" in label and "own" in str(app.main.code_tree.border_subtitle)
        await pilot.press("s", "c")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        choice = next(c for c in picker.choices if c.id == parent.id)
        assert choice.counts_text == f"{own} own · {total} with sub-codes"


# ------------------------------------------------------------------ the import dialog
def interviews_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pick" / "interviews"
    folder.mkdir(parents=True)
    (folder / "P10-new.txt").write_text("采访者：您好。\n受访者：我们靠老乡。\n", encoding="utf-8")
    (folder / "P11-new.txt").write_text("Interviewer 1: Hello.\nInterviewee: The WeChat group helps.\n",
                                        encoding="utf-8")
    (folder / "codings.csv").write_text("document,code,start,end\nP10-new.txt,Trust,0,3\n", encoding="utf-8")
    return folder


async def test_import_dialog_enter_on_a_folder_adds_its_transcripts_not_its_tables(make_app, demo_copy, tmp_path):
    folder = interviews_folder(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = ImportScreen(demo_copy, "tester", start=folder.parent)
        app.push_screen(screen)
        await pilot.pause()
        tree = screen.query_one("#import-tree")
        await wait_until(pilot, lambda: bool(tree.root.children), "the folder to be read")
        tree.focus()
        tree.move_cursor(tree.root.children[0])
        await pilot.press("enter")
        await pilot.pause()
        assert [p.name for p in screen.chosen] == ["P10-new.txt", "P11-new.txt"]
        screen.action_clear()
        screen.query_one("#import-path").focus()  # a typed folder follows the same rule
        await pilot.press(*str(folder), "enter")
        assert [p.name for p in screen.chosen] == ["P10-new.txt", "P11-new.txt"]


# ------------------------------------------------------------------ the document list
async def test_document_list_sorts_case_insensitively_and_home_end(make_app, demo_copy, tmp_path):
    for name in ("apple-notes.txt", "Zebra-notes.txt"):
        (tmp_path / name).write_text(f"Interviewer: {name}?\nRespondent: yes.\n", encoding="utf-8")
    with Project.open(demo_copy) as project:
        list(import_files(project, [tmp_path / "apple-notes.txt", tmp_path / "Zebra-notes.txt"], "tester"))
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        names = [row.name for row in app.main.document_list.rows_by_id.values()]
        assert names == sorted(names, key=str.casefold) and names[0] == "apple-notes.txt"
        await pilot.press("1", "end")
        assert app.main.document_list.cursor_row == app.main.document_list.row_count - 1
        await pilot.press("home")
        assert app.main.document_list.cursor_row == 0


async def test_cursor_per_document_remembered_in_the_persons_config(make_app, demo_copy, workbench_home):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        first = app.main.document_id
        app.main.transcript.move_to(40)
        second = next(i for i in app.main.document_list.rows_by_id if i != first)
        app.main.open_document(second)
        await settle(pilot)
        assert app.main.document_id == second
        app.main.open_document(first)
        await settle(pilot)
        assert app.main.transcript.cursor == 40
        app.main.transcript.move_to(55)
        await pilot.press("q")
    assert config.cursor(demo_copy, first) == 55
    assert config.project_state(demo_copy)["document"] == first
    again = make_app()
    async with again.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert again.main.document_id == first and again.main.transcript.cursor == 55
    with Project.open(demo_copy) as project:
        assert project.meta("tui.last_document") is None


# ------------------------------------------------------------------ issue 8 (3): the coder
async def test_the_coder_comes_from_the_person_not_the_shared_file(demo_copy):
    with Project.open(demo_copy) as project, project.transaction():
        project.set_meta("tui.last_coder", "lin")  # what an older workbench left in the file
    app = WorkbenchApp(demo_copy, None, suggested_coder="sara")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CoderPrompt) and app.coder != "lin"
        await pilot.press("escape")  # keep the suggestion
        await pilot.pause()
        assert app.coder == "sara" and app.history.coder == "sara"
    # $WORKBENCH_CODER is read by the `tui` verb, which decides the coder (tests/cli/test_cli_tui_coder.py)
    app = WorkbenchApp(demo_copy, "mei", suggested_coder="guest")
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, CoderPrompt) and app.coder == "mei"


# ------------------------------------------------------------------ issue 8 (8): per-person state
async def test_opening_a_document_commits_nothing_to_the_project(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        other = sqlite3.connect(demo_copy)
        before = other.execute("PRAGMA data_version").fetchone()[0]
        for document_id in list(app.main.document_list.rows_by_id)[1:4]:
            app.main.open_document(document_id)
            await settle(pilot)
        await pilot.press("ctrl+t")  # the theme, too, is the person's
        assert other.execute("PRAGMA data_version").fetchone()[0] == before
        other.close()


# ------------------------------------------------------------------ issue 8 (9): the benchmark
def test_tui_benchmark_leaves_the_persons_config_alone(tmp_path):
    import os

    home = tmp_path / "home"
    home.mkdir()
    environment = {**os.environ, "WORKBENCH_HOME": str(home)}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "tui_bench.py"), "--chars", "40000",
                           "--codings", "40", "--keys", "4"], capture_output=True, text=True, env=environment,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "first_paint_ms" in json.loads(done.stdout.strip().splitlines()[-1])
    assert not (home / "tui.json").exists()


# ------------------------------------------------------------------ issue 8 (11): failures
async def test_a_failed_memo_write_is_a_notification_not_a_crash(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)

        def broken(*args, **kwargs):
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(app.project, "add_memo", broken)
        await pilot.press("m", *"a memo", "ctrl+s")
        await pilot.pause()
        assert app.is_running
        assert any("disk I/O error" in n.message and n.severity == "error" for n in app._notifications)


async def test_unsaved_settings_are_a_notification(make_app, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("WORKBENCH_HOME", str(blocker / "config"))
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert any("cannot save your settings" in n.message for n in app._notifications)


# ------------------------------------------------------------------ reload only what changed
async def test_changes_elsewhere_are_read_from_the_events_not_a_full_reload(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        document_id = app.main.document_id
        housing = resolve(app.project, "Housing")
        before = app.main.code_tree.counts.get(housing, 0)
        full_reads = []
        original = app.project.codings

        def counted(*args, **kwargs):
            if not args and not kwargs:
                full_reads.append(1)
            return original(*args, **kwargs)

        app.project.codings = counted
        script = (
            "from workbench import coding; from workbench.codebook import ops; from workbench.model import Code\n"
            "from workbench.store import Project\n"
            f"with Project.open({str(demo_copy)!r}) as p:\n"
            f"    coding.apply_code(p, {document_id}, {housing}, 0, 5, 'script')\n"
            "    ops.add_code(p, Code(name='Rent'), None, 'script')\n"
        )
        subprocess.run([sys.executable, "-c", script], check=True)
        app.main.notice_outside_changes()  # what the once-a-second timer calls
        await pilot.pause()
        assert full_reads == []
        assert app.main.code_tree.counts[housing] == before + 1
        assert any(span.code_id == housing for span in app.main.transcript.spans.overlapping(0, 5))
        assert any(code.name == "Rent" for code in app.main.codes.values())
        row = app.main.document_list.rows_by_id[document_id]
        with Project.open(demo_copy) as project:
            assert row.codings == len(project.codings(document_id=document_id))
