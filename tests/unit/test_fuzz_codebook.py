"""Fuzzed codebooks: random YAML text and trees, cycles, aliases, duplicates and deep nesting.
Each gives a valid codebook or the project's own one-line error; installing one either adds
exactly its codes or leaves the project byte for byte as it was."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from fuzz_codebooks import codebook_template, plausible_codebooks
from fuzz_settings import EXAMPLES, FUZZ
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_worker import copy_project, project_digest

from workbench.codebook import MAX_CODES, MAX_DEPTH, load_yaml, parse_codebook
from workbench.codebook.model import PATH_SEPARATOR, Codebook, path_text
from workbench.codebook.ops import code_paths, install
from workbench.codebook.yaml_io import CODE_KEYS, COLOR, TOP_KEYS, dump_yaml
from workbench.model import WorkbenchError
from workbench.store import Project

SOURCE = "fuzz.yaml"
NAMES = st.sampled_from(["Trust", "trust", "TRUST", "Distrust", "信任", "不信任", "Co-production", "a/b", "",
                         " ", "Hukou", "hukou ", "e\u0301cole", "école", "0", "1.5", "null", "yes", "~",
                         "- item", "#tag", "key: value", "名字" * 20]) | st.text(max_size=12)
SCALARS = (st.none() | st.booleans() | st.integers(-10, 10**20) | st.floats(allow_nan=True)
           | st.text(max_size=20) | NAMES | st.sampled_from(["#1f77b4", "#FFF", "#zzzzzz", "red"]))


def _one_line(error: WorkbenchError) -> None:
    message = str(error)
    assert message.startswith(SOURCE + ":") and "\n" not in message, message


def _check(codebook: Codebook) -> None:
    """What a parsed codebook promises the rest of the workbench."""
    assert codebook.name and isinstance(codebook.name, str)
    count = 0
    for path, code in codebook.walk():
        count += 1
        assert 1 <= len(path) <= MAX_DEPTH
        assert code.name.strip() == code.name and code.name and PATH_SEPARATOR not in code.name
        assert COLOR.match(code.color)
        for value in (code.name_zh, code.definition, code.include, code.exclude):
            assert isinstance(value, str)
        assert all(isinstance(v, str) and v for v in code.examples + code.keywords_en + code.keywords_zh)
        siblings = [child.name.casefold() for child in code.children]
        assert len(siblings) == len(set(siblings))
    roots = [code.name.casefold() for code in codebook.codes]
    assert len(roots) == len(set(roots)) and 1 <= count <= MAX_CODES


def _parse(text: str) -> Codebook | None:
    try:
        codebook = parse_codebook(text, SOURCE)
    except WorkbenchError as error:
        _one_line(error)
        return None
    _check(codebook)
    return codebook


@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(text):
    _parse(text)


@FUZZ
@given(text=st.lists(st.sampled_from(["name:", "codes:", "children:", "- ", "  ", "\n", "&a ", "*a", "[", "]",
                                      "{", "}", ",", "? ", "!!str ", "!!python/object ", "|", ">", "'", '"',
                                      "Trust", "信任", "#", "color:", "'#1f77b4'", "~", "%YAML 1.1\n", "---\n",
                                      "<<: *a", "\t", "\x00", "\ufeff"]), max_size=60).map("".join))
def test_yaml_shaped_text(text):
    _parse(text)


def _code_trees(depth: int) -> st.SearchStrategy:
    leaf = st.fixed_dictionaries(
        {"name": NAMES},
        optional={key: SCALARS | st.lists(SCALARS, max_size=3) for key in CODE_KEYS if key not in ("name", "children")},
    )
    if depth == 0:
        return leaf
    return st.one_of(
        leaf,
        st.fixed_dictionaries({"name": NAMES, "children": st.lists(_code_trees(depth - 1), max_size=4)},
                              optional={"color": st.sampled_from(["#1f77b4", "#ABCDEF", "#12345"]),
                                        "name_zh": NAMES, "bogus": SCALARS}),
    )


any_yaml = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.sampled_from(CODE_KEYS + TOP_KEYS) | st.text(max_size=8), inner,
                                          max_size=5), max_leaves=30)


@FUZZ
@given(tree=st.fixed_dictionaries({"codes": st.lists(_code_trees(MAX_DEPTH + 2), min_size=0, max_size=4)},
                                  optional={"name": NAMES, "name_zh": SCALARS, "description": SCALARS,
                                            "colour": SCALARS}))
def test_random_code_trees(tree):
    codebook = _parse(yaml.safe_dump(tree, allow_unicode=True))
    if codebook is not None:  # whatever loads saves and loads again to the same tree
        again = parse_codebook(dump_yaml(codebook), SOURCE)
        assert [path for path, _ in again.walk()] == [path for path, _ in codebook.walk()]


@FUZZ
@given(tree=any_yaml)
def test_random_yaml_trees(tree):
    _parse(yaml.safe_dump({"name": "x", "codes": tree}, allow_unicode=True))
    _parse(yaml.safe_dump(tree, allow_unicode=True))


CYCLES = [  # the two plainest cycles, through a list and through a code, are in test_codebook.py
    "name: c\ncodes:\n  - &x {name: x, children: [{name: y, children: [*x]}]}\n",
    "name: c\ncodes: &a [{name: x, children: [{name: y, children: *a}]}]\n",
    "&top\nname: c\ncodes: [{name: x, children: [*top]}]\n",
    "name: c\ncodes: [{name: x, children: &k [{name: y, children: *k}]}]\n",
]


@pytest.mark.parametrize("text", CYCLES)
def test_cycles_are_refused_in_one_line(text):
    assert _parse(text) is None


@pytest.mark.parametrize("depth", [200, 5000])  # 8 and 9 levels: test_codebook.py
def test_deep_nesting(depth):
    text = "name: deep\ncodes: " + "[{name: a, children: " * depth + "[]" + "}]" * depth
    codebook = _parse(text)
    assert (codebook is not None) == (depth <= MAX_DEPTH)
    plain = "[" * depth + "]" * depth
    assert _parse(plain) is None


def test_too_many_codes():
    names = "\n".join(f"  - name: c{i}" for i in range(MAX_CODES + 1))
    assert _parse(f"name: big\ncodes:\n{names}\n") is None


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_files(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / SOURCE
        path.write_bytes(data)
        try:
            _check(load_yaml(path))
        except WorkbenchError as error:
            assert "\n" not in str(error) and SOURCE in str(error)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return codebook_template(tmp_path_factory)


def test_installing_fuzzed_codebooks_adds_exactly_their_codes_or_nothing(template, tmp_path):
    counter = iter(range(10**9))

    @settings(FUZZ, max_examples=max(20, EXAMPLES // 2))
    @given(text=plausible_codebooks() | st.text(max_size=200))
    def check(text):
        path = tmp_path / f"p{next(counter)}.qda"
        copy_project(template, path)
        before = project_digest(path)
        with Project.open(path) as project:
            known = set(code_paths(project))
            try:
                codebook = parse_codebook(text, SOURCE)
                added, updated = install(project, codebook, coder="fuzz")
            except WorkbenchError as error:
                assert "\n" not in str(error)
                failed = True
            else:
                failed = False
                paths = {path_text(p).casefold() for p, _ in codebook.walk()}
                assert set(code_paths(project)) == known | paths
                assert added == len(paths - known) and updated == len(paths & known)
                assert project.integrity_ok()
                assert install(project, codebook, coder="fuzz")[0] == 0  # a second time adds nothing
        if failed:
            assert project_digest(path) == before

    check()


@pytest.mark.parametrize("text", [
    "name: a\ncodes:\n  - name: Trust\n    children:\n      - name: A\n    children:\n      - name: B\n",
    "name: a\ncodes:\n  - name: Trust\n    name: Distrust\n",
    "name: a\nname: b\ncodes: [{name: x}]\n",
    "name: a\ncodes: [{name: x}]\ncodes: [{name: y}]\n",
])
def test_a_key_given_twice_is_refused_not_silently_dropped(text):
    assert _parse(text) is None


def test_merge_keys_still_work():
    codebook = _parse("name: a\ncodes: [&d {name: x, color: '#111111'}, {<<: *d, name: y}]\n")
    assert [(c.name, c.color) for c in codebook.codes] == [("x", "#111111"), ("y", "#111111")]
