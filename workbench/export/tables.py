"""Tables for papers: code frequencies by document or by a case attribute, and co-occurrence.

Both are counted from the selected excerpts, so --code, --where, --coder and --document narrow
them as they narrow the excerpts. Frequencies count codings. Co-occurrence counts **turns**
(speaker turns, the transcript's paragraphs): two codes co-occur in a turn when codings of both
touch it; a pair counts once per turn however many codings or coders mark it, so two coders
agreeing do not double a cell. The diagonal holds how many turns carry the code at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import WorkbenchError
from ..store import Project
from ..turn_index import TurnIndex
from .files import neutralise
from .select import Excerpt

COOCCURRENCE_UNIT = "turn"
# What every project can be grouped by, participants table or not (issue 22); the rest are case attributes.
BUILT_IN = {"document": "document", "case": "case", "lang": "language", "language": "language",
            "speaker": "speaker", "coder": "coder"}


@dataclass(frozen=True)
class Table:
    """A labelled matrix of counts, with the sentence that says what a cell counts."""

    title: str
    corner: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    note: str

    def cell(self, row: str, column: str) -> int:
        values = dict(self.rows)[row]
        return values[self.columns.index(column)]


def frequencies(excerpts: list[Excerpt], by: str = "document", clean: Callable[[str], str] | None = None) -> Table:
    """Codings per code and document (`by='document'`) or per value of a case attribute."""
    keep = clean or (lambda text: text)
    counts: dict[str, Counter] = {}
    columns: list[str] = []
    built_in = BUILT_IN.get(by.casefold())
    for e in excerpts:
        if built_in == "document":
            column = keep(e.document)
        elif built_in == "case":
            column = keep(e.case) or "(none)"
        elif built_in == "language":
            column = e.lang or "(none)"
        elif built_in == "speaker":
            column = keep(e.speaker) or "(none)"
        elif built_in == "coder":
            column = e.coder or "(none)"
        else:
            column = next((keep(v) for k, v in e.attributes.items() if k.casefold() == by.casefold()), "(none)")
        if column not in columns:
            columns.append(column)
        counts.setdefault(e.code, Counter())[column] += 1
    columns.sort(key=lambda c: (c == "(none)", c))
    if built_in is None and excerpts and columns == ["(none)"]:
        raise WorkbenchError(f"--table by:{by}: no case has an attribute {by!r}")
    rows = [(code, [counter[c] for c in columns] + [sum(counter.values())]) for code, counter in counts.items()]
    label = built_in or by
    return Table(f"Code frequencies by {label}", "code", columns + ["total"], rows,
                 f"Each cell counts codings of the code (each coder's coding once) in that {label}.")


def cooccurrence(project: Project, excerpts: list[Excerpt]) -> Table:
    """Code × code: in how many turns both codes occur (the diagonal: turns with the code)."""
    by_document: dict[int, list[Excerpt]] = defaultdict(list)
    for e in excerpts:
        by_document[e.document_id].append(e)
    order: list[str] = []
    for e in excerpts:
        if e.code not in order:
            order.append(e.code)
    counts: Counter[tuple[str, str]] = Counter()
    for document_id, members in by_document.items():
        in_turn = TurnIndex.of(project, document_id).keys_by_turn((e.start, e.end, e.code) for e in members)
        for codes in in_turn.values():
            for a in codes:
                for b in codes:
                    counts[(a, b)] += 1
    rows = [(a, [counts[(a, b)] for b in order]) for a in order]
    return Table("Code co-occurrence (unit: speaker turns)", "code", order, rows,
                 "Each cell counts speaker turns touched by codings of both codes; a pair counts once per "
                 "turn however many coders or codings mark it. The diagonal counts turns with the code.")


def to_rows(table: Table) -> tuple[list[str], list[list[object]]]:
    return [table.corner, *table.columns], [[label, *values] for label, values in table.rows]


def write(table: Table, path: str | Path) -> None:
    from .excerpts_table import write as write_rows

    header, body = to_rows(table)
    write_rows(header, [[neutralise(v) for v in row] for row in body], path, sheet=table.title[:31])


def render(table: Table, max_label: int = 36) -> str:
    """The table as aligned text for the terminal (Chinese counted two columns wide)."""
    from ..text.width import cells as _width
    from ..textable import elide_middle, unique_labels
    from ..textable import pad as _pad

    labels = [elide_middle(label, max_label) for label, _ in table.rows]
    heads = unique_labels(table.columns, 14)  # readable and never the same twice (issue 22)
    if table.columns == [label for label, _ in table.rows]:  # a square matrix: number the columns
        labels = [f"{i:>2} {label}" for i, label in enumerate(labels, start=1)]
        heads = [str(i) for i in range(1, len(heads) + 1)]
    first = max([_width(table.corner)] + [_width(x) for x in labels])
    widths = [max(_width(h), *(len(str(v[i])) for _, v in table.rows)) if table.rows else _width(h)
              for i, h in enumerate(heads)]
    head = [_pad(h, w, True) for h, w in zip(heads, widths, strict=True)]
    lines = [table.title, "  ".join([_pad(table.corner, first), *head])]
    for label, (_, values) in zip(labels, table.rows, strict=True):
        cells = [_pad(str(v), w, True) for v, w in zip(values, widths, strict=True)]
        lines.append("  ".join([_pad(label, first), *cells]))
    lines.append(table.note)
    return "\n".join(lines)
