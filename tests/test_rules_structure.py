"""Articles 6, 7, 9(3), 15 and 16: rules C201–C203, N401, D301, D302.

A passing and a failing case for each, with the exact rule, severity and
position. Lists and minimums come from registry/policy.yml. Positions are
computed from the text of the file as written, not by the loader under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from rule_helpers import (
    CENTER,
    POLICY,
    assert_each_rule_has_a_failing_case,
    expect_clean,
    expect_one,
    key_pos,
    make_direct,
    make_pending,
    replace_text,
    table,
    value_pos,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"

CHANGE = "registry/applications/zezhou/2025-zezhou-002.yml"


# ---------------------------------------------------------------------------
# Helpers: edits of the exemplar (positions and findings: rule_helpers.py)
# ---------------------------------------------------------------------------


def names(list_name: str) -> dict[str, str]:
    return {item["id"]: item["name"] for item in POLICY[list_name]}


def add_change_application(mini) -> Path:
    path = mini.root / "applications" / "zezhou" / "2025-zezhou-002.yml"
    shutil.copy(FIXTURES / "change-application.yml", path)
    return path


def make_comprehensive(mini, *, lead_kind: str = "university") -> None:
    """Switch the exemplar pair to a comprehensive center by text edits (comments and
    layout kept): the application and its center file, which must agree on the
    category (F808). Neither lists a specialized institution yet: see add_institution."""
    for path in (mini.application, mini.center):
        replace_text(path, "category: domain", "category: comprehensive")
        replace_text(path, "  unit_kind: enterprise\nco_builders:", f"  unit_kind: {lead_kind}\nco_builders:")


INSTITUTION = "specialized_institutions:\n  - name: 煤层气压裂增产研究所\n    host_unit: 太原理工大学\n    focus: 碎软煤层压裂增产\n"


def add_institution(path: Path) -> None:
    """List one specialized institution in the application or center file at `path`."""
    replace_text(path, "services: [", INSTITUTION + "services: [")


# ---------------------------------------------------------------------------
# C201 — comprehensive centers need specialized R&D institutions (Art. 6)
# ---------------------------------------------------------------------------


def test_exemplar_is_clean(mini):
    expect_clean(mini)


def test_c201_comprehensive_with_the_minimum_of_institutions_passes(mini):
    minimum = POLICY["eligibility"]["min_specialized_institutions"]
    institutions = [
        {"name": f"专业化研发机构{i}", "host_unit": "太原理工大学", "focus": "煤层气开发"} for i in range(minimum)
    ]
    make_comprehensive(mini)
    add_institution(mini.center)
    mini.edit(mini.application, lambda d: d.__setitem__("specialized_institutions", institutions))
    expect_clean(mini)


def test_c201_comprehensive_with_an_empty_list_fails(mini):
    minimum = POLICY["eligibility"]["min_specialized_institutions"]
    make_comprehensive(mini)
    add_institution(mini.center)
    replace_text(mini.application, "services: [", "specialized_institutions: []\nservices: [")
    finding = expect_one(mini, "C201", value_pos(mini.application, "specialized_institutions"))
    assert "列出了 0 个" in finding.message and f"不少于 {minimum} 个" in finding.message
    assert "第六条" in finding.message


def test_c201_comprehensive_without_the_field_points_at_the_mapping_that_lacks_it(mini):
    make_comprehensive(mini)
    add_institution(mini.center)
    # the exemplar starts with two comment lines: the top-level mapping starts at `id`
    pos = key_pos(mini.application, "id")
    assert pos == (3, 1)
    finding = expect_one(mini, "C201", pos)
    assert "0 个" in finding.message


def test_c201_also_checks_a_comprehensive_center(mini):
    make_comprehensive(mini)
    add_institution(mini.application)
    finding = expect_one(mini, "C201", key_pos(mini.center, "id"), path=CENTER)
    assert "0 个" in finding.message


def test_c201_a_center_with_an_institution_passes(mini):
    make_comprehensive(mini)
    add_institution(mini.application)
    add_institution(mini.center)
    expect_clean(mini)


def test_c201_domain_centers_need_none(mini):
    mini.edit(mini.application, lambda d: d.__setitem__("specialized_institutions", []))
    expect_clean(mini)


# ---------------------------------------------------------------------------
# C202 — domain centers name an Art. 7 cluster
# ---------------------------------------------------------------------------


def test_c202_domain_without_cluster_fails(mini):
    replace_text(mini.application, "cluster: coalbed-methane\n", "")
    finding = expect_one(mini, "C202", key_pos(mini.application, "id"))
    assert "cluster 未填写" in finding.message
    for cluster_id, name in names("clusters").items():
        assert cluster_id in finding.message and name in finding.message


def test_c202_domain_with_null_cluster_points_at_the_null(mini):
    replace_text(mini.application, "cluster: coalbed-methane\n", "cluster: null\n")
    finding = expect_one(mini, "C202", value_pos(mini.application, "cluster"))
    assert "cluster 未填写" in finding.message


def test_c202_also_checks_a_center(mini):
    replace_text(mini.center, "cluster: coalbed-methane\n", "cluster:\n")
    # an empty value: the finding points just after the colon, where the value belongs
    line, column = key_pos(mini.center, "cluster")
    finding = expect_one(mini, "C202", (line, column + len("cluster:")), path=CENTER)
    assert "煤层气" in finding.message


@pytest.mark.parametrize("cluster", [c["id"] for c in POLICY["clusters"]])
def test_c202_every_listed_cluster_passes(mini, cluster):
    mini.edit(mini.application, lambda d: d.__setitem__("cluster", cluster))
    expect_clean(mini)


def test_c202_comprehensive_needs_no_cluster(mini):
    make_comprehensive(mini)
    for path in (mini.application, mini.center):
        replace_text(path, "cluster: coalbed-methane\n", "")
        add_institution(path)
    expect_clean(mini)


# ---------------------------------------------------------------------------
# C203 — unusual lead unit kind for the category: a warning only
# ---------------------------------------------------------------------------


def test_c203_domain_led_by_a_social_organization_warns(mini):
    mini.edit(mini.application, lambda d: d["lead_unit"].__setitem__("unit_kind", "social-organization"))
    finding = expect_one(mini, "C203", value_pos(mini.application, "lead_unit", "unit_kind"), severity="warning")
    unit_names = names("unit_kinds")
    assert finding.message.startswith("领域类中心")
    assert f"“{unit_names['social-organization']}”" in finding.message
    for usual in POLICY["usual_lead_unit_kinds"]["domain"]:
        assert unit_names[usual] in finding.message


def test_c203_comprehensive_led_by_an_enterprise_warns(mini):
    make_comprehensive(mini, lead_kind="enterprise")
    add_institution(mini.application)
    add_institution(mini.center)
    finding = expect_one(mini, "C203", value_pos(mini.application, "lead_unit", "unit_kind"), severity="warning")
    unit_names = names("unit_kinds")
    assert finding.message.startswith("综合类中心")
    assert f"“{unit_names['enterprise']}”" in finding.message
    for usual in POLICY["usual_lead_unit_kinds"]["comprehensive"]:
        assert unit_names[usual] in finding.message


@pytest.mark.parametrize("kind", POLICY["usual_lead_unit_kinds"]["domain"])
def test_c203_usual_lead_units_of_a_domain_center_pass(mini, kind):
    mini.edit(mini.application, lambda d: d["lead_unit"].__setitem__("unit_kind", kind))
    expect_clean(mini)


def test_c203_a_warning_alone_does_not_fail_the_command(mini):
    mini.edit(mini.application, lambda d: d["lead_unit"].__setitem__("unit_kind", "social-organization"))
    result = mini.validate()
    assert result.code == 0, result.stderr
    assert [(f["rule"], f["severity"]) for f in result.findings] == [("C203", "warning")]


# ---------------------------------------------------------------------------
# N401 — "晋城市XX技术创新中心"
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["晋城市光机电技术创新中心", "晋城市煤层气高效开发技术创新中心", POLICY["naming"]["example"]])
def test_n401_names_in_the_pattern_pass(mini, name):
    # The center certified on this application bears the same name (F808).
    mini.edit(mini.application, lambda d: d.__setitem__("proposed_name", name))
    mini.edit(mini.center, lambda d: d.__setitem__("name", name))
    expect_clean(mini)


@pytest.mark.parametrize(
    "name",
    [
        "晋城市煤层气高效开发中心",  # not a 技术创新中心
        "晋城市技术创新中心",  # empty XX
        "山西省煤层气技术创新中心",  # not 晋城市
        "晋城市煤层气技术创新中心（筹）",  # trailing text
        "晋城市 煤层气技术创新中心",  # a space in XX
    ],
)
def test_n401_names_outside_the_pattern_fail(mini, name):
    make_pending(mini)  # under review: with a center, the center's name would be reported too
    mini.edit(mini.application, lambda d: d.__setitem__("proposed_name", name))
    finding = expect_one(mini, "N401", value_pos(mini.application, "proposed_name"))
    assert f"“{name}”" in finding.message
    assert "“晋城市XX技术创新中心”" in finding.message
    assert "第九条第（三）项" in finding.message


def test_n401_checks_a_center_name(mini):
    """A center renamed in its file alone: its name breaks the pattern (N401) and no
    longer is the name it was certified under (F808), both on the name."""
    replace_text(mini.center, "name: 晋城市煤层气高效开发技术创新中心", "name: 晋城市煤层气中心")
    pos = value_pos(mini.center, "name")
    findings = mini.check()
    assert table(findings) == [(CENTER, *pos, "F808", "error"), (CENTER, *pos, "N401", "error")], [
        (f.path, f.line, f.column, f.rule, f.message) for f in findings
    ]
    finding = findings[1]
    assert finding.article and "“晋城市煤层气中心”" in finding.message


def test_n401_checks_the_new_name_of_a_change_application(mini):
    path = add_change_application(mini)
    expect_clean(mini)
    replace_text(path, "new_name: 晋城市煤层气智能开发技术创新中心", "new_name: 晋城市煤层气智能开发研究院")
    finding = expect_one(mini, "N401", value_pos(path, "requested_change", "new_name"), path=CHANGE)
    assert "“晋城市煤层气智能开发研究院”" in finding.message


# ---------------------------------------------------------------------------
# D301 — the provincial platform is certified before the application (Art. 16)
# ---------------------------------------------------------------------------


def _submitted_on(mini) -> dt.date:
    return yaml.safe_load(mini.application.read_text(encoding="utf-8"))["history"][0]["date"]


def test_d301_platform_certified_before_submission_passes(mini):
    mini.edit(mini.application, make_direct)
    expect_clean(mini)


def test_d301_platform_certified_on_the_submission_day_passes(mini):
    submitted = _submitted_on(mini)
    mini.edit(mini.application, lambda d: make_direct(d, submitted))
    expect_clean(mini)


def test_d301_platform_certified_after_submission_fails(mini):
    submitted = _submitted_on(mini)
    later = submitted + dt.timedelta(days=1)
    mini.edit(mini.application, lambda d: make_direct(d, later))
    finding = expect_one(mini, "D301", value_pos(mini.application, "provincial_platform", "certified_on"))
    assert later.isoformat() in finding.message and submitted.isoformat() in finding.message
    assert "第十六条" in finding.message


# ---------------------------------------------------------------------------
# D302 — a change application changes something (Art. 15)
# ---------------------------------------------------------------------------


def test_d302_change_with_a_new_name_passes(mini):
    add_change_application(mini)
    expect_clean(mini)


def test_d302_change_with_only_restructuring_passes(mini):
    path = add_change_application(mini)
    replace_text(path, "  new_name: 晋城市煤层气智能开发技术创新中心", "  restructuring: 与晋城市煤层气装备制造有限公司合并研发部门")
    expect_clean(mini)


@pytest.mark.parametrize("written", ["{}", "{new_name: null}", "{new_research_directions: ~, restructuring: null}"])
def test_d302_change_without_content_fails(mini, written):
    path = add_change_application(mini)
    replace_text(path, "requested_change:\n  new_name: 晋城市煤层气智能开发技术创新中心", f"requested_change: {written}")
    finding = expect_one(mini, "D302", value_pos(path, "requested_change"), path=CHANGE)
    for field in ("new_name", "new_research_directions", "restructuring"):
        assert field in finding.message
    assert "第十五条" in finding.message


# ---------------------------------------------------------------------------
# Meta: every checking rule of structure.py has a failing case here
# ---------------------------------------------------------------------------

FAILING_CASES = {
    "C201": ["test_c201_comprehensive_with_an_empty_list_fails",
             "test_c201_comprehensive_without_the_field_points_at_the_mapping_that_lacks_it"],
    "C202": ["test_c202_domain_without_cluster_fails"],
    "C203": ["test_c203_domain_led_by_a_social_organization_warns"],
    "N401": ["test_n401_names_outside_the_pattern_fail"],
    "D301": ["test_d301_platform_certified_after_submission_fails"],
    "D302": ["test_d302_change_without_content_fails"],
}
COVERED_MODULES = {"ticreg.rules.structure", "ticreg.rules.naming", "ticreg.rules.claims"}


def test_every_checking_rule_of_this_part_has_a_failing_case():
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
