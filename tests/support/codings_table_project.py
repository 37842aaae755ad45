"""The codings-table tests' project: two imported interviews (Chinese and English talk), no codes yet."""

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
