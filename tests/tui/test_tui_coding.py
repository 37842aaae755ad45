"""Pilot tests: coding on the demo project by keyboard (and mouse), checked in the store."""

from __future__ import annotations

from tui_helpers import settle

from workbench.codebook.ops import resolve
from workbench.store import Project
from workbench.text.segment import word_spans
from workbench.tui.screens.dialogs import Choose, CodePicker


def mine(path, coder="tester"):
    with Project.open(path) as project:
        return [c for c in project.codings() if c.coder == coder]


async def open_document(pilot, name: str) -> None:
    app = pilot.app
    await pilot.press("1")
    table = app.main.document_list
    target = next(row.id for row in table.rows_by_id.values() if row.name == name)
    table.move_cursor(row=table.get_row_index(str(target)))
    await pilot.press("enter")
    await settle(pilot)
    assert app.main.document_id == target and app.focused is app.main.transcript


async def test_opens_the_demo(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert app.main.document_list.row_count == 9
        assert len(app.main.code_tree.codes) == 34
        assert app.main.transcript.text.startswith("Interviewer:")
        assert app.focused is app.main.transcript
        assert app.main.code_tree.counts[resolve(app.project, "Distrust")] > 0


async def test_code_a_chinese_sentence_by_fuzzy_search(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await open_document(pilot, "P02-yiwu-broker.txt")
        await pilot.press("right_parenthesis", "right_parenthesis", "s")
        view = app.main.transcript
        sentence = view.text[view.selection.start:view.selection.end]
        assert sentence.endswith("。") and "：" not in sentence
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await pilot.press("信", "任")
        await pilot.press("enter")
        await pilot.pause()
    stored = mine(demo_copy)
    assert len(stored) == 1
    with Project.open(demo_copy) as project:
        assert stored[0].code_id == resolve(project, "信任")
        assert project.slice(stored[0].document_id, stored[0].start, stored[0].end) == sentence
        assert stored[0].origin == "manual"


async def test_apply_from_the_tree_and_again(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        turn = app.main.transcript.selection
        hukou = resolve(app.project, "Hukou")
        await pilot.press("3")
        app.main.code_tree.select_code(hukou)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("2", "escape", "s", "a")  # "again": the same code on a sentence
        sentence = app.main.transcript.selection
        await pilot.pause()
    stored = sorted(mine(demo_copy), key=lambda c: c.start)
    assert [(c.code_id, c.start, c.end) for c in stored] == sorted(
        [(hukou, turn.start, turn.end), (hukou, sentence.start, sentence.end)], key=lambda t: t[1])


async def test_jieba_word_steps_and_extend(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, jieba=True)
        await open_document(pilot, "P02-yiwu-broker.txt")
        view = app.main.transcript
        start = view.text.index("做外贸代理")
        view.move_to(start)
        await pilot.press("ctrl+shift+right", "ctrl+shift+right")
        piece = view.text[start:start + 10]
        words = [piece[s:e] for s, e in word_spans(piece)]
        assert view.text[view.selection.start:view.selection.end] == "".join(words[:2])
        await pilot.press("escape", "v", "right", "right", "right")
        assert len(view.selection) == 3 and view.marking
        await pilot.press("v", "left")
        assert view.selection is None


async def test_remove_undo_redo(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        view = app.main.transcript
        span = min(view.spans.spans.values(), key=lambda s: (len(view.spans.at(s.start)), s.start))
        view.move_to(span.start)
        before = mine(demo_copy, "sara") + mine(demo_copy, "lin")
        await pilot.press("x")
        if isinstance(app.screen, Choose):
            await pilot.press("enter")
        await pilot.pause()
        after = mine(demo_copy, "sara") + mine(demo_copy, "lin")
        assert len(after) == len(before) - 1
        removed = ({c.id for c in before} - {c.id for c in after}).pop()
        assert removed not in view.spans.spans
        await pilot.press("ctrl+z")
        assert {c.id for c in mine(demo_copy, "sara") + mine(demo_copy, "lin")} == {c.id for c in before}
        assert removed in view.spans.spans
        await pilot.press("ctrl+y")
        assert len(mine(demo_copy, "sara") + mine(demo_copy, "lin")) == len(before) - 1


async def test_recode(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        view = app.main.transcript
        span = next(s for s in sorted(view.spans.spans.values(), key=lambda s: s.start) if len(view.spans.at(s.start)) == 1)
        view.move_to(span.start)
        await pilot.press("e")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Housing", "enter")
        await pilot.pause()
    stored = mine(demo_copy)
    with Project.open(demo_copy) as project:
        assert project.coding(span.coding_id) is None
        assert [(c.code_id, c.start, c.end) for c in stored] == [(resolve(project, "Housing"), span.start, span.end)]


async def test_in_vivo(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await open_document(pilot, "P02-yiwu-broker.txt")
        view = app.main.transcript
        start = view.text.index("靠得住")
        view.select(start, start + 3)
        await pilot.press("i")
        await pilot.pause()
        assert app.main.code_tree.current_id == resolve(app.project, "靠得住")
    with Project.open(demo_copy) as project:
        code_id = resolve(project, "靠得住")
        assert [(c.code_id, c.start) for c in mine(demo_copy)] == [(code_id, start)]


async def test_nothing_selected_is_explained(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert not isinstance(app.screen, CodePicker)
        assert any("Select text" in n.message for n in app._notifications)
    assert mine(demo_copy) == []


async def test_new_code_from_the_picker(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("s", "c", *"Chain migration", "down" * 0)
        options = app.screen.query_one("#picker-options")
        options.highlighted = options.option_count - 1  # "+ new code"
        await pilot.press("enter")
        await pilot.pause()
    with Project.open(demo_copy) as project:
        code_id = resolve(project, "Chain migration")
        assert [c.code_id for c in mine(demo_copy)] == [code_id]


async def test_mouse_click_and_drag_select(make_app):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        view = app.main.transcript
        gutter = view.gutter_width
        await pilot.click(view, offset=(gutter + 1 + 5, 1))
        assert view.cursor == view.layout_.position_at(0, 5) and view.selection is None
        await pilot.mouse_down(view, offset=(gutter + 1 + 0, 1))
        await pilot.hover(view, offset=(gutter + 1 + 11, 1))
        await pilot.mouse_up(view, offset=(gutter + 1 + 11, 1))
        assert view.selection is not None and view.text[view.selection.start:view.selection.end] == "Interviewer"
