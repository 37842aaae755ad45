"""One registry of actions: key bindings, the help screen and the command palette come from it.

Each action says where it lives (`scope`: the main screen, the transcript, the code tree or the
document list), which keys run it, and the words shown in the footer, help and palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

SCOPES = {
    "main": "Anywhere",
    "transcript": "Transcript",
    "codes": "Code tree",
    "documents": "Documents",
}


@dataclass(frozen=True)
class Action:
    id: str  # stable and unique: the Binding id, so keys can be remapped
    keys: str  # comma-separated Textual key names; "" for palette-only actions
    action: str  # the Textual action: the main screen's ("screen." from a pane), "app." for the app's
    description: str  # the footer's word
    help: str  # one sentence for the help screen, palette and tooltips
    scope: str = "main"
    show: bool = False
    palette: bool = True
    key_display: str | None = None


def _motion(id: str, keys: str, action: str, description: str, help: str, extend_keys: str = "") -> list[Action]:
    found = [Action(f"transcript.{id}", keys, action, description, help, "transcript", palette=False)]
    if extend_keys:
        found.append(Action(f"transcript.{id}-extend", extend_keys, f"{action}(True)", f"Extend {description.lower()}",
                            f"{help} (extending the selection)", "transcript", palette=False))
    return found


ACTIONS: tuple[Action, ...] = (
    # -- anywhere on the main screen
    Action("main.help", "question_mark,f1", "app.help", "Help", "Show every key and what it does.", show=True,
           key_display="?"),
    Action("main.documents", "1", "focus_pane('documents')", "Documents", "Go to the document list."),
    Action("main.transcript", "2", "focus_pane('transcript')", "Transcript", "Go to the transcript."),
    Action("main.codes", "3", "focus_pane('codes')", "Codes", "Go to the code tree."),
    Action("main.details", "4,f3", "toggle_details", "Details",
           "Show or hide the details pane (definition, memos); below 120 columns, "
           "switch the side pane between the lists and the details."),
    Action("main.retrieve", "r", "retrieve", "Retrieve",
           "List every segment of the current code (sub-codes included) and jump to one.", show=True),
    Action("main.search", "slash", "search", "Search", "Full-text search of all documents, hits highlighted.",
           show=True, key_display="/"),
    Action("main.query", "b", "query", "Query", "Boolean query over codes: Trust AND NOT Distrust.", show=True),
    Action("main.words", "W", "words", "Words", "Word frequencies with a bar chart (zh words, en lemmas)."),
    Action("main.kwic", "K", "kwic", "KWIC", "Keyword in context: every occurrence aligned; Enter opens it."),
    Action("main.themes", "T", "themes", "Themes", "Candidate themes of the uncoded text; promote one to a code."),
    Action("main.undo", "ctrl+z", "undo", "Undo", "Undo the last coding, code or memo change.", show=True),
    Action("main.redo", "ctrl+y", "redo", "Redo", "Redo what was undone."),
    Action("main.import", "ctrl+o", "import_files", "Import", "Import transcripts with a file picker."),
    Action("main.export", "ctrl+e", "app.export", "Export",
           "Export excerpts, the codebook appendix or a chart for a paper, de-identified if asked."),
    Action("main.side-wider", "greater_than_sign", "side_width(4)", "Wider",
           "Widen the documents and codes pane (the transcript gives up columns); remembered.", key_display=">"),
    Action("main.side-narrower", "less_than_sign", "side_width(-4)", "Narrower",
           "Narrow the documents and codes pane; past the narrowest, back to the layout's width.", key_display="<"),
    Action("main.pseudonyms", "P", "app.pseudonyms", "Pseudonyms",
           "Review de-identification candidates with their contexts: y confirm, n reject, s skip, d done."),
    Action("main.theme", "ctrl+t", "app.toggle_theme", "Theme", "Switch between the dark and the light theme."),
    Action("main.agreement", "A", "agreement", "Agreement",
           "Intercoder agreement of two or more coders per code; Enter on a disagreement goes there."),
    Action("main.coder-filter", "H", "coder_filter", "Coders shown",
           "Show or hide one coder's codings in the transcript."),
    Action("main.coder", "", "app.switch_coder", "Coder", "Change who is coding; every coding records it."),
    Action("main.suggestions", "S", "suggestions('toggle')", "Suggest",
           "Show or hide the suggestions panel: codes the engine proposes for this document."),
    Action("main.suggest-accept", "y", "suggestions('accept')", "Accept",
           "Accept the highlighted suggestion: it becomes a coding (ctrl+z takes it back)."),
    Action("main.suggest-reject", "n", "suggestions('reject')", "Reject",
           "Reject the highlighted suggestion: that span is never proposed for that code again."),
    Action("main.suggest-next", "j", "suggestions('next')", "Next suggestion",
           "Jump to the next suggestion after the cursor and select its text."),
    Action("main.quit", "q", "app.quit", "Quit", "Quit (everything is already saved).", show=True),
    # -- the transcript: coding
    Action("transcript.code", "c,enter", "screen.code_selection", "Code",
           "Code the selection: pick a code by fuzzy search of English or Chinese names.", "transcript",
           show=True, key_display="c"),
    Action("transcript.again", "a", "screen.apply_last", "Again", "Code the selection with the code used last.",
           "transcript"),
    Action("transcript.in-vivo", "i", "screen.in_vivo", "In-vivo",
           "Make a code named by the selected words and apply it.",
           "transcript", show=True),
    Action("transcript.uncode", "x,delete", "screen.uncode", "Uncode", "Remove a coding under the cursor.",
           "transcript", show=True, key_display="x"),
    Action("transcript.recode", "e", "screen.recode", "Recode", "Give a coding under the cursor another code.",
           "transcript"),
    Action("transcript.memo", "m", "screen.memo('document')", "Memo", "Write a memo on this document.", "transcript"),
    Action("transcript.coding-memo", "M", "screen.memo('coding')", "Coding memo",
           "Write a memo on the coding under the cursor.", "transcript"),
    # -- the transcript: selection
    Action("transcript.sentence", "s", "select_sentence", "Sentence",
           "Select the sentence at the cursor; again to add the next sentence.", "transcript", show=True),
    Action("transcript.turn", "t", "select_turn", "Turn",
           "Select the speaker's turn at the cursor; again to add the next turn.", "transcript", show=True),
    Action("transcript.word", "w", "select_word", "Word", "Select the word at the cursor (jieba words in Chinese).",
           "transcript"),
    Action("transcript.mark", "v", "toggle_mark", "Mark",
           "Start or stop selecting: every motion then extends the selection.", "transcript"),
    Action("transcript.clear", "escape", "clear", "Clear", "Drop the selection (then the search highlights).",
           "transcript", palette=False),
    *_motion("left", "left", "cursor_left", "Character left", "Move one character left", "shift+left"),
    *_motion("right", "right", "cursor_right", "Character right", "Move one character right", "shift+right"),
    *_motion("up", "up", "cursor_up", "Line up", "Move one line up", "shift+up"),
    *_motion("down", "down", "cursor_down", "Line down", "Move one line down", "shift+down"),
    *_motion("word-left", "ctrl+left,left_square_bracket", "word_left", "Word left",
             "Move to the previous word start (jieba words in Chinese)", "ctrl+shift+left"),
    *_motion("word-right", "ctrl+right,right_square_bracket", "word_right", "Word right",
             "Move to the next word end (jieba words in Chinese)", "ctrl+shift+right"),
    *_motion("sentence-previous", "left_parenthesis", "sentence_previous", "Sentence back",
             "Move to the previous sentence start"),
    *_motion("sentence-next", "right_parenthesis", "sentence_next", "Sentence forward",
             "Move to the next sentence start"),
    *_motion("turn-previous", "left_curly_bracket", "turn_previous", "Turn back", "Move to the previous turn"),
    *_motion("turn-next", "right_curly_bracket", "turn_next", "Turn forward", "Move to the next turn"),
    *_motion("row-start", "home", "row_start", "Line start", "Move to the start of the line", "shift+home"),
    *_motion("row-end", "end", "row_end", "Line end", "Move to the end of the line", "shift+end"),
    *_motion("page-up", "pageup", "page_up", "Page up", "Move one screen up", "shift+pageup"),
    *_motion("page-down", "pagedown", "page_down", "Page down", "Move one screen down", "shift+pagedown"),
    *_motion("top", "ctrl+home,g", "document_start", "Top", "Move to the start of the document", "ctrl+shift+home"),
    *_motion("bottom", "ctrl+end,G", "document_end", "Bottom", "Move to the end of the document", "ctrl+shift+end"),
    # -- the code tree
    Action("codes.apply", "enter", "screen.apply_tree_code", "Apply",
           "Code the transcript's selection with the highlighted code.", "codes", show=True),
    Action("codes.toggle", "space", "toggle_node", "Fold", "Collapse or expand the highlighted code.", "codes",
           show=True, palette=False),
    Action("codes.new", "n", "screen.new_code", "New", "Add a sub-code under the highlighted code.", "codes",
           show=True),
    Action("codes.new-top", "N", "screen.new_code(True)", "New top-level", "Add a code at the top of the tree.",
           "codes"),
    Action("codes.edit", "e", "screen.edit_code", "Edit",
           "Edit the code: definition, inclusion and exclusion criteria, colour, keywords.", "codes", show=True),
    Action("codes.rename", "f2", "screen.edit_code", "Rename", "Rename the code (English and Chinese names).", "codes"),
    Action("codes.move", "v", "screen.move_code", "Move", "Move the code under another parent.", "codes"),
    Action("codes.merge", "g", "screen.merge_code", "Merge", "Merge the code into another one (codings move too).",
           "codes"),
    Action("codes.delete", "d,delete", "screen.delete_code", "Delete",
           "Delete the code after confirming what happens to its codings.", "codes", show=True, key_display="d"),
    Action("codes.memo", "m", "screen.memo('code')", "Memo", "Write a memo on the highlighted code.", "codes"),
    # -- the document list
    Action("documents.open", "enter", "select_cursor", "Open", "Open the highlighted document.", "documents",
           show=True, palette=False),
    Action("documents.first", "home", "scroll_top", "First", "Go to the first document.", "documents",
           palette=False),
    Action("documents.last", "end", "scroll_bottom", "Last", "Go to the last document.", "documents", palette=False),
    Action("documents.memo", "m", "screen.memo('document')", "Memo", "Write a memo on the highlighted document.",
           "documents"),
)


def by_id(action_id: str) -> Action:
    return next(a for a in ACTIONS if a.id == action_id)


def bindings(scope: str) -> list[BindingType]:
    """Textual bindings for one scope, each with an id and a tooltip."""
    return [
        Binding(a.keys, a.action, a.description, show=a.show, key_display=a.key_display, tooltip=a.help, id=a.id)
        for a in ACTIONS
        if a.scope == scope and a.keys
    ]


def key_text(action: Action) -> str:
    """Keys as a person reads them: 'ctrl+z', '[ or ctrl+left'."""
    names = {
        "question_mark": "?", "slash": "/", "left_square_bracket": "[", "right_square_bracket": "]",
        "left_parenthesis": "(", "right_parenthesis": ")", "left_curly_bracket": "{",
        "right_curly_bracket": "}", "escape": "esc", "delete": "del",
    }
    return " or ".join(names.get(k, k) for k in action.keys.split(",") if k) or "palette"
