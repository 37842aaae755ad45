"""Codebook merges: every kind of change, a conflict, two-way and three-way, files and the CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner

from workbench.codebook import load_yaml, save_yaml
from workbench.codebook.merge import merge
from workbench.codebook.model import Codebook
from workbench.model import Code


def cb(*codes: Code) -> Codebook:
    return Codebook("migration governance", list(codes), name_zh="移民治理")


def base() -> Codebook:
    return cb(
        Code("Trust", "信任", definition="Confidence in people or institutions.",
             children=[Code("Distrust", "不信任"), Code("Committee", "居委会")]),
        Code("Hukou", "户口"), Code("Networks", "社会网络"), Code("Schooling", "上学"),
    )


def side_a() -> Codebook:
    return cb(
        Code("Trust", "信任", definition="Confidence in people or institutions.",
             children=[Code("Distrust", "不信任", definition="Expecting harm or neglect.")]),
        Code("Hukou status", "户口"),  # renamed
        Code("Networks", "社会网络", children=[Code("Committee", "居委会")]),  # Committee moved here
        Code("Work", "工作"),  # added on both sides
        # Schooling deleted
    )


def side_b() -> Codebook:
    return cb(
        Code("Trust", "信任", definition="Confidence in people or institutions.",
             children=[Code("Distrust", "不信任"), Code("Committee", "居委会", color="#d62728")]),
        Code("Hukou", "户口", definition="Household registration and what it allows."),
        Code("Networks", "社会网络"), Code("Schooling", "上学"), Code("Work", "工作"),
        Code("Fellow villagers", "老乡"),  # added
        Code("Social networks"),  # a near-duplicate of Networks under another name
    )


def paths(codebook: Codebook) -> list[str]:
    return ["/".join(path) for path, _ in codebook.walk()]


def test_three_way_merge_takes_each_sides_changes():
    merged, report = merge(side_a(), side_b(), base())
    assert not report.conflicts
    assert paths(merged) == ["Trust", "Trust/Distrust", "Hukou status", "Networks", "Networks/Committee", "Work",
                             "Fellow villagers", "Social networks"]
    codes = {"/".join(p): c for p, c in merged.walk()}
    assert codes["Trust/Distrust"].definition == "Expecting harm or neglect."  # A's edit
    assert codes["Hukou status"].definition.startswith("Household registration")  # B's edit, A's rename
    assert codes["Networks/Committee"].color == "#d62728"  # B's edit, A's move
    assert ("A", "Schooling") in report.deleted
    assert ("A", "Hukou", "Hukou status") in report.renamed
    assert ("A", "Trust/Committee", "Networks/Committee") in report.moved
    assert ("B", "Fellow villagers") in report.added and ("A and B", "Work") in report.added
    assert ("B", "Trust/Committee", "color") in report.changed


def test_a_conflict_is_listed_and_settled_only_by_prefer():
    a, b = side_a(), side_b()
    a.codes[0].definition = "Trust as A sees it."
    b.codes[0].definition = "Trust as B sees it."
    merged, report = merge(a, b, base())
    assert [(c.path, c.field, c.resolved) for c in report.unresolved] == [("Trust", "definition", None)]
    _, report_b = merge(a, b, base(), prefer="B")
    assert not report_b.unresolved
    merged_b, _ = merge(a, b, base(), prefer="B")
    assert merged_b.codes[0].definition == "Trust as B sees it."


def test_deleted_on_one_side_and_changed_on_the_other_is_a_conflict():
    a = base()
    a.codes[3].definition = "Access to schools for migrant children."  # A edits Schooling
    b = cb(*[c for c in base().codes if c.name != "Schooling"])  # B deletes it
    merged, report = merge(a, b, base())
    assert [c.field for c in report.unresolved] == ["deleted"]
    assert "Schooling" in paths(merged)  # kept until someone decides
    merged_b, _ = merge(a, b, base(), prefer="B")
    assert "Schooling" not in paths(merged_b)


def test_two_way_merge_matches_by_name_in_either_language_and_by_similar_names():
    a = cb(Code("Trust", "信任", definition="Confidence."), Code("Fellow-villagers", "老乡"), Code("Hukou"))
    b = cb(Code("Vertrauen", "信任"), Code("Fellow villagers"), Code("Hukou", definition="Registration."),
           Code("Gender", "性别"))
    merged, report = merge(a, b)
    how = {(m.left[-1], m.right[-1]): m.how for m in report.matches}
    assert how[("Trust", "Vertrauen")] == "name"  # same Chinese name
    assert how[("Fellow-villagers", "Fellow villagers")] == "fuzzy"
    assert ("B", "Gender") in report.added
    codes = {"/".join(p): c for p, c in merged.walk()}
    assert codes["Hukou"].definition == "Registration."  # only B filled it in: no conflict
    # Two-way, nobody can tell which name is the newer one: each is a conflict.
    assert [(c.path, c.field) for c in report.unresolved] == [("Trust", "name"), ("Fellow-villagers", "name")]
    merged, report = merge(a, b, prefer="A")
    assert paths(merged) == ["Trust", "Fellow-villagers", "Hukou", "Gender"]
    _, strict = merge(a, b, prefer="A", fuzzy=False)
    assert ("B", "Fellow villagers") in strict.added


def test_duplicates_are_reported():
    a = cb(Code("Networks", "社会网络"), Code("Trust", children=[Code("Committee", "居委会")]))
    b = cb(Code("Networks", "社会网络", children=[Code("Committee", "居委会")]),
           Code("Trust", children=[Code("Committee", "居委会")]))
    merged, report = merge(a, b, fuzzy=False)
    assert not report.conflicts and ("B", "Networks/Committee") in report.added
    assert ("Networks/Committee", "Trust/Committee") in report.duplicated or \
        ("Trust/Committee", "Networks/Committee") in report.duplicated


def test_cli_codebook_merge_writes_a_new_file_or_refuses(tmp_path):
    from workbench.cli import cli

    files = {}
    for name, codebook in (("o", base()), ("a", side_a()), ("b", side_b())):
        files[name] = tmp_path / f"{name}.yaml"
        save_yaml(codebook, files[name])
    out = tmp_path / "merged.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["codebook", "merge", str(files["a"]), str(files["b"]), "--base", str(files["o"]),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "renamed in A: Hukou -> Hukou status" in result.output
    assert "Networks/Committee" in paths(load_yaml(out))
    conflicting = side_b()
    conflicting.codes[0].definition = "B's own idea of trust."
    a2 = side_a()
    a2.codes[0].definition = "A's own idea of trust."
    save_yaml(conflicting, files["b"])
    save_yaml(a2, files["a"])
    out2 = tmp_path / "merged2.yaml"
    result = runner.invoke(cli, ["codebook", "merge", str(files["a"]), str(files["b"]), "--base", str(files["o"]),
                                 "-o", str(out2), "--json"])
    assert result.exit_code != 0 and not out2.exists()
    data = json.loads(result.stdout)
    assert data["conflicts"][0]["field"] == "definition" and data["output"] is None
    assert "--prefer" in result.stderr
    result = runner.invoke(cli, ["codebook", "merge", str(files["a"]), str(files["b"]), "--base", str(files["o"]),
                                 "-o", str(out2), "--prefer", "A"])
    assert result.exit_code == 0 and load_yaml(out2).codes[0].definition == "A's own idea of trust."


def test_a_project_is_a_codebook_source(tmp_path):
    from workbench.cli import cli
    from workbench.codebook.ops import install
    from workbench.store import Project

    with Project.create(tmp_path / "a.qda") as project:
        install(project, side_a())
    save_yaml(side_b(), tmp_path / "b.yaml")
    result = CliRunner().invoke(cli, ["codebook", "merge", str(tmp_path / "a.qda"), str(tmp_path / "b.yaml"),
                                      "-o", str(tmp_path / "m.md"), "--prefer", "B"])
    assert result.exit_code == 0, result.output
    assert "Fellow villagers" in (tmp_path / "m.md").read_text(encoding="utf-8")
    same = CliRunner().invoke(cli, ["codebook", "merge", str(tmp_path / "a.qda"), str(tmp_path / "b.yaml"),
                                    "-o", str(tmp_path / "b.yaml")])
    assert same.exit_code != 0 and "new file" in same.output
