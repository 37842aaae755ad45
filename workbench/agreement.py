"""Intercoder agreement: how consistently coders applied each code, by character or by segment.

The statistics are pure functions over sorted intervals, so ten million characters never become
ten million array cells: a sweep over the codings' boundaries finds, for every stretch of text,
how many coders applied a code there, and every figure (percent agreement, Cohen's and Fleiss'
kappa, Krippendorff's alpha) follows from the total length of stretches with each count.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .intervals import union
from .model import WorkbenchError

LEVELS = ("char", "segment")
UNITS = ("sentence", "turn")

# (document, code, coder, start, end): one coding, as the statistics see it.
Mark = tuple[int, str, str, int, int]
# (m coders present, k of them applied the code) -> how many units (characters or segments).
Histogram = dict[tuple[int, int], float]


@dataclass(frozen=True)
class Stats:
    """Agreement on one code (or pooled over all codes) among the named coders."""

    percent: float | None  # share of units where every coder agrees, 0–100
    kappa: float | None  # Cohen's kappa for two coders, Fleiss' for more; None when undefined
    alpha: float | None  # Krippendorff's alpha, nominal, missing data allowed
    units: int  # units compared for percent and kappa (characters or segments)
    coded: tuple[int, ...]  # per coder: characters (char level) or units (segment level) coded
    chars: tuple[int, ...] = ()  # per coder: characters coded, at every level
    table: tuple[int, int, int, int] | None = None  # two coders: (both, only A, only B, neither)


@dataclass(frozen=True)
class Disagreement:
    """A passage where the coders did not all do the same with one code."""

    document: int
    code: str
    start: int
    end: int
    applied_by: tuple[str, ...]  # the coders who applied the code here; the others did not


@dataclass(frozen=True)
class Agreement:
    """Agreement per code and overall, with the passages where coders differed."""

    coders: tuple[str, ...]
    level: str
    unit: str | None
    documents: tuple[int, ...]  # coded by every coder: the base of percent and kappa
    alpha_documents: tuple[int, ...]  # coded by at least two: alpha takes the others as missing
    codes: tuple[tuple[str, Stats], ...]
    overall: Stats
    mean_kappa: float | None
    disagreements: tuple[Disagreement, ...] = field(default=())


# ----------------------------------------------------------------------------- statistics
def cohen_kappa_2x2(both: float, only_a: float, only_b: float, neither: float) -> float | None:
    """Cohen's kappa from a 2x2 table of counts; None when chance agreement is already total."""
    n = both + only_a + only_b + neither
    if n <= 0:
        return None
    observed = (both + neither) / n
    p_a, p_b = (both + only_a) / n, (both + only_b) / n
    expected = p_a * p_b + (1 - p_a) * (1 - p_b)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(histogram: Histogram, raters: int) -> float | None:
    """Fleiss' kappa for a yes/no judgement from how many units got k 'yes' of `raters`."""
    n = raters
    total = sum(count for (m, _), count in histogram.items() if m == n)
    if total <= 0 or n < 2:
        return None
    agreement = sum(c * (k * k + (n - k) ** 2 - n) for (m, k), c in histogram.items() if m == n)
    p_bar = agreement / (total * n * (n - 1))
    p_yes = sum(c * k for (m, k), c in histogram.items() if m == n) / (total * n)
    expected = p_yes ** 2 + (1 - p_yes) ** 2
    if expected >= 1:
        return None
    return (p_bar - expected) / (1 - expected)


def alpha_binary(histogram: Histogram) -> float | None:
    """Krippendorff's alpha (nominal) for a yes/no judgement, from the coincidence counts.

    Units seen by fewer than two coders are not pairable and drop out, as the definition says.
    """
    disagreeing = yes = no = 0.0
    for (m, k), count in histogram.items():
        if m < 2:
            continue
        disagreeing += count * k * (m - k) / (m - 1)  # o(yes,no) summed over units
        yes += count * k
        no += count * (m - k)
    pairable = yes + no
    if yes == 0 or no == 0:
        return None  # one value everywhere: no variation to agree about
    return 1 - (pairable - 1) * disagreeing / (yes * no)


def percent_all_agree(histogram: Histogram, raters: int) -> float | None:
    total = sum(c for (m, _), c in histogram.items() if m == raters)
    if total <= 0:
        return None
    agreeing = sum(c for (m, k), c in histogram.items() if m == raters and k in (0, raters))
    return 100.0 * agreeing / total


def coverage_runs(per_coder: Sequence[list[tuple[int, int]]], length: int) -> list[tuple[int, int, int]]:
    """(start, end, bitmask of coders covering it) for every stretch of [0, length), by a sweep."""
    events: list[tuple[int, int]] = []
    for index, ranges in enumerate(per_coder):
        for start, end in ranges:
            events.append((start, index + 1))  # positive: coder enters
            events.append((end, -(index + 1)))
    events.sort()
    runs, mask, cursor, i = [], 0, 0, 0
    while i < len(events):
        position = events[i][0]
        if position > cursor:
            runs.append((cursor, min(position, length), mask))
            cursor = position
        while i < len(events) and events[i][0] == position:
            value = events[i][1]
            mask = mask | (1 << (value - 1)) if value > 0 else mask & ~(1 << (-value - 1))
            i += 1
    if cursor < length:
        runs.append((cursor, length, mask))
    return [run for run in runs if run[1] > run[0]]


def _bits(mask: int) -> int:
    return bin(mask).count("1")


# ----------------------------------------------------------------------------- the two levels
def character_agreement(
    marks: Iterable[Mark], lengths: Mapping[int, int], coders: Sequence[str],
    codes: Sequence[str] | None = None,
) -> Agreement:
    """Agreement over every character of the documents the coders coded (as NVivo counts it)."""
    return _agreement(marks, lengths, coders, codes, level="char", units=None)


def segment_agreement(
    marks: Iterable[Mark], lengths: Mapping[int, int], coders: Sequence[str],
    units: Mapping[int, list[tuple[int, int]]], unit: str = "sentence", min_share: float = 0.0,
    codes: Sequence[str] | None = None,
) -> Agreement:
    """Agreement over sentences or turns: a unit counts as coded when a coder's codings cover
    more than `min_share` of it (0: any overlap at all)."""
    if not 0 <= min_share <= 1:
        raise WorkbenchError(f"--min-share {min_share}: give a share between 0 and 1")
    return _agreement(marks, lengths, coders, codes, level="segment", units=(unit, units, min_share))


def _agreement(marks, lengths, coders, codes, level, units) -> Agreement:
    coders = tuple(coders)
    if len(coders) < 2:
        raise WorkbenchError("agreement needs at least two coders")
    if len(set(coders)) != len(coders):
        raise WorkbenchError(f"coders {', '.join(coders)}: a coder is named twice")
    index = {name: i for i, name in enumerate(coders)}
    touched: dict[int, set[int]] = defaultdict(set)  # document -> coders who coded anything there
    spans: dict[tuple[str, int], list[list[tuple[int, int]]]] = {}
    for document, code, coder, start, end in marks:
        if coder not in index or document not in lengths:
            continue
        touched[document].add(index[coder])
        if codes is not None and code not in codes:
            continue
        spans.setdefault((code, document), [[] for _ in coders])[index[coder]].append((start, end))
    common = tuple(sorted(d for d, who in touched.items() if len(who) == len(coders)))
    pairable = tuple(sorted(d for d, who in touched.items() if len(who) >= 2))
    used = sorted({code for code, document in spans if document in pairable})
    if codes is not None:
        used = sorted(set(used) | set(codes))  # a named code nobody applied shows as such
    per_code: list[tuple[str, Stats]] = []
    unit_index: dict[int, tuple[list[int], list[int], int]] = {}
    pooled: Histogram = defaultdict(float)
    pooled_coded = [0] * len(coders)
    pooled_chars = [0] * len(coders)
    found: list[Disagreement] = []
    for code in used:
        histogram: Histogram = defaultdict(float)
        coded, chars = [0] * len(coders), [0] * len(coders)
        for document in pairable:
            present = touched[document]
            marked = spans.get((code, document))
            if marked is None:  # nobody applied this code here: every unit agrees on "no"
                count = lengths[document] if units is None else sum(1 for s, e in units[1].get(document, []) if e > s)
                histogram[(len(present), 0)] += count
                continue
            per_coder = [union(r) for r in marked]
            runs = coverage_runs(per_coder, lengths[document])
            full = len(present) == len(coders)
            for i, ranges in enumerate(per_coder):
                if full:
                    chars[i] += sum(e - s for s, e in ranges)
            if units is None:
                for start, end, mask in runs:
                    mask &= _mask(present)
                    histogram[(len(present), _bits(mask))] += end - start
                    if full and 0 < _bits(mask) < len(coders):
                        who = tuple(c for i, c in enumerate(coders) if mask >> i & 1)
                        _note(found, document, code, start, end, who)
            else:
                _, unit_spans, min_share = units
                starts, ends, valid = _unit_index(unit_index, unit_spans, document)
                measures = [_Coverage(ranges) for ranges in per_coder]
                touched_units: set[int] = set()
                for ranges in per_coder:  # only units some coding reaches can be coded by anyone
                    for start, end in ranges:
                        touched_units.update(range(bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)))
                histogram[(len(present), 0)] += valid - len(touched_units)
                for unit in sorted(touched_units):
                    start, end = starts[unit], ends[unit]
                    mask, size = 0, end - start
                    for i, measure in enumerate(measures):
                        if i not in present:
                            continue
                        covered = measure.within(start, end)
                        if covered > 0 and covered >= min_share * size:
                            mask |= 1 << i
                    bits = _bits(mask)
                    histogram[(len(present), bits)] += 1
                    if full:
                        for i in range(len(coders)):
                            if mask >> i & 1:
                                coded[i] += 1
                        if 0 < bits < len(coders):
                            found.append(Disagreement(document, code, start, end,
                                                      tuple(c for i, c in enumerate(coders) if mask >> i & 1)))
        if units is None:
            coded = chars  # at character level a unit coded is a character coded
        stats = _stats(histogram, len(coders), coded, chars)
        per_code.append((code, stats))
        for key, value in histogram.items():
            pooled[key] += value
        for i in range(len(coders)):
            pooled_coded[i] += coded[i]
            pooled_chars[i] += chars[i]
    if not used:  # no codings at all: every unit agrees that nothing is there
        for document in common:
            count = lengths[document] if units is None else len(units[1].get(document, []))
            pooled[(len(coders), 0)] += count
    overall = _stats(pooled, len(coders), pooled_coded, pooled_chars)
    kappas = [s.kappa for _, s in per_code if s.kappa is not None]
    found.sort(key=lambda d: (d.document, d.start, d.code))
    return Agreement(
        coders=coders, level="char" if units is None else "segment", unit=None if units is None else units[0],
        documents=common, alpha_documents=pairable, codes=tuple(per_code), overall=overall,
        mean_kappa=sum(kappas) / len(kappas) if kappas else None, disagreements=tuple(found),
    )


class _Coverage:
    """How much of any stretch a sorted, disjoint list of ranges covers, by bisection."""

    def __init__(self, ranges: list[tuple[int, int]]):
        self.starts = [s for s, _ in ranges]
        self.ends = [e for _, e in ranges]
        self.prefix = [0]
        for s, e in ranges:
            self.prefix.append(self.prefix[-1] + e - s)

    def within(self, start: int, end: int) -> int:
        first = bisect.bisect_right(self.ends, start)  # first range ending after start
        last = bisect.bisect_left(self.starts, end)  # ranges from here on start at or after end
        if first >= last:
            return 0
        total = self.prefix[last] - self.prefix[first]
        total -= max(0, start - self.starts[first])
        total -= max(0, self.ends[last - 1] - end)
        return total


def _unit_index(cache: dict, unit_spans: Mapping[int, list[tuple[int, int]]], document: int
                ) -> tuple[list[int], list[int], int]:
    """A document's non-empty units as sorted starts and ends (for bisection), built once."""
    if document not in cache:
        spans = sorted((s, e) for s, e in unit_spans.get(document, []) if e > s)
        cache[document] = ([s for s, _ in spans], [e for _, e in spans], len(spans))
    return cache[document]


def _mask(present: set[int]) -> int:
    mask = 0
    for i in present:
        mask |= 1 << i
    return mask


def _note(found: list[Disagreement], document: int, code: str, start: int, end: int, who: tuple[str, ...]) -> None:
    """Add a disagreeing stretch, joined to the previous one when it continues it."""
    last = found[-1] if found else None
    if last is not None and (last.document, last.code, last.end, last.applied_by) == (document, code, start, who):
        found[-1] = Disagreement(document, code, found[-1].start, end, who)
    else:
        found.append(Disagreement(document, code, start, end, who))


def _stats(histogram: Histogram, raters: int, coded: list[int], chars: list[int]) -> Stats:
    full = {k: c for (m, k), c in histogram.items() if m == raters}
    units = int(sum(full.values()))
    table = None
    if raters == 2:
        # With two coders, k=1 mixes "only A" and "only B"; split it by what each coded.
        both = full.get(2, 0)
        only_a, only_b = coded[0] - both, coded[1] - both
        neither = units - both - only_a - only_b
        table = (int(both), int(only_a), int(only_b), int(neither))
        kappa = cohen_kappa_2x2(*table)
    else:
        kappa = fleiss_kappa(histogram, raters)
    return Stats(
        percent=percent_all_agree(histogram, raters), kappa=_finite(kappa), alpha=_finite(alpha_binary(histogram)),
        units=units, coded=tuple(int(c) for c in coded), chars=tuple(int(c) for c in chars), table=table,
    )


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


# ----------------------------------------------------------------------------- cross-checks
def sklearn_kappa(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Cohen's kappa by scikit-learn, for segment labels: the reference the sweep is checked by."""
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _finite(cohen_kappa_score(list(a), list(b)))


def krippendorff_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Krippendorff's alpha by the krippendorff package (nominal; NaN marks missing data)."""
    import krippendorff
    import numpy as np

    data = np.asarray(rows, dtype=float)
    values = set(np.unique(data[~np.isnan(data)]).tolist())
    if len(values) < 2:
        return None
    return _finite(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def as_json(result: Agreement, document_names: Mapping[int, str], passages: Callable[[Disagreement], str] | None = None,
            limit: int | None = None) -> dict:
    """The `agree --json` shape: coders, documents, codes (with chars_a/chars_b), overall."""

    def entry(stats: Stats) -> dict:
        data: dict[str, object] = {"percent": _round(stats.percent), "kappa": _round(stats.kappa),
                                   "alpha": _round(stats.alpha),
                                   "chars_a": stats.chars[0] if stats.chars else 0,
                                   "chars_b": stats.chars[1] if len(stats.chars) > 1 else 0}
        if len(result.coders) > 2:
            data["chars"] = dict(zip(result.coders, stats.chars, strict=False))  # chars may be () (its default)
        if result.level == "segment":
            data["units"] = stats.units
            data["units_coded"] = dict(zip(result.coders, stats.coded, strict=True))
        return data

    overall = entry(result.overall)
    overall["mean_kappa"] = _round(result.mean_kappa)
    overall["documents_alpha"] = len(result.alpha_documents)
    shown = result.disagreements if limit is None else result.disagreements[:limit]
    return {
        "coders": list(result.coders),
        "documents": len(result.documents),
        "level": result.level,
        "unit": result.unit,
        "codes": [{"code": code, **entry(stats)} for code, stats in result.codes],
        "overall": overall,
        "disagreements": [
            {"document": document_names.get(d.document, str(d.document)), "code": d.code, "start": d.start,
             "end": d.end, "applied_by": list(d.applied_by),
             **({"text": passages(d)} if passages else {})}
            for d in shown
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# ----------------------------------------------------------------------------- from a project
def compute(
    project, coders: Sequence[str], code: str | None = None, level: str = "char", unit: str = "sentence",
    min_share: float = 0.0,
) -> Agreement:
    """Agreement among named coders of a project, per code (or one code and its sub-codes)."""
    from .codebook.ops import descendants, paths_by_id, resolve
    from .text.segment import sentence_spans

    if level not in LEVELS:
        raise WorkbenchError(f"--level {level!r}: use char or segment")
    if unit not in UNITS:
        raise WorkbenchError(f"--unit {unit!r}: use sentence or turn")
    names = [name.strip() for name in coders if name.strip()]
    known = project.coders()
    unknown = [name for name in names if name not in known]
    if unknown:
        from .closest import hint

        raise WorkbenchError(f"{project.path}: no coder named {unknown[0]!r}{hint(unknown[0], known)} "
                             f"(coders: {', '.join(known) or 'none yet'})")
    paths = paths_by_id(project)
    wanted = None
    if code is not None:
        wanted = [paths[i] for i in descendants(project, resolve(project, code))]
    marks = [(c.document_id, paths[c.code_id], c.coder, c.start, c.end) for c in project.codings(coders=names)]
    lengths = {row.id: row.chars for row in project.documents()}
    if level == "char":
        return character_agreement(marks, lengths, names, wanted)
    touched: dict[int, set[str]] = defaultdict(set)
    for document, _, coder, _, _ in marks:
        touched[document].add(coder)
    units: dict[int, list[tuple[int, int]]] = {}
    for document, who in touched.items():
        if len(who) < 2:
            continue
        if unit == "turn":
            units[document] = [(t.start, t.end) for t in project.turns(document) if t.end > t.start]
            if not units[document]:  # a text without speaker turns is one unit
                units[document] = [(0, lengths[document])]
        else:
            units[document] = sentence_spans(project.document(document).text)
    return segment_agreement(marks, lengths, names, units, unit, min_share, wanted)
