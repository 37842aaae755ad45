"""Excerpts as a spreadsheet (CSV or XLSX): one row per coding with all its metadata.

Every text cell is neutralised (a leading apostrophe before = + - @ tab CR), so a quotation
that starts with a minus sign never runs as a formula when the sheet is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from ..codings_table import format_code_path
from .citations import citer, timestamp
from .files import atomic_path, neutralise, write_text
from .select import Excerpt

FIXED = ("document", "case", "code", "coder", "start", "end", "turn", "speaker", "time_start", "time_end",
         "text", "translation", "translation_lang", "memo", "citation", "coding_id")


def rows(excerpts: list[Excerpt], cite: str = "", clean: Callable[[str], str] | None = None,
         drop_attributes: frozenset[str] = frozenset()) -> tuple[list[str], list[list[object]]]:
    """A header and one row per excerpt; attributes become columns after the fixed ones."""
    keep = clean or (lambda text: text)
    citation = citer(cite, clean)
    attributes: list[str] = []
    for excerpt in excerpts:
        for name in excerpt.attributes:
            if name not in attributes and name.casefold() not in drop_attributes:
                attributes.append(name)
    header = list(FIXED[:2]) + attributes + list(FIXED[2:])
    body = []
    for e in excerpts:
        values = [keep(e.document), keep(e.case)] + [keep(e.attributes.get(a, "")) for a in attributes] + [
            format_code_path(e.code_names) if e.code_names else e.code, e.coder, e.start, e.end, e.turn,
            keep(e.speaker), timestamp(e.t_start_ms), timestamp(e.t_end_ms), keep(e.text), keep(e.translation),
            e.translation_lang, keep(e.memo), citation(e), e.coding_id,
        ]
        body.append([neutralise(v) if v is not None else "" for v in values])
    return header, body


def write_csv(header: list[str], body: list[list[object]], path: str | Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    writer.writerows(body)
    write_text(path, buffer.getvalue(), encoding="utf-8-sig")  # Excel reads UTF-8 with a BOM


def write_xlsx(header: list[str], body: list[list[object]], path: str | Path, sheet: str = "excerpts") -> None:
    from . import xlsx_stream

    # Streamed straight into the zip (control characters dropped there, as XLSX cells refuse them).
    with atomic_path(path) as temporary:
        xlsx_stream.write(temporary, [str(neutralise(h)) for h in header], body, sheet)


def write(header: list[str], body: list[list[object]], path: str | Path, sheet: str = "excerpts") -> None:
    if Path(path).suffix.lower() == ".xlsx":
        write_xlsx(header, body, path, sheet)
    else:
        write_csv(header, body, path)
