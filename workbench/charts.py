"""PNG bar charts of word frequencies and themes, with a CJK font when the machine has one.

Chinese labels must never render as boxes: if no CJK font is found, Chinese labels are replaced
by English placeholders (`zh-3`), and the caller is told which word each one stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .model import WorkbenchError
from .text.segment import has_han


@dataclass(frozen=True)
class Chart:
    path: Path
    font: str | None  # the CJK family used, or None when labels fell back to English
    legend: dict[str, str]  # placeholder -> the Chinese label it stands for (fallback only)


_HAN_RUN = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def _placeholder(word: str, legend: dict[str, str]) -> str:
    for key, value in legend.items():
        if value == word:
            return key
    key = f"zh-{len(legend) + 1}"
    legend[key] = word
    return key


def cjk_font() -> str | None:
    """The family name of an installed font that covers Chinese, or None (one finder for all charts)."""
    from .export.charts import cjk_font as find_cjk_font

    found = find_cjk_font()
    return found.name if found else None


def bar_chart(labels: list[str], values: list[float], path: str | Path, *, title: str, xlabel: str,
              font: str | None = "auto") -> Chart:
    """A horizontal bar chart, biggest at the top, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .export.charts import quiet_font_warnings

    quiet_font_warnings()

    path = Path(path)
    if path.suffix.lower() != ".png":
        raise WorkbenchError(f"{path}: --png needs a file name ending in .png")
    if not path.parent.exists():
        raise WorkbenchError(f"{path}: folder {path.parent} does not exist")
    family = cjk_font() if font == "auto" else font
    legend: dict[str, str] = {}
    shown = []
    for label in labels:
        if family is None and has_han(label):
            label = _HAN_RUN.sub(lambda m: _placeholder(m.group(), legend), label)
        shown.append(label)
    if family is None and has_han(title):
        title = _HAN_RUN.sub(lambda m: _placeholder(m.group(), legend), title)
    with plt.rc_context({"font.family": [family, "DejaVu Sans"]} if family else None):
        height = max(2.5, 0.32 * len(shown) + 1.2)
        figure, axes = plt.subplots(figsize=(8, height), dpi=120)
        axes.barh(range(len(shown)), values, color="#4e79a7")
        axes.set_yticks(range(len(shown)), shown)
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
        axes.set_title(title)
        figure.tight_layout()
        figure.savefig(path)
        plt.close(figure)
    return Chart(path, family, legend)
