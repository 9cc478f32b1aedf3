"""Loading branch brand profiles from ``branches/<slug>/index.md``."""

from __future__ import annotations

from pathlib import Path

from dangjian_column.content.fields import FieldReader
from dangjian_column.content.reference_check import checked_body, profile_scope
from dangjian_column.content.slugs import is_valid_slug
from dangjian_column.content.sourcefile import read_document
from dangjian_column.model import Branch, Honour, Pairing, TextItem
from dangjian_column.problems import ProblemLog

BRANCHES_DIR = "branches"
PROFILE_FILE = "index.md"

BRANCH_FIELDS = {
    "name": "支部全称",
    "short_name": "支部简称",
    "brand": "品牌名称",
    "slogan": "品牌理念",
    "logo": "品牌标识图片",
    "parent": "所属单位",
    "category": "支部类别",
    "highlights": "亮点",
    "experiences": "经验做法",
    "honours": "荣誉",
    "pairings": "双联",
    "order": "排序",
}


def load_branches(root: Path, log: ProblemLog) -> dict[str, Branch]:
    """Every valid branch profile under ``branches/``, keyed by folder slug."""
    base = root / BRANCHES_DIR
    branches: dict[str, Branch] = {}
    if not base.is_dir():
        return branches
    key_lines: dict[str, dict[str, int]] = {}
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            _report_skipped(folder, log)
            continue
        branch = load_branch(root, folder, log, key_lines)
        if branch is not None:
            branches[branch.slug] = branch
    check_names(branches, log, key_lines)
    return branches


def branches_named(name: str, branches: dict[str, Branch]) -> list[str]:
    """Every folder whose branch is called ``name`` (full name, short name, brand or its original short name)."""
    return [b.slug for b in branches.values() if name in (b.name, b.short_name, b.brand, b.written_short_name)]


def _report_skipped(folder: Path, log: ProblemLog) -> None:
    """A hidden folder is skipped on purpose (an old branch, a template), but never silently."""
    if (folder / PROFILE_FILE).exists():
        log.add(f"{BRANCHES_DIR}/{folder.name}", f"文件夹名以“{folder.name[0]}”开头，按隐藏文件夹跳过，这个支部不会显示。"
                f"如需显示，请把文件夹改名为不以“{folder.name[0]}”开头的支部标识（小写字母、数字和连字符）。", level="info")


NAME_FIELDS = (("name", "支部全称"), ("short_name", "支部简称"), ("brand", "品牌名称"))


def check_names(branches: dict[str, Branch], log: ProblemLog, key_lines: dict[str, dict[str, int]]) -> None:
    """Two branches with the same name, short name or brand cannot be told apart on cards, in the
    statistics or in a story's ``branch`` hint: each later one is warned, naming every folder. Short names
    that clash fall back to the full names, so cards and tables still show two different branches."""
    for key, label in NAME_FIELDS:
        holders: dict[str, list[Branch]] = {}
        for branch in branches.values():
            holders.setdefault(getattr(branch, key), []).append(branch)
        for value, same in holders.items():
            if len(same) < 2:
                continue
            folders = "、".join(f"branches/{b.slug}/" for b in same)
            for branch in same[1:]:
                log.add(branch.source_path, f"{label}“{value}”与其他支部重复（{folders}），卡片、统计表和稿件的"
                        f"支部提示会分不清。请在其中一个支部的 index.md 里改用不同的 {key}。", level="warning",
                        field=key, line=key_lines.get(branch.slug, {}).get(key, 1))
    short = {}
    for branch in branches.values():
        short.setdefault(branch.short_name, []).append(branch)
    for same in short.values():
        if len(same) > 1 and len({b.name for b in same}) == len(same):
            for branch in same:
                branch.written_short_name, branch.short_name = branch.short_name, branch.name


def load_branch(root: Path, folder: Path, log: ProblemLog,
                key_lines: dict[str, dict[str, int]] | None = None) -> Branch | None:
    """One profile; ``key_lines`` (slug -> field -> line) is filled for checks across branches."""
    slug = folder.name
    rel_folder = f"{BRANCHES_DIR}/{slug}"
    rel_path = f"{rel_folder}/{PROFILE_FILE}"
    valid_slug = is_valid_slug(slug)
    if not valid_slug:
        log.add(rel_folder, f"支部文件夹名“{slug}”会成为网址，只能用小写字母、数字和连字符（例如 dizhi-xianfeng）。"
                "请改名后再构建。")
    profile = folder / PROFILE_FILE
    if not profile.exists():
        log.add(rel_folder, f"支部文件夹缺少品牌档案 {PROFILE_FILE}，这个支部不会显示。"
                "请参照 AUTHORING.md 的模板新建 index.md。")
        return None
    doc = read_document(profile, rel_path, log)
    if doc is None:
        return None
    if key_lines is not None:
        key_lines[slug] = doc.key_lines
    fields = FieldReader(doc, rel_path, log, BRANCH_FIELDS)
    fields.unknown_keys(BRANCH_FIELDS)
    name = fields.text("name", required=True, hint="请写支部全称，例如 name: 区域地质调查所第一党支部。")
    brand = fields.text("brand", required=True, hint="请写支部的品牌名称，例如 brand: 地质先锋。")
    # Every field is read before deciding, so one run reports all of the file's problems.
    branch = Branch(
        slug=slug,
        source_path=rel_path,
        name=name,
        short_name=fields.text("short_name") or name,
        brand=brand,
        slogan=fields.text("slogan"),
        body=checked_body(doc.body, doc.body_line, profile_scope(folder.parents[1], rel_path, "支部档案"), rel_path,
                          rel_path, log),
        logo=_logo(fields, folder, rel_folder),
        parent=fields.text("parent"),
        category=fields.text("category"),
        highlights=_text_items(fields, "highlights"),
        experiences=_text_items(fields, "experiences"),
        honours=_honours(fields),
        pairings=_pairings(fields),
        order=fields.integer("order", 1000),
    )
    return None if fields.failed or not valid_slug else branch


def _logo(fields: FieldReader, folder: Path, rel_folder: str) -> str:
    logo = fields.text("logo")
    if not logo:
        return ""
    if not (folder / logo).is_file():
        fields.problem("logo", f"品牌标识图片 {rel_folder}/{logo} 不存在。请把图片放进支部文件夹，"
                               "或改正 logo 字段里的文件名（注意大小写和扩展名）。", level="warning")
        return ""
    return f"{rel_folder}/{logo}"


def _text_items(fields: FieldReader, key: str) -> tuple[TextItem, ...]:
    raw = fields.meta.get(key)
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        fields.problem(key, f"字段 {key} 应是列表，每项以“- ”开头。", level="warning")
        return ()
    items: list[TextItem] = []
    for entry in raw:
        if isinstance(entry, dict) and entry.get("title"):
            items.append(TextItem(title=str(entry["title"]).strip(), text=str(entry.get("text") or "").strip(),
                                  theme=str(entry.get("theme") or "").strip()))
        elif isinstance(entry, (str, int, float)) and str(entry).strip():
            items.append(TextItem(title=str(entry).strip()))
        else:
            fields.problem(key, f"字段 {key} 里有一项格式不对：应是一句话，或带 title 和 text 的一组。",
                           level="warning")
    return tuple(items)


def _honours(fields: FieldReader) -> tuple[Honour, ...]:
    raw = fields.meta.get("honours")
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        fields.problem("honours", "字段 honours 应是列表，每项写 year（年份）和 title（荣誉名称）。", level="warning")
        return ()
    honours: list[Honour] = []
    for entry in raw:
        year = entry.get("year") if isinstance(entry, dict) else None
        title = entry.get("title") if isinstance(entry, dict) else None
        if isinstance(year, int) and 1921 <= year <= 2100 and title:
            honours.append(Honour(year=year, title=str(title).strip()))
        else:
            fields.problem("honours", f"荣誉“{entry}”格式不对：每项要写 year（四位年份）和 title（荣誉名称）。",
                           level="warning")
    return tuple(sorted(honours, key=lambda h: -h.year))


def _pairings(fields: FieldReader) -> tuple[Pairing, ...]:
    raw = fields.meta.get("pairings")
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        fields.problem("pairings", "字段 pairings 应是列表，每项写 branch（结对支部的文件夹名）或 partner（外部单位名称）。",
                       level="warning")
        return ()
    pairings: list[Pairing] = []
    for entry in raw:
        if isinstance(entry, str):
            entry = {"branch": entry} if is_valid_slug(entry) else {"partner": entry}
        if isinstance(entry, dict) and (entry.get("branch") or entry.get("partner")):
            pairings.append(Pairing(branch=str(entry.get("branch") or ""), partner=str(entry.get("partner") or ""),
                                    note=str(entry.get("note") or "")))
        else:
            fields.problem("pairings", f"双联“{entry}”格式不对：写 branch: 支部文件夹名，或 partner: 外部单位名称。",
                           level="warning")
    return tuple(pairings)


def check_pairings(branches: dict[str, Branch], log: ProblemLog) -> None:
    """A pairing must name another branch that exists (unknown ones and the branch itself are reported and
    dropped), and both branches should write it: one written by one side only is reported and kept."""
    for branch in branches.values():
        kept = []
        for pairing in branch.pairings:
            if pairing.branch and pairing.branch not in branches:
                log.add(branch.source_path, f"pairings（双联）里的支部“{pairing.branch}”不存在。请写 branches/ 下的支部文件夹名，"
                        "外部单位请写在 partner 里。", level="warning", field="pairings")
                continue
            if pairing.branch == branch.slug:
                log.add(branch.source_path, f"pairings（双联）里写了支部自己（{branch.slug}）。请删除这条，"
                        "或改成结对支部的文件夹名。", level="warning", field="pairings")
                continue
            kept.append(pairing)
        branch.pairings = tuple(kept)
    declared = {(b.slug, p.branch) for b in branches.values() for p in b.pairings if p.branch}
    reported = set()
    for branch in branches.values():
        for pairing in branch.pairings:
            other = pairing.branch
            if not other or (other, branch.slug) in declared or (branch.slug, other) in reported:
                continue
            reported.add((branch.slug, other))
            log.add(branch.source_path, f"支部 {branch.slug} 写了与 {other} 双联，但 {other} 的 pairings 里没有 "
                    f"{branch.slug}。请在 {branches[other].source_path} 的 pairings 中补上 branch: {branch.slug}，"
                    "或删除这条。", level="warning", field="pairings")
