""""Today" is read once, at the command line, and every command that needs it takes ``--today``.

The suite passes a date everywhere (conftest's ``run_cli`` refuses a dated
command without one, and an in-process command that reads the clock fails), so
it gives the same answer on any day. These tests run the commands with dates
far from the present, both ways, and check that no module reads the clock
for a calendar date except ``ticreg/today.py``.
"""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REGISTRY, REPO, run_cli
from intake_bodies import body, exemplar_values

from ticreg.cli import build_parser

FUTURE = "2031-06-30"  # a Monday, years after the shipped calendar ends
# Before the tests' TODAY, after every date the template and the exemplar record (D303).
PAST = "2025-06-30"


def _history(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["history"]


@pytest.mark.parametrize("today", [FUTURE, PAST])
def test_new_application_then_record_follow_the_given_today(mini, today):
    year = today[:4]
    application_id = f"{year}-zezhou-002"
    created = run_cli("new-application", "--today", today, "--department", "zezhou", "--id", application_id,
                      cwd=mini.base)
    assert created.code == 0, created.stderr
    assert f"今天（{today}）" in created.stdout
    path = mini.root / "applications" / "zezhou" / f"{application_id}.yml"
    assert [(str(e["date"]), e["event"]) for e in _history(path)] == [(today, "submitted")]

    # The department approves on "today" (the default date) ...
    approved = run_cli("record", "--today", today, "department-approved", application_id, cwd=mini.base)
    assert approved.code == 0, approved.stderr
    assert [(str(e["date"]), e["event"]) for e in _history(path)][-1] == (today, "department-approved")
    # ... and the file validates on that day.
    check = run_cli("validate", "--format", "json", "--today", today, f"registry/applications/zezhou/{application_id}.yml",
                    cwd=mini.base)
    assert check.code == 0, check.stdout


def test_record_refuses_a_date_after_the_given_today(mini):
    before = mini.center.read_bytes()
    refused = run_cli("record", "--today", "2026-11-19", "evaluated", "coalbed-methane-development",
                      "--date", "2026-11-20", "--outcome", "retain", "--evaluator", "山西恒信科技评估咨询有限公司",
                      cwd=mini.base)
    assert refused.code == 1
    assert "F803" in refused.stderr
    assert mini.center.read_bytes() == before
    # The same event is fine a day later.
    accepted = run_cli("record", "--today", "2026-11-20", "evaluated", "coalbed-methane-development",
                       "--date", "2026-11-20", "--outcome", "retain", "--evaluator", "山西恒信科技评估咨询有限公司",
                       cwd=mini.base)
    assert accepted.code == 0, accepted.stderr


@pytest.mark.parametrize("today", [FUTURE, PAST])
def test_intake_dates_the_submission_and_numbers_it_by_the_given_today(mini, today):
    shutil.copy(REGISTRY / "staff.yml", mini.root / "staff.yml")
    env = {**os.environ, "ISSUE_BODY": body(exemplar_values())}
    result = run_cli("intake", "--today", today, "--issue-number", "12", cwd=mini.base, env=env)
    assert result.code == 0, result.stderr
    shown = f"registry/applications/zezhou/{today[:4]}-zezhou-001.yml"
    assert result.stdout == f"{shown}\n"
    assert [(str(e["date"]), e["event"]) for e in _history(mini.base / shown)] == [(today, "submitted")]


@pytest.mark.parametrize("command,option", [
    ("validate", "--today"), ("build", "--today"), ("serve", "--today"), ("record", "--today"),
    ("new-application", "--today"), ("intake", "--today"), ("deadlines", "--as-of"), ("tracking-issue", "--as-of"),
])
def test_every_dated_command_takes_the_date_option(command, option):
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    options = {o for action in subparsers.choices[command]._actions for o in action.option_strings}
    assert option in options


def test_an_invalid_today_is_a_usage_error_naming_the_option(mini):
    for args in (("record", "--today", "2031-02-29", "withdrawn", "2024-zezhou-001"),
                 ("new-application", "--today", "tomorrow", "--department", "zezhou", "--id", "2026-zezhou-002")):
        result = run_cli(*args, cwd=mini.base)
        assert result.code == 2
        assert "--today" in result.stderr and "YYYY-MM-DD" in result.stderr


# --- nobody else reads the clock --------------------------------------------------

# Calls that read the clock for a date or a time of day.
_CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
                ("time", "time"), ("time", "localtime"), ("time", "gmtime"), ("date", "fromtimestamp"),
                ("datetime", "fromtimestamp")}
ALLOWED = {Path("scripts/ticreg/today.py")}


def _clock_calls(path: Path, base: Path = REPO) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (owner_name, node.func.attr) in _CLOCK_CALLS:
                found.append(f"{path.relative_to(base)}:{node.lineno}: {owner_name}.{node.func.attr}()")
    return found


def test_only_today_py_reads_the_clock():
    sources = sorted((REPO / "scripts").rglob("*.py")) + sorted((REPO / "schemas").rglob("*.py"))
    assert len(sources) > 50
    offenders = [hit for path in sources if path.relative_to(REPO) not in ALLOWED for hit in _clock_calls(path)]
    assert offenders == []
    assert _clock_calls(REPO / "scripts/ticreg/today.py"), "today.py is where the clock is read"


def test_the_clock_check_can_fail(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("import datetime as dt\nimport time\n\nTODAY = dt.date.today()\nNOW = time.time()\n",
                      encoding="utf-8")
    assert _clock_calls(sneaky, tmp_path) == ["sneaky.py:4: date.today()", "sneaky.py:5: time.time()"]


def test_only_the_command_helpers_ask_today_py_for_the_date():
    users = sorted(
        str(path.relative_to(REPO)) for path in (REPO / "scripts").rglob("*.py")
        if "shanghai_today" in path.read_text(encoding="utf-8")
    )
    # _common.today_from for every --today/--as-of; serve takes the function itself, to ask at each rebuild.
    assert users == ["scripts/ticreg/commands/_common.py", "scripts/ticreg/commands/serve.py",
                     "scripts/ticreg/today.py"]
