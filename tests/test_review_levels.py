"""Review on record (三审三校): approve/reject edit the file safely; the build publishes only fully signed stories."""

from __future__ import annotations

import datetime as dt

import pytest
from dangjian_column.commands.cli import main
from dangjian_column.config.settings import today_in

STANDARD = {"levels": "standard"}
TODAY = today_in("Asia/Shanghai")  # the column's day, not the machine's: from 16:00 UTC it is tomorrow there
DAY = dt.timedelta(days=1)


def cli(project, *args: str) -> int:
    return main(["--root", str(project.root), *args])


@pytest.fixture
def office(project, capsys):
    """A project with the standard three levels and one story made by `dangjian new story` (with comments)."""
    project.settings(review=STANDARD)
    project.branch("aa")
    assert cli(project, "new", "story", "--branch", "aa", "--kind", "主题党日", "--title", "重走地质路",
               "--date", "2025-03-01", "--slug", "zou") == 0
    capsys.readouterr()
    project.path = next((project.root / "content" / "stories" / "2025").glob("*.md"))
    return project


def sign(project, level: str, name: str, date: dt.date, *, command: str = "approve", note: str = "") -> int:
    args = [command, str(project.path), "--by", name, "--date", date.isoformat()]
    if level:
        args += ["--level", level]
    if note:
        args += ["--note", note]
    return cli(project, *args)


def test_approve_and_reject_append_entries_and_keep_every_comment_and_key(office, capsys):
    before = office.path.read_text(encoding="utf-8")
    assert "# 审核状态" in before and "# author: 撰稿人" in before
    assert sign(office, "初审", "张三", TODAY - 3 * DAY) == 0
    assert "初审通过（张三" in capsys.readouterr().out
    assert sign(office, "复审", "李四", TODAY - 2 * DAY, command="reject", note="请补充照片说明: 第2张") == 0
    assert "须从初审（支部宣传员）重新签署" in capsys.readouterr().out
    after = office.path.read_text(encoding="utf-8")
    old_front = before.split("---")[1].splitlines()
    new_front = after.split("---")[1].splitlines()
    added = [line for line in new_front if line not in old_front]
    # every old line is still there, in order (the status line keeps its comment, its value may change)
    assert [line for line in new_front if line in old_front] == [line for line in old_front if line in new_front]
    assert all(line.startswith(("reviews:", "  - {")) for line in added), added
    assert added[1] == f"  - {{level: 初审, name: 张三, date: {TODAY - 3 * DAY}, result: 通过}}"
    assert added[2] == f"  - {{level: 复审, name: 李四, date: {TODAY - 2 * DAY}, result: 退回, note: '请补充照片说明: 第2张'}}"
    assert before.split("---", 2)[2] == after.split("---", 2)[2]  # the body is untouched


def test_production_build_holds_back_a_story_missing_a_level(office, capsys, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    assert sign(office, "初审", "张三", TODAY - 3 * DAY) == 0
    assert sign(office, "复审", "李四", TODAY - 2 * DAY) == 0
    result = office.build()
    assert result.ok and not result.exists("stories/2025/zou/")
    assert any("待审稿，本次不发布：初审通过（张三" in m and "待终审（分管领导）" in m for m in result.infos)
    assert sign(office, "终审", "王五", TODAY - DAY) == 0
    assert "各级审核均已签署" in capsys.readouterr().out
    assert "status: 已发布" in office.path.read_text(encoding="utf-8")  # the status line follows the signatures
    result = office.build(strict=True)
    assert result.ok, result.messages
    footer = result.html("stories/2025/zou/").select_one(".dj-credits--editor").get_text(" ", strip=True)
    assert footer == "审核：张三、李四、王五"


def test_out_of_order_same_person_and_future_signatures_are_refused_and_the_file_is_untouched(office, capsys):
    before = office.path.read_bytes()
    assert sign(office, "复审", "李四", TODAY) == 1
    assert "应先由初审（支部宣传员）签署，不能跳级" in capsys.readouterr().err
    assert sign(office, "初审", "张三", TODAY + DAY) == 1
    assert "晚于今天" in capsys.readouterr().err
    assert sign(office, "三审", "张三", TODAY) == 1
    assert office.path.read_bytes() == before
    assert sign(office, "初审", "张三", TODAY - DAY) == 0
    assert sign(office, "复审", "张三", TODAY) == 1
    assert "各级审核须由不同的人签署" in capsys.readouterr().err


def test_hand_written_status_or_entries_do_not_replace_signatures(project, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    project.settings(review=STANDARD)
    project.branch("aa")
    project.story("2025/hand.md", title="手改的稿件", date="2025-03-01", branch="aa", slug="hand", status="已发布",
                  reviews=[{"level": "终审", "name": "王五", "date": "2025-03-02", "result": "通过"}])
    result = project.build()
    assert result.ok and not result.exists("stories/2025/hand/")
    notes = result.messages_about("content/stories/2025/hand.md")
    assert any(m.startswith("content/stories/2025/hand.md:8: 警告: 审核记录“终审通过（王五，3月2日）”不算数："
                            "应先由初审（支部宣传员）签署") for m in notes), notes  # line 8: the entry itself
    assert any("status: 已发布 不能代替签署" in m for m in notes), notes
    assert not project.build(strict=True).ok


def test_preview_banner_and_list_pending_show_where_each_story_stands(office, capsys, monkeypatch):
    second = office.root / "content/stories/2025/second.md"
    second.write_text("---\ntitle: 第二篇\ndate: 2025-03-05\nbranch: aa\nkind: 主题党日\nslug: second\n---\n正文。\n",
                      encoding="utf-8")
    assert sign(office, "初审", "张三", TODAY - DAY) == 0
    capsys.readouterr()
    assert cli(office, "list", "--pending") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["日期", "等待", "由谁签署", "审核进度", "支部", "标题", "文件"]
    first_row, second_row = out[1].split(), out[2].split()
    assert first_row[1:3] == ["初审", "支部宣传员"] and "content/stories/2025/second.md" in first_row
    assert second_row[1:3] == ["复审", "党委宣传部"] and second_row[3].startswith("初审通过（张三")
    assert out[-1] == "共 2 篇，待初审 1 篇，待复审 1 篇。"
    monkeypatch.setenv("DANGJIAN_PREVIEW", "1")
    result = office.build()
    banner = result.html("stories/2025/zou/").select_one(".dj-preview-banner").get_text(strip=True)
    assert banner.startswith("待审稿，未发布：初审通过（张三") and banner.endswith("待复审（党委宣传部）")


def test_one_level_offices_keep_status_and_approve_sets_it(project, capsys, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    project.branch("aa")
    path = project.story("2025/one.md", title="一级审核", date="2025-03-01", branch="aa", slug="one", status="待审",
                         editor="赵六")
    assert cli(project, "approve", str(path), "--level", "终审", "--by", "钱七") == 1  # no levels configured
    assert "没有配置分级审核" in capsys.readouterr().err
    assert cli(project, "approve", str(path), "--by", "钱七") == 0
    text = path.read_text(encoding="utf-8")
    assert "status: 已发布" in text and "{level: 审核, name: 钱七" in text
    result = project.build(strict=True)  # editor is a known field now: no unknown-field warning
    assert result.ok, result.messages
    footer = result.html("stories/2025/one/").select_one(".dj-credits--editor")
    assert [s.get_text() for s in footer.select("span")] == ["责任编辑：赵六", "审核：钱七"]
    # the WeChat article ends with the same line, after its source line
    lines = [p.get_text() for p in result.html("stories/2025/one/wechat/").select("section p")]
    assert lines[-1] == "责任编辑：赵六\u3000审核：钱七" and lines[-2].startswith("来源：aa 党支部")


def test_switching_levels_on_with_since_keeps_older_published_stories_online(project, monkeypatch):
    monkeypatch.delenv("DANGJIAN_PREVIEW", raising=False)
    project.settings(review={"levels": "standard", "since": dt.date(2025, 6, 1)})
    project.branch("aa")
    project.story("2025/old.md", title="旧稿", date="2025-05-31", branch="aa", slug="old", status="已发布")
    project.story("2025/new.md", title="新稿", date="2025-06-01", branch="aa", slug="new", status="已发布")
    result = project.build()
    assert result.exists("stories/2025/old/") and not result.exists("stories/2025/new/")


def test_a_windows_file_keeps_its_bom_and_crlf_line_endings(project, capsys):
    project.branch("aa")
    path = project.root / "content/stories/2025/win.md"
    path.parent.mkdir(parents=True)
    text = "---\r\ntitle: 记事本保存的稿件  # 标题\r\ndate: 2025-03-01\r\nbranch: aa\r\nkind: 主题党日\r\nstatus: 待审\r\n---\r\n正文。\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert cli(project, "approve", str(path), "--by", "钱七", "--date", "2025-03-02") == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")
    assert raw.decode("utf-8-sig").split("\r\n") == [
        "---", "title: 记事本保存的稿件  # 标题", "date: 2025-03-01", "branch: aa", "kind: 主题党日", "status: 已发布",
        "reviews:   # 审核记录：由 dangjian approve / reject 写入，请勿手改",
        "  - {level: 审核, name: 钱七, date: 2025-03-02, result: 通过}", "---", "正文。", ""]


def test_a_draft_cannot_be_signed(office, capsys):
    text = office.path.read_text(encoding="utf-8").replace("status: 待审", "status: 草稿")
    office.path.write_text(text, encoding="utf-8")
    assert sign(office, "初审", "张三", TODAY) == 1
    assert "的状态是“草稿”，不能签署。请先把 status 改为 待审 再送审" in capsys.readouterr().err
    assert office.path.read_text(encoding="utf-8") == text


def test_a_front_matter_the_edit_would_misread_is_left_untouched(project, capsys):
    project.branch("aa")
    path = project.root / "content/stories/2025/odd.md"
    path.parent.mkdir(parents=True)
    text = "---\ntitle: 重复字段\ndate: 2025-03-01\nbranch: aa\nkind: 主题党日\nstatus: 草稿\nstatus: 待审\n---\n正文。\n"
    path.write_text(text, encoding="utf-8")  # YAML keeps the last status; a line edit would change the first
    assert cli(project, "approve", str(path), "--by", "钱七") == 1
    assert "自动修改会改动其他字段，已放弃，文件未改动" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == text
