"""The store's segment rows: each coding of the asked codes with its document, speaker, case and code."""

from __future__ import annotations

from two_coded_documents import ANSWER, two_coded_documents

from workbench.store import Project


def test_rows_carry_the_code_that_applied_in_document_then_start_order(tmp_path) -> None:
    with Project.create(tmp_path / "p.qda") as project:
        ids = two_coded_documents(project, tmp_path)
        trust, distrust, hukou = ids.trust, ids.distrust, ids.hukou
        project.add_coding(ids.first, trust, 0, 11, "lin")

        rows = project.segment_rows([trust, distrust])
        assert [(r.document, r.start, r.code_id, r.code) for r in rows] == [
            ("A-first.txt", 0, trust, "Trust"), ("A-first.txt", ANSWER, distrust, "Distrust"),
            ("B-second.txt", 0, trust, "Trust"),
        ]
        assert [r.speaker for r in rows] == ["Interviewer", "Respondent", "Interviewer"]
        assert rows[1].text == "Not the broker" and rows[1].coder == "sara" and rows[1].origin == "manual"
        assert [r.coder for r in project.segment_rows([trust, distrust], coders=["sara"])] == ["sara"]
        assert project.segment_rows([]) == []
        assert project.segment_rows([hukou])[0].code_id == hukou
