"""Chinese stands in the search index character by character (issue 13: import without jieba);
a project indexed by jieba word is re-indexed when it opens, and finds the same turns after."""

from __future__ import annotations

from workbench.imports import import_files
from workbench.search import search
from workbench.store import SCHEMA_VERSION, Project
from workbench.text.segment import index_body

TRANSCRIPT = (
    "访谈员1：你们和居委会的关系怎么样？\n"
    "受访者A：一开始居委会不太信任我们，后来美国的订单多了，经济好了，大家慢慢熟了。\n"
    "访谈员1：The brokers?\n"
    "受访者A：中介很难说，有的靠得住。We trusted 老乡 more than any agency.\n"
)


def _project(tmp_path):
    source = tmp_path / "访谈.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    project = Project.create(tmp_path / "p.qda")
    list(import_files(project, [source]))
    return project


def _found(project, term):
    return [(hit.turn, hit.context[hit.matches[0][0] - hit.turn_start:hit.matches[0][1] - hit.turn_start])
            for hit in search(project, term)]


def test_the_index_holds_chinese_by_character_and_english_as_written(tmp_path):
    with _project(tmp_path) as project:
        bodies = [row[0] for row in project.conn.execute("SELECT body FROM search ORDER BY rowid")]
    assert " 居 委 会 " in bodies[0] and "The brokers?" in bodies[2]
    assert "We trusted" in bodies[3] and " 老 乡 " in bodies[3]


def test_words_phrases_and_words_apart_are_found(tmp_path):
    with _project(tmp_path) as project:
        assert _found(project, "居委会") == [(1, "居委会"), (2, "居委会")]
        assert _found(project, "居委") == [(1, "居委"), (2, "居委")]  # inside the longer word
        assert [t for t, _ in _found(project, "美国 经济")] == [2]  # both words, apart
        assert _found(project, '"美国经济"') == []  # not in a row in the text
        assert [t for t, _ in _found(project, "信任 -美国")] == []
        assert [t for t, _ in _found(project, "trust 老乡")] == [4]
        assert [t for t, _ in _found(project, "中介 OR brokers")] == [3, 4]


def test_a_project_indexed_by_jieba_word_is_reindexed_on_opening(tmp_path):
    with _project(tmp_path) as project:
        expected = {term: _found(project, term) for term in ("居委", "美国 经济", "trust 老乡", "靠得住")}
        # As an older workbench stored it: jieba words between spaces, version 9.
        project.conn.execute("UPDATE search SET body = '一开始 居委会 不太 信任 我们 ， 后来 美国 的 订单' "
                             "WHERE rowid = (SELECT min(rowid) + 1 FROM search)")
        project.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_search_by_character'")
        project.conn.execute("PRAGMA user_version = 9")
        project.conn.commit()
        path = project.path
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        second = project.conn.execute("SELECT body FROM search ORDER BY rowid LIMIT 1 OFFSET 1").fetchone()[0]
        assert second == index_body(TRANSCRIPT.splitlines()[1].split("：", 1)[1])
        assert {term: _found(project, term) for term in expected} == expected
