"""Two documents with the same words (told apart by a last line), a Trust/Distrust + Hukou codebook
and three codings: what the segment-row and retrieval tests read back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CODEBOOK = "name: t\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n  - name: Hukou\n"
TEXT = "Interviewer: Do you trust them?\nRespondent: Not the broker. The office, yes.\n"
ANSWER = TEXT.index("Not")


@dataclass(frozen=True)
class Ids:
    trust: int
    distrust: int
    hukou: int
    first: int  # A-first.txt
    second: int  # B-second.txt


def two_coded_documents(project, folder: Path) -> Ids:
    """B-second: Trust on "Interviewer" (lin); A-first: Distrust on "Not the broker" (sara), Hukou (lin)."""
    from workbench.codebook import parse_codebook
    from workbench.codebook.ops import install, resolve
    from workbench.imports import import_files

    for name in ("B-second.txt", "A-first.txt"):
        (folder / name).write_text(TEXT + name, encoding="utf-8")
    install(project, parse_codebook(CODEBOOK, "t.yaml"))
    list(import_files(project, sorted(folder.glob("*.txt"))))
    ids = Ids(*(resolve(project, n) for n in ("Trust", "Trust/Distrust", "Hukou")),
              project.document_id("A-first.txt"), project.document_id("B-second.txt"))
    project.add_coding(ids.second, ids.trust, 0, 11, "lin")
    project.add_coding(ids.first, ids.distrust, ANSWER, ANSWER + 14, "sara")
    project.add_coding(ids.first, ids.hukou, 2, 5, "lin")
    return ids
