"""The codebook appendix: the code tree with definitions, criteria, examples and counts.

Counts come from the same selection as the excerpts (so --coder or --where narrow them):
codings of the code itself, codings of it and its sub-codes, and the documents and cases
in which it (or a sub-code) was applied.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..codebook.export import CodeEntry, docx_document, markdown_document
from ..store import Project
from .files import atomic_path, neutral_docx_properties, neutralise, write_text
from .select import Excerpt


@dataclass(frozen=True)
class Entry:
    path: str
    depth: int
    name: str
    name_zh: str
    definition: str
    include: str
    exclude: str
    examples: tuple[str, ...]
    codings: int
    codings_with_subcodes: int
    documents: int
    cases: int


def entries(project: Project, excerpts: list[Excerpt], clean: Callable[[str], str] | None = None) -> list[Entry]:
    keep = clean or (lambda text: text)
    own: dict[str, int] = defaultdict(int)
    for e in excerpts:
        own[e.code] += 1
    found = []
    for root in project.code_tree():
        for path, code in root.walk():
            # The excerpts' code paths were cleaned like the names here (a code named after a participant).
            key = "/".join(keep(part) for part in path)
            below = [e for e in excerpts if e.code == key or e.code.startswith(key + "/")]
            found.append(Entry(
                key, len(path) - 1, keep(code.name), keep(code.name_zh), keep(code.definition), keep(code.include),
                keep(code.exclude), tuple(keep(x) for x in code.examples), own.get(key, 0), len(below),
                len({e.document_id for e in below}), len({e.case or e.document for e in below}),
            ))
    return found


def _counts(entry: Entry) -> str:
    sub = f" ({entry.codings_with_subcodes} with sub-codes)" if entry.codings_with_subcodes != entry.codings else ""
    return (f"{entry.codings} coding{'s' if entry.codings != 1 else ''}{sub} in {entry.documents} "
            f"document{'s' if entry.documents != 1 else ''}, {entry.cases} case{'s' if entry.cases != 1 else ''}")


def _code_entries(items: list[Entry]) -> Iterator[CodeEntry]:
    for e in items:
        yield CodeEntry(e.name, e.name_zh, e.depth + 1, e.definition, e.include, e.exclude, e.examples,
                        note=_counts(e))


def to_markdown(items: list[Entry], name: str = "Codebook") -> str:
    return markdown_document(f"Appendix: {name}", _code_entries(items))


def to_csv(items: list[Entry]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["path", "name", "name_zh", "definition", "include", "exclude", "examples", "codings",
                     "codings_with_subcodes", "documents", "cases"])
    for e in items:
        writer.writerow([neutralise(v) for v in (e.path, e.name, e.name_zh, e.definition, e.include, e.exclude,
                                                  " | ".join(e.examples))]
                        + [e.codings, e.codings_with_subcodes, e.documents, e.cases])
    return buffer.getvalue()


def to_docx(items: list[Entry], name: str = "Codebook"):
    return docx_document(f"Appendix: {name}", _code_entries(items))


def write(items: list[Entry], path: str | Path, name: str = "Codebook") -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".md":
        write_text(path, to_markdown(items, name))
    elif suffix == ".csv":
        write_text(path, to_csv(items), encoding="utf-8-sig")
    else:
        document = to_docx(items, name)
        neutral_docx_properties(document, "Codebook appendix")
        with atomic_path(path) as temporary:
            document.save(str(temporary))
