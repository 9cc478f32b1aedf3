"""Standard wording (规范表述): the list, the scanner, and the same problems in check and build."""

from __future__ import annotations

import time

from conftest import PROJECT
from dangjian_column.config.terminology import load_terminology
from dangjian_column.lint.terminology import Rule, compile_rules
from dangjian_column.problems import ProblemLog
from dangjian_column.site import load_column

SMALL_LIST = """default_severity: warning
rules:
  - wrong: 习近平思想
    right: 习近平新时代中国特色社会主义思想
    severity: error
    source: 《中国共产党章程》总纲
  - pattern: 村长(?![期久远大廊])
    right: 村主任
    source: 新华社
  - wrong: 再接再砺
    right: 再接再厉
    source: 《第一批异形词整理表》
"""


def test_the_shipped_list_loads_without_complaint():
    log = ProblemLog()
    terms = load_terminology(PROJECT, None, log)
    assert list(log) == []
    assert 20 <= len(terms.rules) <= 40
    assert all(rule.source for rule in terms.rules)
    hits = {h.rule.right for h in terms.hits("学习三个代表重要思想，弘扬再接再砺精神，学习习近平新时代中国特色社会主义思想。")}
    assert hits == {"“三个代表”重要思想", "再接再厉"}  # the full formulation itself is never a hit


def test_hits_in_title_description_and_body_with_exact_positions(project):
    project.write("terminology.yml", SMALL_LIST)
    project.branch("a", body="我们再接再砺。")
    project.story("2025/x.md", title="深入学习习近平思想", date="2025-03-01", branch="a",
                  description="该村长期坚持，村长带头。",
                  body="第一段。\n\n`再接再砺` 是代码，https://x.cn/再接再砺 是网址，[链接](再接再砺.md)。\n\n大家再接再砺！")
    column = load_column(project.root, project.root / "content")
    lines = sorted(p.format() for p in column.problems if p.level != "info")
    assert lines == [
        "branches/a/index.md:5:3: 警告: “再接再砺”不是规范表述，请改为“再接再厉”（依据：《第一批异形词整理表》）。",
        "content/stories/2025/x.md:13:3: 警告: “再接再砺”不是规范表述，请改为“再接再厉”（依据：《第一批异形词整理表》）。",
        "content/stories/2025/x.md:2:12: 错误: “习近平思想”不是规范表述，请改为“习近平新时代中国特色社会主义思想”"
        "（依据：《中国共产党章程》总纲）。本篇暂不发布，改正后即可发布。",
        "content/stories/2025/x.md:5:21: 警告: “村长”不是规范表述，请改为“村主任”（依据：新华社）。",
    ]
    fields = {(p.line, p.field) for p in column.problems if p.path.endswith("2025/x.md") and p.level != "info"}
    assert fields == {(2, "title"), (5, "description"), (13, "body")}
    assert column.catalog.stories == []  # an error-level wording keeps the story back


def test_warnings_do_not_withhold_and_severity_can_be_raised_in_column_yml(project):
    project.write("terminology.yml", SMALL_LIST)
    project.branch("a")
    project.story("2025/x.md", title="标题", date="2025-03-01", branch="a", body="再接再砺。")
    assert len(load_column(project.root, project.root / "content").catalog.stories) == 1
    project.settings(terminology={"severity": "error"})
    column = load_column(project.root, project.root / "content")
    assert [p.level for p in column.problems if "再接再砺" in p.message] == ["error"]


def test_custom_file_from_column_yml_and_a_missing_one_is_reported(project):
    project.write("lists/words.yml", SMALL_LIST)
    project.settings(terminology={"file": "lists/words.yml"})
    assert len(load_terminology(project.root, {"file": "lists/words.yml"}, ProblemLog()).rules) == 3
    log = ProblemLog()
    load_terminology(project.root, {"file": "nope.yml"}, log)
    assert [p.field for p in log] == ["terminology.file"]


def test_one_regex_scans_ten_thousand_stories_quickly():
    terms = load_terminology(PROJECT, None, ProblemLog())
    text = "支部党员围绕本年度找矿工作的重难点开展专题研讨，大家纷纷表示收获很大。" * 40  # ~1,400 characters
    started = time.perf_counter()
    for _ in range(10_000):
        if terms.any_hit(text):
            list(terms.hits(text))
    assert time.perf_counter() - started < 2.0


def test_capturing_groups_in_a_pattern_do_not_confuse_which_rule_hit():
    terms = compile_rules([Rule(pattern="(?:台湾)(国)", shown="台湾国"), Rule(pattern="再接再砺", shown="再接再砺")])
    assert [h.rule.shown for h in terms.hits("再接再砺")] == ["再接再砺"]
