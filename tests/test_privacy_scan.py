"""Personal-data scan (个人信息检查): phone, ID and bank numbers are errors with the masked form as the fix."""

from __future__ import annotations

import pytest
from dangjian_column.commands.cli import main
from dangjian_column.lint.privacy import PrivacyScanner

# GB 11643-1999's own example number (valid check digit) and the same with a wrong check digit.
VALID_ID = "11010519491231002X"
INVALID_ID = "110105194912310021"
CARD = "6222600260001072444"  # 19 digits, Luhn-valid
NOT_CARD = "6222600260001072445"  # one digit off: Luhn fails


@pytest.mark.parametrize(("text", "kind", "masked"), [
    ("联系电话13812345678。", "mobile", "138****5678"),
    ("手机：139-1234-5678", "mobile", "139****5678"),
    ("电话 +86 15912345678", "mobile", "159****5678"),
    ("手机１３８１２３４５６７８", "mobile", "138****5678"),  # full-width digits
    ("报名电话0871-65432100", "landline", "0871-****2100"),
    ("电话（010）87654321", "landline", "010-****4321"),
    (f"身份证号{VALID_ID}", "id", "11*************02X"),
    (f"卡号{CARD}", "bank", "6222 **** **** **** 2444"),
    ("卡号 4111 1111 1111 1111", "bank", "4111 **** **** 1111"),
])
def test_personal_numbers_are_found_with_their_masked_form(text, kind, masked):
    hits = list(PrivacyScanner().hits(text))
    assert [(h.kind, h.masked) for h in hits] == [(kind, masked)]
    assert text[hits[0].start:hits[0].end] == hits[0].found


@pytest.mark.parametrize("text", [
    "2025-03-15 开展活动，2025年3月15日。",  # dates
    "完成产值 13812345678.50 元，合同额 1,381,234,567 元。",  # amounts
    "照片 IMG_13812345678.jpg 和 13812345678.jpg",  # file names
    f"档案号 {INVALID_ID}",  # 18 digits, wrong ID check digit, not Luhn-valid either
    f"编号 {NOT_CARD}",  # 19 digits failing Luhn
    "4111 1111 1111 1112",  # grouped like a card, Luhn fails
    "12812345678 与 138123456789",  # not a mobile prefix / 12 digits
    "钻孔深度 1200 米，样品 20250315001 号",
])
def test_dates_amounts_file_names_and_bad_checksums_are_not_reported(text):
    assert list(PrivacyScanner().hits(text)) == []


def test_allow_list_compares_digits():
    scanner = PrivacyScanner(allowed=frozenset({"087165432100"}))
    assert list(scanner.hits("总机 0871-65432100，另一部 0871-65432101")) != []
    assert [h.found for h in scanner.hits("总机 0871-65432100，另一部 0871-65432101")] == ["0871-65432101"]


def _build_project(project):
    project.branch("a", slogan="联系人电话 13912345678")
    project.story("2025/clean.md", title="干净的稿件", date="2025-03-01", branch="a", slug="clean")
    project.story("2025/leak.md", title="联系13812345678报名", date="2025-03-02", branch="a", slug="leak",
                  photos=[{"01.jpg": f"获奖者身份证{VALID_ID}"}],
                  body="正文第一段。\n\n见 https://example.cn/u/13812345678 与 [链接](tel-13812345678.md)。\n\n"
                       f"汇款请至 {CARD}。")
    project.write("content/stories/2025/leak/01.jpg", _tiny_jpeg())
    return project


def _tiny_jpeg() -> bytes:
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_real_build_withholds_the_story_and_names_file_line_column_and_fix(project, capsys):
    _build_project(project)
    result = project.build()
    assert result.ok  # a plain build warns and keeps the rest whole
    assert result.exists("stories/2025/clean/") and not result.exists("stories/2025/leak/")
    assert "13812345678" not in "".join(p.read_text(encoding="utf-8", errors="replace")
                                        for p in result.site.rglob("*") if p.suffix in (".html", ".xml", ".json"))
    leak = [m for m in result.messages if m.startswith("content/stories/2025/leak.md")]
    assert len(leak) == 3, leak  # title, caption, body card; the URL and the link target are not text
    title, caption, card = sorted(leak, key=lambda m: int(m.split(":")[1]))
    assert title.startswith("content/stories/2025/leak.md:2:10: 错误: 标题里有手机号码“13812345678”")
    assert "请删除，或改写为“138****5678”" in title and "本篇暂不发布" in title
    assert caption.startswith("content/stories/2025/leak.md:7:17: ") and "照片说明里有身份证号码" in caption and "11*************02X" in caption
    assert "正文里有银行卡号" in card and "6222 **** **** **** 2444" in card and card.startswith("content/stories/2025/leak.md:15:6: ")
    branch = [m for m in result.messages if m.startswith("branches/a/index.md")]
    assert len(branch) == 1 and branch[0].startswith("branches/a/index.md:2:15: 错误: slogan（品牌理念）里有手机号码")
    assert "139****5678" in branch[0] and "支部页面照常生成" in branch[0]
    # dangjian check reports exactly the same lines and exits 1
    assert main(["--root", str(project.root), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    for message in [*leak, *branch]:
        assert message in out
    assert not project.build(strict=True).ok


def test_numbers_allowed_in_column_yml_publish(project):
    project.settings(privacy={"allow": ["0871-65432100"]})
    project.branch("a")
    project.story("2025/hotline.md", title="咨询电话", date="2025-03-01", branch="a", slug="hotline",
                  body="咨询电话：0871 6543 2100（院办公室）。报名：0871-65432100。")
    result = project.build(strict=True)
    assert result.ok, result.messages
    assert "0871-65432100" in result.html("stories/2025/hotline/").get_text()


def test_a_masked_number_stays_masked_in_the_generated_summary(project):
    project.branch("a")
    project.story("2025/masked.md", title="报名通知", date="2025-03-01", branch="a", slug="masked",
                  body="报名请联系张老师，电话138****5678，**务必**提前报名。")
    result = project.build(strict=True)
    assert result.ok, result.messages
    summary = result.html("stories/2025/masked/").select_one("meta[name=description]")["content"]
    assert summary == "报名请联系张老师，电话138****5678，务必提前报名。"  # the mask kept, the bold markers gone
