"""The GitHub modules live in ``ticreg.github``: the core never imports them,
and the non-editable install (``pip install .`` in CI) ships the subpackage."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "scripts" / "ticreg"
GITHUB = "ticreg.github"
# Who may import the GitHub modules: they themselves, and the commands that run them.
ALLOWED_IMPORTERS = ("github", "commands")


def module_name(path: Path, package_dir: Path) -> str:
    parts = list(path.relative_to(package_dir).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["ticreg", *parts])


def imported_modules(path: Path, package_dir: Path) -> set[str]:
    """Every absolute module name ``path`` imports, relative imports resolved
    (``from .. import github`` counts as importing ``ticreg.github``)."""
    own = module_name(path, package_dir)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = own.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            found.add(stem)
            found.update(f"{stem}.{alias.name}" for alias in node.names)
    return found


def core_imports_of_github(package_dir: Path) -> list[str]:
    """Modules outside github/ and commands/ that import from ticreg.github."""
    offenders = []
    for path in sorted(package_dir.rglob("*.py")):
        if path.relative_to(package_dir).parts[0] in ALLOWED_IMPORTERS:
            continue
        if any(name == GITHUB or name.startswith(GITHUB + ".") for name in imported_modules(path, package_dir)):
            offenders.append(path.relative_to(package_dir).as_posix())
    return offenders


def test_the_core_does_not_import_the_github_modules():
    assert core_imports_of_github(PACKAGE) == []


def test_the_layering_check_sees_an_import_that_runs_back_up(tmp_path):
    package = tmp_path / "ticreg"
    (package / "github").mkdir(parents=True)
    (package / "github" / "__init__.py").write_text("", encoding="utf-8")
    (package / "clean.py").write_text("from .loader import load_file\n", encoding="utf-8")
    (package / "relative.py").write_text("from .github.markdown_safe import neutralise\n", encoding="utf-8")
    (package / "parent.py").write_text("from . import github\n", encoding="utf-8")
    (package / "absolute.py").write_text("import ticreg.github.github_api\n", encoding="utf-8")
    assert core_imports_of_github(package) == ["absolute.py", "parent.py", "relative.py"]


def test_the_github_modules_no_longer_sit_at_the_package_root():
    moved = sorted(path.name for path in (PACKAGE / "github").glob("*.py") if path.name != "__init__.py")
    assert moved and not [name for name in moved if (PACKAGE / name).exists()]


def test_every_package_folder_is_listed_for_the_non_editable_install():
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {
        module_name(init, PACKAGE): init.parent.relative_to(REPO).as_posix()
        for init in PACKAGE.rglob("__init__.py")
    }
    assert GITHUB in folders
    listed = {name: path for name, path in setuptools["package-dir"].items() if name.startswith("ticreg.")}
    assert set(folders) - set(setuptools["packages"]) == set()
    assert {name: folders[name] for name in folders if name != "ticreg"} == listed


def test_importing_the_subpackage_loads_none_of_its_modules():
    """Commands that do not talk to GitHub pay nothing for the subpackage."""
    probe = f"import sys, {GITHUB}; print(sorted(m for m in sys.modules if m.startswith('{GITHUB}.')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
