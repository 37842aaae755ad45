"""Limits: each cap refuses with one clear line naming the file and the limit, and changes nothing."""

from __future__ import annotations

import pytest

from reliability_worker import project_digest, run_cli
from workbench import importers
from workbench.codebook import MAX_DEPTH
from workbench.codebook.yaml_io import MAX_CODEBOOK_BYTES
from workbench.query import MAX_NESTING, MAX_TERMS
from workbench.store import Project


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "limits.qda"
    Project.create(path).close()
    run_cli("codebook", "import", str(path), _codebook(tmp_path, "name: l\ncodes:\n  - name: Trust\n"))
    return path


def _codebook(tmp_path, text: str) -> str:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _refused(project, *args: str) -> str:
    before = project_digest(project)
    code, output = run_cli(*args)
    assert code == 1
    assert project_digest(project) == before
    return output


def test_file_size(project, tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(importers.MAX_FILE_BYTES + 1)  # sparse: nothing is written or read
    output = _refused(project, "import", str(project), str(big))
    assert "huge.txt" in output and "over the import limit of 20 MB" in output


def test_turns_per_document(project, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "MAX_TURNS", 50)
    transcript = tmp_path / "long.txt"
    transcript.write_text("\n".join(f"{'Interviewer' if i % 2 else 'Respondent'}: answer {i}" for i in range(60)),
                          encoding="utf-8")
    output = _refused(project, "import", str(project), str(transcript))
    assert "long.txt" in output and "60 turns is over the limit of 50" in output


def test_codebook_depth(project, tmp_path):
    nested = "name: deep\ncodes: " + "[{name: a, children: " * (MAX_DEPTH + 1) + "[]" + "}]" * (MAX_DEPTH + 1)
    output = _refused(project, "codebook", "import", str(project), _codebook(tmp_path, nested))
    assert "codebook.yaml" in output and f"nested deeper than {MAX_DEPTH} levels" in output


def test_codebook_file_size(project, tmp_path):
    path = tmp_path / "codebook.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_CODEBOOK_BYTES + 1)
    output = _refused(project, "codebook", "import", str(project), str(path))
    assert "codebook.yaml" in output and "over 5 MB" in output


def test_query_size_and_nesting(project):
    terms = " OR ".join(["Trust"] * (MAX_TERMS + 1))
    assert f"at most {MAX_TERMS}" in _refused(project, "query", str(project), terms)
    nested = "(" * (MAX_NESTING + 1) + "Trust" + ")" * (MAX_NESTING + 1)
    assert "nested too deeply" in _refused(project, "query", str(project), nested)
    negated = "NOT " * (MAX_NESTING + 1) + "Trust"
    assert "nested too deeply" in _refused(project, "query", str(project), negated)
    code, _ = run_cli("query", str(project), " OR ".join(["Trust"] * MAX_TERMS))
    assert code == 0
