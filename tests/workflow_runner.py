"""Run a workflow job's shell steps the way GitHub Actions would, on this machine.

The `run:` scripts are taken from the workflow files themselves and executed
with bash exactly as the runner does for ``shell: bash``
(``bash --noprofile --norc -eo pipefail FILE``), with the step's `env:`
(its ``${{ }}`` expressions resolved from a context the test gives) and the
runner's own variables (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP, ...).
Steps run in order; after a failure only steps with ``if: always()`` (or
``failure()``) run, and the job fails.

What cannot run here is stood in for by the test: each ``uses:`` step is
handed to a handler the test supplies for that action (the artifact actions,
...; ``Checkout`` below does what actions/checkout does, from a local
repository), and an install step of the form ``python -I -m pip install .`` is
skipped, because the tool is already installed in this virtual environment
from this source tree. Any other install step runs for real: validate.yml's
installs the base commit's tool into its own virtual environment, and that
installed tool is what judges the pull request in the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
INSTALL_STEP = re.compile(r"python -I -m pip install\b[^\n]*\.\s*")
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load_workflow(path: Path) -> dict:
    """The workflow as data; PyYAML reads the key `on` as True, so it is put back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def lookup(context: dict, dotted: str):
    value = context
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"the test's context has no {dotted!r}")
        value = value[part]
    return value


def substitute(text: str, context: dict) -> str:
    """Resolve each ``${{ a.b.c }}`` from the context; anything else is an error."""

    def one(match: re.Match) -> str:
        expression = match.group(1)
        if not re.fullmatch(r"[A-Za-z_][\w-]*(?:\.[\w-]+)*", expression):
            raise ValueError(f"expression not supported by the test runner: {expression}")
        return str(lookup(context, expression))

    return _EXPRESSION.sub(one, str(text))


def condition(expression: str | None, context: dict, failed: bool) -> bool:
    """An `if:` of the forms these workflows use: status functions, ==, &&, || and parentheses."""
    if expression is None:
        return not failed
    text = _EXPRESSION.sub(lambda m: m.group(1), str(expression)).strip()
    tokens = re.findall(r"\s*(&&|\|\||==|!=|\(\)|[()]|'[^']*'|[A-Za-z_][\w.-]*)", text)
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", text):
        raise ValueError(f"condition not supported by the test runner: {expression}")
    python = []
    for index, token in enumerate(tokens):
        token = token.strip()
        if token in ("&&", "||"):
            python.append(" and " if token == "&&" else " or ")
        elif token in ("==", "!=", "(", ")"):
            python.append(f" {token} ")
        elif token == "()":
            continue
        elif token.startswith("'"):
            python.append(repr(token[1:-1]))
        elif token in ("always", "success", "failure", "cancelled"):
            if index + 1 >= len(tokens) or tokens[index + 1].strip() != "()":
                raise ValueError(f"status function without (): {expression}")
            python.append(repr({"always": True, "success": not failed, "failure": failed, "cancelled": False}[token]))
        else:
            python.append(repr(lookup(context, token)))
    return bool(eval("".join(python), {"__builtins__": {}}, {}))


@dataclass
class StepResult:
    name: str
    kind: str  # "run", "uses", "install" or "skipped"
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""


@dataclass
class JobResult:
    conclusion: str  # "success", "failure" or "skipped" (the job's `if:` was false)
    steps: list[StepResult] = field(default_factory=list)
    summary: str = ""

    def output(self) -> str:
        return "\n".join(f"--- {s.name} [{s.kind} {s.returncode}]\n{s.stdout}{s.stderr}" for s in self.steps)


UsesHandler = Callable[[dict, dict], None]  # (step, its `with:` resolved) -> None; raises to fail


def run_job(
    workflow: dict,
    job_id: str,
    *,
    context: dict,
    workspace: Path,
    runner_temp: Path,
    uses: dict[str, UsesHandler],
    env: dict[str, str] | None = None,
) -> JobResult:
    """Run ``job_id``'s steps in ``workspace``; ``uses`` maps an action (`owner/name`) to its stand-in."""
    job = workflow["jobs"][job_id]
    shell = ((job.get("defaults") or workflow.get("defaults") or {}).get("run") or {}).get("shell")
    assert shell == "bash", f"{job_id}: the test runs steps as `shell: bash`; the workflow says {shell!r}"
    if not condition(job.get("if"), context, failed=False):
        return JobResult("skipped")
    runner_temp.mkdir(parents=True, exist_ok=True)
    summary = runner_temp / "step-summary.md"
    summary.touch()
    base_env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", str(runner_temp)),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "RUNNER_TEMP": str(runner_temp),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(runner_temp / "output"),
        "GITHUB_ENV": str(runner_temp / "env"),
        **(env or {}),
    }
    result = JobResult("success")
    failed = False
    for index, step in enumerate(job["steps"]):
        name = step.get("name", f"step {index}")
        if not condition(step.get("if"), context, failed):
            result.steps.append(StepResult(name, "skipped"))
            continue
        if "uses" in step:
            action = step["uses"].split("@", 1)[0]
            inputs = {
                key: substitute(value, context) if isinstance(value, str) else value
                for key, value in (step.get("with") or {}).items()
            }
            assert action in uses, f"{job_id}: no stand-in for {action}"
            try:
                uses[action](step, inputs)
                result.steps.append(StepResult(name, "uses"))
            except Exception as error:  # noqa: BLE001 (a failing stand-in fails the step)
                failed = True
                result.steps.append(StepResult(name, "uses", 1, stderr=str(error)))
            continue
        script = step["run"]
        assert "${{" not in script, f"{job_id}/{name}: ${{{{ }}}} inside run:"
        if INSTALL_STEP.fullmatch(script):
            result.steps.append(StepResult(name, "install"))
            continue
        step_env = {key: substitute(value, context) for key, value in (step.get("env") or {}).items()}
        # As on GitHub: `working-directory` is relative to the workspace and must exist.
        cwd = workspace / step.get("working-directory", ".")
        assert cwd.is_dir(), f"{job_id}/{name}: no folder {cwd}"
        script_file = runner_temp / f"step-{index}.sh"
        script_file.write_text(script, encoding="utf-8")
        completed = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
            cwd=cwd,
            env={**base_env, **step_env},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert "Traceback" not in completed.stderr, completed.stderr
        result.steps.append(StepResult(name, "run", completed.returncode, completed.stdout, completed.stderr))
        if completed.returncode != 0:
            failed = True
    result.conclusion = "failure" if failed else "success"
    result.summary = summary.read_text(encoding="utf-8")
    return result


# --- actions/checkout, for real, from a local repository --------------------------------


def git_in(folder: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, f"git {' '.join(args)}: {completed.stderr}"
    return completed.stdout.strip()


@dataclass
class Checkout:
    """actions/checkout's stand-in: fetches from ``origin`` (a local repository standing in for
    GitHub) into ``path:`` under the workspace and checks out ``ref:`` detached, or GITHUB_SHA
    (``default_sha``) when no ref is given, as the action does. ``fetch-depth: 0`` fetches every
    branch and pull request ref; otherwise only that commit, one deep. Any input it does not
    implement fails the step, so a workflow cannot ask for something the test silently ignores."""

    origin: Path
    workspace: Path
    default_sha: str
    done: list[tuple[str, str]] = field(default_factory=list)  # (path, commit) of each checkout

    def __call__(self, step: dict, inputs: dict) -> None:
        unknown = set(inputs) - {"ref", "path", "fetch-depth", "persist-credentials"}
        assert not unknown, f"checkout inputs the stand-in does not implement: {sorted(unknown)}"
        assert inputs.get("persist-credentials") is False
        target = (self.workspace / inputs.get("path", "")).resolve()
        # actions/checkout refuses a path outside the workspace.
        assert target == self.workspace.resolve() or self.workspace.resolve() in target.parents, target
        ref = inputs.get("ref") or self.default_sha
        target.mkdir(parents=True, exist_ok=True)
        git_in(target, "init", "-q")
        url = self.origin.resolve().as_uri()
        if inputs.get("fetch-depth") == 0:
            git_in(target, "fetch", "-q", "--no-tags", url,
                   "+refs/heads/*:refs/remotes/origin/*", "+refs/pull/*:refs/remotes/pull/*")
            git_in(target, "fetch", "-q", "--no-tags", url, ref)
        else:
            git_in(target, "fetch", "-q", "--no-tags", "--depth=1", url, ref)
        git_in(target, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", "FETCH_HEAD")
        self.done.append((inputs.get("path", ""), git_in(target, "rev-parse", "HEAD")))


def project_files() -> list[str]:
    """This project's files as they are now (committed or not, ignored files excluded)."""
    listed = git_in(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return sorted(name for name in listed.split("\0") if name and (REPO / name).is_file())


def copy_project(into: Path) -> None:
    """Copy the project (tool, registry, workflows, ...) into ``into``: a base commit with the tool."""
    for name in project_files():
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)


def merge_ref(origin: Path, number: int, base: str) -> str:
    """What GitHub does for a pull request's head (the origin's HEAD): a merge commit into
    ``base`` under refs/pull/<number>/merge, the commit a `pull_request` run checks out
    (GITHUB_SHA). The head must descend from ``base``, so the merge's tree is the head's."""
    head = git_in(origin, "rev-parse", "HEAD")
    git_in(origin, "merge-base", "--is-ancestor", base, head)
    merge = git_in(origin, "-c", "user.name=GitHub", "-c", "user.email=noreply@github.com",
                   "commit-tree", f"{head}^{{tree}}", "-p", base, "-p", head, "-m", f"Merge {head} into {base}")
    git_in(origin, "update-ref", f"refs/pull/{number}/head", head)
    git_in(origin, "update-ref", f"refs/pull/{number}/merge", merge)
    return merge
