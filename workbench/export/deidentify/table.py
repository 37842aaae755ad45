"""The project's pseudonym table and its review: every row is confirmed, a candidate or rejected.

- confirmed: applied to every export (the participants table's names always are, as their case id);
- candidate: proposed by detection, with a label ready, applied to nothing until confirmed;
- rejected: not an identifier (an ordinary word); kept so detection never proposes it again.

The status is read from the stored row: `confirmed` set is confirmed; not confirmed with an
empty replacement is rejected (how the CSV review has always turned a candidate down).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...model import WorkbenchError
from ...store import Project
from ...store.events import Action
from ...store.export import Pseudonym
from .detect import Candidate, detect
from .match import Matcher
from .normal import term_key

CONFIRMED, CANDIDATE, REJECTED = "confirmed", "candidate", "rejected"
# Case attributes that hold a participant's name (or the pseudonym the study gave them).
NAME_ATTRIBUTES = frozenset({"name", "full name", "full_name", "pseudonym", "alias", "姓名", "名字", "化名", "称呼"})
LABELS = {"person": "Person", "place": "City", "organisation": "Organisation"}
CONTEXT = 30  # characters each side of a shown occurrence


def status(row: Pseudonym) -> str:
    if row.confirmed and row.replacement.strip() and row.replacement != row.original:
        return CONFIRMED
    if not row.replacement.strip() or row.replacement == row.original:
        return REJECTED
    return CANDIDATE


def confirmed(rows: Iterable[Pseudonym]) -> list[Pseudonym]:
    return [row for row in rows if status(row) == CONFIRMED]


def candidates(rows: Iterable[Pseudonym]) -> list[Pseudonym]:
    return [row for row in rows if status(row) == CANDIDATE]


def participant_names(project: Project) -> list[tuple[str, str]]:
    """(name, case) for every name-like attribute of a case: the participants table's names."""
    found = []
    for case in project.cases():
        for key, value in case.attributes.items():
            if key.strip().casefold() in NAME_ATTRIBUTES and value and value.strip() and value.strip() != case.name:
                found.append((value.strip(), case.name))
    return found


def next_replacement(kind: str, taken: Iterable[str]) -> str:
    """The next free label of a kind: [Person 3], [City C], [Organisation 2]."""
    taken = set(taken)
    for n in range(1, 100_000):
        label = f"[{LABELS[kind]} {_letters(n) if kind == 'place' else n}]"
        if label not in taken:
            return label
    raise WorkbenchError(f"too many {kind} pseudonyms")


def _letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _by_key(rows: Iterable[Pseudonym]) -> dict[str, Pseudonym]:
    found: dict[str, Pseudonym] = {}
    for row in rows:
        found.setdefault(term_key(row.original), row)
    return found


def sync_participants(project: Project, coder: str | None = None) -> int:
    """Every participant's name in the table, confirmed, mapped to the case id."""
    rows = _by_key(project.pseudonyms())
    changed = 0
    with project.transaction():
        for name, case in participant_names(project):
            row = rows.get(term_key(name))
            if row is None:
                project.add_pseudonym(name, case, "person", True, "participants")
                rows[term_key(name)] = project.pseudonyms()[-1]
                changed += 1
            elif status(row) != CONFIRMED:
                project.update_pseudonym(row.id, case, "person", True)
                changed += 1
        if changed:
            project.log(Action.PSEUDONYMS_PARTICIPANTS, {"added": changed}, coder)
    return changed


def add_candidates(project: Project, found: Iterable[Candidate], coder: str | None = None) -> list[Pseudonym]:
    """Detected terms not yet in the table (in any normalised form) become candidates with a label."""
    existing = project.pseudonyms()
    known = set(_by_key(existing))
    taken = {p.replacement for p in existing}
    added: list[str] = []
    with project.transaction():
        for candidate in found:
            key = term_key(candidate.original)
            if not key or key in known:
                continue
            label = next_replacement(candidate.kind, taken)
            taken.add(label)
            known.add(key)
            project.add_pseudonym(candidate.original, label, candidate.kind, False, "detected")
            added.append(candidate.original)
        if added:
            project.log(Action.PSEUDONYMS_DETECT, {"added": len(added)}, coder)
    names = set(added)
    return [p for p in project.pseudonyms() if p.original in names]


def detect_in_project(project: Project, texts: Iterable[str] | None = None,
                      coder: str | None = None) -> list[Pseudonym]:
    """Sync the participants' names, detect candidates (in `texts`, or every document), add them."""
    sync_participants(project, coder)
    if texts is None:
        texts = [text for _, _, text in project.document_texts()]
    return add_candidates(project, detect(texts), coder)


def decide(project: Project, terms: Iterable[str], decision: str, coder: str | None = None,
           kind: str = "person") -> list[str]:
    """Confirm or reject terms (in any normalised form); a term not in the table is added so decided."""
    if decision not in (CONFIRMED, REJECTED):
        raise WorkbenchError(f"decision {decision!r}: use {CONFIRMED} or {REJECTED}")
    rows = project.pseudonyms()
    by_key = _by_key(rows)
    taken = {p.replacement for p in rows}
    done = []
    with project.transaction():
        for term in terms:
            key = term_key(term)
            if not key:
                raise WorkbenchError(f"pseudonym {term!r}: an empty term")
            row = by_key.get(key)
            if decision == CONFIRMED:
                if row is None:
                    label = next_replacement(kind, taken)
                    project.add_pseudonym(term.strip(), label, kind, True, "manual")
                elif status(row) != CONFIRMED:
                    label = row.replacement if row.replacement.strip() and row.replacement != row.original else (
                        next_replacement(row.kind, taken))
                    project.update_pseudonym(row.id, label, row.kind, True)
                else:
                    label = row.replacement
                taken.add(label)
            elif row is None:
                project.add_pseudonym(term.strip(), "", kind, False, "manual")
            elif row.source == "participants":
                raise WorkbenchError(f"pseudonym {row.original!r}: a participant's name stays confirmed "
                                     "(change the participants table instead)")
            else:
                project.update_pseudonym(row.id, "", row.kind, False)
            done.append(row.original if row is not None else term.strip())
        action = Action.PSEUDONYMS_CONFIRM if decision == CONFIRMED else Action.PSEUDONYMS_REJECT
        project.log(action, {"terms": done}, coder)
    return done


@dataclass(frozen=True)
class Review:
    """A row as the review shows it: how often the term occurs and where."""

    original: str
    replacement: str
    kind: str
    status: str
    source: str
    count: int
    contexts: tuple[str, ...] = field(default_factory=tuple)


def review(project: Project, statuses: Iterable[str] = (CANDIDATE,), contexts: int = 3) -> list[Review]:
    """Rows of these statuses with their counts and a few contexts, found as export would find them."""
    wanted = set(statuses)
    rows = [row for row in project.pseudonyms() if status(row) in wanted]
    matcher = Matcher(row.original for row in rows)
    counts: dict[str, int] = defaultdict(int)
    shown: dict[str, list[str]] = defaultdict(list)
    for _, name, text in project.document_texts():
        for hit in matcher.find(text):
            counts[hit.key] += 1
            if len(shown[hit.key]) < contexts:
                before = text[max(0, hit.start - CONTEXT):hit.start]
                after = text[hit.end:hit.end + CONTEXT]
                line = re.sub(r"\s+", " ", f"{before}[{text[hit.start:hit.end]}]{after}").strip()
                shown[hit.key].append(f"{name}: …{line}…")
    found = [Review(row.original, row.replacement, row.kind, status(row), row.source,
                    counts.get(term_key(row.original), 0), tuple(shown.get(term_key(row.original), ())))
             for row in rows]
    found.sort(key=lambda r: (-r.count, r.original))
    return found
