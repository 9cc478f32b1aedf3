"""`dangjian report`: days since the last new story, silent branches, blank columns and this month's missing
required activities, on a fixture with known dates (``--today``), with cron-friendly exit codes and a CSV."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys

import pytest
from conftest import SiteProject, front_matter
from dangjian_column.commands.cli import main


@pytest.fixture
def office(tmp_path) -> SiteProject:
    project = SiteProject.create(tmp_path / "project")
    project.branch("aa", short_name="区调一支部")
    project.branch("bb", short_name="勘查所支部")
    project.branch("cc", short_name="测试中心支部")
    project.story("2026/a1.md", title="六月主题党日", slug="a1", date="2026-06-05", branch="aa", kind="主题党日")
    project.story("2026/a2.md", title="六月三会一课", slug="a2", date="2026-06-01", branch="aa", kind="三会一课")
    project.story("2026/b1.md", title="三月主题党日", slug="b1", date="2026-03-01", branch="bb", kind="主题党日")
    project.story("2026/draft.md", title="未审核的新稿", slug="draft", date="2026-06-19", branch="bb",
                  kind="一月一课一片一实践", status="待审")  # not published: it must not count as new
    project.write("topics/kong/index.md", front_matter({"title": "空专题", "tags": ["没有人用的标签"]}) + "导语。\n")
    return project


def report(project: SiteProject, capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["--root", str(project.root), "report", *args])
    return code, capsys.readouterr().out.splitlines()


def lines_with(lines: list[str], *words: str) -> list[str]:
    return [line for line in lines if all(w in line for w in words)]


def test_report_figures_on_known_dates(office, capsys):
    code, lines = report(office, capsys, "--today", "2026-06-20")
    assert code == 1
    assert lines[0] == "专栏更新情况（2026-06-20，时区 Asia/Shanghai）"
    age = lines_with(lines, "距最近一篇新稿件")
    assert len(age) == 1 and age[0].strip().startswith("错误:") and "15 天" in age[0] and "2026-06-05" in age[0]
    silent = lines_with(lines, "勘查所支部（bb）")
    assert any(line.strip().startswith("警告:") and "111 天" in line for line in silent)
    assert lines_with(lines, "警告:", "测试中心支部（cc）", "还没有任何已发布的稿件")
    assert not lines_with(lines, "警告:", "区调一支部（aa）")
    blank = lines_with(lines, "是空白栏目")
    blank_subjects = sorted(line.split("警告: ")[1].split("（")[0] for line in blank)
    assert blank_subjects == sorted(["活动类型：一月一课一片一实践", "活动类型：专家大讲堂", "活动类型：党课进一线",
                                     "活动类型：双联", "活动类型：联合共建", "活动类型：党建+", "活动类型：党纪学习教育",
                                     "支部：测试中心支部", "专题：空专题"])
    assert lines_with(lines, "错误:", "空白栏目共 9 个")
    monthly = {line.split("提示: ")[1].split("本月")[0]: line for line in lines_with(lines, "本月（2026年6月）还没有发布")}
    assert set(monthly) == {"区调一支部（aa）", "勘查所支部（bb）", "测试中心支部（cc）"}
    assert monthly["区调一支部（aa）"].endswith("还没有发布：一月一课一片一实践。")
    assert monthly["勘查所支部（bb）"].endswith("还没有发布：主题党日、一月一课一片一实践、三会一课。")
    assert lines[-1] == "更新情况：2 个错误，11 个警告，3 个提示；需要处理。"


def test_thresholds_come_from_column_yml(office, capsys):
    _, lines = report(office, capsys, "--today", "2026-06-12")
    assert lines_with(lines, "正常:", "距最近一篇新稿件 7 天")
    office.settings(freshness={"warn_days": 5, "error_days": 30, "branch_days": 200, "blank_limit": 20})
    _, lines = report(office, capsys, "--today", "2026-06-12")
    assert lines_with(lines, "警告:", "距最近一篇新稿件 7 天", "还剩 23 天")
    assert not lines_with(lines, "111 天") and not lines_with(lines, "空白栏目共")


def test_all_well_exits_zero(tmp_path, capsys):
    project = SiteProject.create(tmp_path / "project")
    project.settings(kinds=[{"key": "zhuti-dangri", "label": "主题党日"}], required_monthly=["主题党日"])
    project.branch("aa", short_name="区调一支部")
    project.story("2026/a1.md", title="六月主题党日", slug="a1", date="2026-06-05", branch="aa", kind="主题党日")
    code, lines = report(project, capsys, "--today", "2026-06-10")
    assert code == 0
    assert lines[-1] == "更新情况：0 个错误，0 个警告，0 个提示；没有需要处理的问题。"


def test_csv_for_excel(office, capsys, tmp_path):
    target = tmp_path / "out" / "更新情况.csv"
    code, lines = report(office, capsys, "--today", "2026-06-20", "--csv", str(target))
    assert code == 1 and lines[-1] == f"已保存：{target}"
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["级别", "类别", "对象", "数值", "说明"]
    assert rows[1][:4] == ["错误", "首页更新", "专栏", "15 天"]
    assert ["警告", "支部更新", "勘查所支部（bb）", "111 天"] in [r[:4] for r in rows]
    assert len(rows) == 1 + 2 + 11 + 3


def test_bad_today_is_a_usage_error(office, capsys):
    code = main(["--root", str(office.root), "report", "--today", "6月20日"])
    assert code == 2
    assert "--today" in capsys.readouterr().err


def test_check_has_the_freshness_section_without_changing_its_exit_code(office, capsys):
    assert main(["--root", str(office.root), "check"]) == 0
    out = capsys.readouterr().out
    assert "专栏更新情况（" in out and "【首页更新】" in out and "【空白栏目】" in out
    assert "距最近一篇新稿件" in out


def test_pins_filling_the_home_page_are_a_warning(office, capsys):
    office.settings(latest_count=2)
    for name in ("b1", "a2"):  # two old stories pinned: the home page's 最新动态 shows nothing new
        path = office.root / "content/stories/2026" / f"{name}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\npin: true\n", 1), encoding="utf-8")
    _, lines = report(office, capsys, "--today", "2026-06-10")
    assert lines_with(lines, "警告:", "2 篇置顶稿件占满了首页“最新动态”的 2 个位置")
    office.settings(latest_count=3)
    _, lines = report(office, capsys, "--today", "2026-06-10")
    assert not lines_with(lines, "占满")


def test_real_process_exit_codes_for_cron(office, tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "dangjian_column", "--root", str(office.root), "report", *args],
                              capture_output=True, text=True, check=False)

    stale = run("--today", "2026-06-20")
    assert stale.returncode == 1 and "需要处理" in stale.stdout.splitlines()[-1]
    assert run("--today", "2026-13-01").returncode == 2
    office.settings(kinds=[{"key": "zhuti-dangri", "label": "主题党日"}, {"key": "sanhui-yike", "label": "三会一课"}],
                    required_monthly=["主题党日"], freshness={"branch_days": 400})
    for slug in ("bb", "cc"):
        office.story(f"2026/{slug}-june.md", title=f"{slug} 六月主题党日", slug=f"{slug}-june", date="2026-06-08",
                     branch=slug, kind="主题党日")
    shutil.rmtree(office.root / "topics/kong")
    (office.root / "content/stories/2026/draft.md").unlink()  # its kind is no longer configured
    fresh = run("--today", "2026-06-10")
    assert fresh.returncode == 0, fresh.stdout

