"""Codebook merges: every kind of change, a conflict, two-way and three-way (the CLI: tests/cli)."""

from __future__ import annotations

from codebook_sides import base, cb, paths, side_a, side_b

from workbench.codebook.merge import merge
from workbench.model import Code


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
