"""Articles 6, 7, 9(3), 15 and 16: rules C201–C203, N401, D301, D302.

A passing and a failing case for each, with the exact rule, severity and
position. Lists and minimums come from registry/policy.yml. Positions are
computed from the text of the file as written, not by the loader under test.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import shutil
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
POLICY = yaml.safe_load((REPO / "registry" / "policy.yml").read_text(encoding="utf-8"))
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"

APP = "registry/applications/zezhou/2024-zezhou-001.yml"
CENTER = "registry/centers/coalbed-methane-development.yml"
CHANGE = "registry/applications/zezhou/2025-zezhou-002.yml"


# ---------------------------------------------------------------------------
# Helpers: positions from the text, tables of findings
# ---------------------------------------------------------------------------


def _pos(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _key_match(path: Path, keys: tuple[str, ...]) -> tuple[str, int, int]:
    """Find each key in turn (block key at a line start, or a flow-mapping key),
    each search starting after the previous key; return (text, key start, after colon)."""
    text = path.read_text(encoding="utf-8")
    offset = 0
    start = end = 0
    for key in keys:
        pattern = re.compile(rf"(?:^[ ]*(?:- )*|[{{,][ ]*)({re.escape(key)}):(?=\s)", re.M)
        match = pattern.search(text, offset)
        assert match is not None, f"key {key!r} not found in {path}"
        start, end = match.start(1), match.end()
        offset = end
    return text, start, end


def _skip_blank(text: str, i: int) -> int:
    while i < len(text):
        if text[i] in " \n":
            i += 1
        elif text[i] == "#":
            i = text.index("\n", i)
        else:
            break
    return i


def key_pos(path: Path, *keys: str) -> tuple[int, int]:
    """Line and column of the last key."""
    text, start, _ = _key_match(path, keys)
    return _pos(text, start)


def value_pos(path: Path, *keys: str) -> tuple[int, int]:
    """Line and column where the value of the last key starts (for a block
    sequence: its first dash; for a block mapping: its first key)."""
    text, _, end = _key_match(path, keys)
    return _pos(text, _skip_blank(text, end))


def item_pos(path: Path, *keys: str, index: int) -> tuple[int, int]:
    """Line and column where item ``index`` of the block sequence under the keys starts."""
    text, _, end = _key_match(path, keys)
    first = _skip_blank(text, end)
    assert text[first] == "-", "not a block sequence"
    line, column = _pos(text, first)
    lines = text.split("\n")
    count = -1
    for number in range(line - 1, len(lines)):
        current = lines[number]
        if current[: column - 1].strip() == "" and current[column - 1 : column + 1] == "- ":
            count += 1
            if count == index:
                rest = current[column + 1 :]
                return number + 1, column + 2 + (len(rest) - len(rest.lstrip(" ")))
    raise AssertionError(f"item {index} not found")


def table(findings) -> list[tuple]:
    return [(f.path, f.line, f.column, f.rule, f.severity) for f in findings]


def expect_one(mini, rule: str, pos: tuple[int, int], *, severity: str = "error", path: str = APP,
               this_file_only: bool = False):
    """The registry has exactly this one finding (or, with this_file_only, the
    file at `path` has exactly this one); return it for message checks."""
    findings = mini.check()
    if this_file_only:
        findings = [f for f in findings if f.path == path]
    assert table(findings) == [(path, pos[0], pos[1], rule, severity)], [
        (f.path, f.line, f.column, f.rule, f.message) for f in findings
    ]
    finding = findings[0]
    assert finding.article and finding.message
    return finding


def expect_clean(mini) -> None:
    findings = mini.check()
    assert findings == [], [(f.path, f.line, f.column, f.rule, f.message) for f in findings]


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def names(list_name: str) -> dict[str, str]:
    return {item["id"]: item["name"] for item in POLICY[list_name]}


PLATFORM = {
    "name": "山西省煤层气高效开发重点实验室",
    "platform_kind": "key-laboratory",
    "level": "provincial",
    "certified_by": "山西省科学技术厅",
    "document_number": "晋科发〔2022〕8号",
    "certified_on": dt.date(2022, 12, 1),
}


def make_direct(data: dict, certified_on: dt.date = PLATFORM["certified_on"]) -> None:
    data["kind"] = "direct-certification"
    data["provincial_platform"] = {**PLATFORM, "certified_on": certified_on}


def add_change_application(mini) -> Path:
    path = mini.root / "applications" / "zezhou" / "2025-zezhou-002.yml"
    shutil.copy(FIXTURES / "change-application.yml", path)
    return path


def make_comprehensive(mini, *, lead_kind: str = "university") -> None:
    """Switch the exemplar to a comprehensive center by text edits (comments and layout kept)."""
    replace_text(mini.application, "category: domain", "category: comprehensive")
    replace_text(mini.application, "  unit_kind: enterprise\nco_builders:", f"  unit_kind: {lead_kind}\nco_builders:")


INSTITUTION = "specialized_institutions:\n  - name: 煤层气压裂增产研究所\n    host_unit: 太原理工大学\n    focus: 碎软煤层压裂增产\n"


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
    mini.edit(mini.application, lambda d: d.__setitem__("specialized_institutions", institutions))
    expect_clean(mini)


def test_c201_comprehensive_with_an_empty_list_fails(mini):
    minimum = POLICY["eligibility"]["min_specialized_institutions"]
    make_comprehensive(mini)
    replace_text(mini.application, "services: [", "specialized_institutions: []\nservices: [")
    finding = expect_one(mini, "C201", value_pos(mini.application, "specialized_institutions"))
    assert f"列出了 0 个" in finding.message and f"不少于 {minimum} 个" in finding.message
    assert "第六条" in finding.message


def test_c201_comprehensive_without_the_field_points_at_the_mapping_that_lacks_it(mini):
    make_comprehensive(mini)
    # the exemplar starts with two comment lines: the top-level mapping starts at `id`
    pos = key_pos(mini.application, "id")
    assert pos == (3, 1)
    finding = expect_one(mini, "C201", pos)
    assert "0 个" in finding.message


def test_c201_also_checks_a_comprehensive_center(mini):
    replace_text(mini.center, "category: domain", "category: comprehensive")
    finding = expect_one(mini, "C201", key_pos(mini.center, "id"), path=CENTER)
    assert "0 个" in finding.message


def test_c201_a_center_with_an_institution_passes(mini):
    replace_text(mini.center, "category: domain", "category: comprehensive")
    replace_text(mini.center, "services: [", INSTITUTION + "services: [")
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
    replace_text(mini.application, "cluster: coalbed-methane\n", "")
    replace_text(mini.application, "services: [", INSTITUTION + "services: [")
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
    replace_text(mini.application, "services: [", INSTITUTION + "services: [")
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
    mini.edit(mini.application, lambda d: d.__setitem__("proposed_name", name))
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
    mini.edit(mini.application, lambda d: d.__setitem__("proposed_name", name))
    finding = expect_one(mini, "N401", value_pos(mini.application, "proposed_name"))
    assert f"“{name}”" in finding.message
    assert "“晋城市XX技术创新中心”" in finding.message
    assert "第九条第（三）项" in finding.message


def test_n401_checks_a_center_name(mini):
    replace_text(mini.center, "name: 晋城市煤层气高效开发技术创新中心", "name: 晋城市煤层气中心")
    finding = expect_one(mini, "N401", value_pos(mini.center, "name"), path=CENTER)
    assert "“晋城市煤层气中心”" in finding.message


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
COVERED_MODULES = {"ticreg.rules.structure"}


def test_every_checking_rule_of_this_part_has_a_failing_case():
    from ticreg import rules
    from ticreg.rules.registry import RULES

    rules.load_all()
    checking = {rid for rid, r in RULES.items() if r.check is not None and r.check.__module__ in COVERED_MODULES}
    assert checking == set(FAILING_CASES)
    for rule_id, test_names in FAILING_CASES.items():
        for name in test_names:
            assert f'"{rule_id}"' in inspect.getsource(globals()[name]), (rule_id, name)
