"""Loading ``column.yml``, the one place where an administrator configures the column."""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from pathlib import Path

from dangjian_column.config.freshness import freshness_settings_from
from dangjian_column.config.html import html_policy_from
from dangjian_column.config.identity import identity_from
from dangjian_column.config.images import image_settings_from
from dangjian_column.config.privacy import privacy_settings_from
from dangjian_column.config.publishing import publishing_settings_from
from dangjian_column.config.review import review_settings_from
from dangjian_column.config.terminology import load_terminology
from dangjian_column.config.yamlfile import SETTINGS_FILE, LineLog, read_yaml_file
from dangjian_column.content.slugs import is_valid_slug
from dangjian_column.lint.terminology import Terminology
from dangjian_column.model import ActivityKind, ColumnSettings
from dangjian_column.problems import ProblemLog

DEFAULT_KINDS: tuple[tuple[str, str], ...] = (
    ("zhuti-dangri", "主题党日"),
    ("yike-yipian-yishijian", "一月一课一片一实践"),
    ("zhuanjia-dajiangtang", "专家大讲堂"),
    ("dangke-jin-yixian", "党课进一线"),
    ("shuanglian", "双联"),
    ("lianhe-gongjian", "联合共建"),
    ("dangjian-jia", "党建+"),
    ("sanhui-yike", "三会一课"),
    ("dangji-xuexi", "党纪学习教育"),
)

_DEFAULTS = {
    "title": "党建品牌专栏",
    "organisation": "",
    "page_size": 20,
    "latest_count": 8,
    "timezone": "Asia/Shanghai",
    "reading_speed": 400,
    "search_full_text": True,
    "related_count": 4,
    "learning_pages": True,
    "assessment_pages": True,
}
# Sections with a module each in config/: images (photo pipeline), publishing (feeds, widget, WeChat),
# review (status labels, review levels), terminology (wording lint), html (iframe hosts the sanitiser
# allows), freshness (the thresholds of `dangjian report`), privacy (numbers published on purpose,
# exempt from the personal-data scan), identity (header emblem and footer lines, config/identity.py).
SECTIONS = ("images", "publishing", "review", "terminology", "html", "freshness", "privacy", "identity")
DOCS_DIR = "content"  # mkdocs.yml's docs_dir, where the identity section's images are
DEFAULT_REQUIRED_MONTHLY = ("zhuti-dangri", "yike-yipian-yishijian", "sanhui-yike")


def load_settings(root: Path, log: ProblemLog) -> ColumnSettings:
    """Read ``column.yml`` (and the wording list it names) once; a missing file means the defaults.

    The build (``on_config``) and ``dangjian check`` both come here with the log they report, so a value
    the build rejects is a problem in ``check`` too, with the same line.
    """
    path = root / SETTINGS_FILE
    if not path.exists():
        return settings_from_dict({}, log, root)
    file = read_yaml_file(path, SETTINGS_FILE, log, "栏目配置", "本次全部使用默认配置。")
    if file is None:
        return settings_from_dict({}, log, root)
    return settings_from_dict(file.data, LineLog(log, file), root)


def settings_from_dict(data: dict, log: ProblemLog | LineLog, root: Path | None = None) -> ColumnSettings:
    """Typed settings from column.yml's mapping; ``root`` is where the wording list lives (None: no list)."""
    values = {**_DEFAULTS, **{k: v for k, v in data.items() if k in _DEFAULTS}}
    for key in data:
        if key not in _DEFAULTS and key not in ("kinds", "required_monthly", *SECTIONS):
            close = difflib.get_close_matches(str(key), [*_DEFAULTS, "kinds", "required_monthly", *SECTIONS], n=1)
            hint = f"是否想写 {close[0]}？" if close else ""
            log.add(SETTINGS_FILE, f"未知配置项 {key}，已忽略。{hint}", level="warning", field=str(key))
    for key in ("page_size", "latest_count", "reading_speed", "related_count"):
        if not isinstance(values[key], int) or isinstance(values[key], bool) or values[key] < 1:
            log.add(SETTINGS_FILE, f"配置项 {key} 应是正整数，现在是“{values[key]}”，已改用默认值 {_DEFAULTS[key]}。",
                    field=key)
            values[key] = _DEFAULTS[key]
    for key in ("search_full_text", "learning_pages", "assessment_pages"):
        if not isinstance(values[key], bool):
            log.add(SETTINGS_FILE, f"配置项 {key} 只能写 true 或 false，现在是“{values[key]}”，已改用 {str(_DEFAULTS[key]).lower()}。",
                    field=key)
            values[key] = _DEFAULTS[key]
    try:
        zoneinfo.ZoneInfo(str(values["timezone"]))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        log.add(SETTINGS_FILE, f"配置项 timezone 的值“{values['timezone']}”不是时区名，已改用 Asia/Shanghai。",
                field="timezone")
        values["timezone"] = "Asia/Shanghai"
    kinds = _load_kinds(data.get("kinds"), log)
    sections = _sections(data, log)
    return ColumnSettings(
        title=str(values["title"]),
        organisation=str(values["organisation"] or ""),
        page_size=values["page_size"],
        latest_count=values["latest_count"],
        timezone=str(values["timezone"]),
        reading_speed=values["reading_speed"],
        kinds=kinds,
        search_full_text=values["search_full_text"],
        related_count=values["related_count"],
        learning_pages=values["learning_pages"],
        assessment_pages=values["assessment_pages"],
        required_monthly=_required_monthly(data.get("required_monthly"), kinds, log),
        images=image_settings_from(sections.get("images"), log),
        publishing=publishing_settings_from(sections.get("publishing"), log),
        review=review_settings_from(sections.get("review"), log),
        html=html_policy_from(sections.get("html"), log),
        freshness=freshness_settings_from(sections.get("freshness"), log),
        privacy=privacy_settings_from(sections.get("privacy"), log),
        # identity's images live in content/ (the docs_dir mkdocs.yml names; the project keeps it there)
        identity=identity_from(sections.get("identity"), str(values["organisation"] or ""),
                               (root or Path(".")) / DOCS_DIR, log),
        terminology=load_terminology(root, sections.get("terminology"), log) if root else Terminology(),
    )


def _sections(data: dict, log: ProblemLog | LineLog) -> dict:
    sections = {}
    for name in SECTIONS:
        raw = data.get(name)
        if raw is None:
            continue
        if isinstance(raw, dict):
            sections[name] = raw
        else:
            log.add(SETTINGS_FILE, f"配置项 {name} 应是“字段: 值”的一组设置（下一行缩进两格写），已忽略。", field=name)
    return sections


def _load_kinds(raw: object, log: ProblemLog | LineLog) -> tuple[ActivityKind, ...]:
    if raw is None:
        return tuple(ActivityKind(key=k, label=label, order=i) for i, (k, label) in enumerate(DEFAULT_KINDS))
    if not isinstance(raw, list) or not raw:
        log.add(SETTINGS_FILE, "kinds 应是活动类型的列表（每项有 key 和 label），已改用默认活动类型。", field="kinds")
        return _load_kinds(None, log)
    kinds: list[ActivityKind] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            log.add(SETTINGS_FILE, f"kinds 第 {i + 1} 项缺少 key 或 label，已跳过。", field=f"kinds.{i}")
            continue
        key, label = str(item["key"]), str(item["label"])
        if not is_valid_slug(key):
            log.add(SETTINGS_FILE, f"活动类型“{label}”的 key “{key}”只能用小写字母、数字和连字符，已跳过。",
                    field=f"kinds.{i}.key")
            continue
        aliases = tuple(str(a) for a in item.get("aliases") or ())
        clash = [n for n in (key, label, *aliases) if n in seen]
        if clash:
            log.add(SETTINGS_FILE, f"活动类型名称“{clash[0]}”重复（已用于“{seen[clash[0]]}”），已跳过第 {i + 1} 项。",
                    field=f"kinds.{i}")
            continue
        for name in (key, label, *aliases):
            seen[name] = label
        kinds.append(ActivityKind(key=key, label=label, order=len(kinds),
                                  description=str(item.get("description") or ""), aliases=aliases))
    return tuple(kinds)


def _required_monthly(raw: object, kinds: tuple[ActivityKind, ...], log: ProblemLog | LineLog) -> tuple[str, ...]:
    """Kinds every branch should hold each month (by key, label or alias); unknown names are reported."""
    names = {name: kind.key for kind in kinds for name in (kind.key, kind.label, *kind.aliases)}
    if raw is None:
        return tuple(key for key in DEFAULT_REQUIRED_MONTHLY if key in names)
    if not isinstance(raw, list):
        log.add(SETTINGS_FILE, "required_monthly 应是活动类型的列表，例如 [主题党日, 一月一课一片一实践]。",
                field="required_monthly")
        return ()
    keys: list[str] = []
    for name in raw:
        key = names.get(str(name))
        if key is None:
            log.add(SETTINGS_FILE, f"required_monthly 里的活动类型“{name}”不在 kinds 中，已忽略。请写 kinds 里的名称。",
                    field="required_monthly")
        elif key not in keys:
            keys.append(key)
    return tuple(keys)


def today_in(timezone: str) -> dt.date:
    """Today in the column's time zone (``timezone``): what "published on or before today" is judged by."""
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()
