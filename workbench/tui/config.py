"""What the workbench remembers for one person between sessions: who they are, the theme, and
per project the last document and the cursor in each document.

All of it lives in a small JSON file under $WORKBENCH_HOME (or the user's config folder), keyed
by the project's resolved path: the shared project file never holds one person's state, so
opening a document commits nothing that other coders' windows would have to reload.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..model import WorkbenchError

MAX_CURSORS = 500  # documents remembered per project; the oldest are forgotten first


def config_path() -> Path:
    if os.environ.get("WORKBENCH_HOME"):
        return Path(os.environ["WORKBENCH_HOME"]) / "tui.json"
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "workbench" / "tui.json"


def load() -> dict:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**values: object) -> None:
    """Merge values into the config file (atomically); a failure says which file and why."""
    data = load()
    data.update(values)
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        raise WorkbenchError(f"{path}: cannot save your settings ({error.strerror or error})") from None


def _key(project_path: str | Path) -> str:
    return str(Path(project_path).resolve())


def project_state(project_path: str | Path) -> dict:
    """This person's state for one project: coder, last document, cursors."""
    state = load().get("projects", {}).get(_key(project_path), {})
    return state if isinstance(state, dict) else {}


def update_project_state(project_path: str | Path, **values: object) -> None:
    projects = load().get("projects", {})
    if not isinstance(projects, dict):
        projects = {}
    state = projects.get(_key(project_path), {})
    state = dict(state) if isinstance(state, dict) else {}
    state.update(values)
    projects[_key(project_path)] = state
    save(projects=projects)


def remembered_coder(project_path: str | Path) -> str | None:
    """Who this person said they are in this project (never read from the shared file)."""
    coder = project_state(project_path).get("coder") or load().get("coders", {}).get(_key(project_path))
    return coder if isinstance(coder, str) and coder.strip() else None


def last_coder() -> str | None:
    """The name this person last coded under anywhere: a suggestion for a new project."""
    coder = load().get("last_coder")
    return coder if isinstance(coder, str) and coder.strip() else None


def remember_coder(project_path: str | Path, coder: str) -> None:
    update_project_state(project_path, coder=coder)
    save(last_coder=coder)


def last_document(project_path: str | Path) -> int | None:
    document = project_state(project_path).get("document")
    return document if isinstance(document, int) else None


def cursor(project_path: str | Path, document_id: int) -> int:
    """Where the cursor was when this person last left the document (0 if never opened)."""
    position = project_state(project_path).get("cursors", {}).get(str(document_id), 0)
    return position if isinstance(position, int) and position >= 0 else 0


def remember_place(project_path: str | Path, document_id: int, position: int | None = None) -> None:
    """The document open now, and (when given) where its cursor is."""
    state = project_state(project_path)
    cursors = dict(state.get("cursors", {})) if isinstance(state.get("cursors"), dict) else {}
    if position is not None:
        cursors.pop(str(document_id), None)  # re-insert: the most recent last
        cursors[str(document_id)] = position
        while len(cursors) > MAX_CURSORS:
            cursors.pop(next(iter(cursors)))
    update_project_state(project_path, document=document_id, cursors=cursors)
