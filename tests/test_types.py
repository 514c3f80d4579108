"""The package type-checks with mypy (configuration in pyproject.toml), strictly where it says.

The controls run the same configuration on small probe modules laid out like
the package, so a check that could not fail (mypy not reading the
configuration, the strict modules not strict) fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import get_args

from conftest import REPO
from ticreg_schemas.application import APPLICATION_MODELS, Application

CONFIG = REPO / "pyproject.toml"


def _mypy(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *args],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )


def test_the_package_type_checks(tmp_path: Path) -> None:
    completed = _mypy(cwd=REPO, cache=tmp_path / "cache")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert re.search(r"Success: no issues found in \d+ source files", completed.stdout), completed.stdout


def _probe_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the configuration next to a ``scripts/ticreg`` holding only ``files``."""
    root = tmp_path / "probe"
    package = root / "scripts" / "ticreg"
    (package / "rules").mkdir(parents=True)
    shutil.copy(CONFIG, root / "pyproject.toml")
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules" / "__init__.py").write_text("", encoding="utf-8")
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    return root


# A check as a rule module would write it, without annotations.
_UNTYPED_CHECK = "def check(model, ctx):\n    yield from ()\n"


def test_a_type_error_fails_the_check(tmp_path: Path) -> None:
    root = _probe_tree(tmp_path, {"probe.py": 'count: int = "three"\n'})
    completed = _mypy("scripts/ticreg/probe.py", cwd=root, cache=tmp_path / "cache")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "probe.py:1: error" in completed.stdout and "[assignment]" in completed.stdout, completed.stdout


def test_rules_are_strict_and_other_modules_are_not(tmp_path: Path) -> None:
    root = _probe_tree(tmp_path, {"rules/probe.py": _UNTYPED_CHECK, "loose.py": _UNTYPED_CHECK})
    strict = _mypy("scripts/ticreg/rules/probe.py", cwd=root, cache=tmp_path / "cache")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "[no-untyped-def]" in strict.stdout, strict.stdout
    loose = _mypy("scripts/ticreg/loose.py", cwd=root, cache=tmp_path / "cache")
    assert loose.returncode == 0, loose.stdout + loose.stderr


def _strict_flags() -> set[str]:
    """The options ``mypy --strict`` turns on, as configuration names (from mypy's own help)."""
    help_text = subprocess.run(
        [sys.executable, "-m", "mypy", "--help"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    listed = re.search(r"--strict\s+Strict mode; enables the following flags:(.*?)(?:\n  -|\n\n)", help_text, re.S)
    assert listed, "mypy --help no longer lists what --strict enables"
    flags = re.findall(r"--[a-z-]+", re.sub(r"-\s*\n\s*", "-", listed.group(1)))
    assert flags, listed.group(1)
    return {flag.removeprefix("--").replace("-", "_") for flag in flags}


def test_the_strict_modules_get_every_flag_of_strict() -> None:
    # Spelled out in pyproject.toml, because `strict = true` in an override
    # applies to every module; a flag a newer mypy adds to --strict must be
    # added there too.
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["mypy"]
    strict_override = next(o for o in config["overrides"] if "ticreg.rules.*" in o["module"])
    assert {"ticreg.engine", "ticreg.rules", "ticreg.process"} <= set(strict_override["module"])
    enabled = {name for name, value in {**config, **strict_override}.items() if value is True}
    if strict_override.get("implicit_reexport") is False:
        enabled.add("no_implicit_reexport")
    assert _strict_flags() - enabled == set()


def test_the_application_type_is_every_application_model() -> None:
    # schema_export builds the application schema from the Application union.
    assert set(get_args(Application)) == set(APPLICATION_MODELS.values())
