"""The team's logins: one account per person, kept in a server file beside the project.

`PROJECT.server/accounts.json` holds, per account, its role and an scrypt hash of its secret;
the secret itself is printed once (as a sign-in link) and never stored. The file lives beside
the project, never inside it, so the project that travels to colleagues and exports carries no
logins. Writes are atomic (a temporary file renamed over the old one) under a lock, so an
`account add` while the server runs is seen by the server on its next request.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..model import WorkbenchError
from .seat import ROLES

# scrypt's cost: about 30 ms and 16 MB per check, so a stolen file is slow to attack while a
# sign-in stays instant. The secret has 256 random bits anyway; the hash keeps it out of the file.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_NAME = 64
FILE_VERSION = 1


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    lookup: str  # public part of the key: finds the account without trying every hash
    created_at: str


@dataclass(frozen=True)
class NewKey:
    """What `add` and `reset` hand back once: the secret is never kept."""

    account: Account
    key: str

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/signin?key={self.key}"


def server_folder(project: str | Path) -> Path:
    """`study.qda` → `study.qda.server/`: the server's own files, beside the project."""
    project = Path(project)
    return project.with_name(project.name + ".server")


def check_name(name: str) -> str:
    """An account name is the coder's name: one printable line of at most 64 characters."""
    cleaned = unicodedata.normalize("NFC", name.strip())
    if not cleaned:
        raise WorkbenchError("an account needs a name")
    if len(cleaned) > MAX_NAME:
        raise WorkbenchError(f"account name {cleaned[:20]!r}…: longer than {MAX_NAME} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise WorkbenchError(f"account name {cleaned!r}: holds control characters")
    return cleaned


def check_role(role: str) -> str:
    if role not in ROLES:
        raise WorkbenchError(f"role {role!r}: choose one of {', '.join(ROLES)}")
    return role


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class AccountBook:
    """The accounts file of one project; re-read whenever it changed on disk."""

    def __init__(self, project: str | Path):
        self.project = Path(project)
        self.folder = server_folder(self.project)
        self.path = self.folder / "accounts.json"
        self._stamp: tuple[int, int, int] | None = None
        self._data: dict = {"version": FILE_VERSION, "accounts": {}}
        self._transient: dict[str, dict] = {}  # run-only logins (the owner's on loopback), never written

    # ------------------------------------------------------------- reading
    def _read(self) -> dict:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._data = None, {"version": FILE_VERSION, "accounts": {}}
            return self._data
        except OSError as error:
            raise WorkbenchError(f"{self.path}: cannot read ({error.strerror})") from None
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if stamp != self._stamp:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise WorkbenchError(f"{self.path}: not a readable accounts file ({error})") from None
            if not isinstance(data, dict) or not isinstance(data.get("accounts"), dict):
                raise WorkbenchError(f"{self.path}: not an accounts file (no \"accounts\" table)")
            self._stamp, self._data = stamp, data
        return self._data

    def accounts(self) -> list[Account]:
        return [self._account(name, entry) for name, entry in sorted(self._read()["accounts"].items())]

    def get(self, name: str) -> Account | None:
        entry = self._table().get(name)
        return self._account(name, entry) if entry else None

    def __bool__(self) -> bool:
        return bool(self._read()["accounts"])

    def _table(self) -> dict[str, dict]:
        return {**self._read()["accounts"], **self._transient}

    def add_transient(self, name: str, role: str = "coder") -> NewKey:
        """A login for this run only, kept in memory: the person serving on their own machine."""
        return self._new_secret(self._transient, check_name(name), check_role(role), created_at=_now())

    @staticmethod
    def _account(name: str, entry: dict) -> Account:
        return Account(name, entry.get("role", "viewer"), entry.get("lookup", ""), entry.get("created_at", ""))

    def verify(self, key: str) -> Account | None:
        """The account whose secret link carries `key`, or None (forged, reset or removed)."""
        lookup, _, secret = key.partition(".")
        if not lookup or not secret or len(key) > 200:
            return None
        for name, entry in self._table().items():
            if hmac.compare_digest(str(entry.get("lookup", "")), lookup):
                try:
                    expected = base64.b64decode(entry["hash"])
                    salt = base64.b64decode(entry["salt"])
                except (KeyError, ValueError):
                    return None
                if hmac.compare_digest(_hash(secret, salt), expected):
                    return self._account(name, entry)
                return None
        return None

    # ------------------------------------------------------------- writing
    def add(self, name: str, role: str = "coder") -> NewKey:
        name, role = check_name(name), check_role(role)
        with self._editing() as accounts:
            if name in accounts:
                raise WorkbenchError(f"{self.path}: account {name!r} exists (reset it for a new link)")
            key = self._new_secret(accounts, name, role, created_at=_now())
        return key

    def reset(self, name: str, role: str | None = None) -> NewKey:
        """A new link for the account; the old one stops working (and its sessions end)."""
        with self._editing() as accounts:
            entry = accounts.get(name)
            if entry is None:
                raise WorkbenchError(f"{self.path}: no account {name!r}")
            key = self._new_secret(accounts, name, check_role(role or entry.get("role", "coder")),
                                   created_at=entry.get("created_at", _now()))
        return key

    def remove(self, name: str) -> None:
        with self._editing() as accounts:
            if accounts.pop(name, None) is None:
                raise WorkbenchError(f"{self.path}: no account {name!r}")

    def _new_secret(self, accounts: dict, name: str, role: str, created_at: str) -> NewKey:
        lookup, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_bytes(16)
        accounts[name] = {"role": role, "lookup": lookup, "salt": _b64(salt), "hash": _b64(_hash(secret, salt)),
                          "scrypt": {"n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
                          "created_at": created_at, "key_set_at": _now()}
        return NewKey(self._account(name, accounts[name]), f"{lookup}.{secret}")

    @contextlib.contextmanager
    def _editing(self) -> Iterator[dict]:
        """The accounts table under a lock; written back atomically if the block succeeds."""
        if not self.project.exists():
            raise WorkbenchError(f"{self.project}: no such project file")
        try:
            self.folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as error:
            raise WorkbenchError(f"{self.folder}: cannot make the server folder ({error.strerror})") from None
        with open(self.folder / "accounts.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._stamp = None
            data = self._read()
            accounts = dict(data["accounts"])
            yield accounts
            self._write({**data, "version": FILE_VERSION, "accounts": accounts})

    def _write(self, data: dict) -> None:
        handle, temporary = tempfile.mkstemp(prefix=".accounts-", suffix=".json", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise WorkbenchError(f"{self.path}: cannot write ({error.strerror}); nothing was changed") from None
        self._stamp = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
