"""Splitting a listing into numbered pages: page 1 at ``base/``, page n at ``base/page/n/``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from dangjian_column.pages.urls import page_url, source_uri

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    prev_url: str  # "" on the first page
    next_url: str  # "" on the last page
    urls: tuple[str, ...]  # every page's URL, for numbered links

    def window(self, radius: int = 2) -> list[tuple[int, str]]:
        """First, last and the pages near the current one; (0, "") marks a gap of two or more pages."""
        shown = sorted({1, self.total, *range(max(1, self.number - radius), min(self.total, self.number + radius) + 1)})
        result: list[tuple[int, str]] = []
        for n in shown:
            previous = result[-1][0] if result else n - 1
            if n - previous == 2:  # a gap of one page: show the page itself, "…" would be no shorter
                result.append((n - 1, self.urls[n - 2]))
            elif n - previous > 2:
                result.append((0, ""))
            result.append((n, self.urls[n - 1]))
        return result


@dataclass(frozen=True)
class ListingPage(Generic[T]):
    src_uri: str
    url: str
    items: list[T]
    pager: Pager


def paginate(items: list[T], page_size: int, base_url: str) -> list[ListingPage[T]]:
    """Always at least one page, so an empty listing still has a page that says so."""
    total = max(1, -(-len(items) // page_size))
    urls = tuple(page_url(base_url, n) for n in range(1, total + 1))
    pages = []
    for n in range(1, total + 1):
        pager = Pager(
            number=n,
            total=total,
            prev_url=urls[n - 2] if n > 1 else "",
            next_url=urls[n] if n < total else "",
            urls=urls,
        )
        url = urls[n - 1]
        pages.append(ListingPage(src_uri=source_uri(url), url=url,
                                 items=items[(n - 1) * page_size: n * page_size], pager=pager))
    return pages
