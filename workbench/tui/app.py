"""A first workbench screen: documents, the code tree and coded segments."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Tree

from ..codebook.ops import descendants
from ..store import Project


class WorkbenchApp(App):
    TITLE = "workbench"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, path: Path, coder: str):
        super().__init__()
        self.path, self.coder = path, coder
        self.project = Project.open(path)
        self.sub_title = f"{path.name} · {coder}"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield DataTable(id="documents", cursor_type="row")
            yield Tree("codes", id="codes")
        yield DataTable(id="segments", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        documents = self.query_one("#documents", DataTable)
        documents.add_columns("document", "case", "lang", "codings")
        for row in self.project.documents():
            documents.add_row(row["name"], row["case"] or "", row["lang"], row["codings"])
        tree = self.query_one("#codes", Tree)
        tree.root.expand()

        def add(node, codes):
            for code in codes:
                child = node.add(f"[{code.color}]■[/] {code.name} {code.name_zh}", data=code.id, expand=True)
                add(child, code.children)

        add(tree.root, self.project.code_tree())
        self.query_one("#segments", DataTable).add_columns("document", "speaker", "code", "coder", "text")

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is None:
            return
        table = self.query_one("#segments", DataTable)
        table.clear()
        for row in self.project.segments(descendants(self.project, event.node.data)):
            table.add_row(row["document"], row["speaker"] or "", row["code"], row["coder"] or "",
                          row["text"].replace("\n", " ")[:80])


def run(path: Path, coder: str) -> None:
    WorkbenchApp(path, coder).run()
