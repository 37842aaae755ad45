"""Screens opened over the main one (retrieve, search, query, agreement, words, KWIC, themes, the coder
filter), and the passage they jump back to."""

from __future__ import annotations

from .host import MainHost
from .results import Jump, ResultsScreen


class RetrievalActions:
    """Opens each screen with what the main screen knows; a chosen passage opens in the transcript."""

    def __init__(self, screen: MainHost) -> None:
        self.screen = screen

    def retrieve(self) -> None:
        screen = self.screen
        code_id = screen.current_code_id if screen.current_code_id in screen.codes else screen.code_tree.current_id
        if code_id is None:
            screen.notify("Highlight a code in the tree first (3).", severity="warning")
            return
        title = f"■ {screen.paths.get(code_id, '')}"
        screen.app.push_screen(ResultsScreen(screen.path, "retrieve", code_id, title), self.jump)

    def search(self) -> None:
        self.screen.app.push_screen(ResultsScreen(self.screen.path, "search", "", "Search"), self.jump)

    def query(self) -> None:
        self.screen.app.push_screen(ResultsScreen(self.screen.path, "query", "", "Query"), self.jump)

    def agreement(self) -> None:
        from .agreement import AgreementScreen, default_coders  # deferred, as every screen below: a light start

        self.screen.app.push_screen(AgreementScreen(self.screen.path, default_coders(self.screen.project)), self.jump)

    def coder_filter(self) -> None:
        from .agreement import CoderFilterScreen

        screen = self.screen
        coders = [(row["name"], row["codings"]) for row in screen.project.coder_counts()]
        screen.app.push_screen(CoderFilterScreen(coders, screen.hidden_coders), self._toggle_coder)

    def _toggle_coder(self, name: str | None) -> None:
        screen = self.screen
        if name is None:
            return
        screen.hidden_coders ^= {name}
        screen.reload_spans()
        hidden = ", ".join(sorted(screen.hidden_coders))
        screen.notify(f"Hidden: {hidden}" if hidden else "Every coder's codings are shown.", timeout=3)

    def words(self) -> None:
        from .themes import WordsScreen

        self.screen.app.push_screen(WordsScreen(self.screen.path))

    def kwic(self) -> None:
        from .themes import KwicScreen

        self.screen.app.push_screen(KwicScreen(self.screen.path), self.jump)

    def themes(self) -> None:
        from .themes import ThemesScreen

        screen = self.screen
        screen.app.push_screen(ThemesScreen(screen.path, screen.workbench.acting_coder), self._themes_closed)

    def _themes_closed(self, jump: Jump | None) -> None:
        self.screen.reload_codes()  # a promoted theme is a new code
        self.jump(jump)

    def jump(self, jump: Jump | None) -> None:
        if jump is None:
            return
        self.screen.open_document(jump.document_id, jump)
        self.screen.transcript.focus()
