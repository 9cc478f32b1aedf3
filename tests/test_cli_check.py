"""dangjian check: same problems as the build, file:line[:col] lines, exit 0 / 1 (--strict: warnings too)."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from dangjian_column.commands.cli import main
from PIL import Image

OK_STORY = {"title": "区调一支部开展主题党日", "date": "2025-03-01", "branch": "a"}


@pytest.fixture
def site(project):
    project.branch("a")
    return project


def run(site, *args: str) -> int:
    return main(["--root", str(site.root), "check", *args])


def test_clean_content_exits_zero(site, capsys):
    site.story("2025/ok.md", **OK_STORY)
    assert run(site) == 0
    assert "0 个错误，0 个警告" in capsys.readouterr().out


def test_raw_html_is_a_warning_and_strict_fails_on_it(site, capsys):
    site.story("2025/html.md", body="第一段。\n\n<p onclick=\"x()\">粘贴的段落</p>", **OK_STORY)
    assert run(site) == 0
    out = capsys.readouterr().out
    assert ("content/stories/2025/html.md:10:1: 警告: 正文里的 HTML 含有 onclick 事件属性，发布时会被删除。"
            "请删除这段代码，或改用 Markdown 写法。") in out
    assert run(site, "--strict") == 1


def test_wording_error_exits_one(site, capsys):
    site.write("terminology.yml", "rules:\n  - wrong: 台湾国\n    right: 台湾\n    severity: error\n    source: 新华社\n")
    site.story("2025/bad.md", body="关于台湾国的说法。", **OK_STORY)
    assert run(site) == 1
    assert "content/stories/2025/bad.md:8:3: 错误: “台湾国”不是规范表述" in capsys.readouterr().out


def test_broken_photo_header_is_reported(site, capsys):
    site.write("content/stories/2025/ok/01.jpg", b"this is not a jpeg")
    site.story("2025/ok.md", body="![合影](ok/01.jpg)", **OK_STORY)
    try:
        import dangjian_column.imaging  # noqa: F401
    except ImportError:
        pytest.skip("photo pipeline not in this checkout")
    assert run(site) == 0  # as in the build: a warning, the story goes out without the photo
    out = capsys.readouterr().out
    assert "content/stories/2025/ok.md: 警告: 照片 content/stories/2025/ok/01.jpg：" in out
    assert run(site, "--strict") == 1


def test_good_photo_is_counted(site, capsys):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 20, 20)).save(buffer, "JPEG")
    site.write("content/stories/2025/ok/01.jpg", buffer.getvalue())
    site.story("2025/ok.md", body="![合影](ok/01.jpg)", cover="ok/01.jpg", **OK_STORY)
    assert run(site) == 0
    out = capsys.readouterr().out
    assert "0 个错误" in out


def test_utf8_bom_and_crlf_are_silent(site, capsys):
    text = "---\r\ntitle: 标题\r\ndate: 2025-03-01\r\nbranch: a\r\nkind: 主题党日\r\nstatus: 已发布\r\n---\r\n正文。\r\n"
    site.write("content/stories/2025/bom.md", "\ufeff".encode() + text.encode("utf-8"))
    assert run(site) == 0
    assert "0 个错误，0 个警告" in capsys.readouterr().out


def test_gbk_names_the_fix_encoding_command(site, capsys):
    text = "---\ntitle: 标题\ndate: 2025-03-01\nbranch: a\nkind: 主题党日\n---\n正文。\n"
    site.write("content/stories/2025/gbk.md", text.encode("gbk"))
    assert run(site) == 1
    out = capsys.readouterr().out
    assert ("content/stories/2025/gbk.md:2: 错误: 文件是 GBK/GB18030 编码，本站只接受 UTF-8。"
            "请运行 dangjian fix-encoding content/stories/2025/gbk.md 转换") in out


@pytest.mark.parametrize(("front", "says"), [
    ("title： 标题\n", "第 2 行的字段名后用了全角冒号“：”，请改成半角冒号“:”"),
    ("title: 标题\n\tdate: 2025-03-01\n", "Tab 制表符"),
])
def test_full_width_colon_and_tab_are_explained(site, capsys, front, says):
    site.write("content/stories/2025/x.md", f"---\n{front}branch: a\n: x\n---\n正文\n")
    assert run(site) == 1
    assert says in capsys.readouterr().out


def test_real_process_exit_codes(site):
    site.story("2025/ok.md", **OK_STORY)

    def code(*args: str) -> int:
        return subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(site.root), *args],
                              capture_output=True, check=False).returncode

    assert code("check") == 0
    site.story("2025/html.md", body="<script>alert(1)</script>", **OK_STORY | {"title": "另一篇"})
    assert code("check") == 0
    assert code("check", "--strict") == 1
    site.story("2025/bad.md", title="无日期", branch="a")
    assert code("check") == 1
    assert code("check", "--no-such-flag") == 2


def test_build_strict_fails_on_the_same_warning_check_reports(site, capsys):
    site.story("2025/html.md", body='<p onclick="x()">段落</p>', **OK_STORY)
    assert run(site, "--strict") == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if "onclick" in x)
    result = site.build(strict=True)
    assert not result.ok and line in result.messages
