""".github/workflows/intake.yml: its own shell steps, run on real git repositories.

The job's `run:` scripts are executed as the runner would (tests/workflow_runner.py)
in a clone of a bare "origin" repository that holds the sample registry.
Only the network is replaced: git's ``url.<origin>.insteadOf`` sends the
workflow's https://github.com/OWNER/NAME.git to that bare repository, and
GITHUB_API_URL points at a fake GitHub API on 127.0.0.1 (tests/fake_github.py),
which the real `ticreg intake-reply` talks to over HTTP.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REGISTRY
from fake_github import FakeGitHub
from intake_bodies import body, exemplar_values
from ticreg.errors import UsageError
from ticreg.github.github_api import GitHub, Response
from ticreg.github.intake_reply import MAX_TEXT_CHARS, check_branch, open_pull_request, post_report
from ticreg.github.issue_forms import INTAKE_LABEL
from ticreg.today import shanghai_today
from workflow_runner import WORKFLOWS, condition, load_workflow, run_job

WORKFLOW = load_workflow(WORKFLOWS / "intake.yml")
JOB = WORKFLOW["jobs"]["intake"]
REPO_NAME = "jcst/tic-registry"
SERVER = "https://github.com"
STAFF = "zezhou-kjj"


class FakeGitHubWithPulls(FakeGitHub):
    """The shared fake, plus opening a pull request (POST /pulls)."""

    def _route(self, method, path, query, payload, url):
        if path == "pulls" and method == "POST":
            number = max([*self.issues, *self.pulls, 0]) + 1
            pull = {**payload, "number": number, "html_url": f"https://github.com/{self.repo}/pull/{number}"}
            self.pulls[number] = pull
            return Response(201, {}, json.dumps(pull).encode())
        return super()._route(method, path, query, payload, url)


def git(*args: str, cwd: Path) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )
    return completed.stdout


class Scene:
    """A bare origin with the sample registry on main, a fake API, and the runner's inputs."""

    def __init__(self, base: Path, fake: FakeGitHubWithPulls):
        self.base = base
        self.fake = fake
        self.origin = base / "origin.git"
        self.workspace = base / "workspace"
        self.runner_temp = base / "runner-temp"
        git("init", "--quiet", "--bare", "--initial-branch=main", str(self.origin), cwd=base)
        seed = base / "seed"
        seed.mkdir()
        shutil.copytree(REGISTRY, seed / "registry")
        git("init", "--quiet", "--initial-branch=main", cwd=seed)
        git("add", ".", cwd=seed)
        git("commit", "--quiet", "-m", "sample registry", cwd=seed)
        git("push", "--quiet", str(self.origin), "main", cwd=seed)
        self.seed = seed
        self.gitconfig = base / "gitconfig"
        self.gitconfig.write_text(
            f'[url "{self.origin}"]\n\tinsteadOf = {SERVER}/{REPO_NAME}.git\n', encoding="utf-8"
        )

    def branches(self) -> dict[str, str]:
        out = git("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/", cwd=self.origin)
        return dict(line.split() for line in out.splitlines())

    def push_branch(self, name: str, relative: str, content: str) -> None:
        """Another branch on origin, with one more file (an intake not yet merged, say)."""
        path = self.seed / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        git("switch", "--quiet", "-c", name, cwd=self.seed)
        git("add", ".", cwd=self.seed)
        git("commit", "--quiet", "-m", "other", cwd=self.seed)
        git("push", "--quiet", str(self.origin), name, cwd=self.seed)
        git("switch", "--quiet", "main", cwd=self.seed)

    def checkout(self, step: dict, inputs: dict) -> None:
        assert step["with"]["persist-credentials"] is False
        assert inputs["ref"] == "main"
        subprocess.run(["git", "clone", "--quiet", "--depth=1", "--branch", inputs["ref"],
                        f"file://{self.origin}", str(self.workspace)], check=True, capture_output=True)

    def run(self, issue_body: str, issue_number: int, sender: str = STAFF, api_url: str = "",
            author: str = "applicant"):
        context = {
            "github": {
                "event": {
                    "issue": {"body": issue_body, "number": issue_number, "user": {"login": author}},
                    "sender": {"login": sender},
                    "label": {"name": INTAKE_LABEL},
                    "repository": {"default_branch": "main"},
                },
                "token": self.fake.token,
            },
            "runner": {"temp": str(self.runner_temp)},
        }
        env = {
            "GIT_CONFIG_GLOBAL": str(self.gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GITHUB_SERVER_URL": SERVER,
            "GITHUB_REPOSITORY": REPO_NAME,
            "GITHUB_API_URL": api_url,
        }
        self.workspace.mkdir(exist_ok=True)
        return run_job(
            WORKFLOW, "intake", context=context, workspace=self.workspace, runner_temp=self.runner_temp,
            uses={"actions/checkout": self.checkout, "actions/setup-python": lambda step, inputs: None},
            env=env,
        )


@pytest.fixture
def fake():
    return FakeGitHubWithPulls(repo=REPO_NAME)


@pytest.fixture
def scene(tmp_path, fake):
    return Scene(tmp_path, fake)


def expected_id(number: int = 1) -> str:
    return f"{shanghai_today().year}-zezhou-{number:03d}"


def test_a_good_form_becomes_a_branch_a_commit_and_a_pull_request(scene, fake):
    issue = fake.add_issue(body(exemplar_values()), "applicant")
    main_before = scene.branches()["main"]
    with fake.serve() as api_url:
        result = scene.run(issue["body"], issue["number"], api_url=api_url)
    assert result.conclusion == "success", result.output()
    branch = f"intake/issue-{issue['number']}"
    branches = scene.branches()
    assert set(branches) == {"main", branch} and branches["main"] == main_before
    path = f"registry/applications/zezhou/{expected_id()}.yml"
    changed = git("diff", "--name-status", "main", branch, cwd=scene.origin)
    assert changed == f"A\t{path}\n", "exactly one file added"
    message = git("log", "-1", "--format=%s%n%an", branch, cwd=scene.origin)
    assert message == f"新增申报 {expected_id()}（议题 #{issue['number']}）\ngithub-actions[bot]\n"
    content = git("show", f"{branch}:{path}", cwd=scene.origin)
    assert content.startswith("# yaml-language-server:") and f"id: {expected_id()}\n" in content
    assert "applicant_logins: [applicant]\n" in content, "the issue's author may later withdraw or amend it"

    [pull] = [r.payload for r in fake.calls("POST", "pulls")]
    assert pull["head"] == branch and pull["base"] == "main"
    assert pull["title"] == f"新增申报 {expected_id()}（议题 #{issue['number']}）"
    assert f"`{path}`" in pull["body"] and pull["body"].rstrip().endswith(f"Closes #{issue['number']}")
    [comment] = [r.payload["body"] for r in fake.calls("POST", rf"issues/{issue['number']}/comments")]
    pull_number = max(fake.pulls)
    assert f"#{pull_number}" in comment
    assert all(r.headers["authorization"] == "Bearer test-token" for r in fake.requests)


def test_problems_are_answered_on_the_issue_and_nothing_is_pushed(scene, fake):
    values = exemplar_values()
    values["rd_equipment_value_yuan"] = "350万"
    values["contact_phone"] = "13834561234"
    issue = fake.add_issue(body(values), "applicant")
    with fake.serve() as api_url:
        result = scene.run(issue["body"], issue["number"], api_url=api_url)
    assert result.conclusion == "failure"
    assert set(scene.branches()) == {"main"}
    assert fake.calls("POST", "pulls") == []
    [comment] = [r.payload["body"] for r in fake.calls("POST", rf"issues/{issue['number']}/comments")]
    assert comment.startswith("## 申报表单未能受理") and "**研发设备原值（元）**" in comment
    assert "138****1234" in comment and "13834561234" not in comment
    assert "13834561234" not in result.output()


def test_a_labeller_who_is_not_staff_gets_nothing_done(scene, fake):
    issue = fake.add_issue(body(exemplar_values()), "applicant")
    with fake.serve() as api_url:
        result = scene.run(issue["body"], issue["number"], sender="applicant", api_url=api_url)
    assert result.conclusion == "failure"
    intake_step = next(s for s in result.steps if s.name.startswith("把表单转为申报文件"))
    assert intake_step.returncode == 2 and "staff.yml" in intake_step.stderr
    assert fake.requests == [] and set(scene.branches()) == {"main"}


def test_files_on_unmerged_intake_branches_count_as_taken(scene, fake):
    scene.push_branch("intake/issue-3", f"registry/applications/zezhou/{expected_id(1)}.yml", "id: x\n")
    scene.push_branch("feature/other", f"registry/applications/zezhou/{expected_id(5)}.yml", "id: y\n")
    issue = fake.add_issue(body(exemplar_values()), "applicant")
    with fake.serve() as api_url:
        result = scene.run(issue["body"], issue["number"], api_url=api_url)
    assert result.conclusion == "success", result.output()
    branch = f"intake/issue-{issue['number']}"
    changed = git("diff", "--name-only", "main", branch, cwd=scene.origin)
    assert changed == f"registry/applications/zezhou/{expected_id(2)}.yml\n", "only intake/* branches are looked at"


def test_an_existing_branch_for_the_issue_is_never_overwritten(scene, fake):
    issue = fake.add_issue(body(exemplar_values()), "applicant")
    branch = f"intake/issue-{issue['number']}"
    scene.push_branch(branch, "registry/applications/zezhou/edited-by-a-reviewer.yml", "id: z\n")
    before = scene.branches()[branch]
    with fake.serve() as api_url:
        result = scene.run(issue["body"], issue["number"], api_url=api_url)
    assert result.conclusion == "failure"
    assert scene.branches()[branch] == before
    assert fake.calls("POST") == [], "no pull request, and no comment: there is no problems report"


def test_the_credential_helper_hands_git_the_token_from_the_environment(tmp_path):
    scripts = "\n".join(step.get("run", "") for step in JOB["steps"])
    helpers = set(re.findall(r"^\s*helper='([^']*)'$", scripts, re.MULTILINE))
    assert len(helpers) == 1 and "$GITHUB_TOKEN" in next(iter(helpers))
    assert scripts.count('-c credential.helper= -c credential.helper="$helper"') == 3
    completed = subprocess.run(
        ["git", "-c", "credential.helper=", "-c", f"credential.helper={next(iter(helpers))}", "credential", "fill"],
        input="protocol=https\nhost=github.com\npath=jcst/tic-registry.git\n\n",
        capture_output=True, text=True, check=True, cwd=tmp_path,
        env={"GITHUB_TOKEN": "secret-123", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_TERMINAL_PROMPT": "0"},
    )
    assert "username=x-access-token\n" in completed.stdout and "password=secret-123\n" in completed.stdout


# --- the workflow's shape ------------------------------------------------------------------


def test_only_the_staff_label_starts_the_job():
    assert WORKFLOW["on"] == {"issues": {"types": ["labeled"]}}
    for name, runs in ((INTAKE_LABEL, True), ("认定申报", False), ("bug", False)):
        assert condition(JOB["if"], {"github": {"event": {"label": {"name": name}}}}, False) is runs


def test_permissions_concurrency_and_checkout():
    assert WORKFLOW["permissions"] == {}
    assert JOB["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert WORKFLOW["concurrency"] == {"group": "intake-${{ github.event.issue.number }}", "cancel-in-progress": False}
    checkout = JOB["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"ref": "${{ github.event.repository.default_branch }}", "persist-credentials": False}


def test_the_body_reaches_python_only_through_the_environment_and_without_a_token():
    intake_step = next(s for s in JOB["steps"] if "ticreg intake " in s.get("run", ""))
    assert intake_step["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    assert intake_step["env"]["SENDER"] == "${{ github.event.sender.login }}"
    assert '--actor "$SENDER"' in intake_step["run"]
    assert "GITHUB_TOKEN" not in intake_step["env"], "the step that reads untrusted text holds no token"
    holders = [s["name"] for s in JOB["steps"] if "GITHUB_TOKEN" in (s.get("env") or {})]
    assert len(holders) == 3 and all("ticreg intake " not in s.get("run", "") for s in JOB["steps"] if s["name"] in holders)
    install = next(i for i, s in enumerate(JOB["steps"]) if "pip install" in s.get("run", ""))
    assert install < JOB["steps"].index(intake_step)
    for step in JOB["steps"]:
        if "body" in str(step.get("env", {})):
            assert step is intake_step


# --- ticreg intake-reply, in process with the fake as its transport ---------------------------


def test_intake_reply_opens_the_pull_request_then_points_the_issue_at_it(fake):
    issue = fake.add_issue("正文", "applicant")
    client = GitHub(fake.token, REPO_NAME, transport=fake)
    opened = open_pull_request(client, issue["number"], "intake/issue-1", "main", "标题", "说明" * MAX_TEXT_CHARS)
    [pull] = [r.payload for r in fake.calls("POST", "pulls")]
    assert pull["head"] == "intake/issue-1" and pull["base"] == "main" and len(pull["body"]) < MAX_TEXT_CHARS + 100
    assert opened.number == max(fake.pulls)
    [comment] = fake.calls("POST", rf"issues/{issue['number']}/comments")
    assert f"#{opened.number}" in comment.payload["body"]
    assert "#issuecomment-" in post_report(client, issue["number"], "## 问题")
    assert fake.comments[issue["number"]][-1]["body"] == "## 问题"


@pytest.mark.parametrize("name", ["../main", "intake/../main", "-delete", "a b", "main.lock", "x//y", "", "intake/", "$(id)"])
def test_intake_reply_refuses_odd_branch_names(name):
    with pytest.raises(UsageError):
        check_branch(name, "--branch")


@pytest.mark.parametrize(
    "args,says",
    [
        (("--issue-number", "1"), "--report"),
        (("--issue-number", "1", "--report", "r.md", "--branch", "intake/issue-1"), "--report"),
        (("--issue-number", "1", "--branch", "intake/issue-1"), "--base"),
        (("--issue-number", "1x", "--report", "r.md"), "--issue-number"),
    ],
)
def test_intake_reply_usage_errors(tmp_path, args, says):
    from conftest import run_cli

    result = run_cli("intake-reply", *args, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "GITHUB_TOKEN": "t",
                                                              "GITHUB_REPOSITORY": REPO_NAME})
    assert result.code == 2 and says in result.stderr
