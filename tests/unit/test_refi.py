"""REFI-QDA exchange: round trips, real ATLAS.ti files, other tools' quirks, hostile archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from refi_samples import EN, ZH, _qde, _selection, _source, _span, _zip, build_rich_project, fingerprint

import workbench.backup  # noqa: F401  (registers the automatic backup before destructive work)
from workbench.exchange import export_codebook, export_project, import_file
from workbench.exchange.positions import Utf16Map, normalise
from workbench.exchange.safe_zip import Limits
from workbench.model import Code, WorkbenchError
from workbench.store import Project
from workbench.text.normalize import normalize

SAMPLES = Path("/work/shared/refi/samples")
if not SAMPLES.exists():
    SAMPLES = Path(__file__).parent / "data" / "refi"


@pytest.fixture
def rich_project(tmp_path) -> Path:
    return build_rich_project(tmp_path)


def test_round_trip_keeps_everything(rich_project, tmp_path):
    exported = tmp_path / "out.qdpx"
    with Project.open(rich_project) as project:
        summary = export_project(project, exported)
    assert summary.documents == 3 and summary.codings == 6 and summary.memos == 5
    with zipfile.ZipFile(exported) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde").decode("utf-8")
    assert "project.qde" in names and sum(n.startswith("sources/") for n in names) == 3
    # Positions are UTF-16 units: 😀 and 𠮷 before the selection count twice each.
    start, end = _span(ZH, "居委会一开始不太信任我们")
    assert f'startPosition="{start + 2}"' in qde and f'startPosition="{start}"' not in qde
    target = tmp_path / "copy.qda"
    Project.create(target).close()
    with Project.open(target) as project:
        result = import_file(project, exported, "carol")
    assert result.report == ()
    assert fingerprint(target) == fingerprint(rich_project)
    before, after = fingerprint(rich_project), fingerprint(target)
    assert after["texts"]["beijing_zh.txt"] == ZH and "𠮷" in after["texts"]["beijing_zh.txt"]
    assert ("london_en.txt", "Trust/Kin networks", *_span(EN, "Through my cousin 🙂 — she knew the landlord."),
            "bob") in {c[:5] for c in after["codings"]}
    assert before["cases"]["P01"] == ({"city": "北京", "age": "34", "role": "migrant"}, ["beijing_zh.txt"])


def _qde_of(path: Path):
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


GUID_KINDS = ("User", "Code", "Case", "TextSource", "PlainTextSelection", "Coding", "Note", "Variable", "Link")


def _guids(path: Path) -> set[tuple[str, str]]:
    from lxml import etree

    return {(etree.QName(e).localname, e.get("guid")) for e in _qde_of(path).iter()
            if e.get("guid") and etree.QName(e).localname in GUID_KINDS}


def _without_export_dates(path: Path) -> bytes:
    """project.qde without what belongs to the project file rather than its contents: the
    project's name and creation date, and the dates the sources were added to it."""
    from lxml import etree

    root = _qde_of(path)
    del root.attrib["name"]
    root.attrib.pop("creationDateTime", None)
    for source in root.iter(f"{{{root.nsmap[None]}}}TextSource"):
        source.attrib.pop("creationDateTime", None)
    return etree.tostring(root)


def test_guids_stable_across_export_import_export(rich_project, tmp_path):
    with Project.open(rich_project) as project:
        export_project(project, tmp_path / "a.qdpx")
        export_project(project, tmp_path / "a2.qdpx")
        coders = {name: guid for guid, name in project.refi_coders().values()}
    Project.create(tmp_path / "b.qda").close()
    with Project.open(tmp_path / "b.qda") as project:
        import_file(project, tmp_path / "a.qdpx")
        export_project(project, tmp_path / "b.qdpx")
        # Users became coders with the same guids, cases and memos kept theirs.
        assert {name: guid for guid, name in project.refi_coders().values()} == coders
    guids = _guids(tmp_path / "a.qdpx")
    assert guids == _guids(tmp_path / "a2.qdpx") == _guids(tmp_path / "b.qdpx")
    kinds = [kind for kind, _ in guids]
    assert {k: kinds.count(k) for k in ("User", "Code", "Case", "TextSource", "Coding", "Note")} == {
        "User": 2, "Code": 3, "Case": 2, "TextSource": 3, "Coding": 6, "Note": 5}
    # The same file again, apart from the project's own name and dates.
    assert _without_export_dates(tmp_path / "b.qdpx") == _without_export_dates(tmp_path / "a.qdpx")
    with Project.open(rich_project) as a, Project.open(tmp_path / "b.qda") as b:
        for table in ("cases", "memos", "codes", "codings", "documents", "coders"):
            assert set(a.refi_guids(table).values()) == set(b.refi_guids(table).values()), table


def test_import_twice_and_into_a_project_with_work_never_duplicates(rich_project, tmp_path):
    exported = tmp_path / "out.qdpx"
    with Project.open(rich_project) as project:
        export_project(project, exported)
        again = import_file(project, exported)  # everything is already there
    assert (again.documents, again.codes, again.codings, again.memos) == (0, 0, 0, 0)
    assert again.known > 0
    other = tmp_path / "other.qda"
    with Project.create(other) as project, project.transaction():
        project.add_code(Code(name="Trust", color="#000000"), None)  # same path, another guid
    with Project.open(other) as project:
        result = import_file(project, exported)
        assert result.documents == 3 and result.codings == 6
        assert [c.name for c in project.code_tree()].count("Trust") == 1
        assert len(project.codings()) == 6


def test_equal_texts_stay_separate_sources(tmp_path):
    qde = _qde(sources=[_source("aaaaaaaa-0000-4000-8000-000000000001", "first.txt", "t1.txt"),
                        _source("aaaaaaaa-0000-4000-8000-000000000002", "first.txt", "t2.txt")])
    archive = _zip(tmp_path / "twins.qdpx", {"project.qde": qde, "sources/t1.txt": "同一段文字 same text",
                                             "sources/t2.txt": "同一段文字 same text"})
    target = tmp_path / "t.qda"
    Project.create(target).close()
    with Project.open(target) as project:
        assert import_file(project, archive).documents == 2
        assert sorted(r.name for r in project.documents()) == ["first (2).txt", "first.txt"]


# ------------------------------------------------------------------ real and constructed files

def test_atlas_samples_import_with_their_codes(tmp_path):
    target = tmp_path / "atlas.qda"
    Project.create(target).close()
    with Project.open(target) as project:
        blank = import_file(project, SAMPLES / "blank-atlas-project.qdpx")
        assert blank.codes == 0
        result = import_file(project, SAMPLES / "target-atlas-project.qdpx")
        assert result.codes == 3
        tree = project.code_tree()
        assert [c.name for c in tree] == ["Commits"]
        assert [c.name for c in tree[0].children] == ["2022-05-10T02:05:59Z 19e4dce", "2022-02-11T10:39:25Z cdbfd92"]
        assert {"Enric Llagostera", "ATLAS.ti"} <= {name for _, name in project.refi_coders().values()}
        export_project(project, tmp_path / "again.qdpx")  # what came in goes out valid
    assert ("Code", "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6") in _guids(tmp_path / "again.qdpx")


QUALCODER_TEXT = "第一段😀😀 emoji and 𠮷 first.\u2029".replace("\u2029", "\n") + "Second paragraph: 我们信任居委会。 End."


def test_qualcoder_style_utf16_positions_and_paragraph_marks(tmp_path):
    text = QUALCODER_TEXT
    units = Utf16Map.of(text)
    a, b = _span(text, "我们信任居委会")
    c, d = _span(text, "first.\nSecond")
    selections = [
        _selection("bbbbbbbb-0000-4000-8000-000000000001", units.to_units(a), units.to_units(b), "我们信任居委会"),
        _selection("bbbbbbbb-0000-4000-8000-000000000002", units.to_units(c), units.to_units(d),
                   "first.\u2029Second"),
    ]
    qde = _qde(sources=[_source("aaaaaaaa-0000-4000-8000-000000000003", "qc.txt", "qc.txt", selections)],
               origin="QualCoder 3.5")
    archive = _zip(tmp_path / "qualcoder.qdpx", {"project.qde": qde, "sources/qc.txt": text})
    target = tmp_path / "q.qda"
    Project.create(target).close()
    with Project.open(target) as project:
        result = import_file(project, archive)
        assert result.codings == 2 and result.report == ()
        document_id = project.document_id("qc.txt")
        spans = {project.slice(document_id, g.start, g.end) for g in project.codings()}
    assert spans == {"我们信任居委会", "first.\nSecond"}


def test_nvivo_style_crlf_utf16_empty_names_and_stray_files(tmp_path):
    raw = "\ufeff访谈 Interview 1\r\n受访者：😀我信任老乡。\r\n𠮷 Respondent: I trust my cousin.\r\n"
    body = raw[1:]  # positions count from after the BOM, in UTF-16 units, CRLF as two
    units = Utf16Map.of(body)
    a, b = _span(body, "我信任老乡")
    c, d = _span(body, "I trust my cousin.")
    selections = [_selection("bbbbbbbb-0000-4000-8000-000000000011", units.to_units(a), units.to_units(b), ""),
                  _selection("bbbbbbbb-0000-4000-8000-000000000012", units.to_units(c), units.to_units(d), "")]
    source = _source("aaaaaaaa-0000-4000-8000-000000000004", "Interview 1", "nv.txt", selections,
                     rich="internal://nv.docx")
    qde = _qde(sources=[source], origin="NVivo 14")
    archive = _zip(tmp_path / "nvivo.qdpx", {
        "project.qde": qde, "sources/NV.TXT": raw, "sources/nv.docx": b"PK\x03\x04 not really a docx",
        "sources/raw-original.txt": "旧文件 GB18030".encode("gb18030")})
    target = tmp_path / "n.qda"
    Project.create(target).close()
    with Project.open(target) as project:
        result = import_file(project, archive)
        assert result.documents == 1 and result.codings == 2
        document = project.document(project.document_id("Interview 1"))
        assert "\r" not in document.text and not document.text.startswith("\ufeff")
        assert document.text == normalize(raw)
        spans = sorted(project.slice(document.id, g.start, g.end) for g in project.codings())
    assert spans == ["I trust my cousin.", "我信任老乡"]


def test_selection_that_does_not_fit_is_reported_not_moved(tmp_path):
    text = "Respondent: I trust the committee. 我不信任他们。"
    selections = [_selection("bbbbbbbb-0000-4000-8000-000000000021", 12, 33, "something else entirely"),
                  _selection("bbbbbbbb-0000-4000-8000-000000000022", 30, 999, "")]
    qde = _qde(sources=[_source("aaaaaaaa-0000-4000-8000-000000000005", "x.txt", "x.txt", selections)])
    archive = _zip(tmp_path / "odd.qdpx", {"project.qde": qde, "sources/x.txt": text})
    Project.create(tmp_path / "o.qda").close()
    with Project.open(tmp_path / "o.qda") as project:
        result = import_file(project, archive)
        assert [(g.start, g.end) for g in project.codings()] == [(12, 33)]
    assert any("is not its name" in line for line in result.report)
    assert any("do not fit" in line for line in result.report)


# ------------------------------------------------------------------ hostile archives

def test_expansion_cap_counts_real_bytes(tmp_path):
    qde = _qde(sources=[_source("aaaaaaaa-0000-4000-8000-000000000007", "a.txt", "a.txt")])
    path = _zip(tmp_path / "big.qdpx", {"project.qde": qde, "sources/a.txt": "访谈 " * 100_000})
    Project.create(tmp_path / "e.qda").close()
    with Project.open(tmp_path / "e.qda") as project:
        with pytest.raises(WorkbenchError, match="over the limit"):
            import_file(project, path, limits=Limits(total_bytes=100_000))
        assert project.documents() == []


# ------------------------------------------------------------------ positions

def test_utf16_map_and_normalisation_carry_offsets():
    text = "a😀b𠮷c"
    units = Utf16Map.of(text)
    assert [units.to_units(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    assert [units.from_units(u) for u in range(8)] == [0, 1, 1, 2, 3, 3, 4, 5]
    raw = "\ufeffab\r\ncd\re\u0301f\r\n"
    done = normalise(raw)
    assert done.text == normalize(raw) == "ab\ncd\néf\n"
    assert done.from_raw(raw.index("c")) == done.text.index("c")
    assert done.from_raw(raw.index("f")) == done.text.index("f")


# ------------------------------------------------------------------ coders are their guids

def _qde_with_users(users: list[tuple[str, str]], codings: list[tuple[str, int, int, str]], text: str) -> str:
    """A project of one source, coded by the given users (guid, name) as (coding guid, start, end, user)."""
    selections = "".join(
        f'<PlainTextSelection guid="{guid[:-1]}f" startPosition="{start}" endPosition="{end}">'
        f'<Coding guid="{guid}" creatingUser="{user}"><CodeRef targetGUID="CCCCCCCC-0000-4000-8000-000000000001"/>'
        "</Coding></PlainTextSelection>" for guid, start, end, user in codings)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="coders" origin="test">'
            "<Users>" + "".join(f'<User guid="{g}" name="{n}"/>' for g, n in users) + "</Users>"
            '<CodeBook><Codes><Code guid="CCCCCCCC-0000-4000-8000-000000000001" name="Trust 信任" isCodable="true"/>'
            "</Codes></CodeBook><Sources>"
            '<TextSource guid="AAAAAAAA-0000-4000-8000-0000000000A1" name="p01.txt" plainTextPath="internal://p01.txt">'
            + selections + "</TextSource></Sources></Project>")


USER_1, USER_2 = "DDDDDDDD-0000-4000-8000-000000000001", "DDDDDDDD-0000-4000-8000-000000000002"
TEXT = "受访者A：我们很信任老乡。\nRespondent B: We trusted our cousin."


def test_two_users_with_one_name_stay_two_coders(tmp_path):
    qde = _qde_with_users([(USER_1, "Wang Li"), (USER_2, "Wang Li")],
                          [("EEEEEEEE-0000-4000-8000-000000000001", 5, 12, USER_1),
                           ("EEEEEEEE-0000-4000-8000-000000000002", 29, 50, USER_2)], TEXT)
    archive = _zip(tmp_path / "two.qdpx", {"project.qde": qde, "sources/p01.txt": TEXT})
    Project.create(tmp_path / "t.qda").close()
    with Project.open(tmp_path / "t.qda") as project:
        result = import_file(project, archive)
        coders = {guid: name for guid, name in project.refi_coders().values()}
        assert coders == {USER_1.lower(): "Wang Li", USER_2.lower(): "Wang Li (2)"}
        assert any("imported as 'Wang Li (2)'" in line for line in result.report)
        assert sorted((c.start, c.coder) for c in project.codings()) == [(5, "Wang Li"), (29, "Wang Li (2)")]
        export_project(project, tmp_path / "again.qdpx")
    users = {e.get("guid"): e.get("name") for e in _qde_of(tmp_path / "again.qdpx").iter("{*}User")}
    assert users == {USER_1.lower(): "Wang Li", USER_2.lower(): "Wang Li (2)"}


def test_a_known_user_guid_is_that_coder_even_when_renamed(tmp_path):
    qde = _qde_with_users([(USER_1, "Wang Li (renamed in NVivo)")],
                          [("EEEEEEEE-0000-4000-8000-000000000001", 5, 12, USER_1)], TEXT)
    archive = _zip(tmp_path / "renamed.qdpx", {"project.qde": qde, "sources/p01.txt": TEXT})
    with Project.create(tmp_path / "t.qda") as project, project.transaction():
        project.coder_id("王丽", guid=USER_1.lower())
        project.coder_id("Wang Li (renamed in NVivo)")  # someone else who happens to have that name
    with Project.open(tmp_path / "t.qda") as project:
        import_file(project, archive)
        assert [name for _, name in project.refi_coders().values()] == ["王丽", "Wang Li (renamed in NVivo)"]
        assert [c.coder for c in project.codings()] == ["王丽"]


def test_an_unknown_user_joins_the_coder_of_that_name_once(tmp_path):
    """Like a project merge: a new guid with a known name is that coder, but not for two users at once."""
    qde = _qde_with_users([(USER_1, "Wang Li"), (USER_2, "Wang Li")],
                          [("EEEEEEEE-0000-4000-8000-000000000001", 5, 12, USER_1),
                           ("EEEEEEEE-0000-4000-8000-000000000002", 29, 50, USER_2)], TEXT)
    archive = _zip(tmp_path / "two.qdpx", {"project.qde": qde, "sources/p01.txt": TEXT})
    with Project.create(tmp_path / "t.qda") as project, project.transaction():
        mine = project.coder_id("Wang Li")
    with Project.open(tmp_path / "t.qda") as project:
        import_file(project, archive)
        coders = project.refi_coders()
        assert [name for _, name in coders.values()] == ["Wang Li", "Wang Li (2)"]
        assert coders[mine][0] != USER_1.lower() and list(coders.values())[1][0] == USER_2.lower()
        assert sorted((c.start, c.coder) for c in project.codings()) == [(5, "Wang Li"), (29, "Wang Li (2)")]


# ------------------------------------------------------------------ isCodable

def test_a_folder_code_stays_not_codable_through_import_and_export(tmp_path):
    qde = ('<?xml version="1.0" encoding="utf-8"?>\n'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="folders" origin="NVivo">'
           '<CodeBook><Codes><Code guid="CCCCCCCC-0000-4000-8000-0000000000F0" name="Themes 主题" isCodable="false">'
           '<Code guid="CCCCCCCC-0000-4000-8000-000000000001" name="Trust 信任" isCodable="true"/></Code>'
           "</Codes></CodeBook></Project>")
    archive = _zip(tmp_path / "folders.qdpx", {"project.qde": qde})
    Project.create(tmp_path / "t.qda").close()
    with Project.open(tmp_path / "t.qda") as project:
        import_file(project, archive)
        folder = project.id_of("code", "cccccccc-0000-4000-8000-0000000000f0")
        assert project.refi_not_codable() == {folder}
        export_project(project, tmp_path / "again.qdpx")
        export_codebook(project, tmp_path / "again.qdc")
    codable = {e.get("name"): e.get("isCodable") for e in _qde_of(tmp_path / "again.qdpx").iter("{*}Code")}
    assert codable == {"Themes 主题": "false", "Trust 信任": "true"}
    from lxml import etree

    book = etree.parse(str(tmp_path / "again.qdc")).getroot()
    assert {e.get("name"): e.get("isCodable") for e in book.iter("{*}Code")} == codable
    Project.create(tmp_path / "u.qda").close()
    with Project.open(tmp_path / "u.qda") as project:  # and back from the codebook file too
        import_file(project, tmp_path / "again.qdc")
        assert [r.name for r in project.code_rows() if r.id in project.refi_not_codable()] == ["Themes 主题"]
