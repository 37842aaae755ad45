"""Codebook as a document: Markdown (an appendix for papers), CSV (a spreadsheet), Word."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..model import WorkbenchError
from .model import Codebook, path_text
from .yaml_io import save_yaml

FORMATS = (".yaml", ".yml", ".md", ".csv", ".docx")


def to_markdown(codebook: Codebook) -> str:
    lines = [f"# {codebook.name}" + (f" / {codebook.name_zh}" if codebook.name_zh else ""), ""]
    if codebook.description:
        lines += [codebook.description, ""]
    for path, code in codebook.walk():
        heading = "#" * min(len(path) + 1, 6)
        lines.append(f"{heading} {code.name}" + (f" / {code.name_zh}" if code.name_zh else ""))
        lines.append("")
        for label, value in (("Definition", code.definition), ("Include", code.include), ("Exclude", code.exclude)):
            if value:
                lines += [f"**{label}.** {value}", ""]
        if code.examples:
            lines += ["**Examples.**", ""] + [f"- {example}" for example in code.examples] + [""]
        keywords = code.keywords_en + code.keywords_zh
        if keywords:
            lines += [f"**Keywords.** {', '.join(keywords)}", ""]
    return "\n".join(lines)


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


def to_docx(codebook: Codebook, path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading(codebook.name + (f" / {codebook.name_zh}" if codebook.name_zh else ""), 0)
    if codebook.description:
        document.add_paragraph(codebook.description)
    for code_path, code in codebook.walk():
        document.add_heading(code.name + (f" / {code.name_zh}" if code.name_zh else ""), min(len(code_path), 9))
        for label, value in (("Definition", code.definition), ("Include", code.include), ("Exclude", code.exclude)):
            if value:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}. ").bold = True
                paragraph.add_run(value)
        for example in code.examples:
            document.add_paragraph(example, style="List Bullet")
        keywords = code.keywords_en + code.keywords_zh
        if keywords:
            paragraph = document.add_paragraph()
            paragraph.add_run("Keywords. ").bold = True
            paragraph.add_run(", ".join(keywords))
    document.save(str(path))


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
