"""Translations of coded excerpts: a Chinese quotation keeps its original, with an English
translation (or any language) exported beside it."""

from __future__ import annotations

from ..model import WorkbenchError
from ..store import Project
from ..store.events import Action

MAX_TRANSLATION = 20_000


def set_translation(project: Project, coding_id: int, text: str, lang: str = "en", coder: str | None = None) -> None:
    """Keep (or, with empty text, remove) the translation of one coding."""
    if project.coding(coding_id) is None:
        raise WorkbenchError(f"{project.path.name}: no coding with id {coding_id}")
    if len(text) > MAX_TRANSLATION:
        raise WorkbenchError(f"coding {coding_id}: a translation of more than {MAX_TRANSLATION} characters")
    lang = lang.strip() or "en"
    with project.transaction():
        project.set_translation(coding_id, text.strip(), lang)
        project.log(Action.TRANSLATE, {"coding": coding_id, "lang": lang, "removed": not text.strip()}, coder)


def translation(project: Project, coding_id: int) -> tuple[str, str] | None:
    return project.translations().get(coding_id)
