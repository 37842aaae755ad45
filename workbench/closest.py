"""'Did you mean …?': the known names closest to a name that resolved to nothing.

One helper for every place a name is looked up (codes by name, Chinese name or path; documents;
coders; cases), so a typo gets the same kind of hint wherever it is made.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

# difflib's ratio: 0.5 lets one wrong character of a two- or three-character Chinese name through;
# longer names need more in common, or 'Testing' would suggest 'Housing'.
SHORT, SHORT_CUTOFF, CUTOFF = 3, 0.5, 0.7


def closest(wanted: str, options: Mapping[str, str] | Iterable[str], limit: int = 3) -> list[str]:
    """The shown names whose keys are nearest `wanted`, best first.

    `options` maps each key to match (a name, a Chinese name, a path) to what to show (a path);
    a plain iterable is its own display. Keys containing `wanted` (or contained in it) come first.
    """
    table = dict(options) if isinstance(options, Mapping) else {name: name for name in options}
    folded: dict[str, str] = {}
    for key, shown in table.items():
        if key:
            folded.setdefault(key.casefold(), shown)
    target = wanted.strip().casefold()
    if not target:
        return []
    found: list[str] = []
    for key, shown in folded.items():
        if target in key or (len(key) > 1 and key in target):
            found.append(shown)
    for key in difflib.get_close_matches(target, list(folded), n=limit * 2,
                                       cutoff=SHORT_CUTOFF if len(target) <= SHORT else CUTOFF):
        found.append(folded[key])
    return list(dict.fromkeys(found))[:limit]


def hint(wanted: str, options: Mapping[str, str] | Iterable[str], limit: int = 3) -> str:
    """' (did you mean 'A' or 'B'?)', or '' when nothing is close."""
    names = closest(wanted, options, limit)
    if not names:
        return ""
    quoted = [repr(name) for name in names]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {listed}?)"
