"""Polling a served page until it holds a text: the preview tests and the preview benchmark wait the same way."""

from __future__ import annotations

import time
import urllib.request


def wait_for_text(url: str, text: str, timeout: float, interval: float = 0.02) -> float:
    """The monotonic time at which ``url`` first answered with ``text`` in it; AssertionError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                if text in answer.read().decode("utf-8"):
                    return time.monotonic()
        except OSError:
            pass
        time.sleep(interval)
    raise AssertionError(f"{url} did not show {text!r} within {timeout} s")
