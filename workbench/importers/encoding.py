"""Bytes to text: BOMs, UTF-8, UTF-16 without a BOM, GB18030 and Big5, then anything else."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..model import WorkbenchError

HAN = re.compile(r"[\u4e00-\u9fff]")
CJK_PUNCTUATION_OR_ASCII = re.compile(r"[\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201d\u2026\s!-~]")
CONTROL_OR_PRIVATE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
CHINESE_LEGACY = ("gb18030", "big5")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise a one-line error naming the file."""
    text, encoding, _ = decode_checked(data, name)
    return text, encoding


def decode_checked(data: bytes, name: str, forced: str | None = None) -> tuple[str, str, str | None]:
    """(text, encoding, warning): the warning says when the encoding is a guess that may be wrong.

    `forced` names a codec to use instead of detecting one (`--encoding latin-1`).
    """
    if forced:
        return _forced(data, name, forced), codecs.lookup(forced).name, None
    if not data:
        raise WorkbenchError(f"{name}: file is empty")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, name), encoding + " (BOM)", None
    if b"\x00" in data:
        # Text in UTF-8 or a legacy code page never holds a NUL byte; UTF-16 without a BOM does.
        utf16 = _utf16_without_bom(data)
        if utf16:
            return _not_binary(_strict(data, utf16, name), name), utf16, None
        raise WorkbenchError(f"{name}: looks like a binary file, not text (it holds NUL bytes)")
    try:
        return _not_binary(data.decode("utf-8"), name), "utf-8", None
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)  # CJK in UTF-16 may have no NUL byte at all
    if utf16:
        return _strict(data, utf16, name), utf16, None
    chinese = _best_chinese(data)
    if chinese:
        return chinese[0], chinese[1], None
    return _guess(data, name)


def _forced(data: bytes, name: str, forced: str) -> str:
    try:
        codecs.lookup(forced)
    except LookupError:
        raise WorkbenchError(f"{name}: unknown encoding {forced!r} "
                             "(e.g. utf-8, latin-1, cp1252, gb18030, big5)") from None
    for bom, encoding in BOMS:
        if data.startswith(bom) and codecs.lookup(encoding).name == codecs.lookup(forced).name:
            data = data[len(bom):]
    return _strict(data, forced, name)


def _guess(data: bytes, name: str) -> tuple[str, str, str]:
    """charset-normalizer's candidates, the one with the fewest letters odd for its language first.

    Single-byte code pages often all decode a file cleanly (Latin-1 read as cp1250 gives
    `crčme naďve`), so the result is always a guess, and the warning says which one.
    """
    results = list(from_bytes(data))
    if not results or _mostly_control(str(results[0])):
        # a short note of mostly ASCII with a few common Chinese characters: too little Han for
        # the share rule above, and charset-normalizer finds nothing; read it rather than refuse
        chinese = _best_chinese(data, min_share=0.0)
        if chinese:
            return chinese[0], chinese[1], (f"{name}: encoding guessed as {chinese[1]} from its few Chinese "
                                            "characters; if they look wrong, force one with --encoding NAME")
        raise WorkbenchError(f"{name}: cannot tell its text encoding; save it as UTF-8 and import again")
    least_chaos = min(r.chaos for r in results)
    close = [r for r in results if r.chaos <= least_chaos + 0.05]
    best = min(close, key=lambda r: (unusual_letters(str(r)), r.chaos, results.index(r)))
    text, encoding = str(best), best.encoding.replace("_", "-")
    odd = unusual_letters(text)
    others = sorted({r.encoding.replace("_", "-") for r in close if str(r) != text})
    if odd:
        doubt = f"{odd} letters unusual for its language remain"
    elif others:
        doubt = f"{', '.join(others[:3])} would read it differently"
    else:
        doubt = "detection was not certain"
    warning = (f"{name}: encoding guessed as {encoding} ({doubt}); if accents look wrong, "
               "force one with --encoding NAME (latin-1, cp1250, …) on import or `workbench document reimport`")
    return text, encoding, warning


WESTERN = {"en", "fr", "es", "de", "pt"}
CENTRAL_EUROPEAN = re.compile(r"[\u0100-\u024f]")  # Latin Extended-A/B: č ď ř ŕ ů …, not é è ï
WESTERN_EXTRAS = set("œŒŸƒ")


def unusual_letters(text: str) -> int:
    """Letters a text in its own language would not hold: č or ŕ in French or English words."""
    from ..text import lang

    words = [w.lower() for w in lang.LATIN_WORD.findall(text)]
    if not any(w in lang.STOPWORDS[code] for code in WESTERN for w in words):
        return 0  # Czech or Polish: Latin Extended letters are its own
    return sum(1 for char in CENTRAL_EUROPEAN.findall(text) if char not in WESTERN_EXTRAS)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise WorkbenchError(f"{name}: not valid {encoding} at byte {error.start}") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII or CJK puts NULs in every other byte, or decodes cleanly."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0) / (len(data) / 2)
    odd_nuls = data[1::2].count(0) / (len(data) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        han = len(HAN.findall(text))
        plausible = han + len(CJK_PUNCTUATION_OR_ASCII.findall(text))
        if han >= 2 and han >= len(text) * 0.3 and plausible >= len(text) * 0.95:
            return encoding
    return None


def _not_binary(text: str, name: str) -> str:
    if _mostly_control(text):
        raise WorkbenchError(f"{name}: looks like a binary file, not text (it is mostly control characters)")
    return text


def _best_chinese(data: bytes, min_share: float = 0.1) -> tuple[str, str] | None:
    """GB18030 or Big5, whichever decodes to the more common characters of its own script."""
    scored = []
    for encoding in CHINESE_LEGACY:
        try:
            text = data.decode("cp950" if encoding == "big5" else encoding)
        except UnicodeDecodeError:
            continue
        han = HAN.findall(text)
        if len(han) < 2 or len(han) < len(text) * min_share:
            continue
        common = sum(_is_common(char, encoding) for char in han) / len(han)
        scored.append((common, encoding == "gb18030", text, encoding))
    if not scored:
        return None
    common, _, text, encoding = max(scored)
    return (text, encoding) if common >= 0.6 else None


def _is_common(char: str, encoding: str) -> bool:
    """In GB2312 level 1 (3,755 common simplified) or Big5 level 1 (5,401 common traditional)."""
    try:
        if encoding == "gb18030":
            return 0xB0 <= char.encode("gb2312")[0] <= 0xD7
        return 0xA4 <= char.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _mostly_control(text: str) -> bool:
    if not text:
        return True
    return len(CONTROL_OR_PRIVATE.findall(text)) / len(text) > 0.05
