"""CSV, TSV and XLSX tables: open-ended answers (one document per row) and participant tables."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..model import Turn, WorkbenchError
from ..text import lang
from ..text.normalize import normalize
from . import ParsedDocument, read_bytes
from .encoding import decode
from .turns import document_language

ID_COLUMNS = ("id", "case", "participant", "respondent", "participant_id", "编号", "受访者", "参与者")
TEXT_COLUMN = re.compile(r"text|answer|response|comment|open|回答|内容|意见|文本", re.IGNORECASE)
LONG_TEXT = 30  # average characters above which a column holds answers, not attributes


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a table as dicts of stripped strings, header from the first row."""
    if path.suffix.lower() == ".xlsx":
        rows = _xlsx_rows(path)
    else:
        text, _ = decode(read_bytes(path), str(path))
        text = normalize(text)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
        try:
            rows = list(csv.reader(io.StringIO(text), dialect))
        except csv.Error as error:
            raise WorkbenchError(f"{path}: not a readable table ({error})") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise WorkbenchError(f"{path}: a table needs a header row and at least one row of data")
    header = [cell.strip() for cell in rows[0]]
    if any(not name for name in header):
        raise WorkbenchError(f"{path}: column {header.index('') + 1} has no name in the header row")
    duplicates = {name for name in header if header.count(name) > 1}
    if duplicates:
        raise WorkbenchError(f"{path}: the header repeats column {sorted(duplicates)[0]!r}")
    return [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        for row in rows[1:]
    ]


def _xlsx_rows(path: Path) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    read_bytes(path)  # the size and existence checks
    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
        return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WorkbenchError(f"{path}: not a readable .xlsx ({type(error).__name__})") from None
    except Exception as error:  # a damaged part: expat, ElementTree and lxml each raise their own
        raise WorkbenchError(f"{path}: not a readable .xlsx (damaged: {type(error).__name__})") from None


def id_column(header: list[str]) -> str | None:
    lowered = {name.lower(): name for name in header}
    return next((lowered[c] for c in ID_COLUMNS if c in lowered), None)


def read_documents(path: Path) -> list[ParsedDocument]:
    """One document per row; long-text columns are its turns, the rest its case attributes."""
    rows = read_rows(path)
    header = list(rows[0])
    key = id_column(header)
    text_columns = [
        name for name in header
        if name != key and (
            TEXT_COLUMN.search(name) or sum(len(r[name]) for r in rows) / len(rows) > LONG_TEXT
        )
    ]
    if not text_columns:
        raise WorkbenchError(
            f"{path}: no column of open answers found (name one 'answer' or 'text', or make it longer "
            f"than {LONG_TEXT} characters on average)"
        )
    documents, cases = [], set()
    for number, row in enumerate(rows, start=1):
        case = row[key] if key and row[key] else f"{path.stem}-{number}"
        if case in cases:
            raise WorkbenchError(f"{path}: {key or 'row'} {case!r} appears twice (row {number + 1})")
        cases.add(case)
        parts: list[str] = []
        turns: list[Turn] = []
        offset = 0
        for column in text_columns:
            answer = normalize(row[column])
            if not answer:
                continue
            label = f"{column}: " if len(text_columns) > 1 else ""
            start = offset + len(label)
            turns.append(Turn(len(turns), column if label else None, start, start + len(answer), lang.detect(answer)))
            parts.append(label + answer)
            offset += len(label) + len(answer) + 2
        if not parts:
            continue
        text = "\n\n".join(parts)
        attributes = {name: row[name] for name in header if name not in text_columns and name != key and row[name]}
        documents.append(
            ParsedDocument(
                name=f"{path.name}#{case}", text=text, encoding="table", format=path.suffix.lower().lstrip("."),
                turns=turns, lang=document_language(text, turns), case=case, attributes=attributes,
            )
        )
    if not documents:
        raise WorkbenchError(f"{path}: every answer cell is empty")
    return documents
