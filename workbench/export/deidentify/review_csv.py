"""The table as a CSV for review in a spreadsheet, and the reviewed CSV read back.

Columns: original, replacement, kind, confirmed (yes/no), source, guid. A row with confirmed
`no` and an empty replacement is a rejected candidate; `yes` confirms it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path

from ...model import WorkbenchError
from ...store import Project
from ...store.events import Action
from ...store.export import KINDS, Pseudonym
from ..files import neutralise, write_text

CSV_COLUMNS = ("original", "replacement", "kind", "confirmed", "source", "guid")


def to_csv(pseudonyms: Iterable[Pseudonym]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for p in pseudonyms:
        writer.writerow([neutralise(p.original), neutralise(p.replacement), p.kind, "yes" if p.confirmed else "no",
                         p.source, p.guid])
    return buffer.getvalue()


def export_csv(project: Project, path: str | Path) -> int:
    rows = project.pseudonyms()
    write_text(path, to_csv(rows), encoding="utf-8-sig")  # Excel reads UTF-8 with a BOM
    return len(rows)


_YES = {"yes": True, "y": True, "true": True, "1": True, "x": True, "是": True,
        "no": False, "n": False, "false": False, "0": False, "": False, "否": False}


def import_csv(project: Project, path: str | Path, coder: str | None = None,
               progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Apply a reviewed CSV: rows update the table by original (new originals are added). (added, updated)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise WorkbenchError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise WorkbenchError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().casefold() for h in (reader.fieldnames or [])]
    if "original" not in header or "replacement" not in header:
        raise WorkbenchError(f"{path}: needs the columns original and replacement (as `--export` writes them)")
    parsed = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().casefold(): (v or "").strip() for k, v in raw.items()}
        original = _unneutralise(row.get("original", ""))
        if not original:
            raise WorkbenchError(f"{path}: row {number} has no original")
        kind = (row.get("kind") or "person").casefold()
        if kind not in KINDS:
            raise WorkbenchError(f"{path}: row {number}: kind {kind!r} is not one of {', '.join(KINDS)}")
        confirmed = row.get("confirmed", "").casefold()
        if confirmed not in _YES:
            raise WorkbenchError(f"{path}: row {number}: confirmed {confirmed!r} is not yes or no")
        parsed.append((original, _unneutralise(row.get("replacement", "")), kind, _YES[confirmed]))
    existing = {p.original: p for p in project.pseudonyms()}
    added = updated = 0
    with project.transaction():
        for original, replacement, kind, confirmed in parsed:
            known = existing.get(original)
            if known is None:
                project.add_pseudonym(original, replacement, kind, confirmed, "manual")
                added += 1
            elif (known.replacement, known.kind, known.confirmed) != (replacement, kind, confirmed):
                project.update_pseudonym(known.id, replacement, kind, confirmed)
                updated += 1
        project.log(Action.PSEUDONYMS_IMPORT, {"file": str(path), "added": added, "updated": updated}, coder)
    return added, updated


def _unneutralise(value: str) -> str:
    if value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value
