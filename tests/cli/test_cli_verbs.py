"""The command line end to end with CliRunner on real files: every verb, its JSON, its errors."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.store import Project
from reliability_worker import project_digest

CODEBOOK = """\
name: Fieldwork
name_zh: 田野
codes:
  - name: Trust
    name_zh: 信任
    color: "#1f77b4"
    definition: Expecting good faith.
    children:
      - name: Distrust
        name_zh: 不信任
  - name: Informal networks
    name_zh: 非正式网络
    keywords_en: [cousin, broker]
"""
EN = ("Interviewer: How did you come to Yiwu?\n"
      "Respondent: My cousin was here. We trust each other, so I came.\n"
      "Interviewer: And the officials?\n"
      "Respondent: I do not trust them.\n")
ZH = ("采访者：你是怎么找到房子的？\n"
      "受访者：是一个老乡介绍的中介，我们都信任他。\r\n"
      "采访者：居委会呢？\n"
      "受访者：不太信任。\n")
VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>Who helped you?\n\n"
       "00:00:05.000 --> 00:00:09.000\n<v Worker>A broker from my hometown, I trusted him.\n")


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def files(tmp_path) -> Path:
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "P01-trader.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "P02-broker.txt").write_bytes(codecs.BOM_UTF8 + ZH.encode("utf-8"))
    (tmp_path / "P03-worker.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "participants.csv").write_text(
        "id,city,role\nP01,Yiwu,trader\nP02,Yiwu,broker\nP03,Dongguan,worker\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def project(files) -> Path:
    path = files / "study.qda"
    run("init", path, "--codebook", files / "codebook.yaml")
    run("import", path, files / "P01-trader.txt", files / "P02-broker.txt", files / "P03-worker.vtt",
        "--participants", files / "participants.csv")
    return path


def show_json(path: Path) -> dict:
    return json.loads(run("codebook", "show", path, "--json").stdout)


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code != 0
    output = result.output.strip()
    assert output.count("\n") == 0, output
    assert "Traceback" not in output
    for needle in needles:
        assert needle in output


# ----------------------------------------------------------------------------- help
def _commands(group: click.Group, path: tuple[str, ...] = ()):
    context = click.Context(group)
    for name in group.list_commands(context):  # the verbs' modules load on demand
        command = group.get_command(context, name)
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))


def test_every_command_and_subcommand_has_help():
    commands = list(_commands(cli))
    names = {" ".join(path) for path, _ in commands}
    assert {"init", "import", "codebook show", "codebook import", "codebook export", "code", "query",
            "search", "demo", "tui"} <= names
    for path, command in [((), cli)] + commands:
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
        result = run(*path, "--help")
        assert result.output.startswith("Usage: ") and command.help.split("\n")[0][:30] in result.output
        for parameter in command.params:
            if isinstance(parameter, click.Option) and not parameter.hidden:
                assert parameter.help, f"{' '.join(path)} {parameter.opts[0]} has no help"


# ------------------------------------------------------------------------ init/import
def test_init_and_import_with_participants(files):
    path = files / "study.qda"
    result = run("init", path, "--codebook", files / "codebook.yaml")
    assert result.output.strip() == f"{path}: created with 3 codes from {files / 'codebook.yaml'}"
    result = run("import", path, files / "P01-trader.txt", files / "P02-broker.txt", files / "P03-worker.vtt",
                 "--participants", files / "participants.csv")
    lines = result.output.strip().splitlines()
    assert lines[0].endswith(f"P01-trader.txt: imported 1 document, {len(EN)} characters")
    assert lines[-1].endswith("participants.csv: 3 participants, 3 documents linked")
    with Project.open(path) as project:
        rows = {row.name: row for row in project.documents()}
        assert {name: row.case for name, row in rows.items()} == {
            "P01-trader.txt": "P01", "P02-broker.txt": "P02", "P03-worker.vtt": "P03"}
        assert rows["P02-broker.txt"].encoding == "utf-8 (BOM)"
        assert project.coders() == []  # importing makes no coder (issue 20/22)


def test_init_refuses_an_existing_file(project):
    assert_one_line_error(run("init", project, ok=False), str(project), "already exists")


def test_reimport_is_a_no_op_and_a_changed_namesake_is_refused(project, files):
    before = project_digest(project)
    result = run("import", project, files / "P01-trader.txt")
    assert "already imported as P01-trader.txt" in result.output
    (files / "other").mkdir()
    (files / "other" / "P01-trader.txt").write_text(EN + "Interviewer: Thanks.\n", encoding="utf-8")
    result = run("import", project, files / "other" / "P01-trader.txt", ok=False)
    assert_one_line_error(result, "P01-trader.txt", "with different text")
    assert project_digest(project) == before


def test_import_without_files_is_an_error(project):
    assert_one_line_error(run("import", project, ok=False), "name at least one file")


# ----------------------------------------------------------------------- hostile input
def _binary(folder: Path) -> list[str]:
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    return ["import", "{project}", str(folder / "photo.txt")]


def _empty(folder: Path) -> list[str]:
    (folder / "empty.txt").write_bytes(b"")
    return ["import", "{project}", str(folder / "empty.txt")]


def _truncated_docx(folder: Path) -> list[str]:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: Hello.")
    document.save(str(folder / "broken.docx"))
    data = (folder / "broken.docx").read_bytes()
    (folder / "broken.docx").write_bytes(data[: len(data) // 3])
    return ["import", "{project}", str(folder / "broken.docx")]


def _missing(folder: Path) -> list[str]:
    return ["import", "{project}", str(folder / "nowhere.txt")]


def _bad_participants(folder: Path) -> list[str]:
    (folder / "new.txt").write_text("Interviewer: Hello.\nRespondent: Hi.\n", encoding="utf-8")
    (folder / "people.csv").write_text("id,city\nP01,Yiwu\nP01,Xiamen\n", encoding="utf-8")
    return ["import", "{project}", str(folder / "new.txt"), "--participants", str(folder / "people.csv")]


def _duplicate_codes(folder: Path) -> list[str]:
    (folder / "dup.yaml").write_text("name: X\ncodes:\n  - name: Trust\n  - name: trust\n", encoding="utf-8")
    return ["codebook", "import", "{project}", str(folder / "dup.yaml")]


def _cyclic_codes(folder: Path) -> list[str]:
    (folder / "cycle.yaml").write_text(
        "name: X\ncodes:\n  - &a\n    name: Trust\n    children:\n      - *a\n", encoding="utf-8")
    return ["codebook", "import", "{project}", str(folder / "cycle.yaml")]


def _missing_project(folder: Path) -> list[str]:
    return ["import", str(folder / "nowhere.qda"), str(folder / "P01-trader.txt")]


def _not_a_project(folder: Path) -> list[str]:
    return ["query", str(folder / "P01-trader.txt"), "Trust"]


HOSTILE = {
    "binary": (_binary, "photo.txt"),
    "empty": (_empty, "empty.txt"),
    "truncated-docx": (_truncated_docx, "broken.docx"),
    "missing-file": (_missing, "nowhere.txt"),
    "bad-participants": (_bad_participants, "people.csv"),
    "duplicate-codes": (_duplicate_codes, "dup.yaml"),
    "cyclic-codes": (_cyclic_codes, "cycle.yaml"),
    "missing-project": (_missing_project, "nowhere.qda"),
    "not-a-project": (_not_a_project, "P01-trader.txt"),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_exits_with_one_line_naming_the_file_and_changes_nothing(project, files, case):
    build, name = case
    args = [a.replace("{project}", str(project)) for a in build(files)]
    before = project_digest(project)
    result = run(*args, ok=False)
    assert_one_line_error(result, name)
    assert project_digest(project) == before


def test_a_bad_codebook_creates_no_project(files):
    (files / "cycle.yaml").write_text("name: X\ncodes: &l\n  - name: A\n    children: *l\n", encoding="utf-8")
    result = run("init", files / "new.qda", "--codebook", files / "cycle.yaml", ok=False)
    assert_one_line_error(result, "cycle.yaml", "cycle")
    assert not (files / "new.qda").exists()


# --------------------------------------------------------------------------- codebook
def test_codebook_show(project):
    data = show_json(project)
    assert list(data) == ["codes"]
    trust = data["codes"][0]
    assert {"name", "name_zh", "children", "color", "definition", "codings"} <= set(trust)
    assert (trust["name"], trust["name_zh"], trust["color"]) == ("Trust", "信任", "#1f77b4")
    assert [child["name"] for child in trust["children"]] == ["Distrust"]
    assert [code["name"] for code in data["codes"]] == ["Trust", "Informal networks"]
    text = run("codebook", "show", project).output
    assert "Trust / 信任  (0)\n  Distrust / 不信任  (0)\n" in text


def test_codebook_export_and_import_round_trip(project, files):
    for suffix in (".yaml", ".md", ".csv", ".docx"):
        target = files / f"out{suffix}"
        assert run("codebook", "export", project, "-o", target).output.strip() == f"{target}: written"
        assert target.stat().st_size > 0
    assert (files / "out.md").read_text(encoding="utf-8").startswith("# Fieldwork / 田野")
    assert "Trust/Distrust" in (files / "out.csv").read_text(encoding="utf-8-sig")
    run("init", files / "copy.qda", "--codebook", files / "out.yaml")
    assert show_json(files / "copy.qda") == show_json(project)
    result = run("codebook", "import", project, files / "out.yaml")
    assert result.output.strip() == f"{files / 'out.yaml'}: 0 codes added, 3 updated"
    (files / "more.yaml").write_text("name: More\ncodes:\n  - name: Belonging\n    name_zh: 归属感\n", encoding="utf-8")
    assert "1 codes added" in run("codebook", "import", project, files / "more.yaml").output
    assert [code["name"] for code in show_json(project)["codes"]] == ["Trust", "Informal networks", "Belonging"]


def test_codebook_export_to_an_unknown_format(project, files):
    assert_one_line_error(run("codebook", "export", project, "-o", files / "out.txt", ok=False),
                          "out.txt", "cannot write a codebook as .txt")


# ------------------------------------------------------------------------------- code
def test_code_add_and_remove(project):
    start = EN.index("We trust each other")
    end = start + len("We trust each other")
    result = run("code", project, "P01-trader.txt", "Trust", start, end)
    assert result.output.strip().endswith(f"Trust on P01-trader.txt {start}–{end}: We trust each other")
    assert show_json(project)["codes"][0]["codings"] == 1
    with Project.open(project) as opened:
        (coding,) = opened.codings()
        assert opened.slice(coding.document_id, coding.start, coding.end) == "We trust each other"
        assert coding.coder == "tester"
    result = run("code", project, "P01-trader.txt", "信任", start, end, "--remove")
    assert result.output.startswith("removed coding")
    assert show_json(project)["codes"][0]["codings"] == 0
    assert_one_line_error(run("code", project, "P01-trader.txt", "Trust", start, end, "--remove", ok=False),
                          "P01-trader.txt", "no coding")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["P01-trader.txt", "Trust", "0", "100000"], ["P01-trader.txt", "outside document"]),
        (["P01-trader.txt", "Trust", "10", "5"], ["P01-trader.txt", "outside document"]),
        (["P09.txt", "Trust", "0", "5"], ["P09.txt", "no document named"]),
        (["P01-trader.txt", "Hope", "0", "5"], ["no code named 'Hope'"]),
    ],
)
def test_code_errors(project, args, needles):
    before = project_digest(project)
    assert_one_line_error(run("code", project, *args, ok=False), *needles)
    assert project_digest(project) == before


# ----------------------------------------------------------------------- query/search
@pytest.fixture
def coded(project) -> Path:
    for document, text, code, quote in [
        ("P01-trader.txt", EN, "Trust", "We trust each other"),
        ("P01-trader.txt", EN, "Informal networks", "My cousin was here. We trust"),
        ("P01-trader.txt", EN, "Distrust", "I do not trust them."),
        ("P02-broker.txt", ZH.replace("\r\n", "\n"), "信任", "我们都信任他"),
        ("P02-broker.txt", ZH.replace("\r\n", "\n"), "非正式网络", "老乡介绍的中介"),
    ]:
        start = text.index(quote)
        run("code", project, document, code, start, start + len(quote))
    return project


def test_query_json(coded):
    data = json.loads(run("query", coded, "Trust AND Informal networks", "--json").stdout)
    assert data == {"count": 1, "segments": [{
        "document_id": 1, "document": "P01-trader.txt", "start": EN.index("We trust"),
        "end": EN.index("We trust") + len("We trust"), "text": "We trust", "speaker": "Respondent", "case": "P01",
        # the codings that made it hold (issue 9: results say which code matched)
        "code": "Informal networks; Trust", "coder": "tester", "coding_id": 2,
        "codings": [{"coding_id": 2, "code": "Informal networks", "coder": "tester"},
                    {"coding_id": 1, "code": "Trust", "coder": "tester"}]}]}
    data = json.loads(run("query", coded, "Trust AND NOT Distrust", "--json").stdout)
    assert [s["text"] for s in data["segments"]] == ["We trust each other", "我们都信任他"]
    data = json.loads(run("query", coded, "Informal networks OR 不信任", "--json").stdout)
    assert [s["text"] for s in data["segments"]] == [
        "My cousin was here. We trust", "I do not trust them.", "老乡介绍的中介"]


def test_query_where_and_turn_unit(coded):
    data = json.loads(run("query", coded, "Trust", "--where", "role=broker", "--json").stdout)
    assert [s["document"] for s in data["segments"]] == ["P02-broker.txt"]
    data = json.loads(run("query", coded, "信任", "--where", "city=Yiwu", "--unit", "turn", "--json").stdout)
    assert [s["text"] for s in data["segments"]] == [
        "My cousin was here. We trust each other, so I came.", "I do not trust them.",
        "是一个老乡介绍的中介，我们都信任他。"]
    assert json.loads(run("query", coded, "Trust", "--where", "city=Dongguan", "--json").stdout)["count"] == 0
    text = run("query", coded, "Distrust").stdout
    assert "P01-trader.txt" in text and "I do not trust them." in text


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["Trust AND"], ["query:", "ends where a code name should follow"]),
        (["Hope"], ["no code named 'Hope'"]),
        (["Trust", "--where", "city"], ["--where 'city'", "ATTRIBUTE=VALUE"]),
    ],
)
def test_query_errors(coded, args, needles):
    assert_one_line_error(run("query", coded, *args, ok=False), *needles)


def test_search_json(coded):
    data = json.loads(run("search", coded, "老乡", "--json").stdout)
    assert data["count"] == 1
    (hit,) = data["hits"]
    assert (hit["document"], hit["speaker"]) == ("P02-broker.txt", "受访者")
    (match,) = hit["matches"]  # hits, not whole turns: each match with its span and context
    assert match["text"] == "老乡" and match["end"] - match["start"] == 2
    data = json.loads(run("search", coded, "trusted", "--json").stdout)
    assert {h["document"] for h in data["hits"]} == {"P01-trader.txt", "P03-worker.vtt"}
    result = run("search", coded, "broker")
    assert "P03-worker.vtt" in result.stdout and "Worker" in result.stdout


def test_search_errors(coded):
    assert_one_line_error(run("search", coded, "  ", ok=False), "search:")


def test_import_a_folder_takes_its_transcripts_but_not_its_tables(tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "P1.txt").write_text("Interviewer: Hello?\nRespondent: We trust the committee.\n", encoding="utf-8")
    (folder / "P2.md").write_text("采访者：你好。\n受访者：我们靠老乡。\n", encoding="utf-8")
    (folder / "participants.csv").write_text("id,city\nP1,Yiwu\nP2,Chengdu\n", encoding="utf-8")
    (folder / "~$P1.docx").write_bytes(b"lock")
    project = tmp_path / "p.qda"
    run("init", str(project))
    run("import", str(project), str(folder), "--participants", str(folder / "participants.csv"))
    with Project.open(project) as opened:
        assert sorted((row.name, row.case) for row in opened.documents()) == [
            ("P1.txt", "P1"), ("P2.md", "P2")]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import", str(project), str(empty), ok=False)
    assert "empty" in result.output and "no transcripts" in result.output
