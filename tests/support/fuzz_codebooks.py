"""Codebooks for fuzzing installs: a base project to install into, and mostly valid codebooks that
reuse its names, so installs update and clash."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import strategies as st

from workbench.codebook import MAX_DEPTH, parse_codebook
from workbench.codebook.ops import install
from workbench.store import Project

BASE = "name: base\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n  - name: Housing\n"


def codebook_template(tmp_path_factory) -> Path:
    """A project holding the base codebook, to copy before each install."""
    path = tmp_path_factory.mktemp("codebook-template") / "base.qda"
    with Project.create(path) as project:
        install(project, parse_codebook(BASE, "base.yaml"))
    return path


@st.composite
def plausible_codebooks(draw) -> str:
    """Mostly valid codebooks that reuse the base's names, so installs update and clash."""
    names = st.sampled_from(["Trust", "trust", "Distrust", "Housing", "Rent", "信任", "Work", "a/b", ""])

    def codes(depth: int) -> list:
        items = []
        for _ in range(draw(st.integers(0 if depth else 1, 3))):
            item = {"name": draw(names)}
            if draw(st.booleans()):
                item["color"] = draw(st.sampled_from(["#1f77b4", "#1F77B4", "blue"]))
            if depth < MAX_DEPTH + 1 and draw(st.integers(0, 2)) == 0:
                item["children"] = codes(depth + 1)
            items.append(item)
        return items

    return yaml.safe_dump({"name": "fuzz", "codes": codes(0)}, allow_unicode=True)
