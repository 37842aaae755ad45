"""The panes around the transcript: documents, the code tree, details and the status line."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, Tree
from textual.widgets.data_table import CellDoesNotExist
from textual.widgets.tree import TreeNode

from ...model import Code
from ..actions import bindings


@dataclass(frozen=True)
class DocumentRow:
    id: int
    name: str
    case: str
    attributes: dict[str, str]
    chars: int
    codings: int
    coded_chars: int

    @property
    def coded_share(self) -> str:
        return f"{100 * self.coded_chars / self.chars:.0f}%" if self.chars else "–"


def short_name(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and len(suffix) <= 4 else name


class DocumentList(DataTable):
    """Every document with its case, attributes and how much of it is coded."""

    BINDINGS = bindings("documents")
    ATTRIBUTES = ("role", "city")

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.rows_by_id: dict[int, DocumentRow] = {}
        self._stale: set[int] = set()  # documents whose figures changed since their cells were drawn
        self.border_title = "Documents"

    def on_mount(self) -> None:
        self.add_column("Document", key="name")
        self.add_column("Coded", key="coded")
        self.add_column("n", key="codings")
        self.add_column("Case", key="case")
        for attribute in self.ATTRIBUTES:
            self.add_column(attribute.capitalize(), key=attribute)

    def show(self, rows: list[DocumentRow], current: int | None = None) -> None:
        keep = current if current is not None else self._highlighted_id()
        self.clear()
        self.rows_by_id, self._stale = {row.id: row for row in rows}, set()
        for row in rows:
            name = short_name(row.name)
            self.add_row(
                name if len(name) <= 16 else name[:15] + "…", Text(row.coded_share, justify="right"),
                Text(str(row.codings), justify="right"), row.case,
                *(row.attributes.get(a, "") for a in self.ATTRIBUTES), key=str(row.id),
            )
        if keep is not None and str(keep) in self.rows:
            self.move_cursor(row=self.get_row_index(str(keep)), animate=False)

    def update_row(self, row: DocumentRow) -> None:
        """Take a document's new figures now; the table shows them at `redraw_changed`."""
        self.rows_by_id[row.id] = row
        self._stale.add(row.id)

    def redraw_changed(self) -> None:
        """Put changed figures in their cells. Any cell update repaints every visible row of a
        DataTable, so the screen calls this once keys pause, not on every coding key (issue 24)."""
        stale, self._stale = self._stale, set()
        for document_id in stale:
            row, key = self.rows_by_id.get(document_id), str(document_id)
            if row is not None and key in self.rows:
                self.update_cell(key, "coded", Text(row.coded_share, justify="right"))
                self.update_cell(key, "codings", Text(str(row.codings), justify="right"))

    def _highlighted_id(self) -> int | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return int(key.value) if key.value else None

    @property
    def highlighted_id(self) -> int | None:
        return self._highlighted_id()


class CodeTree(Tree[int]):
    """The codebook: hierarchy, colours and how many codings each code (and its subtree) has."""

    BINDINGS = bindings("codes")

    def __init__(self, **kwargs):
        super().__init__("Codes", **kwargs)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.codes: dict[int, Code] = {}
        self.nodes_by_id: dict[int, TreeNode[int]] = {}
        self.counts: dict[int, int] = {}
        self._stale: set[int] = set()  # codes whose count changed since their label was drawn
        self._wanted: int | None = None
        self.border_title = "Codes"
        self.border_subtitle = "n own · Σ with sub-codes"

    def show(self, roots: list[Code], counts: dict[int, int]) -> None:
        """Rebuild the tree, keeping which codes were folded and where the cursor was."""
        folded = {cid for cid, node in self.nodes_by_id.items() if node.allow_expand and not node.is_expanded}
        current = self.current_id
        self.clear()
        self.codes, self.nodes_by_id, self.counts, self._stale = {}, {}, dict(counts), set()

        def add(parent: TreeNode[int], codes: list[Code]) -> None:
            for code in codes:
                self.codes[code.stored_id] = code
                node = parent.add(self._label(code), data=code.stored_id,
                                  expand=code.stored_id not in folded, allow_expand=bool(code.children))
                self.nodes_by_id[code.stored_id] = node
                add(node, code.children)

        add(self.root, roots)
        self.root.expand()
        if current in self.nodes_by_id and self._wanted is None:
            self.select_code(current)

    def total(self, code: Code) -> int:
        return self.counts.get(code.stored_id, 0) + sum(self.total(child) for child in code.children)

    def _label(self, code: Code) -> Text:
        """Swatch, the code's own codings, names, and (with sub-codes) the subtree's total after Σ."""
        from ...text.width import cells
        from ...textable import elide_middle

        count = self.counts.get(code.stored_id, 0)
        label = Text()
        label.append("■", style=code.color)
        label.append(f"{count:>4} " if count else "     ", style="dim")
        total = f" Σ{self.total(code)}" if code.children else ""
        zh = f" {code.name_zh}" if code.name_zh and code.name_zh != code.name else ""
        room = self._name_room(code)
        if 0 < room - len(total) < 8:
            total = ""  # a narrow pane: the name before the subtree's total (the details pane has it)
        room -= len(total)
        name = code.name
        if room > 0 and cells(name + zh) > room:
            # Cut in the middle, so both ends of a long name stay readable; the Chinese name goes
            # first (the details pane has it). The status line shows the whole path.
            name, zh = elide_middle(name, room), ""
        label.append(name)
        if zh:
            label.append(zh, style="dim")
        if total:
            label.append(total, style="dim italic")
        return label

    def _name_room(self, code: Code) -> int:
        """Cells left for the names on this code's line (0 before the tree has a size)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return 0
        depth, current = 0, code
        while current.parent_id is not None and current.parent_id in self.codes:
            depth, current = depth + 1, self.codes[current.parent_id]
        # the guides (a top-level code has only its arrow there), the swatch and the count column
        return width - max(depth, 1) * self.guide_depth - 6 - 1  # one spare: a scrollbar may come and go

    def on_resize(self) -> None:
        """A new width (a resize, or `>`/`<`) elides names afresh."""
        for code_id, node in self.nodes_by_id.items():
            node.set_label(self._label(self.codes[code_id]))

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        self._relabel(event.node)

    def _on_tree_node_collapsed(self, event: Tree.NodeCollapsed) -> None:
        self._relabel(event.node)

    def _relabel(self, node: TreeNode[int]) -> None:
        if node.data in self.codes:
            node.set_label(self._label(self.codes[node.data]))

    def change_count(self, code_id: int, delta: int) -> None:
        """Adjust one code's count now; its label and its ancestors' follow at `relabel_changed`."""
        self.counts[code_id] = self.counts.get(code_id, 0) + delta
        current = self.codes.get(code_id)
        while current is not None:
            self._stale.add(current.stored_id)
            current = self.codes.get(current.parent_id) if current.parent_id is not None else None

    def relabel_changed(self) -> None:
        """Relabel the codes whose counts changed. A relabel repaints every visible line of the tree,
        so the screen calls this once keys pause rather than on every coding key (issue 24)."""
        stale, self._stale = self._stale, set()
        for code_id in stale:
            node = self.nodes_by_id.get(code_id)
            if node is not None:
                self._relabel(node)

    @property
    def current_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else None

    def select_code(self, code_id: int) -> None:
        """Put the cursor on a code (after the next refresh, when a rebuilt tree has its lines)."""
        self._wanted = code_id
        self.call_after_refresh(self._select_wanted)

    def _select_wanted(self) -> None:
        code_id, self._wanted = self._wanted, None
        node = self.nodes_by_id.get(code_id) if code_id is not None else None
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.move_cursor(node, animate=False)


class DetailPane(VerticalScroll, can_focus=False):
    """The current code's definition and criteria, the codings under the cursor, and memos."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.border_title = "Details"
        self._shown: dict[str, Text] = {}  # what each part shows now

    def _put(self, part: str, text: Text) -> None:
        """Show a part's text; lay the screen out again only when the part's height changes.

        A Static's update lays out the whole screen (a dozen milliseconds beside a long document),
        and the details change after most keys while their height seldom does (issue 24)."""
        if self._shown.get(part) == text:
            return
        self._shown[part] = text
        static = self.query_one(f"#{part}", Static)
        height, width = static.size.height, static.size.width
        static.update(text, layout=False)
        if not width or static.get_content_height(self.size, self.app.size, width) != height:
            static.refresh(layout=True)

    def compose(self):
        yield Static(id="detail-code")
        yield Static(id="detail-here")
        yield Static(id="detail-document")

    def show_code(self, code: Code | None, path: str, total: int, memos: list[str], own_count: int = 0) -> None:
        text = Text()
        if code is None:
            text.append("How to code\n", style="bold")
            text.append("Select text: s a sentence, t a turn, shift+arrows or v to extend. "
                        "Then c and type a code's name (English or 中文), Enter. "
                        "r lists a code's segments; ? shows every key.", style="dim")
        else:
            text.append("■ ", style=code.color)
            text.append(code.name, style="bold")
            if code.name_zh:
                text.append(f"  {code.name_zh}", style="bold")
            own = f"{own_count} coding{'s' if own_count != 1 else ''}"
            text.append(f"\n{path} · {own}" + (f" · {total} with sub-codes" if code.children else "") + "\n",
                        style="dim")
            for title, value in (("Definition", code.definition), ("Include", code.include),
                                 ("Exclude", code.exclude)):
                if value:
                    text.append(f"{title}: ", style="bold")
                    text.append(value.strip() + "\n")
            if code.examples:
                text.append("Examples: ", style="bold")
                text.append("; ".join(code.examples) + "\n")
            keywords = code.keywords_en + code.keywords_zh
            if keywords:
                text.append("Keywords: ", style="bold")
                text.append(", ".join(keywords) + "\n")
            for memo in memos:
                text.append("Memo: ", style="bold italic")
                text.append(memo + "\n", style="italic")
        self._put("detail-code", text)

    def show_here(self, lines: list[tuple[str, str, str]]) -> None:
        """(colour, label, memo) of each coding under the cursor."""
        text = Text()
        if lines:
            text.append("\nHere\n", style="bold underline")
        for color, label, memo in lines:
            text.append("┃ ", style=color)
            text.append(label + "\n")
            if memo:
                text.append(f"  memo: {memo}\n", style="italic")
        self._put("detail-here", text)

    def show_document(self, name: str, attributes: dict[str, str], memos: list[str]) -> None:
        text = Text()
        if name:
            text.append(f"\n{name}\n", style="bold underline")
        for key, value in attributes.items():
            text.append(f"{key}: ", style="dim")
            text.append(f"{value}\n")
        for memo in memos:
            text.append("Memo: ", style="bold italic")
            text.append(memo + "\n", style="italic")
        self._put("detail-document", text)


class StatusLine(Static):
    """One line: document, turn and speaker, position, selection, mode, coder."""
