"""Bytes to text: BOMs, UTF-8, UTF-16 without a BOM, GB18030 and Big5, then anything else."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..model import WorkbenchError

HAN = re.compile(r"[\u4e00-\u9fff]")
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
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, name), utf16
    if b"\x00" in data:
        raise WorkbenchError(f"{name}: looks like a binary file, not text (it holds NUL bytes)")
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
    return None


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
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or 0xE000 <= ord(c) <= 0xF8FF)
    return bad / len(text) > 0.05
