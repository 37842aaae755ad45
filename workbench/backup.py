"""Backups of a project file: consistent copies made with SQLite's online backup API, in rotation.

A backup is a whole, self-contained SQLite file (rollback-journal mode, so no -wal file beside
it), written under a hidden temporary name, checked, synced and only then renamed into place:
a crash never leaves half a backup under a backup's name, and the project never writes to it.
Restoring goes the other way through the same API, into the open project, as one transaction:
other processes with the project open see the old state or the new one, never a mix, and a
crash half-way leaves the project as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import store
from .model import WorkbenchError
from .store import Project
from .store.events import Action

KEEP_NEWEST = 10  # automatic backups always kept, newest first
KEEP_DAILY = 30  # and the day's first automatic backup for this many days that had one
MANUAL = "manual"  # the action of `workbench backup`: never rotated away
BUSY_TIMEOUT_S = 30.0
STALE_AFTER_S = 3600.0  # a hidden temporary file this old was left by a killed process
STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\.\d{6}Z)-(?P<action>[a-z0-9-]+?)(?:-(?P<n>\d+))?$")
PARTIAL = ".partial-"
RESTORING = ".restoring-"


@dataclass(frozen=True)
class Backup:
    """One backup file of a project, as found in its backups folder."""

    path: Path
    at: datetime
    action: str
    size: int

    @property
    def automatic(self) -> bool:
        return self.action != MANUAL


def folder_of(project_path: str | Path) -> Path:
    """`interviews.qda` keeps its backups in `interviews.qda.backups/` beside it."""
    project_path = Path(project_path)
    return project_path.with_name(project_path.name + ".backups")


def list_backups(project_path: str | Path) -> list[Backup]:
    """The project's backups, oldest first; files of other names in the folder are ignored."""
    project_path = Path(project_path)
    folder = folder_of(project_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if path.name.startswith(".") or path.suffix != _suffix(project_path) or not path.is_file():
            continue
        match = NAME.match(path.stem)
        if not match or match.group("stem") != project_path.stem:
            continue
        at = datetime.strptime(match.group("stamp"), STAMP_FORMAT).replace(tzinfo=UTC)
        found.append(Backup(path, at, match.group("action"), path.stat().st_size))
    return sorted(found, key=lambda b: (b.at, b.path.name))


def auto_backup(project: Project, action: str) -> Path | None:
    """The hook run before every destructive operation: a rotated backup, or a refusal to go on."""
    if project.path.name.startswith(RESTORING):
        return None  # a backup being checked for restore is itself the copy to fall back on
    return make_backup(project, action)


def make_backup(project: Project, action: str = MANUAL, output: str | Path | None = None,
                keep: int = KEEP_NEWEST) -> Path:
    """Copy the project's committed state into a new backup file and return its path.

    Safe while other processes write: the copy is one read transaction, so it holds exactly the
    transactions committed before it began. Automatic backups beyond `keep` are rotated away.
    """
    source_path = project.path
    slug = re.sub(r"[^a-z0-9]+", "-", action.lower()).strip("-") or "backup"
    if output is not None:
        target = Path(output)
        if target.exists():
            raise WorkbenchError(f"{target}: already exists; choose a new name for the backup")
        if not target.parent.is_dir():
            raise WorkbenchError(f"{target}: folder {target.parent} does not exist")
    else:
        folder = folder_of(source_path)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as error:
            raise _cannot(source_path, action, f"cannot make {folder} ({error.strerror})") from None
        target = _fresh_name(folder, source_path, slug)
    _check_space(source_path, target.parent, action)
    partial = target.with_name(f"{PARTIAL}{os.getpid()}-{target.name}")
    try:
        _copy(source_path, partial)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except sqlite3.Error as error:
        raise _cannot(source_path, action, str(error)) from None
    except OSError as error:
        raise _cannot(source_path, action, error.strerror or str(error)) from None
    finally:
        _remove(partial)
    if output is None:
        rotate(source_path, keep)
    return target


def _copy(source_path: Path, partial: Path) -> None:
    """Online backup into `partial`, turned into a standalone file, checked and synced."""
    source = sqlite3.connect(str(source_path), timeout=BUSY_TIMEOUT_S)
    try:
        target = sqlite3.connect(str(partial))
        try:
            source.backup(target)  # one step: one consistent snapshot of committed data
            mode = target.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode.lower() != "delete":
                raise sqlite3.DatabaseError(f"the copy stayed in {mode} mode")
            check = target.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"the copy fails its check ({check})")
        finally:
            target.close()
    finally:
        source.close()
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())


def _read_copy(source_path: Path, target_path: Path) -> None:
    """Copy a database through SQLite, read-only: Python never opens a database file itself,
    since closing such a descriptor drops this process's SQLite locks on it (issue 7)."""
    try:
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as error:
        raise WorkbenchError(f"{source_path}: cannot read ({error})") from None
    try:
        target = sqlite3.connect(str(target_path))
        try:
            source.backup(target)
        finally:
            target.close()
    except sqlite3.DatabaseError as error:
        reason = "not a SQLite file" if "not a database" in str(error) else str(error)
        raise WorkbenchError(f"{source_path}: not a workbench project ({reason})") from None
    finally:
        source.close()


def rotate(project_path: str | Path, keep: int = KEEP_NEWEST, keep_daily: int = KEEP_DAILY) -> list[Path]:
    """Delete automatic backups beyond the newest `keep`, sparing each day's first for
    `keep_daily` days, so a run of mistakes cannot rotate every good state away."""
    keep = max(1, keep)
    automatic = [b for b in list_backups(project_path) if b.automatic]
    spared = {b.path for b in automatic[-keep:]}
    first_of_day: dict[str, Backup] = {}
    for backup in automatic:
        first_of_day.setdefault(backup.at.date().isoformat(), backup)
    spared |= {b.path for _, b in sorted(first_of_day.items())[-keep_daily:]}
    removed = []
    for backup in automatic:
        if backup.path not in spared:
            _remove(backup.path)
            removed.append(backup.path)
    _remove_stale(folder_of(project_path))
    return removed


def resolve(project_path: str | Path, reference: str | Path) -> Path:
    """A backup named by path, or by file name inside the project's backups folder."""
    path = Path(reference)
    if path.is_file():
        return path
    inside = folder_of(project_path) / path.name
    if inside.is_file():
        return inside
    raise WorkbenchError(
        f"{reference}: no such backup (list them with `workbench backup {project_path} --list`)"
    )


def restore(project_path: str | Path, backup_path: str | Path, coder: str | None = None) -> Path | None:
    """Replace the project's contents with a backup's; return the backup of the state before.

    The backup is first copied and opened as a project (refusing anything else) and checked;
    then the project as it is now is backed up; then the contents go in as one transaction.
    A missing project is created from the backup (None is returned then).
    """
    project_path = Path(project_path)
    backup_path = resolve(project_path, backup_path)
    if project_path.exists() and backup_path.resolve() == project_path.resolve():
        raise WorkbenchError(f"{backup_path}: is the project itself; name a backup of it")
    for leftover in (_sidecar(project_path, "-wal"), _sidecar(project_path, "-shm")):
        if not project_path.exists() and leftover.exists():
            raise WorkbenchError(
                f"{leftover}: left over from a project file that is gone; move it away before restoring"
            )
    folder = folder_of(project_path)
    folder.mkdir(exist_ok=True)
    checking = folder / f"{RESTORING}{os.getpid()}-{time.time_ns()}{_suffix(project_path)}"
    try:
        _read_copy(backup_path, checking)
        try:
            candidate = Project.open(checking)
        except WorkbenchError as error:
            raise WorkbenchError(str(error).replace(str(checking), str(backup_path))) from None
        with candidate:
            if not candidate.integrity_ok():
                raise WorkbenchError(f"{backup_path}: damaged (it fails SQLite's integrity check)")
            if not project_path.exists():
                _restore_into_new(candidate, project_path, backup_path)
                return None
            with Project.open(project_path) as project:
                before = make_backup(project, "restore")
                try:
                    candidate.conn.backup(project.conn)  # one transaction through the project's WAL
                except sqlite3.Error as error:
                    raise WorkbenchError(f"{project_path}: cannot restore {backup_path.name} ({error})") from None
                with project.transaction():
                    project.log(Action.RESTORE, {"from": str(backup_path), "before": str(before)}, coder)
            return before
    finally:
        for path in (checking, _sidecar(checking, "-wal"), _sidecar(checking, "-shm")):
            _remove(path)


def _restore_into_new(candidate: Project, project_path: Path, backup_path: Path) -> None:
    """No project file any more: build it whole under a hidden name, then rename it in."""
    if not project_path.parent.is_dir():
        raise WorkbenchError(f"{project_path}: folder {project_path.parent} does not exist")
    partial = project_path.with_name(f"{PARTIAL}{os.getpid()}-{project_path.name}")
    try:
        _copy(candidate.path, partial)
        os.replace(partial, project_path)
        _sync_folder(project_path.parent)
    except (sqlite3.Error, OSError) as error:
        raise WorkbenchError(f"{project_path}: cannot restore {backup_path.name} ({error})") from None
    finally:
        _remove(partial)


def _fresh_name(folder: Path, project_path: Path, slug: str) -> Path:
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    base = f"{project_path.stem}-{stamp}-{slug}"
    target = folder / f"{base}{_suffix(project_path)}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{base}-{number}{_suffix(project_path)}"
    return target


def _suffix(project_path: Path) -> str:
    return project_path.suffix or ".qda"


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _check_space(source_path: Path, folder: Path, action: str) -> None:
    wal = _sidecar(source_path, "-wal")
    needed = source_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    free = shutil.disk_usage(folder).free
    if free < needed * 1.1 + 1_048_576:
        raise _cannot(source_path, action, f"only {free / 1048576:.0f} MB free in {folder}, "
                                           f"the backup needs about {needed / 1048576:.0f} MB")


def _cannot(source_path: Path, action: str, reason: str) -> WorkbenchError:
    if action == MANUAL:
        return WorkbenchError(f"{source_path}: cannot make a backup: {reason}")
    return WorkbenchError(f"{source_path}: cannot make the backup that comes before {action}: {reason}; "
                          "nothing was changed")


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _remove_stale(folder: Path) -> None:
    """Temporary files of killed processes; a live process's are young and left alone."""
    if not folder.is_dir():
        return
    cutoff = time.time() - STALE_AFTER_S
    for path in folder.iterdir():
        if path.name.startswith((PARTIAL, RESTORING)):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


store.set_before_destructive(auto_backup)  # every project backs up before destructive work
