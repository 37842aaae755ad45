"""Issue 20, item 7: the codings export and `import --codings` agree on one code-path form."""

from __future__ import annotations

import pytest

from workbench.codings_table import import_codings, split_code_path
from workbench.export.run import Options, export
from workbench.model import Code
from workbench.store import Project

NAMES = [("Family; kin",), ("Age > 60",), ("Time::line",), ("back\\slash",), ("either/or",),
         ("Parent | pipe", "child › 子；码"), ("-minus",), ("=equals", "+plus")]


def _project(path):
    text = "I trust my family. Work is hard. My boss lies. We are old. -Yes, =sure, +more, @home.\n"
    with Project.create(path) as project, project.transaction():
        document = project.add_document(name="P01.txt", text=text, sha256="x", lang="en", encoding="utf-8",
                                        format="txt", source_path="P01.txt", turns=[], index_bodies=[])
        for number, names in enumerate(NAMES):
            parent = None
            for name in names:
                parent = project.add_code(Code(name=name), parent)
            project.add_coding(document, parent, number * 3, number * 3 + 5, "ana")
        dash = text.index("-Yes")  # a quote that starts like a formula
        project.add_coding(document, parent, dash, dash + 5, "bo")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_codings_import_back_as_the_same_codes_and_rows(tmp_path, suffix):
    path = tmp_path / "p.qda"
    _project(path)
    table = tmp_path / f"codings{suffix}"
    with Project.open(path) as project:
        export(project, table, Options())
        codes_before, codings_before = project.code_count(), project.coding_count()
        result = import_codings(project, table, "lead")
        assert result.codes_created == ()
        assert (result.added, result.already, result.repeated) == (0, len(NAMES) + 1, 0)
        assert (project.code_count(), project.coding_count()) == (codes_before, codings_before)


def test_the_path_form_round_trips_every_mark_and_still_reads_what_people_write():
    from workbench.codings_table import format_code_path

    for names in NAMES + [("a", "b\\c/d::e>f;g")]:
        assert split_code_path(format_code_path(names)) == [names]
    assert split_code_path("Trust > Distrust; Work::Pay | Kin\\Cousin") == [
        ("Trust", "Distrust"), ("Work", "Pay"), ("Kin", "Cousin")]
