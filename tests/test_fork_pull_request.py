"""A fork's pull request end to end: validate.yml → artifact → comment.yml → one comment.

The steps are the workflows' own: their `run:` scripts are read from
.github/workflows/ and executed with bash in a real git repository, with the
runner's variables set as GitHub Actions sets them (tests/workflow_runner.py).
`ticreg` is the real command. Only these are stood in for:

- the actions (checkout: ``Checkout`` of tests/workflow_runner.py fetches the
  commit and folder the step names from the local repository; the artifact
  actions: a copy between two folders);
- GitHub's REST API: FakeGitHub (tests/fake_github.py) behind an HTTP
  server on 127.0.0.1, reached by the real client through GITHUB_API_URL.

The attacker controls everything validate.yml does on a fork, so the
artifact itself is also made hostile here, directly.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import TODAY, run_cli
from fake_github import BOT, FakeGitHub
from ticreg.github.markdown_safe import JOINER
from ticreg.github.pr_comment import COMMENT_LIMIT, MARKER
from workflow_runner import WORKFLOWS, Checkout, JobResult, copy_project, load_workflow, merge_ref, run_job

SLUG = "jcst/tic-registry"
PR = 7
FORK_USER = "fork-applicant"  # not in staff.yml: an applicant
APPLICATION = "registry/applications/zezhou/2026-zezhou-077.yml"
ARTIFACT = "ticreg-report"


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.invalid", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )
    return completed.stdout.strip()


@dataclass
class Scenario:
    """A repository with a base commit on main and a fork's branch; the runner's folders."""

    tmp: Path
    repo: Path
    base: str
    fake: FakeGitHub = field(default_factory=lambda: FakeGitHub(repo=SLUG))
    workspace: Path | None = None  # the last validate run's
    artifacts: dict[int, Path] = field(default_factory=dict)  # run id -> uploaded folder

    def commit(self, message: str) -> str:
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "-m", message)
        return git(self.repo, "rev-parse", "HEAD")

    # --- validate.yml, on the pull_request event ---------------------------------------

    def validate(self, run_id: int) -> JobResult:
        runner_temp = self.tmp / f"runner-{run_id}"
        merge = merge_ref(self.repo, PR, self.base)
        self.workspace = self.tmp / f"workspace-{run_id}"
        self.workspace.mkdir()
        context = {
            "github": {"sha": merge, "event": {"number": PR, "pull_request": {
                "number": PR, "base": {"sha": self.base}, "user": {"login": FORK_USER}}}},
            "runner": {"temp": str(runner_temp)},
        }
        checkout = Checkout(self.repo, self.workspace, default_sha=merge)

        def upload(step, inputs):
            assert inputs["name"] == ARTIFACT and step["if"] == "always()"
            self.artifacts[run_id] = self.tmp / f"artifact-{run_id}"
            shutil.copytree(inputs["path"], self.artifacts[run_id])

        return run_job(
            load_workflow(WORKFLOWS / "validate.yml"), "validate", context=context, workspace=self.workspace,
            runner_temp=runner_temp,
            uses={"actions/checkout": checkout, "actions/setup-python": _setup_python, "actions/upload-artifact": upload},
        )

    # --- comment.yml, on the workflow_run event -------------------------------------------

    def comment(self, run_id: int, head_sha: str, conclusion: str, api_url: str) -> JobResult:
        runner_temp = self.tmp / f"comment-runner-{run_id}-{len(self.fake.requests)}"
        default_branch = self.tmp / f"default-{run_id}-{len(self.fake.requests)}"
        git(self.tmp, "clone", "-q", "--branch", "main", str(self.repo), str(default_branch))
        context = {
            "github": {"token": self.fake.token, "event": {"workflow_run": {
                "id": run_id, "head_sha": head_sha, "event": "pull_request", "conclusion": conclusion,
                "html_url": f"https://github.com/{SLUG}/actions/runs/{run_id}",
                "head_branch": "fork-branch", "head_repository": {"id": 99}}}},
            "runner": {"temp": str(runner_temp)},
        }

        def checkout(step, inputs):
            assert inputs == {"persist-credentials": False}  # no ref: the default branch

        def download(step, inputs):
            assert inputs["name"] == ARTIFACT
            assert inputs["run-id"] == str(run_id) and inputs["github-token"] == self.fake.token
            shutil.copytree(self.artifacts[run_id], inputs["path"])

        return run_job(
            load_workflow(WORKFLOWS / "comment.yml"), "comment", context=context, workspace=default_branch,
            runner_temp=runner_temp,
            uses={"actions/checkout": checkout, "actions/setup-python": _setup_python,
                  "actions/download-artifact": download},
            env={"GITHUB_API_URL": api_url, "GITHUB_REPOSITORY": SLUG},
        )

    def hostile_artifact(self, run_id: int, number: bytes, report: bytes) -> None:
        folder = self.tmp / f"artifact-{run_id}"
        folder.mkdir()
        (folder / "pr-number.txt").write_bytes(number)
        (folder / "report.md").write_bytes(report)
        self.artifacts[run_id] = folder


def _setup_python(step, inputs):
    assert inputs == {"python-version": "3.11"}


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    repo = tmp_path / "pull-request"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    copy_project(repo)  # the base commit holds the tool that judges the pull request
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "基准")
    return Scenario(tmp_path, repo, git(repo, "rev-parse", "HEAD"))


def the_comments(fake: FakeGitHub) -> list[dict]:
    return fake.comments.get(PR, [])


# --- the path ---------------------------------------------------------------------------


def test_a_fork_pull_request_gets_one_comment_updated_on_each_push(scenario: Scenario):
    s = scenario
    git(s.repo, "checkout", "-q", "-b", "fork-branch")

    # Push 1: a valid application, added the way the applicant handbook says.
    created = run_cli("new-application", "--today", TODAY.isoformat(), "--department", "zezhou", "--id", "2026-zezhou-077",
                      "--login", FORK_USER, cwd=s.repo)
    assert created.code == 0, created.stderr
    head1 = s.commit("申报 2026-zezhou-077")
    first = s.validate(run_id=101)
    assert first.conclusion == "success", first.output()
    assert sorted(p.name for p in s.artifacts[101].iterdir()) == ["pr-number.txt", "report.md"]
    assert (s.artifacts[101] / "pr-number.txt").read_text() == f"{PR}\n"
    report = (s.artifacts[101] / "report.md").read_text(encoding="utf-8")
    assert report.count("✅ 通过") == 2 and "本次拉取请求的变更" in report
    assert report in first.summary  # the job summary shows the same report
    # Nothing was written into the pull request's checkout.
    assert git(s.workspace / "pull-request", "status", "--porcelain", "--ignored") == ""

    with s.fake.serve() as api_url:
        s.fake.add_pull(PR, head1)
        s.fake.add_comment(PR, "谢谢，我们会尽快审核。", "jcst-bureau-li")
        commented = s.comment(101, head1, "success", api_url)
        assert commented.conclusion == "success", commented.output()
        [post] = s.fake.calls("POST")
        assert post.path == f"issues/{PR}/comments"
        [mine] = [c for c in the_comments(s.fake) if c["user"]["login"] == BOT]
        assert mine["body"].startswith(MARKER) and "✅ 通过" in mine["body"]
        assert f"`{head1}`" in mine["body"]

        # Push 2 breaks the rules: an applicant edits policy.yml, and the name is hostile.
        policy = s.repo / "registry" / "policy.yml"
        policy.write_text(policy.read_text(encoding="utf-8").replace("due_soon_days: 90", "due_soon_days: 30"),
                          encoding="utf-8")
        application = s.repo / APPLICATION
        text = application.read_text(encoding="utf-8")
        start = text.index("proposed_name:")
        end = text.index("\n", start)
        hostile_name = '"@everyone <img src=x onerror=alert(1)> [x](javascript:alert(1))"'
        application.write_text(text[:start] + f"proposed_name: {hostile_name}" + text[end:], encoding="utf-8")
        head2 = s.commit("再次推送")
        second = s.validate(run_id=102)
        assert second.conclusion == "failure"
        validate_step = next(step for step in second.steps if step.name == "校验")
        assert validate_step.returncode == 1
        assert "::error file=registry/policy.yml" in validate_step.stdout  # annotations on the diff
        assert second.steps[-1].kind == "uses"  # the upload ran although validation failed
        report = (s.artifacts[102] / "report.md").read_text(encoding="utf-8")
        assert report.count("❌ 未通过") == 2 and "G910" in report and "N401" in report

        s.fake.add_pull(PR, head2)
        commented = s.comment(102, head2, "failure", api_url)
        assert commented.conclusion == "success", commented.output()
        assert len(s.fake.calls("POST")) == 1, "a second push must not add a second comment"
        [patch] = s.fake.calls("PATCH")
        assert patch.path == f"issues/comments/{mine['id']}"
        [mine] = [c for c in the_comments(s.fake) if c["user"]["login"] == BOT]
        body = mine["body"]
        assert body.startswith(MARKER) and "❌ 未通过" in body and "G910" in body and "N401" in body
        assert f"@{JOINER}everyone" in body and "@everyone" not in body
        assert "<img" not in body and "\\[x\\](javascript:" in body
        assert len(the_comments(s.fake)) == 2  # the reviewer's and ours

        # The first run's comment job finishing late does not bring the old report back.
        writes = len(s.fake.calls("POST")) + len(s.fake.calls("PATCH"))
        late = s.comment(101, head1, "success", api_url)
        assert late.conclusion == "success"
        assert "已过时" in late.steps[-1].stdout
        assert len(s.fake.calls("POST")) + len(s.fake.calls("PATCH")) == writes


@pytest.mark.parametrize("conclusion", ["cancelled", "skipped", "action_required"])
def test_a_validation_that_did_not_finish_is_not_commented(scenario: Scenario, conclusion):
    scenario.hostile_artifact(103, b"7\n", "## 报告\n".encode())
    result = scenario.comment(103, "a" * 40, conclusion, "http://127.0.0.1:9")
    assert result.conclusion == "skipped" and scenario.fake.requests == []


# --- a hostile artifact -------------------------------------------------------------------


def hostile_report(size: int = 200_000) -> bytes:
    line = "| @everyone | <img src=x onerror=alert(1)> | [点我](javascript:alert(1)) | &#64;admin | #1 |\n"
    return (MARKER + "\n" + line * (size // len(line) + 1)).encode("utf-8")


def test_a_200_kb_hostile_report_is_neutralised_and_capped(scenario: Scenario):
    s = scenario
    head = "c" * 40
    s.hostile_artifact(104, b"7\n", hostile_report())
    with s.fake.serve() as api_url:
        s.fake.add_pull(PR, head)
        result = s.comment(104, head, "failure", api_url)
    assert result.conclusion == "success", result.output()
    [post] = s.fake.calls("POST")
    body = post.payload["body"]
    assert len(body) <= COMMENT_LIMIT and len(body) < 61_000
    assert body.startswith(MARKER + "\n") and body.count(MARKER) == 1  # the report's own marker was escaped
    assert "报告过长，这里只显示前 60000 个字符" in body
    assert f"](https://github.com/{SLUG}/actions/runs/104)" in body
    for never in ("@everyone", "<img", "&#64;", "#1 "):
        assert never not in body
    # The only link is the note's own, to the run.
    assert re.findall(r"(?<!\\)\]\(([^)]*)\)", body) == [f"https://github.com/{SLUG}/actions/runs/104"]


@pytest.mark.parametrize(
    ("number", "posted_to"),
    [(b"12; rm -rf /\n", 12), (b"7$(touch pwned)`touch pwned`", 7)],
)
def test_a_number_file_with_more_than_digits_is_reduced_to_them(scenario: Scenario, number, posted_to):
    s = scenario
    head = "d" * 40
    s.hostile_artifact(105, number, "## 报告\n".encode())
    with s.fake.serve() as api_url:
        s.fake.add_pull(posted_to, head)
        result = s.comment(105, head, "failure", api_url)
    assert result.conclusion == "success", result.output()
    [post] = s.fake.calls("POST")
    assert post.path == f"issues/{posted_to}/comments"
    assert "已舍去" in result.steps[-1].stderr
    assert not list(s.tmp.rglob("pwned"))


@pytest.mark.parametrize("number", [b"", b"../../x", b"\n", b"99999999999", b"7" * 100])
def test_a_number_file_without_a_usable_number_stops_before_any_call(scenario: Scenario, number):
    s = scenario
    s.hostile_artifact(106, number, "## 报告\n".encode())
    with s.fake.serve() as api_url:
        result = s.comment(106, "e" * 40, "failure", api_url)
    assert result.conclusion == "failure"
    assert "不予使用" in result.steps[-1].stderr
    assert s.fake.requests == []


def test_an_artifact_naming_another_pull_request_is_not_posted_there(scenario: Scenario):
    # The run validated PR 7's head; the artifact claims PR 8, whose head is another commit.
    s = scenario
    s.hostile_artifact(107, b"8\n", "## 报告\n".encode())
    with s.fake.serve() as api_url:
        s.fake.add_pull(7, "f" * 40)
        s.fake.add_pull(8, "0" * 40)
        result = s.comment(107, "f" * 40, "success", api_url)
    assert result.conclusion == "success"
    assert s.fake.calls("POST") == s.fake.calls("PATCH") == []
