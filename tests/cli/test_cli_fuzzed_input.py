"""Fuzzed input through the command line: `import`, `codebook import` and `query` answer or fail in
one line of the project's own, and a failure leaves the project byte for byte as it was."""

from __future__ import annotations

import pytest
from fuzz_codebooks import codebook_template, plausible_codebooks
from fuzz_queries import PIECES as QUERY_PIECES
from fuzz_queries import parse_or_none, query_project
from fuzz_settings import EXAMPLES, FUZZ
from fuzz_transcripts import labelled_transcripts
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from reliability_worker import copy_project, project_digest, run_cli

from workbench.store import Project

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on damaged parts


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return codebook_template(tmp_path_factory)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return query_project(tmp_path_factory)


def test_the_import_command_imports_or_fails_in_one_line(tmp_path):
    project_path = tmp_path / "cli.qda"
    Project.create(project_path).close()
    counter = iter(range(10**9))

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
    @given(data=st.binary(max_size=800) | labelled_transcripts().map(lambda t: t.encode("utf-16")),
           suffix=st.sampled_from((".txt", ".vtt", ".tsv", ".xlsx", ".docx", ".odt", "")))
    def check(data, suffix):
        path = tmp_path / f"cli{next(counter)}{suffix}"
        path.write_bytes(data)
        before = project_digest(project_path)
        code, _ = run_cli("import", str(project_path), str(path))
        if code:
            assert project_digest(project_path) == before

    check()


def test_the_codebook_import_command_merges_or_fails_in_one_line(template, tmp_path):
    path = tmp_path / "cli.qda"
    copy_project(template, path)
    counter = iter(range(10**9))

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
    @given(text=plausible_codebooks() | st.text(max_size=100))
    def check(text):
        codebook = tmp_path / f"c{next(counter)}.yaml"
        codebook.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = project_digest(path)
        code, _ = run_cli("codebook", "import", str(path), str(codebook))
        if code:
            assert project_digest(path) == before

    check()


@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(expression=st.lists(QUERY_PIECES, max_size=20).map(" ".join) | st.text(max_size=50),
       unit=st.sampled_from(["span", "turn"]))
def test_the_query_command_answers_or_fails_in_one_line(project, expression, unit):
    path, _ = project
    assume("\x00" not in expression)  # no shell passes a NUL in an argument
    before = project_digest(path)
    code, output = run_cli("query", str(path), expression, "--unit", unit, "--json")
    assert project_digest(path) == before  # asking never changes the project
    # The command answers exactly when the expression parses (and resolves), never otherwise.
    if parse_or_none(expression) is None:
        assert code == 1
    if code == 0:
        import json

        answer = json.loads(output)
        assert isinstance(answer, (dict, list)) and answer is not None
