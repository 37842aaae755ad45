"""A workbench for qualitative data analysis of English and Chinese interview transcripts."""

from __future__ import annotations

from . import store as _store


def _backup_first(project: _store.Project, action: str) -> object:
    # The store runs this before destructive work (migrations, deletions, restores); the backup
    # module loads only then, so commands that only code or read start faster (issue 9).
    from .backup import auto_backup

    return auto_backup(project, action)


if _store.DEFAULT_BEFORE_DESTRUCTIVE is None:
    _store.set_before_destructive(_backup_first)
