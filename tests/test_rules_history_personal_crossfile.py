"""History events, personal data and cross-file rules: H701, H702, P601,
P602, X501–X506, plus the meta-test that all checking rules are covered by
the test_rules_* files and tests/test_process_rules.py together.

Positions are computed from the text of the file as written, not by the
loader under test. Every identity and mobile number is synthetic: built from
a division code, a date and a sequence number with the check digit computed.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
import yaml
from stdnum.cn import ric

from conftest import REGISTRY, TODAY
from rule_helpers import (
    APP,
    CENTER,
    POLICY,
    assert_each_rule_has_a_failing_case,
    checking_rules,
    expect_clean,
    expect_one,
    item_pos,
    key_pos,
    replace_text,
    table,
    text_pos,
    value_pos,
)

DEPARTMENTS = "registry/departments.yml"
STAFF = "registry/staff.yml"


# ---------------------------------------------------------------------------
# Helpers: synthetic personal data (positions and findings: rule_helpers.py)
# ---------------------------------------------------------------------------


def resident_id(body17: str) -> str:
    number = body17 + ric.calc_check_digit(body17 + "0")
    assert ric.is_valid(number)
    return number


def masked_id(number: str) -> str:
    return number[:4] + "*" * 10 + number[-4:]


# Zezhou county, born 2000-01-01, sequence 123: synthetic.
RESIDENT_ID = resident_id("14052520000101123")
MOBILE = "13912345678"
MASKED_MOBILE = "139****5678"


def _id_with_x() -> str:
    for sequence in range(100, 1000):
        body = f"14052520000101{sequence}"
        if ric.calc_check_digit(body + "0") == "X":
            return resident_id(body)
    raise AssertionError("no sequence gives X")


RESIDENT_ID_X = _id_with_x()


def set_summary(mini, text: str) -> None:
    mini.edit(mini.application, lambda d: d.__setitem__("summary", text))


def test_synthetic_numbers_are_what_they_claim():
    assert RESIDENT_ID.startswith("14052520000101")
    assert ric.get_birth_date(RESIDENT_ID).isoformat() == "2000-01-01"
    assert RESIDENT_ID_X.endswith("X") and ric.is_valid(RESIDENT_ID_X)


def test_exemplar_is_clean(mini):
    expect_clean(mini)


# ---------------------------------------------------------------------------
# H701 — each history event has its own fields
# ---------------------------------------------------------------------------

CERTIFIED_LINE = "  - {date: 2024-06-17, event: certified, document_number: 晋市科发〔2024〕31号, center_id: coalbed-methane-development}"
# A rejection may end the publicity only after an objection was upheld (the state machine, F801).
OBJECTION_UPHELD = "  - {date: 2024-06-07, event: objection-raised}\n  - {date: 2024-06-12, event: objection-upheld}\n"


def reject_in_publicity(mini, rejected_line: str) -> None:
    """Replace the certification by an objection upheld and then `rejected_line`; a
    rejected application has no center, so the exemplar center file goes (F808)."""
    replace_text(mini.application, CERTIFIED_LINE, OBJECTION_UPHELD + rejected_line)
    mini.center.unlink()


def test_h701_certified_event_without_document_number(mini):
    replace_text(mini.application, " document_number: 晋市科发〔2024〕31号,", "")
    pos = text_pos(mini.application, "{date: 2024-06-17, event: certified")
    finding = expect_one(mini, "H701", pos)
    assert "history[7]" in finding.message
    assert "“certified”" in finding.message and "须填写 document_number" in finding.message


def test_h701_rejected_event_without_stage_and_reason_reports_each(mini):
    reject_in_publicity(mini, "  - {date: 2024-06-17, event: rejected}")
    pos = text_pos(mini.application, "{date: 2024-06-17, event: rejected}")
    findings = mini.check()
    assert table(findings) == [(APP, *pos, "H701", "error")] * 2
    messages = sorted(f.message for f in findings)
    assert "须填写 reason" in messages[0] and "须填写 stage" in messages[1]
    assert all("“rejected”" in m for m in messages)


def test_h701_rejected_event_with_stage_and_reason_passes(mini):
    reject_in_publicity(mini, "  - {date: 2024-06-17, event: rejected, stage: publicity, reason: 公示期内异议成立}")
    expect_clean(mini)


def test_h701_field_that_does_not_belong_to_the_event(mini):
    replace_text(mini.application, "{date: 2024-03-11, event: submitted}",
                 "{date: 2024-03-11, event: submitted, stage: department-review}")
    finding = expect_one(mini, "H701", text_pos(mini.application, "stage: department-review"))
    assert "history[0]" in finding.message
    assert "“submitted”" in finding.message and "不应填写 stage" in finding.message


def test_h701_optional_field_of_the_event_passes(mini):
    replace_text(mini.application, "{date: 2024-06-06, event: publicity-started}",
                 "{date: 2024-06-06, event: publicity-started, notice_url: https://example.com/notice}")
    expect_clean(mini)


def test_h701_center_certified_event_without_application_id(mini):
    replace_text(mini.center, ", application_id: 2024-zezhou-001}", "}")
    pos = text_pos(mini.center, "{date: 2024-06-17, event: certified")
    finding = expect_one(mini, "H701", pos, path=CENTER)
    assert "“certified”" in finding.message and "须填写 application_id" in finding.message


def test_h701_center_event_with_a_field_of_another_event(mini):
    with mini.center.open("a", encoding="utf-8") as handle:
        handle.write(f"  - {{date: {EVALUATED_ON}, event: evaluated, outcome: retain, evaluator: 示例评估机构, former_name: 晋城市煤层气技术创新中心}}\n")
    finding = expect_one(mini, "H701", text_pos(mini.center, "former_name: "), path=CENTER)
    assert "“evaluated”" in finding.message and "不应填写 former_name" in finding.message


# ---------------------------------------------------------------------------
# H702 — a "rectify" outcome needs a deadline after the evaluation
# ---------------------------------------------------------------------------


# The evaluations these tests record are dated "today" (conftest's fixed TODAY):
# no event may be later (F803), and a rectification deadline on that day has not
# yet passed (F811). The exemplar center was certified on 2024-06-17.
EVALUATED_ON = TODAY.isoformat()


def _add_evaluation(mini, extra: str = "") -> tuple[int, int]:
    line = f"  - {{date: {EVALUATED_ON}, event: evaluated, outcome: rectify, evaluator: 示例评估机构{extra}}}\n"
    with mini.center.open("a", encoding="utf-8") as handle:
        handle.write(line)
    return text_pos(mini.center, f"{{date: {EVALUATED_ON}, event: evaluated")


def test_h702_rectify_with_a_later_deadline_passes(mini):
    _add_evaluation(mini, ", rectification_deadline: 2027-12-31")
    expect_clean(mini)


def test_h702_retain_needs_no_deadline(mini):
    with mini.center.open("a", encoding="utf-8") as handle:
        handle.write(f"  - {{date: {EVALUATED_ON}, event: evaluated, outcome: retain, excellent: true, evaluator: 示例评估机构}}\n")
    expect_clean(mini)


def test_h702_rectify_without_deadline(mini):
    pos = _add_evaluation(mini)
    finding = expect_one(mini, "H702", pos, path=CENTER)
    assert "history[1]" in finding.message
    assert "rectification_deadline" in finding.message and EVALUATED_ON in finding.message


def test_h702_deadline_on_the_evaluation_day_is_not_later(mini):
    _add_evaluation(mini, f", rectification_deadline: {EVALUATED_ON}")
    pos = text_pos(mini.center, f"{EVALUATED_ON}}}")  # points at the deadline written
    finding = expect_one(mini, "H702", pos, path=CENTER)
    assert EVALUATED_ON in finding.message


def test_h702_deadline_before_the_evaluation_names_both_dates(mini):
    """A deadline before the evaluation has passed by the evaluation day, so the
    open rectification is also overdue (F811, a warning on the history)."""
    _add_evaluation(mini, ", rectification_deadline: 2026-05-01")
    pos = text_pos(mini.center, "2026-05-01}")  # points at the deadline written
    findings = mini.check()
    assert table(findings) == [
        (CENTER, *value_pos(mini.center, "history"), "F811", "warning"),
        (CENTER, *pos, "H702", "error"),
    ], [(f.path, f.line, f.column, f.rule, f.message) for f in findings]
    finding = findings[1]
    assert EVALUATED_ON in finding.message  # expected: later than the evaluation date
    assert "2026-05-01" in finding.message  # actual: the deadline written


# ---------------------------------------------------------------------------
# P601 — resident identity numbers, anywhere, masked in every output
# ---------------------------------------------------------------------------


def test_p601_identity_number_in_summary(mini):
    set_summary(mini, f"中心负责人身份证号{RESIDENT_ID}，请核对。")
    finding = expect_one(mini, "P601", value_pos(mini.application, "summary"))
    assert RESIDENT_ID not in finding.message
    assert masked_id(RESIDENT_ID) in finding.message
    assert "summary" in finding.message


def test_p601_identity_number_is_not_in_any_cli_output(mini):
    set_summary(mini, f"中心负责人身份证号{RESIDENT_ID}，请核对。")
    result = mini.validate()
    assert result.code == 1
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in result.findings] == [
        (APP, *value_pos(mini.application, "summary"), "P601")
    ]
    assert RESIDENT_ID not in result.stdout and RESIDENT_ID not in result.stderr
    assert RESIDENT_ID[4:14] not in result.stdout  # not even the birth-date part
    assert masked_id(RESIDENT_ID) in result.findings[0]["message"]


def test_p601_identity_number_in_the_phone_field_is_still_reported_and_masked(mini):
    """Even the one field allowed a mobile number may not hold an identity number;
    and no other finding on that field may print the number unmasked."""
    mini.edit(mini.application, lambda d: d["contact"].__setitem__("phone", RESIDENT_ID_X))
    result = mini.validate()
    assert result.code == 1
    findings = [f for f in result.findings if f["path"] == APP]
    assert ("P601", *value_pos(mini.application, "contact", "phone")) in [
        (f["rule"], f["line"], f["column"]) for f in findings
    ]
    assert RESIDENT_ID_X not in result.stdout and RESIDENT_ID_X not in result.stderr


def test_p601_a_valid_uscc_is_not_an_identity_number(mini):
    expect_clean(mini)
    assert "uscc" in mini.application.read_text(encoding="utf-8")


def test_p601_an_order_number_with_a_bad_check_digit_is_not_reported(mini):
    not_an_id = RESIDENT_ID[:-1] + ("0" if RESIDENT_ID[-1] != "0" else "1")
    set_summary(mini, f"合同编号{not_an_id}。")
    expect_clean(mini)


# ---------------------------------------------------------------------------
# P602 — personal mobile numbers only in contact.phone
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("written", [MOBILE, "139-1234-5678", "+86 139 1234 5678"])
def test_p602_mobile_number_in_summary(mini, written):
    set_summary(mini, f"项目联系人手机{written}，欢迎咨询。")
    finding = expect_one(mini, "P602", value_pos(mini.application, "summary"))
    assert MOBILE not in finding.message and written not in finding.message
    assert MASKED_MOBILE in finding.message
    for allowed in POLICY["personal_data"]["mobile_allowed_fields"]:
        assert allowed in finding.message


def test_p602_mobile_number_is_not_in_any_cli_output(mini):
    set_summary(mini, f"项目联系人手机{MOBILE}，欢迎咨询。")
    result = mini.validate()
    assert result.code == 1
    assert result.rules == ["P602"]
    assert MOBILE not in result.stdout and MOBILE not in result.stderr


def test_p602_the_same_mobile_in_contact_phone_is_allowed(mini):
    assert POLICY["personal_data"]["mobile_allowed_fields"] == ["contact.phone"]
    mini.edit(mini.application, lambda d: d["contact"].__setitem__("phone", MOBILE))
    expect_clean(mini)


def test_p602_mobile_in_a_public_center_office_phone(mini):
    replace_text(mini.center, "office_phone: 0356-1234567", f"office_phone: {MOBILE}")
    finding = expect_one(mini, "P602", value_pos(mini.center, "office_phone"), path=CENTER)
    assert "contact.office_phone" in finding.message and MASKED_MOBILE in finding.message
    assert MOBILE not in finding.message


def test_p602_still_reported_when_the_file_fails_its_schema(mini):
    def change(d):
        d["summary"] = f"项目联系人手机{MOBILE}。"
        d["homepage"] = "https://example.com"

    mini.edit(mini.application, change)
    findings = [f for f in mini.check() if f.path == APP]
    assert table(findings) == sorted(
        [
            (APP, *value_pos(mini.application, "summary"), "P602", "error"),
            (APP, *key_pos(mini.application, "homepage"), "S102", "error"),
        ]
    )


# ---------------------------------------------------------------------------
# X501 — unique IDs
# ---------------------------------------------------------------------------

GAOPING_COPY = "registry/applications/gaoping/2024-zezhou-001.yml"


def test_x501_distinct_ids_pass(mini):
    copy = mini.write("applications/gaoping/2024-gaoping-001.yml", mini.application.read_text(encoding="utf-8"))
    replace_text(copy, "id: 2024-zezhou-001", "id: 2024-gaoping-001")
    replace_text(copy, "organizing_department: zezhou", "organizing_department: gaoping")
    # Another application indeed: in Gaoping (X509), under its own name (X507), not yet certified (F812, X508).
    replace_text(copy, 'county_code: "140525"', 'county_code: "140581"')
    replace_text(copy, "proposed_name: 晋城市煤层气高效开发技术创新中心", "proposed_name: 晋城市煤层气示例技术创新中心")
    replace_text(copy, "  - {date: 2024-06-17, event: certified, document_number: 晋市科发〔2024〕31号, "
                       "center_id: coalbed-methane-development}\n", "")
    expect_clean(mini)


def test_x501_duplicate_id_in_another_department_folder(mini):
    """The copy keeps its id and its organizing department: X503 on the copy,
    and the duplicate reported on each of the two files, naming the other, so
    that validating either file alone shows it."""
    copy = mini.write("applications/gaoping/2024-zezhou-001.yml", mini.application.read_text(encoding="utf-8"))
    id_pos = value_pos(mini.application, "id")
    assert value_pos(copy, "id") == id_pos
    findings = mini.check()
    assert table(findings) == sorted(
        [
            (GAOPING_COPY, *id_pos, "X501", "error"),
            (GAOPING_COPY, *value_pos(copy, "organizing_department"), "X503", "error"),
            (APP, *id_pos, "X501", "error"),
        ]
    )
    by_path = {f.path: f for f in findings if f.rule == "X501"}
    assert "“2024-zezhou-001”" in by_path[APP].message and GAOPING_COPY in by_path[APP].message
    assert "“2024-zezhou-001”" in by_path[GAOPING_COPY].message and APP in by_path[GAOPING_COPY].message
    x503 = next(f for f in findings if f.rule == "X503")
    assert "registry/applications/zezhou/2024-zezhou-001.yml" in x503.message and "“zezhou”" in x503.message


def test_x501_duplicate_is_reported_when_validating_the_new_file_alone(mini):
    copy = mini.write("applications/gaoping/2024-zezhou-001.yml", mini.application.read_text(encoding="utf-8"))
    replace_text(copy, "organizing_department: zezhou", "organizing_department: gaoping")
    replace_text(copy, 'county_code: "140525"', 'county_code: "140581"')  # Gaoping's own county (X509)
    result = mini.validate(GAOPING_COPY)
    assert result.code == 1, result.stdout
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in result.findings] == [
        (GAOPING_COPY, *value_pos(copy, "id"), "X501")
    ]


def test_x501_duplicate_center_id(mini):
    mini.write("centers/copy-of-cbm.yml", mini.center.read_text(encoding="utf-8"))
    id_pos = value_pos(mini.center, "id")
    findings = mini.check()
    copy_path = "registry/centers/copy-of-cbm.yml"
    assert table(findings) == sorted(
        [
            (copy_path, *id_pos, "X501", "error"),
            (copy_path, *id_pos, "X503", "error"),
            (CENTER, *id_pos, "X501", "error"),
        ]
    )
    assert all("coalbed-methane-development" in f.message for f in findings)


def test_x501_duplicate_department_id(mini):
    departments = mini.root / "departments.yml"
    replace_text(departments, "  - id: agriculture", "  - id: industry")
    line, column = item_pos(departments, "departments", index=9)
    assert departments.read_text(encoding="utf-8").split("\n")[line - 1] == "  - id: industry"
    # the second entry's id value
    finding = expect_one(mini, "X501", (line, column + len("id: ")), path=DEPARTMENTS)
    assert "“industry”" in finding.message and "departments[8]" in finding.message


# ---------------------------------------------------------------------------
# X502 — references resolve
# ---------------------------------------------------------------------------


def test_x502_organizing_department_not_in_departments(mini):
    moved = mini.write("applications/nowhere/2024-zezhou-001.yml", mini.application.read_text(encoding="utf-8"))
    mini.application.unlink()
    replace_text(moved, "organizing_department: zezhou", "organizing_department: nowhere")
    path = "registry/applications/nowhere/2024-zezhou-001.yml"
    finding = expect_one(mini, "X502", value_pos(moved, "organizing_department"), path=path)
    assert "“nowhere”" in finding.message and "registry/departments.yml" in finding.message


def test_x502_center_application_id_does_not_exist(mini):
    replace_text(mini.center, "application_id: 2024-zezhou-001\n", "application_id: 2024-zezhou-099\n")
    finding = expect_one(mini, "X502", value_pos(mini.center, "application_id"), path=CENTER)
    assert "application_id" in finding.message
    assert "“2024-zezhou-099”" in finding.message and "registry/applications/" in finding.message


def test_x502_center_history_application_id_does_not_exist(mini):
    replace_text(mini.center, "application_id: 2024-zezhou-001}", "application_id: 2024-zezhou-099}")
    finding = expect_one(mini, "X502", text_pos(mini.center, "2024-zezhou-099"), path=CENTER)
    assert "history[0].application_id" in finding.message and "“2024-zezhou-099”" in finding.message


def test_x502_certified_event_names_an_unknown_center(mini):
    replace_text(mini.application, "center_id: coalbed-methane-development}", "center_id: no-such-center}")
    finding = expect_one(mini, "X502", text_pos(mini.application, "no-such-center"))
    assert "history[7].center_id" in finding.message
    assert "“no-such-center”" in finding.message and "registry/centers/" in finding.message


def test_x502_an_application_that_exists_but_fails_its_schema_is_not_missing(mini):
    """A schema error in the application is reported once, on the application;
    the center's reference to it is not reported as '不存在' (the file is there)."""
    replace_text(mini.application, "floor_area_m2: 1260", "floor_area_m2: 1260平方米")
    findings = mini.check()
    assert table(findings) == [(APP, *value_pos(mini.application, "floor_area_m2"), "S103", "error")]


# ---------------------------------------------------------------------------
# X503 — the path matches the id
# ---------------------------------------------------------------------------


def test_x503_application_file_name_differs_from_its_id(mini):
    renamed = mini.application.rename(mini.application.with_name("2024-zezhou-002.yml"))
    path = "registry/applications/zezhou/2024-zezhou-002.yml"
    finding = expect_one(mini, "X503", value_pos(renamed, "id"), path=path)
    assert "registry/applications/zezhou/2024-zezhou-001.yml" in finding.message
    assert "“2024-zezhou-001”" in finding.message


def test_x503_application_in_the_wrong_department_folder(mini):
    moved = mini.write("applications/gaoping/2024-zezhou-001.yml", mini.application.read_text(encoding="utf-8"))
    mini.application.unlink()
    finding = expect_one(mini, "X503", value_pos(moved, "organizing_department"), path=GAOPING_COPY)
    assert "registry/applications/zezhou/2024-zezhou-001.yml" in finding.message and "“zezhou”" in finding.message


def test_x503_center_file_name_differs_from_its_id(mini):
    renamed = mini.center.rename(mini.center.with_name("cbm.yml"))
    finding = expect_one(mini, "X503", value_pos(renamed, "id"), path="registry/centers/cbm.yml")
    assert "registry/centers/coalbed-methane-development.yml" in finding.message
    assert "“coalbed-methane-development”" in finding.message


# ---------------------------------------------------------------------------
# X504 — files the registry does not read
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    ["notes.txt", "centers/foo.yaml", "applications/zezhou/drafts/2024-zezhou-009.yml", "applications/readme.yml"],
)
def test_x504_stray_file(mini, relative):
    mini.write(relative, "id: foo\n")
    finding = expect_one(mini, "X504", (1, 1), path=f"registry/{relative}")
    assert f"（{relative}）" in finding.message
    for place in ("policy.yml", "departments.yml", "applications/<部门代号>/<申报代号>.yml", "centers/<中心代号>.yml"):
        assert place in finding.message


def test_x504_readme_files_are_allowed(mini):
    mini.write("README.md", "# 登记册\n")
    mini.write("applications/zezhou/README.md", "# 泽州县\n")
    expect_clean(mini)


def test_x504_hidden_files_are_refused(mini):
    # Hidden files are neither read nor skipped (tests/test_tree_entries.py has the rest).
    mini.write(".editorconfig", "root = true\n")
    expect_one(mini, "X504", (1, 1), path="registry/.editorconfig")


# ---------------------------------------------------------------------------
# X505 — county departments carry a listed county code
# ---------------------------------------------------------------------------


def _county_label() -> str:
    return "、".join(f"{c['code']}（{c['name']}）" for c in POLICY["counties"])


def test_x505_county_department_without_county_code(mini):
    departments = mini.root / "departments.yml"
    replace_text(departments, '  - id: zezhou\n    name: 泽州县科学技术局\n    kind: county\n    county_code: "140525"\n',
                 "  - id: zezhou\n    name: 泽州县科学技术局\n    kind: county\n")
    # the mapping that lacks the key: the zezhou entry
    finding = expect_one(mini, "X505", text_pos(departments, "id: zezhou"), path=DEPARTMENTS)
    assert "departments[5].county_code" in finding.message
    assert "“（未填写）”" in finding.message
    assert _county_label() in finding.message


def test_x505_county_code_not_in_the_policy_list(mini):
    departments = mini.root / "departments.yml"
    replace_text(departments, 'county_code: "140525"', 'county_code: "140599"')
    finding = expect_one(mini, "X505", text_pos(departments, '"140599"'), path=DEPARTMENTS)
    assert "“140599”" in finding.message and _county_label() in finding.message


def test_x505_non_county_departments_need_no_code(mini):
    shipped = yaml.safe_load((mini.root / "departments.yml").read_text(encoding="utf-8"))
    assert any(d["kind"] != "county" and "county_code" not in d for d in shipped["departments"])
    expect_clean(mini)


# ---------------------------------------------------------------------------
# X506 — a staff member's department is in departments.yml
# ---------------------------------------------------------------------------


def _add_staff(mini) -> Path:
    staff = mini.root / "staff.yml"
    shutil.copy(REGISTRY / "staff.yml", staff)
    return staff


def test_x506_the_shipped_staff_list_passes(mini):
    _add_staff(mini)
    expect_clean(mini)


def test_x506_staff_department_not_in_departments(mini):
    staff = _add_staff(mini)
    replace_text(staff, "role: department, department: zezhou}", "role: department, department: zezhuo}")
    finding = expect_one(mini, "X506", text_pos(staff, "zezhuo"), path=STAFF)
    assert "“zezhuo”" in finding.message and "registry/departments.yml" in finding.message
    assert "zezhou" in finding.message  # the departments there are listed


# ---------------------------------------------------------------------------
# Meta: every checking rule has a failing case in the rule test files
# ---------------------------------------------------------------------------

FAILING_CASES = {
    "H701": ["test_h701_certified_event_without_document_number", "test_h701_field_that_does_not_belong_to_the_event"],
    "H702": ["test_h702_rectify_without_deadline"],
    "P601": ["test_p601_identity_number_in_summary"],
    "P602": ["test_p602_mobile_number_in_summary"],
    "X501": ["test_x501_duplicate_id_in_another_department_folder", "test_x501_duplicate_department_id"],
    "X502": ["test_x502_organizing_department_not_in_departments", "test_x502_center_application_id_does_not_exist"],
    "X503": ["test_x503_application_file_name_differs_from_its_id", "test_x503_center_file_name_differs_from_its_id"],
    "X504": ["test_x504_stray_file"],
    "X505": ["test_x505_county_department_without_county_code"],
    "X506": ["test_x506_staff_department_not_in_departments"],
}
COVERED_MODULES = {"ticreg.rules.history", "ticreg.rules.personal_data", "ticreg.rules.cross_file"}


def test_every_checking_rule_of_this_part_has_a_failing_case():
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())


def _rule_test_modules() -> list:
    """The test modules that declare which rule modules they cover: the three
    test_rules_* files and the others' (tests/test_process_rules.py, ...)."""
    here = Path(__file__).resolve().parent
    names = sorted(
        path.stem for path in here.glob("test_*.py") if "\nCOVERED_MODULES = " in path.read_text(encoding="utf-8")
    )
    assert {"test_rules_eligibility", "test_rules_structure", __name__} <= set(names)
    return [importlib.import_module(name) for name in names]


def test_every_checking_rule_has_a_failing_case_somewhere():
    """Across the rule test files: every rule module is covered, every checking rule has a failing case."""
    from ticreg import rules

    modules = _rule_test_modules()
    covered_modules = set().union(*(m.COVERED_MODULES for m in modules))
    assert covered_modules == {f"ticreg.rules.{name}" for name in rules._MODULES}
    covered_rules = set().union(*(m.FAILING_CASES for m in modules))
    assert covered_rules == set(checking_rules())
    assert len(covered_rules) >= 27
