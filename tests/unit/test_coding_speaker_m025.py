"""m025: a coding keeps the speaker of the turn holding its start, and keeps it right whatever writes
turns or codings (issue 24: retrieval reads the copy instead of looking the turn up per coding)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from named import retrieve_named

from workbench.codebook import parse_codebook
from workbench.codebook.ops import install, resolve
from workbench.imports import import_files
from workbench.model import SuggestionDraft
from workbench.store import SCHEMA_VERSION, Project

CODEBOOK = "name: t\ncodes:\n  - name: Trust\n    children:\n      - name: Distrust\n"
TEXT = "Interviewer: Do you trust them?\nRespondent: Not the broker.\nInterviewer: Why?\nRespondent: He lied.\n"
LOOKUP = ('(SELECT t.speaker FROM turns t WHERE t.document_id = g.document_id AND t."end" > g.start '
          'ORDER BY t."end" LIMIT 1)')


def looked_up(project: Project) -> dict[int, str | None]:
    """Each coding's speaker as retrieval looked it up before m025."""
    return dict(project.conn.execute(f"SELECT g.id, {LOOKUP} FROM codings g"))


def stored(project: Project) -> dict[int, str | None]:
    return dict(project.conn.execute("SELECT id, speaker FROM codings"))


def _project(folder: Path, name: str = "p.qda", text: str = TEXT) -> Project:
    (folder / "P1.txt").write_text(text, encoding="utf-8")
    project = Project.create(folder / name)
    install(project, parse_codebook(CODEBOOK, "t.yaml"))
    list(import_files(project, [folder / "P1.txt"]))
    return project


def test_a_coding_takes_the_speaker_of_the_turn_holding_its_start(tmp_path) -> None:
    with _project(tmp_path) as project:
        document, trust = project.document_id("P1.txt"), resolve(project, "Trust")
        answer, why = TEXT.index("Not"), TEXT.index("Why")
        project.add_coding(document, trust, answer, answer + 3, "lin")
        project.add_coding(document, trust, answer, why + 3, "lin")  # spans three turns: its first counts
        project.add_coding(document, trust, 0, 5, "lin")
        assert [(s.text, s.speaker) for s in retrieve_named(project, "Trust")] == [
            ("Inter", "Interviewer"), ("Not", "Respondent"), (TEXT[answer:why + 3], "Respondent")]
        assert stored(project) == looked_up(project)


def test_renamed_speakers_show_in_retrieval(tmp_path) -> None:
    with _project(tmp_path) as project:
        document, trust = project.document_id("P1.txt"), resolve(project, "Trust")
        project.add_coding(document, trust, TEXT.index("Not"), TEXT.index("Not") + 3, "lin")
        project.add_coding(document, trust, TEXT.index("Why"), TEXT.index("Why") + 3, "lin")
        with project.transaction():  # as another program (or a later rename command) would do it
            project.conn.execute("UPDATE turns SET speaker = 'Li Wei' WHERE speaker = 'Respondent'")
        assert [s.speaker for s in retrieve_named(project, "Trust")] == ["Li Wei", "Interviewer"]
        with project.transaction():
            project.conn.execute("UPDATE turns SET speaker = NULL WHERE speaker = 'Interviewer'")
        assert [s.speaker for s in retrieve_named(project, "Trust")] == ["Li Wei", None]


def test_a_document_imported_again_gives_its_new_codings_its_new_speakers(tmp_path) -> None:
    from workbench.documents import delete

    with _project(tmp_path) as project:
        trust = resolve(project, "Trust")
        project.add_coding(project.document_id("P1.txt"), trust, 0, 5, "lin")
        delete(project, project.document_id("P1.txt"), coder="lin")
        (tmp_path / "P1.txt").write_text(TEXT.replace("Respondent", "Farmer"), encoding="utf-8")
        list(import_files(project, [tmp_path / "P1.txt"]))
        start = TEXT.replace("Respondent", "Farmer").index("Not")
        project.add_coding(project.document_id("P1.txt"), trust, start, start + 3, "lin")
        assert [(s.text, s.speaker) for s in retrieve_named(project, "Trust")] == [("Not", "Farmer")]


def test_codings_from_a_suggestion_a_merge_and_a_refi_import_have_their_speaker(tmp_path) -> None:
    from workbench.exchange import export_project, import_file
    from workbench.merge import merge_projects
    from workbench.suggest.decide import accept

    answer = TEXT.index("Not")
    (tmp_path / "mine").mkdir()
    (tmp_path / "theirs").mkdir()
    with _project(tmp_path / "mine") as project:
        document, trust = project.document_id("P1.txt"), resolve(project, "Trust")
        run = project.add_suggestion_run("keywords", coder="lin")
        project.add_suggestions(run, [SuggestionDraft(document, trust, answer, answer + 3, 1.0, "keywords")])
        accept(project, project.suggestions()[0].id, "lin")
        export_project(project, tmp_path / "mine.qdpx")
        mine = project.path
    with Project.create(tmp_path / "refi.qda") as project:
        import_file(project, tmp_path / "mine.qdpx", "lin")
        assert [(s.text, s.speaker) for s in retrieve_named(project, "Trust")] == [("Not", "Respondent")]
        assert stored(project) == looked_up(project)
    import shutil

    shutil.copyfile(mine, tmp_path / "theirs.qda")
    with Project.open(tmp_path / "theirs.qda") as project:
        why = TEXT.index("Why")
        project.add_coding(project.document_id("P1.txt"), resolve(project, "Trust/Distrust"), why, why + 3, "sara")
        # A stale copy in the row that travels must not win over this project's turns.
        with project.transaction():
            project.conn.execute("UPDATE codings SET speaker = 'stale'")
    merge_projects(mine, tmp_path / "theirs.qda", "lin")
    with Project.open(mine) as project:
        assert [(s.text, s.speaker) for s in retrieve_named(project, "Trust")] == [
            ("Not", "Respondent"), ("Why", "Interviewer")]


def test_upgrading_fills_in_the_speaker_of_every_coding(tmp_path) -> None:
    with _project(tmp_path) as project:
        document, trust = project.document_id("P1.txt"), resolve(project, "Trust")
        for word in ("Do", "Not", "Why", "He"):
            project.add_coding(document, trust, TEXT.index(word), TEXT.index(word) + 2, "lin")
        # As the file was before m025: no column, no triggers, no indexes.
        project.conn.execute("DROP INDEX codings_retrieval")
        project.conn.execute("DROP INDEX documents_name_case")
        for (name,) in project.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                            "AND name LIKE '%speaker%'").fetchall():
            project.conn.execute(f"DROP TRIGGER {name}")
        project.conn.execute("ALTER TABLE codings DROP COLUMN speaker")
        project.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm025_coding_speaker'")
        project.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        project.conn.commit()
        path = project.path
    with Project.open(path, before_destructive=lambda project, action: None) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [s.speaker for s in retrieve_named(project, "Trust")] == [
            "Interviewer", "Respondent", "Interviewer", "Respondent"]
        assert stored(project) == looked_up(project)


def test_retrieval_reads_only_indexes(tmp_path) -> None:
    """The two queries behind retrieval never touch the tables' rows (a document's row sits among
    its text's pages): a planner change or a dropped index would quietly double their time."""
    with _project(tmp_path) as project:
        project.add_coding(project.document_id("P1.txt"), resolve(project, "Trust"), 0, 5, "lin")
        seen: list[str] = []
        project.conn.set_trace_callback(seen.append)
        retrieve_named(project, "Trust")
        project.conn.set_trace_callback(None)
        for sql in seen:
            if "FROM codings g" in sql or "FROM documents d" in sql:
                plan = [row[3] for row in project.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
                scans = [step for step in plan if step.startswith(("SCAN", "SEARCH")) and " c " not in step]
                assert scans and all("COVERING INDEX" in step for step in scans), (sql, plan)


# Turns written in any order by any program: the stored speakers equal the lookup after each write.
_OPS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "end", "speaker", "move"]),
                          st.integers(0, 40), st.integers(0, 40), st.sampled_from(["A", "B", "C", None])),
                max_size=12)


@settings(max_examples=40, deadline=None)
@given(_OPS, st.lists(st.integers(0, 39), min_size=1, max_size=8))
def test_stored_speakers_follow_every_turn_write(tmp_path_factory, ops, starts) -> None:
    folder = tmp_path_factory.mktemp("turns")
    text = "".join(f"{'AB'[i % 2]}: word{i}\n" for i in range(5))  # 5 turns, 40 characters
    with _project(folder, text=text) as project:
        document, trust = project.document_id("P1.txt"), resolve(project, "Trust")
        for start in starts:
            project.add_coding(document, trust, start, start + 1, "lin")
        conn = project.conn
        for op, a, b, speaker in ops:
            ids = [row[0] for row in conn.execute("SELECT id FROM turns ORDER BY id")]
            with project.transaction():
                if op == "insert":
                    conn.execute('INSERT INTO turns (document_id, idx, speaker, start, "end") VALUES (?, 99, ?, ?, ?)',
                                 [document, speaker, min(a, b), max(a, b)])
                elif ids and op == "delete":
                    conn.execute("DELETE FROM turns WHERE id = ?", [ids[a % len(ids)]])
                elif ids and op == "end":
                    conn.execute('UPDATE turns SET start = min(start, ?), "end" = ? WHERE id = ?',
                                 [b, b, ids[a % len(ids)]])
                elif ids and op == "speaker":
                    conn.execute("UPDATE turns SET speaker = ? WHERE id = ?", [speaker, ids[a % len(ids)]])
                elif op == "move":
                    conn.execute("UPDATE codings SET start = ?, \"end\" = ? + 1 WHERE id = "
                                 "(SELECT min(id) FROM codings)", [a % 39, a % 39])
            assert stored(project) == looked_up(project), (op, a, b, speaker)
