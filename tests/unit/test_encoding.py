"""Bytes to text: every encoding Chinese and English transcripts arrive in, built here in code."""

from __future__ import annotations

import codecs

import pytest

from workbench.importers.encoding import decode
from workbench.model import WorkbenchError

SIMPLIFIED = (
    "采访者：你好，谢谢你抽时间。请先介绍一下你自己。\n"
    "受访者：好的。我是从江西来的，在义乌做外贸十几年了。我们老乡之间互相信任，有事就互相帮忙。\n"
    "采访者：刚来的时候，谁帮你找的房子？\n"
    "受访者：是一个老乡介绍的中介，他人很好，我们都相信他。\n"
)
TRADITIONAL = (
    "訪談者：您好，謝謝您抽時間。請先介紹一下您自己。\n"
    "受訪者：好的。我從臺中來，在這裡做生意很多年了。鄉親之間互相信任，有事就互相幫忙。\n"
    "訪談者：剛來的時候，誰幫您找的房子？\n"
    "受訪者：是一個同鄉介紹的仲介，他人很好，我們都相信他。\n"
)
ENGLISH = (
    "Interviewer: Thank you for talking with me. How did you come to Yiwu?\n"
    "Respondent: My cousin was already here. We trust each other, so I came.\n"
)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),  # GBK is a subset of GB18030
        (SIMPLIFIED + "还有一个生僻字：𠀀，和欧元符号€。\n", "gb18030", "gb18030"),  # four-byte sequences
        (TRADITIONAL, "big5", "big5"),
        (SIMPLIFIED, "utf-8", "utf-8"),
        (ENGLISH, "ascii", "utf-8"),
        (SIMPLIFIED, "utf-16-le", "utf-16-le"),
        (SIMPLIFIED, "utf-16-be", "utf-16-be"),
        (ENGLISH, "utf-16-le", "utf-16-le"),
        (ENGLISH, "utf-16-be", "utf-16-be"),
        (TRADITIONAL, "utf-16-le", "utf-16-le"),
    ],
    ids=["gb18030", "gbk", "gb18030-4byte", "big5", "utf8", "ascii", "utf16le-zh", "utf16be-zh",
         "utf16le-en", "utf16be-en", "utf16le-zh-hant"],
)
def test_decodes_without_bom(text, codec, expected):
    decoded, encoding = decode(text.encode(codec), "interview.txt")
    assert decoded == text
    assert encoding == expected


@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8 (BOM)"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le (BOM)"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be (BOM)"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le (BOM)"),
    ],
)
@pytest.mark.parametrize("text", [SIMPLIFIED, ENGLISH], ids=["zh", "en"])
def test_decodes_with_bom(bom, codec, expected, text):
    decoded, encoding = decode(bom + text.encode(codec), "interview.txt")
    assert decoded == text  # the BOM itself is not part of the text
    assert encoding == expected


def test_short_chinese_words_in_legacy_encodings():
    assert decode("老乡".encode("gb18030"), "a.txt") == ("老乡", "gb18030")
    assert decode("信任".encode("big5"), "a.txt") == ("信任", "big5")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (bytes(4096), "binary"),  # a sparse or zeroed file
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        (b"PK\x03\x04" + bytes(range(256)) * 8, "binary"),
        (bytes(range(1, 32)) * 100, "binary"),  # control characters, valid UTF-8 but not text
        (bytes(range(128, 256)) * 20, "encoding"),
    ],
    ids=["empty", "zeros", "png", "zip", "control", "high-bytes"],
)
def test_refuses_what_is_not_text_with_one_line_naming_the_file(data, problem):
    with pytest.raises(WorkbenchError) as caught:
        decode(data, "/data/odd-file.txt")
    message = str(caught.value)
    assert message.startswith("/data/odd-file.txt: ")
    assert "\n" not in message
    assert problem in message


def test_odd_length_utf16_with_bom_is_refused_clearly():
    with pytest.raises(WorkbenchError, match=r"broken\.txt: not valid utf-16-le"):
        decode(codecs.BOM_UTF16_LE + "信任".encode("utf-16-le") + b"\x41", "broken.txt")
