"""Retrieval builds its segments straight from the store's one query: the same segments as the rows."""

from __future__ import annotations

from workbench import coding
from workbench.codebook import parse_codebook
from workbench.codebook.ops import install, resolve
from workbench.imports import import_files
from workbench.store import Project

CODEBOOK = "name: t\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n  - name: Hukou\n"
TEXT = "Interviewer: Do you trust them?\nRespondent: Not the broker. The office, yes.\n"


def test_retrieved_segments_match_the_store_rows_named_by_code_path(tmp_path) -> None:
    for name in ("B-second.txt", "A-first.txt"):
        (tmp_path / name).write_text(TEXT + name, encoding="utf-8")
    with Project.create(tmp_path / "p.qda") as project:
        install(project, parse_codebook(CODEBOOK, "t.yaml"))
        list(import_files(project, sorted(tmp_path.glob("*.txt"))))
        trust, distrust, hukou = (resolve(project, n) for n in ("Trust", "Trust/Distrust", "Hukou"))
        first, second = project.document_id("A-first.txt"), project.document_id("B-second.txt")
        answer = TEXT.index("Not")
        project.add_coding(second, trust, 0, 11, "lin")
        project.add_coding(first, distrust, answer, answer + 14, "sara")
        project.add_coding(first, hukou, 2, 5, "lin")

        segments = coding.retrieve(project, "Trust")
        rows = project.segment_rows([trust, distrust])
        assert [(s.coding_id, s.document_id, s.document, s.start, s.end, s.text, s.speaker, s.coder)
                for s in segments] == [(r.coding_id, r.document_id, r.document, r.start, r.end, r.text,
                                        r.speaker, r.coder) for r in rows]
        assert [s.code for s in segments] == ["Trust/Distrust", "Trust"]
        assert segments[0].codings == ((segments[0].coding_id, "Trust/Distrust", "sara"),)
        assert segments[0].matches == () and segments[0].text == "Not the broker"
        assert [s.code for s in coding.retrieve(project, "Trust", with_descendants=False)] == ["Trust"]
        assert [s.coder for s in coding.retrieve(project, "Trust", coders=["sara"])] == ["sara"]
        assert [s.document for s in coding.retrieve(project, "Trust", where={"document": "B-second.txt"})] == [
            "B-second.txt"]
