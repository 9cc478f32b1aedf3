"""The search index's text helpers, against their plain definitions (issue 13 made both faster)."""

from __future__ import annotations

from dangjian_column.publishing.search.postings import character_ranks
from dangjian_column.publishing.search.text import _TABLE, normalise


def test_normalise_changes_exactly_the_characters_of_its_table():
    every = "".join(chr(c) for c in range(0x20, 0x3100)) + "".join(chr(c) for c in range(0xFF00, 0xFF70))
    assert normalise(every) == every.translate(_TABLE)
    assert normalise("党课ＡＢＣ１２３，ＤＪ　Kit") == "党课abc123,dj kit"


def test_character_ranks_are_the_word_characters_present_in_code_point_order():
    texts = ["党课进一线", "", "Ａ1b,。\n𠀀x", "岩芯 core"]
    chars, table = character_ranks(texts)
    expected = sorted({ord(c) for t in texts for c in t if c.isalnum()})
    assert chars.tolist() == expected
    assert [int(table[c]) for c in expected] == list(range(len(expected)))
    assert int(table[ord(",")]) == -1 and int(table[ord("\n")]) == -1
    assert character_ranks([])[0].tolist() == []
