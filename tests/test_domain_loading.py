"""Reading sources, fields and column.yml (no MkDocs involved)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from dangjian_column.config.settings import DEFAULT_KINDS, load_settings, settings_from_dict
from dangjian_column.content.fields import FieldReader, parse_date
from dangjian_column.content.sourcefile import decode_text, parse_document
from dangjian_column.problems import ProblemLog

PROJECT = Path(__file__).resolve().parents[1]


def test_package_never_imports_mkdocs():
    code = (
        "import importlib, pkgutil, sys\n"
        "import dangjian_column\n"
        "for m in pkgutil.iter_modules(dangjian_column.__path__):\n"
        "    if m.name != '__main__':\n"
        "        importlib.import_module('dangjian_column.' + m.name)\n"
        "from dangjian_column.site import load_column\n"
        "load_column(__import__('pathlib').Path(sys.argv[1]), __import__('pathlib').Path(sys.argv[1]) / 'content')\n"
        "bad = sorted(n for n in sys.modules if n == 'mkdocs' or n.startswith(('mkdocs.', 'material')))\n"
        "assert not bad, bad\n"
        "print(len([n for n in sys.modules if n.startswith('dangjian_column.')]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(PROJECT)], capture_output=True, text=True,
                          check=False, cwd="/")
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 15  # every module really was imported


# parse_date ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2025, 3, 15), dt.date(2025, 3, 15)),
    (dt.datetime(2025, 3, 15, 9, 30), dt.date(2025, 3, 15)),
    ("2025-03-15", dt.date(2025, 3, 15)),
    ("2025-3-5", dt.date(2025, 3, 5)),
    ("2025/03/15", dt.date(2025, 3, 15)),
    ("2025.3.15", dt.date(2025, 3, 15)),
    ("2025年3月15日", dt.date(2025, 3, 15)),
    (" 2025-03-15 ", dt.date(2025, 3, 15)),
    ("2024-02-29", dt.date(2024, 2, 29)),
    ("2025-02-29", None),
    ("2025-02-30", None),
    ("2025-13-01", None),
    ("2025年2月30日", None),
    ("明天", None),
    ("20250315", None),
    ("2025-03", None),
    ("2025-03-15 09:30", None),
    ("", None),
    (None, None),
    (20250315, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# sourcefile ------------------------------------------------------------------------------------

def test_decode_accepts_bom_and_any_line_ending():
    log = ProblemLog()
    assert decode_text("\ufeff一\r\n二\r三\n".encode(), "a.md", log) == "一\n二\n三\n"
    assert len(log) == 0


def test_decode_explains_gbk():
    log = ProblemLog()
    assert decode_text("---\ntitle: 国标\n".encode("gbk"), "x.md", log) is None
    [problem] = log
    assert (problem.path, problem.line, problem.level) == ("x.md", 2, "error")
    assert "GBK" in problem.message and "UTF-8" in problem.message


def test_decode_explains_other_binary():
    log = ProblemLog()
    assert decode_text(b"\xff\xfe\x00\x00", "x.md", log) is None
    [problem] = log
    assert "UTF-8" in problem.message and "GBK" not in problem.message


def test_key_lines_match_the_file_even_with_blank_lines():
    log = ProblemLog()
    doc = parse_document("---\n\n\ntitle: 标题\n# 注释\ndate: 2025-03-01\n---\n正文\n", "x.md", log)
    assert len(log) == 0
    assert doc.line_of("title") == 4
    assert doc.line_of("date") == 6
    assert doc.line_of("missing") == 1
    assert doc.meta == {"title": "标题", "date": dt.date(2025, 3, 1)}
    assert doc.body.strip() == "正文"


def test_yaml_error_line_and_full_width_colon_hint():
    log = ProblemLog()
    assert parse_document("---\ntitle: a\nbranch：aa\nkind: b\n---\n", "x.md", log) is None
    [problem] = log
    assert "第 3 行" in problem.message and "全角冒号" in problem.message
    assert problem.line in (3, 4)


def test_impossible_date_is_read_as_text_for_the_field_reader():
    log = ProblemLog()
    doc = parse_document("---\ntitle: a\ndate: 2025-02-30\nother: 2025-03-01\n---\n", "x.md", log)
    assert len(log) == 0
    assert doc.meta["date"] == "2025-02-30"
    assert parse_date(doc.meta["other"]) == dt.date(2025, 3, 1)
    reader = FieldReader(doc, "x.md", log, {"date": "活动日期"})
    assert reader.date("date", required=True) is None
    [problem] = log
    assert (problem.line, problem.field) == (3, "date")
    assert "date（活动日期）" in problem.message and "2025-02-30" in problem.message


def test_front_matter_must_be_a_mapping():
    log = ProblemLog()
    assert parse_document("---\n- a\n- b\n---\n", "x.md", log) is None
    assert "字段: 值" in log.items[0].message


def test_empty_front_matter_is_an_empty_mapping():
    doc = parse_document("---\n---\n正文\n", "x.md", ProblemLog())
    assert doc.meta == {}


# FieldReader -----------------------------------------------------------------------------------

def reader(text: str) -> tuple[FieldReader, ProblemLog]:
    log = ProblemLog()
    doc = parse_document(text, "x.md", log)
    assert doc is not None, [p.message for p in log]
    return FieldReader(doc, "x.md", log, {"title": "标题", "tags": "标签"}), log


def test_text_list_accepts_chinese_separators_and_lists():
    fields, log = reader("---\ntags: 红色教育，野外一线、党课; 学习\nother: [a, 2, ' b ']\n---\n")
    assert fields.text_list("tags") == ("红色教育", "野外一线", "党课", "学习")
    assert fields.text_list("other") == ("a", "2", "b")
    assert fields.text_list("absent") == ()
    assert len(log) == 0


def test_text_list_rejects_nested_values():
    fields, log = reader("---\ntags:\n  - a: b\n---\n")
    assert fields.text_list("tags") == ()
    assert fields.failed and log.items[0].field == "tags" and log.items[0].line == 2


def test_required_text_and_wrong_shapes():
    fields, log = reader("---\ntitle: '  '\nauthor: [a, b]\n---\n")
    assert fields.text("title", required=True) == ""
    assert fields.text("author") == ""
    assert fields.failed
    assert [p.field for p in log] == ["title", "author"]
    assert "title（标题）" in log.items[0].message


@pytest.mark.parametrize(("raw", "value", "problems"), [
    ("true", True, 0), ("false", False, 0), ("是", True, 0), ("否", False, 0), ("'yes'", True, 0),
    ("", False, 0), ("也许", False, 1),
])
def test_boolean(raw: str, value: bool, problems: int):
    fields, log = reader(f"---\ndraft: {raw}\n---\n")
    assert fields.boolean("draft") is value
    assert len(log) == problems


def test_integer_falls_back_with_a_warning():
    fields, log = reader("---\norder: '3'\nbad: 第一\n---\n")
    assert fields.integer("order", 1000) == 3
    assert fields.integer("bad", 1000) == 1000
    assert fields.integer("absent", 7) == 7
    [problem] = log
    assert problem.level == "warning" and not fields.failed


def test_unknown_keys_suggest_the_close_one():
    fields, log = reader("---\ntitel: a\nzzz: b\ntitle: c\n---\n")
    fields.unknown_keys({"title", "date"})
    assert [(p.field, p.level) for p in log] == [("titel", "warning"), ("zzz", "warning")]
    assert "是否想写 title" in log.items[0].message
    assert "AUTHORING.md" in log.items[1].message
    assert not fields.failed


# settings --------------------------------------------------------------------------------------

def test_repository_column_yml_is_valid():
    log = ProblemLog()
    settings = load_settings(PROJECT, log)
    assert [p.format() for p in log] == []
    assert settings.kinds[0].label == "主题党日"
    assert settings.kind_lookup()["党建朋友圈"].key == "lianhe-gongjian"


def test_missing_settings_file_means_defaults(tmp_path: Path):
    log = ProblemLog()
    settings = load_settings(tmp_path, log)
    assert len(log) == 0
    assert (settings.page_size, settings.latest_count, settings.timezone) == (20, 8, "Asia/Shanghai")
    assert [(k.key, k.label) for k in settings.kinds] == list(DEFAULT_KINDS)
    assert [k.order for k in settings.kinds] == list(range(len(DEFAULT_KINDS)))


@pytest.mark.parametrize("bad", [0, -3, "20", 2.5, True, None])
def test_bad_page_size_falls_back_with_an_error(bad):
    log = ProblemLog()
    settings = settings_from_dict({"page_size": bad, "latest_count": 5}, log)
    assert settings.page_size == 20 and settings.latest_count == 5
    [problem] = log
    assert (problem.path, problem.field, problem.level) == ("column.yml", "page_size", "error")
    assert "page_size" in problem.message and "正整数" in problem.message


def test_duplicate_kind_names_skip_the_later_kind():
    log = ProblemLog()
    settings = settings_from_dict({"kinds": [
        {"key": "zhuti-dangri", "label": "主题党日"},
        {"key": "shuanglian", "label": "双联", "aliases": ["主题党日"]},
        {"key": "zhuti-dangri", "label": "另一个"},
        {"key": "lianhe", "label": "联合共建"},
    ]}, log)
    assert [k.key for k in settings.kinds] == ["zhuti-dangri", "lianhe"]
    assert [k.order for k in settings.kinds] == [0, 1]
    assert len(log) == 2
    assert [p.field for p in log] == ["kinds.1", "kinds.2"] and all("重复" in p.message for p in log)
    assert "第 2 项" in log.items[0].message and "第 3 项" in log.items[1].message


def test_bad_kind_entries():
    log = ProblemLog()
    settings = settings_from_dict({"kinds": [{"key": "Bad Key", "label": "坏"}, {"label": "无键"}, "字符串",
                                             {"key": "ok", "label": "好"}]}, log)
    assert [k.key for k in settings.kinds] == ["ok"]
    assert len(log) == 3


def test_kinds_must_be_a_non_empty_list():
    log = ProblemLog()
    settings = settings_from_dict({"kinds": []}, log)
    assert len(settings.kinds) == len(DEFAULT_KINDS)
    assert [p.field for p in log] == ["kinds"]


def test_bad_timezone_and_unknown_keys():
    log = ProblemLog()
    settings = settings_from_dict({"timezone": "Mars/Olympus", "colour": "red"}, log)
    assert settings.timezone == "Asia/Shanghai"
    assert sorted((p.field, p.level) for p in log) == [("colour", "warning"), ("timezone", "error")]


def test_broken_settings_file_means_defaults_with_an_error(tmp_path: Path):
    (tmp_path / "column.yml").write_text("title: 专栏\npage_size: [1\n", encoding="utf-8")
    log = ProblemLog()
    settings = load_settings(tmp_path, log)
    assert settings.page_size == 20 and settings.title == "党建品牌专栏"
    [problem] = log
    assert problem.path == "column.yml" and problem.level == "error" and problem.line >= 2
