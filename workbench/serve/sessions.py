"""Signed-in browsers: cookie sessions with limits, an idle timeout and a log line per event.

A session is what a sign-in link (or the login page) gives a browser: a random id in an
HttpOnly, SameSite=Strict cookie, kept only in the server's memory (a restart signs everyone
out). Each session remembers the account's key generation, so resetting or removing an account
ends its sessions at their next request. Live app processes (one per open browser tab) are
limited per account and in all; signing in again past the limit drops the oldest idle session.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .accounts import Account, AccountBook

log = logging.getLogger("workbench.serve")

COOKIE = "workbench_session"


@dataclass(frozen=True)
class Limits:
    apps_per_account: int = 3  # browser tabs one person may have open at once
    apps_in_all: int = 16  # app processes the server runs at once (each is ~60-100 MB)
    sessions_per_account: int = 8  # signed-in browsers; the oldest is signed out past this
    idle_timeout_s: float = 3600.0  # a session (and its app) unused this long is ended
    failures_per_minute: int = 10  # refused keys from one address before it is made to wait


@dataclass
class Session:
    id: str
    account: str
    role: str
    lookup: str
    remote: str
    created: float
    last_seen: float
    apps: int = 0


@dataclass
class Sessions:
    book: AccountBook
    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], float] = time.monotonic
    by_id: dict[str, Session] = field(default_factory=dict)
    _failures: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))

    # ----------------------------------------------------------- signing in
    def sign_in(self, account: Account, remote: str) -> Session:
        now = self.clock()
        session = Session(secrets.token_urlsafe(32), account.name, account.role, account.lookup, remote, now, now)
        own = sorted((s for s in self.by_id.values() if s.account == account.name and s.apps == 0),
                     key=lambda s: s.last_seen)
        while own and self.count(account.name) >= self.limits.sessions_per_account:
            self.sign_out(own.pop(0), "replaced by a newer sign-in")
        self.by_id[session.id] = session
        log.info("sign-in %s (%s) from %s", account.name, account.role, remote)
        return session

    def sign_out(self, session: Session, reason: str = "signed out") -> None:
        if self.by_id.pop(session.id, None) is not None:
            log.info("sign-out %s from %s: %s", session.account, session.remote, reason)

    def count(self, account: str) -> int:
        return sum(1 for s in self.by_id.values() if s.account == account)

    def get(self, session_id: str | None, touch: bool = True) -> Session | None:
        """The live session behind a cookie; None if unknown, idle too long, or its account changed."""
        session = self.by_id.get(session_id or "")
        if session is None:
            return None
        now = self.clock()
        if session.apps == 0 and now - session.last_seen > self.limits.idle_timeout_s:
            self.sign_out(session, "idle timeout")
            return None
        account = self.book.get(session.account)
        if account is None:
            self.sign_out(session, "account removed")
            return None
        if account.lookup != session.lookup or account.role != session.role:
            self.sign_out(session, "account reset")
            return None
        if touch:
            session.last_seen = now
        return session

    def expire(self) -> None:
        """End idle sessions and those whose account changed (run now and then by the server)."""
        for session in list(self.by_id.values()):
            self.get(session.id, touch=False)

    # --------------------------------------------------------------- apps
    def open_app(self, session: Session) -> str | None:
        """Count one more app for the session; the reason it may not have one, or None."""
        own = sum(s.apps for s in self.by_id.values() if s.account == session.account)
        if own >= self.limits.apps_per_account:
            return f"{session.account} has {own} sessions open (at most {self.limits.apps_per_account})"
        total = sum(s.apps for s in self.by_id.values())
        if total >= self.limits.apps_in_all:
            return f"the server runs {total} sessions (at most {self.limits.apps_in_all})"
        session.apps += 1
        return None

    def close_app(self, session: Session) -> None:
        session.apps = max(0, session.apps - 1)
        session.last_seen = self.clock()

    # ----------------------------------------------------------- refusals
    def refused(self, remote: str, what: str) -> None:
        log.warning("refused %s from %s", what, remote)

    def note_failure(self, remote: str) -> None:
        self._failures[remote].append(self.clock())

    def throttled(self, remote: str) -> bool:
        """True when this address gave too many wrong keys in the last minute."""
        failures, now = self._failures[remote], self.clock()
        while failures and now - failures[0] > 60:
            failures.popleft()
        return len(failures) >= self.limits.failures_per_minute
