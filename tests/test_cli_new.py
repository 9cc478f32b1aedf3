"""dangjian new story / new branch: skeletons checked with the build's own rules, never overwriting."""

from __future__ import annotations

import io
import subprocess
import sys

import frontmatter
import pytest
from dangjian_column.commands.cli import main
from dangjian_column.site import load_column

STORY = ["new", "story", "--branch", "dizhi-xianfeng", "--kind", "主题党日", "--title", "重走地质路：主题党日",
         "--date", "2025-03-15"]


@pytest.fixture
def site(project, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: nothing is asked
    project.branch("dizhi-xianfeng", name="区域地质调查所第一党支部", short_name="区调一支部")
    return project


def test_new_story_writes_skeleton_and_photo_folder(site, capsys):
    assert main(["--root", str(site.root), *STORY]) == 0
    path = site.root / "content/stories/2025/2025-03-chong-zou-di-zhi-lu-zhu-ti-dang-ri.md"
    assert path.is_file() and path.with_suffix("").is_dir()
    meta = frontmatter.load(path).metadata
    assert meta["status"] == "待审" and meta["slug"] == "chong-zou-di-zhi-lu-zhu-ti-dang-ri"
    assert (meta["title"], meta["branch"], meta["kind"]) == ("重走地质路：主题党日", "dizhi-xianfeng", "主题党日")
    assert "# 审核状态" in path.read_text(encoding="utf-8")  # commented for staff
    column = load_column(site.root, site.root / "content")
    assert column.problems.errors() == [] and [s.title for s in column.catalog.withheld] == ["重走地质路：主题党日"]
    assert "已新建稿件" in capsys.readouterr().out


def test_new_story_refuses_to_overwrite(site, capsys):
    assert main(["--root", str(site.root), *STORY, "--slug", "chongzou"]) == 0
    path = site.root / "content/stories/2025/2025-03-chongzou.md"
    path.write_text(path.read_text(encoding="utf-8") + "已写的正文。\n", encoding="utf-8")
    assert main(["--root", str(site.root), *STORY, "--slug", "chongzou"]) == 1
    assert "已存在，不会覆盖" in capsys.readouterr().err
    assert "已写的正文" in path.read_text(encoding="utf-8")


def test_missing_flag_without_terminal_is_a_usage_error(site, capsys):
    assert main(["--root", str(site.root), "new", "story", "--branch", "dizhi-xianfeng", "--kind", "主题党日"]) == 2
    assert "缺少 --title（标题）" in capsys.readouterr().err
    assert not list((site.root / "content/stories").rglob("*.md"))


@pytest.mark.parametrize(("flag", "value", "says"), [
    ("--branch", "nope", "支部“nope”不存在"),
    ("--kind", "茶话会", "活动类型“茶话会”不在 column.yml 里"),
    ("--date", "2025-02-30", "日期“2025-02-30”无效"),
    ("--slug", "Bad Slug", "只能用小写字母"),
])
def test_bad_values_are_refused_with_the_fix(site, capsys, flag, value, says):
    argv = [*STORY, flag, value] if flag == "--slug" else [v if v != STORY[STORY.index(flag) + 1] else value
                                                            for v in STORY]
    assert main(["--root", str(site.root), *argv]) == 1
    assert says in capsys.readouterr().err


def test_new_branch_skeleton_loads_and_refuses_an_existing_slug(site, capsys):
    assert main(["--root", str(site.root), "new", "branch", "--slug", "qingshan-weishi", "--name", "青山党支部",
                 "--brand", "青山卫士"]) == 0
    text = (site.root / "branches/qingshan-weishi/index.md").read_text(encoding="utf-8")
    for field in ("name:", "short_name:", "brand:", "# slogan:", "# logo:", "# parent:", "# category:", "# order:",
                  "# highlights:", "# experiences:", "# honours:", "# pairings:"):
        assert field in text
    column = load_column(site.root, site.root / "content")
    assert column.catalog.branches["qingshan-weishi"].brand == "青山卫士" and column.problems.errors() == []
    assert main(["--root", str(site.root), "new", "branch", "--slug", "qingshan-weishi", "--name", "x",
                 "--brand", "y"]) == 1
    assert "已存在，不会覆盖" in capsys.readouterr().err


def test_real_process_exit_codes(site):
    def run(*args: str) -> int:
        return subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(site.root), *args],
                              stdin=subprocess.DEVNULL, capture_output=True, check=False).returncode

    assert run(*STORY) == 0
    assert run(*STORY) == 1
    assert run("new", "story", "--kind", "主题党日") == 2
    assert run("no-such-command") == 2
