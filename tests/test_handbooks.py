"""The handbooks on the site (docs/handbook/): every command line in them exists in the real
parser, the procedure they describe is the state machine's, the names they give for
workflows, checks, labels and forms are the ones in the repository, and both pages are
on the built site with working links to the rules page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from command_lines import all_commands, problems, sh_commands, subparsers
from conftest import REGISTRY, REPO, TODAY, run_cli
from html_tree import parse
from test_site_notices_data import resolves
from ticreg.process.machine import (
    APPLICATION_STATES,
    APPLICATION_TRANSITIONS,
    CENTER_STATES,
    CENTER_TRANSITIONS,
    ROLES,
)
from ticreg.rules import load_all
from ticreg.catalog import RULES

HANDBOOK_DIR = REPO / "docs" / "handbook"
STAFF = HANDBOOK_DIR / "staff.md"
APPLICANT = HANDBOOK_DIR / "applicant.md"
HANDBOOKS = (STAFF, APPLICANT)
TEMPLATE_DIR = REPO / ".github" / "PULL_REQUEST_TEMPLATE"
WORKFLOWS = REPO / ".github" / "workflows"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


# --- command lines -----------------------------------------------------------------------


@pytest.mark.parametrize("path", HANDBOOKS, ids=lambda p: p.name)
def test_every_command_line_in_a_handbook_exists_in_the_real_parser(path):
    commands = all_commands(text(path))
    assert len(sh_commands(text(path))) >= 3
    found = [p for c in commands for p in problems(c)]
    assert not found, "\n".join(found)


def test_every_subcommand_is_documented_in_the_handbooks_or_the_readme():
    readme = text(REPO / "README.md")
    documented = {c.subcommand for path in HANDBOOKS for c in all_commands(text(path))}
    documented |= set(re.findall(r"^### `ticreg ([a-z-]+)", readme, re.MULTILINE))
    assert set(subparsers()) - documented == set()


def test_the_handbooks_show_the_everyday_commands():
    """What staff and applicants run by hand is shown as a command line, not only named."""
    staff = {c.subcommand for c in sh_commands(text(STAFF))}
    applicant = {c.subcommand for c in sh_commands(text(APPLICANT))}
    assert {"record", "validate", "check-changes", "publicity-window", "deadlines"} <= staff
    assert {"new-application", "validate", "record"} <= applicant


# --- the procedure is the state machine's -------------------------------------------------


def process_table() -> list[tuple[str, str, str, str]]:
    """(event, recorder, state after, template) of each row of the staff handbook's table."""
    section = text(STAFF).split("## 三、办理流程与模板", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[1].startswith("`"):
            rows.append((cells[1].strip("`"), cells[2], cells[3], cells[4].strip("`")))
    assert rows, "工作人员手册中找不到办理流程表"
    return rows


def _targets(event: str) -> set[str]:
    out = set()
    for transitions, states in ((APPLICATION_TRANSITIONS, APPLICATION_STATES), (CENTER_TRANSITIONS, CENTER_STATES)):
        for t in transitions:
            if t.event == event:
                out.add("不变" if t.target == "=" else states[t.target])
    return out


def test_the_process_table_has_every_event_of_the_state_machine():
    events = {t.event for t in APPLICATION_TRANSITIONS + CENTER_TRANSITIONS}
    assert {row[0] for row in process_table()} == events


def test_the_process_table_names_who_records_each_event_as_the_state_machine_does():
    recorded: dict[str, set[str]] = {}
    for event, recorder, _, _ in process_table():
        recorded.setdefault(event, set()).update(recorder.split("或"))
    for event, labels in recorded.items():
        roles = {ROLES[r] for t in APPLICATION_TRANSITIONS + CENTER_TRANSITIONS if t.event == event for r in t.roles}
        assert labels == roles, event


def test_the_process_table_gives_the_states_of_the_state_machine():
    covered: dict[str, set[str]] = {}
    for event, _, state, _ in process_table():
        shown = {label for label in _targets(event) if label in state}
        assert shown, f"{event}：“{state}”不是状态表中该事件之后的状态"
        covered.setdefault(event, set()).update(shown)
    for event, shown in covered.items():
        assert shown == _targets(event), event


def test_the_process_table_points_to_templates_that_record_the_event():
    for event, _, _, template in process_table():
        body = text(TEMPLATE_DIR / template)
        assert f"`{event}`" in body or f"ticreg record {event} " in body, f"{template} 没有 {event}"


def test_the_staff_handbook_names_every_pull_request_template():
    for path in TEMPLATE_DIR.iterdir():
        assert f"`{path.name}`" in text(STAFF)


@pytest.mark.parametrize("path", HANDBOOKS, ids=lambda p: p.name)
def test_every_template_a_handbook_names_exists(path):
    named = set(re.findall(r"`([a-z][a-z-]*\.md)`", text(path))) | set(re.findall(r"template=([a-z][a-z-]*\.md)", text(path)))
    assert named
    assert named - {p.name for p in TEMPLATE_DIR.iterdir()} == set()
    for github_path in re.findall(r"`(\.github/[^`]+)`", text(path)):
        assert (REPO / github_path.rstrip("/")).exists(), github_path


# --- rules and findings --------------------------------------------------------------------


@pytest.mark.parametrize("path", HANDBOOKS, ids=lambda p: p.name)
def test_every_rule_a_handbook_names_or_links_exists(path):
    load_all()
    named = set(re.findall(r"\b([A-Z]\d{3})\b", text(path)))
    assert named - set(RULES) == set()
    for link in re.findall(r"\]\(([^)]*rules/[^)]*)\)", text(path)):
        assert link.split("#")[0] == "../rules/index.md", link
        if "#" in link:
            assert link.split("#rule-")[1] in RULES, link


def test_the_example_finding_is_written_as_validate_writes_it():
    """path:line:col: RULE message（article）, with the rule's own article."""
    load_all()
    lines = re.findall(r"^(\S+\.yml):(\d+):(\d+): ([A-Z]\d{3}) (.+)$", text(APPLICANT), re.MULTILINE)
    assert lines
    for _, _, _, rule, message in lines:
        assert message.endswith(f"（{RULES[rule].article}）"), message
    row = re.search(r"^\| (\S+\.yml:\d+:\d+) \| ([A-Z]\d{3}) \| (错误|警告) \| ([^|]+) \|", text(APPLICANT), re.MULTILINE)
    assert row and row.group(4).strip() == RULES[row.group(2)].article
    assert row.group(3) == {"error": "错误", "warning": "警告"}[RULES[row.group(2)].severity]


def test_the_example_finding_is_what_validate_reports_for_that_mistake(tmp_path):
    """The handbook's example is real: a new application from the template, with the
    equipment value the example names, gives exactly that line and that report row."""
    from ticreg.findings import Finding
    from ticreg.report import as_markdown

    line = re.search(r"^(registry/applications/([a-z]+)/([a-z0-9-]+)\.yml):\d+:\d+: (E109) 研发设备原值 (\d+) 元.*$",
                     text(APPLICANT), re.MULTILINE)
    assert line, "示例应是 E109（研发设备原值）"
    path, department, application_id, _, value = line.groups()
    shutil.copytree(REGISTRY, tmp_path / "registry")
    created = run_cli("new-application", "--today", TODAY.isoformat(), "--department", department, "--id", application_id, cwd=tmp_path)
    assert created.code == 0, created.stderr
    file = tmp_path / path
    file.write_text(re.sub(r"^rd_equipment_value_yuan: .*$", f"rd_equipment_value_yuan: {value}",
                           file.read_text(encoding="utf-8"), flags=re.MULTILINE), encoding="utf-8")
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "json", path, cwd=tmp_path)
    (finding,) = result.findings
    shown = Finding(**{k: finding[k] for k in ("path", "line", "column", "rule", "severity", "article", "message")})
    assert line.group(0) == f"{shown.path}:{shown.line}:{shown.column}: {shown.rule} {shown.message}"
    row = next(r for r in as_markdown([shown], 1).splitlines() if r.startswith("| registry/"))
    assert row in text(APPLICANT)
    assert f"`{shown.line}:{shown.column}`：第 {shown.line} 行第 {shown.column} 个字符" in text(APPLICANT)


# --- names of things in the repository -------------------------------------------------------


def test_the_staff_handbook_names_the_required_check_and_the_workflows():
    staff = text(STAFF)
    validate = workflow("validate.yml")
    assert [job["name"] for job in validate["jobs"].values()] == [
        re.search(r"添加检查 \*\*`([^`]+)`\*\*", staff).group(1)
    ], "须添加为必需检查的，应是校验工作流的作业名"
    for path in WORKFLOWS.glob("*.yml"):
        assert f"“{workflow(path.name)['name']}”" in staff, path.name


def test_the_staff_handbook_names_every_command_the_workflows_run():
    run = set()
    for path in WORKFLOWS.glob("*.yml"):
        run |= set(re.findall(r"^[^#\n]*?\bticreg ([a-z][a-z-]*)", path.read_text(encoding="utf-8"), re.MULTILINE))
    shown = {c.subcommand for c in all_commands(text(STAFF))}
    assert run and run - shown == set()


def test_the_staff_handbook_gives_the_daily_run_in_beijing_time():
    cron = workflow("daily.yml")[True]["schedule"][0]["cron"]  # YAML 1.1 reads the key `on` as True
    minute, hour = (int(x) for x in cron.split()[:2])
    beijing = (hour * 60 + minute + 8 * 60) % (24 * 60)
    times = re.findall(r"北京时间 (\d{1,2}:\d{2})", text(STAFF))
    assert times and set(times) == {f"{beijing // 60}:{beijing % 60:02d}"}


def test_the_staff_handbook_lists_the_actions_the_workflows_use():
    used = set()
    for path in WORKFLOWS.glob("*.yml"):
        used |= {m.split("@")[0] for m in re.findall(r"uses:\s*([\w.-]+/[\w.-]+@\S+)", path.read_text(encoding="utf-8"))}
    listed = set(re.findall(r"`(actions/[\w-]+)`", text(STAFF)))
    assert used and listed == used


def test_the_handbooks_name_the_intake_label_forms_and_tracking_label():
    from ticreg.github.issue_forms import INTAKE_LABEL, forms
    from ticreg.github.tracking_issue import LABEL
    from ticreg_schemas import Policy

    policy = Policy.model_validate(yaml.safe_load(text(REPO / "registry" / "policy.yml")))
    for path in HANDBOOKS:
        assert INTAKE_LABEL in text(path)
        for form in forms(policy, "https://example.com/guide/"):
            assert f"“{form.name}”" in text(path), (path.name, form.name)
    staff = text(STAFF)
    assert f"`{LABEL}`" in staff
    for form in forms(policy, "https://example.com/guide/"):
        for label in form.labels:
            assert f"`{label}`" in staff


@pytest.mark.parametrize("path", HANDBOOKS, ids=lambda p: p.name)
def test_each_handbook_warns_about_personal_data(path):
    warning = re.search(r'^!!! warning "([^"]+)"\n((?:\n|    .*\n)+)', text(path), re.MULTILINE)
    assert warning
    assert "公开" in warning.group(1)
    assert "身份证" in warning.group(0) and "手机号" in warning.group(0)


# --- the built site ------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["staff", "applicant"])
def test_the_handbooks_are_pages_of_the_built_site(sample_site, page):
    html = (sample_site / "site" / "handbook" / page / "index.html").read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text(HANDBOOK_DIR / f"{page}.md"), re.MULTILINE).group(1)
    tree = parse(html).root
    assert tree.find("article").find("h1").text().replace("¶", "").strip() == title
    url = f"handbook/{page}/"
    nav = {urlsplit(urljoin("http://x/" + url, a.attrs["href"])).path.lstrip("/")
           for a in tree.find("nav", class_="md-nav--primary").find_all("a") if a.attrs.get("href")}
    assert {"handbook/staff/", "handbook/applicant/"} <= nav


def test_the_home_page_navigation_leads_to_both_handbooks(sample_site):
    tree = parse((sample_site / "site" / "index.html").read_text(encoding="utf-8")).root
    hrefs = {a.attrs.get("href") for a in tree.find("nav", class_="md-nav--primary").find_all("a")}
    assert {"handbook/applicant/", "handbook/staff/"} <= hrefs


@pytest.mark.parametrize("page", ["staff", "applicant"])
def test_every_link_on_a_handbook_page_reaches_a_built_page_and_anchor(sample_site, page):
    url = f"handbook/{page}/"
    article = parse((sample_site / "site" / url / "index.html").read_text(encoding="utf-8")).root.find("article")
    hrefs = [a.attrs["href"] for a in article.find_all("a") if a.attrs.get("href")]
    relative = [h for h in hrefs if not re.match(r"[a-z]+:", h)]
    assert any(h.startswith("../../rules/#rule-") for h in relative)
    rules_ids = set(re.findall(r'id="([^"]+)"', (sample_site / "site" / "rules" / "index.html").read_text(encoding="utf-8")))
    for href in relative:
        path, _, anchor = href.partition("#")
        assert resolves(sample_site, url, path or "./"), href
        if href.startswith("../../rules/#"):
            assert anchor in rules_ids, href


def test_the_handbook_pages_in_a_real_browser(sample_site, chromium_browser):
    """Opened in chromium from a local server: nothing requested from elsewhere, nothing
    missing, no script errors, and no serious or critical axe-core violations."""
    from browser.harness import SiteServer, Visitor, blocking, format_violations, run_axe

    with SiteServer(sample_site / "site") as server:
        visitor = Visitor(chromium_browser, server.origin)
        try:
            for page in ("staff", "applicant"):
                path = f"/handbook/{page}/"
                visitor.open(path)
                assert visitor.page.locator("article h1").inner_text().startswith(
                    re.search(r"^# (.+)$", text(HANDBOOK_DIR / f"{page}.md"), re.MULTILINE).group(1))
                violations = blocking(run_axe(visitor.page))
                assert not violations, format_violations(path, violations)
            visitor.assert_clean()
            assert not visitor.failed_local, visitor.failed_local
        finally:
            visitor.close()
