"""Pilot tests: managing codes from the tree, and memos, checked in the store."""

from __future__ import annotations

from tui_helpers import settle

from workbench.codebook.ops import resolve
from workbench.store import Project
from workbench.tui.screens.dialogs import CodeEditor, CodePicker, Confirm, MemoEditor


async def highlight(pilot, name: str) -> int:
    app = pilot.app
    code_id = resolve(app.project, name)
    await pilot.press("3")
    app.main.code_tree.select_code(code_id)
    for _ in range(100):  # the tree moves its cursor after the next refresh; under load that is late
        await pilot.pause(0.01)
        if app.main.code_tree.current_id == code_id:
            break
    assert app.main.code_tree.current_id == code_id
    return code_id


def row(path, name):
    with Project.open(path) as project:
        code_id = resolve(project, name)
        return next(r for r in project.code_rows() if r.id == code_id), project.codings(code_ids=[code_id])


async def test_add_edit_move(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        trust = await highlight(pilot, "Trust")
        await pilot.press("n")
        assert isinstance(app.screen, CodeEditor)
        await pilot.press(*"Rumours", "tab", "传", "言", "ctrl+s")
        await pilot.pause()
        added, _ = row(demo_copy, "Trust/Rumours")
        assert added.parent_id == trust and added.name_zh == "传言"
        assert app.main.code_tree.current_id == added.id
        await pilot.press("e")
        editor = app.screen
        editor.query_one("#name").value = "Gossip"
        editor.query_one("#color").value = "#abcdef"
        editor.query_one("#definition").text = "Talk about others, not verified."
        await pilot.press("ctrl+s")
        await pilot.pause()
        with Project.open(demo_copy) as project:
            code = next(c for root in project.code_tree() for _, c in root.walk() if c.id == added.id)
        assert (code.name, code.color, code.definition) == ("Gossip", "#abcdef", "Talk about others, not verified.")
        await pilot.press("v")
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Governance", "enter")
        await pilot.pause()
        moved, _ = row(demo_copy, "Governance/Gossip")
        assert moved.id == added.id
        await pilot.press("ctrl+z")
        assert row(demo_copy, "Trust/Gossip")[0].id == added.id


async def test_merge(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        _, distrust_codings = row(demo_copy, "Distrust")
        _, target_codings = row(demo_copy, "Interpersonal trust")
        await highlight(pilot, "Distrust")
        await pilot.press("g", *"Interpersonal", "enter")
        assert isinstance(app.screen, Confirm)
        await pilot.click("#merge")
        await pilot.pause()
        with Project.open(demo_copy) as project:
            assert "Distrust" not in {r.name for r in project.code_rows()}
        _, merged = row(demo_copy, "Interpersonal trust")
        assert {c.id for c in merged} >= {c.id for c in target_codings}
        assert len(merged) == len(target_codings) + len(distrust_codings)
        assert app.main.code_tree.counts[resolve(app.project, "Interpersonal trust")] == len(merged)


async def test_delete_asks_and_never_orphans(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        hukou, hukou_codings = row(demo_copy, "Hukou")
        assert hukou_codings
        await highlight(pilot, "Hukou")
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")
        assert row(demo_copy, "Hukou")[0].id == hukou.id  # cancelled: nothing happened
        await pilot.press("d")
        await pilot.click("#parent")  # codings move to "Service access"
        await pilot.pause()
        with Project.open(demo_copy) as project:
            assert hukou.id not in {r.id for r in project.code_rows()}
            service = resolve(project, "Service access")
            moved = {c.id for c in project.codings(code_ids=[service])}
            assert {c.id for c in hukou_codings} <= moved
            known = {r.id for r in project.code_rows()}
            assert all(c.code_id in known for c in project.codings())
        await pilot.press("ctrl+z")
        assert {c.id for c in row(demo_copy, "Hukou")[1]} == {c.id for c in hukou_codings}
        await highlight(pilot, "Schooling")
        schooling, schooling_codings = row(demo_copy, "Schooling")
        await pilot.press("d")
        await pilot.click("#remove")
        await pilot.pause()
        with Project.open(demo_copy) as project:
            assert not {c.id for c in schooling_codings} & {c.id for c in project.codings()}


async def test_memos_on_document_code_and_coding(make_app, demo_copy):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"Trader relies on kin", "ctrl+s")
        await pilot.pause()
        await highlight(pilot, "Hukou")
        await pilot.press("m", *"Check hukou vs residence permit", "ctrl+s")
        await pilot.pause()
        await pilot.press("2")
        view = app.main.transcript
        span = next(s for s in sorted(view.spans.spans.values(), key=lambda s: s.start) if len(view.spans.at(s.start)) == 1)
        view.move_to(span.start)
        await pilot.press("M", *"key quote", "ctrl+s")
        await pilot.pause()
    with Project.open(demo_copy) as project:
        memos = {(m.target, m.target_id, m.text) for m in project.memos() if m.coder == "tester"}
        assert memos == {
            ("document", app.main.document_id, "Trader relies on kin"),
            ("code", resolve(project, "Hukou"), "Check hukou vs residence permit"),
            ("coding", span.coding_id, "key quote"),
        }


async def test_a_refused_change_is_shown_and_changes_nothing(make_app, demo_copy):
    """Renaming a code to its sibling's name: the error is shown, both codes stay as they were."""
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await highlight(pilot, "Trust/Distrust")
        await pilot.press("e")
        app.screen.query_one("#name").value = "Institutional trust"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("sibling" in n.message for n in app._notifications)
        assert not app.history.can_undo
    distrust, codings = row(demo_copy, "Trust/Distrust")
    assert distrust.name == "Distrust" and len(codings) == 9
