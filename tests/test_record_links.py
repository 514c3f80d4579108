"""Records that cannot contradict each other: F812-F817 and X507-X509.

A certification certifies its own application's new center (F812) under a
well-formed number (F816) that no other certification or document uses
(X508); an Art. 15 change comes from its center's lead unit through its
center's department (F813), while the center is open to changes (F814), and
the center records the directions approved (F815); names are unique (X507);
a county department's records lie in its county (X509), and a center where
its application said, under its department (F817). Each on both sides
of its boundary, on a copy of the whole sample registry, with positions
computed from the text as written; ``ticreg record`` refuses what validation
would refuse, and leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import REGISTRY, TODAY, run_cli
from test_record import Sample as RecordSample
from rule_helpers import assert_each_rule_has_a_failing_case, replace_text, text_pos, value_pos

# Today for the certification of 2026-devzone-001, whose publicity ended on 2026-11-30.
DECEMBER = dt.date(2026, 12, 3)

DEVZONE = "applications/devzone/2026-devzone-001.yml"  # in publicity 2026-11-24..30
INDUSTRY_CHANGE = "applications/industry/2026-industry-001.yml"  # a rename, approved
BIG_DATA = "centers/industrial-big-data.yml"  # renamed by it
CASTING = "centers/precision-casting.yml"  # evaluated "revoke" 2026-10-16, revoked 2026-11-06
COALBED_APP = "applications/zezhou/2024-zezhou-001.yml"
COALBED = "centers/coalbed-methane-development.yml"
AGRICULTURE_APP = "applications/agriculture/2026-agriculture-001.yml"  # certified 2026-06-23, 〔2026〕35号
AGRICULTURE = "centers/modern-agriculture.yml"
GREEN_APP = "applications/gaoping/2025-gaoping-002.yml"  # certified 2026-03-16, 〔2026〕9号
LINGCHUAN = "applications/lingchuan/2026-lingchuan-001.yml"  # pending


class Sample(RecordSample):
    """test_record's copy of the whole sample registry, read as (path, line, column, rule, message) errors."""

    def errors(self, today: dt.date = TODAY) -> list[tuple]:
        from ticreg.validate import validate_registry

        found = validate_registry(self.root, self.base, today=today).findings
        return [(f.path, f.line, f.column, f.rule, f.message) for f in found if f.severity == "error"]

    def rows(self, today: dt.date = TODAY) -> list[tuple]:
        """(path, line, column, rule) of each error."""
        return sorted(row[:4] for row in self.errors(today))

    def append(self, relative: str, line: str) -> None:
        path = self.path(relative)
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")


@pytest.fixture
def sample(tmp_path: Path) -> Sample:
    return Sample(tmp_path)


def at(relative: str, pos: tuple[int, int], rule: str) -> tuple:
    return (f"registry/{relative}", pos[0], pos[1], rule)


def test_the_sample_registry_has_no_error(sample: Sample) -> None:
    assert sample.errors(DECEMBER) == []
    assert sample.errors() == []


# ---------------------------------------------------------------------------
# F812: a certification certifies its own application's new center
# ---------------------------------------------------------------------------

CERTIFY_CASTING = "  - {date: 2026-12-02, event: certified, document_number: 晋市科发〔2026〕70号, center_id: precision-casting}\n"


def test_f812_a_certification_naming_another_applications_center(sample: Sample) -> None:
    sample.append(DEVZONE, CERTIFY_CASTING)
    pos = text_pos(sample.path(DEVZONE), "center_id: precision-casting}", at="precision-casting}")
    assert sample.rows(DECEMBER) == [at(DEVZONE, pos, "F812")]
    (message,) = [m for *_, rule, m in sample.errors(DECEMBER) if rule == "F812"]
    assert message == ("history[7].center_id（中心代号） 为“precision-casting”，但该中心的认定申报是 2023-zezhou-001"
                       "（registry/centers/precision-casting.yml）；认定事件只能认定本申报新建的中心（第九条第（三）项）")


def test_f812_a_certification_of_its_own_center_passes(sample: Sample) -> None:
    """The other side: the same application certified into a center file that names it."""
    center = sample.path("centers/light-alloy-die-casting.yml")
    shutil.copy(sample.path(COALBED), center)
    sample.append(DEVZONE, CERTIFY_CASTING.replace("precision-casting", "light-alloy-die-casting"))
    rules = {row[3] for row in sample.rows(DECEMBER)}
    assert "F812" not in rules  # the copied center disagrees in many ways: F808 and others say so
    text = center.read_text(encoding="utf-8").replace("application_id: 2024-zezhou-001", "application_id: 2023-zezhou-001")
    center.write_text(text, encoding="utf-8")
    assert "F812" in {row[3] for row in sample.rows(DECEMBER)}


def test_record_refuses_to_certify_another_applications_center(sample: Sample) -> None:
    path = sample.path(DEVZONE)
    before = path.read_bytes()
    result = run_cli("record", "certified", "2026-devzone-001", "--center", "precision-casting",
                     "--ref", "晋市科发〔2026〕70号", "--date", "2026-12-02", "--today", DECEMBER.isoformat(),
                     cwd=sample.base)
    assert result.code == 1, result.stdout + result.stderr
    assert "F812" in result.stderr and "认定事件只能认定本申报新建的中心" in result.stderr
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------
# F816: the certification document number's format
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("number,fails", [
    ("晋市科发〔2024〕31号", False),
    ("晋市科发〔2024〕7号", False),
    ("abc", True),
    ("晋市科发〔2024〕031号", True),  # no leading zero
    ("晋市科发（2024）31号", True),  # the brackets are 〔〕, not （）
    ("晋市科发〔24〕31号", True),  # a four-digit year
])
def test_f816_certification_number_format_both_sides(sample: Sample, number: str, fails: bool) -> None:
    for relative in (COALBED_APP, COALBED):
        replace_text(sample.path(relative), "晋市科发〔2024〕31号", number)
    expected = []
    if fails:
        expected = [at(COALBED_APP, text_pos(sample.path(COALBED_APP), f"document_number: {number}", at=number), "F816"),
                    at(COALBED, text_pos(sample.path(COALBED), f"document_number: {number}", at=number), "F816")]
    assert sample.rows() == expected


def test_record_refuses_a_certification_number_that_is_not_one(sample: Sample) -> None:
    path = sample.path(DEVZONE)
    before = path.read_bytes()
    result = run_cli("record", "certified", "2026-devzone-001", "--center", "precision-casting", "--ref", "abc",
                     "--date", "2026-12-02", "--today", DECEMBER.isoformat(), cwd=sample.base)
    assert result.code == 1
    assert ("F816 history[7].document_number（文号）“abc”不是认定文号：应符合 policy.yml 的 "
            "document_numbers.certification_pattern，如“晋市科发〔2026〕12号”（第九条第（三）项）") in result.stderr
    assert path.read_bytes() == before


def test_the_policy_pattern_must_compile_and_match_its_example(sample: Sample) -> None:
    replace_text(sample.path("policy.yml"), "certification_example: 晋市科发〔2026〕12号",
                 "certification_example: 晋市科发2026-12")
    result = run_cli("validate", "--format", "json", "--today", TODAY.isoformat(), cwd=sample.base)
    assert result.code == 1
    (finding,) = [f for f in result.findings if f["path"] == "registry/policy.yml"]
    assert "certification_example 不符合 certification_pattern" in finding["message"]


# ---------------------------------------------------------------------------
# F813: an Art. 15 change comes from its center's lead unit, through its department
# ---------------------------------------------------------------------------


def test_f813_a_change_from_another_company(sample: Sample) -> None:
    path = sample.path(INDUSTRY_CHANGE)
    replace_text(path, "  name: 晋城市太行云数科技有限公司\n  uscc: 91140502MA0M5W8C1Q",
                 "  name: 晋城市示例铸造有限公司\n  uscc: 91140525MA0HB6R385")
    assert sample.rows() == sorted([at(INDUSTRY_CHANGE, value_pos(path, "lead_unit", "name"), "F813"),
                                    at(INDUSTRY_CHANGE, value_pos(path, "lead_unit", "uscc"), "F813")])
    messages = {m for *_, rule, m in sample.errors() if rule == "F813"}
    assert ("lead_unit.uscc（统一社会信用代码） 为“91140525MA0HB6R385”，与所变更的中心 "
            "registry/centers/industrial-big-data.yml lead_unit.uscc 的“91140502MA0M5W8C1Q”不一致（第十五条）") in messages


def test_f813_a_change_through_another_department(sample: Sample) -> None:
    """The same application filed by Gaoping's department (its folder moves with it: X503)."""
    old = sample.path(INDUSTRY_CHANGE)
    new = sample.path("applications/gaoping/2026-industry-001.yml")
    old.rename(new)
    replace_text(new, "organizing_department: industry", "organizing_department: gaoping")
    relative = "applications/gaoping/2026-industry-001.yml"
    assert sample.rows() == [at(relative, value_pos(new, "organizing_department"), "F813")]


def test_record_refuses_to_approve_a_change_validation_refuses(sample: Sample) -> None:
    """The approval removed, the lead unit another company's: approving it is refused, nothing written."""
    path = sample.path(INDUSTRY_CHANGE)
    replace_text(path, "  - {date: 2026-04-28, event: change-approved, document_number: 晋市科发〔2026〕19号}\n", "")
    replace_text(path, "uscc: 91140502MA0M5W8C1Q", "uscc: 91140525MA0HB6R385")
    center = sample.path(BIG_DATA)
    replace_text(center, "  - {date: 2026-04-28, event: changed, application_id: 2026-industry-001, "
                 "document_number: 晋市科发〔2026〕19号, former_name: 晋城市工业互联网技术创新中心, "
                 "new_name: 晋城市工业大数据技术创新中心}\n", "")
    replace_text(center, "name: 晋城市工业大数据技术创新中心", "name: 晋城市工业互联网技术创新中心")
    before = path.read_bytes()
    result = run_cli("record", "change-approved", "2026-industry-001", "--ref", "晋市科发〔2026〕19号",
                     "--date", "2026-04-28", "--today", TODAY.isoformat(), cwd=sample.base)
    assert result.code == 1
    assert "F813 lead_unit.uscc" in result.stderr and "change-approved 是市科技局的决定" in result.stderr
    assert path.read_bytes() == before
    # The other side: the center's own lead unit, and the approval is recorded.
    replace_text(path, "uscc: 91140525MA0HB6R385", "uscc: 91140502MA0M5W8C1Q")
    result = run_cli("record", "change-approved", "2026-industry-001", "--ref", "晋市科发〔2026〕19号",
                     "--date", "2026-04-28", "--today", TODAY.isoformat(), cwd=sample.base)
    assert result.code == 0, result.stderr


# ---------------------------------------------------------------------------
# F814: only a center open to changes may be changed
# ---------------------------------------------------------------------------

CASTING_CHANGE = "applications/zezhou/2026-zezhou-002.yml"


def write_casting_change(sample: Sample, *events: str) -> Path:
    """A change of precision-casting's directions, by its own lead unit through its own department."""
    path = sample.path(CASTING_CHANGE)
    path.write_text(
        "id: 2026-zezhou-002\nkind: change\norganizing_department: zezhou\ncenter_id: precision-casting\n"
        "lead_unit:\n  name: 晋城市泽州精铸科技有限公司\n  uscc: 91140525MA0HB6R385\n"
        "  independent_legal_person: true\n  unit_kind: enterprise\n"
        "requested_change:\n  new_research_directions: [铸造废砂再生利用]\n"
        "reason: 中心拟集中力量开展铸造废砂再生利用研究。\n"
        "contact:\n  person: 王示例\n  phone: 0356-3681120\n"
        "history:\n" + "".join(f"  - {e}\n" for e in events),
        encoding="utf-8",
    )
    return path


def test_the_casting_change_lead_unit_is_the_centers() -> None:
    assert "name: 晋城市泽州精铸科技有限公司\n  uscc: 91140525MA0HB6R385" in (REGISTRY / CASTING).read_text(encoding="utf-8")


@pytest.mark.parametrize("submitted,fails", [("2026-10-15", False), ("2026-10-16", True), ("2026-11-06", True)])
def test_f814_a_change_submitted_once_revocation_was_decided(sample: Sample, submitted: str, fails: bool) -> None:
    """Evaluated "revoke" on 2026-10-16: from that day the center is closed to changes."""
    path = write_casting_change(sample, f"{{date: {submitted}, event: submitted}}")
    expected = [at(CASTING_CHANGE, text_pos(path, f"date: {submitted}", at=submitted), "F814")] if fails else []
    assert sample.rows() == expected


def test_f814_names_the_state_and_what_allows_a_change(sample: Sample) -> None:
    write_casting_change(sample, "{date: 2026-11-06, event: submitted}")
    (message,) = [m for *_, rule, m in sample.errors() if rule == "F814"]
    assert message == ("history[0].date（日期）：该日中心 registry/centers/precision-casting.yml 的状态为“已撤销”，"
                       "不能申请或批准变更；只有“运行中”、“整改中”的中心可以变更（第十五条）")


def test_record_refuses_to_approve_a_change_of_a_revoked_center(sample: Sample) -> None:
    path = write_casting_change(sample, "{date: 2026-10-15, event: submitted}",
                                "{date: 2026-10-20, event: department-approved}")
    assert sample.errors() == []
    before = path.read_bytes()
    result = run_cli("record", "change-approved", "2026-zezhou-002", "--ref", "晋市科发〔2026〕80号",
                     "--date", "2026-11-20", "--today", TODAY.isoformat(), cwd=sample.base)
    assert result.code == 1
    assert "F814 history[2].date" in result.stderr and "已撤销" in result.stderr
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------
# F815: the center's directions are the approved ones
# ---------------------------------------------------------------------------

DIRECTIONS = ["工业数据采集与治理", "设备预测性维护"]
CHANGED = ("  - {date: 2026-04-28, event: changed, application_id: 2026-industry-001, document_number: 晋市科发〔2026〕19号, "
           "former_name: 晋城市工业互联网技术创新中心, new_name: 晋城市工业大数据技术创新中心}")


def approve_new_directions(sample: Sample, recorded: list[str] | None, current: list[str]) -> Path:
    """2026-industry-001 also asks for DIRECTIONS; the center's changed record writes `recorded`,
    and its research_directions are `current`."""
    replace_text(sample.path(INDUSTRY_CHANGE), "  new_name: 晋城市工业大数据技术创新中心\n",
                 f"  new_name: 晋城市工业大数据技术创新中心\n  new_research_directions: [{', '.join(DIRECTIONS)}]\n")
    center = sample.path(BIG_DATA)
    if recorded is not None:
        replace_text(center, CHANGED, CHANGED[:-1] + f", new_research_directions: [{', '.join(recorded)}]}}")
    text = center.read_text(encoding="utf-8")
    start, end = text.index("research_directions:\n"), text.index("summary:")
    center.write_text(text[:start] + "research_directions:\n" + "".join(f"  - {d}\n" for d in current) + text[end:],
                      encoding="utf-8")
    return center


def test_f815_directions_as_approved_pass(sample: Sample) -> None:
    approve_new_directions(sample, DIRECTIONS, DIRECTIONS)
    assert sample.errors() == []


def test_f815_the_changed_record_omits_the_approved_directions(sample: Sample) -> None:
    center = approve_new_directions(sample, None, DIRECTIONS)
    # The changed record has no new_research_directions: reported at the record itself.
    assert sample.rows() == [at(BIG_DATA, text_pos(center, CHANGED.strip(), at="{date"), "F815")]


def test_f815_the_changed_record_writes_other_directions(sample: Sample) -> None:
    center = approve_new_directions(sample, DIRECTIONS[:1], DIRECTIONS[:1])
    pos = text_pos(center, "new_research_directions: [", at="[")
    assert sample.rows() == [at(BIG_DATA, pos, "F815")]


def test_f815_the_center_keeps_its_old_directions(sample: Sample) -> None:
    center = approve_new_directions(sample, DIRECTIONS, ["煤矿、铸造等重点行业工业数据采集与治理"])
    assert sample.rows() == [at(BIG_DATA, value_pos(center, "research_directions"), "F815")]


def test_f815_directions_the_application_did_not_ask_for(sample: Sample) -> None:
    center = sample.path(BIG_DATA)
    replace_text(center, CHANGED, CHANGED[:-1] + ", new_research_directions: [设备预测性维护]}")
    pos = text_pos(center, "new_research_directions: [", at="[")
    assert sample.rows() == sorted([at(BIG_DATA, pos, "F815"),
                                    at(BIG_DATA, value_pos(center, "research_directions"), "F815")])
    messages = [m for *_, rule, m in sample.errors() if rule == "F815"]
    assert any("该申请没有请求变更研究方向" in m for m in messages)


def unrecord_the_rename(sample: Sample) -> None:
    """The center as it was before 2026-industry-001's approval was recorded on it."""
    center = sample.path(BIG_DATA)
    replace_text(center, CHANGED + "\n", "")
    replace_text(center, "name: 晋城市工业大数据技术创新中心", "name: 晋城市工业互联网技术创新中心")


RECORD_CHANGED = ("record", "changed", "industrial-big-data", "--application", "2026-industry-001",
                  "--ref", "晋市科发〔2026〕19号", "--date", "2026-04-28", "--new-name", "晋城市工业大数据技术创新中心",
                  "--today", TODAY.isoformat())


def test_record_changed_writes_the_approved_directions(sample: Sample) -> None:
    """--new-direction: the former directions are kept in the event, research_directions rewritten in place."""
    approve_new_directions(sample, None, ["煤矿、铸造等重点行业工业数据采集与治理", "工业大数据分析与设备预测性维护",
                                          "面向中小企业的轻量化工业互联网平台"])
    unrecord_the_rename(sample)
    center = sample.path(BIG_DATA)
    before = center.read_text(encoding="utf-8")
    args = [a for d in DIRECTIONS for a in ("--new-direction", d)]
    result = run_cli(*RECORD_CHANGED, *args, cwd=sample.base)
    assert result.code == 0, result.stderr
    assert "research_directions 已改为：工业数据采集与治理、设备预测性维护" in result.stdout
    after = center.read_text(encoding="utf-8")
    old_directions = ("  - 煤矿、铸造等重点行业工业数据采集与治理\n  - 工业大数据分析与设备预测性维护\n"
                      "  - 面向中小企业的轻量化工业互联网平台\n")
    assert after == before.replace(old_directions, "".join(f"  - {d}\n" for d in DIRECTIONS)).replace(
        "name: 晋城市工业互联网技术创新中心", "name: 晋城市工业大数据技术创新中心") + (
        CHANGED[:-1] + ", former_research_directions: [煤矿、铸造等重点行业工业数据采集与治理, 工业大数据分析与设备预测性维护, "
        "面向中小企业的轻量化工业互联网平台], new_research_directions: [工业数据采集与治理, 设备预测性维护]}\n")
    assert sample.errors() == []


def test_record_changed_without_the_approved_directions_is_refused(sample: Sample) -> None:
    approve_new_directions(sample, None, ["煤矿、铸造等重点行业工业数据采集与治理", "工业大数据分析与设备预测性维护",
                                          "面向中小企业的轻量化工业互联网平台"])
    unrecord_the_rename(sample)
    before = sample.path(BIG_DATA).read_bytes()
    result = run_cli(*RECORD_CHANGED, "--new-direction", DIRECTIONS[0], cwd=sample.base)
    assert result.code == 1
    assert "F815" in result.stderr and "已恢复原文件" in result.stderr
    assert sample.path(BIG_DATA).read_bytes() == before


# ---------------------------------------------------------------------------
# X507: one name, one center
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name,fails", [
    ("晋城市精密铸造技术创新中心", True),  # a revoked center keeps its name in the registry
    ("晋城市煤层气高效开发技术创新中心", True),
    ("晋城市精密铸件技术创新中心", False),
])
def test_x507_a_pending_application_with_a_centers_name(sample: Sample, name: str, fails: bool) -> None:
    path = sample.path(LINGCHUAN)
    replace_text(path, "proposed_name: 晋城市连翘资源开发利用技术创新中心", f"proposed_name: {name}")
    assert sample.rows() == ([at(LINGCHUAN, value_pos(path, "proposed_name"), "X507")] if fails else [])


def test_x507_two_centers_with_one_name(sample: Sample) -> None:
    tourism = sample.path("centers/taihang-smart-tourism.yml")
    replace_text(tourism, "name: 晋城市太行山智慧文旅技术创新中心", "name: 晋城市煤层气高效开发技术创新中心")
    replace_text(sample.path("applications/lingchuan/2024-lingchuan-001.yml"),
                 "proposed_name: 晋城市太行山智慧文旅技术创新中心", "proposed_name: 晋城市煤层气高效开发技术创新中心")
    assert sample.rows() == sorted([at(COALBED, value_pos(sample.path(COALBED), "name"), "X507"),
                                    at("centers/taihang-smart-tourism.yml", value_pos(tourism, "name"), "X507")])


def test_x507_a_decided_application_keeps_its_name(sample: Sample) -> None:
    """A rejected or withdrawn application (and a certified one) no longer asks for a name."""
    path = sample.path(LINGCHUAN)
    replace_text(path, "proposed_name: 晋城市连翘资源开发利用技术创新中心", "proposed_name: 晋城市精密铸造技术创新中心")
    sample.append(LINGCHUAN, "  - {date: 2026-11-20, event: withdrawn}\n")
    assert sample.rows() == []


def test_x507_a_pending_change_asking_for_another_centers_name(sample: Sample) -> None:
    path = write_casting_change(sample, "{date: 2026-10-15, event: submitted}")
    replace_text(path, "  new_research_directions: [铸造废砂再生利用]\n", "  new_name: 晋城市先进制造技术创新中心\n")
    assert sample.rows() == [at(CASTING_CHANGE, value_pos(path, "requested_change", "new_name"), "X507")]


def test_x507_the_center_file_written_before_certification_is_the_applications_own(sample: Sample) -> None:
    """Certifying, one writes the center file first: its name is the pending application's own."""
    path = sample.path(DEVZONE)
    center = sample.path("centers/light-alloy-die-casting.yml")
    shutil.copy(sample.path(COALBED), center)
    replace_text(center, "name: 晋城市煤层气高效开发技术创新中心", "name: 晋城市轻合金压铸技术创新中心")
    replace_text(center, "id: coalbed-methane-development", "id: light-alloy-die-casting")
    replace_text(center, "application_id: 2024-zezhou-001\n", "application_id: 2026-devzone-001\n")
    assert "X507" not in {row[3] for row in sample.rows(DECEMBER)}
    replace_text(center, "application_id: 2026-devzone-001\n", "application_id: 2024-zezhou-001\n")
    assert at(DEVZONE, value_pos(path, "proposed_name"), "X507") in sample.rows(DECEMBER)


# ---------------------------------------------------------------------------
# X508: one certification per document number
# ---------------------------------------------------------------------------


def test_x508_two_certifications_under_one_number(sample: Sample) -> None:
    for relative in (AGRICULTURE_APP, AGRICULTURE):
        replace_text(sample.path(relative), "晋市科发〔2026〕35号", "晋市科发〔2026〕9号")
    rows = sample.rows()
    assert [row[3] for row in rows] == ["X508"] * 4
    assert {row[0] for row in rows} == {f"registry/{r}" for r in (AGRICULTURE_APP, AGRICULTURE, GREEN_APP,
                                                                  "centers/green-low-carbon.yml")}
    path = sample.path(AGRICULTURE_APP)
    assert at(AGRICULTURE_APP, text_pos(path, "document_number: 晋市科发〔2026〕9号", at="晋市"), "X508") in rows
    messages = {m for p, *_, rule, m in sample.errors() if p == f"registry/{AGRICULTURE_APP}"}
    (message,) = messages
    assert "一份认定文件只认定一个中心，此文号已是申报 2025-gaoping-002 的认定文号" in message


def test_x508_a_certification_number_reused_for_a_change_approval(sample: Sample) -> None:
    """Only the reuse is reported; the certification and its center file share the number by right."""
    for relative in (INDUSTRY_CHANGE, BIG_DATA):
        replace_text(sample.path(relative), "晋市科发〔2026〕19号", "晋市科发〔2026〕9号")
    change, center = sample.path(INDUSTRY_CHANGE), sample.path(BIG_DATA)
    assert sample.rows() == sorted([
        at(INDUSTRY_CHANGE, text_pos(change, "document_number: 晋市科发〔2026〕9号", at="晋市"), "X508"),
        at(BIG_DATA, text_pos(center, "document_number: 晋市科发〔2026〕9号", at="晋市"), "X508"),
    ])


def test_x508_one_certification_in_its_application_and_center_is_one_use(sample: Sample) -> None:
    """The other side: every sample certification appears twice (application and center) and passes."""
    assert "X508" not in {row[3] for row in sample.rows()}
    text = sample.path(GREEN_APP).read_text(encoding="utf-8")
    assert "晋市科发〔2026〕9号" in text and "晋市科发〔2026〕9号" in sample.path("centers/green-low-carbon.yml").read_text(
        encoding="utf-8")


# ---------------------------------------------------------------------------
# X509: a county department's records lie in its county
# ---------------------------------------------------------------------------


def test_x509_a_zezhou_application_and_its_center_in_gaoping(sample: Sample) -> None:
    for relative in (COALBED_APP, COALBED):
        replace_text(sample.path(relative), 'county_code: "140525"', 'county_code: "140581"')
    assert sample.rows() == sorted([at(COALBED_APP, value_pos(sample.path(COALBED_APP), "county_code"), "X509"),
                                    at(COALBED, value_pos(sample.path(COALBED), "county_code"), "X509")])
    messages = {m for *_, rule, m in sample.errors() if rule == "X509"}
    assert messages == {"county_code（所在县（市、区））“140581（高平市）”与组织管理部门不符：zezhou（泽州县科学技术局） "
                        "是 140525（泽州县） 的科技管理部门（第五条）"}


def test_x509_a_pending_zezhou_application_in_gaoping(sample: Sample) -> None:
    path = sample.path("applications/zezhou/2025-zezhou-001.yml")
    replace_text(path, 'county_code: "140525"', 'county_code: "140581"')
    assert sample.rows() == [at("applications/zezhou/2025-zezhou-001.yml", value_pos(path, "county_code"), "X509")]


# ---------------------------------------------------------------------------
# F817: a center lies where its application said, under its department
# ---------------------------------------------------------------------------

OPTO = "centers/precision-optoelectronics.yml"  # the development zone's: no county of its own


def test_f817_a_center_in_another_county_than_its_application(sample: Sample) -> None:
    path = sample.path(OPTO)
    replace_text(path, 'county_code: "140525"', 'county_code: "140581"')
    assert sample.rows() == [at(OPTO, value_pos(path, "county_code"), "F817")]
    (message,) = [m for *_, rule, m in sample.errors() if rule == "F817"]
    assert message == ("county_code（所在县（市、区）） 为“140581”，与认定申报 registry/applications/devzone/2025-devzone-001.yml "
                       "中的“140525”不一致（第五条、第九条）")


def test_f817_a_center_under_another_department_than_its_application(sample: Sample) -> None:
    path = sample.path(OPTO)
    replace_text(path, "organizing_department: devzone", "organizing_department: industry")
    assert sample.rows() == [at(OPTO, value_pos(path, "organizing_department"), "F817")]


@pytest.mark.parametrize("relative", [DEVZONE, AGRICULTURE_APP])
def test_x509_development_zone_and_municipal_departments_are_not_tied_to_a_county(sample: Sample, relative: str) -> None:
    path = sample.path(relative)
    text = path.read_text(encoding="utf-8")
    assert 'county_code: "140525"' in text
    path.write_text(text.replace('county_code: "140525"', 'county_code: "140581"', 1), encoding="utf-8")
    if relative == AGRICULTURE_APP:  # its center too, so the pair stays alike
        replace_text(sample.path(AGRICULTURE), 'county_code: "140525"', 'county_code: "140581"')
    assert sample.rows() == []


def test_new_application_writes_a_county_departments_own_county(sample: Sample) -> None:
    result = run_cli("new-application", "--today", TODAY.isoformat(), "--department", "gaoping",
                     "--id", "2026-gaoping-009", cwd=sample.base)
    assert result.code == 0, result.stderr
    path = sample.path("applications/gaoping/2026-gaoping-009.yml")
    assert 'county_code: "140581"' in path.read_text(encoding="utf-8")
    assert "X509" not in {row[3] for row in sample.rows()}


FAILING_CASES = {
    "F812": ["test_f812_a_certification_naming_another_applications_center"],
    "F813": ["test_f813_a_change_from_another_company", "test_f813_a_change_through_another_department"],
    "F814": ["test_f814_a_change_submitted_once_revocation_was_decided"],
    "F815": ["test_f815_the_changed_record_omits_the_approved_directions", "test_f815_the_center_keeps_its_old_directions"],
    "F816": ["test_f816_certification_number_format_both_sides"],
    "X507": ["test_x507_a_pending_application_with_a_centers_name", "test_x507_two_centers_with_one_name"],
    "X508": ["test_x508_two_certifications_under_one_number", "test_x508_a_certification_number_reused_for_a_change_approval"],
    "X509": ["test_x509_a_zezhou_application_and_its_center_in_gaoping", "test_x509_a_pending_zezhou_application_in_gaoping"],
    "F817": ["test_f817_a_center_in_another_county_than_its_application",
             "test_f817_a_center_under_another_department_than_its_application"],
}
COVERED_MODULES = {
    "ticreg.rules.process.certification_refs",
    "ticreg.rules.process.change_links",
    "ticreg.rules.cross_file",
}


def test_every_checking_rule_of_this_part_has_a_failing_case() -> None:
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
