"""What each Art. 9 stage leaves behind: the optional fields of each stage's event, validated
when present (H704-H710, X515-X518), written by `ticreg record`, shown on the center page.

Both sides of every boundary: the exemplar application (registry/applications/zezhou/
2024-zezhou-001.yml, certified through every stage) with a field added is clean, and with
the field wrong has exactly the one finding, at the field.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from conftest import REGISTRY, TODAY, CliResult, MiniRegistry, run_cli
from rule_helpers import (
    APP,
    POLICY,
    assert_each_rule_has_a_failing_case,
    expect_clean,
    expect_one,
    replace_text,
    table,
    text_pos,
)
from ticreg_schemas import Policy
from ticreg_schemas.events import EVIDENCE_FIELDS

SECOND = "registry/applications/zezhou/2024-zezhou-002.yml"


def add(mini: MiniRegistry, event_line: str, extra: str, path: Path | None = None) -> None:
    """Add flow-mapping fields to the history item whose text ends with ``event_line``."""
    replace_text(path or mini.application, event_line + "}", f"{event_line}, {extra}}}")


def end_after(mini: MiniRegistry, last_kept: str, *new_items: str) -> None:
    """Keep the exemplar's history up to the item holding ``last_kept``, then ``new_items``;
    the center goes (an application that was not certified has none)."""
    text = mini.application.read_text(encoding="utf-8")
    head, _, items = text.partition("\nhistory:\n")
    kept = []
    for line in items.splitlines(keepends=True):
        kept.append(line)
        if last_kept in line:
            break
    body = "".join(kept) + "".join(f"  - {item}\n" for item in new_items)
    mini.application.write_text(head + "\nhistory:\n" + body, encoding="utf-8")
    mini.center.unlink()


def second_application(mini: MiniRegistry, session: str, day: str) -> Path:
    """Another application of the same department, pending after its party-group meeting."""
    text = mini.application.read_text(encoding="utf-8")
    text = text.replace("id: 2024-zezhou-001", "id: 2024-zezhou-002")
    text = re.sub(r"proposed_name: .*", "proposed_name: 晋城市煤层气测试技术创新中心", text)
    head, _, _ = text.partition("\nhistory:\n")
    history = (
        "  - {date: 2024-03-11, event: submitted}\n"
        "  - {date: 2024-03-25, event: department-approved}\n"
        "  - {date: 2024-04-10, event: bureau-rechecked}\n"
        "  - {date: 2024-04-23, event: site-inspected}\n"
        "  - {date: 2024-05-14, event: expert-reviewed}\n"
        f"  - {{date: {day}, event: meeting-approved, session: {session}}}\n"
    )
    return mini.write("applications/zezhou/2024-zezhou-002.yml", head + "\nhistory:\n" + history)


def with_staff(mini: MiniRegistry) -> None:
    shutil.copy(REGISTRY / "staff.yml", mini.root / "staff.yml")


# ---------------------------------------------------------------------------
# The fields themselves: allowed where the stage is, refused elsewhere
# ---------------------------------------------------------------------------


def test_every_stage_field_on_its_own_event_is_clean(mini: MiniRegistry) -> None:
    with_staff(mini)
    add(mini, "event: department-approved", "document_number: 泽科发〔2024〕9号, reviewed_by: zezhou")
    add(mini, "event: bureau-rechecked", "bureau_staff: [jcst-bureau-li], conclusion: passed")
    add(mini, "event: site-inspected", "joint_departments: [zezhou, industry], conclusion: passed")
    add(mini, "event: expert-reviewed", "panel_size: 7, conclusion: passed, score: 86.5")
    add(mini, "event: meeting-approved", "session: 2024年第9次局党组会议")
    add(mini, "event: publicity-started", "notice_url: 'https://example.com/n/1.html'")
    add(mini, "center_id: coalbed-methane-development", "notice_url: 'https://example.com/n/1.html'")
    expect_clean(mini)


def test_a_stage_field_on_another_event_is_h701(mini: MiniRegistry) -> None:
    add(mini, "event: meeting-approved", "panel_size: 7")
    finding = expect_one(mini, "H701", text_pos(mini.application, "panel_size: 7"))
    assert "meeting-approved" in finding.message and "panel_size" in finding.message


def test_no_field_names_an_expert(mini: MiniRegistry) -> None:
    """The registry has no field for expert names: writing one is an unknown field."""
    add(mini, "event: expert-reviewed", "experts: [张三, 李四]")
    finding = expect_one(mini, "S102", text_pos(mini.application, "experts"))
    assert "experts" in finding.message


def test_every_stage_field_appears_in_the_sample_registry() -> None:
    used: set[tuple[str, str]] = set()
    for path in (REGISTRY / "applications").glob("*/*.yml"):
        for event in yaml.safe_load(path.read_text(encoding="utf-8"))["history"]:
            used |= {(event["event"], name) for name in event}
    fields = {name for _, name in used}
    assert set(EVIDENCE_FIELDS) <= fields, set(EVIDENCE_FIELDS) - fields
    assert ("certified", "notice_url") in used
    assert ("rejected", "panel_size") in used  # a rejection carrying its stage's evidence


# ---------------------------------------------------------------------------
# H704 — a rejection's evidence belongs to its stage
# ---------------------------------------------------------------------------


def test_h704_rejection_carries_its_own_stage_evidence(mini: MiniRegistry) -> None:
    end_after(mini, "event: site-inspected",
              "{date: 2024-05-14, event: rejected, stage: expert-review, panel_size: 7, conclusion: not-passed, "
              "score: 58, reason: 研究方向不聚焦}")
    expect_clean(mini)


def test_h704_rejection_with_another_stage_evidence(mini: MiniRegistry) -> None:
    end_after(mini, "event: site-inspected",
              "{date: 2024-05-14, event: rejected, stage: expert-review, session: 2024年第9次局党组会议, "
              "reason: 研究方向不聚焦}")
    finding = expect_one(mini, "H704", text_pos(mini.application, "session:"))
    assert "专家评审" in finding.message and "session" in finding.message and "panel_size" in finding.message


def test_h704_publicity_has_no_stage_evidence(mini: MiniRegistry) -> None:
    replace_text(mini.application,
                 "  - {date: 2024-06-17, event: certified, document_number: 晋市科发〔2024〕31号, "
                 "center_id: coalbed-methane-development}\n",
                 "  - {date: 2024-06-07, event: objection-raised}\n"
                 "  - {date: 2024-06-12, event: objection-upheld}\n"
                 "  - {date: 2024-06-13, event: rejected, stage: publicity, conclusion: not-passed, reason: 异议成立}\n")
    mini.center.unlink()
    finding = expect_one(mini, "H704", text_pos(mini.application, "conclusion:"))
    assert "没有可附的材料" in finding.message


# ---------------------------------------------------------------------------
# H705 — the conclusion agrees with the event
# ---------------------------------------------------------------------------


def test_h705_not_passed_on_the_pass_event(mini: MiniRegistry) -> None:
    add(mini, "event: expert-reviewed", "conclusion: not-passed")
    finding = expect_one(mini, "H705", text_pos(mini.application, "not-passed"))
    assert "rejected" in finding.message and "expert-review" in finding.message


def test_h705_passed_on_a_rejection(mini: MiniRegistry) -> None:
    end_after(mini, "event: bureau-rechecked",
              "{date: 2024-04-23, event: rejected, stage: site-inspection, conclusion: passed, reason: 面积不足}")
    finding = expect_one(mini, "H705", text_pos(mini.application, "conclusion: passed", "passed"))
    assert "not-passed" in finding.message


def test_h705_not_passed_on_a_rejection_is_clean(mini: MiniRegistry) -> None:
    end_after(mini, "event: bureau-rechecked",
              "{date: 2024-04-23, event: rejected, stage: site-inspection, conclusion: not-passed, reason: 面积不足}")
    expect_clean(mini)


# ---------------------------------------------------------------------------
# H706 — the expert panel's size (policy: at least 5, odd)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 7, 9])
def test_h706_panel_at_the_minimum_and_odd_is_clean(mini: MiniRegistry, size: int) -> None:
    assert POLICY["stage_records"]["expert_panel_min_size"] == 5
    add(mini, "event: expert-reviewed", f"panel_size: {size}")
    expect_clean(mini)


@pytest.mark.parametrize(("size", "why"), [(3, "应不少于 5 人"), (4, "应不少于 5 人"), (6, "应为奇数")])
def test_h706_panel_too_small_or_even(mini: MiniRegistry, size: int, why: str) -> None:
    add(mini, "event: expert-reviewed", f"panel_size: {size}")
    finding = expect_one(mini, "H706", text_pos(mini.application, f"panel_size: {size}", str(size)))
    assert why in finding.message


def test_h706_even_panel_is_clean_when_policy_does_not_ask_for_odd(mini: MiniRegistry) -> None:
    replace_text(mini.root / "policy.yml", "expert_panel_odd: true", "expert_panel_odd: false")
    add(mini, "event: expert-reviewed", "panel_size: 6")
    expect_clean(mini)


def test_panel_size_zero_is_a_schema_error(mini: MiniRegistry) -> None:
    add(mini, "event: expert-reviewed", "panel_size: 0")
    expect_one(mini, "S103", text_pos(mini.application, "panel_size: 0", "0"))


# ---------------------------------------------------------------------------
# H707 — the score within policy's range (0-100)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("score", ["0", "100", "86.5"])
def test_h707_score_within_range(mini: MiniRegistry, score: str) -> None:
    add(mini, "event: expert-reviewed", f"score: {score}")
    expect_clean(mini)


def test_h707_score_above_range(mini: MiniRegistry) -> None:
    add(mini, "event: expert-reviewed", "score: 100.5")
    finding = expect_one(mini, "H707", text_pos(mini.application, "100.5"))
    assert "0 至 100" in finding.message


def test_h707_score_without_a_range_in_policy(mini: MiniRegistry) -> None:
    replace_text(mini.root / "policy.yml", "  expert_score_range: {min: 0, max: 100}\n", "")
    add(mini, "event: expert-reviewed", "score: 80")
    finding = expect_one(mini, "H707", text_pos(mini.application, "score: 80", "80"))
    assert "expert_score_range" in finding.message


# ---------------------------------------------------------------------------
# H708 — the department's document number
# ---------------------------------------------------------------------------


def test_h708_document_number_of_the_review_year_is_clean(mini: MiniRegistry) -> None:
    add(mini, "event: department-approved", "document_number: 泽科发〔2024〕9号")
    expect_clean(mini)


def test_h708_document_number_of_another_year(mini: MiniRegistry) -> None:
    add(mini, "event: department-approved", "document_number: 泽科发〔2023〕9号")
    finding = expect_one(mini, "H708", text_pos(mini.application, "泽科发〔2023〕9号"))
    assert "2023" in finding.message and "2024" in finding.message


def test_h708_document_number_without_the_format(mini: MiniRegistry) -> None:
    add(mini, "event: department-approved", "document_number: abc")
    finding = expect_one(mini, "H708", text_pos(mini.application, "document_number: abc", "abc"))
    assert "格式" in finding.message


# ---------------------------------------------------------------------------
# H709 — the party-group session reference
# ---------------------------------------------------------------------------


def test_h709_session_of_another_year(mini: MiniRegistry) -> None:
    add(mini, "event: meeting-approved", "session: 2023年第9次局党组会议")
    finding = expect_one(mini, "H709", text_pos(mini.application, "2023年第9次局党组会议"))
    assert "2023" in finding.message and "2024" in finding.message


def test_h709_session_without_the_format(mini: MiniRegistry) -> None:
    add(mini, "event: meeting-approved", "session: 第9次会议")
    finding = expect_one(mini, "H709", text_pos(mini.application, "第9次会议"))
    assert "格式" in finding.message


# ---------------------------------------------------------------------------
# H710 — the notice a certification followed
# ---------------------------------------------------------------------------


def test_h710_certification_names_another_notice(mini: MiniRegistry) -> None:
    add(mini, "event: publicity-started", "notice_url: 'https://example.com/n/1.html'")
    add(mini, "center_id: coalbed-methane-development", "notice_url: 'https://example.com/n/2.html'")
    finding = expect_one(mini, "H710", text_pos(mini.application, "'https://example.com/n/2.html'"))
    assert "history[6]" in finding.message and "https://example.com/n/1.html" in finding.message


def test_h710_certification_names_a_notice_its_publicity_did_not_record(mini: MiniRegistry) -> None:
    add(mini, "center_id: coalbed-methane-development", "notice_url: 'https://example.com/n/1.html'")
    finding = expect_one(mini, "H710", text_pos(mini.application, "'https://example.com/n/1.html'"))
    assert "没有填写 notice_url" in finding.message


# ---------------------------------------------------------------------------
# X515 — the reviewing department is the application's own
# ---------------------------------------------------------------------------


def test_x515_own_department_is_clean(mini: MiniRegistry) -> None:
    add(mini, "event: department-approved", "reviewed_by: zezhou")
    expect_clean(mini)


def test_x515_another_department_reviewed(mini: MiniRegistry) -> None:
    add(mini, "event: department-approved", "reviewed_by: gaoping")
    finding = expect_one(mini, "X515", text_pos(mini.application, "gaoping"))
    assert "history[1].reviewed_by" in finding.message and "“zezhou”" in finding.message


def test_x515_on_a_rejection_at_department_review(mini: MiniRegistry) -> None:
    end_after(mini, "event: submitted",
              "{date: 2024-03-25, event: rejected, stage: department-review, reviewed_by: industry, reason: 不符合}")
    expect_one(mini, "X515", text_pos(mini.application, "industry"))


# ---------------------------------------------------------------------------
# X516 — Bureau staff are staff.yml's Bureau logins
# ---------------------------------------------------------------------------


def test_x516_bureau_login_is_clean(mini: MiniRegistry) -> None:
    with_staff(mini)
    add(mini, "event: site-inspected", "bureau_staff: [jcst-bureau-li, jcst-bureau-wang]")
    expect_clean(mini)


def test_x516_a_department_login_is_not_bureau_staff(mini: MiniRegistry) -> None:
    with_staff(mini)
    add(mini, "event: site-inspected", "bureau_staff: [jcst-bureau-li, zezhou-kjj]")
    finding = expect_one(mini, "X516", text_pos(mini.application, "zezhou-kjj"))
    assert "bureau" in finding.message and "jcst-bureau-li" in finding.message


def test_x516_the_same_login_twice(mini: MiniRegistry) -> None:
    with_staff(mini)
    add(mini, "event: site-inspected", "bureau_staff: [jcst-bureau-li, jcst-bureau-li]")
    finding = expect_one(mini, "X516", text_pos(mini.application, "jcst-bureau-li]"))
    assert "重复" in finding.message


def test_x516_without_staff_yml_no_login_is_known(mini: MiniRegistry) -> None:
    add(mini, "event: site-inspected", "bureau_staff: [jcst-bureau-li]")
    expect_one(mini, "X516", text_pos(mini.application, "jcst-bureau-li"))


# ---------------------------------------------------------------------------
# X517 — joint departments
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("listed", "bad", "why"), [
    ("[zezhou, nowhere]", "nowhere", "不在 registry/departments.yml 中"),
    ("[bureau]", "[bureau", "市科技局本身"),
    ("[industry, industry]", "industry]", "重复"),
])
def test_x517_joint_departments(mini: MiniRegistry, listed: str, bad: str, why: str) -> None:
    add(mini, "event: bureau-rechecked", f"joint_departments: {listed}")
    finding = expect_one(mini, "X517", text_pos(mini.application, bad, bad.lstrip("[")))
    assert why in finding.message


# ---------------------------------------------------------------------------
# X518 — party-group meetings agree across the registry
# ---------------------------------------------------------------------------


def test_x518_one_session_on_one_day_for_two_applications_is_clean(mini: MiniRegistry) -> None:
    add(mini, "event: meeting-approved", "session: 2024年第9次局党组会议")
    second_application(mini, "2024年第9次局党组会议", "2024-06-04")
    expect_clean(mini)


def test_x518_one_session_on_two_days(mini: MiniRegistry) -> None:
    add(mini, "event: meeting-approved", "session: 2024年第9次局党组会议")
    second = second_application(mini, "2024年第9次局党组会议", "2024-06-05")
    findings = mini.check()
    assert table(findings) == [
        (APP, *text_pos(mini.application, "2024年第9次局党组会议"), "X518", "error"),
        (SECOND, *text_pos(second, "2024年第9次局党组会议"), "X518", "error"),
    ]
    assert "2024-06-05" in findings[0].message and SECOND in findings[0].message


def test_x518_later_session_on_an_earlier_day(mini: MiniRegistry) -> None:
    add(mini, "event: meeting-approved", "session: 2024年第9次局党组会议")  # 2024-06-04
    second = second_application(mini, "2024年第10次局党组会议", "2024-06-01")
    findings = mini.check()
    assert table(findings) == [
        (APP, *text_pos(mini.application, "2024年第9次局党组会议"), "X518", "error"),
        (SECOND, *text_pos(second, "2024年第10次局党组会议"), "X518", "error"),
    ]
    assert "次序与日期矛盾" in findings[1].message


def test_x518_later_session_on_a_later_day_is_clean(mini: MiniRegistry) -> None:
    add(mini, "event: meeting-approved", "session: 2024年第9次局党组会议")
    second_application(mini, "2024年第10次局党组会议", "2024-06-05")
    expect_clean(mini)


# ---------------------------------------------------------------------------
# policy.yml: the formats must name their year
# ---------------------------------------------------------------------------


def test_policy_patterns_must_name_the_year() -> None:
    data = yaml.safe_load((REGISTRY / "policy.yml").read_text(encoding="utf-8"))
    Policy.model_validate(data)
    data["stage_records"]["department_document_pattern"] = r"^\S+号$"
    with pytest.raises(ValidationError, match="year"):
        Policy.model_validate(data)


# ---------------------------------------------------------------------------
# ticreg record: writes the fields, refuses what validate refuses
# ---------------------------------------------------------------------------


def _record(mini: MiniRegistry, *args: str) -> CliResult:
    return run_cli("record", *args, "--today", TODAY.isoformat(), cwd=mini.base)


def _pending_after(mini: MiniRegistry, last_kept: str) -> None:
    end_after(mini, last_kept)
    with_staff(mini)


def test_record_writes_the_stage_fields(mini: MiniRegistry) -> None:
    _pending_after(mini, "event: site-inspected")
    result = _record(mini, "expert-reviewed", "2024-zezhou-001", "--date", "2024-05-14",
                     "--panel-size", "7", "--conclusion", "passed", "--score", "86.5")
    assert result.code == 0, result.stderr
    last = mini.application.read_text(encoding="utf-8").splitlines()[-1]
    assert last == "  - {date: 2024-05-14, event: expert-reviewed, panel_size: 7, conclusion: passed, score: 86.5}"
    result = _record(mini, "meeting-approved", "2024-zezhou-001", "--date", "2024-06-04",
                     "--session", "2024年第9次局党组会议")
    assert result.code == 0, result.stderr
    expect_clean(mini)


def test_record_writes_staff_and_joint_departments_as_lists(mini: MiniRegistry) -> None:
    _pending_after(mini, "event: department-approved")
    result = _record(mini, "bureau-rechecked", "2024-zezhou-001", "--date", "2024-04-10",
                     "--staff", "jcst-bureau-li,jcst-bureau-wang", "--joint-departments", "zezhou")
    assert result.code == 0, result.stderr
    event = mini.read_data(mini.application)["history"][-1]
    assert event["bureau_staff"] == ["jcst-bureau-li", "jcst-bureau-wang"]
    assert event["joint_departments"] == ["zezhou"]
    expect_clean(mini)


def test_record_refuses_an_even_panel_like_validate(mini: MiniRegistry) -> None:
    _pending_after(mini, "event: site-inspected")
    before = mini.application.read_bytes()
    result = _record(mini, "expert-reviewed", "2024-zezhou-001", "--date", "2024-05-14", "--panel-size", "6")
    assert result.code == 1
    assert "H706" in result.stderr and "应为奇数" in result.stderr
    assert mini.application.read_bytes() == before


def test_record_refuses_another_department_as_reviewer_after_writing(mini: MiniRegistry) -> None:
    """X515 needs the whole registry: the write is validated and undone."""
    _pending_after(mini, "event: submitted")
    before = mini.application.read_bytes()
    result = _record(mini, "department-approved", "2024-zezhou-001", "--date", "2024-03-25",
                     "--reviewed-by", "gaoping")
    assert result.code == 1
    assert "X515" in result.stderr and "已恢复原文件" in result.stderr
    assert mini.application.read_bytes() == before


def test_record_writes_the_evidence_on_a_rejection_at_its_stage(mini: MiniRegistry) -> None:
    _pending_after(mini, "event: site-inspected")
    result = _record(mini, "rejected", "2024-zezhou-001", "--date", "2024-05-14", "--stage", "expert-review",
                     "--panel-size", "5", "--conclusion", "not-passed", "--score", "58", "--reason", "研究方向不聚焦")
    assert result.code == 0, result.stderr
    event = mini.read_data(mini.application)["history"][-1]
    assert (event["panel_size"], event["conclusion"], event["score"]) == (5, "not-passed", 58)
    expect_clean(mini)


def test_record_refuses_a_certification_naming_another_notice(mini: MiniRegistry) -> None:
    end_after(mini, "event: meeting-approved",
              "{date: 2024-06-06, event: publicity-started, notice_url: 'https://example.com/n/1.html'}")
    before = mini.application.read_bytes()
    result = _record(mini, "certified", "2024-zezhou-001", "--date", "2024-06-17", "--center",
                     "coalbed-methane-development", "--ref", "晋市科发〔2024〕31号",
                     "--notice-url", "https://example.com/n/2.html")
    assert result.code == 1
    assert "H710" in result.stderr and "https://example.com/n/1.html" in result.stderr
    assert mini.application.read_bytes() == before


@pytest.mark.parametrize(("option", "value"), [
    ("--panel-size", "x"), ("--panel-size", "07"), ("--panel-size", "-5"), ("--score", "86.50"), ("--score", "1e2"),
])
def test_record_refuses_a_number_not_written_plainly(mini: MiniRegistry, option: str, value: str) -> None:
    _pending_after(mini, "event: site-inspected")
    result = _record(mini, "expert-reviewed", "2024-zezhou-001", "--date", "2024-05-14", f"{option}={value}")
    assert result.code == 2
    assert option in result.stderr and "无效" in result.stderr


# ---------------------------------------------------------------------------
# The center page: the procedure, nothing personal
# ---------------------------------------------------------------------------


def test_center_page_shows_the_procedure_without_staff(sample_site: Path) -> None:
    page = (sample_site / "site" / "centers" / "precision-casting" / "index.html").read_text(encoding="utf-8")
    start = page.index('<ol class="tic-timeline tic-procedure">')
    section = page[start:page.index("</ol>", start)]
    for shown in ("泽州县科学技术局", "泽科发〔2023〕21号", "晋城市工业和信息化局", "7 人", "86.5",
                  "2023年第16次局党组会议", "所依据的公示", "https://example.com/jcst/tzgg/2023-09-07.html"):
        assert shown in section, shown
    for hidden in ("jcst-bureau-wang", "jcst-bureau-li", "bureau_staff"):
        assert hidden not in page, hidden
    # The certification links to the publicity it followed, on this site too.
    notice = "notices/2023-09-07-publicity-2023-zezhou-001/"
    assert section.count(f'href="../../{notice}"') == 2  # publicity-started and certified
    assert (sample_site / "site" / notice / "index.html").is_file()


def test_policy_key_is_documented_in_the_readme_record_section() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `ticreg record EVENT ID`"):readme.index("### `ticreg new-application`")]
    for option in ("--reviewed-by", "--staff", "--joint-departments", "--conclusion", "--panel-size", "--score",
                   "--session", "--notice-url"):
        assert option in section, option


FAILING_CASES = {
    "H704": ["test_h704_rejection_with_another_stage_evidence", "test_h704_publicity_has_no_stage_evidence"],
    "H705": ["test_h705_not_passed_on_the_pass_event", "test_h705_passed_on_a_rejection"],
    "H706": ["test_h706_panel_too_small_or_even"],
    "H707": ["test_h707_score_above_range", "test_h707_score_without_a_range_in_policy"],
    "H708": ["test_h708_document_number_of_another_year", "test_h708_document_number_without_the_format"],
    "H709": ["test_h709_session_of_another_year", "test_h709_session_without_the_format"],
    "H710": ["test_h710_certification_names_another_notice",
             "test_h710_certification_names_a_notice_its_publicity_did_not_record"],
    "X515": ["test_x515_another_department_reviewed", "test_x515_on_a_rejection_at_department_review"],
    "X516": ["test_x516_a_department_login_is_not_bureau_staff", "test_x516_the_same_login_twice"],
    "X517": ["test_x517_joint_departments"],
    "X518": ["test_x518_one_session_on_two_days", "test_x518_later_session_on_an_earlier_day"],
}
COVERED_MODULES = {"ticreg.rules.history", "ticreg.rules.cross_file"}


def test_every_checking_rule_of_this_part_has_a_failing_case() -> None:
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())


def test_guide_describes_the_stage_evidence_from_policy(sample_site: Path) -> None:
    guide = (sample_site / "site" / "guide" / "index.html").read_text(encoding="utf-8")
    start = guide.index("各环节的办理材料")
    paragraph = guide[start:guide.index("</p>", start)]
    text = re.sub(r"<[^>]+>", "", paragraph)
    assert f"不少于 {POLICY['stage_records']['expert_panel_min_size']} 人，且为奇数" in text
    assert "0 至 100 分" in text and "不记录专家姓名" in text
