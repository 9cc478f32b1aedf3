"""column.yml is read once (config/): every value the build rejects fails `check --strict` too, on its line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import SiteProject
from dangjian_column.commands.cli import main
from dangjian_column.config.settings import load_settings
from dangjian_column.problems import ProblemLog

# (section text appended to column.yml, the field named in the message); each is a value the build refuses.
BAD_VALUES = [
    ("images:\n  jpeg_quality: 500\n", "images.jpeg_quality"),
    ("images:\n  widths: [5, 99999]\n", "images.widths"),
    ("images:\n  workers: -2\n", "images.workers"),
    ("images:\n  colour: red\n", "images.colour"),
    ("html:\n  iframe_hosts: 5\n", "html.iframe_hosts"),
    ("review:\n  default_status: 随便\n", "review.default_status"),
    ("review:\n  aliases: 发布\n", "review.aliases"),
    ("terminology:\n  severity: loud\n", "terminology.severity"),
    ("page_size: 0\n", "page_size"),
    ("timezone: Mars/Olympus\n", "timezone"),
    ("colour: red\n", "colour"),
]


def with_settings(project: SiteProject, extra: str, publishing: str = "  feed_count: 20") -> int:
    """Append ``extra`` to the sample column.yml; returns the 1-based line of its first key."""
    text = (project.root / "column.yml").read_text(encoding="utf-8").replace("  feed_count: 20", publishing)
    for section in ("review:", "terminology:"):  # the sample file has these sections, commented out
        if extra.startswith(section):
            text = text.replace(f"\n{section}\n", "\n")
    for key in re.findall(r"^(\w+): \S", extra, re.M):  # a value the sample sets too: one line, not two
        text = re.sub(rf"^{key}: .*\n", "", text, flags=re.M)
    text = text.rstrip("\n") + "\n"
    project.write("column.yml", text + extra)
    return text.count("\n") + (2 if "\n " in extra else 1)


@pytest.fixture
def site(project: SiteProject) -> SiteProject:
    project.branch("aa")
    project.story("2025/ok.md", title="好稿件", date="2025-03-01", branch="aa", slug="ok")
    return project


@pytest.mark.parametrize(("extra", "field"), BAD_VALUES, ids=[f for _, f in BAD_VALUES])
def test_check_strict_fails_on_each_value_the_build_rejects(site: SiteProject, capsys, extra: str, field: str):
    line = with_settings(site, extra)
    code = main(["--root", str(site.root), "check", "--strict"])
    out = capsys.readouterr().out
    assert code == 1, out
    reported = [x for x in out.splitlines() if x.startswith("column.yml:")]
    assert len(reported) == 1, out
    assert re.match(rf"^column\.yml:{line}: (错误|警告): .*{re.escape(field)}", reported[0]), (line, out)


def test_feed_count_below_one_is_reported_on_its_line(site: SiteProject, capsys):
    with_settings(site, "", publishing="  feed_count: -3")
    line = (site.root / "column.yml").read_text(encoding="utf-8").split("\n").index("  feed_count: -3") + 1
    assert main(["--root", str(site.root), "check"]) == 1
    assert f"column.yml:{line}: 错误: publishing.feed_count 应当是正整数" in capsys.readouterr().out


def test_the_build_reports_the_same_settings_problems_as_check(site: SiteProject, capsys):
    extra = "".join(text for text, _ in BAD_VALUES if not text.startswith(("review", "terminology", "images")))
    with_settings(site, extra + "images:\n  jpeg_quality: 500\n  widths: [5]\n", publishing="  feed_count: -3")
    main(["--root", str(site.root), "check"])
    checked = sorted(x for x in capsys.readouterr().out.splitlines() if x.startswith("column.yml"))
    result = site.build()
    assert result.ok
    assert sorted(m for m in result.messages if m.startswith("column.yml")) == checked
    assert len(checked) == 7, checked
    assert not site.build(strict=True, site_dir=site.root / "site-strict").ok


def test_settings_are_read_by_config_only():
    """No module outside config/ opens column.yml or reads one of its sections from a raw mapping."""
    found = subprocess.run(["grep", "-rnE", r"SETTINGS_FILE =|\.sections\b|settings_from\(|load_terminology\(",
                            "hooks", "--include=*.py"], capture_output=True, text=True, check=False,
                           cwd=Path(__file__).resolve().parents[1]).stdout
    outside = [line for line in found.splitlines() if "/config/" not in line]
    assert outside == [], outside


def test_a_yaml_error_in_column_yml_is_one_problem_with_its_line(tmp_path):
    project = SiteProject.create(tmp_path / "p")
    project.write("column.yml", 'title: "党建品牌专栏\npage_size: 20\n')
    log = ProblemLog()
    settings = load_settings(project.root, log)
    assert settings.page_size == 20
    assert [(p.path, p.line) for p in log] == [("column.yml", 1)], [p.format() for p in log]
    assert "引号" in log.items[0].message
