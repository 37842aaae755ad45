"""De-identification that neither corrupts quotations nor leaks a name.

- `normal`: one normalised form (NFKC, case folding with ß → ss, quotes, widths, spaces), with
  a map back to the original text;
- `match`: terms found on that form, as whole words (Latin) or as jieba says (Chinese);
- `chinese`, `english`, `detect`: candidates PROPOSED for review, never applied by themselves;
- `table`: the pseudonym table with a status per row (confirmed, candidate, rejected);
- `apply`: confirmed terms applied to every string an export writes, with a record beside it;
- `review_csv`: the table's CSV round trip.
"""

from __future__ import annotations

from .apply import Applier, Replacer, Report, clean_record, record_csv, record_path
from .detect import Candidate, detect
from .review_csv import export_csv, import_csv, to_csv
from .table import (
    CANDIDATE,
    CONFIRMED,
    NAME_ATTRIBUTES,
    REJECTED,
    Review,
    add_candidates,
    candidates,
    confirmed,
    decide,
    detect_in_project,
    next_replacement,
    participant_names,
    review,
    status,
    sync_participants,
)

__all__ = [
    "Applier", "CANDIDATE", "CONFIRMED", "Candidate", "NAME_ATTRIBUTES", "REJECTED", "Replacer", "Report", "Review",
    "add_candidates", "candidates", "clean_record", "confirmed", "decide", "detect", "detect_in_project",
    "export_csv", "import_csv", "next_replacement", "participant_names", "record_csv", "record_path", "replacer",
    "review", "status", "sync_participants", "to_csv",
]


def replacer(project) -> Applier:
    """The project's confirmed terms as one applier."""
    return Applier(project.pseudonyms())
