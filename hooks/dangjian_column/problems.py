"""Problems found in the content, worded for publicity staff (in Chinese)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning", "info"]

LEVEL_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one source file.

    ``path`` is relative to the project root so staff can find the file; ``line`` is 1-based or 0
    when the problem concerns the whole file.
    """

    path: str
    message: str
    level: Level = "error"
    line: int = 0
    field: str = ""
    column: int = 0  # 1-based, for hits inside a line (wording lint); 0 when not known

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.line and self.column:
            where += f":{self.column}"
        return f"{where}: {LEVEL_LABELS[self.level]}: {self.message}"


@dataclass
class ProblemLog:
    """Collects problems while content is loaded; nothing is raised at staff."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, message: str, *, level: Level = "error", line: int = 0, field: str = "",
            column: int = 0) -> None:
        self.items.append(Problem(path=path, message=message, level=level, line=line, field=field, column=column))

    def extend(self, other: ProblemLog) -> None:
        self.items.extend(other.items)

    def by_path(self) -> dict[str, list[Problem]]:
        found: dict[str, list[Problem]] = {}
        for problem in self.items:
            found.setdefault(problem.path, []).append(problem)
        return found

    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)
