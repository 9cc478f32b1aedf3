"""Personal-data scan (个人信息检查): phone, ID-card and bank-card numbers must not be published.

2018年政务公开工作要点 asks for personal information to be de-identified before publication. This
scanner finds, in any text, mainland mobile numbers (1[3-9] + 9 digits), landlines written with their
area code (0871-12345678, （0871）12345678), 18-digit resident ID numbers whose GB 11643-1999 check
digit is right, and 16–19 digit bank card numbers that pass the Luhn check. The checksums keep order
numbers, file numbers and amounts from being reported. Each hit comes with the masked form government
notices use (138****1234, 35*************123, 6222 **** **** 1234) as the fix.

Numbers published on purpose (the office switchboard) go into column.yml::

    privacy:
      allow: [0871-12345678]

compared by their digits, so ``0871 1234 5678`` matches ``0871-12345678``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Letters, digits and "_" around a number mean it is part of something else (a file name, a code);
# Chinese characters around it are ordinary prose ("电话13812345678").
_B = r"(?<![0-9０-９A-Za-z_])"
_E = r"(?![0-9０-９A-Za-z_]|\.[0-9A-Za-z])"  # ".5", ".jpg" after it: an amount or a file name
# Digits as staff type them: ASCII or full-width (１３８…); the fix is always written in ASCII. "D" below
# stands for that class (the pattern has no other capital D).
_D = "[0-9０-９]"
_PATTERN = re.compile(
    (rf"{_B}(?P<grouped>D{{4}}(?:[ -]D{{4}}){{3}}(?:[ -]D{{1,4}})?){_E}"  # 6222 0212 3456 7890
     rf"|{_B}(?P<run>D{{15,18}}(?:D|[XxＸｘ])){_E}"  # an ID card number or a bank card number
     rf"|{_B}(?:[+＋]?[8８][6６][ -]?)?(?P<mobile>[1１][3-9３-９]D(?:[ -]?D{{4}}){{2}}){_E}"
     rf"|{_B}(?P<landline>[0０]D{{2,3}}[-－]D{{7,8}}|[（(][0０]D{{2,3}}[)）] ?D{{7,8}}){_E}").replace("D", _D)
)
# Every personal number has 7+ characters of digits and separators; this plain character class finds
# them ~10x faster than the full pattern, which then only runs around each candidate.
_CANDIDATE = re.compile(r"[0-9０-９][0-9０-９ ()（）－-]{5,}[0-9０-９XxＸｘ]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
KIND_NAMES = {"mobile": "手机号码", "landline": "固定电话号码", "id": "身份证号码", "bank": "银行卡号"}


@dataclass(frozen=True)
class PrivacyHit:
    start: int
    end: int
    kind: str  # mobile | landline | id | bank
    found: str
    masked: str

    def advice(self, where: str) -> str:
        name = KIND_NAMES[self.kind]
        return (f"{where}有{name}“{self.found}”，属于个人信息，不得公开（2018年政务公开工作要点：公开前去标识化）。"
                f"请删除，或改写为“{self.masked}”；确属对外公开的号码（如单位总机），请管理员把它写进 column.yml 的 "
                "privacy: allow: 列表。")


@dataclass(frozen=True)
class PrivacyScanner:
    allowed: frozenset[str] = frozenset()  # digits only

    def hits(self, text: str) -> Iterator[PrivacyHit]:
        pos = 0
        for candidate in _CANDIDATE.finditer(text):
            start = max(pos, candidate.start() - 4)  # "+86 " may stand before it
            # endpos two past the end: the lookahead must still see ".jpg" or a letter after the number
            for match in _PATTERN.finditer(text, start, min(len(text), candidate.end() + 2)):
                pos = match.end()
                hit = _classify(match)
                if hit is not None and digits_of(hit.found) not in self.allowed:
                    yield hit


def id_checksum_ok(number: str) -> bool:
    """GB 11643-1999: the 18th character is fixed by a weighted sum of the first 17 digits, mod 11."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(number: str) -> bool:
    total = 0
    for i, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _classify(match: re.Match) -> PrivacyHit | None:
    group = match.lastgroup
    found = match.group(group)
    digits = digits_of(found)
    if group == "run" and len(digits) == 18 and digits[0] in "12345678" and id_checksum_ok(digits):
        return _hit(match, group, "id", digits[:2] + "*" * 13 + digits[-3:])
    if group in ("run", "grouped"):  # a card number, with or without spaces
        if not digits.isdigit() or not 16 <= len(digits) <= 19 or not luhn_ok(digits):
            return None
        middle = " ".join("****" for _ in range((len(digits) - 8 + 3) // 4))
        return _hit(match, group, "bank", f"{digits[:4]} {middle} {digits[-4:]}")
    if group == "mobile":
        return _hit(match, group, "mobile", f"{digits[:3]}****{digits[-4:]}")
    area = re.match(r"\D*(0\d{2,3})", unicodedata.normalize("NFKC", found)).group(1)
    return _hit(match, group, "landline", f"{area}-****{digits[-4:]}")


def _hit(match: re.Match, group: str, kind: str, masked: str) -> PrivacyHit:
    return PrivacyHit(match.start(group), match.end(group), kind, match.group(group), masked)


def digits_of(text: str) -> str:
    """ASCII digits (and the ID card's X) of a number; full-width １３８ counts as 138."""
    return re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", text).upper())
