"""Fuzzed imports: random bytes, random encodings, random speaker labels, damaged Office and PDF
files. Each gives documents that hold together or the project's own one-line error, and an
import that fails leaves the project byte for byte as it was."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from fuzz_settings import EXAMPLES, FUZZ
from fuzz_transcripts import labelled_transcripts, transcript_text
from hypothesis import given, settings
from hypothesis import strategies as st
from reliability_worker import project_digest

from workbench.importers import MAX_TURNS, ParsedDocument, read_file
from workbench.importers.turns import parse_turns
from workbench.imports import import_files
from workbench.model import WorkbenchError
from workbench.store import Project
from workbench.text.normalize import normalize, sha256

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on damaged parts
TEXT_SUFFIXES = (".txt", ".md", ".srt", ".vtt", ".csv", ".tsv")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "big5",
             "cp1252", "latin-1", "shift_jis", "euc-kr", "koi8-r", "utf-7", "cp437")


@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory(prefix="fuzz-import-") as folder:
        yield Path(folder)


def _one_line(error: WorkbenchError, name: str) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message
    assert name in message, f"the error does not name the file: {message}"


def _check_document(doc: ParsedDocument) -> None:
    """What the store relies on: whole text, a fingerprint of it, turns inside it and in order."""
    assert isinstance(doc.text, str) and doc.text.strip()
    doc.text.encode("utf-8")  # no lone surrogates: SQLite and sha256 need real text
    assert doc.text == normalize(doc.text)
    assert doc.sha256 == sha256(doc.text)
    assert len(doc.turns) <= MAX_TURNS
    previous_end = 0
    for index, turn in enumerate(doc.turns):
        assert turn.idx == index
        assert 0 <= turn.start <= turn.end <= len(doc.text)
        assert turn.start >= previous_end, "turns overlap"
        previous_end = turn.end
        if turn.speaker is not None:
            assert turn.speaker.strip() and "\n" not in turn.speaker


def _read(scratch: Path, name: str, data: bytes) -> list[ParsedDocument] | None:
    path = scratch / name
    path.write_bytes(data)
    try:
        documents = read_file(path)
    except WorkbenchError as error:
        _one_line(error, name)
        return None
    assert documents
    for doc in documents:
        _check_document(doc)
    return documents


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(TEXT_SUFFIXES))
def test_random_bytes_give_documents_or_a_one_line_error(scratch, data, suffix):
    _read(scratch, "random" + suffix, data)


@FUZZ
@given(text=st.text(max_size=600), encoding=st.sampled_from(ENCODINGS), suffix=st.sampled_from(TEXT_SUFFIXES))
def test_random_text_in_random_encodings(scratch, text, encoding, suffix):
    try:
        data = text.encode(encoding)
    except (UnicodeEncodeError, UnicodeDecodeError):
        data = text.encode(encoding, errors="replace") if encoding != "utf-7" else text.encode("utf-8", "replace")
    _read(scratch, "encoded" + suffix, data)


@FUZZ
@given(text=transcript_text(1, 400),
       encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-32")))
def test_unicode_encodings_give_back_exactly_the_text(scratch, text, encoding):
    """UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are read without guessing."""
    documents = _read(scratch, "exact.txt", text.encode(encoding))
    if not normalize(text).strip():
        assert documents is None
    else:
        assert documents is not None and documents[0].text == normalize(text)


@FUZZ
@given(raw=labelled_transcripts())
def test_speaker_labels_turns_cover_every_word(raw):
    """Turns never overlap, stay inside the text, and lose no word: outside every turn there
    is only white space and the speaker labels themselves."""
    text = normalize(raw)
    turns = parse_turns(text)
    covered = bytearray(len(text))
    previous_end = 0
    for turn in turns:
        assert 0 <= turn.start <= turn.end <= len(text) and turn.start >= previous_end
        previous_end = turn.end
        covered[turn.start:turn.end] = b"\x01" * (turn.end - turn.start)
    starts = sorted(t.start for t in turns)
    for index, char in enumerate(text):
        if covered[index] or char.isspace():
            continue
        following = next((s for s in starts if s > index), None)
        assert following is not None, f"{text[index:index + 20]!r} at {index}: text after the last turn"
        rest = text[index:following].rstrip()  # a label may stand on a line of its own
        line = text[text.rfind("\n", 0, index) + 1:index + len(rest)]
        assert "\n" not in rest and (":" in line or "：" in line), (
            f"{text[index:index + 20]!r} at {index} is in no turn and is not a speaker label")


@FUZZ
@given(raw=labelled_transcripts(), encoding=st.sampled_from(("utf-8", "utf-16", "gb18030")))
def test_labelled_transcripts_import_whole(scratch, raw, encoding):
    try:
        data = raw.encode(encoding)
    except UnicodeEncodeError:
        data = raw.encode("utf-8")
        encoding = "utf-8"
    documents = _read(scratch, "labelled.txt", data)
    if normalize(raw).strip():
        assert documents is not None, "a transcript with text was refused"
        if encoding != "gb18030":  # read without guessing: the text comes back unchanged
            assert documents[0].text == normalize(raw)


# ------------------------------------------------------------------ damaged binary formats
def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: When did you come to Yiwu?")
    document.add_paragraph("Respondent: 2009. 我们刚来的时候谁也不认识。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Q", "A"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "city", "answer"])
    sheet.append(["P01", "Yiwu", "The neighbourhood committee helped us with the school registration."])
    sheet.append(["P02", "成都", "社区居委会帮了很多忙，孩子上学的问题一直很难解决。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf_bytes() -> bytes:
    """A one-page PDF with a text layer, written by hand with a correct cross-reference table."""
    stream = b"BT /F1 12 Tf 72 720 Td (Interviewer: When did you arrive?) Tj 0 -16 Td (Respondent: In 2009.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


SAMPLES = {".docx": _docx_bytes, ".xlsx": _xlsx_bytes, ".pdf": _pdf_bytes}


@st.composite
def damaged(draw, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(("flip", "flip", "splice", "truncate", "zero")))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif action == "truncate":
            del data[at:]
        elif action == "zero":
            data[at:at + 64] = bytes(len(data[at:at + 64]))
    return bytes(data)


@st.composite
def damaged_zip_member(draw, original: bytes) -> bytes:
    """Damage one XML part inside an intact zip: the XML parsers see the garbage."""
    source = zipfile.ZipFile(io.BytesIO(original))
    names = [info.filename for info in source.infolist()]
    victim = draw(st.sampled_from(names))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            content = source.read(name)
            if name == victim:
                content = draw(damaged(content)) if draw(st.booleans()) else draw(st.binary(max_size=200))
            target.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
def test_intact_samples_import(scratch, suffix):
    documents = _read(scratch, "intact" + suffix, SAMPLES[suffix]())
    assert documents and any("2009" in doc.text or "neighbourhood" in doc.text for doc in documents)


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
def test_damaged_binary_files_give_documents_or_a_one_line_error(scratch, suffix):
    original = SAMPLES[suffix]()

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
    @given(data=damaged(original) | st.binary(max_size=400))
    def check(data):
        _read(scratch, "damaged" + suffix, data)

    check()


@pytest.mark.parametrize("suffix", (".docx", ".xlsx"))
def test_damaged_parts_inside_office_files(scratch, suffix):
    original = SAMPLES[suffix]()

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
    @given(data=damaged_zip_member(original))
    def check(data):
        _read(scratch, "parts" + suffix, data)

    check()


# ------------------------------------------------------------------- through the project
def test_fuzzed_imports_are_whole_or_leave_the_project_unchanged(tmp_path):
    project_path = tmp_path / "fuzz.qda"
    Project.create(project_path).close()
    counter = iter(range(10**9))

    @settings(FUZZ, max_examples=max(20, EXAMPLES // 2))
    @given(data=st.binary(max_size=1500) | labelled_transcripts().map(lambda t: t.encode("utf-8")),
           suffix=st.sampled_from((".txt", ".srt", ".csv", ".docx", ".pdf")))
    def check(data, suffix):
        path = tmp_path / f"file{next(counter)}{suffix}"
        path.write_bytes(data)
        before = project_digest(project_path)
        with Project.open(project_path) as project:
            documents_before = len(project.documents())
            outcome, = list(import_files(project, [path], coder="fuzz"))
            if outcome.status == "failed":
                assert "\n" not in outcome.message and path.name in outcome.message
            elif outcome.status == "imported":
                assert len(project.documents()) == documents_before + len(outcome.documents)
                for name in outcome.documents:
                    stored = project.document(project.document_id(name))
                    assert sha256(stored.text) == stored.sha256
                assert project.integrity_ok()
        if outcome.status != "imported":
            assert project_digest(project_path) == before

    check()
