"""The audit trail, project metadata and the cheap polls that tell a view to refresh."""

from __future__ import annotations

import json
from enum import StrEnum

from ..model import Event
from .base import Queries, insert_row, now


class Action(StrEnum):
    """What an audit-trail entry records: the one list of the names written to `events.action`.

    Members are strings, so they are stored, compared and looked up as the plain names are.
    """

    CREATE = "create"
    # codings
    CODE_APPLY = "code apply"
    CODE_REMOVE = "code remove"
    CODE_RESTORE = "code restore"  # a removed coding put back (undo)
    IMPORT_CODINGS = "import codings"
    DEMO_CODINGS = "demo codings"
    # the codebook
    CODE_ADD = "code add"
    CODE_UPDATE = "code update"
    CODE_MOVE = "code move"
    CODE_MERGE = "code merge"
    CODE_DELETE = "code delete"
    CODE_UNDELETE = "code undelete"  # a deleted code put back with its codings (was "code restore")
    CODEBOOK_IMPORT = "codebook import"
    # documents and cases
    IMPORT = "import"
    IMPORT_REFI = "import refi"
    PARTICIPANTS = "participants"
    DOCUMENT_RENAME = "document rename"
    DOCUMENT_DELETE = "document delete"
    DOCUMENT_REIMPORT = "document reimport"
    WORDS_INDEX = "words index"
    STOPWORDS_ADD = "stopwords add"
    STOPWORDS_REMOVE = "stopwords remove"
    # memos, translations, pseudonyms
    MEMO = "memo"
    TRANSLATE = "translate"
    PSEUDONYMS_PARTICIPANTS = "pseudonyms participants"
    PSEUDONYMS_DETECT = "pseudonyms detect"
    PSEUDONYMS_IMPORT = "pseudonyms import"
    PSEUDONYMS_CONFIRM = "pseudonyms confirm"
    PSEUDONYMS_REJECT = "pseudonyms reject"
    # suggestions and themes
    SUGGEST_RUN = "suggest run"
    SUGGEST_ADD = "suggest add"
    SUGGEST_ACCEPT = "suggest accept"
    SUGGEST_REJECT = "suggest reject"
    SUGGEST_REOPEN = "suggest reopen"
    THEMES_RUN = "themes run"
    THEMES_PROMOTE = "themes promote"
    # the whole project
    MERGE = "merge"
    RESTORE = "restore"  # from a backup


# Kinds of change, for a view that follows the trail piece by piece (any other action: reload all).
CODING_ACTIONS = frozenset({Action.CODE_APPLY, Action.CODE_REMOVE, Action.CODE_RESTORE})
CODE_ACTIONS = frozenset({Action.CODE_ADD, Action.CODE_UPDATE, Action.CODE_MOVE, Action.CODEBOOK_IMPORT})
DOCUMENT_ACTIONS = frozenset({Action.IMPORT, Action.PARTICIPANTS})
MEMO_ACTIONS = frozenset({Action.MEMO})
SUGGESTION_ACTIONS = frozenset(a for a in Action if a.startswith("suggest "))


class EventQueries(Queries):
    """The audit trail and the project's own key-value settings."""

    # Who is writing: one id per open view (the TUI sets it, and gives it to the connections its screens open),
    # recorded with every event so the view knows its own changes from another coder's (issue 22).
    session: str | None = None

    def log(self, action: Action | str, detail: dict | None = None, coder: str | None = None) -> None:
        """Record an action; who ran it is named, but running a command does not make a coder."""
        coder_id = self.known_coder_id(coder)
        if coder and coder_id is None:
            detail = {**(detail or {}), "by": coder.strip()}
        insert_row(self.conn, "events",
            {"at": now(), "coder_id": coder_id, "action": action,
             "detail": json.dumps(detail or {}, ensure_ascii=False), "session": self.session}
        )

    def events(self, limit: int = 100, action: Action | str | None = None) -> list[Event]:
        """The newest entries first (`limit` -1: all), of one action if given."""
        if action is not None:
            return self._events("WHERE action = ? ORDER BY id DESC LIMIT ?", [action, limit])
        return self._events("ORDER BY id DESC LIMIT ?", [limit])

    def _events(self, clause: str, params: list[object]) -> list[Event]:
        return [Event(*row) for row in self.conn.execute(
            f"SELECT id, at, coder_id, action, detail, session FROM events {clause}", params)]

    def data_version(self) -> int:
        """A number that changes when another connection commits: a cheap 'refresh?' poll."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def last_event_id(self) -> int:
        """The newest audit-trail entry: every core write logs one, so a change shows here."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]

    def events_since(self, event_id: int) -> list[Event]:
        """What was done after `event_id`, oldest first: what a refresh needs to redraw."""
        return self._events("WHERE id > ? ORDER BY id", [event_id])

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        insert_row(self.conn, "meta", {"key": key, "value": value}, replace=True)

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
