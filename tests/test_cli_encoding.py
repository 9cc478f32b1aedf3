"""dangjian fix-encoding: GBK/GB18030 to UTF-8 with a .bak backup; UTF-8 files are left alone."""

from __future__ import annotations

import subprocess
import sys

from dangjian_column.commands.cli import main
from dangjian_column.site import load_column

TEXT = "---\ntitle: 标题\ndate: 2025-03-01\nbranch: a\nkind: 主题党日\nstatus: 已发布\n---\n正文。\n"


def test_converts_gbk_keeps_backup_and_the_story_then_loads(project, capsys):
    project.branch("a")
    path = project.write("content/stories/2025/gbk.md", TEXT.encode("gbk"))
    assert main(["fix-encoding", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == TEXT
    assert path.with_name("gbk.md.bak").read_bytes() == TEXT.encode("gbk")
    assert "已从 GBK/GB18030 转为 UTF-8" in capsys.readouterr().out
    assert [s.title for s in load_column(project.root, project.root / "content").catalog.stories] == ["标题"]


def test_refuses_utf8_and_an_existing_backup(project, capsys):
    utf8 = project.write("content/stories/2025/u.md", TEXT)
    assert main(["fix-encoding", str(utf8)]) == 1
    assert "已经是 UTF-8 编码" in capsys.readouterr().out
    gbk = project.write("content/stories/2025/g.md", TEXT.encode("gb18030"))
    project.write("content/stories/2025/g.md.bak", b"old backup")
    assert main(["fix-encoding", str(gbk)]) == 1
    assert gbk.read_bytes() == TEXT.encode("gb18030")
    assert "备份文件 g.md.bak 已存在" in capsys.readouterr().out


def test_real_process(project):
    path = project.write("x.md", TEXT.encode("gbk"))
    run = [sys.executable, "-m", "dangjian_column", "fix-encoding", str(path)]
    assert subprocess.run(run, capture_output=True, check=False).returncode == 0
    assert subprocess.run(run, capture_output=True, check=False).returncode == 1  # now UTF-8: refused
    assert subprocess.run([*run[:-1]], capture_output=True, check=False).returncode == 2  # no file named
