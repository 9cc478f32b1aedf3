"""The text the search index is made of, and the one normalisation the index and the browser share.

Matching is by substring: every run of letters and digits is cut into overlapping character pairs
(bigrams) and triples, so 党课 is found inside 微党课 and 党课进一线 alike; no dictionary decides where
words end.
The browser (``assets/javascripts/search-engine.js``) applies the same ``normalise`` and the same idea of
a word character, so a query is split exactly like the text was.
"""

from __future__ import annotations

import html
import re

FIELD_SEPARATOR = "\n"  # not a word character: no pair or triple crosses from one field into the next

# Full-width ASCII (Ａ１，) becomes half-width and A–Z lower case; one character stays one character, so
# positions in the normalised text are positions in the original. JS: search-engine.js normalise().
_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE.update({cp: cp + 32 for cp in range(ord("A"), ord("Z") + 1)})
_TABLE.update({cp + 0xFEE0: cp + 32 for cp in range(ord("A"), ord("Z") + 1)})
_TABLE[0x3000] = ord(" ")


_MAPPED = re.compile("[A-Z\uff01-\uff5e\u3000]+")  # the characters _TABLE changes


def normalise(text: str) -> str:
    # translate() looks every character up in a dict; Chinese text has few to change, so only their runs
    # are translated (a third less time over 9,000 stories' text).
    return _MAPPED.sub(lambda run: run.group().translate(_TABLE), text)


def is_word_char(char: str) -> bool:
    """Letters and digits of any script (JS: /[\\p{L}\\p{N}]/u); punctuation and spaces end a run."""
    return char.isalnum()


_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote|table|thead|tbody|tr|td|th|div|section|figure|"
                        r"figcaption|pre|br|hr|dl|dt|dd)\b[^>]*>", re.IGNORECASE)
_IMAGE = re.compile(r"""<img\b[^>]*?\balt=(?:"([^"]*)"|'([^']*)')[^>]*>""", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def html_text(fragment: str) -> str:
    """The reader-visible text of a sanitised body: block ends become line breaks, inline tags vanish
    (so **党**课 stays one word), a picture counts by its caption (alt), entities are decoded."""
    text = _IMAGE.sub(lambda m: "\n" + (m.group(1) or m.group(2) or "") + "\n", fragment)
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub("\n", text))
    return _BLANK_LINES.sub("\n", html.unescape(text)).strip()
