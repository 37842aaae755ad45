"""Codebooks: strict YAML with errors naming the code, round trips, exports and tree operations."""

from __future__ import annotations

import csv

import pytest
from named import code_named
from reliability_worker import project_digest

from workbench.codebook import Codebook, dump_yaml, load_yaml, parse_codebook, save_yaml
from workbench.codebook.export import export, to_csv, to_markdown
from workbench.codebook.ops import (
    add_code,
    as_codebook,
    delete_code,
    descendants,
    install,
    merge_codes,
    move_code,
    paths_by_id,
    resolve,
    restore_deleted,
    update_code,
)
from workbench.demo import DEMO_CODEBOOK
from workbench.model import Code, WorkbenchError
from workbench.store import Project

SMALL = """\
name: Small codebook
name_zh: 小编码本
description: >-
  Two top codes for the tests.
codes:
  - name: Trust
    name_zh: 信任
    color: "#1F77B4"
    definition: Expecting good faith.
    include: "Apply when: someone is relied on."
    examples: ["我们老乡之间互相信任。", "I trust him as a person."]
    keywords_en: [trust, rely on]
    keywords_zh: 信任
    children:
      - name: Distrust
        name_zh: 不信任
        color: "#d62728"
      - name: Institutional trust
        name_zh: 制度信任
  - name: Informal networks
    name_zh: 非正式网络
    children:
      - name: Brokers
        name_zh: 中介
"""


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "project.qda") as opened:
        install(opened, parse_codebook(SMALL, "small.yaml"))
        yield opened


def fields(code: Code) -> tuple:
    return (code.name, code.name_zh, code.definition, code.include, code.exclude, tuple(code.examples),
            code.color, tuple(code.keywords_en), tuple(code.keywords_zh))


def shape(codebook: Codebook) -> list[tuple]:
    return [(path, fields(code)) for path, code in codebook.walk()]


# ----------------------------------------------------------------------- loading
def test_the_bundled_codebook_loads():
    codebook = load_yaml(DEMO_CODEBOOK)
    assert len(codebook) == 34
    assert codebook.name_zh and codebook.description
    top = [code.name for code in codebook.codes]
    assert {"Trust", "Co-production", "Informal networks"} <= set(top)
    assert all(code.name_zh for _, code in codebook.walk())


def test_parse_reads_every_field_and_normalises_colours():
    codebook = parse_codebook(SMALL, "small.yaml")
    trust = codebook.codes[0]
    assert (codebook.name, codebook.name_zh, codebook.description) == (
        "Small codebook", "小编码本", "Two top codes for the tests.")
    assert trust.color == "#1f77b4"
    assert trust.keywords_zh == ["信任"]  # one text is a list of one
    assert trust.examples == ["我们老乡之间互相信任。", "I trust him as a person."]
    assert [path for path, _ in codebook.walk()] == [
        ("Trust",), ("Trust", "Distrust"), ("Trust", "Institutional trust"),
        ("Informal networks",), ("Informal networks", "Brokers")]
    assert codebook.codes[1].color == "#888888"


def _nested(depth: int) -> str:
    lines = ["name: Deep", "codes:"]
    for level in range(depth):
        indent = "  " * (2 * level)
        lines += [f"{indent}  - name: Level {level + 1}", f"{indent}    children:"]
    lines.append("  " * (2 * depth) + "  - name: Leaf")
    return "\n".join(lines) + "\n"


INVALID = {
    "duplicate-siblings": (
        "name: X\ncodes:\n  - name: Trust\n    children:\n      - name: Local\n      - name: local\n",
        ["code 'Trust/local'", "duplicate name"]),
    "duplicate-top": ("name: X\ncodes:\n  - name: Trust\n  - name: Trust\n", ["code 'Trust'", "duplicate name"]),
    "empty-name": (
        "name: X\ncodes:\n  - name: Trust\n    children:\n      - name: '  '\n",
        ["children of 'Trust'", "empty name"]),
    "missing-name": (
        "name: X\ncodes:\n  - name: Trust\n    children:\n      - color: '#ffffff'\n",
        ["children of 'Trust'", "empty name"]),
    "bad-colour": ("name: X\ncodes:\n  - name: Trust\n    color: red\n", ["code 'Trust'", "colour 'red'", "#RRGGBB"]),
    "short-colour": ("name: X\ncodes:\n  - name: Trust\n    color: '#fff'\n", ["code 'Trust'", "'#fff'"]),
    "unquoted-colour": ("name: X\ncodes:\n  - name: Trust\n    color: #ff0000\n", ["code 'Trust'", "quote it"]),
    "unknown-key": (
        "name: X\ncodes:\n  - name: Trust\n    defintion: hi\n",
        ["code 'Trust'", "unknown key 'defintion'", "did you mean 'definition'"]),
    "colour-spelling": (
        "name: X\ncodes:\n  - name: Trust\n    colour: '#ff0000'\n", ["code 'Trust'", "did you mean 'color'"]),
    "unknown-top-key": ("name: X\nauthor: me\ncodes:\n  - name: Trust\n", ["the top level", "unknown key 'author'"]),
    "cycle-through-a-code": (
        "name: X\ncodes:\n  - &trust\n    name: Trust\n    children:\n      - *trust\n",
        ["code 'Trust'", "cycle"]),
    "cycle-through-a-list": (
        "name: X\ncodes: &top\n  - name: Trust\n    children: *top\n", ["children of 'Trust'", "cycle"]),
    "too-deep": (_nested(9), ["nested deeper than 8 levels", "Level 1/Level 2"]),
    "slash-in-name": ("name: X\ncodes:\n  - name: Trust/Local\n", ["code 'Trust/Local'", "'/'"]),
    "yes-as-name": ("name: X\ncodes:\n  - name: yes\n", ["'codes'", "quotes"]),
    "no-codes": ("name: X\n", ["'codes' must be a non-empty list"]),
    "children-not-a-list": ("name: X\ncodes:\n  - name: A\n    children: B\n", ["children of 'A'", "must be a list"]),
    "not-a-mapping": ("- just\n- a list\n", ["expected a mapping"]),
    "invalid-yaml": ("name: X\ncodes: [\n", ["not valid YAML at line"]),
    "keywords-not-texts": (
        "name: X\ncodes:\n  - name: T\n    keywords_en: {a: 1}\n", ["code 'T'", "'keywords_en' must be a list"]),
    "python-tag": ("name: !!python/object:os.system X\ncodes:\n  - name: A\n", ["not valid YAML"]),
    "nested-too-deeply-for-yaml": ("[" * 5000 + "]" * 5000, ["codebook.yaml: "]),
}


@pytest.mark.parametrize("case", INVALID.values(), ids=INVALID.keys())
def test_invalid_codebooks_give_one_line_naming_the_code_and_the_problem(case):
    text, expected = case
    with pytest.raises(WorkbenchError) as caught:
        parse_codebook(text, "codebook.yaml")
    message = str(caught.value)
    assert message.startswith("codebook.yaml: ")
    assert "\n" not in message
    for part in expected:
        assert part in message


def test_names_are_composed_to_nfc_like_the_documents():
    codebook = parse_codebook("name: X\ncodes:\n  - name: Cafe\u0301 talk\n", "nfd.yaml")
    assert codebook.codes[0].name == "Caf\u00e9 talk"


def test_exactly_eight_levels_are_allowed():
    codebook = parse_codebook(_nested(7), "deep.yaml")
    assert max(len(path) for path, _ in codebook.walk()) == 8


def test_an_alias_reused_in_two_places_is_not_a_cycle():
    text = ("name: X\ncodes:\n  - name: Migrants\n    children: &sides\n      - name: Trust\n"
            "      - name: Distrust\n  - name: Officials\n    children: *sides\n")
    codebook = parse_codebook(text, "shared.yaml")
    assert [path for path, _ in codebook.walk()] == [
        ("Migrants",), ("Migrants", "Trust"), ("Migrants", "Distrust"),
        ("Officials",), ("Officials", "Trust"), ("Officials", "Distrust")]


def test_an_exponential_alias_bomb_stops_at_the_code_limit():
    lines = ["name: Bomb", "codes:", "  - name: A", "    children: &l0"]
    lines += [f"      - name: x{j}" for j in range(9)]
    for level in range(1, 6):  # 9 ** 5 codes in a few lines, each level within the depth limit
        lines += [f"  - name: L{level}", f"    children: &l{level}"]
        lines += [f"      - {{name: c{j}, children: *l{level - 1}}}" for j in range(9)]
    with pytest.raises(WorkbenchError, match="more than 5000 codes"):
        parse_codebook("\n".join(lines) + "\n", "bomb.yaml")


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p, "no such codebook file"),
        (lambda p: (p.mkdir(), p)[1], "is a folder"),
        (lambda p: (p.write_bytes(SMALL.encode("gb18030")), p)[1], "not UTF-8"),
    ],
    ids=["missing", "folder", "not-utf8"],
)
def test_load_yaml_refuses_files_it_cannot_read(tmp_path, make, problem):
    path = make(tmp_path / "codebook.yaml")
    with pytest.raises(WorkbenchError) as caught:
        load_yaml(path)
    assert str(caught.value).startswith(str(path)) and problem in str(caught.value)


def test_load_yaml_accepts_a_bom(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.encode("utf-8"))
    assert load_yaml(path).name == "Small codebook"


# ------------------------------------------------------------------- round trips
def test_yaml_round_trips_exactly(tmp_path):
    original = load_yaml(DEMO_CODEBOOK)
    path = tmp_path / "again.yaml"
    save_yaml(original, path)
    again = load_yaml(path)
    assert shape(again) == shape(original)
    assert (again.name, again.name_zh, again.description) == (
        original.name, original.name_zh, original.description)
    assert dump_yaml(again) == path.read_text(encoding="utf-8")  # a fixed point


def test_multiline_and_long_texts_survive_the_round_trip():
    code = Code("Quote", name_zh="引语", definition="Line one.\nLine two: with a colon.",
                include="x" * 200, examples=['"quoted" text', "# not a comment", "- not a list"])
    again = parse_codebook(dump_yaml(Codebook("Q", [code])), "q.yaml")
    assert fields(again.codes[0]) == fields(code)


def test_a_project_codebook_exports_as_it_was_imported(tmp_path):
    original = load_yaml(DEMO_CODEBOOK)
    with Project.create(tmp_path / "p.qda") as project:
        assert install(project, original) == (34, 0)
        export(as_codebook(project), tmp_path / "out.yaml")
    again = load_yaml(tmp_path / "out.yaml")
    assert shape(again) == shape(original)
    assert (again.name, again.name_zh, again.description) == (
        original.name, original.name_zh, original.description)


# ----------------------------------------------------------------------- install
def test_install_twice_updates_and_adds_nothing(project):
    before = sorted(paths_by_id(project).values())
    assert install(project, parse_codebook(SMALL, "small.yaml")) == (0, 5)
    assert sorted(paths_by_id(project).values()) == before


def test_install_merges_by_path_and_deletes_nothing(project):
    changed = parse_codebook(
        "name: Other\ncodes:\n  - name: trust\n    color: '#000000'\n    children:\n"
        "      - name: Interpersonal trust\n  - name: Belonging\n", "other.yaml")
    assert install(project, changed) == (2, 1)
    paths = set(paths_by_id(project).values())
    assert {"Trust/Interpersonal trust", "Belonging", "Informal networks/Brokers"} <= paths
    assert "trust" not in paths  # matched the existing Trust, case-insensitively
    trust = next(code for code in project.code_tree() if code.name == "Trust")
    assert trust.color == "#000000"
    assert project.meta("codebook") == "Small codebook"  # the first codebook names the project's


# ------------------------------------------------------------------------ export
def test_markdown_export(project):
    markdown = to_markdown(as_codebook(project))
    assert markdown.startswith("# Small codebook / 小编码本\n")
    assert "## Trust / 信任" in markdown and "### Distrust / 不信任" in markdown
    assert "**Definition.** Expecting good faith." in markdown
    assert "- 我们老乡之间互相信任。" in markdown


def test_markdown_export_keeps_markdown_characters_as_text():
    # The codebook and the appendix share one Markdown writer, which escapes like the excerpts do.
    book = parse_codebook("name: A_b\ncodes:\n  - name: '*Core* <b>'\n    definition: '# not a heading'\n", "a.yaml")
    markdown = to_markdown(book)
    assert markdown.startswith("# A\\_b\n")
    assert "## \\*Core\\* \\<b\\>" in markdown and "**Definition.** \\# not a heading" in markdown


def test_csv_export_has_a_row_per_code(project, tmp_path):
    export(as_codebook(project), tmp_path / "codes.csv")
    raw = (tmp_path / "codes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM correctly
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [row["path"] for row in rows] == [
        "Trust", "Trust/Distrust", "Trust/Institutional trust", "Informal networks", "Informal networks/Brokers"]
    assert rows[0]["name_zh"] == "信任" and rows[0]["keywords_en"] == "trust; rely on"
    assert to_csv(as_codebook(project)) == raw.decode("utf-8-sig")


def test_docx_export(project, tmp_path):
    import docx

    export(as_codebook(project), tmp_path / "codes.docx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "codes.docx")).paragraphs)
    assert "Small codebook / 小编码本" in text and "Distrust / 不信任" in text
    assert "Definition. Expecting good faith." in text
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize(
    ("name", "problem"), [("codes.txt", "cannot write a codebook as .txt"), ("missing/codes.md", "does not exist")])
def test_export_refuses_unknown_suffixes_and_missing_folders(project, tmp_path, name, problem):
    with pytest.raises(WorkbenchError, match=problem):
        export(as_codebook(project), tmp_path / name)


# -------------------------------------------------------------------- operations
def test_resolve_by_path_name_and_chinese_name(project):
    distrust = resolve(project, "Trust/Distrust")
    assert resolve(project, "distrust") == distrust
    assert resolve(project, "不信任") == distrust
    assert resolve(project, " TRUST/distrust ") == distrust
    add_code(project, Code("Caf\u00e9"))
    assert resolve(project, "Cafe\u0301") == resolve(project, "café")  # typed decomposed


def test_resolve_ambiguous_and_unknown_names(project):
    add_code(project, Code("Distrust"), parent_id=resolve(project, "Informal networks"))
    with pytest.raises(WorkbenchError, match="ambiguous: Informal networks/Distrust, Trust/Distrust"):
        resolve(project, "Distrust")
    with pytest.raises(WorkbenchError, match="no code named 'Nope'"):
        resolve(project, "Nope")


def test_add_code_refuses_bad_names_duplicates_and_depth(project):
    for bad in ("", "  ", "a/b"):
        with pytest.raises(WorkbenchError, match="non-empty and without '/'"):
            add_code(project, Code(bad))
    with pytest.raises(WorkbenchError, match="a sibling already has that name"):
        add_code(project, Code("Distrust"), parent_id=resolve(project, "Trust"))
    parent = resolve(project, "Trust/Distrust")
    for level in range(6):
        parent = add_code(project, Code(f"L{level}"), parent_id=parent)
    with pytest.raises(WorkbenchError, match="at most 8 levels"):
        add_code(project, Code("too deep"), parent_id=parent)


def test_sibling_names_differ_in_more_than_case_everywhere(project, tmp_path):
    trust = resolve(project, "Trust")
    with pytest.raises(WorkbenchError, match="a sibling already has that name"):
        add_code(project, Code("trust"))
    hope = add_code(project, Code("Hope"))
    with pytest.raises(WorkbenchError, match="a sibling already has that name"):
        update_code(project, hope, name="TRUST")
    loose = add_code(project, Code("distrust"))
    with pytest.raises(WorkbenchError, match="a sibling already has that name"):
        move_code(project, loose, trust)
    update_code(project, trust, name="TRUST")  # its own name in another case is fine
    export(as_codebook(project), tmp_path / "again.yaml")
    assert len(load_yaml(tmp_path / "again.yaml")) == 7  # what the project holds, a file may hold


def test_moving_keeps_the_tree_within_eight_levels(project):
    parent = resolve(project, "Trust/Distrust")
    for level in range(5):
        parent = add_code(project, Code(f"L{level}"), parent_id=parent)  # Trust/Distrust/L0..L4: 7 levels
    subtree = add_code(project, Code("Subtree"))
    add_code(project, Code("Leaf"), parent_id=subtree)
    with pytest.raises(WorkbenchError, match="deeper than 8 levels"):
        move_code(project, subtree, parent)
    move_code(project, subtree, resolve(project, "Trust/Distrust/L0/L1/L2/L3"))
    assert "Trust/Distrust/L0/L1/L2/L3/Subtree/Leaf" in paths_by_id(project).values()


def test_rename_and_move(project):
    trust, distrust = resolve(project, "Trust"), resolve(project, "Trust/Distrust")
    update_code(project, distrust, name="Mistrust")
    assert resolve(project, "Trust/Mistrust") == distrust
    with pytest.raises(WorkbenchError, match="under itself"):
        move_code(project, trust, distrust)
    move_code(project, distrust, resolve(project, "Informal networks"))
    assert paths_by_id(project)[distrust] == "Informal networks/Mistrust"


def test_merge_moves_codings_and_children(project, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: Do you trust them?\nRespondent: Not at all.", encoding="utf-8")
    from workbench.imports import import_files

    list(import_files(project, [tmp_path / "a.txt"]))
    code_named(project, "a.txt", "Distrust", 0, 5, "lin")
    code_named(project, "a.txt", "Institutional trust", 0, 5, "lin")
    code_named(project, "a.txt", "Institutional trust", 6, 9, "lin")
    moved = merge_codes(project, resolve(project, "Institutional trust"), resolve(project, "Distrust"))
    assert moved == 1  # the identical coding was kept once
    assert [(c.start, c.end) for c in project.codings()] == [(0, 5), (6, 9)]
    with pytest.raises(WorkbenchError):
        resolve(project, "Institutional trust")


def test_delete_needs_a_decision_about_codings_and_can_be_undone(project, tmp_path):
    (tmp_path / "a.txt").write_text("Interviewer: Do you trust them?\nRespondent: Not at all.", encoding="utf-8")
    from workbench.imports import import_files

    list(import_files(project, [tmp_path / "a.txt"]))
    code_named(project, "a.txt", "Distrust", 0, 5, "lin")
    trust = resolve(project, "Trust")
    before = project_digest(project.conn)
    with pytest.raises(WorkbenchError, match="has 1 codings"):
        delete_code(project, trust)
    assert project_digest(project.conn) == before
    snapshot = delete_code(project, trust, remove_codings=True)
    assert project.coding_count() == 0
    assert set(paths_by_id(project).values()) == {"Informal networks", "Informal networks/Brokers"}
    restore_deleted(project, snapshot)
    assert project.coding_count() == 1
    assert len(descendants(project, resolve(project, "Trust"))) == 3


def test_a_folder_like_code_stays_not_codable_through_delete_and_undo(project):
    from workbench.history import History

    trust = resolve(project, "Trust")
    project.refi_set_codable(trust, False)  # as a REFI import of isCodable="false" sets it
    project.conn.commit()
    restore_deleted(project, delete_code(project, trust, remove_codings=True))
    assert resolve(project, "Trust") in project.refi_not_codable()
    history = History(project, "lin")
    history.delete_code(resolve(project, "Trust"), remove_codings=True)
    history.undo()
    assert resolve(project, "Trust") in project.refi_not_codable()
