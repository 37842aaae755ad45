"""The store's segment rows: each coding of the asked codes with its document, speaker, case and code."""

from __future__ import annotations

from workbench.codebook import parse_codebook
from workbench.codebook.ops import install, resolve
from workbench.imports import import_files
from workbench.store import Project

CODEBOOK = "name: t\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n  - name: Hukou\n"
TEXT = "Interviewer: Do you trust them?\nRespondent: Not the broker. The office, yes.\n"


def test_rows_carry_the_code_that_applied_in_document_then_start_order(tmp_path) -> None:
    for name in ("B-second.txt", "A-first.txt"):  # the same words, told apart by a last line
        (tmp_path / name).write_text(TEXT + name, encoding="utf-8")
    with Project.create(tmp_path / "p.qda") as project:
        install(project, parse_codebook(CODEBOOK, "t.yaml"))
        list(import_files(project, sorted(tmp_path.glob("*.txt"))))
        trust, distrust, hukou = (resolve(project, n) for n in ("Trust", "Trust/Distrust", "Hukou"))
        first, second = project.document_id("A-first.txt"), project.document_id("B-second.txt")
        answer = TEXT.index("Not")
        project.add_coding(second, trust, 0, 11, "lin")
        project.add_coding(first, distrust, answer, answer + 14, "sara")
        project.add_coding(first, trust, 0, 11, "lin")
        project.add_coding(first, hukou, 2, 5, "lin")

        rows = project.segment_rows([trust, distrust])
        assert [(r.document, r.start, r.code_id, r.code) for r in rows] == [
            ("A-first.txt", 0, trust, "Trust"), ("A-first.txt", answer, distrust, "Distrust"),
            ("B-second.txt", 0, trust, "Trust"),
        ]
        assert [r.speaker for r in rows] == ["Interviewer", "Respondent", "Interviewer"]
        assert rows[1].text == "Not the broker" and rows[1].coder == "sara" and rows[1].origin == "manual"
        assert [r.coder for r in project.segment_rows([trust, distrust], coders=["sara"])] == ["sara"]
        assert project.segment_rows([]) == []
        assert project.segment_rows([hukou])[0].code_id == hukou
