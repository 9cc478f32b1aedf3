"""The newcomer's path: what the README tells them to type is what CI runs, and it holds every import.

The slow half of this (a fresh runtime-only venv running the README's build command, and the wheel
installed into a clean venv) runs in `.ci/run` itself; these tests keep the two in step with the README
and the declared dependencies in step with the code.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "hooks" / "dangjian_column"
# The MkDocs adapter is loaded by MkDocs at run time from the project folder: its imports count too, and
# those of the modules beside it that it imports (column_reuse: MkDocs' side of the rebuild; column_markdown:
# one Markdown converter per build).
ADAPTER = [PROJECT / "hooks" / name for name in ("column_hooks.py", "column_reuse.py", "column_markdown.py")]
RUNTIME_SOURCES = [*sorted(PACKAGE.rglob("*.py")), *ADAPTER]
OWN = {"dangjian_column", "__future__", *(p.stem for p in ADAPTER)}


def imported_top_level_names(path: Path) -> set[str]:
    """Every absolute import in a file, anywhere in it (lazy imports inside functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def third_party_imports() -> dict[str, set[Path]]:
    """Import name -> the files importing it, for everything neither stdlib nor our own package."""
    found: dict[str, set[Path]] = {}
    for path in RUNTIME_SOURCES:
        for name in imported_top_level_names(path):
            if name not in sys.stdlib_module_names and name not in OWN:
                found.setdefault(name, set()).add(path.relative_to(PROJECT))
    return found


def pinned(requirements: Path) -> set[str]:
    names = set()
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(canonicalize_name(Requirement(line).name))
    return names


def pyproject_dependencies() -> set[str]:
    data = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    return {canonicalize_name(Requirement(d).name) for d in data["project"]["dependencies"]}


@cache
def _import_names_to_distributions() -> dict[str, list[str]]:
    return packages_distributions()  # reads every installed RECORD: once per run


def distributions_of(import_name: str) -> set[str]:
    dists = _import_names_to_distributions().get(import_name)
    assert dists, f"{import_name} is imported but no installed distribution provides it"
    return {canonicalize_name(d) for d in dists}


def test_the_walk_sees_the_imports_it_must_see():
    imports = third_party_imports()
    # Guards the guard: if the walk found nothing, the declaration tests below would pass vacuously.
    assert {"css_inline", "PIL", "mkdocs", "yaml", "nh3"} <= set(imports)


def test_every_runtime_import_is_pinned_in_requirements_txt():
    runtime = pinned(PROJECT / "requirements.txt")
    missing = {name: sorted(map(str, files)) for name, files in third_party_imports().items()
               if not distributions_of(name) & runtime}
    assert missing == {}, "imported at run time but only installed by requirements-dev.txt (or not at all)"


def test_every_runtime_import_is_a_pyproject_dependency():
    declared = pyproject_dependencies()
    missing = {name: sorted(map(str, files)) for name, files in third_party_imports().items()
               if not distributions_of(name) & declared}
    assert missing == {}, "a wheel installed with its declared dependencies would miss these"


def test_runtime_requirements_hold_what_the_runtime_pins_need():
    """Every requirement of a runtime pin is pinned too (pip install -r requirements.txt installs no stray version)."""
    from importlib.metadata import distribution

    runtime = pinned(PROJECT / "requirements.txt")
    unpinned = {}
    for name in sorted(runtime):
        for req in distribution(name).requires or []:
            requirement = Requirement(req)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            if canonicalize_name(requirement.name) not in runtime:
                unpinned.setdefault(name, []).append(requirement.name)
    assert unpinned == {}


# --------------------------------------------------------------------------- README == CI


def readme_commands(heading: str) -> str:
    """The shell block right after the README's bold line starting with ``heading``."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"\*\*{re.escape(heading)}.*?\n```sh\n(.+?)\n```", readme, flags=re.S)
    assert match, f"README has no sh block after **{heading}"
    return match.group(1).strip()


def ci_script() -> str:
    return (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command_verbatim():
    command = readme_commands("Install everything and run the tests")
    assert command == ("python3 -m venv .venv && .venv/bin/pip install -q -r requirements-dev.txt -e . "
                       "&& .venv/bin/python -m pytest -n 2")
    assert command in ci_script()


def test_ci_runs_the_readme_build_command_verbatim_in_a_runtime_only_copy():
    command = readme_commands("Install everything and build the site")
    assert "requirements.txt" in command and "requirements-dev" not in command
    script = ci_script()
    assert command in script
    # ... and not in the checkout whose .venv holds the dev requirements: in a fresh copy of it.
    line = next(line for line in script.splitlines() if command in line)
    assert re.search(r"cd \"?\$fresh\"?", line), line


def test_ci_checks_the_wheel_and_does_not_pass_on_no_tests():
    script = ci_script()
    assert re.search(r'pip"? wheel .*--no-deps', script), "CI builds the wheel"
    assert re.search(r'pip"? install -q --no-deps [^\n]*\.whl', script), "and installs it without its ranges"
    assert ".ci/check_wheel.py" in script
    assert (PROJECT / ".ci" / "check_wheel.py").is_file()
    assert re.search(r"-eq 5", script), "pytest's exit code 5 (no tests collected) must fail CI loudly"
