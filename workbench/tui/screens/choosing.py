"""Choosing on the main screen: the codes a picker offers, the selection, the coding under the cursor."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text

from ..layout import Span
from ..widgets.transcript import Selection
from .dialogs import Choose, CodeChoice
from .host import MainHost


def code_choices(screen: MainHost, exclude: Iterable[int] = ()) -> list[CodeChoice]:
    skip = set(exclude)
    tree = screen.code_tree
    return [
        CodeChoice(cid, screen.paths.get(cid, code.name), code.name, code.name_zh, code.color, tree.total(code),
                   tree.counts.get(cid, 0), bool(code.children))
        for cid, code in screen.codes.items()
        if cid not in skip
    ]


def selection(screen: MainHost) -> Selection | None:
    """The transcript's selection, or None with a word on how to make one."""
    found = screen.transcript.selection
    if found is None:
        screen.notify("Select text first: s selects a sentence, t a turn, shift+arrows extend.",
                      title="Nothing selected", severity="warning")
    return found


def with_coding_here(screen: MainHost, purpose: str, then: Callable[[Span], None]) -> None:
    """Call `then(span)` with the coding under the cursor, asking which one if several."""
    spans = screen.transcript.spans_here()
    if not spans:
        screen.notify("No coding under the cursor.", severity="warning")
        return
    if len(spans) == 1:
        then(spans[0])
        return
    by_id = {str(s.coding_id): s for s in spans}
    options: list[tuple[str, Text | str]] = []
    for span in spans:
        coding = screen.project.coding(span.coding_id)
        code = screen.codes.get(span.code_id)
        label = Text()
        label.append("■ ", style=code.color if code else "")
        label.append(f"{code.name if code else span.code_id}")
        label.append(f"  {coding.coder if coding else ''}  ", style="dim")
        snippet = " ".join(screen.transcript.text[span.start:span.end].split())
        label.append(snippet[:40] + ("…" if len(snippet) > 40 else ""), style="italic")
        options.append((str(span.coding_id), label))
    screen.app.push_screen(Choose(f"Which coding to {purpose}?", options),
                           lambda key: then(by_id[key]) if key else None)
