"""The n-gram index: for every character pair and every character triple, which documents hold it.

Every letter or digit starts one pair token: the pair it forms with the next character, or, at the end
of a run, the character alone (so one-character queries find it too); and, where three letters follow
each other, one triple token. A two-character word is one pair lookup; a word of three characters or
more must contain every one of its overlapping triples (党课进一线: 党课进, 课进一, 进一线), which is
exact for three characters and leaves a longer word's triples apart in the same story as the only false
match (measured: none in the benchmark's query set).

Tokens are made with NumPy (~14 million of each kind at 9,000 stories), 500 documents at a time, as one
int64 each, ``key << 21 | document << 1 | not_in_title``, into 64 key-range buckets, each deduplicated,
sorted and encoded on its own: memory stays bounded and nothing loops over characters in Python.

A token's doc list (``encoding.encode``): per document holding it, ``(gap << 1) | in_title`` where ``gap``
is the distance to the previous document id minus one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dangjian_column.publishing.search.encoding import encode

BATCH_DOCS = 500  # documents turned into tokens at a time: bounds the temporary arrays
KEY_CHUNKS = 64  # key ranges (of the first character) encoded one at a time, for the same reason
DOC_BITS = 20  # up to 1,048,576 documents
_DOC_MASK = (1 << DOC_BITS) - 1


@dataclass
class TokenLists:
    chars: np.ndarray  # code points of the word characters present, ascending: a character's rank is its index
    arity: int  # 2: pairs (and lone characters), 3: triples
    keys: np.ndarray  # unique token keys, ascending
    docs: str  # every token's doc list, concatenated
    doc_cuts: np.ndarray  # token i's doc list is docs[doc_cuts[i]:doc_cuts[i + 1]]

    def token(self, i: int) -> str:
        key, width = int(self.keys[i]), len(self.chars)
        if self.arity == 3:
            first, rest = divmod(key, width * width)
            return "".join(chr(self.chars[r]) for r in (first, *divmod(rest, width)))
        first, second = divmod(key, width + 1)
        return chr(self.chars[first]) + (chr(self.chars[second - 1]) if second else "")


def _ranks(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The word characters present (sorted code points) and a code point -> rank table (-1: not a word)."""
    # Which code points occur, counted by NumPy over the texts' UTF-32, a batch at a time (the whole text
    # at once is ~80 MB more at 9,000 stories): a Python set of 14 million characters took 1 s, this 0.3 s.
    seen = np.zeros(0x110000, dtype=bool)
    for i in range(0, len(texts), BATCH_DOCS):
        seen[np.frombuffer("".join(texts[i:i + BATCH_DOCS]).encode("utf-32-le"), dtype=np.uint32)] = True
    chars = np.array([c for c in np.flatnonzero(seen).tolist() if chr(c).isalnum()], dtype=np.int64)
    if len(chars) ** 3 >= 2 ** (63 - DOC_BITS - 1):
        raise ValueError("more than 16,000 different characters: triple keys no longer fit")
    table = np.full(int(chars[-1]) + 2 if len(chars) else 1, -1, dtype=np.int64)
    table[chars] = np.arange(len(chars), dtype=np.int64)
    return chars, table


def _key_space(width: int, arity: int) -> int:
    return width * (width + 1) if arity == 2 else width ** 3


def _batch_tokens(texts: list[str], first_doc: int, titles: np.ndarray, table: np.ndarray, width: int,
                  arity: int) -> np.ndarray:
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    rank = np.append(table[np.minimum(codes, len(table) - 1)], [-1, -1])
    if arity == 2:
        at = np.nonzero(rank[:-2] >= 0)[0]
        keys = rank[at] * (width + 1) + rank[at + 1] + 1  # next rank -1 (end of a run) makes 0: a lone character
    else:
        at = np.nonzero((rank[:-2] >= 0) & (rank[1:-1] >= 0) & (rank[2:] >= 0))[0]
        keys = (rank[at] * width + rank[at + 1]) * width + rank[at + 2]
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    local = np.searchsorted(starts, at, side="right") - 1
    not_title = (at - starts[local]) >= titles[first_doc + local]
    return _sorted_unique((keys << (DOC_BITS + 1)) | ((local + first_doc) << 1) | not_title)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique, without its hash table (NumPy 2.4 hashes integers first: ~40x slower here)."""
    values.sort()
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def character_ranks(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The word characters present (sorted code points) and a code point -> rank table (-1: not a word)."""
    return _ranks(texts)


def build_token_lists(texts: list[str], title_lengths: list[int], arity: int,
                      ranks: tuple[np.ndarray, np.ndarray] | None = None) -> TokenLists:
    """``texts[i]`` is document i's normalised text; its first ``title_lengths[i]`` characters are the title.
    ``ranks`` (from ``character_ranks``) may be passed in when both arities are built from the same texts."""
    if len(texts) > _DOC_MASK:
        raise ValueError("more than a million documents to index")
    chars, table = ranks or _ranks(texts)
    width = len(chars)
    titles = np.asarray(title_lengths, dtype=np.int64)
    space = _key_space(width, arity)
    bounds = (np.arange(1, KEY_CHUNKS, dtype=np.int64) * space // KEY_CHUNKS) << (DOC_BITS + 1)
    buckets: list[list[np.ndarray]] = [[] for _ in range(KEY_CHUNKS)]
    for i in range(0, len(texts), BATCH_DOCS):
        tokens = _batch_tokens(texts[i:i + BATCH_DOCS], i, titles, table, width, arity)
        for k, part in enumerate(np.split(tokens, np.searchsorted(tokens, bounds))):
            buckets[k].append(part)
    keys, docs, cuts, at = [], [], [], 0
    for k in range(KEY_CHUNKS):
        tokens = _sorted_unique(np.concatenate(buckets[k])) if buckets[k] else np.empty(0, dtype=np.int64)
        buckets[k] = []
        if len(tokens):
            key, text, cut = _encode(tokens)
            keys.append(key)
            docs.append(text)
            cuts.append(cut[:-1] + at)
            at += len(text)
    empty = np.empty(0, dtype=np.int64)
    return TokenLists(chars, arity, np.concatenate(keys or [empty]), "".join(docs),
                      np.append(np.concatenate(cuts or [empty]), at))


def _encode(tokens: np.ndarray) -> tuple[np.ndarray, str, np.ndarray]:
    """Sorted unique ``key << 21 | doc << 1 | not_in_title`` -> unique keys, their doc lists, cut offsets."""
    key = tokens >> (DOC_BITS + 1)
    doc = (tokens >> 1) & _DOC_MASK
    pair = tokens >> 1
    first = np.ones(len(tokens), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]  # a (key, doc) in and out of the title: the title entry sorts first
    key, doc, in_title = key[first], doc[first], (tokens[first] & 1) == 0
    new_key = np.ones(len(key), dtype=bool)
    new_key[1:] = key[1:] != key[:-1]
    previous = np.where(new_key, -1, np.concatenate(([-1], doc[:-1])))
    text, offsets = encode(((doc - previous - 1) << 1) | in_title)
    key_at = np.nonzero(new_key)[0]
    return key[key_at], text, offsets[np.append(key_at, len(key))]
