"""dangjian import <folder>: real .docx (python-docx), .md and .txt submissions become 待审 stories, once."""

from __future__ import annotations

import io

import docx
import frontmatter
import pytest
from dangjian_column.commands.cli import main
from docx.shared import Inches
from PIL import Image


def jpeg(colour: tuple[int, int, int], size=(160, 100)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def picture(document, data: bytes) -> None:
    document.add_picture(io.BytesIO(data), width=Inches(2))


def chongzou_docx(path) -> None:
    """Title, a dated paragraph, two pictures with a Word caption and a typed "图为" line, a credit line."""
    document = docx.Document()
    document.add_heading("区调一支部开展“重走地质路”主题党日", level=0)
    document.add_paragraph("2025年3月15日，支部全体党员来到野外实习基地。")
    picture(document, jpeg((200, 30, 30)))
    document.add_paragraph("党员在剖面前重温入党誓词", style="Caption")
    document.add_paragraph("大家沿着老一辈地质队员的足迹前行。")
    picture(document, jpeg((30, 30, 200)))
    document.add_paragraph("图为支部书记讲述找矿故事")
    document.add_paragraph("撰稿：王晓明  摄影：李强  来源：区域地质调查所  责任编辑：赵六")
    document.save(path)


def dushu_docx(path) -> None:
    """Credits at the start, kind and date as lines, no picture inside: its photos are beside it."""
    document = docx.Document()
    document.add_heading("机关一支部举办读书班", level=0)
    document.add_paragraph("（撰稿：周敏）")
    document.add_paragraph("活动类型：党纪学习教育")
    document.add_paragraph("日期：2025-06-10")
    document.add_paragraph("支部组织党员逐章学习《中国共产党纪律处分条例》。")
    document.save(path)


@pytest.fixture
def inbox(project, tmp_path):
    project.branch("dizhi-xianfeng", name="区域地质调查所第一党支部", short_name="区调一支部")
    project.branch("jiguan-yi", name="机关第一党支部", short_name="机关一支部")
    folder = tmp_path / "投稿"
    (folder / "dizhi-xianfeng").mkdir(parents=True)
    chongzou_docx(folder / "dizhi-xianfeng" / "重走地质路.docx")
    (folder / "机关一支部" / "读书班").mkdir(parents=True)
    dushu_docx(folder / "机关一支部" / "读书班.docx")
    (folder / "机关一支部" / "读书班" / "集体学习.jpg").write_bytes(jpeg((30, 160, 30)))
    (folder / "通知.md").write_text("---\ntitle: 区调一支部召开支委会\nbranch: dizhi-xianfeng\nkind: 三会一课\n"
                                    "date: 2025-04-02\n---\n支委会研究了季度工作。\n\n摄影：李强\n", encoding="utf-8")
    (folder / "通知-签到.jpg").write_bytes(jpeg((90, 90, 90)))
    (folder / "心得.txt").write_text("学习心得\n没有日期也没有支部的一段文字。\n", encoding="utf-8")
    return project, folder


def run_import(project, folder) -> int:
    return main(["--root", str(project.root), "import", str(folder)])


def stories(project) -> dict[str, bytes]:
    base = project.root / "content" / "stories"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def test_a_folder_of_two_docx_and_an_md_imported_twice_makes_each_story_once(inbox, capsys):
    project, folder = inbox
    assert run_import(project, folder) == 1  # 心得.txt needs attention
    out = capsys.readouterr().out
    made = stories(project)
    md_files = sorted(name for name in made if name.endswith(".md"))
    assert len(md_files) == 3, md_files
    assert "心得.txt: 需要处理：不知道是哪个支部的稿件" in out and "未导入" in out
    assert "导入完成：新建 3 篇待审稿件，已导入过 0 个，需要处理 1 个" in out
    assert run_import(project, folder) == 1
    again = capsys.readouterr().out
    assert stories(project) == made  # nothing new, nothing rewritten
    assert again.count("已导入过（content/stories/") == 3
    assert "导入完成：新建 0 篇待审稿件，已导入过 3 个，需要处理 1 个" in again


def test_word_cover_captions_and_credit_lines_become_fields(inbox, capsys):
    project, folder = inbox
    run_import(project, folder)
    path = next((project.root / "content/stories/2025").glob("2025-03-*.md"))
    post = frontmatter.load(path)
    stem = path.stem
    assert (post["status"], post["branch"], post["kind"], str(post["date"])) == ("待审", "dizhi-xianfeng", "主题党日",
                                                                              "2025-03-15")
    assert (post["author"], post["photographer"], post["source"], post["editor"]) == (
        "王晓明", "李强", "区域地质调查所", "赵六")
    assert post["cover"] == f"{stem}/01.jpg"
    assert post["photos"] == [{"01.jpg": "党员在剖面前重温入党誓词"}]  # the cover's caption has no place in the body
    assert post["source_file"]["name"] == "dizhi-xianfeng/重走地质路.docx" and len(post["source_file"]["sha256"]) == 64
    assert post.content.split("\n\n") == [
        "2025年3月15日，支部全体党员来到野外实习基地。",
        "大家沿着老一辈地质队员的足迹前行。",
        f"![图为支部书记讲述找矿故事]({stem}/02.jpg)",
    ]  # no cover repeated, no caption paragraph, no credit line left in the text
    other = frontmatter.load(next((project.root / "content/stories/2025").glob("2025-06-*.md")))
    assert (other["branch"], other["kind"], other["author"]) == ("jiguan-yi", "党纪学习教育", "周敏")
    assert other["photos"] == [{"01.jpg": "集体学习"}]  # a photo beside it, its Chinese file name as caption
    assert "活动类型" not in other.content and "撰稿" not in other.content


def test_the_imported_story_page_shows_the_cover_once_with_its_caption_and_the_footer(inbox, capsys, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    project, folder = inbox
    run_import(project, folder)
    path = next((project.root / "content/stories/2025").glob("2025-03-*.md"))
    assert main(["--root", str(project.root), "approve", str(path), "--by", "钱七"]) == 0
    slug = frontmatter.load(path)["slug"]
    result = project.build()
    page = result.html(f"stories/2025/{slug}/")
    article = page.select_one("article.dj-story")
    alts = [img["alt"] for img in article.select("img")]
    assert alts.count("党员在剖面前重温入党誓词") == 1 and "图为支部书记讲述找矿故事" in alts
    assert len(alts) == 2  # the cover once, the second picture once
    credits = [p.get_text(" ", strip=True) for p in article.select(".dj-credits")]
    assert credits == ["撰稿：王晓明 摄影：李强 来源：区域地质调查所", "责任编辑：赵六 审核：钱七"]


def test_import_reports_personal_numbers_in_what_it_made(project, tmp_path, capsys):
    project.branch("dizhi-xianfeng")
    folder = tmp_path / "投稿" / "dizhi-xianfeng"
    folder.mkdir(parents=True)
    (folder / "报名.txt").write_text("主题党日报名\n2025年5月1日活动，联系人电话13812345678。\n", encoding="utf-8")
    assert run_import(project, folder.parent) == 1
    out = capsys.readouterr().out
    assert "→ content/stories/2025/" in out and "错误: 正文里有手机号码“13812345678”" in out and "138****5678" in out


def test_a_word_file_whose_title_is_just_a_bold_first_paragraph(project, tmp_path, capsys):
    project.branch("dizhi-xianfeng")
    folder = tmp_path / "投稿" / "dizhi-xianfeng"
    folder.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph().add_run("区调一支部开展主题党日活动").bold = True
    document.add_paragraph("2025年5月8日，支部党员集中学习。")
    document.save(folder / "稿件.docx")
    assert run_import(project, folder.parent) == 0
    assert "标题取自第一段“区调一支部开展主题党日活动”，请核对" in capsys.readouterr().out
    post = frontmatter.load(next((project.root / "content/stories/2025").glob("2025-05-*.md")))
    assert post["title"] == "区调一支部开展主题党日活动" and post.content == "2025年5月8日，支部党员集中学习。"
