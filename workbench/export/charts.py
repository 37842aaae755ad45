"""Charts as PNG (matplotlib): code frequencies as bars, frequencies by attribute as stacked
bars, co-occurrence as a heatmap; Chinese labels drawn with a CJK font, never as boxes.

The CJK font is looked up through matplotlib's font manager (Noto CJK, Source Han, WenQuanYi,
…) and checked for every glyph a label needs. Without one, a chart whose labels hold Chinese is
refused with a message saying what to install, instead of drawing empty boxes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import WorkbenchError
from .files import atomic_path
from .tables import Table

CJK_FAMILIES = ("Noto Sans CJK", "Noto Serif CJK", "Source Han Sans", "Source Han Serif", "WenQuanYi",
                "Droid Sans Fallback", "AR PL", "SimHei", "Microsoft YaHei", "PingFang", "Hiragino Sans GB",
                "Heiti", "Songti", "Arial Unicode")
INSTALL_HINT = "install a CJK font (Debian/Ubuntu: apt install fonts-noto-cjk; macOS and Windows have one)"
_PROBE = "中文标签"
_CJK_FILE = re.compile(r"cjk|wqy|sourcehan|source-han|droidsansfallback|simhei|simsun|msyh|pingfang|uming|ukai|"
                       r"hiragino|heiti|songti|notosanssc|notoserifsc", re.IGNORECASE)


@dataclass(frozen=True)
class Font:
    name: str
    path: str


@dataclass(frozen=True)
class Chart:
    """What was drawn, and with which fonts: the test checks glyph coverage against it."""

    path: Path
    kind: str
    labels: tuple[str, ...]
    font: Font | None  # the CJK font, when one was found


def charmap(path: str) -> set[int]:
    from matplotlib.ft2font import FT2Font

    return set(FT2Font(path).get_charmap())


def cjk_font() -> Font | None:
    """An installed font with Chinese glyphs, preferring the families known to be complete."""
    from matplotlib import font_manager

    quiet_font_warnings()
    for entry in preferred(font_manager.fontManager.ttflist):
        try:
            if all(ord(ch) in charmap(entry.fname) for ch in _PROBE):
                return Font(entry.name, entry.fname)
        except (OSError, RuntimeError):
            continue
    # matplotlib caches its font list: a font installed after that cache was built is missing
    # from it, so look at the system's font files too and register the one that fits.
    for path in sorted(font_manager.findSystemFonts(), key=lambda p: (_weight_rank(Path(p).name), p)):
        if not _CJK_FILE.search(Path(path).name):
            continue
        try:
            if all(ord(ch) in charmap(path) for ch in _PROBE):
                font_manager.fontManager.addfont(path)
                return Font(font_manager.FontProperties(fname=path).get_name(), path)
        except (OSError, RuntimeError, ValueError):
            continue
    return None


_REGULAR = {"normal", "regular", "book", "400", 400}
_OTHER_WEIGHT = re.compile(r"bold|black|heavy|light|thin|medium|semibold|demibold|extralight", re.IGNORECASE)


def _weight_rank(name: str) -> int:
    """0 for a regular face, 1 for any other weight: a bold file drew every CJK label bold (issue 22)."""
    return 1 if _OTHER_WEIGHT.search(name) else 0


def preferred(fonts) -> list:
    """The CJK entries of matplotlib's font list, known families first and the regular upright face first."""
    def family_rank(entry) -> int:
        return next(i for i, family in enumerate(CJK_FAMILIES) if family.casefold() in entry.name.casefold())

    def face_rank(entry) -> tuple[int, int]:
        weight = entry.weight if isinstance(entry.weight, int) else str(entry.weight).casefold()
        upright = 0 if entry.style == "normal" else 1
        return (0 if weight in _REGULAR else 1) + _weight_rank(Path(entry.fname).name), upright

    named = [f for f in fonts if any(family.casefold() in f.name.casefold() for family in CJK_FAMILIES)]
    return sorted(named, key=lambda f: (family_rank(f), face_rank(f)))


def quiet_font_warnings() -> None:
    """matplotlib's 'findfont: Failed to find font weight…' lines are not the workbench's to print."""
    import logging

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def missing_glyphs(font: Font | None, labels: list[str]) -> set[str]:
    """Characters of the labels that neither the CJK font nor matplotlib's default font has."""
    from matplotlib import font_manager

    covered = charmap(font_manager.findfont("DejaVu Sans"))
    if font is not None:
        covered |= charmap(font.path)
    return {ch for label in labels for ch in label if not ch.isspace() and ord(ch) not in covered}


def _setup(labels: list[str], path: Path):
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    quiet_font_warnings()

    needs_cjk = any(ord(ch) > 0x2E7F for label in labels for ch in label)
    font = cjk_font() if needs_cjk else None
    missing = missing_glyphs(font, labels) if needs_cjk else set()
    if missing:
        sample = "".join(sorted(missing)[:6])
        raise WorkbenchError(f"{path}: no installed font can draw {sample!r} in the chart's labels; {INSTALL_HINT}")
    family = ["DejaVu Sans"] + ([font.name] if font else [])
    # A list of families makes matplotlib fall back glyph by glyph: Latin from DejaVu, Han from the CJK font.
    return plt, font, {"font.family": family, "axes.unicode_minus": False}


def _save(figure, plt, path: Path) -> None:
    try:
        with atomic_path(path) as temporary:
            figure.savefig(str(temporary), format="png", dpi=150, bbox_inches="tight")
    finally:
        plt.close(figure)


def bars(table: Table, path: str | Path, title: str | None = None) -> Chart:
    """Horizontal bars: the total codings of each code (a table's last column)."""
    path = Path(path)
    labels = [label for label, _ in table.rows]
    plt, font, rc = _setup(labels + [title or table.title], path)
    with plt.rc_context(rc):
        totals = [values[-1] for _, values in table.rows]
        figure, axes = plt.subplots(figsize=(8, max(2.5, 0.32 * len(labels) + 1.2)))
        positions = range(len(labels))
        axes.barh(positions, totals, color="#4c78a8")
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        axes.set_xlabel("codings")
        axes.set_title(title or "Code frequencies")
        for y, total in zip(positions, totals, strict=True):
            axes.text(total, y, f" {total}", va="center", fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        _save(figure, plt, path)
    return Chart(path, "frequencies", tuple(labels), font)


def stacked(table: Table, path: str | Path) -> Chart:
    """Stacked horizontal bars: each code's codings split by the values of a case attribute."""
    path = Path(path)
    labels = [label for label, _ in table.rows]
    groups = table.columns[:-1]  # the last column is the total
    plt, font, rc = _setup(labels + groups + [table.title], path)
    with plt.rc_context(rc):
        figure, axes = plt.subplots(figsize=(9, max(2.5, 0.32 * len(labels) + 1.5)))
        left = [0] * len(labels)
        colours = plt.get_cmap("tab20")
        for i, group in enumerate(groups):
            values = [row[i] for _, row in table.rows]
            axes.barh(range(len(labels)), values, left=left, label=group, color=colours(i % 20))
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.set_yticks(list(range(len(labels))), labels)
        axes.invert_yaxis()
        axes.set_xlabel("codings")
        axes.set_title(table.title)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        _save(figure, plt, path)
    return Chart(path, "by", tuple(labels + groups), font)


def heatmap(table: Table, path: str | Path) -> Chart:
    """A code × code heatmap with the count in every non-empty cell."""
    path = Path(path)
    labels = table.columns
    plt, font, rc = _setup(labels + [table.title], path)
    with plt.rc_context(rc):
        size = max(4.0, 0.38 * len(labels) + 2.5)
        figure, axes = plt.subplots(figsize=(size + 1, size))
        matrix = [values for _, values in table.rows]
        image = axes.imshow(matrix or [[0]], cmap="Blues")
        axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=7)
        axes.set_yticks(range(len(labels)), labels, fontsize=7)
        peak = max((v for row in matrix for v in row), default=0)
        for y, row in enumerate(matrix):
            for x, value in enumerate(row):
                if value:
                    axes.text(x, y, str(value), ha="center", va="center", fontsize=6,
                              color="white" if value > peak / 2 else "black")
        axes.set_title(table.title)
        figure.colorbar(image, ax=axes, shrink=0.6, label="turns")
        _save(figure, plt, path)
    return Chart(path, "cooccurrence", tuple(labels), font)
