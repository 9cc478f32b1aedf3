"""`dangjian check` and the build report the same problems, because they come from one code path.

One project holds every kind of bad input the other tests know (bad_input, imaging_inputs, photos_build,
review_status, terminology, settings …); `check` and a plain build must print the same set of
`file:line: 级别: 说明` lines, and `check --strict` / `build --strict` must both fail.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from conftest import SiteProject, front_matter
from dangjian_column.commands.cli import main
from test_imaging_inputs import bomb_png, jpeg_bytes

PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:]+)(?::(?P<line>\d+))?(?::\d+)?: (?P<level>错误|警告|提示): ")
STORY = "content/stories/2025"


def story(*lines: str, body: str = "正文。") -> str:
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n" + body + "\n"


def good_fields(title: str, **extra: str) -> tuple[str, ...]:
    fields = {"title": title, "date": "2025-03-01", "branch": "aa", "kind": "主题党日", "status": "已发布", **extra}
    return tuple(f"{k}: {v}" for k, v in fields.items())


def write_every_bad_input(site: SiteProject) -> None:
    # column.yml: values the build rejects (issue 11: check said "0 个错误" for the first two)
    settings = (site.root / "column.yml").read_text(encoding="utf-8")
    settings = settings.replace("  feed_count: 20", "  feed_count: -3")
    settings += "\nimages:\n  jpeg_quality: 500\n  widths: [5]\ncolour: red\ncolour: red\nhtml:\n  iframe_hosts: 5\n"
    site.write("column.yml", settings)
    site.write("terminology.yml", "rules:\n  - wrong: 台湾国\n    right: 台湾\n    severity: error\n"
                                  "  - right: 缺少错误写法\n  - wrong: x\n    severity: loud\n")
    # branches
    site.branch("aa", brand="地质先锋")
    site.write("branches/bb/index.md", "---\nname: 第二党支部\nbrand: 找矿尖兵\nlogo: logo.png\n"
                                       "pairings:\n  - branch: zz-nowhere\n---\n正文。\n")
    site.write("branches/cc/logo.png", b"\x89PNG")  # a folder without index.md
    site.write("branches/ff/index.md", "---\nslogan: 缺名称也缺品牌\nlogo: none.png\norder: 几\n---\n正文。\n")
    site.write("branches/.old/index.md", "---\nname: 旧支部\nbrand: 旧品牌\n---\n")
    site.branch("gg", name="第七党支部", short_name="七支部", brand="红色引擎")
    site.branch("hh", name="第八党支部", short_name="七支部", brand="红色引擎")
    # stories: the cases of test_bad_input.py, each in its own file
    site.write(f"{STORY}/yaml.md", story("title: 括号没有配对", "date: 2025-03-01", "branch: [aa", "kind: 主题党日"))
    site.write(f"{STORY}/quote.md", story('title: "引号没有结束', "date: 2025-03-01", "branch: aa",
                                          "kind: 主题党日", "author: 张三", "\tsource: 宣传部"))
    site.write(f"{STORY}/colon-in-title.md", story("title: 学习: 党纪教育", "date: 2025-03-01", "branch: aa"))
    site.write(f"{STORY}/no-end.md", "---\ntitle: 没有结束\ndate: 2025-03-01\nbranch: aa\n正文。\n")
    site.write(f"{STORY}/no-front.md", "# 只有正文\n\n没有字段区。\n")
    site.write(f"{STORY}/no-title.md", story("date: 2025-03-01", "branch: aa", "kind: 主题党日", "status: 已发布"))
    site.write(f"{STORY}/no-date.md", story("title: 没有日期", "branch: aa", "kind: 主题党日", "status: 已发布"))
    site.write(f"{STORY}/bad-date.md", story(*good_fields("日期不对", date="2025-02-30")))
    site.write(f"{STORY}/no-branch.md", story(*good_fields("支部不存在", branch="zz-nowhere")))
    site.write(f"{STORY}/brand-branch.md", story(*good_fields("写了中文名", branch="地质先锋")))
    site.write(f"{STORY}/short-name.md", story(*good_fields("简称重名", branch="七支部")))
    site.write(f"{STORY}/bad-kind.md", story(*good_fields("类型不存在", kind="篮球赛")))
    site.write(f"{STORY}/gbk.md", story(*good_fields("国标码稿件")).encode("gbk"))
    site.write(f"{STORY}/full-width.md", story("title：全角冒号", "date: 2025-03-01", "branch: aa"))
    site.write(f"{STORY}/orphan.md", story(*good_fields("档案缺失支部的稿件", branch="cc")))
    site.write(f"{STORY}/joint.md", story(*good_fields("半个双联", branch="[aa, zz]", kind="双联")))
    site.write(f"{STORY}/field.md", story(*good_fields("字段拼错", auther="张三")))
    site.write(f"{STORY}/twice.md", story(*good_fields("字段写了两次"), "title: 后写的标题"))
    site.write("content/stories/2024/year.md", story(*good_fields("放错年份", date="2025-03-02")))
    site.write(f"{STORY}/cover.md", story(*good_fields("封面丢了", cover="img/none.jpg")))
    for i, word in enumerate(("发布", "通过", "已审核", "approved")):
        site.write(f"{STORY}/status-{i}.md", story(*good_fields(f"状态写法{i}", status=word)))
    site.write(f"{STORY}/html.md", story(*good_fields("粘贴的网页"), body='<p onclick="x()">段落</p>'))
    site.write(f"{STORY}/wording.md", story(*good_fields("用词"), body="关于台湾国的说法。"))
    # photos: the bad files of test_imaging_inputs.py / test_photos_build.py in one published story
    detailed = jpeg_bytes((1600, 1200))
    mid = len(detailed) // 2
    photos = {
        "empty.jpg": b"",
        "truncated.jpg": detailed[:mid],
        "broken.jpg": detailed[:mid] + random.Random(7).randbytes(3000) + detailed[mid + 3000:],
        "notes.jpg": "活动通知：周五下午三点开会。\n".encode() * 20,
        "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "bomb.png": bomb_png(),
        "good.jpg": jpeg_bytes((320, 240)),
    }
    for name, data in photos.items():
        site.write(f"{STORY}/photos/{name}", data)
    site.write(f"{STORY}/photos.md", story(*good_fields("坏照片"), body="![合影](photos/good.jpg)"))
    # hand-written pages the build renders itself
    site.write("content/guide.md", "# 指南\n\n国标码页面。\n".encode("gbk"))
    site.write("content/archive/index.md", "---\ntitle：活动归档\n---\n介绍。\n")
    # body references of a hand-written page, a branch profile and a topic (not only stories')
    site.write("content/about-photos.md", "# 关于\n\n![合影](合影.jpg)\n")
    site.write("branches/gg/合影.JPG", jpeg_bytes())
    site.write("branches/gg/index.md", "---\nname: 第七党支部\nshort_name: 七支部\nbrand: 红色引擎\n---\n"
                                       "![合影](合影.jpg)\n\n[章程](../../column.yml)\n")


def problem_lines(lines: list[str]) -> Counter:
    return Counter(line for line in lines if PROBLEM_LINE.match(line))


@pytest.fixture(scope="module")
def every_bad_input(tmp_path_factory) -> SiteProject:
    site = SiteProject.create(tmp_path_factory.mktemp("parity") / "project")
    write_every_bad_input(site)
    return site


def test_check_and_build_report_the_same_problems(every_bad_input: SiteProject, capsys):
    site = every_bad_input
    assert main(["--root", str(site.root), "check"]) == 1
    checked = problem_lines(capsys.readouterr().out.splitlines())
    result = site.build()
    assert result.ok, result.messages
    built = problem_lines(result.messages + result.infos)
    assert checked - built == Counter(), "check only"
    assert built - checked == Counter(), "build only"
    # The fixture really holds every case: each bad file is named (a test that cannot fail is a defect).
    named = {PROBLEM_LINE.match(line)["path"] for line in checked}
    stories = {p.relative_to(site.root).as_posix() for p in (site.root / "content/stories").rglob("*.md")}
    expected = stories | {"column.yml", "terminology.yml", "branches/bb/index.md", "branches/cc",
                          "branches/ff/index.md", "branches/.old", "branches/hh/index.md", "content/guide.md",
                          "content/archive/index.md"}
    assert expected - named == set(), checked


def test_settings_problems_carry_the_line_of_the_value(every_bad_input: SiteProject, capsys):
    site = every_bad_input
    main(["--root", str(site.root), "check"])
    out = capsys.readouterr().out
    lines = site.root.joinpath("column.yml").read_text(encoding="utf-8").split("\n")
    for key, needle in (("publishing.feed_count", "  feed_count: -3"), ("images.jpeg_quality", "  jpeg_quality: 500"),
                        ("images.widths", "  widths: [5]"), ("html.iframe_hosts", "  iframe_hosts: 5")):
        line = lines.index(needle) + 1
        assert re.search(rf"^column\.yml:{line}: 错误: .*{re.escape(key)}", out, re.M), (key, out)
    assert re.search(r"^terminology\.yml:5: 警告: rules 第 2 项", out, re.M), out


def test_a_field_written_twice_is_named_with_both_lines(every_bad_input: SiteProject, capsys):
    """YAML keeps the later of two equal keys without a word: staff learn which line wins."""
    site = every_bad_input
    main(["--root", str(site.root), "check"])
    out = capsys.readouterr().out
    assert re.search(rf"^{STORY}/twice\.md:7: 警告: 字段“title”写了两次（第 2 行和第 7 行），只有第 7 行的值生效", out,
                     re.M), out
    lines = site.root.joinpath("column.yml").read_text(encoding="utf-8").split("\n")
    first = lines.index("colour: red") + 1
    again = first + 1
    assert re.search(rf"^column\.yml:{again}: 警告: 字段“colour”写了两次（第 {first} 行和第 {again} 行）",
                     out, re.M), out


def test_strict_fails_in_both(every_bad_input: SiteProject, capsys):
    assert main(["--root", str(every_bad_input.root), "check", "--strict"]) == 1
    assert not every_bad_input.build(strict=True, site_dir=every_bad_input.root / "site-strict").ok


def test_a_bad_photo_is_the_same_warning_in_check_and_build(tmp_path, capsys):
    site = SiteProject.create(tmp_path / "project")
    site.branch("aa")
    detailed = jpeg_bytes((1600, 1200))
    site.write(f"{STORY}/x/cut.jpg", detailed[: len(detailed) // 2])
    site.write(f"{STORY}/x.md", front_matter({"title": "截断的照片", "date": "2025-03-01", "branch": "aa",
                                              "kind": "主题党日", "status": "已发布"}) + "正文。\n")
    assert main(["--root", str(site.root), "check"]) == 0  # a warning: the story is published without it
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "不完整" in x)
    assert line.startswith(f"{STORY}/x.md: 警告: 照片 {STORY}/x/cut.jpg：") and "不完整" in line
    assert main(["--root", str(site.root), "check", "--strict"]) == 1
    result = site.build()
    assert line in result.messages
