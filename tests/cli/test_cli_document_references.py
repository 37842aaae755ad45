"""The document verbs resolve what a person typed once, at the CLI edge: a name, or an id when no
document has that name; the core (`workbench.documents`) takes ids only."""

from __future__ import annotations

import pytest
from bilingual_survey import run  # the one CLI runner of the tests (exit code checked)

from workbench.documents import find, show
from workbench.model import WorkbenchError
from workbench.store import Project


def test_show_takes_a_document_id_where_no_document_has_that_name(demo_file):
    with Project.open(demo_file) as project:
        first = project.documents()[0]
    by_id = run("show", demo_file, first.id, "--turn", 1, "--json").stdout
    assert by_id == run("show", demo_file, first.name, "--turn", 1, "--json").stdout
    assert f'"document": "{first.name}"' in by_id


def test_a_document_named_with_digits_wins_over_the_id(demo_copy):
    with Project.open(demo_copy) as project:
        first, second = project.documents()[:2]
    run("document", "rename", demo_copy, second.name, str(first.id))
    assert f'"document": "{first.id}"' in run("show", demo_copy, first.id, "--turn", 1, "--json").stdout


def test_an_unknown_number_is_reported_as_an_unknown_name(demo_file):
    result = run("show", demo_file, 999, ok=False)
    assert result.exit_code != 0 and "no document named '999'" in result.output


def test_the_core_takes_ids_and_names_a_missing_one(demo_file):
    with Project.open(demo_file) as project:
        first = project.documents()[0]
        assert find(project, first.id).name == first.name
        with pytest.raises(WorkbenchError, match="no document with id 999 in"):
            show(project, 999)
