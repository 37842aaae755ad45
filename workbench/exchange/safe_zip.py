"""Reading untrusted archives: every member inside it, bounded in size, ratio and time.

A .qdpx comes from another person's computer. Nothing is extracted to disk; members are read
into memory on demand, and an archive that names a path outside itself, would expand past
the caps, or takes too long is refused whole with one line naming the file and the reason.
"""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..model import WorkbenchError

MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # 1 GB expanded: 100 times the largest real project
MAX_RATIO = 200  # zip bombs compress 1000:1 and more; interview text about 3:1 to 10:1
RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress very well; judge big ones only
MAX_MEMBERS = 100_000
TIME_LIMIT_S = 120.0
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The caps one read of an archive keeps to (tests and benchmarks pass smaller ones)."""

    total_bytes: int = MAX_TOTAL_BYTES
    ratio: float = MAX_RATIO
    members: int = MAX_MEMBERS
    seconds: float = TIME_LIMIT_S


class SafeArchive:
    """An open zip archive whose members are checked before any is read."""

    def __init__(self, path: str | Path, limits: Limits = Limits()):
        self.path = Path(path)
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self._read = 0
        if not self.path.exists():
            raise WorkbenchError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise WorkbenchError(f"{self.path}: is a folder, not a .qdpx archive")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise WorkbenchError(f"{self.path}: not a REFI-QDA archive (not a zip file: {error})") from None
        try:
            self._members = self._check()
        except BaseException:
            self._zip.close()
            raise

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.members:
            raise self.refuse(f"{len(infos):,} members is over the limit of {self.limits.members:,}")
        members: dict[str, zipfile.ZipInfo] = {}
        total = compressed = 0
        for info in infos:
            name = info.filename
            if not inside(name):
                raise self.refuse(f"member {name!r} names a path outside the archive")
            if info.flag_bits & 0x1:
                raise self.refuse(f"member {name!r} is encrypted")
            total += info.file_size
            compressed += info.compress_size
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > self.limits.ratio * max(info.compress_size, 1):
                raise self.refuse(
                    f"member {name!r} would expand {info.file_size / max(info.compress_size, 1):,.0f} times "
                    f"(limit {self.limits.ratio:g}); a zip bomb?"
                )
            if not info.is_dir():
                members[key(name)] = info
        if total > self.limits.total_bytes:
            raise self.refuse(
                f"would expand to {total / 1048576:,.0f} MB, over the limit of "
                f"{self.limits.total_bytes / 1048576:,.0f} MB"
            )
        if total > RATIO_FLOOR_BYTES and total > self.limits.ratio * max(compressed, 1):
            raise self.refuse(f"would expand {total / max(compressed, 1):,.0f} times (limit {self.limits.ratio:g})")
        return members

    def refuse(self, reason: str) -> WorkbenchError:
        return WorkbenchError(f"{self.path}: refused: {reason}; nothing was imported")

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise self.refuse(f"reading it took longer than {self.limits.seconds:g} s")

    def names(self) -> list[str]:
        return [info.filename for info in self._members.values()]

    def find(self, name: str) -> str | None:
        """The member's stored name, matched without regard to case or slash direction."""
        info = self._members.get(key(name))
        return info.filename if info else None

    def read(self, name: str) -> bytes:
        """A member's bytes, counted against the caps as they expand (declared sizes can lie)."""
        info = self._members.get(key(name))
        if info is None:
            raise WorkbenchError(f"{self.path}: has no member {name!r}")
        allowed = min(info.file_size, self.limits.total_bytes - self._read)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    self.check_time()
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > allowed:
                        raise self.refuse(f"member {info.filename!r} expands past its declared size or the cap")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise WorkbenchError(f"{self.path}: member {info.filename!r} cannot be read ({error})") from None
        except Exception as error:  # zlib.error and friends from a damaged member
            if isinstance(error, WorkbenchError):
                raise
            raise WorkbenchError(f"{self.path}: member {info.filename!r} cannot be read ({error})") from None
        self._read += size
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def key(name: str) -> str:
    """How members are looked up: `sources/X.TXT` and `Sources\\x.txt` are one member."""
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name.casefold()


def inside(name: str) -> bool:
    """Whether a member name stays inside the archive (no absolute path, drive or `..`)."""
    normal = name.replace("\\", "/")
    if not normal or normal.startswith("/") or "\x00" in normal:
        return False
    if len(normal) > 1 and normal[1] == ":":  # C:/…
        return False
    return ".." not in PurePosixPath(normal).parts
