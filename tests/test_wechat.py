"""WeChat export: every sample story and a synthetic body come out as inline-styled, link-free HTML."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import frontmatter
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from dangjian_column.publishing.wechat import export_article, wechat_page

PROJECT = Path(__file__).resolve().parents[1]
BASE = "https://www.example.gov.cn/dangjian/"
PAGE = BASE + "stories/2025/x/"
MEDIA = BASE + "media/"
BRAND = {"brand": "地质先锋", "branch": "区域地质调查所第一党支部", "slogan": "把论文写在大地上",
         "logo_url": BASE + "branches/dizhi-xianfeng/logo.png"}
SAMPLES = sorted((PROJECT / "content" / "stories").glob("*/*.md"))


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !ENV tags plain YAML does not know."""


_MkDocsLoader.add_constructor("!ENV", lambda loader, node: None)


def _extensions() -> tuple[list, dict]:
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


def render(body: str) -> str:
    names, configs = _extensions()
    return markdown.markdown(body, extensions=names, extension_configs=configs)


def every_second_image(src: str) -> str | None:
    """A stand-in for the photo pipeline: odd images get a rendition, even ones have none."""
    every_second_image.count = getattr(every_second_image, "count", 0) + 1
    return None if every_second_image.count % 2 == 0 else MEDIA + src.rsplit("/", 1)[-1]


def export(body_html: str, **changes) -> BeautifulSoup:
    options = {"title": "标题", "brand_header": BRAND, "source_line": "区域地质调查所", "page_url_abs": PAGE,
               "image_url": lambda src: MEDIA + src.rsplit("/", 1)[-1], **changes}
    return BeautifulSoup(export_article(body_html, **options), "html.parser")


def assert_wechat_safe(soup: BeautifulSoup, label: str) -> None:
    assert not soup.find_all(["style", "script", "link", "iframe"]), label
    assert not soup.find_all(class_=True) and not soup.find_all(id=True), label
    assert not soup.find_all("a"), f"{label}: links survive (WeChat strips them; they become references)"
    assert "¶" not in soup.get_text(), label
    for img in soup.find_all("img"):
        assert img["src"].startswith("https://"), (label, img["src"])
        assert "width: 100%" in img["style"] or "width: 48px" in img["style"], (label, img)
    for tag in soup.find_all(["p", "h1", "h2", "h3", "li", "table", "td", "th", "blockquote"]):
        assert tag.get("style"), f"{label}: <{tag.name}> has no inline style"
    root = soup.find("section")
    assert "max-width: 677px" in root["style"], label


@pytest.mark.parametrize("story", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_story(story: Path):
    post = frontmatter.load(story)
    body = render(post.content)
    soup = export(body, title=post["title"], image_url=every_second_image)
    label = story.name
    assert_wechat_safe(soup, label)
    root = soup.find("section")
    header = root.find("section")
    assert header.get_text() == "地质先锋区域地质调查所第一党支部把论文写在大地上"
    assert header.img["src"] == BRAND["logo_url"]
    assert soup.h1.get_text() == post["title"]
    source = root.find_all("p", recursive=False)[-1].get_text()
    assert source == f"来源：区域地质调查所  原文：{PAGE}"
    source_soup = BeautifulSoup(body, "html.parser")
    for img in source_soup.find_all("img"):  # every picture: shown with its caption, or its caption alone
        if img.get("alt"):
            assert img["alt"] in soup.get_text(), (label, img["alt"])
    assert len(soup.find_all("img")) <= len(source_soup.find_all("img")) + 1  # + the logo
    for img in soup.find_all("img"):  # a caption shown under the photo is not also its alt (read twice)
        caption = img.find_next_sibling("span")  # the caption (classes are inlined away)
        assert not (caption and img.get("alt") and img["alt"] == caption.get_text()), (label, img["alt"])
    for heading in source_soup.find_all(["h2", "h3"]):
        assert soup.find(heading.name, string=heading.get_text()), (label, heading)


SYNTHETIC = """\
开头一段，见[下文](#jie-guo)和[国务院网站](https://www.gov.cn/zhengce/)，\
还有[另一篇稿件](../other/)，再次引用[国务院](https://www.gov.cn/zhengce/)。

## 结果 {#jie-guo}

- 第一层
    - 第二层
        - 第三层甲
            - 第四层
        - 第三层乙
    - 第二层末
- 第一层末

步骤如下：

1. 步骤一
2. 步骤二

> 引用的一段话。

| 支部 | 党员数 |
| --- | --- |
| 一支部 | 31 |

![野外驻地合影](photos/01.jpg)

![没有成品图的照片](photos/missing.jpg)

<script>alert("x")</script>

注释[^1]。

[^1]: 这是脚注。
"""


@pytest.fixture(scope="module")
def synthetic() -> BeautifulSoup:
    def image_url(src: str) -> str | None:
        return None if "missing" in src else MEDIA + "01.960.jpg"

    return export(render(SYNTHETIC), image_url=image_url, title='标题 <b>&</b>')


def test_synthetic_is_wechat_safe(synthetic):
    assert_wechat_safe(synthetic, "synthetic")
    assert synthetic.h1.get_text() == "标题 <b>&</b>" and not synthetic.find("b")
    assert "alert" not in str(synthetic)


def test_lists_are_at_most_two_levels_deep_and_keep_every_item(synthetic):
    for lst in synthetic.find_all(["ul", "ol"]):
        assert len(lst.find_parents(["ul", "ol"])) <= 1
    outer = synthetic.find("ul")
    second = [li.find(string=True).strip() for li in outer.find("ul").find_all("li", recursive=False)]
    assert second == ["第二层", "第三层甲", "第四层", "第三层乙", "第二层末"]
    assert [li.find(string=True).strip() for li in outer.find_all("li", recursive=False)] == ["第一层", "第一层末"]


def test_links_become_numbered_references(synthetic):
    text = synthetic.find_all("p")[0].get_text()
    assert text == "开头一段，见下文和国务院网站[1]，还有另一篇稿件[2]，再次引用国务院[1]。"
    refs = synthetic.find("p", string="参考链接").find_parent("section").get_text("\n")
    assert "[1] https://www.gov.cn/zhengce/" in refs and f"[2] {BASE}stories/2025/other/" in refs
    assert refs.count("https://www.gov.cn/zhengce/") == 1


def test_tables_and_quotes_are_styled_inline(synthetic):
    assert "border" in synthetic.td["style"] and "border-collapse" in synthetic.table["style"]
    assert "border-left" in synthetic.blockquote["style"]


def test_images_absolute_sized_and_dropped_ones_keep_their_caption(synthetic):
    images = synthetic.find_all("img")
    assert [i["src"] for i in images] == [BRAND["logo_url"], MEDIA + "01.960.jpg"]
    assert "width: 100%" in images[1]["style"]
    text = synthetic.get_text()
    assert "野外驻地合影" in text and "没有成品图的照片" in text


def test_footnote_back_links_and_in_page_anchors_are_gone(synthetic):
    assert "↩" not in synthetic.get_text() and "这是脚注" in synthetic.get_text()


def test_width_is_configurable():
    soup = export("<p>正文</p>", width=600)
    assert "max-width: 600px" in soup.section["style"]


def test_brand_header_without_logo_and_source_without_prefix_duplication():
    soup = export("<p>正文</p>", brand_header={**BRAND, "logo_url": None}, source_line="来源：院党委办公室")
    assert soup.find("img") is None
    assert soup.find_all("p")[-1].get_text() == f"来源：院党委办公室  原文：{PAGE}"


def test_credit_lines_close_the_article_after_the_source_styled_inline():
    soup = export("<p>正文</p>", credits=("撰稿：王晓明\u3000摄影：李强", "责任编辑：赵六\u3000审核：钱七、孙八"))
    last = [p for p in soup.find_all("p")][-3:]
    assert [p.get_text() for p in last] == [f"来源：区域地质调查所  原文：{PAGE}", "撰稿：王晓明\u3000摄影：李强",
                                            "责任编辑：赵六\u3000审核：钱七、孙八"]
    assert all("font-size: 13px" in p["style"] for p in last[1:])
    assert_wechat_safe(soup, "credits")


def test_credit_lines_are_those_the_story_has():
    from dangjian_column.publishing.publication import credit_lines

    story = SimpleNamespace(author="王晓明", photographer="", editor="", reviewers=("钱七", "孙八"))
    assert credit_lines(story) == ("撰稿：王晓明", "审核：钱七、孙八")
    assert credit_lines(SimpleNamespace(author="", photographer="", editor="", reviewers=())) == ()


def test_headerlinks_from_material_are_dropped():
    soup = export('<h2 id="x">一段<a class="headerlink" href="#x" title="Permanent link">¶</a></h2>')
    assert soup.h2.get_text() == "一段"


# --------------------------------------------------------------------------- the export page


def _page(article: str = "<section><p>正文</p></section>") -> BeautifulSoup:
    return BeautifulSoup(wechat_page(article, title="标题<i>", back_url="../"), "lxml")


def test_export_page_is_standalone_with_script_outside_the_article():
    soup = _page()
    container = soup.find(id="dj-wx-article")
    assert container.find("script") is None and soup.find("script") is not None
    assert soup.find("button", string="复制全文") is not None
    assert soup.find("a", string="返回原文")["href"] == "../"
    assert not soup.find_all(src=True) and not soup.find_all("link")
    assert soup.title.get_text() == "标题<i> · 公众号版"
    script = soup.script.get_text()
    assert "ClipboardItem" in script and "text/html" in script and "execCommand" in script


@pytest.mark.browser
def test_copy_button_puts_the_article_on_the_clipboard_as_html(browser, tmp_path):
    from browser_support import StaticServer, free_port

    article = export_article(render(SYNTHETIC), title="复制测试", brand_header=BRAND, source_line="院党委",
                             page_url_abs=PAGE, image_url=lambda src: None)
    site = tmp_path / "site"
    (site / "wechat").mkdir(parents=True)
    (site / "wechat" / "index.html").write_text(wechat_page(article, title="复制测试", back_url="../"), "utf-8")
    server = StaticServer(site, free_port()).start()
    context = browser.new_context()
    try:
        try:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url.rstrip("/"))
        except Exception as exc:  # any refusal means the check cannot run here
            pytest.skip(f"无头 Chromium 不允许授予剪贴板权限（{exc}），无法验证复制")
        page = context.new_page()
        page.goto(server.url("wechat/"))
        page.click("text=复制全文")
        page.wait_for_function("document.getElementById('dj-wx-status').textContent.startsWith('已复制')")
        copied = page.evaluate("""async () => {
            const items = await navigator.clipboard.read();
            const item = items.find(i => i.types.includes('text/html'));
            return item ? await (await item.getType('text/html')).text() : null;
        }""")
    finally:
        context.close()
        server.stop()
    assert copied is not None, "剪贴板里没有 text/html"
    soup = BeautifulSoup(copied, "html.parser")
    assert "复制测试" in soup.get_text() and "参考链接" in soup.get_text()
    assert soup.find("table") is not None and soup.find("script") is None


def test_images_carry_their_rendition_size_so_the_page_keeps_their_box():
    body = render("![合影](photos/01.jpg)\n\n![](photos/missing.jpg)\n\n正文。")
    sizes = {"photos/01.jpg": (960, 640)}
    soup = export(body, image_url=lambda src: None if "missing" in src else MEDIA + "01.960.jpg",
                  image_size=sizes.get)
    photo = soup.find("img", src=MEDIA + "01.960.jpg")
    assert (photo["width"], photo["height"]) == ("960", "640")
    assert "width: 100%" in photo["style"] and "height: auto" in photo["style"]  # scaled, same aspect ratio
    unsized = export(body, image_url=lambda src: MEDIA + "01.960.jpg").find("img", src=MEDIA + "01.960.jpg")
    assert "width" not in unsized.attrs and "height" not in unsized.attrs
