"""Issue 20, item 6: undoing "accept suggestion" must not delete an earlier manual coding (and its
memo) that the suggestion coincided with."""

from __future__ import annotations

from workbench.history import History
from workbench.model import Code, SuggestionDraft
from workbench.store import Project
from workbench.suggest import engine


def test_undoing_an_accept_keeps_the_manual_coding_it_coincided_with(tmp_path):
    path = tmp_path / "study.qda"
    (tmp_path / "P01.txt").write_text("I trust my family. Work is hard. My boss lies.\n", encoding="utf-8")
    from workbench.imports import import_files

    with Project.create(path) as project:
        trust = project.add_code(Code(name="Trust"), None)
        list(import_files(project, [tmp_path / "P01.txt"], coder="lin"))
        doc = project.document_id("P01.txt")
        run = project.add_suggestion_run("learned", coder="lin")
        project.add_suggestions(run, [SuggestionDraft(doc, trust, 0, 18, 0.9, "learned")])
        suggestion = project.open_suggestions(document_id=doc)[0]
        # meanwhile the coder codes the same span by hand and writes a memo on it
        manual = project.add_coding(doc, trust, 0, 18, "lin")
        project.add_memo("coding", manual, "family as the first circle of trust", "lin")
        history = History(project, "lin")
        coding_id = history.accept_suggestion(suggestion.id)
        assert coding_id == manual
        history.undo()
        assert project.suggestion(suggestion.id).status == "open"
        assert project.coding(manual) is not None, "the manual coding survives the undo"
        assert [m.text for m in project.memos("coding", manual)] == ["family as the first circle of trust"]
        # an accept that made its own coding is still taken back by undo
        history.redo()
        history.undo()
        made = engine.accept(project, suggestion.id, "sara")
        assert project.coding(made).origin == "suggestion"
        engine.reopen(project, suggestion.id, "sara")
        assert project.coding(made) is None
