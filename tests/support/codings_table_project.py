"""The codings-table tests' projects: two imported interviews (Chinese and English talk), no codes
yet; or one short English document with one code, for the table's edges."""

from __future__ import annotations

import csv
from pathlib import Path

P01 = ("访谈者：你信任居委会吗？\n"
       "受访者：我很信任居委会的王主任。她说：“有事找我”。\n"
       "Interviewer: And the police?\n"
       "Respondent: We don't trust the police,  they never  come. 我们不信任警察。\n")
P02 = ("Interviewer: Who helps you find work?\n"
       "Respondent: 老乡帮忙。老乡 always helps. My cousin said \"come to Yiwu\".\n")


def two_interviews(tmp_path: Path) -> Path:
    from workbench.imports import import_files
    from workbench.store import Project

    (tmp_path / "P01-yiwu.txt").write_text(P01, encoding="utf-8")
    (tmp_path / "P02-trader.txt").write_text(P02, encoding="utf-8")
    path = tmp_path / "team.qda"
    with Project.create(path) as project:
        list(import_files(project, [tmp_path / "P01-yiwu.txt", tmp_path / "P02-trader.txt"], "lead"))
    return path


def write_csv(path, rows, bom=False):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


ONE_LINE = "I trust my family. Work is hard. My boss lies."


def one_document_one_code(tmp_path: Path) -> Path:
    """P01.txt holding ONE_LINE (no turns) and a code Trust."""
    from workbench.model import Code
    from workbench.store import Project

    path = tmp_path / "p.qda"
    with Project.create(path) as created, created.transaction():
        created.add_document(name="P01.txt", text=ONE_LINE, sha256="x", lang="en", encoding="utf-8",
                             format="txt", source_path="P01.txt", turns=[], index_bodies=[])
        created.add_code(Code(name="Trust"), None)
    return path
