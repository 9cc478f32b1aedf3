"""Integer lists as short JSON-safe strings: a base-32 variable-length code, vectorised with NumPy.

Each number is written most significant 5 bits first, one character per 5 bits; every character but a
number's last is taken from the upper half of the alphabet, so the reader knows where a number ends.
Numbers below 32 take one character, below 1,024 two. Decoder: search-engine.js ``decode``.
"""

from __future__ import annotations

import numpy as np

ALPHABET = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_"
_CODES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def encode(numbers: np.ndarray) -> tuple[str, np.ndarray]:
    """All ``numbers`` (non-negative) as one string, and where each number starts in it (length + 1
    offsets), so a caller can cut the string of any run of consecutive numbers."""
    numbers = numbers.astype(np.int64, copy=False)
    widths = np.ones(len(numbers), dtype=np.int64)
    limit = 32
    while limit <= (int(numbers.max()) if len(numbers) else 0):
        widths += numbers >= limit
        limit *= 32
    offsets = np.zeros(len(numbers) + 1, dtype=np.int64)
    np.cumsum(widths, out=offsets[1:])
    out = np.empty(int(offsets[-1]), dtype=np.uint8)
    for digit in range(int(widths.max()) if len(numbers) else 0):
        has = widths > digit
        shift = 5 * (widths[has] - 1 - digit)
        value = (numbers[has] >> shift) & 31
        value += np.where(digit < widths[has] - 1, 32, 0)
        out[offsets[:-1][has] + digit] = _CODES[value]
    return out.tobytes().decode("ascii"), offsets


def decode(text: str) -> list[int]:
    """The inverse of ``encode`` for one string (tests and tools; the browser has its own)."""
    numbers, n = [], 0
    for char in text:
        value = ALPHABET.index(char)
        n = n * 32 + (value & 31)
        if value < 32:
            numbers.append(n)
            n = 0
    return numbers
