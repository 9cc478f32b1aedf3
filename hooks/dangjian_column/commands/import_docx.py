"""Word (.docx) to a story body: mammoth turns the document into clean HTML, we turn that into Markdown.

mammoth keeps the structure (headings, paragraphs, bold, lists, tables, images) and drops Word's
formatting noise; its messages (unknown styles, unsupported content) are translated for staff. Photos
are written into the story's photo folder as 01.jpg, 02.png … in document order.

Then the document is arranged the way the site shows a story: the first picture is the cover (and is
not repeated in the body), a Word caption (题注, or a short "图为……" line under a picture) becomes that
picture's caption, and credit lines at the start or end (撰稿：… 摄影：… 来源：… 责任编辑：…) become fields
(commands/credits.py) instead of staying in the text.
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
    "p[style-name='Caption'] => p.caption:fresh",
    "p[style-name='题注'] => p.caption:fresh",
])
EXTENSIONS = {"image/jpeg": "jpg", "image/jpg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


@dataclass
class ImportedDoc:
    title: str  # the first heading or Title paragraph ("" when the document has none)
    body: str  # Markdown
    photos: list[str] = field(default_factory=list)  # file names written into the photo folder
    notes: list[str] = field(default_factory=list)  # what could not be converted, in Chinese
    cover: str = ""  # the first photo's file name: shown as the cover, left out of the body
    captions: dict[str, str] = field(default_factory=dict)  # photo file name -> caption from Word
    credits: dict[str, str] = field(default_factory=dict)  # author / photographer / source / editor …


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
    title, blocks = html_to_blocks(result.value, notes)
    blocks, captions = attach_captions(blocks)
    blocks, credits = take_credits(blocks)
    cover = writer.written[0] if writer.written else ""
    blocks = without_image(blocks, f"{src_prefix}/{cover}") if cover else blocks
    captions = {name.rsplit("/", 1)[-1]: text for name, text in captions.items()}
    return ImportedDoc(title=title, body="\n\n".join(blocks) + "\n", photos=writer.written,
                       notes=list(dict.fromkeys(notes)), cover=cover, captions=captions, credits=credits)


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
    """(title, body) without the arranging ``convert_docx`` does."""
    title, blocks = html_to_blocks(html, notes)
    return title, "\n\n".join(blocks) + "\n"


CAPTION_MARK = "\x00caption\x00"  # a Word caption paragraph, until it is attached to its picture


def html_to_blocks(html: str, notes: list[str]) -> tuple[str, list[str]]:
    """(title, Markdown blocks). mammoth's HTML is well-formed XHTML, so the standard XML parser reads it."""
    root = ET.fromstring(f"<root>{html}</root>")
    title = ""
    blocks: list[str] = []
    for element in root:
        if not title and element.tag in ("h1", "h2") and _text(element).strip():
            title = _text(element).strip()
            continue
        block = _block(element, notes)
        if block.strip():
            caption = element.tag == "p" and "caption" in (element.get("class") or "").split()
            blocks.append(CAPTION_MARK + block if caption else block)
    return title, blocks


_IMAGE_ONLY = re.compile(r"^!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\((?P<src>[^)\s]+)\)$")
# Staff often type a caption as a short plain line under the picture: "图为……", "图1 ……", "图：……".
_CAPTION_LINE = re.compile(r"^(?:图\s*\d+|图为|图[：:]|▲)\s*[：:．.、]?\s*\S")


def attach_captions(blocks: list[str]) -> tuple[list[str], dict[str, str]]:
    """A caption right under (or, for a Word caption, right above) a picture becomes its alt text."""
    out: list[str] = []
    captions: dict[str, str] = {}
    for block in blocks:
        marked = block.startswith(CAPTION_MARK)
        text = block.removeprefix(CAPTION_MARK).strip()
        image = _IMAGE_ONLY.match(out[-1]) if out else None
        plain_caption = not marked and len(text) <= 80 and _CAPTION_LINE.match(_unescape(text))
        if image and (marked or plain_caption) and not image.group("alt"):
            caption = _unescape(text)
            captions[image.group("src")] = caption
            out[-1] = f"![{_escape(caption)}]({image.group('src')})"
            continue
        following = _IMAGE_ONLY.match(text)
        if following and out and out[-1].startswith(CAPTION_MARK) and not following.group("alt"):
            caption = _unescape(out.pop().removeprefix(CAPTION_MARK).strip())  # a Word caption above it
            captions[following.group("src")] = caption
            text = f"![{_escape(caption)}]({following.group('src')})"
        out.append(text if not marked else CAPTION_MARK + text)
    return [b.removeprefix(CAPTION_MARK) for b in out], captions


def without_image(blocks: list[str], src: str) -> list[str]:
    """The blocks with the picture ``src`` removed (it is the cover, shown above the text already)."""
    pattern = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(" + re.escape(src) + r"\)")
    kept = []
    for block in blocks:
        rest = pattern.sub("", block, count=1).strip() if src in block else block
        if rest:
            kept.append(rest)
    return kept


def take_credits(blocks: list[str]) -> tuple[list[str], dict[str, str]]:
    """Credit lines among the first and last three blocks become fields and leave the body."""
    from dangjian_column.commands.credits import parse_credit_line

    credits: dict[str, str] = {}
    edges = set(range(min(3, len(blocks)))) | set(range(max(0, len(blocks) - 3), len(blocks)))
    kept = []
    for i, block in enumerate(blocks):
        found = parse_credit_line(_unescape(block)) if i in edges else None
        if found:
            for key, value in found.items():
                credits.setdefault(key, value)
            continue
        kept.append(block)
    return kept, credits


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_\[\]])", r"\1", text).replace("&lt;", "<")


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
