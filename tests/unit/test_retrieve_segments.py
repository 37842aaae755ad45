"""Retrieval builds its segments straight from the store's one query: the same segments as the rows."""

from __future__ import annotations

from named import retrieve_named
from two_coded_documents import two_coded_documents

from workbench.store import Project


def test_retrieved_segments_match_the_store_rows_named_by_code_path(tmp_path) -> None:
    with Project.create(tmp_path / "p.qda") as project:
        ids = two_coded_documents(project, tmp_path)

        segments = retrieve_named(project, "Trust")
        rows = project.segment_rows([ids.trust, ids.distrust])
        assert [(s.coding_id, s.document_id, s.document, s.start, s.end, s.text, s.speaker, s.coder)
                for s in segments] == [(r.coding_id, r.document_id, r.document, r.start, r.end, r.text,
                                        r.speaker, r.coder) for r in rows]
        assert [s.code for s in segments] == ["Trust/Distrust", "Trust"]
        assert segments[0].codings == ((segments[0].coding_id, "Trust/Distrust", "sara"),)
        assert segments[0].matches == () and segments[0].text == "Not the broker"
        assert [s.code for s in retrieve_named(project, "Trust", with_descendants=False)] == ["Trust"]
        assert [s.coder for s in retrieve_named(project, "Trust", coders=["sara"])] == ["sara"]
        assert [s.document for s in retrieve_named(project, "Trust", where={"document": "B-second.txt"})] == [
            "B-second.txt"]
