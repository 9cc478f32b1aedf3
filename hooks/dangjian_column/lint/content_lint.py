"""Lint run while loading the column: standard wording and raw HTML, for check and build alike.

``column.load_column`` makes one ``ColumnLint``; the story loader hands it each file's text as it reads
it (no second read), so ``dangjian check`` and ``mkdocs build --strict`` report exactly the same problems. Positions are in the source file (line, character column), because
that is what staff open. A story with an error-level wording hit is not published; branches are only
reported (dropping a branch would orphan its stories).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dangjian_column.content.branches import BRANCH_FIELDS
from dangjian_column.content.sourcefile import decode_text
from dangjian_column.content.stories import STORY_FIELDS
from dangjian_column.lint.privacy import PrivacyScanner
from dangjian_column.lint.sanitize import HtmlPolicy, line_and_column, raw_html_warnings
from dangjian_column.lint.terminology import Terminology
from dangjian_column.model import Branch, ColumnSettings
from dangjian_column.problems import ProblemLog

STORY_TEXT_KEYS = frozenset({"title", "description"})
# Personal data is looked for in everything a story shows: captions and credits too.
STORY_SHOWN_KEYS = STORY_TEXT_KEYS | {"photos", "author", "photographer", "source", "editor", "subtitle"}
BRANCH_SKIP_KEYS = frozenset({"logo", "order"})  # file names and numbers are not prose
_CLOSING = re.compile(r"^-{3,}[ \t]*$", re.M)
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.M)
_FIELD_LABELS = {**STORY_FIELDS, **BRANCH_FIELDS}
# Not prose: inline code, fenced code, URLs and Markdown link targets.
_NOT_PROSE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$|(`+).+?\2|[a-z][a-z0-9+.-]*://\S+|\]\([^)]*\)",
                        re.S | re.M | re.I)
# A number inside an address or a link target is not shown as text (code is: it is published as it is).
_NOT_SHOWN = re.compile(r"[a-z][a-z0-9+.-]*://\S+|\]\([^)]*\)", re.I)


@dataclass(frozen=True)
class SourceText:
    rel_path: str
    text: str
    body_start: int  # offset of the body in ``text``

    @classmethod
    def read(cls, root: Path, rel_path: str) -> SourceText | None:
        try:
            text = decode_text((root / rel_path).read_bytes(), rel_path, ProblemLog())
        except OSError:
            return None
        return None if text is None else cls.of(rel_path, text)

    @classmethod
    def of(cls, rel_path: str, text: str) -> SourceText:
        closing = [m for _, m in zip(range(2), _CLOSING.finditer(text), strict=False)]
        body_start = closing[1].end() + 1 if len(closing) == 2 and closing[0].start() == 0 else 0
        return cls(rel_path, text, min(body_start, len(text)))


class ColumnLint:
    """The column's wording list, loaded once, applied to each story and branch file."""

    def __init__(self, root: Path, settings: ColumnSettings, log: ProblemLog):
        self.root = root
        self.terms = settings.terminology  # read (and reported on) once, with column.yml
        self.log = log
        self.policy = settings.html  # the build's sanitiser policy: warn about exactly what it removes
        self.privacy = settings.privacy

    def story(self, rel_path: str, text: str, log: ProblemLog | None = None) -> bool:
        """Report the story's problems (into ``log``, else the column's log); True when a wording or
        personal-data error keeps it from being published."""
        source = SourceText.of(rel_path, text)
        log = self.log if log is None else log
        blocked = lint_source(source, self.terms, log, self.policy, front_keys=STORY_TEXT_KEYS)
        return privacy_scan(source, self.privacy, log, front_keys=STORY_SHOWN_KEYS) or blocked

    def branches(self, branches: dict[str, Branch]) -> None:
        """Branches are only reported (dropping a branch would orphan its stories)."""
        self.profiles(b.source_path for b in branches.values())

    def profiles(self, rel_paths: Iterable[str]) -> None:
        """Branch and topic profiles (topics/<slug>/index.md): reported, never dropped."""
        for rel_path in rel_paths:
            source = SourceText.read(self.root, rel_path)
            if source is not None:
                lint_source(source, self.terms, self.log, self.policy, front_keys=None)
                privacy_scan(source, self.privacy, self.log, front_keys=None)


def lint_source(source: SourceText, terms: Terminology, log: ProblemLog, policy: HtmlPolicy,
                front_keys: frozenset[str] | None) -> bool:
    """Log the problems of one file; True when a wording error keeps it from being published.

    ``front_keys``: the front-matter fields that are prose (None: all but ``BRANCH_SKIP_KEYS``).
    """
    blocked = False
    if terms.any_hit(source.text):  # the common case, no hit, costs one regex search
        blocked = _wording(source, terms, log, front_keys)
    body = source.text[source.body_start:]
    body_line = source.text.count("\n", 0, source.body_start)
    for line, column, message in raw_html_warnings(body, policy):
        log.add(source.rel_path, message, level="warning", line=body_line + line, column=column, field="body")
    return blocked


def _wording(source: SourceText, terms: Terminology, log: ProblemLog, front_keys: frozenset[str] | None) -> bool:
    text = source.text
    skipped = [(m.start(), m.end()) for m in _NOT_PROSE.finditer(text, source.body_start)]
    starts = [s for s, _ in skipped]
    keys = [(m.start(), m.group(1)) for m in _TOP_KEY.finditer(text, 0, source.body_start)]
    blocked = False
    for hit in terms.hits(text):
        if hit.start < source.body_start:
            field = _key_at(keys, hit.start)
            if (front_keys is None and field in BRANCH_SKIP_KEYS) or (front_keys is not None and field not in front_keys):
                continue
        else:
            field = "body"
            i = bisect.bisect_right(starts, hit.start) - 1
            if i >= 0 and skipped[i][1] > hit.start:
                continue
        line, column = line_and_column(text, hit.start)
        error = hit.rule.severity == "error" and front_keys is not None
        message = hit.rule.advice(text[hit.start:hit.end]) + ("本篇暂不发布，改正后即可发布。" if error else "")
        log.add(source.rel_path, message, level=hit.rule.severity, line=line, column=column, field=field)  # type: ignore[arg-type]
        blocked = blocked or error
    return blocked


_FIELD_PLACES = {"body": "正文里", "title": "标题里", "description": "摘要里", "photos": "照片说明里"}


def privacy_scan(source: SourceText, scanner: PrivacyScanner, log: ProblemLog,
                 front_keys: frozenset[str] | None) -> bool:
    """Log every personal number in the shown text as an error; True when there was one.

    ``front_keys`` as in ``lint_source``. A story with a hit is withheld; a branch is reported only
    (dropping it would orphan its stories), and the message says so.
    """
    text = source.text
    hits = list(scanner.hits(text))
    if not hits:  # the common case: no other pass over the text
        return False
    skipped = [(m.start(), m.end()) for m in _NOT_SHOWN.finditer(text)]
    starts = [s for s, _ in skipped]
    keys = [(m.start(), m.group(1)) for m in _TOP_KEY.finditer(text, 0, source.body_start)]
    found = False
    for hit in hits:
        i = bisect.bisect_right(starts, hit.start) - 1
        if i >= 0 and skipped[i][1] > hit.start:
            continue
        field = _key_at(keys, hit.start) if hit.start < source.body_start else "body"
        if (front_keys is None and field in BRANCH_SKIP_KEYS) or (front_keys is not None and field != "body"
                                                                  and field not in front_keys):
            continue
        where = _FIELD_PLACES.get(field, f"{field}（{_FIELD_LABELS[field]}）里" if field in _FIELD_LABELS else f"{field} 字段里")
        tail = "本篇暂不发布，改正后即可发布。" if front_keys is not None else "支部页面照常生成，请立即改正后重新构建。"
        line, column = line_and_column(text, hit.start)
        log.add(source.rel_path, hit.advice(where) + tail, level="error", line=line, column=column, field=field)
        found = True
    return found


def _key_at(keys: list[tuple[int, str]], offset: int) -> str:
    i = bisect.bisect_right(keys, (offset, "\uffff")) - 1
    return keys[i][1] if i >= 0 else ""
