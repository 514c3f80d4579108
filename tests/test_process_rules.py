"""The process rules on whole registries: F801–F807, F810, F811 (rules/process.py)
and F808, F809 (rules/certification_links.py).

Every history is written as flow-mapping lines into a throw-away copy of the
exemplar registry (`mini`); each finding is checked for its exact rule,
severity, file, line and column, the position computed from the text of the
file as written (rule_helpers), never from the loader under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import REGISTRY, TODAY
from rule_helpers import (
    APP,
    CENTER,
    PLATFORM,
    assert_each_rule_has_a_failing_case,
    expect_clean,
    expect_one,
    replace_text,
    table,
    text_pos,
    value_pos,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "process"
CHANGE_ID = "2026-zezhou-001"
CHANGE_APP = f"registry/applications/zezhou/{CHANGE_ID}.yml"
OLD_NAME = "晋城市煤层气高效开发技术创新中心"
NEW_NAME = "晋城市煤层气智能开发技术创新中心"
CHANGE_DOC = "晋市科发〔2026〕19号"

# The exemplar application's history, line by line (registry/applications/zezhou/2024-zezhou-001.yml).
S = "{date: 2024-03-11, event: submitted}"
DA = "{date: 2024-03-25, event: department-approved}"
BR = "{date: 2024-04-10, event: bureau-rechecked}"
SI = "{date: 2024-04-23, event: site-inspected}"
ER = "{date: 2024-05-14, event: expert-reviewed}"
MA = "{date: 2024-06-04, event: meeting-approved}"
PS = "{date: 2024-06-06, event: publicity-started}"
CERT = "{date: 2024-06-17, event: certified, document_number: 晋市科发〔2024〕31号, center_id: coalbed-methane-development}"
NORMAL = [S, DA, BR, SI, ER, MA, PS, CERT]
OR = "{date: 2024-06-07, event: objection-raised}"
OD = "{date: 2024-06-12, event: objection-dismissed}"
OU = "{date: 2024-06-12, event: objection-upheld}"

# The exemplar center's one event.
C_CERT = "{date: 2024-06-17, event: certified, document_number: 晋市科发〔2024〕31号, application_id: 2024-zezhou-001}"
# A change application's steps, once the center is certified (2024-06-17): F814.
CS = "{date: 2024-06-18, event: submitted}"
CDA = "{date: 2024-06-19, event: department-approved}"
CBR = "{date: 2024-06-20, event: bureau-rechecked}"


# Art. 14: a third party evaluates; every evaluation names it (F821).
EVALUATOR = "示例评估咨询有限公司"


def ev(date: str, event: str, **fields: str) -> str:
    """One history event as a flow mapping."""
    extra = "".join(f", {key}: {value}" for key, value in fields.items())
    return f"{{date: {date}, event: {event}{extra}}}"


def rejected(date: str, stage: str) -> str:
    return ev(date, "rejected", stage=stage, reason=f"{stage}未通过")


def set_history(path: Path, lines: list[str]) -> None:
    """Replace the history (the last block of the exemplar files) with these events."""
    text = path.read_text(encoding="utf-8")
    head, sep, _ = text.partition("\nhistory:\n")
    assert sep, path
    path.write_text(head + sep + "".join(f"  - {line}\n" for line in lines), encoding="utf-8")


def value_in(path: Path, line: str, key: str) -> tuple[int, int]:
    """Line and column of the value of `key` inside the one history line `line`."""
    row, column = text_pos(path, line, at=f"{key}: ")
    return row, column + len(key) + 2


def make_direct_text(mini) -> None:
    """The exemplar application as an Art. 16 direct certification (layout kept)."""
    platform = "".join(f"  {key}: {value}\n" for key, value in PLATFORM.items())
    replace_text(mini.application, "kind: certification\n",
                 f"kind: direct-certification\nprovincial_platform:\n{platform}")


def add_change_application(mini) -> Path:
    """The fixture rename of the exemplar center, approved by CHANGE_DOC."""
    target = mini.root / "applications" / "zezhou" / f"{CHANGE_ID}.yml"
    shutil.copy(FIXTURES / f"{CHANGE_ID}.yml", target)
    return target


def changed_event(date: str = "2026-04-28", *, document_number: str = CHANGE_DOC, new_name: str = NEW_NAME,
                  former_name: str | None = OLD_NAME) -> str:
    fields = {"application_id": CHANGE_ID, "document_number": document_number}
    if former_name is not None:
        fields["former_name"] = former_name
    fields["new_name"] = new_name
    return ev(date, "changed", **fields)


def rename_center(mini, name: str = NEW_NAME) -> None:
    replace_text(mini.center, f"name: {OLD_NAME}\n", f"name: {name}\n")


# ---------------------------------------------------------------------------
# Applications: every legal path is clean
# ---------------------------------------------------------------------------


def test_normal_path_is_clean(mini):
    assert mini.application.read_text(encoding="utf-8").endswith("".join(f"  - {e}\n" for e in NORMAL))
    expect_clean(mini)


def test_direct_path_skips_site_inspection_and_expert_review(mini):
    make_direct_text(mini)
    set_history(mini.application, [S, DA, BR, MA, PS, CERT])
    expect_clean(mini)


def test_direct_path_that_records_site_inspection_is_f801(mini):
    make_direct_text(mini)
    set_history(mini.application, [S, DA, BR, SI, MA, PS, CERT])
    finding = expect_one(mini, "F801", value_in(mini.application, SI, "event"))
    assert "history[3].event" in finding.message
    assert "“市科技局复核通过”" in finding.message and "site-inspected" in finding.message
    assert "此时可记录：meeting-approved、rejected、withdrawn" in finding.message


def test_normal_path_may_not_take_the_direct_shortcut(mini):
    set_history(mini.application, [S, DA, BR, MA])
    mini.center.unlink()
    finding = expect_one(mini, "F801", value_in(mini.application, MA, "event"))
    assert "此时可记录：site-inspected、rejected、withdrawn" in finding.message


def test_skipping_bureau_recheck_is_f801_listing_the_allowed_events(mini):
    set_history(mini.application, [S, DA, SI])
    mini.center.unlink()
    finding = expect_one(mini, "F801", value_in(mini.application, SI, "event"))
    assert "当前状态为“待市科技局复核”" in finding.message
    assert "site-inspected（实地考察完成）" in finding.message
    assert "此时可记录：bureau-rechecked、rejected、withdrawn" in finding.message


def test_skipping_publicity_is_f801(mini):
    set_history(mini.application, [S, DA, BR, SI, ER, MA, CERT])
    findings = mini.check()
    # The application is not certified, so its center file is reported too (F808).
    assert table(findings) == [
        (APP, *value_in(mini.application, CERT, "event"), "F801", "error"),
        (CENTER, *value_pos(mini.center, "application_id"), "F808", "error"),
    ]
    assert "此时可记录：publicity-started、withdrawn" in findings[0].message


def test_change_path_is_clean(mini):
    add_change_application(mini)
    rename_center(mini)
    set_history(mini.center, [C_CERT, changed_event()])
    expect_clean(mini)


def test_change_path_has_no_bureau_recheck(mini):
    change = add_change_application(mini)
    set_history(change, [CS, CDA, CBR])
    finding = expect_one(mini, "F801", value_in(change, CBR, "event"), path=CHANGE_APP)
    assert "此时可记录：change-approved、rejected、withdrawn" in finding.message


def test_change_approval_on_a_certification_application_is_f801(mini):
    line = ev("2024-04-10", "change-approved", document_number="晋市科发〔2024〕9号")
    set_history(mini.application, [S, DA, line])
    mini.center.unlink()
    expect_one(mini, "F801", value_in(mini.application, line, "event"))


# ---------------------------------------------------------------------------
# Rejection at each stage (F806 when the stage is wrong)
# ---------------------------------------------------------------------------

REJECTIONS = [
    ("certification", [S], "department-review"),
    ("certification", [S, DA], "bureau-recheck"),
    ("certification", [S, DA, BR], "site-inspection"),
    ("certification", [S, DA, BR, SI], "expert-review"),
    ("certification", [S, DA, BR, SI, ER], "meeting"),
    ("certification", [S, DA, BR, SI, ER, MA, PS, OR, OU], "publicity"),
    ("direct-certification", [S], "department-review"),
    ("direct-certification", [S, DA], "bureau-recheck"),
    ("direct-certification", [S, DA, BR], "meeting"),
    ("direct-certification", [S, DA, BR, MA, PS, OR, OU], "publicity"),
    ("change", [CS], "department-review"),
    ("change", [CS, CDA], "change-review"),
]


def _application_of_kind(mini, kind: str) -> tuple[Path, str]:
    if kind == "change":
        return add_change_application(mini), CHANGE_APP
    if kind == "direct-certification":
        make_direct_text(mini)
    mini.center.unlink()  # an application that ends rejected has no center
    return mini.application, APP


@pytest.mark.parametrize(("kind", "before", "stage"), REJECTIONS, ids=lambda v: v if isinstance(v, str) else None)
def test_rejection_at_each_stage_is_clean(mini, kind, before, stage):
    path, _ = _application_of_kind(mini, kind)
    set_history(path, [*before, rejected("2024-06-20", stage)])
    expect_clean(mini)


WRONG_STAGES = [
    ("certification", [S], "bureau-recheck", "department-review"),
    ("certification", [S, DA], "department-review", "bureau-recheck"),
    ("certification", [S, DA, BR], "meeting", "site-inspection"),
    ("certification", [S, DA, BR, SI, ER], "expert-review", "meeting"),
    ("certification", [S, DA, BR, SI, ER, MA, PS, OR, OU], "meeting", "publicity"),
    ("direct-certification", [S, DA, BR], "site-inspection", "meeting"),
    ("change", [CS, CDA], "bureau-recheck", "change-review"),
]


@pytest.mark.parametrize(("kind", "before", "written", "expected"), WRONG_STAGES,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_f806_rejection_names_the_wrong_stage(mini, kind, before, written, expected):
    path, shown = _application_of_kind(mini, kind)
    line = rejected("2024-06-20", written)
    set_history(path, [*before, line])
    finding = expect_one(mini, "F806", value_in(path, line, "stage"), path=shown)
    assert f"“{written}”" in finding.message and f"“{expected}（" in finding.message


@pytest.mark.parametrize("before", [[S, DA, BR, SI, ER, MA], [S, DA, BR, SI, ER, MA, PS]],
                         ids=["after-meeting", "in-publicity-without-objection"])
def test_rejection_where_no_review_is_pending_is_f801(mini, before):
    mini.center.unlink()
    line = rejected("2024-06-20", "publicity")
    set_history(mini.application, [*before, line])
    finding = expect_one(mini, "F801", value_in(mini.application, line, "event"))
    assert "rejected（未予通过）" in finding.message


# ---------------------------------------------------------------------------
# Withdrawal; nothing follows a finished application
# ---------------------------------------------------------------------------

WITHDRAWN = ev("2024-06-20", "withdrawn", reason="申报单位撤回")


@pytest.mark.parametrize("count", range(1, 9), ids=lambda n: f"after-{n}-events")
def test_withdrawal_from_every_open_state_is_clean(mini, count):
    open_path = [S, DA, BR, SI, ER, MA, PS, OR]
    mini.center.unlink()
    set_history(mini.application, [*open_path[:count], WITHDRAWN])
    expect_clean(mini)


def test_no_withdrawal_once_an_objection_is_upheld(mini):
    mini.center.unlink()
    set_history(mini.application, [S, DA, BR, SI, ER, MA, PS, OR, OU, WITHDRAWN])
    finding = expect_one(mini, "F801", value_in(mini.application, WITHDRAWN, "event"))
    assert "此时可记录：rejected" in finding.message


@pytest.mark.parametrize(
    ("before", "state"),
    [
        ([S, WITHDRAWN], "已撤回"),
        ([S, rejected("2024-03-20", "department-review")], "未予通过"),
    ],
    ids=["withdrawn", "rejected"],
)
def test_nothing_may_follow_a_closed_application(mini, before, state):
    mini.center.unlink()
    late = "{date: 2024-06-25, event: department-approved}"
    set_history(mini.application, [*before, late])
    finding = expect_one(mini, "F801", value_in(mini.application, late, "event"))
    assert f"当前状态为“{state}”" in finding.message
    assert "（已办结，不能再记录事件）" in finding.message


def test_nothing_may_follow_certification(mini):
    set_history(mini.application, [*NORMAL, WITHDRAWN])
    finding = expect_one(mini, "F801", value_in(mini.application, WITHDRAWN, "event"))
    assert "当前状态为“已认定”" in finding.message
    assert "（已办结，不能再记录事件）" in finding.message


def test_change_application_is_finished_once_approved(mini):
    change = add_change_application(mini)
    rename_center(mini)
    set_history(mini.center, [C_CERT, changed_event()])
    late = "{date: 2026-05-06, event: withdrawn}"
    text = change.read_text(encoding="utf-8")
    change.write_text(text + f"  - {late}\n", encoding="utf-8")
    finding = expect_one(mini, "F801", value_in(change, late, "event"), path=CHANGE_APP)
    assert "当前状态为“变更已批准”" in finding.message


# ---------------------------------------------------------------------------
# Objections during publicity (F807)
# ---------------------------------------------------------------------------


def test_objection_dismissed_then_certified_is_clean(mini):
    set_history(mini.application, [S, DA, BR, SI, ER, MA, PS, OR, OD, CERT])
    expect_clean(mini)


def test_objection_upheld_then_rejected_at_publicity_is_clean(mini):
    mini.center.unlink()
    set_history(mini.application, [S, DA, BR, SI, ER, MA, PS, OR, OU, rejected("2024-06-14", "publicity")])
    expect_clean(mini)


def test_f807_certified_over_a_pending_objection(mini):
    set_history(mini.application, [S, DA, BR, SI, ER, MA, PS, OR, CERT])
    findings = mini.check()
    # F807, not F801; the center file of an uncertified application is F808's.
    assert table(findings) == [
        (APP, *value_in(mini.application, CERT, "event"), "F807", "error"),
        (CENTER, *value_pos(mini.center, "application_id"), "F808", "error"),
    ], [(f.rule, f.message) for f in findings]
    assert "objection-dismissed" in findings[0].message and "objection-upheld" in findings[0].message


def test_certified_after_an_upheld_objection_is_f801(mini):
    set_history(mini.application, [S, DA, BR, SI, ER, MA, PS, OR, OU, CERT])
    findings = [f for f in mini.check() if f.path == APP]
    assert table(findings) == [(APP, *value_in(mini.application, CERT, "event"), "F801", "error")]
    assert "此时可记录：rejected" in findings[0].message


# ---------------------------------------------------------------------------
# Dates: F802 (order), F803 (future), F804 (publicity window), F805 (calendar)
# ---------------------------------------------------------------------------


def test_f802_a_date_before_the_previous_event(mini):
    early = "{date: 2024-03-05, event: department-approved}"
    set_history(mini.application, [S, early, *NORMAL[2:]])
    finding = expect_one(mini, "F802", value_in(mini.application, early, "date"))
    assert "2024-03-05" in finding.message and "2024-03-11" in finding.message


def test_two_events_on_the_same_day_are_in_order(mini):
    set_history(mini.application, [S, "{date: 2024-03-11, event: department-approved}", *NORMAL[2:]])
    expect_clean(mini)


def test_f803_event_dated_today_passes_and_tomorrow_fails(mini):
    today = ev(TODAY.isoformat(), "evaluated", evaluator=EVALUATOR, outcome="retain")
    set_history(mini.center, [C_CERT, today])
    expect_clean(mini)

    tomorrow = ev((TODAY + dt.timedelta(days=1)).isoformat(), "evaluated", evaluator=EVALUATOR, outcome="retain")
    set_history(mini.center, [C_CERT, tomorrow])
    finding = expect_one(mini, "F803", value_in(mini.center, tomorrow, "date"), path=CENTER)
    assert "2026-11-27" in finding.message and "北京时间 2026-11-26" in finding.message


def test_f803_the_cli_judges_by_its_today_option(mini):
    tomorrow = ev("2026-11-27", "evaluated", evaluator=EVALUATOR, outcome="retain")
    set_history(mini.center, [C_CERT, tomorrow])
    assert mini.validate().rules == ["F803"]
    late = mini.validate("--today", "2026-11-27")
    assert late.code == 0 and late.findings == []


def _exemplar_window():
    from ticreg.process.publicity import publicity_window
    from ticreg.registry_context import load_calendar, load_policy

    return publicity_window(dt.date(2024, 6, 6), load_policy(REGISTRY).publicity, load_calendar(REGISTRY))


def _certify_on(mini, day: dt.date) -> str:
    line = CERT.replace("2024-06-17", day.isoformat())
    set_history(mini.application, [*NORMAL[:-1], line])
    set_history(mini.center, [C_CERT.replace("2024-06-17", day.isoformat())])
    return line


def test_f804_certified_on_the_last_day_of_publicity(mini):
    window = _exemplar_window()
    # 2024-06-10 is the Dragon Boat Festival: the window runs 06-06 … 06-13.
    assert window.end == dt.date(2024, 6, 13)
    line = _certify_on(mini, window.end)
    finding = expect_one(mini, "F804", value_in(mini.application, line, "date"))
    assert window.certifiable_from.isoformat() in finding.message
    assert f"{window.start.isoformat()}至{window.end.isoformat()}" in finding.message


def test_f804_certified_on_the_first_day_of_publicity(mini):
    window = _exemplar_window()
    line = _certify_on(mini, window.start)
    expect_one(mini, "F804", value_in(mini.application, line, "date"))


def test_certified_the_day_after_publicity_ends_passes(mini):
    window = _exemplar_window()
    assert window.certifiable_from == window.end + dt.timedelta(days=1)
    _certify_on(mini, window.certifiable_from)
    expect_clean(mini)


def test_f805_publicity_in_a_year_without_a_calendar_file(mini):
    """The publicity is only warned about; the certification that cannot be checked is F823."""
    (mini.root / "calendar" / "2024.yml").unlink()
    set_history(mini.application, NORMAL[:-1])
    mini.center.unlink()
    finding = expect_one(mini, "F805", value_in(mini.application, PS, "date"), severity="warning")
    assert "2024" in finding.message and "registry/calendar/2024.yml" in finding.message


def test_f805_publicity_window_reaching_a_year_without_a_calendar_file(mini):
    """Published 2026-12-28: the 5th working day falls in 2027, which has no file."""
    dates = ["2026-08-03", "2026-08-17", "2026-09-01", "2026-09-15", "2026-10-20", "2026-12-22", "2026-12-28"]
    history = [line.replace(line[7:17], day) for line, day in zip(NORMAL[:-1], dates)]
    certified = CERT.replace("2024-06-17", "2027-01-08")
    set_history(mini.application, [*history, certified])
    set_history(mini.center, [C_CERT.replace("2024-06-17", "2027-01-08")])
    result = mini.validate("--today", "2027-01-20")
    assert result.code == 1
    findings = [f for f in result.findings if f["rule"] != "F822"]  # 2027 itself is missing: F822 says so too
    assert [(f["path"], f["line"], f["column"], f["rule"], f["severity"]) for f in findings] == [
        (APP, *value_in(mini.application, history[-1], "date"), "F805", "warning"),
        (APP, *value_in(mini.application, certified, "date"), "F823", "error"),
    ]
    assert all("registry/calendar/2027.yml" in f["message"] for f in findings)


# ---------------------------------------------------------------------------
# Centers: certified → evaluated → revoked
# ---------------------------------------------------------------------------

REVOKED = ev("2026-11-06", "revoked", document_number="晋市科发〔2026〕63号", reason="评估结论为撤销")
EVALUATIONS = {
    "retain": ev("2026-10-16", "evaluated", evaluator=EVALUATOR, outcome="retain"),
    "rectify": ev("2026-10-16", "evaluated", evaluator=EVALUATOR, outcome="rectify", rectification_deadline="2027-01-31"),
    "revoke": ev("2026-10-16", "evaluated", evaluator=EVALUATOR, outcome="revoke"),
}


@pytest.mark.parametrize("outcome", list(EVALUATIONS))
def test_center_evaluated_then_revoked_is_clean(mini, outcome):
    set_history(mini.center, [C_CERT, EVALUATIONS[outcome], REVOKED])
    expect_clean(mini)


def test_center_rectification_then_re_evaluation_is_clean(mini):
    set_history(mini.center, [
        C_CERT,
        ev("2026-07-14", "evaluated", evaluator=EVALUATOR, outcome="rectify", rectification_deadline="2026-09-30"),
        ev("2026-10-20", "evaluated", evaluator=EVALUATOR, outcome="retain"),
    ])
    expect_clean(mini)


def test_nothing_may_follow_revocation(mini):
    late = ev("2026-11-20", "evaluated", evaluator=EVALUATOR, outcome="retain")
    set_history(mini.center, [C_CERT, EVALUATIONS["revoke"], REVOKED, late])
    finding = expect_one(mini, "F801", value_in(mini.center, late, "event"), path=CENTER)
    assert "当前状态为“已撤销”" in finding.message and "（已办结，不能再记录事件）" in finding.message


def test_revocation_decided_then_changed_is_f801(mini):
    add_change_application(mini)
    rename_center(mini)
    decided = ev("2026-03-10", "evaluated", evaluator=EVALUATOR, outcome="revoke")
    changed = changed_event()
    set_history(mini.center, [C_CERT, decided, changed])
    findings = mini.check()
    (finding,) = [f for f in findings if f.rule == "F801"]
    assert table([finding]) == [(CENTER, *value_in(mini.center, changed, "event"), "F801", "error")]
    assert "评估结论为撤销" in finding.message and "此时可记录：revoked" in finding.message
    # The change application was submitted and approved after the decision too (F814).
    assert {f.rule for f in findings} == {"F801", "F814"}


def test_center_certified_twice_is_f801(mini):
    again = C_CERT.replace("2024-06-17", "2024-07-01")
    set_history(mini.center, [C_CERT, again])
    findings = [f for f in mini.check() if f.rule == "F801"]
    assert table(findings) == [(CENTER, *value_in(mini.center, again, "event"), "F801", "error")]


# ---------------------------------------------------------------------------
# F808: a certified application and its center agree
# ---------------------------------------------------------------------------


def test_f808_center_category_differs(mini):
    # A well-formed comprehensive center (Art. 6: with a specialized institution), unlike its application.
    replace_text(mini.center, "category: domain\n", "category: comprehensive\n")
    replace_text(mini.center, "\ncontact:\n",
                 "\nspecialized_institutions:\n  - {name: 煤层气排采装备研究所, focus: 煤层气井智能排采装备研发。}\ncontact:\n")
    finding = expect_one(mini, "F808", value_pos(mini.center, "category"), path=CENTER)
    assert "comprehensive" in finding.message and APP in finding.message


def test_f808_center_lead_unit_name_differs(mini):
    replace_text(mini.center, "  name: 晋城蓝焰煤层气工程研究有限公司\n", "  name: 晋城蓝焰煤层气科技有限公司\n")
    finding = expect_one(mini, "F808", value_pos(mini.center, "lead_unit", "name"), path=CENTER)
    assert "晋城蓝焰煤层气工程研究有限公司" in finding.message


def test_f808_center_lead_unit_uscc_differs(mini):
    # Another valid Jincheng code (the co-builder's).
    replace_text(mini.center, "  uscc: 91140525MA0GQ7K10H\n", "  uscc: 91140581MA0H2X3P0P\n")
    expect_one(mini, "F808", value_pos(mini.center, "lead_unit", "uscc"), path=CENTER)


def test_f808_center_certification_document_number_differs(mini):
    line = C_CERT.replace("〔2024〕31号", "〔2024〕32号")
    set_history(mini.center, [line])
    finding = expect_one(mini, "F808", value_in(mini.center, line, "document_number"), path=CENTER)
    assert "晋市科发〔2024〕31号" in finding.message


def test_f808_center_certification_date_differs(mini):
    line = C_CERT.replace("2024-06-17", "2024-06-18")
    set_history(mini.center, [line])
    expect_one(mini, "F808", value_in(mini.center, line, "date"), path=CENTER)


def test_f808_center_renamed_without_a_change_record(mini):
    rename_center(mini)
    finding = expect_one(mini, "F808", value_pos(mini.center, "name"), path=CENTER)
    assert NEW_NAME in finding.message and OLD_NAME in finding.message


def test_f808_center_of_an_application_not_yet_certified(mini):
    set_history(mini.application, NORMAL[:-1])
    finding = expect_one(mini, "F808", value_pos(mini.center, "application_id"), path=CENTER)
    assert "2024-zezhou-001" in finding.message


def test_f808_stays_quiet_when_the_certification_lacks_its_document_number(mini):
    """A missing document number is H701's finding alone (certification_links.py says so)."""
    line = CERT.replace(" document_number: 晋市科发〔2024〕31号,", "")
    set_history(mini.application, [*NORMAL[:-1], line])
    expect_one(mini, "H701", text_pos(mini.application, line))


# ---------------------------------------------------------------------------
# F809: an approved change and the center's record agree
# ---------------------------------------------------------------------------


def test_f809_changed_event_with_another_document_number(mini):
    add_change_application(mini)
    rename_center(mini)
    line = changed_event(document_number="晋市科发〔2026〕20号")
    set_history(mini.center, [C_CERT, line])
    finding = expect_one(mini, "F809", value_in(mini.center, line, "document_number"), path=CENTER)
    assert CHANGE_DOC in finding.message and CHANGE_APP in finding.message


def test_f809_center_name_is_not_the_last_new_name(mini):
    add_change_application(mini)
    line = changed_event()
    set_history(mini.center, [C_CERT, line])  # the name stays the old one
    finding = expect_one(mini, "F809", value_pos(mini.center, "name"), path=CENTER)
    assert NEW_NAME in finding.message


def test_f809_changed_event_with_another_new_name(mini):
    add_change_application(mini)
    other = "晋城市煤层气数字开发技术创新中心"
    rename_center(mini, other)
    line = changed_event(new_name=other)
    set_history(mini.center, [C_CERT, line])
    finding = expect_one(mini, "F809", value_in(mini.center, line, "new_name"), path=CENTER)
    assert NEW_NAME in finding.message


def test_f809_approved_change_not_recorded_in_the_center(mini):
    """F809's own explanation: once the Bureau approves a change, the center file must have the
    matching `changed` record. The fixture rename is approved; the center records nothing."""
    add_change_application(mini)
    finding = expect_one(mini, "F809", value_pos(mini.center, "history"), path=CENTER)
    assert CHANGE_ID in finding.message


def test_f809_changed_event_citing_a_certification_application(mini):
    line = ev("2026-04-28", "changed", application_id="2024-zezhou-001", document_number=CHANGE_DOC,
              restructuring="调整重组")
    set_history(mini.center, [C_CERT, line])
    finding = expect_one(mini, "F809", value_in(mini.center, line, "application_id"), path=CENTER)
    assert "change-approved" in finding.message


# ---------------------------------------------------------------------------
# F810, F811: evaluation cycles at TODAY (warnings)
# ---------------------------------------------------------------------------


def _certified_in_2023(mini, day: dt.date) -> None:
    """Application and center certified on `day` (publicity 2023-11-01 … 11-07)."""
    set_history(mini.application, [
        "{date: 2023-08-01, event: submitted}",
        "{date: 2023-08-15, event: department-approved}",
        "{date: 2023-09-01, event: bureau-rechecked}",
        "{date: 2023-09-12, event: site-inspected}",
        "{date: 2023-10-10, event: expert-reviewed}",
        "{date: 2023-10-24, event: meeting-approved}",
        "{date: 2023-11-01, event: publicity-started}",
        CERT.replace("2024-06-17", day.isoformat()),
    ])
    set_history(mini.center, [C_CERT.replace("2024-06-17", day.isoformat())])


def test_evaluation_due_exactly_today_is_not_overdue(mini):
    _certified_in_2023(mini, dt.date(2023, 11, 26))  # due 2026-11-26 == TODAY
    expect_clean(mini)


def test_f810_evaluation_due_yesterday_is_overdue(mini):
    _certified_in_2023(mini, dt.date(2023, 11, 25))  # due 2026-11-25
    finding = expect_one(mini, "F810", value_pos(mini.center, "history"), severity="warning", path=CENTER)
    assert "2026-11-25" in finding.message and "2026-11-26" in finding.message


def test_f810_quiet_once_the_evaluation_is_recorded(mini):
    _certified_in_2023(mini, dt.date(2023, 11, 25))
    set_history(mini.center, [C_CERT.replace("2024-06-17", "2023-11-25"), ev("2026-11-20", "evaluated", evaluator=EVALUATOR, outcome="retain")])
    expect_clean(mini)


def test_f810_is_a_warning_so_the_cli_exits_0(mini):
    _certified_in_2023(mini, dt.date(2023, 11, 25))
    result = mini.validate()
    assert result.code == 0
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in result.findings] == [
        ("F810", "warning", *value_pos(mini.center, "history"))
    ]


RECTIFY = "{date: 2026-10-01, event: evaluated, outcome: rectify, rectification_deadline: %s, evaluator: 示例评估咨询有限公司}"


def test_rectification_deadline_today_is_not_overdue(mini):
    set_history(mini.center, [C_CERT, RECTIFY % "2026-11-26"])
    expect_clean(mini)


def test_f811_rectification_deadline_passed_without_re_evaluation(mini):
    set_history(mini.center, [C_CERT, RECTIFY % "2026-11-25"])
    finding = expect_one(mini, "F811", value_pos(mini.center, "history"), severity="warning", path=CENTER)
    assert "2026-11-25" in finding.message and "2026-11-26" in finding.message


@pytest.mark.parametrize("outcome", ["retain", "rectify"])
def test_f811_quiet_after_the_re_evaluation(mini, outcome):
    extra = {"rectification_deadline": "2027-02-28"} if outcome == "rectify" else {}
    set_history(mini.center, [C_CERT, RECTIFY % "2026-11-10", ev("2026-11-20", "evaluated", evaluator=EVALUATOR, outcome=outcome, **extra)])
    expect_clean(mini)


def test_f811_is_a_warning_so_the_cli_exits_0(mini):
    set_history(mini.center, [C_CERT, RECTIFY % "2026-11-25"])
    result = mini.validate()
    assert result.code == 0
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in result.findings] == [
        ("F811", "warning", *value_pos(mini.center, "history"))
    ]


# ---------------------------------------------------------------------------
# The sample registry; every rule of this part has a failing case
# ---------------------------------------------------------------------------


def test_sample_registry_has_no_findings_at_today(tmp_path):
    from ticreg.validate import validate_registry

    shutil.copytree(REGISTRY, tmp_path / "registry")
    outcome = validate_registry(tmp_path / "registry", tmp_path, today=TODAY)
    assert outcome.files >= 30
    assert outcome.findings == [], [(f.path, f.line, f.column, f.rule, f.message) for f in outcome.findings]


FAILING_CASES = {
    "F801": ["test_direct_path_that_records_site_inspection_is_f801", "test_nothing_may_follow_revocation"],
    "F802": ["test_f802_a_date_before_the_previous_event"],
    "F803": ["test_f803_event_dated_today_passes_and_tomorrow_fails"],
    "F804": ["test_f804_certified_on_the_last_day_of_publicity"],
    "F805": ["test_f805_publicity_in_a_year_without_a_calendar_file"],
    "F806": ["test_f806_rejection_names_the_wrong_stage"],
    "F807": ["test_f807_certified_over_a_pending_objection"],
    "F808": ["test_f808_center_category_differs", "test_f808_center_of_an_application_not_yet_certified"],
    "F809": ["test_f809_changed_event_with_another_document_number", "test_f809_center_name_is_not_the_last_new_name"],
    "F810": ["test_f810_evaluation_due_yesterday_is_overdue"],
    "F811": ["test_f811_rectification_deadline_passed_without_re_evaluation"],
}
COVERED_MODULES = {"ticreg.rules.process.lifecycle", "ticreg.rules.process.certification_links"}


def test_every_checking_rule_of_this_part_has_a_failing_case():
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
