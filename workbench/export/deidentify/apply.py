"""Applying the table: confirmed terms only, to every string that leaves in an export.

Nothing unconfirmed changes a quotation. The export is cleaned before any writer sees it
(excerpts with every field, code paths, document and case names, memos, attributes), and the
record of what was replaced lives beside the file, never inside it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ...store.export import Pseudonym
from .match import Matcher
from .normal import term_key
from .table import confirmed


@dataclass(frozen=True)
class Report:
    """What a de-identified export did: replacements per term, and candidates still undecided."""

    replacements: int
    by_original: dict[str, int]
    undecided: tuple[str, ...] = ()
    record: Path | None = None

    def summary(self) -> str:
        text = f"de-identified: {self.replacements} replacement{'s' if self.replacements != 1 else ''} " \
               f"of {len(self.by_original)} confirmed term{'s' if len(self.by_original) != 1 else ''}"
        if self.record is not None:
            text += f" (record: {self.record.name})"
        if self.undecided:
            n = len(self.undecided)
            text += (f"; {n} candidate{'s' if n != 1 else ''} still undecided and left unchanged; review them "
                     "with `workbench pseudonyms PROJECT` (or P in the TUI)")
        return text


class Applier:
    """A callable that replaces every confirmed term in a text and counts what it replaced."""

    def __init__(self, pseudonyms: Iterable[Pseudonym]):
        rows = confirmed(pseudonyms)
        rows.sort(key=lambda p: -len(p.original))
        self.rows = rows
        self.by_key: dict[str, Pseudonym] = {}
        for row in rows:
            self.by_key.setdefault(term_key(row.original), row)
        self.replacement = {key: row.replacement for key, row in self.by_key.items()}
        self.matcher = Matcher(self.by_key)
        self.counts: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        if not text or not self.by_key:
            return text
        return self.matcher.replace(text, self.replacement, self.counts)

    def leaks(self, text: str) -> list[str]:
        """Confirmed terms still in a text (as the matcher finds them)."""
        return sorted({self.by_key[hit.key].original for hit in self.matcher.find(text)})

    def report(self, undecided: Iterable[str] = (), record: Path | None = None) -> Report:
        by_original = {self.by_key[key].original: count for key, count in self.counts.items()}
        return Report(sum(by_original.values()), by_original, tuple(undecided), record)

    def record_rows(self) -> list[tuple[str, str, int]]:
        """(term, replacement, count) for every confirmed term, most replaced first."""
        rows = [(row.original, row.replacement, self.counts.get(key, 0)) for key, row in self.by_key.items()]
        return sorted(rows, key=lambda r: (-r[2], r[0]))


Replacer = Applier  # the name earlier callers used


def clean_value(value: object, clean: Applier) -> object:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: clean_value(v, clean) for k, v in value.items()}
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(clean(v) for v in value)
    return value


def clean_record(item, clean: Applier):
    """A dataclass with every string (and dict of strings) field de-identified."""
    return replace(item, **{f.name: clean_value(getattr(item, f.name), clean) for f in fields(item)
                            if isinstance(getattr(item, f.name), (str, dict, tuple))})


def record_path(path: Path) -> Path:
    """Where the record of an export goes: beside it, `FILE.deid-record.csv`."""
    return path.with_name(path.name + ".deid-record.csv")


def record_csv(clean: Applier) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["term", "replacement", "count"])
    from ..files import neutralise

    for term, replacement, count in clean.record_rows():
        writer.writerow([neutralise(term), neutralise(replacement), count])
    return buffer.getvalue()
