"""Codebook as a document: Markdown (an appendix for papers), CSV (a spreadsheet), Word."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import WorkbenchError
from ..text.markdown import escape
from .model import Codebook, path_text
from .yaml_io import save_yaml

if TYPE_CHECKING:
    import docx.document

FORMATS = (".yaml", ".yml", ".md", ".csv", ".docx")


def _entries(codebook: Codebook) -> Iterator[CodeEntry]:
    for code_path, code in codebook.walk():
        yield CodeEntry(code.name, code.name_zh, len(code_path), code.definition, code.include, code.exclude,
                        tuple(code.examples), tuple(code.keywords_en + code.keywords_zh))


def _title(codebook: Codebook) -> str:
    return codebook.name + (f" / {codebook.name_zh}" if codebook.name_zh else "")


def to_markdown(codebook: Codebook) -> str:
    return markdown_document(_title(codebook), _entries(codebook), codebook.description)


def to_csv(codebook: Codebook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["path", "name", "name_zh", "color", "definition", "include", "exclude",
                     "examples", "keywords_en", "keywords_zh"])
    for path, code in codebook.walk():
        writer.writerow([path_text(path), code.name, code.name_zh, code.color, code.definition,
                         code.include, code.exclude, " | ".join(code.examples),
                         "; ".join(code.keywords_en), "; ".join(code.keywords_zh)])
    return buffer.getvalue()


@dataclass(frozen=True)
class CodeEntry:
    """One code as a section of a codebook document, Word or Markdown (the codebook export's, or the appendix's)."""

    name: str
    name_zh: str
    level: int  # 1 for a top-level code
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    note: str = ""  # an italic line under the heading (the appendix's counts)

    @property
    def heading(self) -> str:
        return self.name + (f" / {self.name_zh}" if self.name_zh else "")


def markdown_document(title: str, entries: Iterable[CodeEntry], description: str = "") -> str:
    """The one Markdown layout of a codebook, the same as the Word one; every text is made Markdown-inert."""
    lines = [f"# {escape(title)}", ""]
    if description:
        lines += [escape(description), ""]
    for entry in entries:
        lines += [f"{'#' * min(entry.level + 1, 6)} {escape(entry.heading)}", ""]
        if entry.note:
            lines += [f"*{escape(entry.note)}*", ""]
        for name, value in (("Definition", entry.definition), ("Include", entry.include), ("Exclude", entry.exclude)):
            if value:
                lines += [f"**{name}.** {escape(value)}", ""]
        if entry.examples:
            lines += ["**Examples.**", ""] + [f"- {escape(example)}" for example in entry.examples] + [""]
        if entry.keywords:
            lines += [f"**Keywords.** {escape(', '.join(entry.keywords))}", ""]
    return "\n".join(lines)


def docx_document(title: str, entries: Iterable[CodeEntry], description: str = "") -> docx.document.Document:
    """The one Word layout of a codebook: a heading per code, its criteria, examples and keywords."""
    import docx

    document = docx.Document()
    document.add_heading(title, 0)
    if description:
        document.add_paragraph(description)
    for entry in entries:
        document.add_heading(entry.heading, min(entry.level, 9))
        if entry.note:
            document.add_paragraph().add_run(entry.note).italic = True
        for label, value in (("Definition", entry.definition), ("Include", entry.include),
                             ("Exclude", entry.exclude)):
            if value:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}. ").bold = True
                paragraph.add_run(value)
        for example in entry.examples:
            document.add_paragraph(example, style="List Bullet")
        if entry.keywords:
            paragraph = document.add_paragraph()
            paragraph.add_run("Keywords. ").bold = True
            paragraph.add_run(", ".join(entry.keywords))
    return document


def to_docx(codebook: Codebook, path: Path) -> None:
    docx_document(_title(codebook), _entries(codebook), codebook.description).save(str(path))


def export(codebook: Codebook, path: str | Path) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise WorkbenchError(f"{path}: cannot write a codebook as {suffix or 'a file without suffix'} "
                             f"(known: {', '.join(FORMATS)})")
    if not path.parent.exists():
        raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
    temporary = path.with_name(path.name + ".tmp")
    if suffix in (".yaml", ".yml"):
        save_yaml(codebook, path)
        return
    if suffix == ".md":
        temporary.write_text(to_markdown(codebook), encoding="utf-8")
    elif suffix == ".csv":
        temporary.write_text(to_csv(codebook), encoding="utf-8-sig", newline="")  # Excel reads the BOM
    else:
        to_docx(codebook, temporary)
    temporary.replace(path)
