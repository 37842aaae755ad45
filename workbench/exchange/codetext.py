"""A code's definition, rules, examples and keywords as one REFI `Description`, and back.

REFI-QDA gives a code a single free-text description. Ours has parts; they are written as
labelled paragraphs that other programs show as readable text and that our importer splits
again, so a round trip keeps each part. A description without labels is all definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS = {
    "Chinese name": "name_zh", "Include": "include", "Exclude": "exclude", "Examples": "examples",
    "Keywords (en)": "keywords_en", "Keywords (zh)": "keywords_zh",
}


@dataclass
class CodeText:
    """The parts of a code that travel in its description."""

    definition: str = ""
    name_zh: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    keywords_en: list[str] = field(default_factory=list)
    keywords_zh: list[str] = field(default_factory=list)


def describe(parts: CodeText) -> str:
    """One description: the definition first, then each filled part as a labelled paragraph."""
    paragraphs = [parts.definition.strip()] if parts.definition.strip() else []
    for label, value in (("Chinese name", parts.name_zh), ("Include", parts.include), ("Exclude", parts.exclude)):
        if value.strip():
            paragraphs.append(f"{label}: {value.strip()}")
    if parts.examples:
        paragraphs.append("Examples:\n" + "\n".join(f"- {e.strip()}" for e in parts.examples))
    for label, words in (("Keywords (en)", parts.keywords_en), ("Keywords (zh)", parts.keywords_zh)):
        if words:
            paragraphs.append(f"{label}: " + "; ".join(words))
    return "\n\n".join(paragraphs)


def parse(description: str) -> CodeText:
    """Split a description written by `describe` (or by anyone) into its parts."""
    parts = CodeText()
    sections: dict[str, list[str]] = {"definition": []}
    current = "definition"
    text = description.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n").strip()
    for paragraph in text.split("\n\n") if text else []:
        label = next((lab for lab in LABELS if paragraph.startswith(lab + ":")), None)
        if label is not None and not sections.get(LABELS[label]):
            current = LABELS[label]
            sections[current] = [paragraph[len(label) + 1:].strip()]
        else:
            sections.setdefault(current, []).append(paragraph)
    for name, paragraphs in sections.items():
        value = "\n\n".join(paragraphs).strip()
        if name == "examples":
            parts.examples = [line[2:].strip() if line.startswith("- ") else line.strip()
                              for line in value.split("\n") if line.strip()]
        elif name in ("keywords_en", "keywords_zh"):
            setattr(parts, name, [w.strip() for w in value.split(";") if w.strip()])
        else:
            setattr(parts, name, value)
    return parts
