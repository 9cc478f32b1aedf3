"""The ``identity:`` section of column.yml: who runs the column and the lines an official Chinese site carries.

国办发〔2017〕47号 asks a government site's footer for 主办单位, contact, 网站标识码, ICP备案编号,
公安机关备案号 and the 党政机关网站标识 image. None of these may be made up, so every line is read from
column.yml and a line left empty is simply not shown. Images are files under ``content/`` (the office
supplies them); a missing one is reported and left out, the build goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.problems import ProblemLog

ICP_LOOKUP = "https://beian.miit.gov.cn/"  # where every ICP number is checked (the MIIT registry)

_TEXT = ("host", "address", "contact", "official_site_name", "site_code", "icp", "police_record")
_URLS = ("official_site", "police_record_url", "government_mark_url")
_IMAGES = ("emblem", "police_icon", "government_mark")


@dataclass(frozen=True)
class Identity:
    host: str = ""  # 主办单位; the column's organisation when not given
    address: str = ""  # 地址
    contact: str = ""  # 联系电话 / 邮箱, as the office wants it shown
    official_site: str = ""  # 官网首页地址 (a link back)
    official_site_name: str = ""  # its name, e.g. 省地质调查院官网
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP备案号, linked to the MIIT registry
    police_record: str = ""  # 公安机关备案号
    police_record_url: str = ""  # its record page
    police_icon: str = ""  # 公安备案图标 (file under content/)
    government_mark: str = ""  # 党政机关网站标识 (file under content/)
    government_mark_url: str = ""  # the mark's verification link, as issued
    emblem: str = ""  # the organisation's emblem for the header and banner (file under content/)

    @property
    def icp_url(self) -> str:
        return ICP_LOOKUP

    @property
    def images(self) -> tuple[str, ...]:
        """The image files (under content/) the pages show as they are: no photo pipeline for marks."""
        return tuple(path for path in (self.emblem, self.police_icon, self.government_mark) if path)

    @property
    def has_registration(self) -> bool:
        return bool(self.site_code or self.icp or self.police_record or self.government_mark)


def identity_from(section: object, organisation: str, docs_dir: Path, log: ProblemLog) -> Identity:
    """Read ``identity:``; a bad line is reported (file, field, fix) and left out, never invented."""
    if section is None:
        return Identity(host=organisation)
    if not isinstance(section, dict):
        log.add(SETTINGS_FILE, "identity 应当是一组设置（host、contact、icp 等，每行“字段: 值”，下一行缩进两格写），"
                "本次页脚只显示主办单位。", field="identity")
        return Identity(host=organisation)
    known = {f.name for f in fields(Identity)}
    for key in section:
        if key not in known:
            log.add(SETTINGS_FILE, f"identity 里的 {key} 不是已知的设置，已忽略。可用的有：{'、'.join(sorted(known))}。",
                    level="warning", field=f"identity.{key}")
    values = {name: _text(section, name, log) for name in (*_TEXT, *_URLS, *_IMAGES)}
    for name in _URLS:
        if values[name] and urlsplit(values[name]).scheme not in ("http", "https"):
            log.add(SETTINGS_FILE, f"identity.{name} 应当是以 http:// 或 https:// 开头的完整网址，现在是"
                    f"“{values[name]}”；本次不显示这个链接。", level="warning", field=f"identity.{name}")
            values[name] = ""
    for name in _IMAGES:
        if values[name] and not (docs_dir / values[name]).is_file():
            log.add(SETTINGS_FILE, f"identity.{name} 指定的图片 content/{values[name]} 不存在；请把图片放到 content/ "
                    "下并写它相对 content/ 的路径（例如 assets/emblem.png）。本次不显示这张图片。",
                    level="warning", field=f"identity.{name}")
            values[name] = ""
    values["host"] = values["host"] or organisation
    return Identity(**values)


def _text(section: dict, name: str, log: ProblemLog) -> str:
    value = section.get(name)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        log.add(SETTINGS_FILE, f"identity.{name} 应当是一行文字，现在是一组值；本次不显示。", field=f"identity.{name}")
        return ""
    return str(value).strip()
