"""Accounts live beside the project, keep only hashes, and links stop working when reset."""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import pytest

from workbench.model import WorkbenchError
from workbench.serve.accounts import AccountBook, server_folder
from workbench.serve.sessions import Limits, Sessions


@pytest.fixture
def project(tmp_path):
    from workbench.store import Project

    path = tmp_path / "study.qda"
    Project.create(path).close()
    return path


def test_an_account_is_kept_beside_the_project_with_only_a_hash(project):
    new = AccountBook(project).add("Ana", "coder")
    path = server_folder(project) / "accounts.json"
    text = path.read_text()
    assert new.key not in text and new.key.split(".")[1] not in text
    assert json.loads(text)["accounts"]["Ana"]["role"] == "coder"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"Ana" not in project.read_bytes()  # never in the project file


def test_the_link_signs_in_and_a_forged_or_reset_link_is_refused(project):
    book = AccountBook(project)
    new = book.add("Ana")
    assert book.verify(new.key).name == "Ana"
    lookup, secret = new.key.split(".")
    assert book.verify(f"{lookup}.{secret[:-2]}xx") is None
    assert book.verify("nonsense") is None
    again = book.reset("Ana")
    assert book.verify(new.key) is None
    assert AccountBook(project).verify(again.key).name == "Ana"


def test_adding_a_name_twice_or_a_bad_role_is_one_clear_error(project):
    book = AccountBook(project)
    book.add("Ana")
    with pytest.raises(WorkbenchError, match="exists"):
        book.add("Ana")
    with pytest.raises(WorkbenchError, match="role"):
        book.add("Bo", "admin")
    with pytest.raises(WorkbenchError, match="no account"):
        book.remove("Bo")


def test_sessions_end_when_the_account_is_reset_removed_or_idle(project):
    book = AccountBook(project)
    ana = book.add("Ana").account
    now = [0.0]
    sessions = Sessions(book, Limits(idle_timeout_s=60), clock=lambda: now[0])
    first = sessions.sign_in(ana, "127.0.0.1")
    assert sessions.get(first.id) is first
    book.reset("Ana")
    assert sessions.get(first.id) is None
    second = sessions.sign_in(book.get("Ana"), "127.0.0.1")
    now[0] = 61.0
    assert sessions.get(second.id) is None
    third = sessions.sign_in(book.get("Ana"), "127.0.0.1")
    book.remove("Ana")
    assert sessions.get(third.id) is None


def test_open_apps_are_limited_per_account_and_in_all(project):
    book = AccountBook(project)
    ana, bo = book.add("Ana").account, book.add("Bo").account
    sessions = Sessions(book, Limits(apps_per_account=2, apps_in_all=3))
    a = sessions.sign_in(ana, "x")
    assert sessions.open_app(a) is None and sessions.open_app(a) is None
    assert "Ana has 2" in sessions.open_app(a)
    b = sessions.sign_in(bo, "y")
    assert sessions.open_app(b) is None
    assert "at most 3" in sessions.open_app(b)
    sessions.close_app(a)
    assert sessions.open_app(b) is None


def test_account_verbs_print_the_link_once_and_list_roles(project):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "workbench", "account", *args], capture_output=True, text=True)

    added = run("add", str(project), "Ana", "--role", "viewer", "--url", "http://lab:9000")
    assert added.returncode == 0, added.stderr
    link = next(line.strip() for line in added.stdout.splitlines() if "/signin?key=" in line)
    assert link.startswith("http://lab:9000/signin?key=")
    assert AccountBook(project).verify(link.split("key=")[1]).role == "viewer"
    listed = run("list", str(project), "--json")
    assert json.loads(listed.stdout)[0]["role"] == "viewer"
    missing = run("remove", str(project), "Nobody")
    assert missing.returncode == 1 and "no account 'Nobody'" in missing.stderr


def test_a_read_only_process_refuses_every_write_to_the_project(project):
    import sqlite3

    from workbench.store import Project

    Project.set_read_only("read-only: vi is signed in as a viewer")
    try:
        with Project.open(project) as store:
            with pytest.raises(WorkbenchError, match="viewer"):
                with store.transaction():
                    pass
            with pytest.raises(sqlite3.OperationalError):
                store.conn.execute("INSERT INTO coders(name) VALUES ('x')")
    finally:
        Project.set_read_only(None)
