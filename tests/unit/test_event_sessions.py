"""Every event records the session that wrote it (issue 22), so a view knows its own changes."""

from __future__ import annotations

from workbench.store import Project
from workbench.store.events import Action


def test_events_carry_the_writing_session(tmp_path):
    project = Project.create(tmp_path / "p.qda")
    project.session = "window-1"
    with project.transaction():
        project.log(Action.MEMO, {"n": 1})
    other = Project.open(tmp_path / "p.qda")  # another program: no session of its own
    with other.transaction():
        other.log(Action.MEMO, {"n": 2})
    sessions = [e.session for e in project.events_since(0) if e.action == "memo"]
    assert sessions == ["window-1", None]
    other.close()
    project.close()
