"""The ``dangjian`` command: build, preview, check, list and create content from the project folder.

Exit codes (documented in AUTHORING.md and kept reliable for scripts): 0 all well, 1 problems found
(content errors, a file that would be overwritten, a conversion refused), 2 usage error (unknown
command, missing or invalid option, no project folder).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from dangjian_column.commands.fix_encoding import fix_encoding
from dangjian_column.commands.list_stories import FilterError, Filters, format_table, list_stories
from dangjian_column.commands.new import (
    CREDIT_FIELDS,
    ScaffoldError,
    claim_story_files,
    new_branch,
    story_text,
    validate_story,
)
from dangjian_column.commands.report import exit_code as report_exit_code
from dangjian_column.commands.report import format_report, write_csv
from dangjian_column.commands.serve import serve
from dangjian_column.commands.sitebuild import build_site
from dangjian_column.config.settings import load_settings
from dangjian_column.config.yamlfile import SETTINGS_FILE
from dangjian_column.content.fields import parse_date
from dangjian_column.content.freshness import freshness_report
from dangjian_column.imaging.media import prune_unused
from dangjian_column.lint.content_lint import (
    STORY_SHOWN_KEYS,
    STORY_TEXT_KEYS,
    SourceText,
    lint_source,
    privacy_scan,
)
from dangjian_column.problems import ProblemLog
from dangjian_column.site import load_column, prepare_site, today_in

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

    inbox = commands.add_parser("import", help="批量导入投稿：把文件夹里的 Word/文本投稿和照片变成待审稿件，重复运行不会重复导入")
    inbox.add_argument("folder", type=Path, help="投稿文件夹（可按支部分子文件夹）")
    inbox.add_argument("--branch", default="", help="文中和子文件夹都没写支部时用的支部（支部文件夹名）")
    inbox.add_argument("--kind", default="", help="文中和标题都没写活动类型时用的活动类型")
    inbox.add_argument("--date", default="", help="文中没有日期时用的活动日期，如 2025-03-15")

    listing = commands.add_parser("list", help="列出稿件（含未发布的），可按支部、类型、状态、月份筛选")
    listing.add_argument("--branch", default="", help="支部文件夹名或名称")
    listing.add_argument("--kind", default="", help="活动类型")
    listing.add_argument("--status", default="", help="审核状态：草稿、待审、已发布")
    listing.add_argument("--month", default="", help="月份，如 2025-03")
    listing.add_argument("--pending", action="store_true", help="只列出等待审核的稿件，以及下一步该由谁签署")

    approve = commands.add_parser("approve", help="审核通过：在稿件的 reviews: 里记下层级、签署人和日期")
    reject = commands.add_parser("reject", help="审核退回：在稿件的 reviews: 里记下退回人、日期和意见")
    for sub in (approve, reject):
        sub.add_argument("file", type=Path, help="稿件文件（.md）")
        sub.add_argument("--level", default="", help="审核层级，如 初审、复审、终审（column.yml 的 review.levels）；一级审核时不写")
        sub.add_argument("--by", required=True, help="签署人姓名")
        sub.add_argument("--date", default="", help="签署日期，如 2025-03-15；默认今天")
    approve.add_argument("--note", default="", help="审核意见，可选")
    reject.add_argument("--note", required=True, help="退回意见（必填），如 请补充照片说明")

    report = commands.add_parser("report", help="更新情况报告：距最近新稿件天数、久未更新的支部、空白栏目、本月规定动作；"
                                 "有警告或错误时返回 1（可放进定时任务）")
    report.add_argument("--today", default="", help="按哪一天计算，如 2026-12-01；默认今天（column.yml 的时区）")
    report.add_argument("--csv", type=Path, default=None, metavar="FILE", help="另存为 CSV 表格（UTF-8 带 BOM，Excel 可直接打开）")

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
    except BrokenPipeError:
        return _reader_left()


def _reader_left() -> int:
    """``dangjian list | head``: the reader closed the pipe and has what it wanted. Python would flush
    stdout again at exit and fail once more, so what is left goes to /dev/null (Python's own recipe)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def _run(args: argparse.Namespace, root: Path) -> int:
    if args.command == "build":
        default = root / ("site-preview" if args.preview else "site")
        return build_site(root, args.site_dir or default, strict=args.strict, preview=args.preview)
    if args.command == "serve":
        return serve(root, args.addr, production=args.production)
    if args.command == "new":
        return run_new_story(root, args) if args.what == "story" else run_new_branch(root, args)
    if args.command == "import-docx":
        return run_import_docx(root, args)
    if args.command == "import":
        return run_import_inbox(root, args)
    if args.command == "list":
        return run_list(root, args)
    if args.command in ("approve", "reject"):
        return run_review(root, args)
    if args.command == "prune-cache":
        return run_prune_cache(root)
    if args.command == "report":
        return run_report(root, args)
    return check(root, strict=args.strict)


def check(root: Path, *, strict: bool = False) -> int:
    # The build's own pipeline, with photo headers inspected instead of encoded and no pages planned.
    site = prepare_site(root, root / DOCS_DIR, images="inspect", plan=False)
    for problem in site.problems:
        print(problem.format())
    errors = len(site.problems.errors())
    warnings = sum(1 for p in site.problems if p.level == "warning")
    photos = site.photos_checked
    photo_note = f"，{photos} 张照片" if photos else ""
    print(f"检查完成：{len(site.catalog.branches)} 个支部，{len(site.catalog.stories)} 篇可发布稿件{photo_note}；"
          f"{errors} 个错误，{warnings} 个警告。")
    # The freshness section informs; it never changes check's exit code (that is `dangjian report`'s job).
    print()
    print(format_report(freshness_report(site.catalog, site.catalog.settings.freshness)))
    return EXIT_PROBLEMS if errors or (strict and warnings) else EXIT_OK


def run_report(root: Path, args: argparse.Namespace) -> int:
    today = None
    if args.today:
        today = parse_date(args.today)
        if today is None:
            raise UsageError(f"--today 的日期“{args.today}”格式不对，请写成 2026-12-01 这样。")
    problems = ProblemLog()
    column = load_column(root, root / DOCS_DIR, today=today, problems=problems, plan=False)
    settings = column.settings.freshness
    for problem in problems:  # settings mistakes only: content problems are `check`'s
        if problem.path == SETTINGS_FILE and problem.level != "info":
            print(problem.format())
    report = freshness_report(column.catalog, settings)
    print(format_report(report))
    if args.csv is not None:
        write_csv(report, args.csv)
        print(f"已保存：{args.csv}")
    return report_exit_code(report)


def run_prune_cache(root: Path) -> int:
    column = load_column(root, root / DOCS_DIR, preview=True, plan=False)  # every story's photos stay
    settings = column.settings.images
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
    settings = _settings(root)
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
    settings = _settings(root)
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
    cover = files.image_src(doc.cover) if doc.cover else ""
    captions = {doc.cover: doc.captions[doc.cover]} if doc.cover in doc.captions else {}
    credits = {k: v for k, v in doc.credits.items() if k in CREDIT_FIELDS}
    files.markdown.write_text(story_text(draft, body=body, cover=cover, credits=credits, captions=captions),
                              encoding="utf-8")
    _report_import(root, files.markdown, doc.photos, doc.notes, settings)
    return EXIT_OK


def _report_import(root: Path, markdown: Path, photos: list[str], notes: list[str], settings) -> None:
    rel = markdown.relative_to(root).as_posix()
    print(f"已导入：{rel}（状态“待审”）；图片 {len(photos)} 张，放在 {markdown.with_suffix('').name}/。")
    for note in notes:
        print(f"{rel}: 提示: {note}")
    for problem in lint_new_story(root, rel, settings):
        print(problem.format())
    print("请打开文件核对标题、摘要和图片说明，然后运行 dangjian check。")


def _settings(root: Path):
    """column.yml for the commands that do not check content: its problems still go to stderr, once."""
    log = ProblemLog()
    settings = load_settings(root, log)
    for problem in log:
        print(problem.format(), file=sys.stderr)
    return settings


def lint_new_story(root: Path, rel: str, settings) -> ProblemLog:
    """The wording, pasted-HTML and personal-data problems of a story just written, as check will report them."""
    log = ProblemLog()
    source = SourceText.read(root, rel)
    if source is not None:
        lint_source(source, settings.terminology, log, settings.html, front_keys=STORY_TEXT_KEYS)
        privacy_scan(source, settings.privacy, log, front_keys=STORY_SHOWN_KEYS)
    return log


def run_import_inbox(root: Path, args: argparse.Namespace) -> int:
    from dangjian_column.commands.inbox import Defaults, import_inbox  # mammoth is only needed here

    inbox: Path = args.folder
    if not inbox.is_dir():
        raise UsageError(f"找不到投稿文件夹 {inbox}。")
    settings = _settings(root)
    outcomes = import_inbox(root, root / DOCS_DIR, inbox, settings, Defaults(args.branch, args.kind, args.date))
    attention = 0
    for outcome in outcomes:
        if outcome.skipped:
            print(f"{outcome.rel}: 已导入过（{outcome.skipped}），未重复导入。")
            continue
        if outcome.problem:
            attention += 1
            print(f"{outcome.rel}: 需要处理：{outcome.problem}未导入。")
            continue
        print(f"{outcome.rel} → {outcome.story}（待审）")
        for note in outcome.notes:
            print(f"  {note}")
        problems = lint_new_story(root, outcome.story, settings)
        attention += bool(problems.errors())
        for problem in problems:
            print(f"  {problem.format()}")
    made = sum(1 for o in outcomes if o.story)
    skipped = sum(1 for o in outcomes if o.skipped)
    print(f"导入完成：新建 {made} 篇待审稿件，已导入过 {skipped} 个，需要处理 {attention} 个。"
          "请用 dangjian serve 预览核对，再送审（dangjian list --pending）。")
    return EXIT_PROBLEMS if attention else EXIT_OK


def run_list(root: Path, args: argparse.Namespace) -> int:
    settings = _settings(root)
    filters = Filters(branch=args.branch, kind=args.kind, status=args.status, month=args.month, pending=args.pending)
    try:
        listing = list_stories(root, root / DOCS_DIR, settings, filters, today_in(settings.timezone))
    except FilterError as exc:
        raise UsageError(str(exc)) from exc
    print(format_table(listing.rows, listing.headers))
    waiting = "".join(f"，待{level} {n} 篇" for level, n in (listing.waiting or {}).items())
    print(f"共 {len(listing.rows)} 篇{waiting}。")
    if listing.unreadable:
        print(f"另有 {listing.unreadable} 个稿件文件有错误，未列出；请运行 dangjian check 查看。")
    return EXIT_OK


def run_review(root: Path, args: argparse.Namespace) -> int:
    from dangjian_column.commands.frontmatter_edit import EditError
    from dangjian_column.commands.review import ReviewRequest, record_review
    from dangjian_column.content.reviews import APPROVED, REJECTED

    path = args.file if args.file.is_absolute() else Path.cwd() / args.file
    if not path.is_file() and (root / args.file).is_file():
        path = root / args.file
    if not path.is_file() or path.suffix.lower() != ".md":
        raise UsageError(f"找不到稿件文件 {args.file}（要写 content/stories/ 下的 .md 文件）。")
    settings = _settings(root)
    review = settings.review
    request = ReviewRequest(result=APPROVED if args.command == "approve" else REJECTED, name=args.by,
                            level=args.level, date=args.date, note=args.note)
    try:
        message = record_review(path, review, request, today_in(settings.timezone))
    except EditError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{_shown(path, root)}: {message}")
    return EXIT_OK


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


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
