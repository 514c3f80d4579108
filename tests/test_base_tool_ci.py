"""validate.yml judges a pull request with the tool of its base commit, end to end.

Each test is one pull request in a real git repository ("origin", standing in
for GitHub) whose base commit holds this whole project: tool, registry and
workflows. The job is validate.yml's own, run by tests/workflow_runner.py:
its `run:` scripts execute with bash as on a runner, and actions/checkout is
done for real (``Checkout``: the commit named by ``ref:``, or GITHUB_SHA, into
the folder named by ``path:``). GITHUB_SHA of a `pull_request` event is the
merge of the pull request into its base, made here with git as GitHub makes it.
The install step is not skipped: it really installs the base commit's tool
into a virtual environment in RUNNER_TEMP (about 15 s a run), and that tool
is what judges. Each attack is refused by name; the attacks that change the
tool are also shown to work with the pull request's own tool, so that the
refusal is the base tool's doing and not an attack that does nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, run_cli
from workflow_runner import REPO, Checkout, JobResult, copy_project, git_in, merge_ref, run_job

PR = 11
APPLICANT = "competitor-applicant"  # not in staff.yml: an applicant
WORKFLOW = ".github/workflows/validate.yml"
PR_FOLDER = "pull-request"
BASE_FOLDER = "ticreg-base"
NEW_APPLICATION = "registry/applications/zezhou/2026-zezhou-077.yml"
CENTER = "registry/centers/advanced-manufacturing.yml"


def git(repo: Path, *args: str) -> str:
    return git_in(repo, "-c", "user.name=测试", "-c", "user.email=test@example.invalid", *args)


@dataclass
class Run:
    job: JobResult
    workspace: Path
    runner_temp: Path
    checkout: Checkout
    merge: str

    @property
    def check(self):
        return next(step for step in self.job.steps if step.name == "校验")

    @property
    def report(self) -> str:
        return (self.runner_temp / "ticreg-report" / "report.md").read_text(encoding="utf-8")


@dataclass
class Origin:
    """The repository on "GitHub": main at the base commit, the pull request on branch `pr`."""

    tmp: Path
    repo: Path
    base: str

    def write(self, path: str, text: str) -> None:
        target = self.repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def replace(self, path: str, old: str, new: str) -> None:
        text = (self.repo / path).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{path}: {old!r}"
        (self.repo / path).write_text(text.replace(old, new), encoding="utf-8")

    def push(self, message: str) -> str:
        """Commit the pull request's branch; GitHub's merge ref then points at its merge into main."""
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "-m", message)
        merge = merge_ref(self.repo, PR, self.base)
        return merge

    def validate(self, name: str, *, author: str = APPLICANT, workflow_from: str = "merge") -> Run:
        """validate.yml on the `pull_request` event. GitHub runs the workflow file of the event's
        commit, the merge (``workflow_from="merge"``); ``"base"`` runs main's copy instead, as a
        ruleset that requires this workflow from main does (staff handbook)."""
        merge = git(self.repo, "rev-parse", f"refs/pull/{PR}/merge")
        source = merge if workflow_from == "merge" else self.base
        workflow = yaml.safe_load(git(self.repo, "show", f"{source}:{WORKFLOW}"))
        workflow["on"] = workflow.pop(True)
        workspace, runner_temp = self.tmp / f"workspace-{name}", self.tmp / f"runner-{name}"
        workspace.mkdir()
        context = {
            "github": {"sha": merge, "event": {"number": PR, "pull_request": {
                "number": PR, "base": {"sha": self.base}, "user": {"login": author}}}},
            "runner": {"temp": str(runner_temp)},
        }
        checkout = Checkout(self.repo, workspace, default_sha=merge)

        def setup_python(step, inputs):
            assert inputs == {"python-version": "3.11"}

        def upload(step, inputs):
            assert inputs["name"] == "ticreg-report" and step["if"] == "always()"
            assert Path(inputs["path"], "report.md").is_file()

        job = run_job(workflow, "validate", context=context, workspace=workspace, runner_temp=runner_temp,
                      uses={"actions/checkout": checkout, "actions/setup-python": setup_python,
                            "actions/upload-artifact": upload})
        return Run(job, workspace, runner_temp, checkout, merge)


@pytest.fixture
def origin(tmp_path: Path) -> Origin:
    repo = tmp_path / "origin"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    copy_project(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "基准")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "pr")
    return Origin(tmp_path, repo, base)


def add_application(o: Origin) -> None:
    created = run_cli("new-application", "--today", TODAY.isoformat(), "--department", "zezhou",
                      "--id", "2026-zezhou-077", "--login", APPLICANT, cwd=o.repo)
    assert created.code == 0, created.stderr


def hijack_website(o: Origin) -> None:
    o.replace(CENTER, "website: https://example.com/tic/advanced-manufacturing", "website: https://example.net/competitor")


def refused(run: Run, *expected: tuple[str, str]) -> None:
    """The job failed at the check, and the report and annotations name each (path, rule)."""
    assert run.job.conclusion == "failure", run.job.output()
    assert run.check.returncode == 1, run.job.output()
    assert "❌ 未通过" in run.report
    for path, rule in expected:
        assert re.search(rf"::error file={re.escape(path)},line=\d+,col=\d+,title={rule}\b", run.check.stdout), \
            (path, rule, run.check.stdout)
        assert rule in run.report and path in run.report


def with_own_tool(o: Origin, *args: str) -> subprocess.CompletedProcess:
    """The pull request's own tool, straight from its source, in its checkout: what the old
    workflow (``pip install .`` of the pull request) ran. Only to show an attack is real."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(o.repo / "scripts"), str(o.repo / "schemas")])}
    return subprocess.run([sys.executable, "-m", "ticreg", *args], cwd=o.repo, env=env,
                          capture_output=True, text=True, check=False)


# --- the good case -------------------------------------------------------------------------


def test_a_legitimate_application_is_judged_green_by_the_base_commits_tool(origin: Origin):
    o = origin
    add_application(o)
    merge = o.push("申报 2026-zezhou-077")
    run = o.validate("good")
    assert run.job.conclusion == "success", run.job.output()
    assert run.report.count("✅ 通过") == 2 and "本次拉取请求的变更" in run.report
    # Two checkouts, each the commit GitHub would give: the merge, and the base.
    assert run.checkout.done == [(PR_FOLDER, merge), (BASE_FOLDER, o.base)]
    # The judge is the base commit's tool, installed (not linked) into its own environment.
    venv_python = run.runner_temp / "ticreg-base" / "bin" / "python"
    where = subprocess.run([str(venv_python), "-I", "-c", "import ticreg, ticreg_schemas; "
                            "print(ticreg.__file__); print(ticreg_schemas.__file__)"],
                           capture_output=True, text=True, check=True).stdout.split()
    site_packages = (run.runner_temp / "ticreg-base" / "lib").resolve()
    assert all(site_packages in Path(p).resolve().parents for p in where), where
    # Nothing was written into the pull request's checkout (no __pycache__, no build/, no egg-info).
    assert git(run.workspace / PR_FOLDER, "status", "--porcelain", "--ignored") == ""


# --- (a) a pull request that disables a rule in the tool, and uses it ----------------------


def test_a_pull_request_that_disables_g910_in_the_tool_is_still_refused(origin: Origin):
    o = origin
    # Make G910 (who may change which file) yield nothing ...
    o.replace("scripts/ticreg/rules/changes/paths.py",
              "    actor = ctx.actor\n    if actor is None:\n        return\n    needed = required_role(",
              "    actor = ctx.actor\n    if actor is None or True:\n        return\n    needed = required_role(")
    # ... and use it: an applicant points a certified center's website at its own, in a file only
    # the Bureau may change (a change `ticreg validate` alone has no reason to refuse).
    hijack_website(o)
    o.push("改名")
    # With its own tool G910 says nothing: the sabotage works ...
    own = with_own_tool(o, "check-changes", "--base", o.base, "--actor", APPLICANT, "--format", "text")
    assert own.returncode in (0, 1) and "G910" not in own.stdout, own.stdout + own.stderr
    # ... but the base commit's tool judges it.
    run = o.validate("disable-rule")
    refused(run, ("scripts/ticreg/rules/changes/paths.py", "G910"), (CENTER, "G910"))


def test_a_pull_request_that_makes_every_actor_an_admin_is_still_refused(origin: Origin):
    o = origin
    o.replace("scripts/ticreg/rules/changes/paths.py",
              "def required_role(path: str, kind: str | None, table: tuple[tuple[str, str], ...]) -> str:\n",
              "def required_role(path: str, kind: str | None, table: tuple[tuple[str, str], ...]) -> str:\n"
              "    return \"applicant\"\n")
    hijack_website(o)
    o.push("人人都可以改")
    own = with_own_tool(o, "check-changes", "--base", o.base, "--actor", APPLICANT, "--format", "text")
    assert own.returncode in (0, 1) and "G910" not in own.stdout, own.stdout + own.stderr
    refused(o.validate("every-admin"), ("scripts/ticreg/rules/changes/paths.py", "G910"), (CENTER, "G910"))


# --- (b) a pull request whose installation would run its code -------------------------------


MARKER_CODE = "import pathlib; pathlib.Path({path!r}).write_text('ran')\n"


def test_a_pull_request_with_a_setup_py_or_build_backend_never_runs(origin: Origin, tmp_path: Path):
    o = origin
    pwned = tmp_path / "pwned"
    pwned.mkdir()
    markers = {name: str(pwned / name) for name in
               ("setup.py", "backend", "ticreg-shadow", "sitecustomize", "usercustomize", "pth")}
    o.write("setup.py", MARKER_CODE.format(path=markers["setup.py"]) + "from setuptools import setup\nsetup()\n")
    # pyproject.toml: an in-tree build backend, run by any `pip install .` of the pull request.
    o.replace("pyproject.toml", 'requires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"',
              'requires = []\nbuild-backend = "hostile_backend"\nbackend-path = ["."]')
    o.write("hostile_backend.py", MARKER_CODE.format(path=markers["backend"]) + "from setuptools.build_meta import *\n")
    # Files a Python started in the checkout might import: a ticreg package shadowing the tool
    # (`python -m ticreg` puts the current folder first on sys.path), site hooks, a .pth.
    o.write("ticreg/__init__.py", MARKER_CODE.format(path=markers["ticreg-shadow"]))
    o.write("ticreg/__main__.py", "")
    o.write("sitecustomize.py", MARKER_CODE.format(path=markers["sitecustomize"]))
    o.write("usercustomize.py", MARKER_CODE.format(path=markers["usercustomize"]))
    o.write("hostile.pth", "import pathlib; pathlib.Path(" + repr(markers["pth"]) + ").write_text('ran')\n")
    o.push("安装时运行")

    run = o.validate("install-hooks")
    refused(run, ("setup.py", "G910"), ("pyproject.toml", "G910"), ("hostile_backend.py", "G910"))
    assert sorted(p.name for p in pwned.iterdir()) == [], "code of the pull request ran"

    # The traps are real: started the way the old workflow started Python, they do run.
    shadow = subprocess.run([sys.executable, "-m", "ticreg", "--help"], cwd=run.workspace / PR_FOLDER,
                            capture_output=True, text=True, check=False)
    assert Path(markers["ticreg-shadow"]).exists(), shadow.stderr
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(tmp_path / "wheel"), "."],
                           cwd=run.workspace / PR_FOLDER, capture_output=True, text=True, check=False)
    assert Path(markers["backend"]).exists(), built.stderr


# --- (c) a pull request that lowers a threshold ---------------------------------------------


def test_a_pull_request_that_lowers_a_threshold_for_its_own_application_is_refused(origin: Origin):
    o = origin
    add_application(o)
    # 2,000,000 yuan of R&D equipment is below the 3,000,000 of Art. 8 ...
    o.replace(NEW_APPLICATION, "rd_equipment_value_yuan: 3500000", "rd_equipment_value_yuan: 2000000")
    # ... so the applicant lowers the threshold in the same pull request.
    o.replace("registry/policy.yml", "min_rd_equipment_value_yuan: 3000000", "min_rd_equipment_value_yuan: 1000000")
    o.push("降低门槛")
    run = o.validate("threshold")
    refused(run, ("registry/policy.yml", "G910"))


# --- (d) a pull request that edits the workflow itself --------------------------------------


def test_a_pull_request_that_edits_the_workflow_is_refused(origin: Origin):
    """On `pull_request` GitHub runs the pull request's own copy of validate.yml, so a pull
    request that rewrites it decides what its check does; no step of the workflow can prevent
    that. Two things outside its reach stop it, as the staff handbook sets them up: CODEOWNERS
    sends every change under .github/ to the admins, whose approval the branch ruleset requires;
    and a ruleset that requires this workflow from main runs main's copy, which refuses it."""
    o = origin
    o.replace(WORKFLOW, '-m pip install --quiet ./ticreg-base', '-m pip install --quiet ./pull-request')
    hijack_website(o)
    o.push("改工作流")
    run = o.validate("workflow", workflow_from="base")
    refused(run, (WORKFLOW, "G910"), (CENTER, "G910"))
    # The review: the last CODEOWNERS line that matches decides, and for the workflow that is the admins'.
    owners = [line.split() for line in (o.repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    staff = yaml.safe_load((o.repo / "registry" / "staff.yml").read_text(encoding="utf-8"))
    deciding = [owners_ for pattern, *owners_ in owners if pattern in ("*", "/.github/")][-1]
    assert deciding == staff["admin_owners"], deciding


def test_the_workflow_never_installs_or_imports_the_pull_request():
    """The shape the tests above rely on, stated once: the only install is of the base checkout,
    and every ticreg runs isolated from the base's environment."""
    workflow = yaml.safe_load((REPO / WORKFLOW).read_text(encoding="utf-8"))
    steps = workflow["jobs"]["validate"]["steps"]
    checkouts = [s["with"] for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts == [
        {"path": PR_FOLDER, "fetch-depth": 0, "persist-credentials": False},
        {"ref": "${{ github.event.pull_request.base.sha }}", "path": BASE_FOLDER, "persist-credentials": False},
    ]
    scripts = [s["run"] for s in steps if "run" in s]
    installs = [line.strip() for script in scripts for line in script.splitlines() if "pip install" in line]
    assert installs == [f'"$RUNNER_TEMP/ticreg-base/bin/python" -I -m pip install --quiet ./{BASE_FOLDER}']
    check = next(s for s in steps if s.get("name") == "校验")
    assert check["working-directory"] == PR_FOLDER
    assert 'ticreg() { "$RUNNER_TEMP/ticreg-base/bin/python" -I -m ticreg "$@"; }' in check["run"]


# --- what runs later, on main: the files `pip install .` executes or packs ---------------------


INSTALL_TIME_FILES = {
    "setup.py": "from setuptools import setup\nsetup()\n",
    "setup.cfg": "[options.data_files]\nlib/python3.11/site-packages = docs/hostile.pth\n",
    "MANIFEST.in": "graft docs\n",
    "build/lib/hostile.pth": "import os\n",
}


@pytest.mark.parametrize("path", sorted(INSTALL_TIME_FILES))
def test_only_an_admin_may_add_what_installing_the_tool_runs(origin: Origin, path: str):
    """The base tool never installs the pull request, but deploy.yml, daily.yml, intake.yml and
    comment.yml install the tool from main, some in a job whose later steps hold a write token:
    setup.py runs there, setup.cfg and MANIFEST.in choose the installed files, and a .pth left in
    build/lib/ is packed into the wheel and runs in every later Python. The Bureau, which may edit
    other files outside the protected paths, may not add these; an admin may."""
    o = origin
    o.write(path, INSTALL_TIME_FILES[path])
    git(o.repo, "add", "--force", path)  # build/ is in .gitignore, which does not stop a commit
    o.push(f"新增 {path}")
    for actor in ("jcst-bureau-li", APPLICANT):
        result = run_cli("check-changes", "--base", o.base, "--actor", actor, "--format", "json", cwd=o.repo)
        assert result.code == 1, result.stdout + result.stderr
        assert [(f["path"], f["rule"]) for f in result.findings] == [(path, "G910")]
        assert "系统管理员" in result.findings[0]["message"]
    admin = run_cli("check-changes", "--base", o.base, "--actor", "jcst-admin", "--format", "json", cwd=o.repo)
    assert admin.code == 0 and admin.findings == [], admin.stdout + admin.stderr
    # And the review: CODEOWNERS, generated from the same table, sends the file to the admins.
    assert run_cli("codeowners", "--check", cwd=REPO).code == 0
    staff = yaml.safe_load((REPO / "registry" / "staff.yml").read_text(encoding="utf-8"))
    owners = [line.split() for line in (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    top = path.split("/")[0] + ("/" if "/" in path else "")
    assert [o_ for pattern, *o_ in owners if pattern == f"/{top}"] == [staff["admin_owners"]]
