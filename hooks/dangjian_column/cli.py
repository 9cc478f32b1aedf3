"""The ``dangjian`` command: build, preview and check the column from the project folder."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .column import load_column
from .sitebuild import build_site, mkdocs_command, quiet_env

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dangjian", description="党建品牌专栏：构建、预览和检查站点。")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="项目文件夹（含 mkdocs.yml），默认当前文件夹")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    build = commands.add_parser("build", help="构建站点：先构建到临时文件夹，成功后再替换 site/")
    build.add_argument("--strict", action="store_true", help="有任何错误或警告就不替换现有站点（发布时使用）")
    build.add_argument("--site-dir", type=Path, default=None, help="输出文件夹，默认 <项目>/site")

    serve = commands.add_parser("serve", help="本地预览，修改稿件后浏览器自动刷新")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")

    commands.add_parser("check", help="只检查内容（不生成页面），列出所有问题")

    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not (root / "mkdocs.yml").exists():
        print(f"错误：{root} 里没有 mkdocs.yml。请在项目文件夹里运行，或用 --root 指定。", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build":
        return build_site(root, args.site_dir or root / "site", strict=args.strict)
    if args.command == "serve":
        return subprocess.run(mkdocs_command(root, "serve", "--livereload", "-a", args.addr),
                              env=quiet_env(), check=False).returncode
    return check(root)


def check(root: Path) -> int:
    column = load_column(root, root / "content")
    for problem in column.problems:
        print(problem.format())
    errors = len(column.problems.errors())
    warnings = sum(1 for p in column.problems if p.level == "warning")
    print(f"检查完成：{len(column.catalog.branches)} 个支部，{len(column.catalog.stories)} 篇可发布稿件；"
          f"{errors} 个错误，{warnings} 个警告。")
    return EXIT_PROBLEMS if errors else EXIT_OK


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
