"""Every reference in a story is checked (issue 10): body images, links to files, phone-named photos,
the automatic summary and link schemes.

Problems are found when the story is loaded, so ``dangjian check`` and the build say the same thing:
one Chinese warning with file:line, what is wrong and the fix; the element leaves the page; ``--strict``
fails. Domain tests read ``load_column``'s problems; the rest build real sites and read the HTML/feeds.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
from browser_support import jpeg_bytes
from conftest import resolve, search_documents
from dangjian_column.commands.cli import main
from dangjian_column.lint.sanitize import clean_html
from dangjian_column.site import load_column

STORY = "content/stories/2025/refs.md"
URL = "stories/2025/refs/"
FIELDS = {"title": "区调一支部核对引用", "date": "2025-03-01", "branch": "a", "slug": "refs"}


@pytest.fixture
def site(project):
    project.branch("a")
    project.write("content/stories/2025/refs/01.jpg", jpeg_bytes())
    project.write("content/stories/2025/refs/现场合影.jpg", jpeg_bytes(color=(20, 90, 160)))
    project.write("content/stories/2025/refs/议程.pdf", b"%PDF-1.4\n")
    return project


def write_story(site, body: str, **fields) -> str:
    site.story("2025/refs.md", body, **{**FIELDS, **fields})
    return (site.root / STORY).read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def story_problems(site, level: str | None = None):
    column = load_column(site.root, site.root / "content")
    return [p for p in column.problems if p.path == STORY and (level is None or p.level == level)]


# --- 1. body images and file links that cannot be shown -----------------------------------------------

BAD = [
    # (as written in the body, what the one warning must say)
    ("![现场照片](refs/缺失.png){: width=300 }", ["正文图片 refs/缺失.png 不存在", "content/stories/2025/refs/缺失.png",
                                "这张图片不会出现在页面上"]),
    ("![合影](refs/01.JPG)", ["正文图片 refs/01.JPG 不存在", "是不是 refs/01.jpg？", "![合影](refs/01.jpg)"]),
    ("![合影](refs/现场合影1.jpg)", ["是不是 refs/现场合影.jpg？"]),
    ("![合影](refs/01.jpeg)", ["是不是 refs/01.jpg？"]),
    ("![合影](../../../../etc/passwd)", ["../../../../etc/passwd 指向 content/ 文件夹以外", "![合影](refs/文件名)"]),
    ("![合影](/etc/passwd)", ["/etc/passwd 以“/”开头", "网站的根目录"]),
    ('<img src="/etc/passwd" alt="合影">', ["正文里的 <img> 图片 /etc/passwd 以“/”开头"]),
    ('<img src="../../../../etc/passwd">', ["正文里的 <img> 图片 ../../../../etc/passwd 指向 content/ 文件夹以外"]),
    ("![合影](/stories/2025/refs/01.jpg)", ["以“/”开头", "请写相对于稿件的路径：![合影](refs/01.jpg)"]),
    ("[活动附件](refs/附件.pdf){: .download }", ["正文链接 [活动附件](refs/附件.pdf) 不存在", "链接已去掉，只保留文字"]),
    ("[活动附件](refs/议程.PDF)", ["是不是 refs/议程.pdf？"]),
    ("[活动附件](../../../../etc/passwd)", ["指向 content/ 文件夹以外"]),
    ("[活动附件](/files/议程.pdf)", ["以“/”开头"]),
    ('<a href="refs/缺失.pdf">活动附件</a>', ["正文里的 <a> 链接 refs/缺失.pdf 不存在"]),
    ("[关于本栏](/about.md)", ["以“/”开头", "请写相对于稿件的路径：[关于本栏](../../about.md)"]),
    ("[关于本栏](../../../about/)", ["指向 content/ 文件夹以外"]),
]


NOT_SAID = {"[活动附件](refs/附件.pdf){: .download }": "是不是"}  # 议程.pdf only shares the extension


@pytest.mark.parametrize(("written", "expected"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_reference_is_one_chinese_warning_at_its_line(site, written, expected):
    text = write_story(site, f"第一段。\n\n{written}\n\n最后一段。")
    problems = [p for p in story_problems(site) if p.field == "body"]
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert problem.level == "warning"
    assert problem.line == line_of(text, written)
    for phrase in expected:
        assert phrase in problem.message, problem.message
    assert NOT_SAID.get(written, "\0") not in problem.message


def test_references_that_resolve_are_not_reported(site):
    body = ("![合影](refs/01.jpg) ![合影二](<refs/现场合影.jpg>) [议程](refs/议程.pdf) [本栏](../../about.md) "
            "[官网](https://www.example.gov.cn/) [邮件](mailto:dw@example.gov.cn) [回到顶部](#top)\n\n"
            "`![代码里](refs/没有.png)`\n\n```\n![围栏里](refs/没有.png)\n```\n")
    write_story(site, body)
    assert [p.format() for p in story_problems(site) if p.field == "body"] == []


ALL_BAD = "\n\n".join(written for written, _ in BAD)


def test_refused_references_leave_the_built_page_with_one_message_each(site):
    text = write_story(site, f"开头有图：![现场全景](refs/01.jpg)\n\n{ALL_BAD}\n\n结尾。")
    result = site.build()
    assert result.ok
    page = result.html(URL)
    body = page.select_one(".dj-story__body")
    assert [img["alt"] for img in body.select("img")] == ["现场全景"]  # only the photo that exists
    assert "passwd" not in str(page) and "缺失" not in str(page) and "01.JPG" not in str(page)
    assert not body.select('a[href*="附件"], a[href*="议程"], a[href*="files"], a[href*="缺失"]')
    assert body.get_text().count("活动附件") == 5  # a refused link keeps its text
    assert "{:" not in body.get_text() and "download" not in str(body)  # and its attr_list goes with it
    mine = result.messages_about(STORY)
    for written, _ in BAD:
        line = f"{STORY}:{line_of(text, written)}: 警告: "
        assert sum(m.startswith(line) for m in mine) == 1, (written, mine)
    assert [m for m in result.messages if "Doc file" in m or "contains" in m] == []  # no English twin
    assert not site.build(strict=True).ok


def test_check_reports_what_the_build_reports_and_strict_fails(site, capsys):
    write_story(site, ALL_BAD)
    built = {m for m in site.build().messages if m.startswith(STORY)}
    assert main(["--root", str(site.root), "check"]) == 0
    checked = {line for line in capsys.readouterr().out.splitlines()
               if line.startswith(STORY) and ": 提示: " not in line}  # info lines are not build warnings
    assert built and checked == built
    assert main(["--root", str(site.root), "check", "--strict"]) == 1


def test_a_link_to_a_photo_opens_a_file_the_site_has(site):
    write_story(site, "[看现场大图](refs/01.jpg)，[会议议程](refs/议程.pdf)。")
    result = site.build(strict=True)
    assert result.ok, result.messages
    links = result.html(URL).select(".dj-story__body p a")
    assert [a.get_text() for a in links] == ["看现场大图", "会议议程"]
    for a in links:  # originals are never copied into the site: the photo link must not point at one
        assert (result.site / unquote(resolve(URL, a["href"]))).is_file(), a["href"]


# --- 2. phone-named photos in the body --------------------------------------------------------------

PHONE = "IMG_2023 (1).JPG"
PHONE_FORMS = [f"![主题党日合影](refs/{PHONE})", f"![主题党日合影](<refs/{PHONE}>)",
               "![主题党日合影](refs/IMG_2023%20(1).JPG)"]


@pytest.mark.parametrize("written", PHONE_FORMS)
def test_phone_named_body_photo_is_a_body_image(project, written):
    project.branch("a")
    project.write(f"content/stories/2025/refs/{PHONE}", jpeg_bytes())
    project.story("2025/refs.md", f"党员重温入党誓词。\n\n{written}\n", **FIELDS)
    column = load_column(project.root, project.root / "content")
    story = column.published_story("stories/2025/refs.md")
    assert story.gallery == () and story.photos == (f"stories/2025/refs/{PHONE}",)
    assert [p.format() for p in column.problems if p.path == STORY] == []  # no "没有说明文字"
    result = project.build(strict=True)
    assert result.ok, result.messages
    page = result.html(URL)
    assert [img["alt"] for img in page.select(".dj-story__body picture img")] == ["主题党日合影"]
    assert page.select(".dj-gallery figure") == []  # not shown a second time
    description = page.select_one('meta[name="description"]')["content"]
    feed = json.loads((result.site / "feed.json").read_text(encoding="utf-8"))["items"][0]
    for summary in (description, feed["summary"], page.select_one(".dj-story__lead")):
        assert summary is None or (".JPG" not in str(summary) and ")" not in str(summary))
    assert description == "党员重温入党誓词。"


# --- 3. the automatic summary is plain text, and is not repeated as a lead ---------------------------

MARKED_UP = """活动**开始**，全体党员*重温*入党誓词[^1]，参观了[地质博物馆](https://example.com/a_(b))和[展厅][hall]。
{: .lead }

![合影](refs/01.jpg){: width=300}

<span style="color:red">红色文字</span>与<https://example.com/x>。

!!! note "活动提示"
    注意安全。

| 项目 | 人数 |
| --- | --- |
| 党课 | 22 |

[hall]: https://example.com/hall
[^1]: 脚注。
"""
FRAGMENTS = ["](", "[", "]", "(", ")", "<", ">", "{", "}", "*", "http", "^1", "!!!", "|", "---", "01.jpg",
             "width", "span", "note"]


def test_automatic_summary_has_no_markdown_or_html(site):
    write_story(site, MARKED_UP)
    story = load_column(site.root, site.root / "content").published_story("stories/2025/refs.md")
    assert [f for f in FRAGMENTS if f in story.description] == [], story.description
    for words in ("活动开始，全体党员重温入党誓词", "地质博物馆和展厅。", "红色文字", "活动提示", "注意安全"):
        assert words in story.description


def test_built_summary_is_plain_and_the_page_has_no_repeated_lead(site):
    write_story(site, MARKED_UP)
    site.story("2025/written.md", "正文第一段。", title="写了摘要的稿件", date="2025-03-02", branch="a",
               slug="written", description="这是编辑写的摘要。")
    result = site.build()
    assert result.ok, result.messages
    page = result.html(URL)
    assert page.select(".dj-story__lead") == []  # the summary would only repeat the first paragraph
    assert result.html("stories/2025/written/").select_one(".dj-story__lead").get_text() == "这是编辑写的摘要。"
    feed = {item["url"].rsplit("/", 2)[-2]: item for item in
            json.loads((result.site / "feed.json").read_text(encoding="utf-8"))["items"]}
    card = result.html("branches/a/").select_one('.dj-card__title a[href$="refs/"]').find_parent(class_="dj-card")
    for summary in (page.select_one('meta[name="description"]')["content"], feed["refs"]["summary"],
                    card.select_one(".dj-card__summary").get_text()):
        assert [f for f in FRAGMENTS if f in summary] == [], summary


def test_automatic_summary_is_not_shown_but_stays_searchable(site):
    """Even with full-text search switched off, the index holds the summary: dropping the repeated lead
    from the page must not drop the story's text from search."""
    site.settings(search_full_text=False)
    write_story(site, "党员们走进岩芯库房，学习岩芯编录。")
    result = site.build(strict=True)
    assert result.ok, result.messages
    page = result.html(URL)
    assert page.select(".dj-story__lead") == []
    texts = [json.dumps(doc, ensure_ascii=False) for doc in search_documents(result.site)]
    assert any("党员们走进岩芯库房，学习岩芯编录。" in text for text in texts), texts


# --- 4. link schemes with whitespace inside ----------------------------------------------------------

@pytest.mark.parametrize("href", ["java    script:alert(1)", "java\tscript:alert(1)", " javascript :alert(1)",
                                  "java\nscript:alert(1)"])
def test_sanitiser_refuses_a_scheme_with_whitespace_inside(href):
    cleaned = clean_html(f'<p><a href="{href}">点我</a></p>').html
    assert "href" not in cleaned and "script" not in cleaned


def test_script_links_leave_neither_href_nor_a_stray_parenthesis(site):
    text = write_story(site, "前文[甲](java\tscript:alert(1))和[乙](javascript:alert(1))后文。")
    result = site.build()
    assert result.ok
    paragraph = result.html(URL).select_one(".dj-story__body p")
    assert paragraph.get_text() == "前文甲和乙后文。" and paragraph.select("a") == []
    assert result.html(URL).select_one('meta[name="description"]')["content"] == "前文甲和乙后文。"
    line = line_of(text, "前文")
    warnings = [m for m in result.messages_about(STORY) if m.startswith(f"{STORY}:{line}: 警告: ")]
    assert len(warnings) == 2 and all("javascript:" in m for m in warnings), result.messages
