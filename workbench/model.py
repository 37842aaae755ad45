"""Plain dataclasses for the domain: what the store keeps and every layer passes around."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Case:
    id: int
    name: str
    attributes: dict[str, str] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Memo:
    id: int
    target: str
    target_id: int
    coder: str | None
    text: str
    created_at: str


@dataclass(frozen=True)
class Suggestion:
    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    score: float
    method: str
    status: str


@dataclass(frozen=True)
class SuggestionDraft:
    """A proposal before it is stored: any engine (keywords, models, themes) hands these over."""

    document_id: int
    code_id: int
    start: int
    end: int
    score: float
    method: str
