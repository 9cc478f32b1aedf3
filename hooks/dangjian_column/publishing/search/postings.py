"""The bigram index: for every character pair, which documents hold it and where.

Every letter or digit starts one token: the pair it forms with the next character, or, at the end of
a run, the character alone (so one-character queries find it too). Tokens are made and sorted with NumPy
(the 9,000-story benchmark has ~14 million of them); nothing loops over characters in Python. Memory
stays bounded: documents are tokenised 500 at a time into 64 key-range buckets (8 bytes per token in
all), and each bucket is sorted and encoded on its own.

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

BATCH_DOCS = 500  # documents turned into tokens at a time: bounds the temporary arrays
KEY_CHUNKS = 64  # key ranges (of the first character) encoded one at a time, for the same reason


@dataclass
class Postings:
    chars: np.ndarray  # code points of the word characters present, ascending: a character's rank is its index
    keys: np.ndarray  # unique token keys, ascending: rank(a) * (len(chars) + 1) + rank(b) + 1, or 0 for b
    docs: str  # every token's doc list, concatenated
    doc_cuts: np.ndarray  # token i's doc list is docs[doc_cuts[i]:doc_cuts[i + 1]]
    positions: str
    position_cuts: np.ndarray

    def token(self, i: int) -> str:
        first, second = divmod(int(self.keys[i]), len(self.chars) + 1)
        return chr(self.chars[first]) + (chr(self.chars[second - 1]) if second else "")


def _ranks(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The word characters present (sorted code points) and a code point -> rank table (-1: not a word)."""
    chars = np.array(sorted(ord(c) for c in set().union(*texts) if c.isalnum()), dtype=np.int64)
    table = np.full(int(chars[-1]) + 2 if len(chars) else 1, -1, dtype=np.int32)
    table[chars] = np.arange(len(chars), dtype=np.int32)
    if (len(chars) + 1) ** 2 >= 2**31:
        raise ValueError("more than 46,000 different characters: token keys no longer fit 31 bits")
    return chars, table


def _batch_tokens(texts: list[str], first_at: int, table: np.ndarray, width: int) -> np.ndarray:
    """(key << 32) | global position of every token of a run of documents (joined by one separator)."""
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
    rank = table[np.minimum(codes, len(table) - 1)]
    second = np.zeros(len(rank), dtype=np.int64)
    second[:-1] = rank[1:] + 1  # 0 where the next character ends the run
    at = np.nonzero(rank >= 0)[0]
    return ((rank[at].astype(np.int64) * width + second[at]) << 32) | (at + first_at)


def build_postings(texts: list[str], title_lengths: list[int]) -> Postings:
    """``texts[i]`` is document i's normalised text; its first ``title_lengths[i]`` characters are the title."""
    chars, table = _ranks(texts)
    width = len(chars) + 1
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    if starts[-1] + lengths[-1] >= 2**32:
        raise ValueError("more than 4 billion characters to index")
    # Tokens go into buckets by key range as they are made, so no array of the whole corpus is ever copied.
    bounds = (np.arange(1, KEY_CHUNKS) * width // KEY_CHUNKS) * width << 32
    buckets: list[list[np.ndarray]] = [[] for _ in range(KEY_CHUNKS)]
    for i in range(0, len(texts), BATCH_DOCS):
        tokens = _batch_tokens(texts[i:i + BATCH_DOCS], int(starts[i]), table, width)
        tokens.sort()
        for k, part in enumerate(np.split(tokens, np.searchsorted(tokens, bounds))):
            buckets[k].append(part)
    titles = np.asarray(title_lengths, dtype=np.int64)
    parts = []
    for k in range(KEY_CHUNKS):
        tokens = np.concatenate(buckets[k]) if buckets[k] else np.empty(0, dtype=np.int64)
        buckets[k] = []
        tokens.sort()
        if len(tokens):
            at = tokens & 0xFFFFFFFF
            doc = np.searchsorted(starts, at, side="right") - 1
            parts.append(_encode(tokens >> 32, doc, at - starts[doc], titles))
    return _join(chars, parts)


def _join(chars: np.ndarray, parts: list[tuple]) -> Postings:
    keys, docs, doc_cuts, positions, position_cuts = [], [], [], [], []
    doc_at = position_at = 0
    for k, d, dc, p, pc in parts:
        keys.append(k)
        docs.append(d)
        doc_cuts.append(dc[:-1] + doc_at)
        positions.append(p)
        position_cuts.append(pc[:-1] + position_at)
        doc_at, position_at = doc_at + len(d), position_at + len(p)
    return Postings(chars, np.concatenate(keys or [np.empty(0, np.int64)]), "".join(docs),
                    np.append(np.concatenate(doc_cuts or [np.empty(0, np.int64)]), doc_at), "".join(positions),
                    np.append(np.concatenate(position_cuts or [np.empty(0, np.int64)]), position_at))


def _encode(keys: np.ndarray, doc: np.ndarray, pos: np.ndarray, title_lengths: np.ndarray) -> tuple:
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
    return keys[key_at], docs, doc_cuts, positions, position_cuts
