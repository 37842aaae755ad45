"""One rule for display width in the core: wide and full-width characters take two cells."""

from __future__ import annotations

from workbench.text.width import bmp_cells, cells, char_cells, is_wide


def test_chinese_and_full_width_characters_take_two_cells_and_the_rest_one():
    assert cells("trust") == 5 and cells("信任 trust") == 10 and cells("（Ａ）") == 6 and cells("") == 0
    assert is_wide("信") and is_wide("，") and not is_wide("a") and not is_wide("é")


def test_the_whole_document_table_agrees_with_the_per_character_rule():
    table = bmp_cells()
    for char in "a é信，（Ａ）\n\t⏎…😀"[:-1]:
        assert table[ord(char)] == char_cells(char)
