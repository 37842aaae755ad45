"""Language of a stretch of text: zh, en, mixed, or another language recorded as found."""

from __future__ import annotations

import re

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z]+)?")
OTHER_SCRIPTS = {
    "ja": re.compile(r"[\u3040-\u30ff]"),
    "ko": re.compile(r"[\uac00-\ud7af]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
    "th": re.compile(r"[\u0e00-\u0e7f]"),
    "hi": re.compile(r"[\u0900-\u097f]"),
}
STOPWORDS = {
    "en": {"the", "and", "of", "to", "is", "in", "that", "it", "we", "you", "they", "was",
           "for", "with", "have", "but", "not", "are", "this", "my", "so", "i", "a", "there"},
    "fr": {"le", "la", "les", "et", "est", "des", "une", "que", "pas", "nous", "pour", "dans",
           "je", "il", "sont", "avec", "qui", "mais"},
    "es": {"el", "la", "los", "las", "que", "es", "una", "pero", "para", "con", "por", "yo",
           "no", "del", "muy", "como", "y"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "wir", "ich", "ein", "eine", "mit",
           "auf", "aber", "sie", "zu"},
    "pt": {"o", "os", "que", "não", "uma", "para", "com", "mas", "eu", "nós", "é", "do", "da"},
    "id": {"yang", "dan", "ini", "itu", "saya", "tidak", "di", "ke", "dengan", "kami", "ada"},
}
ANY_OTHER_SCRIPT = re.compile("|".join(p.pattern for p in OTHER_SCRIPTS.values()))
MIXED_LOW, MIXED_HIGH = 0.15, 0.85


def detect(text: str) -> str:
    """Classify by script weight: a Chinese character counts like one English word."""
    han = len(HAN.findall(text))
    words = LATIN_WORD.findall(text)
    for code, pattern in OTHER_SCRIPTS.items() if ANY_OTHER_SCRIPT.search(text) else ():
        found = len(pattern.findall(text))
        if found > max(han, len(words)) and (code != "ja" or found > han * 0.2):
            return code
    if han == 0 and not words:
        return "und"
    share = han / (han + len(words))
    if share >= MIXED_HIGH:
        return "zh"
    if share > MIXED_LOW:
        return "mixed"
    return _latin_language(words)


def _latin_language(words: list[str]) -> str:
    lowered = [w.lower() for w in words]
    scores = {lang: sum(w in stop for w in lowered) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] == 0 or (scores[best] < 2 and len(words) > 20):
        return "en" if best == "en" else "und"
    return best


def combine(languages: list[str], weights: list[int]) -> str:
    """A document's language from its turns': one language if it holds 85 % of the text."""
    totals: dict[str, int] = {}
    for lang, weight in zip(languages, weights, strict=True):
        if lang != "und":
            totals[lang] = totals.get(lang, 0) + weight
    if not totals:
        return "und"
    total = sum(totals.values())
    lang, weight = max(totals.items(), key=lambda item: item[1])
    if weight / total >= MIXED_HIGH:
        return lang
    if set(totals) <= {"zh", "en", "mixed"} or totals.get("zh") or totals.get("mixed"):
        return "mixed"
    return lang
