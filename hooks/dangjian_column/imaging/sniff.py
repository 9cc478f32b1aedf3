"""Recognise what a file really is from its first bytes, before Pillow is asked (content, not extension)."""

from __future__ import annotations

from pathlib import PurePath

from . import messages

HEAD_BYTES = 4096


def refuse_by_content(head: bytes, label: str) -> str | None:
    """A Chinese message when the bytes are certainly not a photo we publish; None to let Pillow try."""
    if not head:
        return messages.empty(label)
    if looks_like_svg(head, label):
        return messages.svg(label)
    return None


def looks_like_svg(head: bytes, label: str) -> bool:
    if PurePath(label).suffix.lower() in (".svg", ".svgz"):
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in text


def looks_like_text(head: bytes) -> bool:
    """True when the head decodes as text (UTF-8 or GB18030) and has no control bytes of binary data."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # The head may cut a multi-byte character in two: retry without the last few bytes.
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\t\r\n\f" for ch in text)
    return False


def unopenable_message(head: bytes, label: str) -> str:
    """Pillow recognised nothing it may open: say whether it is text or just an unknown format."""
    if looks_like_text(head):
        return messages.text_file(label)
    name = _known_other_format(head)
    return messages.unknown_format(label, name)


_OTHER_MAGIC = (
    (b"%PDF", "PDF"),
    (b"8BPS", "PSD（Photoshop）"),
    (b"PK\x03\x04", "ZIP / Office 文档"),
    (b"\xd0\xcf\x11\xe0", "Office 文档"),
    (b"%!PS", "EPS / PostScript"),
    (b"\xc5\xd0\xd3\xc6", "EPS"),
)


def _known_other_format(head: bytes) -> str:
    for magic, name in _OTHER_MAGIC:
        if head.startswith(magic):
            return name
    return ""
