"""pagination.paginate and Pager.window (no MkDocs involved)."""

from __future__ import annotations

import itertools

import pytest
from dangjian_column.pages.pagination import Pager, page_url, paginate


def test_empty_listing_still_has_one_empty_page():
    pages = paginate([], 20, "kinds/x/")
    assert len(pages) == 1
    page = pages[0]
    assert (page.url, page.src_uri, page.items) == ("kinds/x/", "kinds/x/index.md", [])
    assert (page.pager.number, page.pager.total, page.pager.prev_url, page.pager.next_url) == (1, 1, "", "")
    assert page.pager.window() == [(1, "kinds/x/")]


@pytest.mark.parametrize(("count", "size", "pages"), [(1, 2, 1), (2, 2, 1), (3, 2, 2), (4, 2, 2), (5, 2, 3),
                                                       (7, 1, 7), (19, 20, 1), (20, 20, 1), (21, 20, 2)])
def test_page_count_and_items(count: int, size: int, pages: int):
    items = list(range(count))
    listing = paginate(items, size, "b/")
    assert len(listing) == pages
    assert [i for page in listing for i in page.items] == items  # nothing lost, nothing repeated, in order
    assert all(0 < len(page.items) <= size for page in listing)
    assert all(page.pager.total == pages for page in listing)


def test_urls_prev_and_next():
    listing = paginate(list("abcde"), 2, "archive/2025/")
    assert [p.url for p in listing] == ["archive/2025/", "archive/2025/page/2/", "archive/2025/page/3/"]
    assert [p.src_uri for p in listing] == ["archive/2025/index.md", "archive/2025/page/2/index.md",
                                            "archive/2025/page/3/index.md"]
    assert [(p.pager.prev_url, p.pager.next_url) for p in listing] == [
        ("", "archive/2025/page/2/"),
        ("archive/2025/", "archive/2025/page/3/"),
        ("archive/2025/page/2/", ""),
    ]
    assert [p.items for p in listing] == [["a", "b"], ["c", "d"], ["e"]]
    assert all(p.pager.urls == tuple(q.url for q in listing) for p in listing)


def test_page_url():
    assert page_url("tags/x/", 1) == "tags/x/"
    assert page_url("tags/x/", 12) == "tags/x/page/12/"


def pager(number: int, total: int) -> Pager:
    urls = tuple(page_url("b/", n) for n in range(1, total + 1))
    return Pager(number=number, total=total, prev_url="", next_url="", urls=urls)


def numbers(window: list[tuple[int, str]]) -> list[int]:
    return [n for n, _ in window]


@pytest.mark.parametrize(("number", "total", "shown"), [
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (2, 2, [1, 2]),
    (1, 5, [1, 2, 3, 4, 5]),  # a gap of one page shows the page, not "…"
    (1, 6, [1, 2, 3, 0, 6]),
    (3, 5, [1, 2, 3, 4, 5]),
    (1, 10, [1, 2, 3, 0, 10]),
    (4, 10, [1, 2, 3, 4, 5, 6, 0, 10]),
    (5, 10, [1, 2, 3, 4, 5, 6, 7, 0, 10]),
    (6, 10, [1, 0, 4, 5, 6, 7, 8, 9, 10]),
    (7, 10, [1, 0, 5, 6, 7, 8, 9, 10]),
    (10, 10, [1, 0, 8, 9, 10]),
])
def test_window(number: int, total: int, shown: list[int]):
    window = pager(number, total).window()
    assert numbers(window) == shown
    for n, url in window:
        assert url == ("" if n == 0 else page_url("b/", n))


def test_window_radius():
    assert numbers(pager(50, 100).window(radius=0)) == [1, 0, 50, 0, 100]
    assert numbers(pager(50, 100).window(radius=1)) == [1, 0, 49, 50, 51, 0, 100]
    assert numbers(pager(2, 3).window(radius=5)) == [1, 2, 3]


def test_window_never_has_two_gaps_in_a_row_or_duplicates():
    for total in range(1, 15):
        for number in range(1, total + 1):
            shown = numbers(pager(number, total).window())
            pages = [n for n in shown if n]
            assert pages == sorted(set(pages))
            assert pages[0] == 1 and pages[-1] == total and number in pages
            assert all(not (a == 0 and b == 0) for a, b in itertools.pairwise(shown))
            hidden = [shown[i + 1] - shown[i - 1] - 1 for i, n in enumerate(shown) if n == 0]
            assert all(count >= 2 for count in hidden), "a gap must hide at least two pages"
