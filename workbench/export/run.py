"""One call per export: select the excerpts, de-identify if asked, and write the file its
suffix names (or a table for the terminal). The CLI and the TUI both call `export`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import WorkbenchError
from ..store import Project
from . import citations
from .select import Excerpt, Selection, select

if TYPE_CHECKING:
    from .charts import Chart
    from .deidentify.apply import Report

DOCUMENT_SUFFIXES = (".md", ".docx", ".html", ".tex")
TABLE_SUFFIXES = (".csv", ".xlsx")
SUFFIXES = DOCUMENT_SUFFIXES + TABLE_SUFFIXES + (".png", ".qdpx")


@dataclass(frozen=True)
class Options:
    """Everything `workbench export` and the export screen can ask for."""

    selection: Selection = field(default_factory=Selection)
    group_by: str = "code"
    cite: str = ""
    deidentify: bool = False
    appendix: bool = False
    table: str | None = None  # frequencies | cooccurrence | by:ATTR
    chart: str | None = None  # frequencies | cooccurrence | by:ATTR
    coder: str | None = None  # who ran it (detection adds pseudonym rows)


@dataclass(frozen=True)
class Result:
    path: Path | None
    what: str
    count: int
    deidentified: Report | None = None
    chart: Chart | None = None
    text: str = ""  # a table rendered for the terminal

    def summary(self) -> str:
        where = f"{self.path}: " if self.path else ""
        line = f"{where}{self.what}"
        if self.deidentified is not None:
            line += "; " + self.deidentified.summary()
        return line


def parse_kind(value: str | None, option: str) -> tuple[str, str] | None:
    """'cooccurrence', 'frequencies', 'by:city' or 'by city' -> (kind, attribute)."""
    if not value:
        return None
    text = value.strip()
    lowered = text.casefold()
    if lowered in ("frequencies", "frequency", "cooccurrence", "co-occurrence"):
        return ("cooccurrence" if "occ" in lowered else "frequencies", "")
    for prefix in ("by:", "by=", "by "):
        if lowered.startswith(prefix) and text[len(prefix):].strip():
            attribute = text[len(prefix):].strip()
            return ("by", attribute)
    raise WorkbenchError(f"{option} {value!r}: use frequencies, cooccurrence or by:ATTRIBUTE (e.g. by:city)")


def export(project: Project, path: str | Path | None, options: Options,
           progress: Callable[[str], object] | None = None) -> Result:
    """Write one export (or render a table when `path` is None) and say what was done."""
    say = progress or (lambda message: None)
    table_kind = parse_kind(options.table, "--table")
    chart_kind = parse_kind(options.chart, "--chart")
    if path is None:
        if table_kind is None:
            raise WorkbenchError("export: name the output with -o FILE (or ask for --table to print one)")
        suffix = ""
    else:
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            raise WorkbenchError(f"{path}: cannot export as {suffix or 'a file without a suffix'} "
                                 f"(known: {' '.join(SUFFIXES)})")
        if not path.parent.exists():
            raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
    if suffix == ".qdpx" and path is not None:
        if options.deidentify:
            raise WorkbenchError(f"{path}: a .qdpx project carries the original documents and cannot be de-identified; "
                                 "export excerpts (.md .docx .html .tex .csv .xlsx) with --deidentify instead")
        return _qdpx(project, path)
    if options.group_by not in ("code", "case"):
        raise WorkbenchError(f"--group-by {options.group_by!r}: use 'code' or 'case'")
    if chart_kind and suffix != ".png":
        raise WorkbenchError(f"{path}: --chart draws a PNG; name the output FILE.png")
    if options.appendix and suffix not in (".md", ".docx", ".csv"):
        raise WorkbenchError(f"{path}: the codebook appendix is written as .md, .docx or .csv")
    if table_kind and suffix not in ("", ".csv", ".xlsx"):
        raise WorkbenchError(f"{path}: a --table is written as .csv or .xlsx (or printed, without -o)")
    attribute_names = {name for case in project.cases() for name in case.attributes}
    citations.check(options.cite or citations.DEFAULT, attribute_names | {"role", "city"})
    from .tables import BUILT_IN

    for kind in (table_kind, chart_kind):
        groupings = {n.casefold() for n in attribute_names} | set(BUILT_IN)
        if kind and kind[0] == "by" and kind[1].casefold() not in groupings:
            known = sorted({"document", "case", "lang", "speaker", "coder"}) + sorted(attribute_names)
            raise WorkbenchError(f"by:{kind[1]}: neither a built-in grouping nor a case attribute "
                                 f"(known: {', '.join(known)})")
    say("selecting excerpts")
    excerpts = select(project, options.selection)
    if not options.deidentify:
        say(f"writing {len(excerpts)} excerpts")
        return _write(project, path, suffix, options, excerpts, None, frozenset(), table_kind, chart_kind)
    from . import deidentify

    say("de-identifying")
    clean, undecided = _deidentifier(project, excerpts, options.coder)
    if path is not None and clean.leaks(path.name):
        raise WorkbenchError(f"{path}: the file name holds a confirmed name ({', '.join(clean.leaks(path.name))}); "
                             "choose another name for a de-identified export")
    drop = deidentify.NAME_ATTRIBUTES
    excerpts = [deidentify.clean_record(_without(e, drop), clean) for e in excerpts]
    say(f"writing {len(excerpts)} excerpts")
    result = _write(project, path, suffix, options, excerpts, None, drop, table_kind, chart_kind, clean)
    record = None
    if path is not None:
        from .files import write_text

        record = deidentify.record_path(path)
        write_text(record, deidentify.record_csv(clean), encoding="utf-8-sig")
    return Result(result.path, result.what, result.count, clean.report(undecided, record), result.chart, result.text)


def _write(project, path, suffix, options, excerpts, clean, drop, table_kind, chart_kind, names=None) -> Result:
    """Write the (already de-identified, when asked) excerpts; `names` cleans what comes from the codebook."""
    if options.appendix:
        from ..codebook.ops import as_codebook
        from . import appendix

        items = appendix.entries(project, excerpts, names)
        appendix.write(items, path, names(as_codebook(project).name) if names else as_codebook(project).name)
        return Result(path, f"codebook appendix, {len(items)} codes", len(items))
    if suffix == ".png" or table_kind:
        from . import tables

        kind = chart_kind or table_kind or ("frequencies", "")
        if kind[0] == "cooccurrence":
            table = tables.cooccurrence(project, excerpts)
        else:
            table = tables.frequencies(excerpts, kind[1] if kind[0] == "by" else "document", clean)
        if suffix == ".png":
            from . import charts

            if kind[0] == "cooccurrence":
                chart = charts.heatmap(table, path)
            elif kind[0] == "by":
                chart = charts.stacked(table, path)
            else:
                chart = charts.bars(table, path)
            return Result(path, f"chart of {table.title.lower()}, {len(table.rows)} codes", len(table.rows),
                          chart=chart)
        if path is None:
            return Result(None, table.title, len(table.rows), text=tables.render(table))
        tables.write(table, path)
        return Result(path, f"{table.title.lower()}, {len(table.rows)} codes", len(table.rows))
    if suffix in TABLE_SUFFIXES:
        from .excerpts_table import rows
        from .excerpts_table import write as write_table

        header, body = rows(excerpts, options.cite, clean, drop)
        write_table(header, body, path)
        return Result(path, f"{len(body)} excerpt rows", len(body))
    from .document import blocks

    grouped = blocks(excerpts, options.group_by, options.cite, clean)
    count = sum(len(b.quotes) for b in grouped)
    if suffix == ".md":
        from .excerpts_md import write
    elif suffix == ".docx":
        from .excerpts_docx import write
    elif suffix == ".html":
        from .excerpts_html import write
    else:
        from .excerpts_tex import write
    write(grouped, path, options.group_by)
    from .document import counted

    return Result(path, f"{counted(grouped)} under {len(grouped)} heading{'s' if len(grouped) != 1 else ''}", count)


def _deidentifier(project: Project, excerpts: list[Excerpt], coder: str | None):
    """The confirmed terms (participants' names included), and the candidates the excerpts hold
    that nobody has decided yet (detection adds new ones to the table, unconfirmed)."""
    from . import deidentify
    from .deidentify.match import Matcher

    texts = [t for e in excerpts for t in (e.text, e.memo, e.translation) if t]
    deidentify.detect_in_project(project, texts, coder)
    rows = project.pseudonyms()
    open_rows = deidentify.candidates(rows)
    matcher = Matcher(row.original for row in open_rows)
    seen = {hit.key for text in texts for hit in matcher.find(text)}
    by_key = {k: row.original for row in open_rows for k in [deidentify.match.term_key(row.original)]}
    return deidentify.Applier(rows), sorted(by_key[k] for k in seen if k in by_key)


def _without(excerpt: Excerpt, names: frozenset[str]) -> Excerpt:
    from dataclasses import replace

    return replace(excerpt, attributes={k: v for k, v in excerpt.attributes.items() if k.casefold() not in names})


def _qdpx(project: Project, path: Path) -> Result:
    try:
        from ..exchange import export_project  # provided by the REFI-QDA exchange (another branch)
    except ImportError:
        raise WorkbenchError(f"{path}: .qdpx export is not available in this version of workbench") from None
    export_project(project, path)
    return Result(path, "REFI-QDA project", 1)
