"""Importers on files built here: each format, positions after normalisation, hostile files."""

from __future__ import annotations

import codecs
import csv
import unicodedata
import zipfile
from pathlib import Path

import pytest
from named import code_named, retrieve_named
from reliability_worker import project_digest

from workbench.codebook.ops import add_code
from workbench.importers import read_file
from workbench.imports import import_files, link_participants
from workbench.model import Code, WorkbenchError
from workbench.store import Project

ZH_INTERVIEW = (
    "采访者：你好，谢谢你抽时间。请先介绍一下你自己。\n"
    "受访者：好的。我是从江西来的，在义乌做外贸十几年了。我们老乡之间互相信任。\n"
    "采访者：刚来的时候，谁帮你找的房子？\n"
    "受访者：是一个老乡介绍的中介，我们都相信他。\n"
)
HANT_INTERVIEW = (
    "訪談者：您好，謝謝您抽時間。\n"
    "受訪者：我從臺中來，在這裡做生意很多年了。鄉親之間互相信任。\n"
)
EN_INTERVIEW = (
    "Interviewer: How did you come to Yiwu?\n"
    "Respondent: My cousin was already here. We trust each other, so I came.\n"
)


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "project.qda") as opened:
        yield opened


def import_one(project: Project, path: Path):
    (outcome,) = list(import_files(project, [path], coder="tester"))
    return outcome


def stored(project: Project, name: str):
    return project.document(project.document_id(name))


def speakers_and_bodies(project: Project, name: str) -> list[tuple[str | None, str]]:
    document = stored(project, name)
    return [(t.speaker, document.text[t.start:t.end]) for t in project.turns(document.id)]


# ------------------------------------------------------------------------ builders
def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        figure = plt.figure(figsize=(8.5, 11))
        for number, line in enumerate(lines):
            figure.text(0.08, 0.92 - number * 0.04, line, fontsize=10)
        pdf.savefig(figure)
        plt.close(figure)
    return path


def make_xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def make_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


# ------------------------------------------------------------------ each importer
@pytest.mark.parametrize(
    ("text", "codec", "encoding"),
    [
        (ZH_INTERVIEW, "gb18030", "gb18030"),
        (HANT_INTERVIEW, "big5", "big5"),
        (ZH_INTERVIEW, "utf-16-le", "utf-16-le"),
        (ZH_INTERVIEW, "utf-16-be", "utf-16-be"),
        (EN_INTERVIEW, "utf-16-le", "utf-16-le"),
    ],
    ids=["gb18030", "big5", "utf16le", "utf16be", "utf16le-en"],
)
def test_text_transcripts_in_legacy_and_utf16_encodings(project, tmp_path, text, codec, encoding):
    path = tmp_path / "interview.txt"
    path.write_bytes(text.encode(codec))
    outcome = import_one(project, path)
    assert outcome.status == "imported", outcome.message
    document = stored(project, "interview.txt")
    assert document.text == text
    assert document.encoding == encoding
    speakers = [speaker for speaker, _ in speakers_and_bodies(project, "interview.txt")]
    assert len(speakers) == text.count("\n") and None not in speakers


def test_utf16_with_bom_and_crlf(project, tmp_path):
    path = tmp_path / "bom16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + ZH_INTERVIEW.replace("\n", "\r\n").encode("utf-16-le"))
    import_one(project, path)
    document = stored(project, "bom16.txt")
    assert document.text == ZH_INTERVIEW
    assert document.encoding == "utf-16-le (BOM)"
    assert document.lang == "zh"


def test_markdown_is_text(project, tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("**Interviewer:** Hello.\n**Respondent:** We trust the committee.\n", encoding="utf-8")
    import_one(project, path)
    assert stored(project, "notes.md").format == "md"
    assert speakers_and_bodies(project, "notes.md") == [("Interviewer", "Hello."),
                                                          ("Respondent", "We trust the committee.")]


def test_docx_paragraphs_and_tables(project, tmp_path):
    path = make_docx(
        tmp_path / "interview.docx",
        ["采访者：你好。", "受访者：我们老乡互相信任。", "Interviewer: Thank you."],
        table=[["Date", "2024-05-01"], ["Place", "Yiwu"]],
    )
    outcome = import_one(project, path)
    assert outcome.status == "imported", outcome.message
    document = stored(project, "interview.docx")
    assert document.format == "docx"
    assert document.text.startswith("采访者：你好。\n受访者：我们老乡互相信任。\nInterviewer: Thank you.")
    assert "Date\t2024-05-01\nPlace\tYiwu" in document.text
    assert speakers_and_bodies(project, "interview.docx")[:2] == [("采访者", "你好。"), ("受访者", "我们老乡互相信任。")]
    assert document.lang == "mixed"


def test_pdf_with_a_text_layer(project, tmp_path):
    path = make_pdf(tmp_path / "interview.pdf", [
        "Interviewer: How did you find work here?",
        "Respondent: Through my cousin, we trust each other.",
    ])
    from pypdf import PdfReader

    assert "trust each other" in PdfReader(str(path)).pages[0].extract_text()  # the fixture is sound
    outcome = import_one(project, path)
    assert outcome.status == "imported", outcome.message
    assert speakers_and_bodies(project, "interview.pdf") == [
        ("Interviewer", "How did you find work here?"),
        ("Respondent", "Through my cousin, we trust each other."),
    ]


def test_pdf_without_text_is_refused_as_a_scan(project, tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [])
    outcome = import_one(project, path)
    assert outcome.status == "failed"
    assert "scan.pdf" in outcome.message and "no text layer" in outcome.message


def test_vtt_voices_become_speakers_with_media_times(project, tmp_path):
    path = tmp_path / "interview.vtt"
    path.write_text(
        "WEBVTT\n\nNOTE recorded in Dongguan\n\n"
        "00:01.000 --> 00:04.000\n<v Interviewer>How long have you been here?</v>\n\n"
        "cue-2\n00:00:05.000 --> 00:00:09.500 align:start\n<v.loud Li Wei>Ten years, <i>more or less</i>.\n"
        "We trust the neighbours.\n\n"
        "00:00:10.000 --> 00:00:12.000\n<v 王芳>我们老乡很多。\n",
        encoding="utf-8",
    )
    outcome = import_one(project, path)
    assert outcome.status == "imported", outcome.message
    document = stored(project, "interview.vtt")
    assert document.format == "vtt"
    turns = project.turns(document.id)
    assert [(t.speaker, document.text[t.start:t.end], t.t_start_ms, t.t_end_ms) for t in turns] == [
        ("Interviewer", "How long have you been here?", 1000, 4000),
        ("Li Wei", "Ten years, more or less. We trust the neighbours.", 5000, 9500),
        ("王芳", "我们老乡很多。", 10000, 12000),
    ]
    assert "<" not in document.text


def test_srt_with_speaker_prefixes(project, tmp_path):
    path = tmp_path / "interview.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Hello there.\n\n"
        "2\n00:00:05,000 --> 00:00:09,500\n受访者：你好，我们老乡很多。\n",
        encoding="utf-8",
    )
    import_one(project, path)
    document = stored(project, "interview.srt")
    turns = project.turns(document.id)
    assert [(t.speaker, document.text[t.start:t.end], t.t_start_ms) for t in turns] == [
        ("Interviewer", "Hello there.", 1000), ("受访者", "你好，我们老乡很多。", 5000)]


def test_csv_of_open_answers_gives_a_document_and_case_per_row(project, tmp_path):
    path = make_csv(tmp_path / "survey.csv", [
        ["id", "city", "answer"],
        ["R1", "Yiwu", "I trust my neighbours because they helped me when I arrived."],
        ["R2", "Chengdu", "我们老乡之间互相信任，有事就找他们帮忙。"],
        ["R3", "Chengdu", ""],
    ], encoding="gb18030")
    outcome = import_one(project, path)
    assert outcome.documents == ("survey.csv#R1", "survey.csv#R2")
    assert stored(project, "survey.csv#R2").text == "我们老乡之间互相信任，有事就找他们帮忙。"
    cases = {case.name: case.attributes for case in project.cases()}
    assert cases == {"R1": {"city": "Yiwu"}, "R2": {"city": "Chengdu"}}


def test_xlsx_with_two_answer_columns(project, tmp_path):
    path = make_xlsx(tmp_path / "survey.xlsx", [
        ["respondent", "gender", "q1 answer", "q2 answer"],
        ["R9", "f", "Short answer about trust.", "第二个回答，关于老乡。"],
        ["R10", None, None, "only the second question"],
    ])
    import_one(project, path)
    assert speakers_and_bodies(project, "survey.xlsx#R9") == [
        ("q1 answer", "Short answer about trust."), ("q2 answer", "第二个回答，关于老乡。")]
    assert speakers_and_bodies(project, "survey.xlsx#R10") == [("q2 answer", "only the second question")]
    assert {c.name: c.attributes for c in project.cases()} == {"R9": {"gender": "f"}, "R10": {}}


def test_participants_table_links_cases_to_documents(project, tmp_path):
    for name, text in (("P01-trader.txt", EN_INTERVIEW), ("P02-broker.txt", ZH_INTERVIEW),
                       ("focus-group.txt", "Moderator: Hello.\nP03: Hi.\nP04: 你好。")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        import_one(project, tmp_path / name)
    people = make_csv(tmp_path / "participants.csv", [
        ["id", "document", "city", "role"],
        ["P01", "", "Yiwu", "trader"],  # linked by the id at the start of the file name
        ["P02", "P02-broker.txt", "Yiwu", "broker"],
        ["P03", "focus-group.txt", "Yiwu", "trader"],
        ["P04", "focus-group.txt", "Yiwu", "official"],
        ["P05", "", "Xiamen", "volunteer"],
    ])
    message = link_participants(project, people)
    assert "5 participants, 3 documents linked" in message and "P05" in message
    by_document = {row.name: row.case for row in project.documents()}
    assert by_document == {"P01-trader.txt": "P01", "P02-broker.txt": "P02", "focus-group.txt": "focus-group"}
    group = {c.name: c.attributes for c in project.cases()}["focus-group"]
    assert group == {"city": "Yiwu", "members": "P03, P04"}  # what the members share


def test_read_file_touches_no_database(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(EN_INTERVIEW, encoding="utf-8")
    (parsed,) = read_file(path)
    assert parsed.name == "a.txt" and parsed.lang == "en" and len(parsed.turns) == 2


# ----------------------------------------------------- positions survive normalisation
def test_a_coding_after_crlf_and_bom_slices_to_the_intended_quote(project, tmp_path):
    raw = ("Interviewer: Why Yiwu?\r\nRespondent: My cousin was here.\r\n"
           "We trust each other, 我们互相信任。\r\nInterviewer: Thanks.\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(codecs.BOM_UTF8 + raw.encode("utf-8"))
    import_one(project, path)
    document = stored(project, "crlf.txt")
    assert "\r" not in document.text and not document.text.startswith("\ufeff")
    add_code(project, Code("Trust"))
    quote = "We trust each other, 我们互相信任。"
    start = document.text.index(quote)
    code_named(project, "crlf.txt", "Trust", start, start + len(quote), "tester")
    assert project.slice(document.id, start, start + len(quote)) == quote
    (segment,) = retrieve_named(project, "Trust")
    assert segment.text == quote and segment.speaker == "Respondent"


def test_decomposed_text_is_composed_and_astral_characters_count_once(project, tmp_path):
    raw = "Interviewer: Tell me 😀 about 𠀀 the cafe\u0301.\nRespondent: The cafe\u0301 owner, 老乡, we trust him.\n"
    path = tmp_path / "nfd.txt"
    path.write_bytes(codecs.BOM_UTF8 + raw.replace("\n", "\r\n").encode("utf-8"))
    import_one(project, path)
    document = stored(project, "nfd.txt")
    assert document.text == unicodedata.normalize("NFC", raw)
    add_code(project, Code("Trust"))
    quote = "The café owner, 老乡, we trust him."
    start = document.text.index(quote)
    code_named(project, "nfd.txt", "Trust", start, start + len(quote), "tester")
    assert project.slice(document.id, start, start + len(quote)) == quote
    assert retrieve_named(project, "Trust")[0].text == quote
    assert project.document_length(document.id) == len(document.text)


def test_turn_offsets_index_the_stored_text_for_every_format(project, tmp_path):
    make_docx(tmp_path / "a.docx", ["Interviewer:\tHello.", "受访者：你好。"])
    (tmp_path / "b.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>x y\n", encoding="utf-8")
    make_csv(tmp_path / "c.csv", [["id", "answer", "comment"], ["1", "yes \r\n indeed", "café\u0301"]])
    for outcome in import_files(project, sorted(tmp_path.glob("[abc].*"))):
        assert outcome.status == "imported", outcome.message
    for row in project.documents():
        text = stored(project, row.name).text
        assert text == unicodedata.normalize("NFC", text) and "\r" not in text
        for turn in project.turns(row.id):
            body = text[turn.start:turn.end]
            assert body == body.strip() and body


# ----------------------------------------------------------------- hostile inputs
def _binary(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _whitespace(path: Path) -> Path:
    path.write_text("  \r\n\r\n\t \n", encoding="utf-8")
    return path


def _huge(path: Path) -> Path:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk and no time
    return path


def _truncated_docx(path: Path) -> Path:
    make_docx(path, ["Interviewer: Hello.", "Respondent: Hi."])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_not_docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return path


def _damaged_xlsx(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    return path


def _duplicate_ids(path: Path) -> Path:
    return make_csv(path, [["id", "answer"], ["R1", "I trust them a lot."], ["R1", "Something else here."]])


def _no_cues(path: Path) -> Path:
    path.write_text("WEBVTT\n\nNOTE nothing here\n", encoding="utf-8")
    return path


def _missing(path: Path) -> Path:
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


HOSTILE = {
    "binary": ("photo.txt", _binary, "binary"),
    "empty": ("empty.txt", _empty, "empty"),
    "whitespace": ("blank.txt", _whitespace, "no text"),
    "50MB": ("huge.txt", _huge, "over the import limit"),
    "huge-docx": ("huge.docx", _huge, "over the import limit"),
    "truncated-docx": ("broken.docx", _truncated_docx, "not a readable .docx"),
    "zip-not-docx": ("other.docx", _zip_not_docx, "not a readable .docx"),
    "damaged-xlsx": ("broken.xlsx", _damaged_xlsx, "not a readable .xlsx"),
    "duplicate-ids": ("survey.csv", _duplicate_ids, "appears twice"),
    "vtt-without-cues": ("empty.vtt", _no_cues, "no subtitle cues"),
    "missing": ("nowhere.txt", _missing, "no such file"),
    "folder": ("folder.txt", _folder, "folder"),
    "unknown-suffix": ("report.doc", _binary, "cannot import .doc"),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_file_fails_in_one_line_and_leaves_the_project_as_it_was(project, tmp_path, case):
    name, build, problem = case
    good = tmp_path / "good.txt"
    good.write_text(EN_INTERVIEW, encoding="utf-8")
    import_one(project, good)
    add_code(project, Code("Trust"))
    code_named(project, "good.txt", "Trust", 0, 5, "tester")
    before = project_digest(project.conn)
    outcome = import_one(project, build(tmp_path / name))
    assert outcome.status == "failed"
    assert name in outcome.message
    assert problem in outcome.message
    assert "\n" not in outcome.message
    assert project_digest(project.conn) == before


def test_a_failed_file_does_not_stop_the_others(project, tmp_path):
    paths = [tmp_path / "a.txt", _empty(tmp_path / "b.txt"), tmp_path / "c.txt"]
    paths[0].write_text(EN_INTERVIEW, encoding="utf-8")
    paths[2].write_text(ZH_INTERVIEW, encoding="utf-8")
    statuses = [outcome.status for outcome in import_files(project, paths)]
    assert statuses == ["imported", "failed", "imported"]
    assert [row.name for row in project.documents()] == ["a.txt", "c.txt"]


def test_one_file_is_one_transaction(project, tmp_path, monkeypatch):
    path = make_csv(tmp_path / "survey.csv", [["id", "answer"], ["R1", "first answer"], ["R2", "second answer"]])
    before = project_digest(project.conn)
    real = Project.add_document
    calls = []

    def failing_second(self, **kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise WorkbenchError("survey.csv: disk full (simulated)")
        return real(self, **kwargs)

    monkeypatch.setattr(Project, "add_document", failing_second)
    outcome = import_one(project, path)
    assert outcome.status == "failed" and calls == ["survey.csv#R1", "survey.csv#R2"]
    assert project_digest(project.conn) == before  # the first row did not stay behind


def test_cancelled_import_stops_before_the_next_file(project, tmp_path):
    paths = []
    for name in ("a.txt", "b.txt"):
        paths.append(tmp_path / name)
        paths[-1].write_text(f"Interviewer: {name}\nRespondent: yes.", encoding="utf-8")
    done = []
    for outcome in import_files(project, paths, cancelled=lambda: bool(done)):
        done.append(outcome)
    assert [o.status for o in done] == ["imported"]
    assert project.document_id("b.txt") is None


# ----------------------------------------------------------------------- re-import
def test_reimporting_an_identical_file_is_a_no_op_with_a_message(project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + EN_INTERVIEW.encode("utf-8"))
    import_one(project, path)
    before = project_digest(project.conn)
    again = tmp_path / "copy-in-utf16.txt"  # the same text, other bytes and name: still identical
    again.write_bytes(codecs.BOM_UTF16_LE + EN_INTERVIEW.replace("\n", "\r\n").encode("utf-16-le"))
    for target in (path, again):
        outcome = import_one(project, target)
        assert outcome.status == "skipped"
        assert "already imported as a.txt" in outcome.message and target.name in outcome.message
    assert project_digest(project.conn) == before


def test_the_same_name_with_different_text_is_refused(project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(EN_INTERVIEW, encoding="utf-8")
    import_one(project, path)
    before = project_digest(project.conn)
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text(EN_INTERVIEW + "Interviewer: One more thing.\n", encoding="utf-8")
    outcome = import_one(project, other / "a.txt")
    assert outcome.status == "failed"
    assert "already has a document named 'a.txt'" in outcome.message
    assert project_digest(project.conn) == before
