"""A lead's project copied to two coders who each work alone: the project-merge tests' fixture."""

from __future__ import annotations

import shutil

import pytest
from named import code_named

from workbench.codebook.ops import add_code
from workbench.model import Code
from workbench.store import Project

P01 = "访谈者：你信任居委会吗？\n受访者：我很信任居委会。We trust them a lot.\n"


P02 = "Interviewer: Who helps you find work?\nRespondent: 老乡帮忙。Fellow villagers always help.\n"


def copies(folder, base, *names):
    """The base project copied into `folder` under each name, as a lead hands it to coders."""
    paths = [folder / name for name in names]
    for path in paths:
        shutil.copyfile(base, path)
    return paths


def snapshot(path):
    """What a user sees of a project: documents, codes, codings with coders, memos, cases."""
    from workbench.codebook.ops import paths_by_id

    with Project.open(path) as project:
        paths = paths_by_id(project)
        names = {row.id: row.name for row in project.documents()}
        return {
            "documents": sorted(names.values()),
            "codes": sorted(paths.values()),
            "codings": sorted((names[c.document_id], paths[c.code_id], c.coder, c.start, c.end)
                              for c in project.codings()),
            "memos": sorted((m.target, m.text, m.coder) for m in project.memos()),
            "cases": sorted((c.name, tuple(sorted(c.attributes.items()))) for c in project.cases()),
        }


@pytest.fixture
def team(tmp_path):
    """A lead's project copied to two coders, each of whom then works alone."""
    from workbench.imports import import_files

    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(P02, encoding="utf-8")
    base = tmp_path / "base.qda"
    with Project.create(base) as project:
        list(import_files(project, [tmp_path / "P01.txt"], "lead"))
        trust = add_code(project, Code("Trust", "信任"))
        add_code(project, Code("Distrust", "不信任"), trust)
    ana, ben = copies(tmp_path, base, "ana.qda", "ben.qda")
    at = P01.index("我很信任")
    with Project.open(ana) as project:
        code_named(project, "P01.txt", "Trust", at, at + 8, "ana")
        project_memo(project, "ana", "P01 trusts the committee")
    with Project.open(ben) as project:
        code_named(project, "P01.txt", "Trust", at + 2, at + 8, "ben")  # the same passage, ben's span
        list(import_files(project, [tmp_path / "P02.txt"], "ben"))
        networks = add_code(project, Code("Networks", "老乡网络", definition="Help from fellow villagers."))
        start = P02.index("老乡帮忙")
        code_named(project, "P02.txt", networks, start, start + 4, "ben")
        with project.transaction():
            case = project.upsert_case("P02", {"city": "Yiwu", "gender": "f"})
            project.set_document_case(project.document_id("P02.txt"), case)
    return ana, ben


def project_memo(project, coder, text):
    with project.transaction():
        project.add_memo("project", None, text, coder)
