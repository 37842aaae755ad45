"""Pilot tests: the agreement screen (Enter on a disagreement jumps there) and the coder filter."""

from __future__ import annotations

from named import code_named
from tui_helpers import settle

from workbench.agreement import compute
from workbench.store import Project
from workbench.tui.screens.agreement import AgreementScreen, CoderFilterScreen


def two_coders(demo_copy):
    """ana and ben code the same document, partly alike."""
    with Project.open(demo_copy) as project:
        document = project.documents()[0]
        text = project.document(document.id).text
        code_named(project, document.id, "Trust", 10, 60, "ana")
        code_named(project, document.id, "Trust", 30, 60, "ben")
        code_named(project, document.id, "Trust", 100, 140, "ben")
        return document.id, text


async def test_agreement_screen_lists_figures_and_jumps_to_a_disagreement(make_app, demo_copy):
    document_id, _ = two_coders(demo_copy)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        assert screen.coders == ["lin", "sara"]  # the demo's two coders, who coded most
        screen.query_one("#agree-coders").value = "ana, ben"
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert screen.coders == ["ana", "ben"]
        with Project.open(demo_copy) as project:
            expected = compute(project, ["ana", "ben"])
        codes = screen.query_one("#agree-codes")
        assert codes.row_count == len(expected.codes) + 1  # and the overall row
        assert [(d.document, d.start, d.end) for d in expected.disagreements] == [(document_id, 10, 30),
                                                                                 (document_id, 100, 140)]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen is not screen
        assert app.main.document_id == document_id
        view = app.main.transcript
        assert (view.selection.start, view.selection.end) == (100, 140)


async def test_agreement_screen_at_sentence_level_and_with_other_coders(make_app, demo_copy):
    two_coders(demo_copy)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        screen = app.screen
        await pilot.press("l")
        await settle(pilot)
        assert screen.level == "segment"
        assert "sentences" in str(screen.query_one("#agree-summary").render())
        screen.query_one("#agree-coders").value = "ana,nobody"
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert "nobody" in str(screen.query_one("#agree-summary").render())
        await pilot.press("escape")
        assert not isinstance(app.screen, AgreementScreen)


async def test_hiding_a_coder_takes_their_stripes_out(make_app, demo_copy):
    document_id, _ = two_coders(demo_copy)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main.open_document(document_id)
        await settle(pilot)
        with Project.open(demo_copy) as project:
            ben = {c.id for c in project.codings(document_id=document_id, coders=["ben"])}
        assert ben <= set(app.main.transcript.spans.spans)
        await pilot.press("H")
        await settle(pilot)
        assert isinstance(app.screen, CoderFilterScreen)
        options = app.screen.query_one("OptionList")
        index = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "ben")
        options.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.hidden_coders == {"ben"}
        assert not ben & set(app.main.transcript.spans.spans)
        await pilot.press("H")
        await settle(pilot)
        options = app.screen.query_one("OptionList")
        options.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert ben <= set(app.main.transcript.spans.spans)
