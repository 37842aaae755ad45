"""Plain dataclasses for the domain: what the store keeps and every layer passes around."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

ORIGINS = ("manual", "suggestion", "keyword", "theme", "import")


class WorkbenchError(Exception):
    """An error meant for the user: one line naming the file and the problem."""


@dataclass(frozen=True)
class Turn:
    """A speaker's turn: a span of the document's text, with optional media times."""

    idx: int
    speaker: str | None
    start: int
    end: int
    lang: str = "und"
    t_start_ms: int | None = None
    t_end_ms: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class Document:
    id: int
    name: str
    sha256: str
    lang: str
    encoding: str
    source_path: str
    text: str
    imported_at: str
    case_id: int | None = None
    format: str = "txt"
    guid: str = ""


@dataclass(frozen=True)
class DocumentSummary:
    """A document without its text: what lists, lookups and filters need."""

    id: int
    name: str
    lang: str
    encoding: str
    format: str
    chars: int
    case_id: int | None
    case: str | None  # the case's name
    turns: int
    codings: int


@dataclass(frozen=True)
class Event:
    """One entry of the audit trail: who did what, when; `detail` as stored (JSON text)."""

    id: int
    at: str
    coder_id: int | None
    action: str
    detail: str | None
    session: str | None = None

    def details(self) -> dict:
        """The detail as a dict ({} when it is missing or not a JSON object)."""
        try:
            value = json.loads(self.detail or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class ThemeRun:
    """One recorded `themes run`: how it was made (columns as stored, `parameters` parsed)."""

    id: int
    guid: str
    unit: str
    scope: str
    k: int
    seed: int
    method: str
    model: str | None
    parameters: dict
    created_at: str
    coder_id: int | None
    coder: str | None  # the coder's name
    themes: int  # how many themes it found


@dataclass(frozen=True)
class Theme:
    """A theme of a run: its label, words and where it occurs (JSON columns parsed)."""

    id: int
    guid: str
    run_id: int
    position: int
    label: str
    size: int
    terms: list[str]
    languages: dict[str, int]
    documents: list[str]
    cases: list[str]
    code_id: int | None = None  # the code it was promoted to
    promoted_at: str | None = None


@dataclass(frozen=True)
class ThemeMember:
    """A passage of a theme, with its text, document, case and speaker."""

    document_id: int
    document: str
    start: int
    end: int
    score: float
    representative: int | None  # its rank among the excerpts shown (None: not shown)
    text: str
    case: str | None
    speaker: str | None


@dataclass(frozen=True)
class Case:
    id: int
    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    guid: str = ""


@dataclass
class Code:
    """A node of the codebook tree; `children` is filled when a tree is built."""

    name: str
    name_zh: str = ""
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    color: str = "#888888"
    keywords_en: list[str] = field(default_factory=list)
    keywords_zh: list[str] = field(default_factory=list)
    children: list[Code] = field(default_factory=list)
    id: int | None = None
    parent_id: int | None = None
    position: int = 0
    # Identity and provenance as stored; not part of what a codebook file says about a code.
    guid: str = field(default="", compare=False)
    updated_at: str | None = field(default=None, compare=False)
    updated_by: str | None = field(default=None, compare=False)

    @property
    def stored_id(self) -> int:
        """The id of a code read from a project (only a code not yet stored has none)."""
        if self.id is None:
            raise WorkbenchError(f"code {self.name!r} is not stored in a project yet")
        return self.id

    def walk(self, path: tuple[str, ...] = ()):
        """Yield (path, code) for this code and every descendant, depth first."""
        here = path + (self.name,)
        yield here, self
        for child in self.children:
            yield from child.walk(here)


@dataclass(frozen=True)
class Coding:
    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    coder: str
    origin: str
    created_at: str
    guid: str = ""
    updated_at: str | None = None
    updated_by: str | None = None


@dataclass(frozen=True)
class Segment:
    """A retrieved piece of text with where it came from, ready to show or cite."""

    document_id: int
    document: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    case: str | None = None
    code: str | None = None
    coder: str | None = None
    coding_id: int | None = None
    matches: tuple[tuple[int, int], ...] = ()  # search hits inside it, as document offsets
    # Every coding behind a query result: (coding id, code path, coder); `code`, `coder` and
    # `coding_id` above summarise them (paths and coders joined, the first coding's id).
    codings: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class Memo:
    id: int
    target: str
    target_id: int
    coder: str | None
    text: str
    created_at: str
    guid: str = ""
    updated_at: str | None = None
    updated_by: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A span the engine proposes for a code, and what became of it (open, accepted, rejected).

    `code_id` is None once the code is deleted; `code_guid` keeps the rejection's meaning.
    """

    id: int
    document_id: int
    code_id: int | None
    start: int
    end: int
    score: float
    method: str
    status: str
    code_guid: str = ""
    run_id: int | None = None
    text: str = ""
    decided_by: str | None = None
    decided_at: str | None = None
    coding_id: int | None = None
    guid: str = ""


@dataclass(frozen=True)
class SuggestionDraft:
    """A proposal before it is stored: any engine (keywords, models, themes) hands these over."""

    document_id: int
    code_id: int
    start: int
    end: int
    score: float
    method: str
