"""REFI-QDA test material: a bilingual project with every kind of thing the exchange carries, what a
round trip must keep of it, and constructed .qde/.qdpx files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from workbench.model import Code
from workbench.store import Project

ZH = ("受访者A：我们刚来的时候😀，什么都不认识，主要靠老乡介绍工作。𠮷野家旁边那个社区的居委会一开始不太信任我们。\n"
      "访谈者：那后来呢？\n受访者A：后来慢慢熟了，居委会主任帮我们办了居住证。")


EN = ("Interviewer: How did you find housing?\nRespondent B: Through my cousin 🙂 — she knew the landlord. "
      "We trusted her more than any agency.\nInterviewer: And the neighbourhood committee?\n"
      "Respondent B: They came later, mostly for the hukou paperwork.")


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build_rich_project(tmp_path: Path) -> Path:
    """A bilingual project with every kind of thing REFI-QDA carries."""
    from workbench.imports import import_files

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "beijing_zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "london_en.txt").write_text(EN, encoding="utf-8")
    (folder / "copy_en.txt").write_text(EN + "\n", encoding="utf-8")
    path = tmp_path / "source.qda"
    with Project.create(path) as project:
        list(import_files(project, sorted(folder.iterdir()), "alice"))
        with project.transaction():
            trust = project.add_code(Code(name="Trust", name_zh="信任", definition="Confidence in others.\n\nTwo paragraphs.",
                                          include="Explicit statements", exclude="Trust in God",
                                          examples=["我们信任她", "we trusted her"], color="#1F77B4",
                                          keywords_en=["trust"], keywords_zh=["信任"]), None)
            kin = project.add_code(Code(name="Kin networks", name_zh="老乡网络", color="#FF7F0E"), trust)
            state = project.add_code(Code(name="State", definition="居委会 and officials", color="#2CA02C"), None)
            zh_id, en_id = project.document_id("beijing_zh.txt"), project.document_id("london_en.txt")
            spans = [
                (zh_id, kin, *_span(ZH, "主要靠老乡介绍工作"), "alice"),
                (zh_id, trust, *_span(ZH, "居委会一开始不太信任我们"), "bob"),
                (zh_id, state, *_span(ZH, "居委会一开始不太信任我们"), "alice"),
                (zh_id, state, *_span(ZH, "居委会主任帮我们办了居住证"), "bob"),
                (en_id, trust, *_span(EN, "We trusted her more than any agency."), "alice"),
                (en_id, kin, *_span(EN, "Through my cousin 🙂 — she knew the landlord."), "bob"),
            ]
            coding_ids = [project.add_coding(*row) for row in spans]
            beijing = project.upsert_case("P01", {"city": "北京", "age": "34", "role": "migrant"})
            london = project.upsert_case("P02", {"city": "London", "role": "tenant"})
            project.set_document_case(zh_id, beijing)
            project.set_document_case(en_id, london)
            project.add_memo("project", None, "Overall: trust runs through kin first.", "alice")
            project.add_memo("document", zh_id, "访谈在社区活动室进行。", "bob")
            project.add_memo("code", trust, "Keep distinct from reliance.", "alice")
            project.add_memo("coding", coding_ids[1], "Key quote 关键引语 😀", "bob")
            project.add_memo("case", beijing, "Arrived 2015.", "alice")
            project.log("fixture", {})
    return path


def fingerprint(path: Path) -> dict:
    """What a round trip must keep, by names and positions rather than row ids."""
    from workbench.codebook.ops import paths_by_id

    with Project.open(path) as project:
        docs = {row.id: project.document(row.id) for row in project.documents()}
        names = {i: d.name for i, d in docs.items()}
        paths = paths_by_id(project)
        codes = {}
        for code_path, code in ((p, c) for root in project.code_tree() for p, c in root.walk()):
            codes["/".join(code_path)] = (code.name_zh, code.definition, code.include, code.exclude,
                                          tuple(code.examples), code.color.upper(), tuple(code.keywords_en),
                                          tuple(code.keywords_zh))
        codings = {(names[c.document_id], paths[c.code_id], c.start, c.end, c.coder, c.created_at)
                   for c in project.codings()}
        by_coding = {c.id: (names[c.document_id], paths[c.code_id], c.start, c.end) for c in project.codings()}
        cases = {case.name: (case.attributes, sorted(names[i] for i, d in docs.items() if d.case_id == case.id))
                 for case in project.cases()}
        case_names = {case.id: case.name for case in project.cases()}
        targets = {"document": names, "code": paths, "coding": by_coding, "case": case_names}
        memos = {(m.target, targets.get(m.target, {}).get(m.target_id), m.text, m.coder) for m in project.memos()}
        return {"texts": {d.name: d.text for d in docs.values()}, "codes": codes, "codings": codings,
                "cases": cases, "memos": memos}


def _selection(guid: str, start: int, end: int, name: str,
               code: str = "cccccccc-0000-4000-8000-000000000001") -> str:
    return (f'<PlainTextSelection guid="{guid}" name="{_attr(name)}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="dddddddd-0000-4000-8000-000000000001" creationDateTime="2024-03-01T10:00:00Z">'
            f'<Coding guid="{guid[:-4]}f{guid[-3:]}" creatingUser="dddddddd-0000-4000-8000-000000000001" '
            f'creationDateTime="2024-03-01T10:00:00Z"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _source(guid: str, name: str, member: str, selections=(), rich: str | None = None) -> str:
    extra = f' richTextPath="{rich}"' if rich else ""
    return (f'<TextSource guid="{guid}" name="{name}" plainTextPath="internal://{member}"{extra}>'
            + "".join(selections) + "</TextSource>")


def _qde(sources=(), origin: str = "test") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="urn:QDA-XML:project:1.0 codebook:0:4" '
            f'name="constructed" origin="{origin}">'
            '<Users><User guid="DDDDDDDD-0000-4000-8000-000000000001" name="Wang Li\u2029"/></Users>'
            '<CodeBook><Codes><Code guid="CCCCCCCC-0000-4000-8000-000000000001" name="Trust 信任" isCodable="true" '
            'color="#F00"/></Codes></CodeBook>'
            + (f"<Sources>{''.join(sources)}</Sources>" if sources else "") + "</Project>")


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data if isinstance(data, bytes) else data.encode("utf-8"))
    return path
