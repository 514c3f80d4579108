"""A fast start: `ticreg --help` and each command import only what they use.

Every check runs the real command line in a fresh interpreter and looks at
which modules it imported (``sys.modules`` after ``ticreg.cli.main``, or
``python -X importtime``), never at a clock: the CPU figures are in
benchmarks/startup.py. The control tests show the probe does see a heavy
import when a command really makes one, so the "not imported" checks can fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REGISTRY, REPO, TODAY

from ticreg.commands import COMMANDS

# What a command pays for only when it uses it: the YAML libraries, the
# registry's models, the HTTP stack, the website and its template engine.
HEAVY = (
    "ruamel",
    "yaml",
    "pydantic",
    "pydantic_core",
    "ticreg_schemas.application",
    "ticreg_schemas.policy",
    "http.client",
    "ticreg.site",
    "ticreg.loader",
    "jinja2",
    "mkdocs",
)

# Runs ticreg's real entry point in-process, then writes the names of every
# imported module to the file named by the first argument.
PROBE = """
import json, sys
out, argv = sys.argv[1], sys.argv[2:]
from ticreg.cli import main
try:
    code = main(argv)
except SystemExit as stop:  # --help
    code = stop.code
with open(out, "w", encoding="utf-8") as modules:
    json.dump(sorted(sys.modules), modules)
sys.exit(code)
"""


class Probe:
    def __init__(self, completed: subprocess.CompletedProcess, modules: list[str]):
        self.code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.modules = set(modules)

    def imported(self, name: str) -> bool:
        """``name`` or any module inside it was imported."""
        return any(module == name or module.startswith(name + ".") for module in self.modules)

    def heavy(self, *names: str) -> list[str]:
        return [name for name in (names or HEAVY) if self.imported(name)]


def probe(tmp_path: Path, *args: str, env: dict | None = None, cwd: Path = REPO) -> Probe:
    out = tmp_path / "modules.json"
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=120,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return Probe(completed, json.loads(out.read_text(encoding="utf-8")))


def test_help_through_the_real_entry_point_imports_nothing_heavy() -> None:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ticreg", "--help"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "publicity-window" in completed.stdout and "计算公示期" in completed.stdout
    lines = [line for line in completed.stderr.splitlines() if line.startswith("import time:")]
    imported = {line.rsplit("|", 1)[1].strip() for line in lines[1:]}  # the first is the header
    # importlib.import_module (how the command modules load) is not reported, the imports inside them are.
    assert "ticreg.cli" in imported and "ticreg.commands._common" in imported
    heavy = [name for name in HEAVY if any(m == name or m.startswith(name + ".") for m in imported)]
    assert heavy == []


def test_help_lists_every_command_without_loading_their_logic(tmp_path: Path) -> None:
    result = probe(tmp_path, "--help")
    assert result.code == 0
    assert all(result.imported(f"ticreg.commands.{name}") for name in COMMANDS)
    assert result.heavy() == []
    # Nor the commands' logic modules: each is imported by its command's run().
    for logic in ("ticreg.validate", "ticreg.record", "ticreg.new_application", "ticreg.deadlines",
                  "ticreg.changes", "ticreg.codeowners", "ticreg.engine", "ticreg.rules", "ticreg.github.intake"):
        assert not result.imported(logic), logic


@pytest.mark.parametrize("name", COMMANDS)
def test_each_commands_help_imports_nothing_heavy(tmp_path: Path, name: str) -> None:
    result = probe(tmp_path, name.replace("_", "-"), "--help")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("用法：ticreg " + name.replace("_", "-"))
    assert result.heavy() == []


def test_publicity_window_needs_only_the_policy_and_calendar_models(tmp_path: Path) -> None:
    """publicity-window validates policy.yml and the calendar with their models, as
    every command does, so pydantic and those two models load; nothing else heavy."""
    result = probe(tmp_path, "publicity-window", TODAY.isoformat(), "--registry", str(REGISTRY))
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("公示期自 ")
    assert result.heavy("ruamel", "http.client", "ticreg.site", "jinja2", "mkdocs") == []
    assert result.heavy("ticreg_schemas.application", "ticreg.validate", "ticreg.engine", "ticreg.rules") == []
    assert result.imported("ticreg_schemas.policy") and result.imported("ticreg_schemas.calendar")


def test_state_diagram_runs_on_plain_data(tmp_path: Path) -> None:
    result = probe(tmp_path, "state-diagram", "--of", "center")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("stateDiagram")
    assert result.heavy() == []


# Controls: the same probe sees the heavy imports a command really makes.

def test_control_validate_loads_the_models_and_the_yaml_parser(tmp_path: Path) -> None:
    result = probe(tmp_path, "validate", "--today", TODAY.isoformat(), "--registry", str(REGISTRY))
    assert result.code == 0, result.stderr
    assert result.heavy("yaml", "pydantic", "ticreg_schemas.application", "ticreg.loader") == [
        "yaml", "pydantic", "ticreg_schemas.application", "ticreg.loader",
    ]


def test_control_issue_forms_loads_the_site_settings_and_ruamel(tmp_path: Path) -> None:
    result = probe(tmp_path, "issue-forms", "--check")
    assert result.code == 0, result.stderr
    assert result.heavy("ruamel", "ticreg.site") == ["ruamel", "ticreg.site"]


def test_control_a_github_call_loads_http_client_when_it_sends(tmp_path: Path) -> None:
    """Port 9 on this machine refuses the connection: the request is really sent."""
    (tmp_path / "pr").write_text("7", encoding="utf-8")
    (tmp_path / "report.md").write_text("没有问题。", encoding="utf-8")
    env = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_API_URL": "http://127.0.0.1:9"}
    result = probe(
        tmp_path, "pr-comment", "--pr-file", str(tmp_path / "pr"), "--report", str(tmp_path / "report.md"),
        "--repo", "owner/name", env=env,
    )
    assert result.code == 4, result.stderr
    assert "无法连接 GitHub API" in result.stderr
    assert result.heavy("http.client") == ["http.client"]


# The lazy package of models behaves as the eager one did.

def test_schema_models_load_on_first_use(tmp_path: Path) -> None:
    code = (
        "import sys, ticreg_schemas.events;"
        "print('pydantic' in sys.modules, 'ticreg_schemas.application' in sys.modules);"
        "from ticreg_schemas import FILE_MODELS, Policy, APPLICATION_MODELS;"
        "from ticreg_schemas.policy import Policy as Home;"
        "print(Policy is Home, FILE_MODELS['policy'][0] is Home, sorted(FILE_MODELS), len(APPLICATION_MODELS) > 0);"
        "import ticreg_schemas; print(set(ticreg_schemas.__all__) <= set(dir(ticreg_schemas)))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.stdout.splitlines() == [
        "False False",
        "True True ['application', 'calendar', 'center', 'departments', 'policy', 'staff'] True",
        "True",
    ], completed.stderr


def test_an_unknown_schema_name_is_still_an_attribute_error() -> None:
    import ticreg_schemas

    with pytest.raises(AttributeError, match="NoSuchModel"):
        ticreg_schemas.NoSuchModel  # noqa: B018
    with pytest.raises(ImportError):
        exec("from ticreg_schemas import NoSuchModel")
