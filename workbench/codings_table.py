"""Codings from a table (CSV or XLSX): how a team that coded in a spreadsheet or in another tool
brings its work in, one row per coding, all of the table or nothing.

Tables come from many hands, so the reader is liberal: column names in any case and with common
synonyms, code paths with `/`, ` > ` or `::`, quotes whose spaces, line breaks or quotation marks
differ from the transcript. Every row is checked before anything is stored; a row that cannot be
placed stops the import with its row number.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .model import Code, WorkbenchError
from .store import Project
from .store.events import Action

COLUMNS: dict[str, tuple[str, ...]] = {
    "document": ("document", "doc", "documents", "file", "filename", "file name", "source", "document name",
                 "transcript", "interview", "文件", "文档", "文件名", "访谈"),
    "code": ("code", "codes", "code path", "codepath", "code name", "node", "category", "tag",
             "编码", "代码", "类属"),
    "coder": ("coder", "user", "author", "annotator", "rater", "coded by", "owner", "编码员", "编码者", "编码人",
              "coder name", "user name", "username"),
    "start": ("start", "from", "begin", "start offset", "offset", "start position", "开始", "起始", "起点"),
    "end": ("end", "to", "stop", "end offset", "end position", "结束", "终点"),
    "quote": ("quote", "text", "segment", "excerpt", "coded text", "selection", "passage", "content",
              "引文", "文本", "片段", "原文", "内容"),
}
# Code paths in a cell: steps split by '/', '>', '›', '＞', '::' or a backslash; codes split by ';',
# '；' or '|'. A backslash before one of these characters (or before itself) makes it part of a
# name: that is how the codings export writes names that hold them, so export → import agree.
STEP_MARKS = ("::", "/", ">", "›", "＞")
LIST_MARKS = (";", "；", "|")
ESCAPABLE = frozenset("\\/>›＞:;；|")
QUOTES = {"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "「": '"', "」": '"', "『": '"', "』": '"',
          "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'"}  # ＂＇: NFKC
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u2060"}
DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"}
MAX_ROWS = 200_000


@dataclass(frozen=True)
class TableCoding:
    """One coding a row asks for, placed in the project."""

    row: int
    document_id: int
    code_path: tuple[str, ...]
    coder: str
    start: int
    end: int


@dataclass(frozen=True)
class CodingsImport:
    """What importing a codings table did, for the one-line report and --json."""

    table: str
    rows: int
    added: int
    already: int
    repeated: int  # rows that ask for a coding an earlier row of the table asked for
    documents: int
    codes_created: tuple[str, ...]
    coders_created: tuple[str, ...]
    ambiguous: int  # quotes that occur more than once, placed by the one offset the row gives
    normalised: int  # quotes found only after evening out spaces, line breaks and quotation marks
    codings: tuple[TableCoding, ...] = field(default=(), repr=False)

    def summary(self) -> str:
        parts = [f"{self.table}: {self.added} codings added from {self.rows} rows"]
        if self.already:
            parts.append(f"{self.already} already there")
        if self.repeated:
            parts.append(f"{self.repeated} rows repeat an earlier row")
        if self.codes_created:
            parts.append(f"{len(self.codes_created)} new codes")
        if self.coders_created:
            parts.append(f"new coders {', '.join(self.coders_created)}")
        if self.ambiguous:
            parts.append(f"{self.ambiguous} quotes occur more than once (placed by the offset given)")
        if self.normalised:
            parts.append(f"{self.normalised} quotes matched after evening out spaces or quotation marks")
        return "; ".join(parts)

    def as_json(self) -> dict:
        return {
            "table": self.table, "rows": self.rows, "added": self.added, "already": self.already,
            "repeated": self.repeated, "documents": self.documents, "codes_created": list(self.codes_created),
            "coders_created": list(self.coders_created), "ambiguous": self.ambiguous,
            "normalised": self.normalised,
        }


# ----------------------------------------------------------------------------- reading the table
def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(row number as a spreadsheet shows it, cells)]), blank rows left out."""
    from .importers import read_bytes

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        from .importers.encoding import decode

        text, _ = decode(read_bytes(path), str(path))  # a byte-order mark is left out by decode
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
        except csv.Error as error:
            raise WorkbenchError(f"{path}: not a readable table ({error})") from None
    else:
        raise WorkbenchError(f"{path}: a codings table must be .csv, .tsv or .xlsx")
    rows = [[_unneutralised(cell) for cell in row] for row in rows]
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise WorkbenchError(f"{path}: the table is empty")
    # Exports sometimes put a title or a note above the header: take the first row that names a
    # document and a code column, among the first few.
    first = next((i for i, (_, row) in enumerate(numbered[:10]) if _header_fields(row) >= {"document", "code"}), 0)
    header = numbered[first][1]
    rows_after = numbered[first + 1:]
    if len(rows_after) > MAX_ROWS:
        raise WorkbenchError(f"{path}: {len(rows_after):,} rows is over the limit of {MAX_ROWS:,}")
    return [cell.strip() for cell in header], rows_after


def _header_key(name: str) -> str:
    name = re.sub(r"[(\[（【].*?[)\]）】]", " ", name.casefold())  # "start (char)" is "start"
    return re.sub(r"[\s_\-.:：#]+", " ", name).strip()


def _field_of(name: str) -> str | None:
    key = _header_key(name)
    for field_name, synonyms in COLUMNS.items():
        if key in synonyms:
            return field_name
    words = key.split()
    if len(words) == 2 and words[1] in ("name", "names", "char", "chars", "character", "characters", "position",
                                        "offset", "index", "名称", "名"):
        for field_name, synonyms in COLUMNS.items():  # "coder name", "start char", "end position"
            if words[0] in synonyms:
                return field_name
    return None


def _header_fields(row: list[str]) -> set[str]:
    return {field_name for field_name in map(_field_of, row) if field_name}


def _xlsx_rows(path: Path) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    from .importers import read_bytes

    read_bytes(path)
    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
        return [[_cell(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise WorkbenchError(f"{path}: not a readable .xlsx ({type(error).__name__})") from None
    except Exception as error:  # a damaged part: each XML parser raises its own
        raise WorkbenchError(f"{path}: not a readable .xlsx (damaged: {type(error).__name__})") from None


def _unneutralised(cell: str) -> str:
    """A cell as written before export guarded it against formulas ('-Yes' was written "'-Yes")."""
    from .export.files import FORMULA_STARTS

    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets keep every number as a float: 120.0 is offset 120
    return str(value)


def columns(path: Path, header: list[str]) -> dict[str, int]:
    """Which cell holds each field, by name in any case and by common synonyms."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        field_name = _field_of(name)
        if field_name and field_name not in found:
            found[field_name] = index
    missing = [name for name in ("document", "code") if name not in found]
    if missing:
        raise WorkbenchError(f"{path}: no {' or '.join(missing)} column in the header "
                             f"(found {', '.join(repr(h) for h in header if h) or 'none'})")
    if "quote" not in found and not ("start" in found and "end" in found):
        raise WorkbenchError(f"{path}: the table needs start and end columns, or a quote column")
    return found


# ----------------------------------------------------------------------------- matching quotes
def even_out(text: str) -> tuple[str, list[int]]:
    """The text as matching sees it, and where in `text` each of its characters came from.

    Width is evened out (NFKC: full-width ，Ａ１ are , A 1), quotation marks are straight, dashes
    one hyphen, and whitespace and line breaks are left out altogether (Chinese has no spaces
    between words, so a space typed into a quote must not stop it matching). Each character is
    normalised on its own, so every output character maps back to one character of `text`.
    """
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in INVISIBLE or char.isspace():
            continue
        char = QUOTES.get(char, char)
        if char in DASHES:
            char = "-"
        folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        for piece in folded:
            if piece.isspace():
                continue
            out.append("-" if piece in DASHES else QUOTES.get(piece, piece))
            origin.append(index)
    return "".join(out), origin


def _occurrences(haystack: str, needle: str, limit: int = 50) -> list[int]:
    found: list[int] = []
    at = haystack.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


class _Located:
    """A document's text with its evened-out form, built once per document."""

    def __init__(self, text: str):
        self.text = text
        self._even: tuple[str, list[int]] | None = None

    @property
    def even(self) -> tuple[str, list[int]]:
        if self._even is None:
            self._even = even_out(self.text)
        return self._even

    def find_all(self, quote: str) -> tuple[list[tuple[int, int]], bool]:
        """Every (start, end) of the quote in the text, and whether only its evened-out form matched."""
        exact = _occurrences(self.text, quote)
        if exact:
            return [(at, at + len(quote)) for at in exact], False
        even_text, origin = self.even
        for candidate in filter(None, (quote, _unquoted(quote))):
            wanted = even_out(candidate)[0]
            hits = _occurrences(even_text, wanted) if wanted else []
            if hits:
                return [(origin[at], origin[at + len(wanted) - 1] + 1) for at in hits], True
        return [], False

    def find(self, quote: str) -> tuple[int, int, int, bool] | None:
        """(start, end, occurrences, evened out?) of the quote's first occurrence."""
        spans, evened = self.find_all(quote)
        if not spans:
            return None
        return spans[0][0], spans[0][1], len(spans), evened


def _unquoted(quote: str) -> str | None:
    """A quote without the quotation marks a spreadsheet cell put around it (“…”, "…", 「…」), or
    None when it is not in such marks."""
    inner = quote[1:-1].strip()
    marked = QUOTES.get(quote[0], quote[0]) in "\"'" and QUOTES.get(quote[-1], quote[-1]) in "\"'"
    return inner if marked else None


def same_text(a: str, b: str) -> bool:
    return even_out(a)[0] == even_out(b)[0]


# ----------------------------------------------------------------------------- the import
def format_code_path(names: tuple[str, ...] | list[str]) -> str:
    """The one path form the codings export writes and `split_code_path` reads back exactly."""
    def escaped(name: str) -> str:
        out = []
        for i, char in enumerate(name):
            special = char in ESCAPABLE and (char != ":" or name[i + 1:i + 2] == ":")  # '\\::' reads as '::'
            out.append("\\" + char if special else char)
        return "".join(out)
    return "/".join(escaped(name) for name in names)


def split_code_path(cell: str) -> list[tuple[str, ...]]:
    """Code paths in a cell: 'Trust/Distrust', 'Trust > Distrust', 'Trust::Distrust'; ';' between codes;
    a backslash before a mark makes it part of the name ('Age \\> 60', 'Family\\; kin')."""
    text = unicodedata.normalize("NFC", cell).strip()
    paths: list[tuple[str, ...]] = []
    steps: list[str] = []
    name: list[str] = []

    def end_step() -> None:
        step = "".join(name).strip()
        if step:
            steps.append(step)
        name.clear()

    def end_path() -> None:
        end_step()
        if steps:
            paths.append(tuple(steps))
        steps.clear()

    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE:
            name.append(text[i + 1])
            i += 2
            continue
        if char == "\\":  # 'Trust\\Distrust' as a Windows-minded person writes it
            end_step()
            i += 1
            continue
        mark = next((m for m in STEP_MARKS if text.startswith(m, i)), None)
        if mark:
            end_step()
            i += len(mark)
            continue
        if char in LIST_MARKS:
            end_path()
            i += 1
            continue
        name.append(char)
        i += 1
    end_path()
    return paths


def import_codings(project: Project, table: str | Path, coder: str, dry_run: bool = False) -> CodingsImport:
    """Read a codings table, place every row, and store them all in one transaction (or none)."""
    path = Path(table)
    header, rows = read_table(path)
    where = columns(path, header)
    documents = _document_index(project)
    codes = _CodeIndex(project)
    known_coders = set(project.coders())
    texts: dict[int, _Located] = {}
    planned: list[TableCoding] = []
    problems: list[str] = []
    ambiguous = normalised = 0

    def cell(row: list[str], name: str) -> str:
        index = where.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in rows:
        try:
            document_id = _document(path, number, cell(row, "document"), documents)
            paths = split_code_path(cell(row, "code"))
            if not paths:
                raise WorkbenchError(f"{path}: row {number}: no code given")
            who = cell(row, "coder") if "coder" in where else coder
            if not who:
                raise WorkbenchError(f"{path}: row {number}: no coder given")
            located = texts.get(document_id)
            if located is None:
                located = texts[document_id] = _Located(project.document(document_id).text)
            start, end, flags = _span(path, number, located, cell(row, "start"), cell(row, "end"),
                                      row[where["quote"]] if "quote" in where and where["quote"] < len(row) else "")
            ambiguous += "ambiguous" in flags
            normalised += "normalised" in flags
            for code_path in paths:
                codes.check(path, number, code_path)
                planned.append(TableCoding(number, document_id, code_path, who, start, end))
        except WorkbenchError as error:
            problems.append(str(error))
    if problems:
        more = f" (and {len(problems) - 1} more rows with problems; nothing was imported)" if len(problems) > 1 else \
            " (nothing was imported)"
        raise WorkbenchError(problems[0] + more)
    if not planned:
        raise WorkbenchError(f"{path}: no codings in the table")

    seen: set[tuple] = set()
    repeated = 0
    unique: list[TableCoding] = []
    for item in planned:
        key = (item.document_id, codes.key(item.code_path), item.coder, item.start, item.end)
        if key in seen:
            repeated += 1
            continue
        seen.add(key)
        unique.append(item)
    new_codes = codes.missing([item.code_path for item in unique])
    new_coders = tuple(dict.fromkeys(item.coder for item in unique if item.coder not in known_coders))
    added = already = 0
    if dry_run:
        for item in unique:
            code_id = codes.existing(item.code_path)
            if code_id is not None and project.find_coding(item.document_id, code_id, item.start, item.end, item.coder):
                already += 1
            else:
                added += 1
    else:
        with project.transaction():
            for item in unique:
                code_id = codes.make(item.code_path, coder)
                if project.find_coding(item.document_id, code_id, item.start, item.end, item.coder) is not None:
                    already += 1
                    continue
                project.add_coding(item.document_id, code_id, item.start, item.end, item.coder, origin="import")
                added += 1
            project.log(Action.IMPORT_CODINGS, {"table": str(path), "rows": len(rows), "added": added,
                                                "already": already,
                                                "codes_created": ["/".join(p) for p in new_codes],
                                                "coders_created": list(new_coders)}, coder)
    return CodingsImport(
        table=str(path), rows=len(rows), added=added, already=already, repeated=repeated,
        documents=len({item.document_id for item in unique}),
        codes_created=tuple("/".join(p) for p in new_codes), coders_created=new_coders,
        ambiguous=ambiguous, normalised=normalised, codings=tuple(unique),
    )


def _document_index(project: Project) -> dict[str, list[int]]:
    """Names a table may use for a document: its name, without folders, without suffix; any case."""
    index: dict[str, list[int]] = {}
    for row in project.documents():
        name = unicodedata.normalize("NFC", row.name)
        keys = {name.casefold(), Path(name).stem.casefold()}
        for key in keys:
            index.setdefault(key, []).append(row.id)
    return index


def _document(path: Path, number: int, name: str, index: dict[str, list[int]]) -> int:
    if not name:
        raise WorkbenchError(f"{path}: row {number}: no document given")
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    for key in (name.casefold(), Path(name).stem.casefold()):
        ids = sorted(set(index.get(key, [])))
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise WorkbenchError(f"{path}: row {number}: document {name!r} could be any of {len(ids)} documents; "
                                 "give its full name")
    # 'P01' for 'P01-yiwu-trader.txt': a unique document whose name starts with it, then a non-letter.
    pattern = re.compile(rf"^{re.escape(name.casefold())}(?![a-z0-9])")
    starting = sorted({i for key, ids in index.items() if pattern.match(key) for i in ids})
    if len(starting) == 1:
        return starting[0]
    from .closest import hint

    raise WorkbenchError(f"{path}: row {number}: no document named {name!r} in the project"
                         + (f" ({len(starting)} names start with it; give the full name)" if starting
                            else hint(name, sorted({key for key in index}))))


def _offset(path: Path, number: int, label: str, value: str) -> int | None:
    if not value:
        return None
    try:
        number_value = float(value.replace(",", ""))
    except ValueError:
        raise WorkbenchError(f"{path}: row {number}: {label} {value!r} is not a number") from None
    if not number_value.is_integer() or number_value < 0:
        raise WorkbenchError(f"{path}: row {number}: {label} {value!r} is not a character offset (a whole number ≥ 0)")
    return int(number_value)


def _span(path: Path, number: int, located: _Located, start_cell: str, end_cell: str,
          quote: str) -> tuple[int, int, set[str]]:
    """Where a row's coding lies, from its offsets and/or its quote; flags say how it was found."""
    start, end = _offset(path, number, "start", start_cell), _offset(path, number, "end", end_cell)
    quote = unicodedata.normalize("NFC", quote.replace("\r\n", "\n").replace("\r", "\n"))
    flags: set[str] = set()
    length = len(located.text)
    one_offset = start if end is None else end if start is None else None
    if (start is None) != (end is None):
        if not quote.strip():
            raise WorkbenchError(f"{path}: row {number}: give both start and end, or a quote")
        start = end = None
    if start is not None and end is not None:
        if not (0 <= start < end <= length):
            if not quote.strip():
                raise WorkbenchError(f"{path}: row {number}: span {start}–{end} is outside the document "
                                     f"({length} characters; the end must be after the start)")
        elif not quote.strip() or located.text[start:end] == quote or located.text[start:end] == quote.strip() \
                or same_text(located.text[start:end], quote):
            return start, end, flags
        there = located.text[start:end] if 0 <= start < end <= length else ""
        elsewhere = located.find(quote.strip())
        hint = f"; the quote is at {elsewhere[0]}–{elsewhere[1]}" if elsewhere else ""
        raise WorkbenchError(
            f"{path}: row {number}: the quote does not match characters {start}–{end}"
            + (f" (they read {_short(there)!r}{hint})" if there else hint)
        )
    if not quote.strip():
        raise WorkbenchError(f"{path}: row {number}: neither offsets nor a quote")
    spans, evened = located.find_all(quote.strip())
    if not spans:
        raise WorkbenchError(f"{path}: row {number}: quote {_short(quote.strip())!r} not found in the document")
    if evened:
        flags.add("normalised")
    if one_offset is not None:  # one offset with the quote: the occurrence that starts (or ends) there
        placed = [span for span in spans if one_offset in span]
        if not placed:
            raise WorkbenchError(f"{path}: row {number}: quote {_short(quote.strip())!r} neither starts nor ends "
                                 f"at {one_offset} (it is at {_places(spans)})")
        if len(spans) > 1:
            flags.add("ambiguous")
        return placed[0][0], placed[0][1], flags
    if len(spans) > 1:
        raise WorkbenchError(f"{path}: row {number}: quote {_short(quote.strip())!r} occurs {len(spans)} times "
                             f"(at {_places(spans)}); give its start or a longer quote")
    return spans[0][0], spans[0][1], flags


def _places(spans: list[tuple[int, int]], shown: int = 5) -> str:
    text = ", ".join(f"{a}–{b}" for a, b in spans[:shown])
    return text + (f" and {len(spans) - shown} more" if len(spans) > shown else "")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class _CodeIndex:
    """The codebook by path, matching each step by name (any case) or Chinese name; new codes planned."""

    def __init__(self, project: Project):
        self.project = project
        self.rows = project.code_rows()
        self.children: dict[int | None, list] = {}
        for row in self.rows:
            self.children.setdefault(row.parent_id, []).append(row)
        self.made: dict[tuple[str, ...], int] = {}

    def _child(self, parent_id: int | None, name: str):
        wanted = name.casefold()
        for row in self.children.get(parent_id, []):
            if row.name.casefold() == wanted or (row.name_zh and row.name_zh == name):
                return row
        return None

    def existing(self, path: tuple[str, ...]) -> int | None:
        resolved = self._resolve(path)
        return resolved[-1] if resolved and len(resolved) == len(path) else None

    def _resolve(self, path: tuple[str, ...]) -> list[int]:
        """Ids of the path's steps that exist; a lone name may be a code anywhere in the tree."""
        if len(path) == 1 and self._child(None, path[0]) is None:
            anywhere = [r for r in self.rows if r.name.casefold() == path[0].casefold()
                        or (r.name_zh and r.name_zh == path[0])]
            if len(anywhere) == 1:
                return [anywhere[0].id]
        ids, parent = [], None
        for name in path:
            row = self._child(parent, name)
            if row is None:
                break
            ids.append(row.id)
            parent = row.id
        return ids

    def key(self, path: tuple[str, ...]) -> tuple:
        resolved = self._resolve(path)
        return tuple(resolved) + tuple(name.casefold() for name in path[len(resolved):])

    def check(self, table: Path, number: int, path: tuple[str, ...]) -> None:
        from .codebook.model import MAX_DEPTH

        if len(path) == 1 and self.existing(path) is None:
            anywhere = [r for r in self.rows if r.name.casefold() == path[0].casefold()
                        or (r.name_zh and r.name_zh == path[0])]
            if len(anywhere) > 1:
                raise WorkbenchError(f"{table}: row {number}: code {path[0]!r} is the name of {len(anywhere)} codes; "
                                     "give its path")
        if len(path) > MAX_DEPTH:
            raise WorkbenchError(f"{table}: row {number}: code path {'/'.join(path)!r} "
                                 f"is deeper than {MAX_DEPTH} levels")

    def missing(self, paths: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """Every code (and parent) that would be created, parents first, each once."""
        new: dict[tuple, tuple[str, ...]] = {}
        for path in paths:
            resolved = self._resolve(path)
            for depth in range(len(resolved) + 1, len(path) + 1):
                prefix = path[:depth]
                new.setdefault(tuple(n.casefold() for n in prefix), prefix)
        return list(new.values())

    def make(self, path: tuple[str, ...], coder: str | None) -> int:
        """The code's id, creating it and its missing parents (call inside the transaction)."""
        from .codebook.ops import add_code

        known = self.existing(path)
        if known is not None:
            return known
        key = tuple(name.casefold() for name in path)
        if key in self.made:
            return self.made[key]
        resolved = self._resolve(path)
        parent = resolved[-1] if resolved else None
        for depth in range(len(resolved), len(path)):
            prefix = tuple(name.casefold() for name in path[:depth + 1])
            if prefix in self.made:
                parent = self.made[prefix]
                continue
            parent = add_code(self.project, Code(name=path[depth]), parent, coder)
            self.made[prefix] = parent
        if parent is None:
            raise WorkbenchError("a code path needs at least one name")
        return parent
