"""`ticreg check-changes` on real git repositories built in temporary folders.

Each test commits a base (the repository's real registry plus a few
applications with known histories, the validator and pyproject.toml), makes a
change (committed, or left in the working tree) and runs the real command
line in that repository. Every attack is refused with a finding at a
position in the changed file; the legitimate changes pass.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, REGISTRY, run_cli
from rule_helpers import assert_each_rule_has_a_failing_case

EXEMPLAR = REGISTRY / "applications" / "zezhou" / "2024-zezhou-001.yml"

# Applications written into the base with a known history (the exemplar's
# profile, its id and folder replaced), so the tests do not depend on where
# the sample registry's own applications have got to.
SUBMITTED = "registry/applications/zezhou/2026-zezhou-901.yml"  # state: submitted
OTHER_COUNTY = "registry/applications/gaoping/2026-gaoping-901.yml"  # state: submitted
REVIEWED = "registry/applications/zezhou/2026-zezhou-902.yml"  # state: department-approved
IN_PUBLICITY = "registry/applications/zezhou/2026-zezhou-903.yml"  # state: in publicity since 2026-11-02
CERTIFIED = "registry/applications/zezhou/2024-zezhou-001.yml"  # the exemplar itself: certified
REVOKED_CENTER = "registry/centers/precision-casting.yml"
VALIDATOR = "scripts/ticreg/validate.py"

HISTORIES = {
    SUBMITTED: ["{date: 2026-11-02, event: submitted}"],
    OTHER_COUNTY: ["{date: 2026-11-02, event: submitted}"],
    REVIEWED: ["{date: 2026-10-12, event: submitted}", "{date: 2026-11-09, event: department-approved}"],
    IN_PUBLICITY: [
        "{date: 2026-06-01, event: submitted}",
        "{date: 2026-06-15, event: department-approved}",
        "{date: 2026-07-01, event: bureau-rechecked}",
        "{date: 2026-07-20, event: site-inspected}",
        "{date: 2026-08-10, event: expert-reviewed}",
        "{date: 2026-10-27, event: meeting-approved}",
        # Monday: the window is 11-02 .. 11-06, certification from 11-07.
        "{date: 2026-11-02, event: publicity-started}",
    ],
}

APPLICANT = "some-company"  # not in staff.yml
ZEZHOU = "zezhou-kjj"  # department: zezhou
BUREAU = "jcst-bureau-li"
ADMIN = "jcst-admin"

ALL_RULES = [f"G9{n:02d}" for n in range(1, 15)]


def application_text(relative: str, history: list[str]) -> str:
    """The exemplar application moved to ``relative`` with that id, folder and history."""
    text = EXEMPLAR.read_text(encoding="utf-8")
    department = relative.split("/")[2]
    app_id = Path(relative).stem
    text = text.replace("id: 2024-zezhou-001", f"id: {app_id}", 1)
    text = text.replace("organizing_department: zezhou", f"organizing_department: {department}", 1)
    # Owned by the applicant account the tests act as (G923, G924).
    text = re.sub(r"(?m)^applicant_logins: .*$", f"applicant_logins: [{APPLICANT}]", text, count=1)
    text = text[: text.index("history:\n")] + "history:\n" + "".join(f"  - {line}\n" for line in history)
    return text


class GitRegistry:
    """A git repository in a temporary folder holding a copy of the registry."""

    def __init__(self, folder: Path):
        self.dir = folder
        folder.mkdir()
        shutil.copytree(REGISTRY, folder / "registry", ignore=shutil.ignore_patterns("*.md"))
        for relative in ("pyproject.toml", VALIDATOR):
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / relative, folder / relative)
        (folder / "README.md").write_text("# 测试仓库\n", encoding="utf-8")
        for relative, history in HISTORIES.items():
            self.write(relative, application_text(relative, history))
        self.git("init", "-q")
        self.base = self.commit("base")

    # --- git ---------------------------------------------------------------
    def git(self, *args: str) -> str:
        completed = subprocess.run(
            ["git", "-c", "user.name=测试", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
             "-c", "init.defaultBranch=main", *args],
            cwd=self.dir, capture_output=True, text=True, check=True,
        )
        return completed.stdout.strip()

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    # --- files -------------------------------------------------------------
    def path(self, relative: str) -> Path:
        return self.dir / relative

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> None:
        self.path(relative).parent.mkdir(parents=True, exist_ok=True)
        self.path(relative).write_text(text, encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert text.count(old) == 1, (relative, old)
        self.write(relative, text.replace(old, new))

    def append_event(self, relative: str, line: str) -> None:
        text = self.read(relative)
        assert text.endswith("\n")
        self.write(relative, text + f"  - {line}\n")

    def position(self, relative: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
        """(line, column) of the ``occurrence``-th ``needle`` in the file as it is now."""
        text = self.read(relative)
        offset = -1
        for _ in range(occurrence):
            offset = text.index(needle, offset + 1)
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    def last_line(self, relative: str) -> int:
        return self.read(relative).count("\n")

    # --- the command -------------------------------------------------------
    def check(self, *args: str, base: str | None = None, fmt: str = "json", env: dict | None = None):
        return run_cli("check-changes", "--base", base or self.base, "--format", fmt, *args, cwd=self.dir, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> GitRegistry:
    return GitRegistry(tmp_path / "repo")


def found(result) -> list[tuple[str, int, int, str]]:
    return [(f["path"], f["line"], f["column"], f["rule"]) for f in result.findings]


def assert_refused(result, *expected: tuple[str, int, int, str]) -> None:
    assert result.code == 1, (result.stdout, result.stderr)
    assert found(result) == sorted(expected), result.stdout
    for finding in result.findings:
        assert re.search(r"[\u4e00-\u9fff]", finding["message"])
        assert finding["article"] in finding["message"]


def assert_passes(result) -> None:
    assert result.code == 0, (result.stdout, result.stderr)
    assert result.findings == []


# ---------------------------------------------------------------------------
# History is append-only; files and ids stay
# ---------------------------------------------------------------------------


def test_rewriting_an_old_event_is_refused(repo):
    repo.replace(CERTIFIED, "{date: 2024-03-25, event: department-approved}",
                 "{date: 2024-03-20, event: department-approved}")
    repo.commit()
    result = repo.check("--head", "HEAD")
    assert_refused(result, (CERTIFIED, *repo.position(CERTIFIED, "2024-03-20"), "G901"))
    message = result.findings[0]["message"]
    assert "history[1]" in message and "2024-03-25" in message and "2024-03-20" in message


def test_reordering_old_events_is_refused(repo):
    first = "  - {date: 2024-04-23, event: site-inspected}\n"
    second = "  - {date: 2024-05-14, event: expert-reviewed}\n"
    repo.replace(CERTIFIED, first + second, second + first)
    result = repo.check()
    assert_refused(
        result,
        (CERTIFIED, *repo.position(CERTIFIED, "2024-05-14"), "G901"),
        (CERTIFIED, *repo.position(CERTIFIED, "2024-04-23"), "G901"),
    )


def test_removing_an_old_event_is_refused(repo):
    repo.replace(CERTIFIED, "  - {date: 2024-06-06, event: publicity-started}\n  - {date: 2024-06-17", "  - {date: 2024-06-17")
    result = repo.check()
    # The certified event moved up one place (G901 there) and one entry is gone at the end (G902).
    assert_refused(
        result,
        (CERTIFIED, *repo.position(CERTIFIED, "- {date: 2024-03-11"), "G902"),
        (CERTIFIED, *repo.position(CERTIFIED, "2024-06-17"), "G901"),
    )


def test_truncating_the_history_is_refused_at_the_history(repo):
    text = repo.read(REVIEWED)
    repo.write(REVIEWED, text.replace("  - {date: 2026-11-09, event: department-approved}\n", ""))
    result = repo.check()
    assert_refused(result, (REVIEWED, *repo.position(REVIEWED, "- {date: 2026-10-12"), "G902"))
    assert "department-approved" in result.findings[0]["message"]


def test_reformatting_an_old_event_is_not_a_change(repo):
    repo.replace(SUBMITTED, "  - {date: 2026-11-02, event: submitted}\n",
                 "  - date: '2026-11-02'\n    event: \"submitted\"\n")
    assert_passes(repo.check())


def test_deleting_a_revoked_center_is_refused(repo):
    assert "event: revoked" in repo.read(REVOKED_CENTER)
    repo.path(REVOKED_CENTER).unlink()
    repo.commit()
    result = repo.check("--head", "HEAD")
    assert_refused(result, (REVOKED_CENTER, 1, 1, "G903"))
    assert "删除" in result.findings[0]["message"]


def test_deleting_an_application_is_refused_even_for_an_admin(repo):
    repo.path(SUBMITTED).unlink()
    assert_refused(repo.check("--actor", ADMIN), (SUBMITTED, 1, 1, "G903"))


def test_renaming_a_file_is_refused_at_the_new_file(repo):
    new = "registry/applications/gaoping/2024-zezhou-001.yml"
    repo.git("mv", CERTIFIED, new)
    repo.commit()
    result = repo.check("--head", "HEAD")
    assert_refused(result, (new, *repo.position(new, "2024-zezhou-001"), "G903"))
    assert CERTIFIED in result.findings[0]["message"] and new in result.findings[0]["message"]


def test_a_renamed_files_history_is_judged_against_the_old_file(repo):
    new = "registry/applications/gaoping/2026-zezhou-902.yml"
    repo.git("mv", REVIEWED, new)
    repo.append_event(new, "{date: 2026-11-20, event: bureau-rechecked}")
    result = repo.check("--actor", BUREAU)
    # Only the rename: the two old events are not "added" by the Bureau.
    assert_refused(result, (new, *repo.position(new, "2026-zezhou-902"), "G903"))


def test_changing_an_id_is_refused(repo):
    repo.replace(CERTIFIED, "id: 2024-zezhou-001", "id: 2024-zezhou-009")
    result = repo.check()
    assert_refused(result, (CERTIFIED, *repo.position(CERTIFIED, "2024-zezhou-009"), "G904"))


# ---------------------------------------------------------------------------
# Added events follow the state machine from the base's state
# ---------------------------------------------------------------------------


def test_skipping_a_stage_is_refused(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-20, event: certified, document_number: 晋市科发〔2026〕99号, "
                                "center_id: coalbed-methane-development}")
    result = repo.check()
    assert_refused(result, (REVIEWED, *repo.position(REVIEWED, "certified"), "G905"))
    message = result.findings[0]["message"]
    assert "待市科技局复核" in message and "bureau-rechecked" in message


def test_a_rejection_must_name_the_pending_stage(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-20, event: rejected, stage: department-review, reason: 材料不全}")
    result = repo.check()
    assert_refused(result, (REVIEWED, *repo.position(REVIEWED, "rejected"), "G905"))
    assert "bureau-recheck" in result.findings[0]["message"]


def test_events_added_to_a_new_file_start_from_new(repo):
    new = "registry/applications/zezhou/2026-zezhou-950.yml"
    repo.write(new, application_text(new, ["{date: 2026-11-20, event: department-approved}"]))
    result = repo.check()
    assert_refused(result, (new, *repo.position(new, "department-approved"), "G905"))
    assert "尚未申报" in result.findings[0]["message"]


def test_backdating_is_refused(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-01, event: bureau-rechecked}")
    result = repo.check()
    assert_refused(result, (REVIEWED, *repo.position(REVIEWED, "2026-11-01"), "G906"))
    assert "2026-11-09" in result.findings[0]["message"]


def test_certifying_inside_the_publicity_window_is_refused(repo):
    repo.append_event(IN_PUBLICITY, "{date: 2026-11-06, event: certified, document_number: 晋市科发〔2026〕99号, "
                                    "center_id: coalbed-methane-development}")
    result = repo.check("--actor", BUREAU)
    assert_refused(result, (IN_PUBLICITY, *repo.position(IN_PUBLICITY, "2026-11-06"), "G907"))
    message = result.findings[0]["message"]
    assert "2026-11-07" in message and "2026-11-02至2026-11-06" in message


def test_the_publicity_rules_are_the_bases(repo):
    """A change cannot shorten the publicity it is judged by, not even an admin's."""
    repo.replace("registry/policy.yml", "working_days: 5", "working_days: 1")
    repo.append_event(IN_PUBLICITY, "{date: 2026-11-03, event: certified, document_number: 晋市科发〔2026〕99号, "
                                    "center_id: coalbed-methane-development}")
    result = repo.check("--actor", ADMIN)
    assert_refused(result, (IN_PUBLICITY, *repo.position(IN_PUBLICITY, "2026-11-03"), "G907"))


def test_a_missing_calendar_year_is_refused_not_guessed(repo):
    repo.path("registry/calendar/2026.yml").unlink()
    base = repo.commit("base without 2026")
    repo.append_event(IN_PUBLICITY, "{date: 2026-11-09, event: certified, document_number: 晋市科发〔2026〕99号, "
                                    "center_id: coalbed-methane-development}")
    result = repo.check(base=base)
    assert_refused(result, (IN_PUBLICITY, *repo.position(IN_PUBLICITY, "2026-11-09"), "G908"))
    assert "registry/calendar/2026.yml" in result.findings[0]["message"]


def test_an_unreadable_added_event_is_refused(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-31, event: bureau-rechecked}")
    result = repo.check()
    assert_refused(result, (REVIEWED, *repo.position(REVIEWED, "{date: 2026-11-31"), "G909"))


def test_an_unparsable_changed_file_is_reported_by_the_loader(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-20, event: [bureau-rechecked}")
    result = repo.check()
    assert result.code == 1
    assert [f["rule"] for f in result.findings] == ["L103"]


# ---------------------------------------------------------------------------
# Who may do what (--actor; the role comes from staff.yml at the base)
# ---------------------------------------------------------------------------


def test_an_applicant_may_not_record_a_staff_event(repo):
    repo.append_event(SUBMITTED, "{date: 2026-11-20, event: department-approved}")
    result = repo.check("--actor", APPLICANT)
    assert_refused(result, (SUBMITTED, *repo.position(SUBMITTED, "department-approved"), "G911"))
    message = result.findings[0]["message"]
    assert APPLICANT in message and "department（组织管理部门）" in message
    # Without --actor who may do what is not judged: the event itself is legal.
    assert_passes(repo.check())


def test_an_applicant_may_not_edit_a_center(repo):
    repo.replace("registry/centers/coalbed-methane-development.yml", "summary: >-", "summary: >")
    result = repo.check("--actor", APPLICANT)
    assert_refused(result, ("registry/centers/coalbed-methane-development.yml", 1, 1, "G910"))
    assert "bureau（市科技局）" in result.findings[0]["message"]


def test_an_applicant_may_not_edit_after_department_review(repo):
    repo.replace(REVIEWED, "rd_equipment_value_yuan: ", "rd_equipment_value_yuan: 9")
    result = repo.check("--actor", APPLICANT)
    line, column = repo.position(REVIEWED, "rd_equipment_value_yuan: 9")
    at = (REVIEWED, line, column + len("rd_equipment_value_yuan: "))
    # G918 also says the edit lacks an `amended` event (which this state would not allow either).
    assert_refused(result, (*at, "G913"), (*at, "G918"))
    assert "待市科技局复核" in result.findings[0]["message"]


def test_an_applicant_pull_request_that_also_edits_the_validator_is_refused(repo):
    new = "registry/applications/zezhou/2026-zezhou-950.yml"
    repo.write(new, application_text(new, ["{date: 2026-11-20, event: submitted}"]))
    repo.write(VALIDATOR, repo.read(VALIDATOR) + "\n# 放行一切\n")
    repo.write("scripts/ticreg/rules/eligibility.py", "# 规则已删除\n")
    repo.commit()
    result = repo.check("--head", "HEAD", "--actor", APPLICANT)
    assert_refused(result, ("scripts/ticreg/rules/eligibility.py", 1, 1, "G910"), (VALIDATOR, 1, 1, "G910"))
    assert "admin（系统管理员）" in result.findings[0]["message"]


def test_a_pull_request_cannot_grant_itself_a_role(repo):
    repo.replace("registry/staff.yml", "staff:\n", f"staff:\n  - {{login: {APPLICANT}, name: 冒充, role: admin}}\n")
    repo.replace("registry/policy.yml", "working_days: 5", "working_days: 1")
    result = repo.check("--actor", APPLICANT)
    assert_refused(result, ("registry/policy.yml", 1, 1, "G910"), ("registry/staff.yml", 1, 1, "G910"))
    assert "未列入基准版本的 staff.yml" in result.findings[0]["message"]


def test_an_applicant_may_not_add_other_files_in_the_applications_folder(repo):
    repo.write("registry/applications/zezhou/notes.txt", "随附材料\n")
    # G916 (no such kind of file in the registry) is refused whoever adds it.
    assert_refused(repo.check("--actor", APPLICANT), ("registry/applications/zezhou/notes.txt", 1, 1, "G910"),
                   ("registry/applications/zezhou/notes.txt", 1, 1, "G916"))


def test_a_county_may_not_approve_another_countys_application(repo):
    repo.append_event(OTHER_COUNTY, "{date: 2026-11-20, event: department-approved}")
    result = repo.check("--actor", ZEZHOU)
    assert_refused(result, (OTHER_COUNTY, *repo.position(OTHER_COUNTY, "department-approved"), "G912"))
    assert "zezhou" in result.findings[0]["message"] and "applications/gaoping/" in result.findings[0]["message"]


def test_a_county_may_not_edit_an_applications_fields(repo):
    repo.replace(SUBMITTED, "floor_area_m2: ", "floor_area_m2: 1")
    repo.append_event(SUBMITTED, "{date: 2026-11-20, event: department-approved}")
    result = repo.check("--actor", ZEZHOU)
    line, column = repo.position(SUBMITTED, "floor_area_m2: 1")
    at = (SUBMITTED, line, column + len("floor_area_m2: "))
    assert_refused(result, (*at, "G914"), (*at, "G918"))


def test_a_county_may_not_record_the_bureaus_stages(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-20, event: bureau-rechecked}")
    result = repo.check("--actor", ZEZHOU)
    assert_refused(result, (REVIEWED, *repo.position(REVIEWED, "bureau-rechecked"), "G911"))


def test_the_bureau_may_not_record_a_department_review(repo):
    repo.append_event(SUBMITTED, "{date: 2026-11-20, event: rejected, stage: department-review, reason: 不符合条件}")
    result = repo.check("--actor", BUREAU)
    assert_refused(result, (SUBMITTED, *repo.position(SUBMITTED, "rejected"), "G911"))


def test_staff_yml_is_read_at_the_base_and_logins_ignore_case(repo):
    repo.append_event(SUBMITTED, "{date: 2026-11-20, event: department-approved}")
    assert_passes(repo.check("--actor", ZEZHOU.upper()))


# ---------------------------------------------------------------------------
# Legitimate changes pass
# ---------------------------------------------------------------------------


def test_an_applicant_may_add_a_new_application(repo):
    new = "registry/applications/gaoping/2026-gaoping-950.yml"
    repo.write(new, application_text(new, ["{date: 2026-11-20, event: submitted}"]))
    repo.commit()
    assert_passes(repo.check("--head", "HEAD", "--actor", APPLICANT))


def test_an_applicant_may_edit_before_review_and_may_withdraw(repo):
    repo.replace(SUBMITTED, "floor_area_m2: ", "floor_area_m2: 1")
    repo.append_event(SUBMITTED, "{date: 2026-11-20, event: amended, fields: [floor_area_m2]}")
    repo.append_event(REVIEWED, "{date: 2026-11-20, event: withdrawn, reason: 暂缓申报}")
    assert_passes(repo.check("--actor", APPLICANT))


def test_a_county_may_approve_its_own_application(repo):
    repo.append_event(SUBMITTED, "{date: 2026-11-20, event: department-approved, document_number: 泽科发〔2026〕7号}")
    repo.commit()
    assert_passes(repo.check("--head", "HEAD", "--actor", ZEZHOU))


def test_the_bureau_may_record_the_next_stage(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-20, event: bureau-rechecked}")
    assert_passes(repo.check("--actor", BUREAU))


def test_the_bureau_may_certify_after_publicity_and_add_the_center(repo):
    repo.append_event(IN_PUBLICITY, "{date: 2026-11-09, event: certified, document_number: 晋市科发〔2026〕99号, "
                                    "center_id: new-center}")
    center = repo.read("registry/centers/coalbed-methane-development.yml")
    repo.write("registry/centers/new-center.yml", center.replace("id: coalbed-methane-development", "id: new-center"))
    assert_passes(repo.check("--actor", BUREAU))


def test_an_admin_may_edit_policy_and_tooling(repo):
    repo.replace("registry/policy.yml", "working_days: 5", "working_days: 6")
    repo.write(VALIDATOR, repo.read(VALIDATOR) + "\n")
    repo.commit()
    assert_passes(repo.check("--head", "HEAD", "--actor", ADMIN))


def test_no_change_passes(repo):
    result = repo.check("--head", "HEAD")
    assert_passes(result)
    assert json.loads(result.stdout)["summary"] == {"files": 0, "errors": 0, "warnings": 0}


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def test_head_defaults_to_the_working_tree_including_untracked_files(repo):
    repo.append_event(REVIEWED, "{date: 2026-11-20, event: bureau-rechecked}")
    repo.commit("committed: legal")
    committed = repo.git("rev-parse", "HEAD")
    # Uncommitted: a rewritten old event and an untracked new file.
    repo.replace(CERTIFIED, "{date: 2024-03-25, event: department-approved}",
                 "{date: 2024-03-20, event: department-approved}")
    new = "registry/applications/zezhou/2026-zezhou-950.yml"
    repo.write(new, application_text(new, ["{date: 2026-11-20, event: certified}"]))
    result = repo.check()
    assert [(f[0], f[3]) for f in found(result)] == [(CERTIFIED, "G901"), (new, "G905")]
    assert result.code == 1
    # The committed change alone is legal.
    assert_passes(repo.check("--head", committed))
    assert_passes(repo.check("--head", "HEAD"))


def test_an_ignored_file_is_not_part_of_the_change(repo):
    repo.write(".gitignore", "*.tmp\n")
    repo.commit("ignore")
    repo.write("scripts/scratch.tmp", "x\n")
    assert_passes(repo.check("--base", "HEAD", "--actor", APPLICANT))


def test_unknown_revisions_exit_2(repo):
    for args in (("--base", "no-such-branch"), ("--base", "HEAD", "--head", "no-such-branch"),
                 ("--base", "--help")):
        result = run_cli("check-changes", *args, cwd=repo.dir)
        assert result.code == 2, (args, result.stderr)
        assert result.stdout == ""
        assert re.search(r"[\u4e00-\u9fff]", result.stderr)
    assert "no-such-branch" in run_cli("check-changes", "--base", "no-such-branch", cwd=repo.dir).stderr


def test_outside_a_git_repository_exits_2(tmp_path):
    shutil.copytree(REGISTRY, tmp_path / "registry")
    result = run_cli("check-changes", "--base", "HEAD", cwd=tmp_path)
    assert result.code == 2
    assert "git" in result.stderr


def test_missing_base_option_exits_2(repo):
    result = run_cli("check-changes", cwd=repo.dir)
    assert result.code == 2 and "--base" in result.stderr


def test_text_and_github_formats_match_validate(repo, tmp_path):
    repo.replace(CERTIFIED, "{date: 2024-03-25, event: department-approved}",
                 "{date: 2024-03-20, event: department-approved}")
    line, column = repo.position(CERTIFIED, "2024-03-20")
    data = repo.check()
    finding = data.findings[0]

    text = repo.check(fmt="text")
    assert text.code == 1
    assert text.stdout == f"{CERTIFIED}:{line}:{column}: G901 {finding['message']}\n"
    assert text.stderr.strip() == "检查了 1 个文件：1 个错误，0 个警告。"

    summary = tmp_path / "summary.md"
    github = repo.check(fmt="github", env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert github.code == 1
    assert github.stdout.startswith(f"::error file={CERTIFIED},line={line},col={column},title=G901 ")
    assert github.stdout.count("\n") == 1
    markdown = summary.read_text(encoding="utf-8")
    assert "❌" in markdown and "G901" in markdown and f"{CERTIFIED}:{line}:{column}" in markdown


def test_paths_are_shown_relative_to_the_working_directory(repo):
    repo.replace(CERTIFIED, "id: 2024-zezhou-001", "id: 2024-zezhou-009")
    result = run_cli("check-changes", "--base", repo.base, "--registry", ".", "--format", "json",
                     cwd=repo.dir / "registry")
    assert [f["path"] for f in result.findings] == ["applications/zezhou/2024-zezhou-001.yml"]


# Each rule of ticreg/rules/changes.py and the tests above that make it fire
# (tests/test_rules_history_personal_crossfile.py collects these across files).
COVERED_MODULES = {"ticreg.rules.changes.paths"}
FAILING_CASES = {
    "G901": ["test_rewriting_an_old_event_is_refused", "test_reordering_old_events_is_refused"],
    "G902": ["test_truncating_the_history_is_refused_at_the_history"],
    "G903": ["test_deleting_a_revoked_center_is_refused", "test_renaming_a_file_is_refused_at_the_new_file"],
    "G904": ["test_changing_an_id_is_refused"],
    "G905": ["test_skipping_a_stage_is_refused", "test_a_rejection_must_name_the_pending_stage"],
    "G906": ["test_backdating_is_refused"],
    "G907": ["test_certifying_inside_the_publicity_window_is_refused"],
    "G908": ["test_a_missing_calendar_year_is_refused_not_guessed"],
    "G909": ["test_an_unreadable_added_event_is_refused"],
    "G910": ["test_an_applicant_pull_request_that_also_edits_the_validator_is_refused",
             "test_an_applicant_may_not_edit_a_center"],
    "G911": ["test_an_applicant_may_not_record_a_staff_event", "test_a_county_may_not_record_the_bureaus_stages"],
    "G912": ["test_a_county_may_not_approve_another_countys_application"],
    "G913": ["test_an_applicant_may_not_edit_after_department_review"],
    "G914": ["test_a_county_may_not_edit_an_applications_fields"],
}


def test_every_change_rule_has_a_failing_case():
    assert sorted(FAILING_CASES) == ALL_RULES
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
