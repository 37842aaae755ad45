"""Citation lines for quoted excerpts: `(P07, trader, Yiwu, ¶14)`, or `[00:12:31]` when timed.

A citation is either a list of fields (`case,role,city,place`; empty ones are left out) or a
template with fields in braces (`({case}, {city}, ¶{turn})`). Fields: case, document, speaker,
coder, code, turn (the paragraph number), time (hh:mm:ss), place (the time of a timed
transcript, else ¶ and the turn number) and any case attribute by name (city, role, …).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable

from ..model import WorkbenchError
from .select import Excerpt

DEFAULT = "case,role,city,place"
BUILT_IN = ("case", "document", "speaker", "coder", "code", "turn", "time", "place")


def timestamp(ms: int | None) -> str:
    if ms is None:
        return ""
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def fields(excerpt: Excerpt) -> dict[str, str]:
    """Every value a citation may use; attribute names are matched without regard to case."""
    time = timestamp(excerpt.t_start_ms)
    values = {key.casefold(): value for key, value in excerpt.attributes.items()}
    values.update({
        "case": excerpt.case or excerpt.document, "document": excerpt.document, "speaker": excerpt.speaker,
        "coder": excerpt.coder, "code": excerpt.code,
        "turn": str(excerpt.turn) if excerpt.turn is not None else "",
        "time": time,
        "place": f"[{time}]" if time else (f"¶{excerpt.turn}" if excerpt.turn is not None else ""),
    })
    return values


def names_in(spec: str) -> list[str]:
    if "{" in spec:
        try:
            return [name for _, name, _, _ in string.Formatter().parse(spec) if name is not None]
        except ValueError as error:
            raise WorkbenchError(f"--cite {spec!r}: {error}") from None
    return [part.strip() for part in spec.split(",") if part.strip()]


def check(spec: str, attribute_names: Iterable[str]) -> None:
    """Refuse a citation naming a field no excerpt can have, before anything is written."""
    known = set(BUILT_IN) | {name.casefold() for name in attribute_names}
    for name in names_in(spec):
        if name.casefold() not in known:
            raise WorkbenchError(f"--cite {spec!r}: no field {name!r} (known: {', '.join(sorted(known))})")


def citer(spec: str = DEFAULT, clean: Callable[[str], str] | None = None) -> Callable[[Excerpt], str]:
    """A function giving an excerpt's citation line; `clean` de-identifies each value."""
    spec = spec or DEFAULT
    template = "{" in spec
    names = names_in(spec)

    def cite(excerpt: Excerpt) -> str:
        values = fields(excerpt)
        if clean is not None:
            values = {k: clean(v) if k not in ("turn", "time", "place", "code") else v for k, v in values.items()}
        if template:
            return spec.format_map({name: values.get(name.casefold(), "") for name in names})
        parts = [values.get(name.casefold(), "") for name in names]
        return "(" + ", ".join(p for p in parts if p) + ")"

    return cite
