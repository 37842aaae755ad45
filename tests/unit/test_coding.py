"""Coding: applying and removing codes, retrieval, frequencies and co-occurrence on known spans."""

from __future__ import annotations

import pytest
from named import code_named, retrieve_named

from workbench import coding
from workbench.codebook import parse_codebook
from workbench.codebook.ops import install, resolve
from workbench.imports import import_files, link_participants
from workbench.model import WorkbenchError
from workbench.store import Project

CODEBOOK = """\
name: Tiny
codes:
  - name: Trust
    name_zh: 信任
    children:
      - name: Distrust
        name_zh: 不信任
  - name: Hukou
    name_zh: 户口
  - name: Networks
    name_zh: 网络
"""
EN = ("Interviewer: Do you trust the committee?\n"
      "Respondent: Yes. They helped with the hukou.\n"
      "Interviewer: And the broker?\n"
      "Respondent: I do not trust him. My cousin found him.")
ZH = ("采访者：你信任居委会吗？\n"
      "受访者：信任。他们帮我办了户口。\n"
      "采访者：那老乡呢？\n"
      "受访者：老乡之间互相帮忙。")


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "P1-en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "P2-zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "people.csv").write_text("id,city,gender\nP1,Yiwu,male\nP2,Chengdu,female\n", encoding="utf-8")
    with Project.create(tmp_path / "p.qda") as opened:
        install(opened, parse_codebook(CODEBOOK, "tiny.yaml"))
        assert all(o.status == "imported" for o in import_files(opened, sorted(tmp_path.glob("*.txt"))))
        link_participants(opened, tmp_path / "people.csv")
        yield opened


@pytest.fixture
def coded(project):
    """Known codings: Trust and Hukou overlap in one turn; Distrust and Networks in another."""
    for document, text, code, quote, coder in [
        ("P1-en.txt", EN, "Trust", "Yes. They helped", "lin"),
        ("P1-en.txt", EN, "Hukou", "helped with the hukou", "lin"),
        ("P1-en.txt", EN, "Distrust", "I do not trust him.", "sara"),
        ("P1-en.txt", EN, "Networks", "My cousin found him.", "sara"),
        ("P2-zh.txt", ZH, "Trust", "信任。", "lin"),
        ("P2-zh.txt", ZH, "户口", "办了户口", "lin"),
        ("P2-zh.txt", ZH, "网络", "老乡之间互相帮忙", "sara"),
    ]:
        code_named(project, document, code, *span(text, quote), coder)
    return project


# ------------------------------------------------------------------ apply/remove
def test_apply_code_stores_the_span_and_logs_it(project):
    start, end = span(EN, "trust the committee")
    coding_id = code_named(project, "P1-en.txt", "Trust", start, end, "lin")
    (stored,) = project.codings()
    assert (stored.id, stored.start, stored.end, stored.coder, stored.origin) == (coding_id, start, end, "lin", "manual")
    assert project.slice(stored.document_id, start, end) == "trust the committee"
    assert project.events(1)[0].action == "code apply"


def test_the_same_coding_by_the_same_coder_is_kept_once(project):
    first = code_named(project, "P1-en.txt", "Trust", 0, 5, "lin")
    assert code_named(project, "P1-en.txt", "信任", 0, 5, "lin") == first
    assert code_named(project, "P1-en.txt", "Trust", 0, 5, "sara") != first
    assert project.coding_count() == 2


def test_documents_and_codes_by_id(project):
    doc_id, code_id = project.document_id("P2-zh.txt"), resolve(project, "Hukou")
    code_named(project, doc_id, code_id, 0, 3, "lin")
    assert project.codings()[0].document_id == doc_id


@pytest.mark.parametrize(
    ("document", "code", "start", "end", "problem"),
    [
        ("P1-en.txt", "Trust", 0, 10_000, "outside document 'P1-en.txt'"),
        ("P1-en.txt", "Trust", -1, 5, "outside document"),
        ("P1-en.txt", "Trust", 5, 5, "the end must be after the start"),
        ("P1-en.txt", "Trust", 9, 5, "outside document"),
        ("P1", "Trust", 0, 5, "no document named 'P1' in p.qda (did you mean 'P1-en.txt'?)"),
        (999, "Trust", 0, 5, "no document with id 999"),
        ("P1-en.txt", "Nope", 0, 5, "no code named 'Nope'"),
        ("P1-en.txt", 999, 0, 5, "no code with id 999"),
    ],
)
def test_apply_code_refuses_what_cannot_be_coded(project, document, code, start, end, problem):
    with pytest.raises(WorkbenchError) as caught:
        code_named(project, document, code, start, end, "lin")
    assert problem in str(caught.value)
    assert project.coding_count() == 0


def test_remove_and_restore_a_coding(coded):
    target = coded.codings()[0]
    removed = coding.remove_coding(coded, target.id, "lin")
    assert removed == target and coded.coding(target.id) is None
    coding.restore_coding(coded, removed, "lin")
    assert coded.coding(target.id) == target
    with pytest.raises(WorkbenchError, match="no coding with id 12345"):
        coding.remove_coding(coded, 12345)


def test_codings_at_a_point_and_over_a_range(coded):
    start, _ = span(EN, "hukou")
    assert len(coding.codings_at(coded, coded.document_id("P1-en.txt"), 0, len(EN))) == 4
    at_hukou = coding.codings_at(coded, coded.document_id("P1-en.txt"), start, start)
    assert [resolve(coded, "Hukou")] == [c.code_id for c in at_hukou]
    helped, _ = span(EN, "helped")
    assert {c.code_id for c in coding.codings_at(coded, coded.document_id("P1-en.txt"), helped, helped)} == {
        resolve(coded, "Trust"), resolve(coded, "Hukou")}


# --------------------------------------------------------------------- retrieval
def test_retrieve_includes_sub_codes_with_speaker_case_and_coder(coded):
    segments = retrieve_named(coded, "Trust")
    assert [(s.document, s.text, s.code, s.coder, s.speaker, s.case) for s in segments] == [
        ("P1-en.txt", "Yes. They helped", "Trust", "lin", "Respondent", "P1"),
        ("P1-en.txt", "I do not trust him.", "Trust/Distrust", "sara", "Respondent", "P1"),  # the sub-code's path
        ("P2-zh.txt", "信任。", "Trust", "lin", "受访者", "P2"),
    ]
    assert [s.text for s in retrieve_named(coded, "Trust", with_descendants=False)] == ["Yes. They helped", "信任。"]


def test_retrieve_by_coder_and_attribute(coded):
    assert [s.text for s in retrieve_named(coded, "Trust", coders=["sara"])] == ["I do not trust him."]
    assert [s.text for s in retrieve_named(coded, "信任", where={"city": "chengdu"})] == ["信任。"]
    assert [s.document for s in retrieve_named(coded, "Networks", where={"gender": "male", "lang": "en"})] == [
        "P1-en.txt"]
    assert retrieve_named(coded, "Networks", where={"city": "Xiamen"}) == []


def test_parse_where():
    assert coding.parse_where(["city=Yiwu", " role = RC staff "]) == {"city": "Yiwu", "role": "RC staff"}
    for bad in ("city", "=Yiwu"):
        with pytest.raises(WorkbenchError, match="expected ATTRIBUTE=VALUE"):
            coding.parse_where([bad])


# ------------------------------------------------------------------- frequencies
def test_frequencies_by_document(coded):
    table = coding.frequencies(coded)
    assert dict(table["Trust"]) == {"P1-en.txt": 1, "P2-zh.txt": 1}
    assert dict(table["Trust/Distrust"]) == {"P1-en.txt": 1}
    assert dict(table["Networks"]) == {"P1-en.txt": 1, "P2-zh.txt": 1}
    assert dict(coding.frequencies(coded, with_descendants=True)["Trust"]) == {"P1-en.txt": 2, "P2-zh.txt": 1}


def test_frequencies_by_attribute_and_filtered(coded):
    assert dict(coding.frequencies(coded, by="city", with_descendants=True)["Trust"]) == {"Yiwu": 2, "Chengdu": 1}
    assert dict(coding.frequencies(coded, by="gender")["Hukou"]) == {"male": 1, "female": 1}
    filtered = coding.frequencies(coded, by="city", where={"city": "Yiwu"})
    assert dict(filtered["Hukou"]) == {"Yiwu": 1}
    assert dict(coding.frequencies(coded, by="religion")["Hukou"]) == {"(none)": 2}


# ------------------------------------------------------------------ co-occurrence
def test_cooccurrence_of_overlapping_spans(coded):
    counts = coding.cooccurrence(coded)
    assert dict(counts) == {("Hukou", "Trust"): 1}  # only "helped" is coded twice in P1


def test_cooccurrence_within_turns(coded):
    counts = coding.cooccurrence(coded, unit="turn")
    assert dict(counts) == {
        ("Hukou", "Trust"): 2,  # the second turn of each document
        ("Networks", "Trust/Distrust"): 1,  # the last turn of P1
    }
    assert dict(coding.cooccurrence(coded, unit="turn", coders=["sara"])) == {("Networks", "Trust/Distrust"): 1}


def test_cooccurrence_refuses_unknown_units(coded):
    with pytest.raises(WorkbenchError, match="unit 'page'"):
        coding.cooccurrence(coded, unit="page")


def test_a_segment_starting_on_a_speaker_label_belongs_to_that_turn(project):
    """Selecting a whole line from its first column includes the label: still that speaker."""
    from workbench import query

    start, end = span(ZH, "受访者：信任。他们帮我办了户口。")
    code_named(project, "P2-zh.txt", "Hukou", start, end, "lin")
    (segment,) = retrieve_named(project, "Hukou")
    assert segment.speaker == "受访者"
    (found,) = query.run(project, "Hukou")
    assert found.speaker == "受访者"
