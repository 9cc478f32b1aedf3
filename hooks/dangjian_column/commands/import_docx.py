"""Word (.docx) to a story body: mammoth turns the document into clean HTML, we turn that into Markdown.

mammoth keeps the structure (headings, paragraphs, bold, lists, tables, images) and drops Word's
formatting noise; its messages (unknown styles, unsupported content) are translated for staff. Photos
are written into the story's photo folder as 01.jpg, 02.png … in document order.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import mammoth

# Chinese Word and WPS name their styles in Chinese; map those too.
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1.doc-title:fresh",
    "p[style-name='标题'] => h1.doc-title:fresh",
    "p[style-name='Subtitle'] => p:fresh",
    "p[style-name='副标题'] => p:fresh",
    *(f"p[style-name='标题 {n}'] => h{n}:fresh" for n in range(1, 7)),
])
EXTENSIONS = {"image/jpeg": "jpg", "image/jpg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


@dataclass
class ImportedDoc:
    title: str  # the first heading or Title paragraph ("" when the document has none)
    body: str  # Markdown
    photos: list[str] = field(default_factory=list)  # file names written into the photo folder
    notes: list[str] = field(default_factory=list)  # what could not be converted, in Chinese


class _PhotoWriter:
    """mammoth calls this for every embedded image, in document order."""

    def __init__(self, folder: Path, src_prefix: str, notes: list[str]) -> None:
        self.folder, self.src_prefix, self.notes = folder, src_prefix, notes
        self.count = 0
        self.written: list[str] = []

    def __call__(self, image) -> dict[str, str]:
        self.count += 1
        ext = EXTENSIONS.get((image.content_type or "").lower())
        if ext is None:
            self.notes.append(f"第 {self.count} 张图片是 {image.content_type or '未知'} 格式，网页无法显示，已跳过。"
                              "请在 Word 里另存为 JPG 或 PNG 后放进照片文件夹，并在正文里引用。")
            return {"src": ""}
        name = f"{len(self.written) + 1:02d}.{ext}"
        with image.open() as data:
            (self.folder / name).write_bytes(data.read())
        self.written.append(name)
        return {"src": f"{self.src_prefix}/{name}"}


def convert_docx(path: Path, photo_folder: Path, src_prefix: str) -> ImportedDoc:
    """Convert the document; photos go into ``photo_folder`` and are referenced as ``src_prefix/NN.ext``."""
    notes: list[str] = []
    writer = _PhotoWriter(photo_folder, src_prefix, notes)
    with path.open("rb") as fp:
        result = mammoth.convert_to_html(fp, style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(writer))
    notes.extend(translate_message(m.message) for m in result.messages)
    title, body = html_to_markdown(result.value, notes)
    return ImportedDoc(title=title, body=body, photos=writer.written, notes=list(dict.fromkeys(notes)))


_MESSAGES = (
    (re.compile(r"Unrecognised paragraph style: '?(.*?)'? \(Style ID: .*\)"), "段落样式“{0}”无法识别，已按普通段落导入。"),
    (re.compile(r"Unrecognised run style: '?(.*?)'? \(Style ID: .*\)"), "文字样式“{0}”无法识别，已按普通文字导入。"),
    (re.compile(r"Image of type (.*) is unlikely to display in web browsers"), "有一张 {0} 格式的图片网页无法显示。"),
)


def translate_message(message: str) -> str:
    for pattern, chinese in _MESSAGES:
        match = pattern.search(message)
        if match:
            return chinese.format(*match.groups())
    return f"转换提示（mammoth）：{message}"


# --- mammoth HTML -> Markdown ----------------------------------------------------------------------

def html_to_markdown(html: str, notes: list[str]) -> tuple[str, str]:
    """(title, body). mammoth's HTML is well-formed XHTML, so the standard XML parser reads it."""
    root = ET.fromstring(f"<root>{html}</root>")
    title = ""
    blocks: list[str] = []
    for element in root:
        if not title and element.tag in ("h1", "h2") and _text(element).strip():
            title = _text(element).strip()
            continue
        block = _block(element, notes)
        if block.strip():
            blocks.append(block)
    return title, "\n\n".join(blocks) + "\n"


def _block(element: ET.Element, notes: list[str]) -> str:
    tag = element.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        level = min(int(tag[1]) + 1, 6)  # the story title is the page's only h1
        return f"{'#' * level} {_inline(element).strip()}"
    if tag in ("ul", "ol"):
        return _list(element, 0)
    if tag == "table":
        return _table(element, notes)
    if tag == "p":
        return _inline(element).strip()
    notes.append(f"Word 里的 <{tag}> 内容按普通文字导入，请核对。")
    return _escape(_text(element))


def _inline(element: ET.Element) -> str:
    parts = [_escape(element.text or "")]
    for child in element:
        parts.append(_inline_child(child))
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


def _inline_child(child: ET.Element) -> str:
    inner = _inline(child)
    if child.tag in ("strong", "b"):
        return f"**{inner.strip()}**" if inner.strip() else inner
    if child.tag in ("em", "i"):
        return f"*{inner.strip()}*" if inner.strip() else inner
    if child.tag == "img":
        src = child.get("src", "")
        return f"![{_escape(child.get('alt', ''))}]({src})" if src else ""
    if child.tag == "a":
        href = child.get("href", "")
        return f"[{inner}]({href})" if href and not href.startswith("#") else inner
    if child.tag == "br":
        return "  \n"
    if child.tag in ("sup", "sub", "s"):
        return f"<{child.tag}>{inner}</{child.tag}>"
    return inner


def _list(element: ET.Element, depth: int) -> str:
    lines = []
    for number, item in enumerate(element.findall("li"), start=1):
        marker = f"{number}." if element.tag == "ol" else "-"
        text = _inline_without_lists(item).strip()
        lines.append(f"{'    ' * depth}{marker} {text}")
        for nested in item:
            if nested.tag in ("ul", "ol"):
                lines.append(_list(nested, depth + 1))
    return "\n".join(lines)


def _inline_without_lists(item: ET.Element) -> str:
    copy = ET.Element(item.tag)
    copy.text = item.text
    copy.extend(child for child in item if child.tag not in ("ul", "ol"))
    return _inline(copy)


def _table(element: ET.Element, notes: list[str]) -> str:
    rows = [row for row in element.iter("tr")]
    cells = [[cell for cell in row if cell.tag in ("td", "th")] for row in rows]
    merged = any(c.get("colspan") or c.get("rowspan") for row in cells for c in row)
    widths = {len(row) for row in cells}
    if not rows or merged or len(widths) != 1 or element.find(".//table") is not None:
        notes.append("文档里有合并单元格的表格，已保留为 HTML 表格，请在预览中核对。")
        return ET.tostring(element, encoding="unicode", method="html")
    text = [[_cell(c) for c in row] for row in cells]
    lines = ["| " + " | ".join(text[0]) + " |", "|" + " --- |" * len(text[0])]
    lines += ["| " + " | ".join(row) + " |" for row in text[1:]]
    return "\n".join(lines)


def _cell(cell: ET.Element) -> str:
    paragraphs = [_inline(p).strip() for p in cell] if len(cell) else [_inline(cell).strip()]
    return "<br>".join(p for p in paragraphs if p).replace("|", "\\|")


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _escape(text: str) -> str:
    """Text stays text: Markdown and HTML characters in it are escaped."""
    return _SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
