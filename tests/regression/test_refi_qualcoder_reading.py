"""Issue 20, exchange with real clients: our .qdpx read the way QualCoder's own import reads it.

`QualCoderReading` re-implements the reading rules of QualCoder's `RefiImport`
(ccbogel/QualCoder, src/qualcoder/refi.py), step for step, without Qt:
- `import_project`: the archive is extracted; the sources folder is `/sources` if present,
  else `/Sources`; the last `*.qde` member is the project; the root's `origin` is the software name
  (`parse_project_tag`); `Users` give guid -> name (`parse_users`).
- `sub_codes`: a `Code` with isCodable="false" is a category, any other a code; names are unique
  in QualCoder (`code_name`/`code_cat` have `unique(name)`): a second code of the same name
  reuses the first one's cid and its guid is NOT recorded, so codings to it get no code.
- `load_text_source`: the text is read in text mode (universal newlines: CRLF and CR become LF)
  with errors="replace"; if the first line ends in CRLF and the origin is not ATLAS.ti, every LF
  gets a space after it (`add_ending`); the source's memo is its `Description`; a `NoteRef` on the
  source is an annotation only if the Note holds a PlainTextSelection (`parse_notes`/`insert_annotation`),
  so it is not a document memo.
- `load_codings_for_text`: positions are `int(startPosition)`/`int(endPosition)` used as Python
  string indices (code points); the owner is the selection's `creatingUser` (or `modifyingUser`),
  "default" if unknown; the memo is the selection's `Description`; each `Coding` gives a row
  (cid from its CodeRef, the first child) in `code_text`, which has `unique(cid,fid,pos0,pos1,owner)`:
  a second row with the same key is dropped ("Duplicated text coding").

What QualCoder cannot represent, and this test leaves out: positions after a character outside the
Basic Multilingual Plane (we write UTF-16 units, which NVivo, ATLAS.ti and MAXQDA count; QualCoder
indexes code points), codings of a code whose name another code also has, and a coding's several
memos (QualCoder keeps one memo text per coding: ours are joined by blank lines).
"""

from __future__ import annotations

import os
import pathlib
import xml.etree.ElementTree as etree
import zipfile
from dataclasses import dataclass, field

from workbench.exchange import export_project
from workbench.store import Project

NS = "{urn:QDA-XML:project:1.0}"


@dataclass
class QualCoderReading:
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: dict[str, int] = field(default_factory=dict)  # guid -> cid, as `self.codes`
    code_names: dict[str, int] = field(default_factory=dict)  # code_name: name -> cid
    categories: dict[str, int] = field(default_factory=dict)  # code_cat: name -> catid
    sources: dict[str, dict] = field(default_factory=dict)  # guid -> {id, name, fulltext, memo}
    code_text: list[dict] = field(default_factory=list)
    duplicates: int = 0

    @classmethod
    def read(cls, qdpx: pathlib.Path, folder: pathlib.Path) -> QualCoderReading:
        self = cls()
        folder_name = str(folder / "extract")
        with zipfile.ZipFile(qdpx) as archive:
            archive.extractall(folder_name)
        contents = os.listdir(folder_name)
        sources_name = "/sources" if "sources" in contents else "/Sources"
        projectqde = "project.qde"
        for c in contents:
            if pathlib.Path(c).suffix == ".qde":
                projectqde = c
        root = etree.parse(os.path.join(folder_name, projectqde)).getroot()
        software_name = root.get("origin") or ""
        for child in root:
            if child.tag == f"{NS}Users":
                for el in child:
                    self.users[el.get("guid")] = el.get("name")
            if child.tag == f"{NS}CodeBook":
                for code in list(child)[0]:
                    self._sub_codes(code, None, None)
        for child in root:
            if child.tag == f"{NS}Sources":
                for el in child:
                    if el.tag == f"{NS}TextSource":
                        self._load_text_source(el, folder_name + sources_name, software_name)
        return self

    def _sub_codes(self, parent, cat_id, super_cid) -> None:
        children = [el for el in parent if el.tag == f"{NS}Code"]
        name = parent.get("name")
        if parent.get("isCodable") == "false":
            catid = self.categories.setdefault(name, len(self.categories) + 1)
            for el in children:
                self._sub_codes(el, catid, None)
            return
        if name in self.code_names:  # sqlite3.IntegrityError: reuse the cid, the guid is not recorded
            cid = self.code_names[name]
        else:
            cid = self.code_names[name] = len(self.code_names) + 1
            self.codes[parent.get("guid")] = cid
        for el in children:
            self._sub_codes(el, None, cid)

    def _owner(self, element) -> str:
        guid = element.get("creatingUser") or element.get("modifyingUser")
        return self.users.get(guid, "default")

    def _load_text_source(self, element, sources_folder: str, software_name: str) -> None:
        name = element.get("name")
        source_path = sources_folder + element.get("plainTextPath").split("internal:/")[1]
        memo = ""
        for el in element:
            if el.tag == f"{NS}Description":
                memo = el.text
        add_ending = False
        with open(source_path, "rb") as f:
            while True:
                c = f.read(1)
                if not c or c == b"\n":
                    break
                if c == b"\r" and f.read(1) == b"\n":
                    add_ending = True
        if "ATLAS" in software_name:
            add_ending = False
        with open(source_path, encoding="utf-8", errors="replace") as f:
            fulltext = f.read()
        if add_ending:
            fulltext = fulltext.replace("\n", "\n ")
        source = {"id": len(self.sources) + 1, "name": name, "fulltext": fulltext, "memo": memo}
        self.sources[element.get("guid")] = source
        for el in element:
            if el.tag == f"{NS}PlainTextSelection":
                self._load_codings_for_text(source, el)

    def _load_codings_for_text(self, source: dict, element) -> None:
        pos0, pos1 = int(element.get("startPosition")), int(element.get("endPosition"))
        owner = self._owner(element)
        memo = ""
        for el in element:
            if el.tag == f"{NS}Description" and el.text is not None:
                memo = el.text
        for el in element:
            if el.tag != f"{NS}Coding":
                continue
            cid = self.codes.get(list(el)[0].get("targetGUID"))
            key = (cid, source["id"], pos0, pos1, owner)
            if cid is not None and any(row["key"] == key for row in self.code_text):
                self.duplicates += 1  # "Duplicated text coding for code and coder. Only one loaded."
                continue
            self.code_text.append({"key": key, "cid": cid, "fid": source["id"], "owner": owner, "memo": memo,
                                   "seltext": source["fulltext"][pos0:pos1]})


def exact_codings(project: Project, reading: QualCoderReading) -> tuple[int, int, list]:
    """(codings QualCoder keeps exactly, codings it can represent, what it lost)."""
    code_guids = project.refi_guids("codes")
    document_guids = project.refi_guids("documents")
    memos: dict[int, list[str]] = {}
    for memo in project.memos("coding"):
        memos.setdefault(memo.target_id, []).append(memo.text.strip())
    names = [row.name for row in project.code_rows()]
    representable = exact = 0
    lost = []
    for coding in project.codings():
        text = project.document(coding.document_id).text
        if any(ord(char) > 0xFFFF for char in text[:coding.end]) or names.count(
                next(r.name for r in project.code_rows() if r.id == coding.code_id)) > 1:
            continue
        representable += 1
        source = reading.sources[document_guids[coding.document_id]]
        wanted = {"cid": reading.codes.get(code_guids[coding.code_id]), "fid": source["id"], "owner": coding.coder,
                  "seltext": text[coding.start:coding.end], "memo": "\n\n".join(memos.get(coding.id, []))}
        if any(all(row[k] == v for k, v in wanted.items()) for row in reading.code_text):
            exact += 1
        else:
            lost.append(wanted)
    return exact, representable, lost


def test_qualcoder_reads_every_demo_coding_with_its_coder_code_text_and_memo(demo_file, tmp_path):
    exported = tmp_path / "demo.qdpx"
    with Project.open(demo_file) as project:
        export_project(project, exported)
        reading = QualCoderReading.read(exported, tmp_path)
        exact, representable, lost = exact_codings(project, reading)
        assert representable == project.coding_count() == 125  # nothing in the demo is out of QualCoder's reach
        assert lost == [] and exact == 125
        assert reading.duplicates == 0
        # document memos where QualCoder reads them
        document_guids = project.refi_guids("documents")
        for memo in project.memos("document"):
            assert memo.text.strip() in reading.sources[document_guids[memo.target_id]]["memo"]


def test_a_document_memo_and_its_creation_date_survive_export_import_export(demo_file, tmp_path):
    from workbench.exchange import import_file

    first, second = tmp_path / "one.qdpx", tmp_path / "two.qdpx"
    with Project.open(demo_file) as project:
        document_id = project.documents()[0].id
        export_project(project, first)
    with Project.create(tmp_path / "copy.qda") as copy:
        import_file(copy, first)
        with copy.transaction():
            copy.add_memo("document", copy.documents()[0].id, "where the interview took place", "lin")
        export_project(copy, second)
        memos_before = sorted((m.target, m.text) for m in copy.memos())
    with Project.create(tmp_path / "again.qda") as again:
        import_file(again, second)
        assert sorted((m.target, m.text) for m in again.memos()) == memos_before  # read back once, not twice
        with Project.open(demo_file) as project:
            assert again.documents()[0].name == project.documents()[0].name
            assert again.document(again.documents()[0].id).imported_at == project.document(document_id).imported_at
    assert _created(first) == _created(second)


def _created(qdpx: pathlib.Path) -> dict[str, str]:
    with zipfile.ZipFile(qdpx) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    return {s.get("guid"): s.get("creationDateTime") for s in root.iter(f"{NS}TextSource")}
