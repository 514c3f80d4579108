"""The README's architecture section is the truth about the layers, and the code keeps to it.

Every module of scripts/ticreg/ sits in exactly one layer of the table, no
module imports from a higher layer, ticreg_schemas imports nothing of ticreg,
every path the section names exists, and its worked example is the real code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO
from test_github_package import imported_modules

PACKAGE = REPO / "scripts" / "ticreg"
SECTION_HEADING = "## 架构（写给维护者）"
OUTSIDE_THE_PACKAGE = ("数据", "数据模型")  # registry/ and schemas/ticreg_schemas/: checked on their own


def architecture_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index(SECTION_HEADING)
    end = readme.find("\n## ", start + len(SECTION_HEADING))
    return readme[start:] if end == -1 else readme[start:end]


def layers(section: str) -> list[tuple[str, list[str]]]:
    """The table's rows, bottom layer first: (name, modules or packages/)."""
    block = re.search(r"```text\n(.*?)```", section, re.S)
    assert block, "the architecture section draws the layers in a ```text block"
    rows = [line.split() for line in block.group(1).splitlines()[1:] if line.strip()]
    return [(row[0], row[1:]) for row in rows]


def layer_of_each_module(table: list[tuple[str, list[str]]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for rank, (name, entries) in enumerate(table):
        if name in OUTSIDE_THE_PACKAGE:
            continue
        for entry in entries:
            assert entry.removesuffix("/") not in found, f"{entry} is listed in two layers"
            found[entry.removesuffix("/")] = rank
    return found


def top_level_modules(package_dir: Path) -> set[str]:
    names = {path.stem for path in package_dir.glob("*.py") if path.stem != "__init__"}
    names |= {path.name for path in package_dir.iterdir() if (path / "__init__.py").is_file()}
    return names


def upward_imports(package_dir: Path, ranks: dict[str, int]) -> list[str]:
    """``module -> imported`` for every import of a module from a higher layer."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        top = path.relative_to(package_dir).parts[0].removesuffix(".py")
        if top not in ranks:
            continue
        for name in sorted(imported_modules(path, package_dir)):
            parts = name.split(".")
            if parts[0] != "ticreg" or len(parts) < 2 or parts[1] not in ranks:
                continue
            if ranks[parts[1]] > ranks[top]:
                found.append(f"{path.relative_to(package_dir).as_posix()} -> {name}")
    return found


def test_every_module_is_in_exactly_one_layer() -> None:
    ranks = layer_of_each_module(layers(architecture_section()))
    assert set(ranks) == top_level_modules(PACKAGE)


def test_the_layers_are_the_ones_the_issue_names_in_order() -> None:
    names = [name for name, _ in layers(architecture_section())]
    assert names[:2] == ["数据", "数据模型"]
    assert names.index("读取") < names.index("引擎与规则") < names.index("命令逻辑") < names.index("网站与GitHub")


def test_no_module_imports_from_a_higher_layer() -> None:
    ranks = layer_of_each_module(layers(architecture_section()))
    assert upward_imports(PACKAGE, ranks) == []


def absolute_imports_of_the_tool(package_dir: Path) -> list[str]:
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            found += [f"{path.name} -> {name}" for name in names if name == "ticreg" or name.startswith("ticreg.")]
    return found


def test_the_schemas_import_nothing_of_the_tool(tmp_path: Path) -> None:
    assert absolute_imports_of_the_tool(REPO / "schemas" / "ticreg_schemas") == []
    (tmp_path / "model.py").write_text("from ticreg.loader import load\n", encoding="utf-8")
    assert absolute_imports_of_the_tool(tmp_path) == ["model.py -> ticreg.loader"]


def test_the_upward_import_check_sees_one(tmp_path: Path) -> None:
    package = tmp_path / "ticreg"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "__init__.py").write_text("", encoding="utf-8")
    (package / "catalog.py").write_text("from .rules import load_all\n", encoding="utf-8")
    (package / "loader.py").write_text("from .catalog import RULES\n", encoding="utf-8")  # downwards: fine
    (package / "engine.py").write_text("from . import validate\n", encoding="utf-8")
    (package / "validate.py").write_text("from .rules import load_all\n", encoding="utf-8")  # a command may
    ranks = {"catalog": 0, "loader": 1, "rules": 2, "engine": 2, "validate": 3}
    assert upward_imports(package, ranks) == [
        "catalog.py -> ticreg.rules",
        "catalog.py -> ticreg.rules.load_all",
        "engine.py -> ticreg.validate",
    ]


def test_a_module_missing_from_the_table_is_noticed() -> None:
    table = layers(architecture_section())
    without_loader = [(name, [e for e in entries if e != "loader"]) for name, entries in table]
    assert set(layer_of_each_module(without_loader)) != top_level_modules(PACKAGE)


def test_every_path_the_section_names_exists() -> None:
    named = re.findall(r"`((?:scripts|schemas|registry|tests|mkdocs)[^`\s]*)`", architecture_section())
    assert len(named) >= 10
    missing = [path for path in named if "*" not in path and not (REPO / path).exists()]
    globbed = [path for path in named if "*" in path and not list(REPO.glob(path))]
    assert missing == [] and globbed == []


def test_the_worked_rule_example_is_the_real_rule() -> None:
    section = architecture_section()
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    source = (PACKAGE / "rules" / "eligibility.py").read_text(encoding="utf-8")
    lines = [line.strip() for line in example.splitlines() if line.strip()]
    assert len(lines) >= 6
    assert [line for line in lines if line not in source] == []
