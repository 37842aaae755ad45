"""Transcript-shaped text for fuzzing imports: the pieces transcripts hold, line breaks of every
convention, and speaker labels in the forms fieldwork uses."""

from __future__ import annotations

from hypothesis import strategies as st

LABELS = ("Interviewer", "Respondent", "I", "R", "Q", "A", "P01", "P2b", "Speaker 3", "Moderator",
          "采访者", "受访者", "主持人", "问", "答", "Dr. Wang", "Li Ming", "老张", "**Interviewer**", "__R__")


PIECES = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ .,;?!'\"-()[]#*_:：，。？！、“”")
    + list("我们刚来的时候谁也不认识社区居委会帮了很多忙孩子上学问题")
    + ["\n", "\n\n", "\t", "\r\n", "\r", "e\u0301", "é", "😀", "𠀀", "\u3000", "\ufeff"]
)


def transcript_text(min_size: int = 0, max_size: int = 80) -> st.SearchStrategy[str]:
    """Text made of what transcripts hold, line breaks of every convention included."""
    return st.lists(PIECES, min_size=min_size, max_size=max_size).map("".join)


@st.composite
def labelled_transcripts(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(("label", "label", "label", "plain", "blank", "stamp")))
        body = draw(transcript_text(0, 80))
        if kind == "blank":
            lines.append("")
        elif kind == "plain":
            lines.append(body)
        else:
            label = draw(st.sampled_from(LABELS) | transcript_text(1, 40))
            colon = draw(st.sampled_from((":", "：", " :", ":**", "")))
            stamp = draw(st.sampled_from(("", "[00:01:02] ", "(12:30) ", "01:02:03 ", "[1:2] "))) if kind == "stamp" else ""
            lines.append(f"{draw(st.sampled_from(('', ' ', '  ')))}{stamp}{label}{colon} {body}")
    return draw(st.sampled_from(("\n", "\r\n", "\n\n"))).join(lines)
