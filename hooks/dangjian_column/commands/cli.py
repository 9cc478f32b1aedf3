"""The ``dangjian`` command: build, preview, check, list and create content from the project folder.

Exit codes (documented in AUTHORING.md and kept reliable for scripts): 0 all well, 1 problems found
(content errors, a file that would be overwritten, a conversion refused), 2 usage error (unknown
command, missing or invalid option, no project folder).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dangjian_column.commands.fix_encoding import fix_encoding
from dangjian_column.commands.list_stories import FilterError, Filters, format_table, list_stories
from dangjian_column.commands.new import (
    ScaffoldError,
    claim_story_files,
    new_branch,
    story_text,
    validate_story,
)
from dangjian_column.commands.sitebuild import build_site, mkdocs_command, quiet_env
from dangjian_column.config.identity import identity_from
from dangjian_column.config.settings import load_settings
from dangjian_column.imaging import image_settings_from
from dangjian_column.imaging.check import check_images
from dangjian_column.imaging.media import prune_unused
from dangjian_column.lint.content_lint import SourceText, lint_source
from dangjian_column.lint.sanitize import DEFAULT_POLICY
from dangjian_column.lint.terminology import load_terminology
from dangjian_column.problems import ProblemLog
from dangjian_column.site import load_column, today_in

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DOCS_DIR = "content"
STORY_PROMPTS = {"branch": "所属支部（支部文件夹名）", "kind": "活动类型（如 主题党日）", "title": "标题",
                 "date": "活动日期（如 2025-03-15）"}
BRANCH_PROMPTS = {"slug": "支部标识（文件夹名，小写字母、数字和连字符）", "name": "支部全称", "brand": "品牌名称"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: Chinese prefix, exit 2 as documented
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"用法错误：{message}（运行 dangjian -h 查看帮助）\n")


class UsageError(Exception):
    """A missing or invalid option; main() prints it and exits 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dangjian", description="党建品牌专栏：构建、预览、检查站点，新建和导入稿件。"
                     "退出码：0 正常，1 发现问题，2 用法错误。")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目文件夹（含 mkdocs.yml），默认当前文件夹")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令", parser_class=_Parser)

    build = commands.add_parser("build", help="构建站点：先构建到临时文件夹，成功后再替换 site/")
    build.add_argument("--strict", action="store_true", help="有任何错误或警告就不替换现有站点（发布时使用）")
    build.add_argument("--site-dir", type=Path, default=None,
                       help="输出文件夹，默认 <项目>/site（预览版默认 <项目>/site-preview）")
    build.add_argument("--preview", action="store_true",
                       help="预览版：包含草稿、待审和定时发布的稿件（带“未发布”横幅），不生成订阅源和小窗，供审核用")

    serve = commands.add_parser("serve", help="本地预览（默认含未发布稿件并带横幅），修改稿件后浏览器自动刷新")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")
    serve.add_argument("--production", action="store_true", help="按正式发布的样子预览：只显示已发布且日期已到的稿件")

    check = commands.add_parser("check", help="只检查内容（不生成页面），列出所有问题")
    check.add_argument("--strict", action="store_true", help="有警告也返回 1（发布前使用）")

    new = commands.add_parser("new", help="新建稿件或支部（生成带说明的模板）")
    kinds = new.add_subparsers(dest="what", required=True, metavar="story|branch", parser_class=_Parser)
    story = kinds.add_parser("story", help="新建一篇稿件和它的照片文件夹")
    _story_options(story)
    branch = kinds.add_parser("branch", help="新建一个支部的品牌档案 branches/<标识>/index.md")
    branch.add_argument("--slug", help=BRANCH_PROMPTS["slug"])
    branch.add_argument("--name", help=BRANCH_PROMPTS["name"])
    branch.add_argument("--brand", help=BRANCH_PROMPTS["brand"])
    branch.add_argument("--short-name", default="", help="支部简称，可选")

    docx = commands.add_parser("import-docx", help="把 Word 文档（.docx）导入为一篇待审稿件，图片放进照片文件夹")
    docx.add_argument("file", type=Path, help="Word 文档（.docx）")
    _story_options(docx)

    listing = commands.add_parser("list", help="列出稿件（含未发布的），可按支部、类型、状态、月份筛选")
    listing.add_argument("--branch", default="", help="支部文件夹名或名称")
    listing.add_argument("--kind", default="", help="活动类型")
    listing.add_argument("--status", default="", help="审核状态：草稿、待审、已发布")
    listing.add_argument("--month", default="", help="月份，如 2025-03")

    commands.add_parser("prune-cache", help="清理图片缓存：删除所有稿件（含未发布的）都不再用到的缩略图文件")

    recode = commands.add_parser("fix-encoding", help="把 GBK/GB18030 编码的文件转为 UTF-8（保留 .bak 备份）")
    recode.add_argument("files", type=Path, nargs="+", metavar="FILE", help="要转换的文件")
    return parser


def _story_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--branch", help="所属支部（支部文件夹名）；双联稿件用逗号分开")
    parser.add_argument("--kind", help="活动类型，写 column.yml 中的名称")
    parser.add_argument("--title", help="标题")
    parser.add_argument("--date", help="活动日期，如 2025-03-15")
    parser.add_argument("--slug", default="", help="网址名，可选；不写则用标题拼音")


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on -h (0) and on usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command == "fix-encoding":  # works on any file, no project folder needed
        return run_fix_encoding(args.files)
    root = args.root.resolve()
    if not (root / "mkdocs.yml").exists():
        print(f"错误：{root} 里没有 mkdocs.yml。请在项目文件夹里运行，或用 --root 指定。", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _run(args, root)
    except UsageError as exc:
        print(f"用法错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEMS


def _run(args: argparse.Namespace, root: Path) -> int:
    if args.command == "build":
        default = root / ("site-preview" if args.preview else "site")
        return build_site(root, args.site_dir or default, strict=args.strict, preview=args.preview)
    if args.command == "serve":
        return subprocess.run(mkdocs_command(root, "serve", "--livereload", "-a", args.addr),
                              env=quiet_env(preview=not args.production), check=False).returncode
    if args.command == "new":
        return run_new_story(root, args) if args.what == "story" else run_new_branch(root, args)
    if args.command == "import-docx":
        return run_import_docx(root, args)
    if args.command == "list":
        return run_list(root, args)
    if args.command == "prune-cache":
        return run_prune_cache(root)
    return check(root, strict=args.strict)


def check(root: Path, *, strict: bool = False) -> int:
    column = load_column(root, root / DOCS_DIR, plan=False)  # no pages to render: skip planning them
    photos = check_images(column.catalog, root, root / DOCS_DIR, column.problems)
    identity_from(column.settings.sections.get("identity"), column.settings.organisation, root / DOCS_DIR,
                  column.problems)  # the build reads the same section and reports the same lines
    for problem in column.problems:
        print(problem.format())
    errors = len(column.problems.errors())
    warnings = sum(1 for p in column.problems if p.level == "warning")
    photo_note = f"，{photos} 张照片" if photos else ""
    print(f"检查完成：{len(column.catalog.branches)} 个支部，{len(column.catalog.stories)} 篇可发布稿件{photo_note}；"
          f"{errors} 个错误，{warnings} 个警告。")
    return EXIT_PROBLEMS if errors or (strict and warnings) else EXIT_OK


def run_prune_cache(root: Path) -> int:
    column = load_column(root, root / DOCS_DIR, preview=True, plan=False)  # every story's photos stay
    settings = image_settings_from(column.settings.sections.get("images"), column.problems)
    kept, removed = prune_unused(column.catalog, root, root / DOCS_DIR, settings)
    print(f"图片缓存（{settings.cache_dir}）：保留 {kept} 个文件，删除 {removed} 个不再使用的文件。")
    return EXIT_OK


def ask_missing(args: argparse.Namespace, prompts: dict[str, str]) -> None:
    """Fill missing options by asking, but only on a terminal; a script gets exit 2 naming the option."""
    for name, label in prompts.items():
        if getattr(args, name, None):
            continue
        flag = f"--{name.replace('_', '-')}"
        if not sys.stdin.isatty():
            raise UsageError(f"缺少 {flag}（{label}）。")
        value = input(f"{label}：").strip()
        if not value:
            raise UsageError(f"缺少 {flag}（{label}）。")
        setattr(args, name, value)


def run_new_story(root: Path, args: argparse.Namespace) -> int:
    ask_missing(args, STORY_PROMPTS)
    settings = load_settings(root, ProblemLog())
    draft = validate_story(root, settings, title=args.title, date=args.date, branch=args.branch, kind=args.kind,
                           slug=args.slug)
    files = claim_story_files(root / DOCS_DIR, draft)
    files.markdown.write_text(story_text(draft), encoding="utf-8")
    print(f"已新建稿件：{files.markdown.relative_to(root)}\n照片请放进：{files.photos.relative_to(root)}/"
          "（01.jpg、02.jpg……）\n状态为“待审”，审核通过后把 status 改为 已发布。")
    return EXIT_OK


def run_new_branch(root: Path, args: argparse.Namespace) -> int:
    ask_missing(args, BRANCH_PROMPTS)
    path = new_branch(root, slug=args.slug, name=args.name, brand=args.brand, short_name=args.short_name)
    print(f"已新建支部品牌档案：{path.relative_to(root)}\n品牌标识图片（logo.png）也放进这个文件夹。")
    return EXIT_OK


def run_import_docx(root: Path, args: argparse.Namespace) -> int:
    from dangjian_column.commands.import_docx import convert_docx  # mammoth is only needed here

    source: Path = args.file
    if not source.is_file():
        raise UsageError(f"找不到文件 {source}。")
    if source.suffix.lower() != ".docx":
        raise UsageError(f"{source} 不是 .docx 文件。旧版 .doc 请先用 Word 或 WPS“另存为”.docx。")
    ask_missing(args, {k: v for k, v in STORY_PROMPTS.items() if k != "title"})
    settings = load_settings(root, ProblemLog())
    placeholder = "__photos__"
    with tempfile.TemporaryDirectory() as tmp:
        try:
            doc = convert_docx(source, Path(tmp), placeholder)
        except Exception as exc:  # a damaged or mislabelled file: zipfile/XML errors of many kinds
            raise ScaffoldError(f"{source} 无法作为 Word 文档读取（{type(exc).__name__}）。"
                                "请用 Word 或 WPS 打开后“另存为”.docx 再导入。") from exc
        args.title = args.title or doc.title
        ask_missing(args, {"title": "标题（文档里没有找到标题段落）"})
        draft = validate_story(root, settings, title=args.title, date=args.date, branch=args.branch,
                               kind=args.kind, slug=args.slug)
        files = claim_story_files(root / DOCS_DIR, draft)
        for name in doc.photos:
            shutil.move(str(Path(tmp) / name), files.photos / name)
    body = doc.body.replace(f"]({placeholder}/", f"]({files.photos.name}/")
    cover = files.image_src(doc.photos[0]) if doc.photos else ""
    files.markdown.write_text(story_text(draft, body=body, cover=cover), encoding="utf-8")
    _report_import(root, files.markdown, doc.photos, doc.notes, settings)
    return EXIT_OK


def _report_import(root: Path, markdown: Path, photos: list[str], notes: list[str], settings) -> None:
    rel = markdown.relative_to(root).as_posix()
    print(f"已导入：{rel}（状态“待审”）；图片 {len(photos)} 张，放在 {markdown.with_suffix('').name}/。")
    for note in notes:
        print(f"{rel}: 提示: {note}")
    log = ProblemLog()
    source = SourceText.read(root, rel)
    if source is not None:
        lint_source(source, load_terminology(root, settings.sections.get("terminology"), log), log,
                    DEFAULT_POLICY, front_keys=frozenset({"title", "description"}))
    for problem in log:
        print(problem.format())
    print("请打开文件核对标题、摘要和图片说明，然后运行 dangjian check。")


def run_list(root: Path, args: argparse.Namespace) -> int:
    settings = load_settings(root, ProblemLog())
    filters = Filters(branch=args.branch, kind=args.kind, status=args.status, month=args.month)
    try:
        listing = list_stories(root, root / DOCS_DIR, settings, filters, today_in(settings.timezone))
    except FilterError as exc:
        raise UsageError(str(exc)) from exc
    print(format_table(listing.rows))
    print(f"共 {len(listing.rows)} 篇。")
    if listing.unreadable:
        print(f"另有 {listing.unreadable} 个稿件文件有错误，未列出；请运行 dangjian check 查看。")
    return EXIT_OK


def run_fix_encoding(files: list[Path]) -> int:
    refused = 0
    for path in files:
        result = fix_encoding(path)
        print(result.message)
        refused += not result.changed
    return EXIT_PROBLEMS if refused else EXIT_OK


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
