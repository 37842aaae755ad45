"""Issue 20, item 4 (the refusal): codings made on the old text of a document re-imported on the other
side refuse the merge. The message names the document, the encodings, which codings (code, span, coder,
what they cover) and the command that clears the way; following it, the merge goes through."""

from __future__ import annotations

import pytest
from reimported_pair import reimported_pair

from workbench.coding import remove_coding
from workbench.merge import merge_projects
from workbench.model import WorkbenchError
from workbench.store import Project


@pytest.fixture
def pair(tmp_path):
    """bob.qda read P01.txt as latin-1 and coded it; alice.qda re-imported it as gb18030 and coded it."""
    return reimported_pair(tmp_path, alice_codes=True, bob_codes=True)


def test_codings_here_on_the_old_text_are_named_with_the_way_out(pair):
    bob, alice = pair
    with pytest.raises(WorkbenchError) as refused:
        merge_projects(bob, alice, "bob")
    message = str(refused.value)
    assert message.startswith("P01.txt: was re-imported in alice.qda with another text (gb18030; here it is still "
                              "iso8859-1), so its 1 coding (Trust 0–4 by bob 'ÎÒÐÅ') here on the old text")
    assert "nothing was merged" in message
    assert "`workbench code bob.qda P01.txt CODE START END --remove`" in message
    with Project.open(bob) as project:  # doing what it says clears the way
        remove_coding(project, project.codings()[0].id, "bob")
    merge_projects(bob, alice, "bob")
    with Project.open(bob) as project:
        (coding,) = project.codings()
        assert (coding.coder, project.slice(coding.document_id, coding.start, coding.end)) == ("alice", "我信任我的家人")


def test_codings_there_on_the_old_text_are_named_with_the_way_out(pair):
    bob, alice = pair
    with pytest.raises(WorkbenchError) as refused:
        merge_projects(alice, bob, "alice")
    message = str(refused.value)
    assert message.startswith("P01.txt: was re-imported here with another text (gb18030; bob.qda still has "
                              "iso8859-1), so its 1 coding (Trust 0–4 by bob 'ÎÒÐÅ') in bob.qda on the old text")
    assert "Remove them in bob.qda (`workbench code bob.qda P01.txt CODE START END --remove`)" in message
    with Project.open(bob) as project:
        remove_coding(project, project.codings()[0].id, "bob")
    summary = merge_projects(alice, bob, "alice")
    assert any("kept the text re-imported here" in note for note in summary.notes)
