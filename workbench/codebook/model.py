"""A codebook as a value: a name and a forest of codes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model import Code

MAX_DEPTH = 8
MAX_CODES = 5_000
PATH_SEPARATOR = "/"


@dataclass
class Codebook:
    name: str
    codes: list[Code]
    name_zh: str = ""
    description: str = ""
    extra: dict = field(default_factory=dict)
    # Which fields the source gave for each code, by path: an import by path updates only these
    # and keeps the rest. Empty when every field is meant (a codebook built in code, an export).
    given: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, compare=False)

    def walk(self) -> Iterator[tuple[tuple[str, ...], Code]]:
        for code in self.codes:
            yield from code.walk()

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())


def path_text(path: tuple[str, ...]) -> str:
    return PATH_SEPARATOR.join(path)
