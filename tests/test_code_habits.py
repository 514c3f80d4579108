"""The habits pyproject.toml's ruff section enforces: a complexity ceiling (C901)
and type annotations (ANN) on every module not listed as written before the rule.

Each check runs the real ruff with the repository's configuration on a small
module given on standard input under a chosen path, so the per-file-ignores
apply exactly as they do to a real file at that path.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO

PYPROJECT = REPO / "pyproject.toml"

# Modules the annotation rule must cover whatever the list says: the core
# every command builds on, and the modules split up to meet the ceiling.
ANNOTATED = (
    "scripts/ticreg/engine.py",
    "scripts/ticreg/catalog.py",
    "scripts/ticreg/errors.py",
    "scripts/ticreg/today.py",
    "scripts/ticreg/yaml_writer.py",
    "scripts/ticreg/safe_files.py",
    "scripts/ticreg/findings.py",
    "scripts/ticreg/loader.py",
    "scripts/ticreg/schema_check.py",
)


def _lint(source: str, as_path: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """ruff check with the repository's configuration on `source`, as if it were the file `as_path`."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(PYPROJECT), "--no-cache",
         "--output-format", "concise", *extra, "--stdin-filename", str(REPO / as_path), "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def _lint_config() -> dict:
    with PYPROJECT.open("rb") as handle:
        return tomllib.load(handle)["tool"]["ruff"]["lint"]


def _branching(decisions: int) -> str:
    """A fully annotated function whose McCabe complexity is decisions + 1."""
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(decisions))
    return f"def branching(x: int) -> int:\n{body}    return -1\n"


CEILING = _lint_config()["mccabe"]["max-complexity"]


def test_the_ceiling_is_fifteen() -> None:
    assert CEILING == 15


def test_a_function_at_the_ceiling_passes() -> None:
    completed = _lint(_branching(CEILING - 1), "scripts/ticreg/brand_new_module.py")
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("where", ["scripts/ticreg/brand_new_module.py", "tests/test_brand_new.py",
                                   "benchmarks/bench_brand_new.py", "scripts/ticreg/loader.py"])
def test_a_function_above_the_ceiling_fails_everywhere(where: str) -> None:
    completed = _lint(_branching(CEILING), where)
    assert completed.returncode == 1
    assert f"C901 `branching` is too complex ({CEILING + 1} > {CEILING})" in completed.stdout


UNANNOTATED = "def helper(value):\n    return value\n\n\ndef _private(value):\n    return value\n"
ANNOTATED_SOURCE = "def helper(value: int) -> int:\n    return value\n\n\ndef _private(value: int) -> int:\n    return value\n"


@pytest.mark.parametrize("where", ["scripts/ticreg/brand_new_module.py", "scripts/ticreg/rules/brand_new.py",
                                   "schemas/ticreg_schemas/brand_new.py", "tests/test_brand_new.py",
                                   "benchmarks/bench_brand_new.py", *ANNOTATED])
def test_a_new_or_annotated_module_must_annotate(where: str) -> None:
    completed = _lint(UNANNOTATED, where)
    assert completed.returncode == 1
    for code in ("ANN001", "ANN201", "ANN202"):
        assert code in completed.stdout, completed.stdout


def test_annotated_code_passes_in_a_new_module() -> None:
    completed = _lint(ANNOTATED_SOURCE, "scripts/ticreg/brand_new_module.py")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_a_listed_module_is_exempt_from_annotations_only() -> None:
    listed = _ann_exemptions(_lint_config())[0]
    assert _lint(UNANNOTATED, listed).returncode == 0
    complex_and_unannotated = _branching(CEILING).replace("(x: int) -> int", "(x)")
    completed = _lint(complex_and_unannotated, listed)
    assert completed.returncode == 1 and "C901" in completed.stdout and "ANN" not in completed.stdout


# ---------------------------------------------------------------------------
# The list of modules written before the annotation rule
# ---------------------------------------------------------------------------


def _ann_exemptions(lint: dict) -> list[str]:
    return [path for path, codes in lint.get("per-file-ignores", {}).items() if any(c.startswith("ANN") for c in codes)]


def stale_exemptions(lint: dict, root: Path) -> list[str]:
    """Entries that do not name one existing file (a pattern would exempt new modules too)."""
    return [path for path in _ann_exemptions(lint)
            if any(c in path for c in "*?[]{}") or not (root / path).is_file()]


def test_every_exemption_names_an_existing_file() -> None:
    assert stale_exemptions(_lint_config(), REPO) == []


def test_a_stale_or_pattern_exemption_is_found() -> None:
    lint = {"per-file-ignores": {"scripts/ticreg/loader.py": ["ANN"], "scripts/ticreg/gone.py": ["ANN"],
                                 "scripts/**/*.py": ["ANN"], "scripts/ticreg/gone_too.py": ["E501"]}}
    assert stale_exemptions(lint, REPO) == ["scripts/ticreg/gone.py", "scripts/**/*.py"]


def test_the_named_modules_are_not_exempt() -> None:
    assert set(ANNOTATED).isdisjoint(_ann_exemptions(_lint_config()))


def test_every_exempt_module_still_needs_it() -> None:
    """The list only shrinks: a module annotated in full leaves it."""
    exempt = _ann_exemptions(_lint_config())
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(PYPROJECT), "--config", "lint.per-file-ignores={}",
         "--no-cache", "--select", "ANN", "--output-format", "concise", *exempt],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    needing = {line.split(":", 1)[0] for line in completed.stdout.splitlines() if ": ANN" in line}
    annotated_in_full = sorted(set(exempt) - needing)
    assert not annotated_in_full, f"fully annotated now, remove from per-file-ignores: {annotated_in_full}"
