"""Excerpts as LaTeX: a section per code, each excerpt in a `quote` environment, all escaped.

The file compiles on its own with XeLaTeX or LuaLaTeX; Chinese needs `xeCJK` (XeLaTeX) and a
CJK font, named in the preamble. To paste into a paper, take what lies between
\\begin{document} and \\end{document}.
"""

from __future__ import annotations

import re
from pathlib import Path

from .document import Block, title
from .files import write_text

_REPLACEMENTS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
    "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "<": r"\textless{}", ">": r"\textgreater{}",
    "|": r"\textbar{}", "\u00b6": r"\P{}",
}
_SPECIAL = re.compile("|".join(re.escape(k) for k in _REPLACEMENTS))
_HAN = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

PREAMBLE = r"""%% Written by workbench. Compile with XeLaTeX (xelatex FILE.tex).
%% Chinese text needs the xeCJK package and a CJK font: install one (Debian/Ubuntu: fonts-noto-cjk;
%% TeX Live: texlive-lang-chinese) and name it in \setCJKmainfont below.
\documentclass{article}
\usepackage{fontspec}
%s
\begin{document}
"""
CJK = r"""\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}"""


def escape(text: str) -> str:
    """Text that LaTeX prints as written: every special character replaced by its command."""
    escaped = _SPECIAL.sub(lambda m: _REPLACEMENTS[m.group()], text)
    # A blank line would end the quote's paragraph mid-excerpt; keep paragraphs as forced breaks.
    return re.sub(r"\n\s*\n", r"\\par ", escaped).replace("\n", r"\\ ")


def render(blocks: list[Block], by: str = "code") -> str:
    chinese = any(_HAN.search(q.text + q.citation + q.translation) or _HAN.search(b.heading)
                  for b in blocks for q in b.quotes)
    lines = [PREAMBLE % (CJK if chinese else "%% \\usepackage{xeCJK} % needed once excerpts hold Chinese"),
             f"\\section*{{{escape(title(blocks, by))}}}", ""]
    for block in blocks:
        lines.append(f"\\subsection*{{{escape(block.heading)}}}")
        if block.note:
            lines.append(f"\\emph{{{escape(block.note)}}}")
        lines.append("")
        for quote in block.quotes:
            lines.append("\\begin{quote}")
            lines.append(escape(quote.text))
            if quote.translation:
                lang = f" ({escape(quote.translation_lang)})" if quote.translation_lang else ""
                lines.append(f"\\par\\emph{{Translation{lang}:}} {escape(quote.translation)}")
            lines.append(f"\\par\\hfill {escape(quote.citation)}")
            details = quote.details(by)
            if details:
                lines.append(f"\\par{{\\footnotesize {escape('; '.join(details))}}}")
            if quote.memo:
                lines.append(f"\\par{{\\footnotesize\\emph{{Memo:}} {escape(quote.memo)}}}")
            lines += ["\\end{quote}", ""]
    lines += ["\\end{document}", ""]
    return "\n".join(lines)


def write(blocks: list[Block], path: str | Path, by: str = "code") -> None:
    write_text(path, render(blocks, by))
