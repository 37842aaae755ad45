"""Issue 20, item 5: importing a .qdpx does not bring back what was deleted here, nor erase the record."""

from __future__ import annotations

from reliability_worker import copy_project

from workbench.codebook.ops import delete_code, resolve
from workbench.coding import remove_coding
from workbench.documents import delete
from workbench.exchange import export_project, import_file
from workbench.store import Project


def test_deleted_document_coding_code_and_memo_stay_deleted(demo_file, tmp_path):
    exported = tmp_path / "demo.qdpx"
    with Project.open(demo_file) as project:
        export_project(project, exported)
    copy = tmp_path / "copy.qda"
    copy_project(demo_file, copy)
    with Project.open(copy) as project:
        document = project.documents()[0]
        guids = {project.guid_of("document", document.id)}
        delete(project, document.id, "lin")
        kept = [c for c in project.codings() if c.coder == "sara"]
        coding = next(c for c in kept if not project.memos("coding") or all(
            m.target_id != c.id for m in project.memos("coding")))
        guids.add(project.guid_of("coding", coding.id))
        remove_coding(project, coding.id, "sara")
        memo = project.memos("coding")[0]
        guids.add(project.guid_of("memo", memo.id))
        project.delete_memo(memo.id, "lin")
        code_id = resolve(project, "Informal networks/Hometown and kin ties")
        delete_code(project, code_id, remove_codings=True, coder="lin")
        before = {"documents": len(project.documents()), "codings": project.coding_count(),
                  "memos": len(project.memos()), "codes": project.code_count()}
        deletions = {row["guid"] for row in project.deletions()}

        summary = import_file(project, exported)

        after = {"documents": len(project.documents()), "codings": project.coding_count(),
                 "memos": len(project.memos()), "codes": project.code_count()}
        assert after == before
        assert (summary.documents, summary.codings, summary.codes, summary.memos) == (0, 0, 0, 0)
        assert {row["guid"] for row in project.deletions()} == deletions
        assert guids <= deletions
        assert any(line.startswith("deleted in this project, so not brought back:") for line in summary.report)
        assert project.document_id(document.name) is None


def test_a_codebook_file_does_not_bring_back_a_deleted_code(demo_copy, tmp_path):
    from workbench.exchange import export_codebook

    book = tmp_path / "book.qdc"
    with Project.open(demo_copy) as project:
        export_codebook(project, book)
        code_id = resolve(project, "Informal networks/Hometown and kin ties")
        guid = project.guid_of("code", code_id)
        delete_code(project, code_id, remove_codings=True, coder="lin")
        count = project.code_count()
        summary = import_file(project, book)
        assert summary.codes == 0 and project.code_count() == count
        assert project.is_deleted(guid)
        assert summary.report == ("deleted in this project, so not brought back: 1 codes",)
