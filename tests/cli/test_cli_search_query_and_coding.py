"""Search hits, query results, documents and scripted coding, end to end on a small bilingual project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bilingual_survey import ZH, run, survey_project

from workbench.store import Project


@pytest.fixture
def project(tmp_path) -> Path:
    return survey_project(tmp_path)


@pytest.mark.parametrize(("term", "message"), [
    ("-trust", "only what to leave out"), ("trust OR", "OR needs a word"), ("(trust", "not closed"),
    ("NOT", "NOT needs a word"),
])
def test_broken_queries_say_what_is_wrong(project, term, message):
    result = run("search", project, term, ok=False)
    assert result.exit_code != 0 and message in result.output and result.output.count("\n") == 1


def test_minus_term_is_not_taken_for_an_option(project):
    result = run("search", project, "trust*", "-brokers")
    assert "We [trust] our own people." in result.stdout and "brokers" not in result.stdout


def test_cli_prints_hits_with_context_turn_and_speaker(project):
    result = run("search", project, "fairness", "--width", "20")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("en-survey.txt  turn 4  Interviewee  [")
    assert lines[1].endswith(": Bias, yes, and [fairness] too. The committee …")
    assert "turn 6  Interviewee" in result.stdout and "422: [Fairness] is the word they us…" in result.stdout
    assert "--help" not in result.stdout
    help_text = run("search", "--help").stdout
    assert '"data quality"' in help_text and "OR" in help_text and "-distrust" in help_text and "trust*" in help_text


def test_search_json_gives_hit_spans(project):
    data = json.loads(run("search", project, "trust*", "--json").stdout)
    assert data["count"] == 3 and data["turns"] == 3
    texts = [m["text"] for hit in data["hits"] for m in hit["matches"]]
    assert texts == ["trusted", "trustworthy", "trust"]
    assert [(hit["turn"], hit["speaker"]) for hit in data["hits"]] == [(2, "Interviewee"), (4, "Interviewee"), (6, "Interviewee")]


# ------------------------------------------------------------------ query results and coding
def test_code_by_quote_and_chinese_path_and_results_name_the_codings(project):
    out = run("code", project, "zh-trader.txt", "信任/不信任", "--quote", "中介我不信任", "--coder", "lin").stdout
    assert "中介我不信任" in out
    run("code", project, "zh-trader.txt", "Trust", "--quote", "我姓陈…", "--coder", "sara")
    data = json.loads(run("query", project, "信任", "--json").stdout)
    codes = [(s["text"], [(c["code"], c["coder"]) for c in s["codings"]]) for s in data["segments"]]
    assert codes == [("我姓陈，嗯，做外贸代理差不多十二年了。", [("Trust", "sara")]),
                     ("中介我不信任", [("Trust/Distrust", "lin")])]
    assert data["segments"][1]["code"] == "Trust/Distrust" and data["segments"][1]["coding_id"]
    text = run("query", project, "Trust").stdout
    assert "Trust/Distrust by lin (#" in text


def test_a_quote_found_twice_needs_nth(project):
    result = run("code", project, "zh-trader.txt", "Trust", "--quote", "信任", ok=False)
    assert "occurs 4 times" in result.output and "--nth" in result.output
    out = run("code", project, "zh-trader.txt", "Trust", "--quote", "信任", "--nth", "2").stdout
    assert ZH.index("信任", ZH.index("信任") + 1) in [int(w.split("–")[0]) for w in out.split() if "–" in w]
    missing = run("code", project, "zh-trader.txt", "Trust", "--quote", "不存在的话", ok=False)
    assert "zh-trader.txt: the quote '不存在的话' is not in it" in missing.output


def test_unknown_where_attribute_is_named(project):
    result = run("query", project, "Trust", "--where", "religion=none", ok=False)
    assert "unknown attribute religion" in result.output and "city" in result.output
    assert json.loads(run("query", project, "Trust", "--where", "city=Yiwu", "--json").stdout)["count"] == 0


def test_codebook_add_creates_intermediate_codes(project):
    out = run("codebook", "add", project, "Networks/老乡/WeChat groups", "--zh", "微信群").stdout
    assert "Networks, Networks/老乡, Networks/老乡/WeChat groups" in out
    assert "already there" in run("codebook", "add", project, "Networks/老乡").stdout
    tree = json.loads(run("codebook", "show", project, "--json").stdout)["codes"]
    networks = next(code for code in tree if code["name"] == "Networks")
    assert networks["children"][0]["children"][0]["name_zh"] == "微信群"


# ---------------------------------------------------------------------------- documents
def test_documents_lists_what_tells_them_apart(project):
    run("code", project, "en-survey.txt", "Trust", "--quote", "We trust our own people.")
    data = json.loads(run("documents", project, "--json").stdout)
    rows = {d["name"]: d for d in data["documents"]}
    assert rows["en-survey.txt"]["turns"] == 6 and rows["en-survey.txt"]["codings"] == 1
    assert rows["zh-trader.txt"]["lang"] == "zh" and rows["zh-trader.txt"]["case"] == "P2"
    assert rows["en-survey.txt"]["encoding"] == "utf-8" and rows["en-survey.txt"]["warning"] is None
    assert "en-survey.txt" in run("documents", project).stdout


def test_show_gives_offsets_turn_numbers_and_speakers(project):
    data = json.loads(run("show", project, "zh-trader.txt", "--turn", "4", "--json").stdout)
    (turn,) = data["turns"]
    assert turn["number"] == 4 and turn["speaker"] == "受访者A"
    assert ZH[turn["start"]:turn["end"]] == turn["text"] and turn["text"].startswith("我姓陈")
    out = run("show", project, "zh-trader.txt", "--from", "0", "--to", "30").stdout
    assert out.startswith("[5–14] turn 1  访谈员1:\n  你怎么看美国经济？")
    bad = run("show", project, "zh-trader.txt", "--turn", "99", ok=False)
    assert "no turn 99 (it has turns 1–6)" in bad.output


def test_rename_and_delete_with_a_backup(project):
    run("code", project, "en-survey.txt", "Trust", "--quote", "We trust our own people.")
    run("document", "rename", project, "en-survey.txt", "P1-survey.txt")
    assert "P1-survey.txt" in run("documents", project).stdout
    clash = run("document", "rename", project, "P1-survey.txt", "zh-trader.txt", ok=False)
    assert "already has a document named 'zh-trader.txt'" in clash.output
    out = run("document", "delete", project, "P1-survey.txt", "--yes").stdout
    assert "deleted 'P1-survey.txt' with 1 coding" in out and "backup" in out
    assert [d["name"] for d in json.loads(run("documents", project, "--json").stdout)["documents"]] == ["zh-trader.txt"]
    assert json.loads(run("search", project, "fairness", "--json").stdout)["turns"] == 0
    assert run("backup", project, "--list").stdout.count("\n") == 1


def test_a_latin1_file_warns_and_can_be_reimported(tmp_path):
    path = tmp_path / "p.qda"
    source = tmp_path / "entretien.txt"
    source.write_bytes("Interviewer: Et le café ?\nRespondent: Le café crème, c'était très naïve.\n".encode("latin-1"))
    run("init", path)
    imported = run("import", path, source)
    assert "Warning: " in imported.stderr and "encoding guessed as" in imported.stderr
    listed = json.loads(run("documents", path, "--json").stdout)["documents"][0]
    assert listed["warning"] and listed["encoding"] in listed["warning"]
    with Project.open(path) as opened:
        assert "crème" in opened.document(opened.document_id("entretien.txt")).text  # the better guess
    again = run("document", "reimport", path, "entretien.txt", "--encoding", "cp1250").stdout
    assert "re-read as cp1250 (was cp1252)" in again
    with Project.open(path) as opened:
        assert "crčme" in opened.document(opened.document_id("entretien.txt")).text
        assert opened.document_summaries()[0]["turns"] == 2
    run("document", "reimport", path, "entretien.txt", "--encoding", "latin-1")
    same = run("document", "reimport", path, "entretien.txt", "--encoding", "latin-1", ok=False)
    assert "gives the same text" in same.output
    run("codebook", "add", path, "Food")
    run("code", path, "entretien.txt", "Food", "--quote", "café crème")
    refused = run("document", "reimport", path, "entretien.txt", "--encoding", "cp1250", ok=False)
    assert "has 1 coding" in refused.output and "cannot be re-imported" in refused.output


def test_import_encoding_option(tmp_path):
    path = tmp_path / "p.qda"
    source = tmp_path / "entretien.txt"
    source.write_bytes("Interviewer: Et le café ?\nRespondent: Très naïve.\n".encode("latin-1"))
    run("init", path)
    result = run("import", path, source, "--encoding", "latin-1")
    assert "Warning" not in result.stderr
    bad = run("import", path, source, "--encoding", "nope", ok=False)
    assert "entretien.txt: unknown encoding 'nope'" in bad.output
