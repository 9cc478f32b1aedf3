"""The bigram index: for every character pair, which documents hold it and where.

Every letter or digit starts one token: the pair it forms with the next character, or, at the end of
a run, the character alone (so one-character queries find it too). Tokens are sorted once with NumPy
(the 9,000-story benchmark has ~15 million of them); nothing loops over characters in Python.

Two streams per token, encoded by ``encoding.encode``:
- doc list: per document holding it, ``(gap << 1) | in_title`` where ``gap`` is the distance to the
  previous document id minus one; enough for a one- or two-character query;
- positions: per document, ``count, title_count, gaps…`` (positions ascending, each gap minus one); the
  first ``title_count`` positions are inside the title. Longer queries check adjacency with these.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dangjian_column.publishing.search.encoding import encode

SECOND = 21  # a token key is (first code point << 21) | (second code point + 1), or 0 for a lone character
_LOW = (1 << SECOND) - 1
_WORD_BMP = np.array([chr(cp).isalnum() for cp in range(0x10000)], dtype=bool)


@dataclass
class Postings:
    keys: np.ndarray  # unique token keys, ascending
    docs: str  # every token's doc list, concatenated
    doc_cuts: np.ndarray  # token i's doc list is docs[doc_cuts[i]:doc_cuts[i + 1]]
    positions: str
    position_cuts: np.ndarray

    def token(self, i: int) -> str:
        key = int(self.keys[i])
        second = key & _LOW
        return chr(key >> SECOND) + (chr(second - 1) if second else "")


def _word_mask(codes: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(codes), dtype=bool)
    bmp = codes < 0x10000
    mask[bmp] = _WORD_BMP[codes[bmp]]
    for i in np.nonzero(~bmp)[0]:  # outside the BMP: rare enough to ask Python one by one
        mask[i] = chr(int(codes[i])).isalnum()
    return mask


def build_postings(texts: list[str], title_lengths: list[int]) -> Postings:
    """``texts[i]`` is document i's normalised text; its first ``title_lengths[i]`` characters are the title."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    word = _word_mask(codes)
    at = np.nonzero(word)[0]
    follows = np.append(word[1:], False)[at]
    keys = (codes[at] << SECOND) | np.where(follows, codes[np.minimum(at + 1, len(codes) - 1)] + 1, 0)
    del codes, word, follows
    doc = np.searchsorted(starts, at, side="right") - 1
    pos = at - starts[doc]
    del at
    order = np.argsort(keys, kind="stable")  # stable: (doc, position) order is kept within a key
    keys, doc, pos = keys[order], doc[order], pos[order]
    del order
    return _encode(keys, doc, pos, np.asarray(title_lengths, dtype=np.int64))


def _encode(keys: np.ndarray, doc: np.ndarray, pos: np.ndarray, title_lengths: np.ndarray) -> Postings:
    n = len(keys)
    new_key = np.ones(n, dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_pair = new_key.copy()
    new_pair[1:] |= doc[1:] != doc[:-1]
    key_at = np.nonzero(new_key)[0]
    pair_at = np.nonzero(new_pair)[0]
    in_title = pos < title_lengths[doc]

    # doc lists: one number per (token, document) pair
    pair_doc = doc[pair_at]
    first_of_key = new_key[pair_at]
    previous = np.where(first_of_key, -1, np.concatenate(([-1], pair_doc[:-1])))
    doc_numbers = ((pair_doc - previous - 1) << 1) | in_title[pair_at]
    docs, doc_offsets = encode(doc_numbers)
    key_pairs = np.searchsorted(pair_at, key_at)  # index of each key's first pair
    doc_cuts = doc_offsets[np.append(key_pairs, len(pair_at))]

    # positions: count, title count, gaps — per pair, in one stream
    counts = np.diff(np.append(pair_at, n))
    title_counts = np.add.reduceat(in_title.astype(np.int64), pair_at)
    gaps = pos - np.where(new_pair, -1, np.concatenate(([-1], pos[:-1]))) - 1
    pair_of = np.cumsum(new_pair) - 1  # each token occurrence's pair
    stream = np.empty(n + 2 * len(pair_at), dtype=np.int64)
    stream[np.arange(n) + 2 * (pair_of + 1)] = gaps
    header = pair_at + 2 * np.arange(len(pair_at))
    stream[header] = counts
    stream[header + 1] = title_counts
    positions, position_offsets = encode(stream)
    key_stream_at = key_at + 2 * key_pairs
    position_cuts = position_offsets[np.append(key_stream_at, len(stream))]
    return Postings(keys[key_at], docs, doc_cuts, positions, position_cuts)
