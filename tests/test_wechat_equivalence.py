"""The single-pass WeChat export gives exactly what the BeautifulSoup export gave (issue 13).

``wechat_reference.export_article`` is the export as it was (BeautifulSoup reshaping, then css-inline);
``dangjian_column.publishing.wechat.export_article`` reads the body with a tokenising regex instead. Both
are run on what the build hands the export: each sample story and generated-corpus story rendered by
Python-Markdown with mkdocs.yml's extensions and cleaned by the build's sanitiser (with a cover picture in
front, as ``Publication.wechat_export`` adds it), and on raw, unsanitised fragments.
"""

from __future__ import annotations

import sys
from pathlib import Path

import frontmatter
import pytest
import wechat_reference
from bs4 import BeautifulSoup
from dangjian_column.lint.sanitize import clean_html
from dangjian_column.publishing.wechat import export_article
from test_wechat import BRAND, MEDIA, PAGE, SAMPLES, SYNTHETIC, render

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "devtools"))

import generate_corpus  # noqa: E402


def image_url_every_third():
    """A stand-in for the photo pipeline (called once per picture, in order): every third has no rendition."""
    count = [0]

    def image_url(src: str) -> str | None:
        count[0] += 1
        return None if count[0] % 3 == 0 else MEDIA + src.rsplit("/", 1)[-1] + ".960.jpg"
    return image_url


def both(body_html: str, **changes) -> tuple[str, str]:
    options = {"title": "标题 <b>&</b> “引号”", "brand_header": BRAND, "source_line": "区域地质调查所",
               "page_url_abs": PAGE, **changes}
    old = wechat_reference.export_article(body_html, image_url=image_url_every_third(), **options)
    new = export_article(body_html, image_url=image_url_every_third(), **options)
    return old, new


def as_built(markdown_body: str) -> str:
    """What SitePlan.render_body hands the export: the rendered body, sanitised, a cover picture in front."""
    return '<p><img src="../cover.jpg" alt=""></p>' + clean_html(render(markdown_body), describe=False).html


@pytest.mark.parametrize("story", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_story_as_built(story: Path):
    old, new = both(as_built(frontmatter.load(story).content))
    assert new == old


@pytest.mark.parametrize("story", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_story_unsanitised(story: Path):
    old, new = both(render(frontmatter.load(story).content), title=frontmatter.load(story)["title"])
    assert new == old


def test_generated_corpus_stories(tmp_path):
    project = generate_corpus.generate(tmp_path / "corpus", 4, 5, cover_share=0.5).root
    stories = sorted((project / "content" / "stories").rglob("*.md"))
    assert len(stories) == 20
    for story in stories:
        old, new = both(as_built(frontmatter.load(story).content), brand_header={**BRAND, "logo_url": None})
        assert new == old, story.name


def test_synthetic_body():
    for body in (render(SYNTHETIC), as_built(SYNTHETIC)):
        old, new = both(body)
        assert new == old


FRAGMENTS = {
    "deep lists with tails and links": (
        "<ul><li>一<ul><li>二<a href='https://a.example/'>甲</a><ol><li>三<ul><li>四 <a href='https://b.example/'>乙</a>"
        "</li></ul>尾三</li><li>三乙</li></ol>尾二 <a href='https://c.example/'>丙</a></li></ul>尾一</li></ul>"),
    "figures": ('<figure><img src="a.jpg" alt="说明"><figcaption>图<em>一</em> 说明</figcaption></figure>'
                '<figure class="x"><p><img src="b.jpg" alt="另一个" title="t"></p><figcaption style="text-align: center">'
                '另一个</figcaption></figure><p><img src="c.jpg" alt=" 独立图 " width="10"></p>'),
    "entities and quotes": ('<p title="a &amp; &quot;b&quot;">&lt;tag&gt; &amp;amp; &nbsp;x&#160;y “z” \'q\'</p>'
                            '<p><a href="https://x.example/?a=1&amp;b=2">链接</a><img src="d.jpg?a=1&amp;b=2" alt="a&amp;b"></p>'),
    "unsafe and in-page": ('<h2 id="t">题<a class="headerlink" href="#t">¶</a></h2><script>if (a<b) {}</script>'
                           '<style>p{}</style><noscript><p>无</p></noscript><iframe src="https://x/"></iframe>'
                           '<p>注<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
                           '<div class="footnote"><ol><li id="fn:1"><p>脚注 <a class="footnote-backref" href="#fnref:1">'
                           '&#8617;</a></p></li></ol></div><!-- 注释 --><p>完</p>'),
    "links of every kind": ('<p><a href="mailto:x@example.com">信</a><a href="../other/">他篇</a><a href="">空</a>'
                            f'<a href="{PAGE}#x">本页</a><a>无址</a><a href=" https://y.example/ ">甲</a>'
                            '<a href="https://y.example/">甲again</a><a href="javascript:alert(1)">坏</a></p>'),
    "tables and quotes": ('<table><thead><tr><th style="text-align: center;">支部</th><th>数</th></tr></thead>'
                          '<tbody><tr><td colspan="2" style="text-align: right">一</td></tr></tbody></table>'
                          '<blockquote><p>引</p></blockquote><div class="admonition note"><p class="admonition-title">'
                          '注意</p><p>内容</p></div><hr><p>a<br>b<br/>c</p>'),
    "void and unclosed": "<p>开<img src='e.jpg' alt='e'/><br /><p>未闭合<span>段</p>尾",
    "stray end tags": "</div><p>一</span>二</p></p>三",
}


@pytest.mark.parametrize("name", FRAGMENTS)
def test_fragment(name: str):
    old, new = both(FRAGMENTS[name])
    assert new == old
    old, new = both(clean_html(FRAGMENTS[name], describe=False).html)
    assert new == old


def test_a_list_right_inside_a_list_keeps_its_items():
    """The old export failed on a third-level list with no list item around it (raw HTML); this one keeps it."""
    body = "<ul><li>一</li><ul><li>二</li><ul><li>三</li></ul></ul></ul>"
    with pytest.raises(AttributeError):
        wechat_reference.export_article(body, image_url=lambda src: None, title="t", brand_header=BRAND,
                                        source_line="", page_url_abs=PAGE)
    soup = BeautifulSoup(export_article(body, image_url=lambda src: None, title="t", brand_header=BRAND,
                                        source_line="", page_url_abs=PAGE), "html.parser")
    assert [li.get_text() for li in soup.find_all("li")] == ["一", "二", "三"]
    assert all(len(lst.find_parents(["ul", "ol"])) <= 1 for lst in soup.find_all(["ul", "ol"]))


def test_white_space_between_blocks_and_in_pre():
    body = ("<p>a</p>\n\n  <p>b</p>  <pre><code>x\n\n  y</code>\n\n</pre>\t<div>\n<p>&#32;</p>&#10;</div>"
            "<textarea>\n\n</textarea>")
    old, new = both(body)
    assert new == old
