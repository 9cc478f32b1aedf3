"""dangjian list: the editor's overview with review status, withheld stories included, with filters."""

from __future__ import annotations

import subprocess
import sys

from dangjian_column.commands.cli import main


def make(project):
    project.branch("a", name="甲党支部", short_name="甲支部")
    project.branch("b", name="乙党支部", short_name="乙支部")
    project.story("2025/one.md", title="三月主题党日", date="2025-03-05", branch="a", status="已发布")
    project.story("2025/two.md", title="三月专家讲堂", date="2025-03-20", branch="b", kind="专家大讲堂", status="待审")
    project.story("2025/three.md", title="四月双联", date="2025-04-02", branch=["a", "b"], kind="双联", draft=True)
    project.story("2025/broken.md", title="坏稿", date="2025-04-03", branch="nope")
    return project


def test_table_lists_every_story_with_its_status_label(project, capsys):
    make(project)
    assert main(["--root", str(project.root), "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["日期", "状态", "活动类型", "支部", "标题", "文件"]
    assert [line.split() for line in lines[1:4]] == [
        ["2025-03-05", "已发布", "主题党日", "甲支部", "三月主题党日", "content/stories/2025/one.md"],
        ["2025-03-20", "待审", "专家大讲堂", "乙支部", "三月专家讲堂", "content/stories/2025/two.md"],
        ["2025-04-02", "草稿", "双联", "甲支部、乙支部", "四月双联", "content/stories/2025/three.md"],
    ]
    assert lines[4] == "共 3 篇。"
    assert "另有 1 个稿件文件有错误" in lines[5]
    # aligned: the file column starts at the same display width on every row
    from dangjian_column.commands.list_stories import width
    starts = {width(line[: line.index("content/") if "content/" in line else line.index("文件")]) for line in lines[:4]}
    assert len(starts) == 1


def test_filters(project, capsys):
    make(project)
    root = ["--root", str(project.root), "list"]
    assert main([*root, "--status", "待审"]) == 0
    assert "三月专家讲堂" in (out := capsys.readouterr().out) and "三月主题党日" not in out
    assert main([*root, "--branch", "甲支部", "--month", "2025-04"]) == 0
    assert "四月双联" in (out := capsys.readouterr().out) and "共 1 篇" in out
    assert main([*root, "--kind", "zhuti-dangri"]) == 0
    assert "共 1 篇" in capsys.readouterr().out
    assert main([*root, "--status", "审完了"]) == 2
    assert "审核状态“审完了”无法识别" in capsys.readouterr().err


def test_real_process(project):
    make(project)
    result = subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(project.root), "list",
                             "--month", "2025-3"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "共 2 篇" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(project.root), "list",
                          "--month", "March"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2


def test_a_reader_that_stops_early_gets_no_traceback(project):
    """`dangjian list | head` (or a pager quit early): the closed pipe ends the listing quietly."""
    project.branch("a", name="甲党支部", short_name="甲支部")
    for n in range(900):  # more than a pipe holds (64 KB), so the listing is still writing when head quits
        project.story(f"2025/s{n}.md", title=f"第{n}次主题党日活动记录", date="2025-03-05", branch="a",
                      slug=f"s{n}", body="正文。")
    proc = subprocess.Popen([sys.executable, "-m", "dangjian_column", "--root", str(project.root), "list"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().split()[0] == "日期".encode()
    proc.stdout.close()  # what head does after its first lines
    err = proc.stderr.read().decode("utf-8", errors="replace")
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err
