"""Shared fixtures: throw-away registries built from the real shipped files."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "registry"
EXEMPLAR_APPLICATION = REGISTRY / "applications" / "zezhou" / "2024-zezhou-001.yml"
EXEMPLAR_CENTER = REGISTRY / "centers" / "coalbed-methane-development.yml"

# Tests judge dates against a fixed "today" (a date in Asia/Shanghai), so
# they give the same answer on every day they run.
TODAY = dt.date(2026, 11, 26)


class MiniRegistry:
    """A registry in a temporary directory: the real policy and departments,
    plus the exemplar application and center; tests change what they need."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "registry"
        (self.root / "applications" / "zezhou").mkdir(parents=True)
        (self.root / "centers").mkdir()
        shutil.copy(REGISTRY / "policy.yml", self.root / "policy.yml")
        shutil.copy(REGISTRY / "departments.yml", self.root / "departments.yml")
        shutil.copytree(REGISTRY / "calendar", self.root / "calendar", ignore=shutil.ignore_patterns("*.md"))
        self.application = self.root / "applications" / "zezhou" / "2024-zezhou-001.yml"
        self.center = self.root / "centers" / "coalbed-methane-development.yml"
        shutil.copy(EXEMPLAR_APPLICATION, self.application)
        shutil.copy(EXEMPLAR_CENTER, self.center)

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    @staticmethod
    def read_data(path: Path) -> dict:
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    @staticmethod
    def write_data(path: Path, data: dict) -> None:
        """Dump data as YAML (for tests that edit a record as a dict)."""
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def edit(self, path: Path, change) -> None:
        """Load a YAML file as a dict, let `change` edit it in place, write it back."""
        data = self.read_data(path)
        change(data)
        self.write_data(path, data)

    def validate(self, *args: str) -> "CliResult":
        """Run the real command line in a subprocess (slower: use for CLI behaviour)."""
        return run_cli("validate", "--format", "json", "--today", TODAY.isoformat(), *args, cwd=self.base)

    def check(self) -> list:
        """Validate in-process (fast: use for rule behaviour); returns Finding objects."""
        from ticreg.validate import validate_registry

        return validate_registry(self.root, self.base, today=TODAY).findings

    def rules(self) -> list[str]:
        return [f.rule for f in self.check()]


class CliResult:
    def __init__(self, completed: subprocess.CompletedProcess):
        self.code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    @property
    def findings(self) -> list[dict]:
        return json.loads(self.stdout)["findings"]

    @property
    def rules(self) -> list[str]:
        return [f["rule"] for f in self.findings]


# The commands that judge by a date, and the option that gives it. A test
# passes the date explicitly, so it gives the same answer on any day it runs;
# only a test of the default itself says ``clock=True``.
DATED_COMMANDS = {
    "validate": "--today", "build": "--today", "serve": "--today", "record": "--today",
    "new-application": "--today", "intake": "--today", "deadlines": "--as-of", "tracking-issue": "--as-of",
}


def run_cli(*args: str, cwd: Path, env: dict | None = None, clock: bool = False) -> CliResult:
    option = DATED_COMMANDS.get(args[0]) if args else None
    if option is not None and not clock and "--help" not in args:
        assert option in args, f"ticreg {args[0]} in a test must be given {option} (it would read the real clock)"
    completed = subprocess.run(
        [sys.executable, "-m", "ticreg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return CliResult(completed)


@pytest.fixture(autouse=True)
def no_clock_in_process(monkeypatch):
    """A command run in-process that would read the real clock fails the test instead."""
    import ticreg.commands._common as common

    def clock_read():
        raise AssertionError("a command read the real clock: pass --today (or --as-of) in the test")

    monkeypatch.setattr(common, "shanghai_today", clock_read)


@pytest.fixture
def mini(tmp_path: Path) -> MiniRegistry:
    return MiniRegistry(tmp_path)


# --- the public website -------------------------------------------------------

# What a repository needs for `ticreg build`: copied into a temporary
# directory, so the tests never write build/ or site/ into the checkout.
SITE_INPUTS = ("registry", "docs", "overrides", "templates", "schemas", "mkdocs.yml")


def copy_site_inputs(target: Path) -> Path:
    for name in SITE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, target / name)
    return target


def build_site_in(repo: Path, *extra: str) -> CliResult:
    """Run the real `ticreg build` in ``repo`` (its cwd), with the tests' fixed today."""
    return run_cli("build", "--today", TODAY.isoformat(), *extra, cwd=repo)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The shipped sample registry, built once per test session; returns the repo copy
    (its site/ holds the HTML, build/docs the generated sources)."""
    repo = copy_site_inputs(tmp_path_factory.mktemp("sample-site"))
    result = build_site_in(repo)
    assert result.code == 0, result.stdout + result.stderr
    return repo


@pytest.fixture(scope="session")
def chromium_browser():
    """One Debian chromium for every browser test of the session: Playwright's
    sync API allows one running instance per process, so test files share it."""
    from browser.harness import launch_chromium, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = launch_chromium(playwright)
    yield browser
    browser.close()
    playwright.stop()
