"""Standard political wording (规范表述): the word list and one fast scanner over any text.

The list lives in ``terminology.yml`` at the project root (``terminology: {file: …, severity: …}`` in
column.yml overrides the file and the default severity). All rules are compiled into ONE regex of
named alternatives, so a text is scanned once whatever the number of rules; most stories have no hit
and cost one ``search`` call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

SEVERITIES = ("warning", "error")


@dataclass(frozen=True)
class Rule:
    pattern: str  # a regex; literal ``wrong`` entries are escaped into one
    shown: str  # the wrong wording as staff wrote it in the list (for messages)
    right: str = ""  # "" means forbidden: delete or rewrite
    severity: str = "warning"
    source: str = ""
    note: str = ""

    def advice(self, found: str) -> str:
        fix = f"请改为“{self.right}”" if self.right else "请删除或改写"
        note = f"{self.note}" if self.note else ""
        source = f"（依据：{self.source}）" if self.source else ""
        return f"“{found}”不是规范表述，{fix}{source}。{note}"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    rule: Rule


@dataclass(frozen=True)
class Terminology:
    rules: tuple[Rule, ...] = ()
    regex: re.Pattern | None = None  # named alternatives, one per rule: says WHICH rule hit
    trigger: re.Pattern | None = None  # plain alternation of the rules' leading literals: says WHERE to look

    def hits(self, text: str) -> Iterator[Hit]:
        if self.regex is None:
            return
        if self.trigger is None:  # some rule has no leading literal: scan with the full regex
            for match in self.regex.finditer(text):
                yield self._hit(match)
            return
        # Named groups make Python's regex engine ~50x slower than a plain alternation of literals, so the
        # plain one finds candidate positions and the full one only confirms there.
        pos = 0
        while (candidate := self.trigger.search(text, pos)) is not None:
            match = self.regex.match(text, candidate.start())
            if match is None:
                pos = candidate.start() + 1
                continue
            yield self._hit(match)
            pos = max(match.end(), candidate.start() + 1)

    def _hit(self, match: re.Match) -> Hit:
        return Hit(match.start(), match.end(), self.rules[int(match.lastgroup[1:])])

    def any_hit(self, text: str) -> bool:
        return next(self.hits(text), None) is not None


_LOOKAROUND = re.compile(r"\(\?<?[=!](?:[^()\\]|\\.)*\)")
_LITERAL_RUN = re.compile(r"(?:[^\\.^$*+?{}\[\]|()]|\\[^A-Za-z0-9])+")


def leading_literal(pattern: str) -> str:
    """The literal text every match of ``pattern`` starts with ("" when there is none).

    Lookarounds consume nothing, so they are set aside; a literal followed by ``?``/``*``/``{`` is optional
    in its last character, so that character is dropped.
    """
    bare = _LOOKAROUND.sub("", pattern)
    run = _LITERAL_RUN.match(bare)
    if run is None:
        return ""
    literal = run.group(0)
    if bare[run.end():run.end() + 1] in ("?", "*", "{"):
        literal = literal[:-1]
    return re.sub(r"\\(.)", r"\1", literal)


def compile_rules(rules: list[Rule]) -> Terminology:
    if not rules:
        return Terminology()
    alternatives = "|".join(f"(?P<r{i}>{rule.pattern})" for i, rule in enumerate(rules))
    literals = [leading_literal(rule.pattern) for rule in rules]
    trigger = None
    if all(literals):
        unique = sorted(set(literals), key=len, reverse=True)
        trigger = re.compile("|".join(re.escape(literal) for literal in unique))
    return Terminology(rules=tuple(rules), regex=re.compile(alternatives), trigger=trigger)


def no_groups(pattern: str) -> str:
    """Capturing groups in a rule would shift ``lastgroup``; make them non-capturing."""
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)
