"""CI: the installed wheel holds every module of the source package, each one imports, and the command runs.

Run it with the Python of a clean venv that has only requirements.txt and the wheel (installed with
--no-deps), from any folder: ``VENV/bin/python .ci/check_wheel.py hooks/dangjian_column``. The list of
modules comes from the source tree, not from the wheel, so a subpackage the wheel left out is named
here instead of passing unnoticed; every module must be imported from the venv's site-packages, not
from the checkout.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import sysconfig
from pathlib import Path

# Running __main__ would run the CLI; it is checked through `python -m dangjian_column --help` instead.
SKIP = {"__main__"}


def source_modules(package_dir: Path) -> list[str]:
    names = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] in SKIP:
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def import_problems(names: list[str], site_packages: Path) -> list[str]:
    problems = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # any failure is a finding: report them all, not just the first
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        origin = Path(module.__file__ or "").resolve()
        if not origin.is_relative_to(site_packages):
            problems.append(f"{name}: imported from {origin}, not from the installed wheel")
    return problems


def command_problems(package: str) -> list[str]:
    bin_dir = Path(sys.executable).parent
    problems = []
    for command in ([str(bin_dir / "dangjian"), "--help"], [sys.executable, "-m", package, "--help"]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0 or "党建品牌专栏" not in done.stdout:
            problems.append(f"{' '.join(command)}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return problems


def main(argv: list[str]) -> int:
    package_dir = Path(argv[1]).resolve()
    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    names = source_modules(package_dir)
    problems = import_problems(names, site_packages) + command_problems(package_dir.name)
    for problem in problems:
        print(f"wheel check: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"wheel check: {len(names)} modules imported from {site_packages}; dangjian --help runs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
