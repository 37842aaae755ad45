"""Queries for fuzzing: a coded project to run them on, and the pieces query text is made of."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st
from named import code_named
from reliability_worker import write_transcripts

from workbench import query
from workbench.codebook import parse_codebook
from workbench.codebook.ops import install
from workbench.imports import import_files
from workbench.model import WorkbenchError
from workbench.store import Project

CODES = ("Trust", "Distrust", "Housing", "信任", "Institutional trust")
PIECES = st.sampled_from(["AND", "OR", "NOT", "and", "&", "|", "!", "(", ")", '"', " ", "  ", "\t", "\n",
                          "Trust", "Distrust", "Housing", "信任", "Institutional", "trust", "Nope", '"AND"',
                          '""', '" "', "ANDROID", "(NOT", "NOT)", "Trust/Distrust", "\u3000", "\x00"])
CODEBOOK = """
name: q
codes:
  - name: Trust
    name_zh: 信任
    children:
      - name: Distrust
      - name: Institutional trust
  - name: Housing
"""


def parse_or_none(expression: str) -> query.Node | None:
    """The parsed query, or None after checking that the error is one `query:` line."""
    try:
        return query.parse(expression)
    except WorkbenchError as error:
        message = str(error)
        assert message.startswith("query:") and "\n" not in message, message
        return None


def query_project(tmp_path_factory) -> tuple[Path, list[str]]:
    """A project with three transcripts and overlapping codings of nested codes; its path and documents."""
    folder = tmp_path_factory.mktemp("query-fuzz")
    path = folder / "q.qda"
    files = write_transcripts(folder / "transcripts", 3, seed=3, turns=8)
    with Project.create(path) as opened:
        install(opened, parse_codebook(CODEBOOK, "q.yaml"))
        list(import_files(opened, files))
        spans = [(0, "Trust", 10, 40), (0, "Distrust", 30, 80), (0, "Housing", 35, 36), (1, "Housing", 0, 200),
                 (1, "Institutional trust", 150, 260), (1, "Trust", 255, 300), (2, "Distrust", 5, 6),
                 (0, "Institutional trust", 79, 120), (2, "Housing", 500, 700)]
        for number, code, start, end in spans:
            code_named(opened, files[number].name, code, start, end, "fuzz")
    return path, [f.name for f in files]
