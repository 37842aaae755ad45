"""What the workbench remembers between sessions: the coder (per project and overall), the theme.

The coder is kept in the project's own meta table (so it travels with the file) and in a small
JSON file under $WORKBENCH_HOME (or the user's config folder), which also keeps the theme.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..store import Project

CODER_KEY = "tui.last_coder"


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
    """Merge values into the config file; a read-only home is not worth an error."""
    data = load()
    data.update(values)
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


def remembered_coder(project: Project) -> str | None:
    """The coder last working on this project, else the last coder anywhere."""
    by_project = load().get("coders", {})
    return (project.meta(CODER_KEY) or by_project.get(str(project.path.resolve()))
            or load().get("last_coder") or None)


def remember_coder(project: Project, coder: str) -> None:
    with project.transaction():
        project.set_meta(CODER_KEY, coder)
    coders = load().get("coders", {})
    coders[str(project.path.resolve())] = coder
    save(last_coder=coder, coders=coders)
