"""`ticreg tracking-issue` and the daily workflow's tracking-issue job.

The body is rendered from real registries (the shipped sample and the `mini`
fixture, read "as of" chosen dates, as in tests/test_deadlines.py); the
issue is kept in the in-memory FakeGitHub (tests/fake_github.py), the only
thing replaced. The daily job's own shell step runs at the end, with bash,
against FakeGitHub served on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REGISTRY, MiniRegistry, run_cli
from fake_github import BOT, FakeGitHub
from ticreg import deadlines as dl
from ticreg.github import tracking_issue as ti
from ticreg.github.github_api import GitHub
from ticreg.github.markdown_safe import JOINER
from workflow_runner import WORKFLOWS, load_workflow, run_job

D = dt.date
SLUG = "jcst/tic-registry"
OBJECTION_PENDING = "2026-zezhou-903"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    base = tmp_path / "sample"
    shutil.copytree(REGISTRY, base / "registry", ignore=shutil.ignore_patterns("*.md"))
    return base


def body_as_of(base: Path, as_of: dt.date) -> tuple[str, list[dl.Deadline]]:
    items = dl.collect(base / "registry", base, as_of)
    return ti.render(items, as_of), items


def rows(body: str, section: str) -> list[list[str]]:
    """The table rows under a section heading, as lists of cells."""
    part = body.split(f"### {section}", 1)[1].split("\n### ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("| ") and not line.startswith("| 日期")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def client(fake: FakeGitHub) -> GitHub:
    return GitHub(fake.token, fake.repo, transport=fake, api_url=fake.api_url)


# --- the body -----------------------------------------------------------------------------


def test_overdue_evaluation_and_rectification_are_listed(sample):
    body, _ = body_as_of(sample, D(2026, 10, 15))
    assert body.startswith(ti.MARKER + "\n")
    assert "截至2026年10月15日（北京时间），共有 2 项逾期或待决定的事项" in body
    assert rows(body, "已逾期的绩效评估（1 项）") == [[
        "2026年9月15日", "晋城市精密铸造技术创新中心 第1个周期绩效评估到期", "已逾期 30 天",
        "precision-casting", "registry/centers/precision-casting.yml",
    ]]
    assert rows(body, "已过整改期限、尚未复评（1 项）") == [[
        "2026年9月30日", "晋城市先进制造技术创新中心 整改期限届满，应复评", "已逾期 15 天",
        "advanced-manufacturing", "registry/centers/advanced-manufacturing.yml",
    ]]
    assert "公示期满、尚未作出决定" not in body


def test_the_same_items_before_they_are_late_are_not_listed(sample):
    body, items = body_as_of(sample, D(2026, 8, 1))
    assert [d.status for d in items] == ["upcoming", "upcoming"]
    assert ti.outstanding(items) == []
    assert "没有逾期的绩效评估、过期未复评的整改，也没有公示期满尚未作出决定的申报" in body
    assert "###" not in body


def test_a_window_closed_with_an_objection_pending_is_listed(sample):
    body, _ = body_as_of(sample, D(2025, 11, 3))
    [[date, title, state, record, _]] = rows(body, "公示期满、尚未作出决定（1 项）")
    assert (date, record, state) == ("2025年10月29日", "2025-gaoping-001", "公示期已满 5 天，异议仍待处理")
    assert "2025年10月27日收到的异议待处理" in title


def test_an_open_window_is_not_listed(sample):
    _, items = body_as_of(sample, D(2025, 10, 28))  # the same objection, window still open
    assert [(d.kind, d.status) for d in items] == [("publicity", "upcoming")]
    assert ti.outstanding(items) == []


@pytest.mark.parametrize(
    ("as_of", "state"),
    [(D(2026, 12, 1), "今天起可认定"), (D(2026, 12, 8), "已可认定 7 天，仍未认定"),
     (D(2026, 12, 20), "已可认定 19 天，仍未认定（已超过提醒期限）")],
)
def test_a_window_closed_without_certification_is_listed_from_its_first_day(sample, as_of, state):
    body, _ = body_as_of(sample, as_of)
    [[date, title, shown, record, _]] = rows(body, "公示期满、尚未作出决定（1 项）")
    assert (date, record, shown) == ("2026年12月1日", "2026-devzone-001", state)
    assert "可下达认定文件" in title


def test_a_rectification_past_its_deadline_is_listed_until_re_evaluated(mini: MiniRegistry):
    mini.edit(mini.center, lambda data: data["history"].append(
        {"date": D(2027, 6, 1), "event": "evaluated", "evaluator": "示例评估咨询有限公司", "outcome": "rectify", "rectification_deadline": D(2027, 12, 31)}))
    assert "### 已过整改期限" not in body_as_of(mini.base, D(2027, 12, 31))[0]  # due today: not yet past
    body, _ = body_as_of(mini.base, D(2028, 1, 5))
    [[_, _, state, record, _]] = rows(body, "已过整改期限、尚未复评（1 项）")
    assert (record, state) == ("coalbed-methane-development", "已逾期 5 天")


def test_registry_text_in_the_body_is_neutralised():
    item = dl.Deadline(dl.EVALUATION, D(2026, 1, 1), "x-center", "registry/centers/x.yml",
                       "@everyone <img src=x onerror=alert(1)> | [a](javascript:b) #3", dl.OVERDUE, -3, 1)
    body = ti.render([item], D(2026, 1, 4))
    [row] = [line for line in body.splitlines() if "x-center" in line]
    assert row.count("|") == 6  # the title's pipe is escaped: still five cells
    assert f"@{JOINER}everyone" in row and "<img" not in row and "\\[a\\](" in row and f"#{JOINER}3" in row


def test_the_command_prints_the_body(sample):
    result = run_cli("tracking-issue", "--as-of", "2026-10-15", cwd=sample)
    assert result.code == 0, result.stderr
    assert result.stdout == body_as_of(sample, D(2026, 10, 15))[0]


def test_a_broken_registry_is_not_reported_as_all_clear(sample):
    (sample / "registry" / "centers" / "precision-casting.yml").write_text("id: [\n", encoding="utf-8")
    result = run_cli("tracking-issue", "--as-of", "2026-10-15", cwd=sample)
    assert result.code == 1 and "ticreg validate" in result.stderr and result.stdout == ""


# --- one issue, kept up to date --------------------------------------------------------------


def test_the_first_run_opens_the_issue_with_its_label_and_later_runs_edit_it():
    fake = FakeGitHub()
    first = ti.sync(client(fake), ti.MARKER + "\n一", True, bot_login=BOT)
    assert first.action == "created"
    [label] = fake.calls("POST", "labels")
    assert label.payload["name"] == ti.LABEL
    [created] = fake.calls("POST", "issues")
    assert created.payload == {"title": ti.TITLE, "body": ti.MARKER + "\n一", "labels": [ti.LABEL]}
    for n in range(3):
        again = ti.sync(client(fake), ti.MARKER + f"\n第 {n} 天", True, bot_login=BOT)
        assert (again.action, again.number) == ("updated", first.number)
    assert len(fake.calls("POST", "issues")) == 1 and len(fake.issues) == 1
    assert fake.issues[first.number]["body"] == ti.MARKER + "\n第 2 天"
    assert len(fake.calls("POST", "labels")) == 1


def test_an_unchanged_body_is_not_written_again():
    fake = FakeGitHub()
    fake.labels.add(ti.LABEL)
    fake.add_issue(ti.MARKER + "\n同", BOT, labels=[ti.LABEL], title=ti.TITLE)
    assert ti.sync(client(fake), ti.MARKER + "\n同", True, bot_login=BOT).action == "unchanged"
    assert fake.calls("PATCH") == fake.calls("POST") == []


def test_when_nothing_is_outstanding_the_issue_is_closed_and_reopened_later():
    fake = FakeGitHub()
    issue = fake.add_issue(ti.MARKER + "\n有事项", BOT, labels=[ti.LABEL], title=ti.TITLE)
    closed = ti.sync(client(fake), ti.MARKER + "\n没有事项", False, bot_login=BOT)
    assert closed.action == "closed"
    assert (issue["state"], issue["state_reason"], issue["body"]) == ("closed", "completed", ti.MARKER + "\n没有事项")
    assert ti.sync(client(fake), ti.MARKER + "\n没有事项", False, bot_login=BOT).action == "none"
    assert len(fake.calls("PATCH")) == 1
    reopened = ti.sync(client(fake), ti.MARKER + "\n又有了", True, bot_login=BOT)
    assert (reopened.action, reopened.number, issue["state"]) == ("reopened", issue["number"], "open")
    assert fake.calls("POST") == []


def test_nothing_outstanding_and_no_issue_creates_nothing():
    fake = FakeGitHub()
    assert ti.sync(client(fake), ti.MARKER, False, bot_login=BOT).action == "none"
    assert [r.method for r in fake.requests] == ["GET"]


def test_issues_by_others_or_without_the_marker_are_not_taken_for_it():
    fake = FakeGitHub(page_size=1)
    fake.labels.add(ti.LABEL)
    by_someone = fake.add_issue(ti.MARKER + "\n伪造", "someone", labels=[ti.LABEL])
    unmarked = fake.add_issue("我们的讨论", BOT, labels=[ti.LABEL])
    unlabelled = fake.add_issue(ti.MARKER, BOT)
    ours = fake.add_issue(ti.MARKER + "\n旧", BOT, labels=[ti.LABEL], state="closed", title=ti.TITLE)
    result = ti.sync(client(fake), ti.MARKER + "\n新", True, bot_login=BOT)
    assert (result.action, result.number) == ("reopened", ours["number"])
    assert [i["body"] for i in (by_someone, unmarked, unlabelled)] == [ti.MARKER + "\n伪造", "我们的讨论", ti.MARKER]
    assert len(fake.calls("GET", "issues")) == 3  # three labelled issues, one a page: every page followed


# --- the daily workflow's own step -------------------------------------------------------------


def objection_pending_registry(base: Path) -> Path:
    """A git repository whose registry has a publicity window closed on 2026-11-06 with an
    objection pending: outstanding on any day after that until someone decides."""
    mini = MiniRegistry(base)
    text = mini.application.read_text(encoding="utf-8").replace("id: 2024-zezhou-001", f"id: {OBJECTION_PENDING}", 1)
    # Another application than the exemplar, so it asks for a name of its own (X507).
    text = text.replace("proposed_name: 晋城市煤层气高效开发技术创新中心", "proposed_name: 晋城市煤层气示例技术创新中心", 1)
    events = ["2026-06-01, event: submitted", "2026-06-15, event: department-approved",
              "2026-07-01, event: bureau-rechecked", "2026-07-20, event: site-inspected",
              "2026-08-10, event: expert-reviewed", "2026-10-27, event: meeting-approved",
              "2026-11-02, event: publicity-started", "2026-11-04, event: objection-raised"]
    text = text[: text.index("history:\n")] + "history:\n" + "".join(f"  - {{date: {e}}}\n" for e in events)
    mini.write(f"applications/zezhou/{OBJECTION_PENDING}.yml", text)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "登记册"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=base, check=True)
    return base


def test_the_daily_job_opens_one_issue_and_edits_it_on_later_days(tmp_path):
    repo = objection_pending_registry(tmp_path / "repo")
    workflow = load_workflow(WORKFLOWS / "daily.yml")
    fake = FakeGitHub(repo=SLUG)

    def checkout(step, inputs):
        assert inputs == {"persist-credentials": False}

    def setup_python(step, inputs):
        assert inputs == {"python-version": "3.11"}

    def run_once(n: int) -> str:
        result = run_job(
            workflow, "tracking-issue", context={"github": {"token": fake.token}}, workspace=repo,
            runner_temp=tmp_path / f"runner-{n}",
            uses={"actions/checkout": checkout, "actions/setup-python": setup_python},
            env={"GITHUB_API_URL": api_url, "GITHUB_REPOSITORY": SLUG},
        )
        assert result.conclusion == "success", result.output()
        return result.steps[-1].stdout

    with fake.serve() as api_url:
        assert run_once(0).startswith("已新建跟踪议题 #1")
        assert run_once(1).startswith("跟踪议题 #1 已是最新，未改动")  # the same day again
        # Someone edits the body by hand; the next run puts it back (an edit, not a new issue).
        [issue] = fake.issues.values()
        issue["body"] = ti.MARKER + "\n手工改动"
        assert run_once(2).startswith("已更新跟踪议题 #1")
    assert len(fake.calls("POST", "issues")) == 1 and len(fake.issues) == 1
    assert [r.path for r in fake.calls("PATCH")] == [f"issues/{issue['number']}"]
    assert issue["state"] == "open" and issue["title"] == ti.TITLE
    assert [label["name"] for label in issue["labels"]] == [ti.LABEL]
    assert issue["body"].startswith(ti.MARKER) and OBJECTION_PENDING in issue["body"]
    assert re.search(r"公示期已满 \d+ 天，异议仍待处理", issue["body"])
