"""Excerpts as one self-contained HTML page: no scripts, no external links, everything escaped."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .document import Block, title
from .files import write_text

STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2.5rem; }
p.definition { font-style: italic; color: #555; }
blockquote { margin: 1.2rem 0 .2rem; padding: .4rem 1rem; border-left: 4px solid #7a9cc6;
             background: #f6f8fb; white-space: pre-wrap; }
p.translation { margin: .2rem 0 0 1.2rem; color: #333; }
p.citation { margin: .2rem 0 0 1.2rem; font-size: .95rem; }
p.details, p.memo { margin: .1rem 0 0 1.2rem; font-size: .8rem; color: #666; }
"""


def render(blocks: list[Block], by: str = "code") -> str:
    heading = escape(title(blocks, by))
    parts = [
        "<!DOCTYPE html>", '<html lang="mul">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{heading}</title>", f"<style>{STYLE}</style>", "</head>", "<body>", f"<h1>{heading}</h1>",
    ]
    for block in blocks:
        parts.append(f'<section class="group"><h2>{escape(block.heading)}</h2>')
        if block.note:
            parts.append(f'<p class="definition">{escape(block.note)}</p>')
        for quote in block.quotes:
            parts.append(f'<figure class="excerpt"><blockquote>{escape(quote.text)}</blockquote>')
            if quote.translation:
                lang = f' lang="{escape(quote.translation_lang)}"' if quote.translation_lang else ""
                parts.append(f'<p class="translation"{lang}><b>Translation:</b> {escape(quote.translation)}</p>')
            parts.append(f'<figcaption><p class="citation">{escape(quote.citation)}</p>')
            details = quote.details(by)
            if details:
                parts.append(f'<p class="details">{escape("; ".join(details))}</p>')
            if quote.memo:
                parts.append(f'<p class="memo"><b>Memo:</b> {escape(quote.memo)}</p>')
            parts.append("</figcaption></figure>")
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def write(blocks: list[Block], path: str | Path, by: str = "code") -> None:
    write_text(path, render(blocks, by))
