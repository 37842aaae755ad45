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
    if not data:
        raise WorkbenchError(f"{name}: file is empty")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, name), encoding + " (BOM)"
    if b"\x00" in data:
        # Text in UTF-8 or a legacy code page never holds a NUL byte; UTF-16 without a BOM does.
        utf16 = _utf16_without_bom(data)
        if utf16:
            return _not_binary(_strict(data, utf16, name), name), utf16
        raise WorkbenchError(f"{name}: looks like a binary file, not text (it holds NUL bytes)")
    try:
        return _not_binary(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)  # CJK in UTF-16 may have no NUL byte at all
    if utf16:
        return _strict(data, utf16, name), utf16
    chinese = _best_chinese(data)
    if chinese:
        return chinese
    guess = from_bytes(data).best()
    if guess is None or _mostly_control(str(guess)):
        raise WorkbenchError(f"{name}: cannot tell its text encoding; save it as UTF-8 and import again")
    return str(guess), guess.encoding.replace("_", "-")


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


def _best_chinese(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, whichever decodes to the more common characters of its own script."""
    scored = []
    for encoding in CHINESE_LEGACY:
        try:
            text = data.decode("cp950" if encoding == "big5" else encoding)
        except UnicodeDecodeError:
            continue
        han = HAN.findall(text)
        if len(han) < 2 or len(han) < len(text) * 0.1:
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
