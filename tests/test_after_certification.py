"""After certification and the lead units: Art. 3 (规模以上), Art. 7 (五大千亿级产业集群),
Art. 10 (transition to a legal entity), Art. 14 (key support, recommendations),
Art. 16 (a converting municipal engineering research center), Art. 17 (in force from).

Rules E113, E114 (rules/eligibility.py), D304-D306 (rules/claims.py), X520
(rules/cross_file.py) and F840-F845 (rules/process/after_certification.py), each on both sides of its
boundary with the exact file, line and column (computed from the text as
written, rule_helpers); ``ticreg deadlines`` and the tracking issue for
transitions and priority; the built sample site for what the public sees.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REGISTRY, TODAY, MiniRegistry, run_cli
from html_tree import Node, parse
from rule_helpers import (
    APP,
    CENTER,
    assert_each_rule_has_a_failing_case,
    expect_clean,
    expect_one,
    key_pos,
    replace_text,
    value_pos,
)

from ticreg import deadlines as dl
from ticreg.github import tracking_issue

D = dt.date
CERTIFIED_ON = D(2024, 6, 17)  # the exemplar center's certification (mini)
SUBMITTED_ON = D(2024, 3, 11)  # the exemplar application's submission (mini)


# --- editing the mini registry ---------------------------------------------------


def lead_unit_line(mini: MiniRegistry, line: str) -> None:
    """Add one line to the exemplar application's lead_unit block."""
    replace_text(mini.application, "  unit_kind: enterprise\nco_builders:", f"  unit_kind: enterprise\n  {line}\nco_builders:")


def before_history(path: Path, block: str) -> None:
    """Insert top-level YAML just before the history (the last block of the exemplar files)."""
    replace_text(path, "\nhistory:\n", f"\n{block}history:\n")


def set_policy(mini: MiniRegistry, old: str, new: str) -> None:
    replace_text(mini.root / "policy.yml", old, new)


def excellent_evaluation(mini: MiniRegistry, date: str = "2026-05-20") -> None:
    """An early, excellent evaluation of the exemplar center."""
    text = mini.center.read_text(encoding="utf-8")
    mini.center.write_text(
        text + f"  - {{date: {date}, event: evaluated, outcome: retain, excellent: true, evaluator: 山西示例评估有限公司}}\n",
        encoding="utf-8",
    )


def conversion(document_number: str = "晋市科发〔2019〕15号", certified_on: str = "2019-08-26") -> str:
    return (
        "municipal_erc_conversion:\n"
        "  name: 晋城市煤层气工程技术研究中心\n"
        f"  document_number: {document_number}\n"
        f"  certified_on: {certified_on}\n"
    )


def legal_entity(uscc: str = "91140525MA0K7T3N5Q", legal_form: str = "enterprise") -> str:
    return (
        "transition:\n"
        "  target_date: 2026-06-30\n"
        "  legal_entity:\n"
        "    name: 晋城蓝焰煤层气技术创新中心有限公司\n"
        f"    uscc: {uscc}\n"
        f"    legal_form: {legal_form}\n"
        "    registered_on: 2026-05-08\n"
    )


def make_internal_unit(mini: MiniRegistry) -> None:
    replace_text(mini.center, "legal_form: enterprise\n", "legal_form: internal-unit\n")


def valid_uscc(prefix17: str) -> str:
    from ticreg.identifiers import uscc_expected_check_character

    return prefix17 + uscc_expected_check_character(prefix17 + "0")


# --- Art. 3: 规模以上 -------------------------------------------------------------


def test_e113_an_enterprise_above_designated_size_is_clean(mini: MiniRegistry) -> None:
    lead_unit_line(mini, "above_designated_size: true")
    expect_clean(mini)


def test_e113_an_enterprise_not_above_designated_size_is_a_warning(mini: MiniRegistry) -> None:
    lead_unit_line(mini, "above_designated_size: false")
    finding = expect_one(mini, "E113", value_pos(mini.application, "lead_unit", "above_designated_size"),
                         severity="warning")
    assert "第三条" in finding.article and "规模以上" in finding.message


def test_e114_above_designated_size_on_a_university_is_an_error(mini: MiniRegistry) -> None:
    replace_text(mini.application, "  independent_legal_person: true\n  unit_kind: enterprise\n",
                 "  independent_legal_person: true\n  unit_kind: university\n  above_designated_size: true\n")
    finding = expect_one(mini, "E114", key_pos(mini.application, "lead_unit", "above_designated_size"))
    assert "高等院校" in finding.message


def test_e114_a_university_that_leaves_it_out_is_clean(mini: MiniRegistry) -> None:
    replace_text(mini.application, "  independent_legal_person: true\n  unit_kind: enterprise\n",
                 "  independent_legal_person: true\n  unit_kind: university\n")
    expect_clean(mini)


def test_above_designated_size_is_true_or_false_only(mini: MiniRegistry) -> None:
    lead_unit_line(mini, "above_designated_size: 是")
    assert "S103" in mini.rules()


# --- Art. 16: a converting municipal engineering research center ----------------------


def test_d304_a_conversion_with_a_valid_reference_is_clean(mini: MiniRegistry) -> None:
    before_history(mini.application, conversion())
    expect_clean(mini)


@pytest.mark.parametrize("number", ["abc", "晋市科发〔2019〕第15号", "晋科发〔2019〕15号"])
def test_d304_a_document_number_out_of_format(mini: MiniRegistry, number: str) -> None:
    before_history(mini.application, conversion(document_number=number))
    finding = expect_one(mini, "D304", value_pos(mini.application, "municipal_erc_conversion", "document_number"))
    assert "第十六条" == finding.article and "格式" in finding.message


def test_d304_a_document_number_of_another_year(mini: MiniRegistry) -> None:
    before_history(mini.application, conversion(document_number="晋市科发〔2020〕15号"))
    finding = expect_one(mini, "D304", value_pos(mini.application, "municipal_erc_conversion", "document_number"))
    assert "2020" in finding.message and "2019-08-26" in finding.message


def test_d305_a_conversion_certified_on_the_submission_day_is_clean(mini: MiniRegistry) -> None:
    before_history(mini.application, conversion(document_number="晋市科发〔2024〕3号",
                                                 certified_on=SUBMITTED_ON.isoformat()))
    expect_clean(mini)


def test_d305_a_conversion_certified_after_the_submission(mini: MiniRegistry) -> None:
    later = SUBMITTED_ON + dt.timedelta(days=1)
    before_history(mini.application, conversion(document_number="晋市科发〔2024〕3号", certified_on=later.isoformat()))
    finding = expect_one(mini, "D305", value_pos(mini.application, "municipal_erc_conversion", "certified_on"))
    assert later.isoformat() in finding.message and SUBMITTED_ON.isoformat() in finding.message


def test_the_old_free_text_conversion_is_a_schema_error_not_a_crash(mini: MiniRegistry) -> None:
    before_history(mini.application, "municipal_erc_conversion: 晋城市煤层气工程技术研究中心\n")
    assert mini.rules() == ["S103"]


SECOND = "registry/applications/zezhou/2024-zezhou-002.yml"


def second_conversion(mini: MiniRegistry, last_event: str = "") -> Path:
    """A second application, still pending (or ended by ``last_event``): a copy of the exemplar, so
    converting the same municipal center as the exemplar does."""
    text = mini.application.read_text(encoding="utf-8")
    assert "municipal_erc_conversion:" in text
    head, sep, _ = text.partition("\nhistory:\n")
    head = head.replace("id: 2024-zezhou-001", "id: 2024-zezhou-002")
    head = head.replace("晋城市煤层气高效开发技术创新中心", "晋城市煤层气智能装备技术创新中心")
    path = mini.root / "applications" / "zezhou" / "2024-zezhou-002.yml"
    path.write_text(head + sep + "  - {date: 2024-04-01, event: submitted}\n" + last_event, encoding="utf-8")
    return path


def test_x520_one_municipal_center_converted_by_two_applications(mini: MiniRegistry) -> None:
    before_history(mini.application, conversion())
    second = second_conversion(mini)
    findings = [f for f in mini.check() if f.rule == "X520"]
    assert sorted((f.path, f.line, f.column) for f in findings) == sorted([
        (APP, *value_pos(mini.application, "municipal_erc_conversion", "document_number")),
        (SECOND, *value_pos(second, "municipal_erc_conversion", "document_number")),
    ])
    assert all(f.article == "第十六条" for f in findings)
    assert SECOND in next(f.message for f in findings if f.path == APP)


def test_x520_a_withdrawn_application_leaves_the_center_free(mini: MiniRegistry) -> None:
    before_history(mini.application, conversion())
    second_conversion(mini, "  - {date: 2024-04-02, event: withdrawn}\n")
    expect_clean(mini)


def test_policy_needs_a_year_group_in_the_document_pattern(mini: MiniRegistry) -> None:
    set_policy(mini, r"晋市科(?:发|字)〔(?P<year>\\d{4})〕", r"晋市科(?:发|字)〔(\\d{4})〕")
    result = mini.validate()
    assert result.code == 1
    assert any("命名组 year" in f["message"] for f in result.findings)


# --- Art. 17: in force from --------------------------------------------------------


def test_d306_without_an_in_force_date_nothing_is_checked(mini: MiniRegistry) -> None:
    assert "in_force_from: null" in (mini.root / "policy.yml").read_text(encoding="utf-8")
    expect_clean(mini)


def test_d306_submitted_on_the_in_force_day_is_clean(mini: MiniRegistry) -> None:
    set_policy(mini, "in_force_from: null", f"in_force_from: {SUBMITTED_ON.isoformat()}")
    expect_clean(mini)


def test_d306_submitted_the_day_before_the_measures_took_force(mini: MiniRegistry) -> None:
    after = SUBMITTED_ON + dt.timedelta(days=1)
    set_policy(mini, "in_force_from: null", f"in_force_from: {after.isoformat()}")
    text = mini.application.read_text(encoding="utf-8")
    line = text[: text.index("{date: 2024-03-11, event: submitted}")].count("\n") + 1
    column = len(text.splitlines()[line - 1].split("{date: ")[0]) + len("{date: ") + 1
    finding = expect_one(mini, "D306", (line, column))
    assert finding.article == "第十七条" and after.isoformat() in finding.message


# --- Art. 14: key support and recommendations -----------------------------------------------


SUPPORT = (
    "key_support:\n"
    "  - year: {year}\n"
    "    programme: 市科技重点研发计划\n"
    "    amount_yuan: 1500000\n"
)
RECOMMENDATION = (
    "provincial_recommendations:\n"
    "  - year: {year}\n"
    "    kind: provincial-tic\n"
    "    outcome: approved\n"
)


def test_f840_f841_support_after_an_excellent_evaluation_is_clean(mini: MiniRegistry) -> None:
    before_history(mini.center, SUPPORT.format(year=2026) + RECOMMENDATION.format(year=2026))
    excellent_evaluation(mini)
    expect_clean(mini)


def test_f840_support_in_the_year_before_certification(mini: MiniRegistry) -> None:
    before_history(mini.center, SUPPORT.format(year=CERTIFIED_ON.year - 1))
    excellent_evaluation(mini, f"{CERTIFIED_ON.year}-12-01")
    findings = [f for f in mini.check() if f.rule == "F840"]
    assert [(f.path, f.line, f.column, f.severity) for f in findings] == [
        (CENTER, *value_pos(mini.center, "key_support", "year"), "error")
    ]
    assert "第十四条" == findings[0].article and f"{CERTIFIED_ON.year} 年（认定）" in findings[0].message


def test_f840_a_recommendation_in_a_year_after_today(mini: MiniRegistry) -> None:
    before_history(mini.center, RECOMMENDATION.format(year=TODAY.year + 1))
    excellent_evaluation(mini)
    findings = [f for f in mini.check() if f.rule == "F840"]
    assert [(f.line, f.column) for f in findings] == [value_pos(mini.center, "provincial_recommendations", "year")]


def test_f840_support_in_the_certification_year_and_this_year_is_in_range(mini: MiniRegistry) -> None:
    block = SUPPORT.format(year=CERTIFIED_ON.year) + f"  - year: {TODAY.year}\n    programme: 市科技计划\n    amount_yuan: 1\n"
    before_history(mini.center, block)
    excellent_evaluation(mini, f"{CERTIFIED_ON.year}-12-01")
    expect_clean(mini)


def test_f841_support_without_an_excellent_evaluation_is_a_warning(mini: MiniRegistry) -> None:
    before_history(mini.center, SUPPORT.format(year=2026))
    finding = expect_one(mini, "F841", value_pos(mini.center, "key_support", "year"), severity="warning",
                         path=CENTER)
    assert "excellent: true" in finding.message


def test_f841_support_in_a_year_before_the_excellent_evaluation(mini: MiniRegistry) -> None:
    before_history(mini.center, SUPPORT.format(year=2025))
    excellent_evaluation(mini, "2026-05-20")
    finding = expect_one(mini, "F841", value_pos(mini.center, "key_support", "year"), severity="warning",
                         path=CENTER)
    assert "2026" in finding.message


def test_support_amount_is_whole_yuan(mini: MiniRegistry) -> None:
    before_history(mini.center, SUPPORT.format(year=2026).replace("1500000", "150万"))
    excellent_evaluation(mini)
    assert "S103" in mini.rules()
    mini.center.write_text(mini.center.read_text(encoding="utf-8").replace("150万", "1_500_000"), encoding="utf-8")
    assert "S111" in mini.rules()


def test_an_unknown_recommendation_kind_is_s105(mini: MiniRegistry) -> None:
    before_history(mini.center, RECOMMENDATION.format(year=2026).replace("provincial-tic", "national-lab"))
    excellent_evaluation(mini)
    assert mini.rules() == ["S105"]


# --- Art. 10: the transition to an independent legal entity ---------------------------


def test_f843_an_internal_unit_without_a_plan_is_a_warning(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    finding = expect_one(mini, "F843", value_pos(mini.center, "legal_form"), severity="warning", path=CENTER)
    assert finding.article == "第十条"


def test_f843_an_internal_unit_with_a_plan_is_clean(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    before_history(mini.center, "transition:\n  target_date: 2027-12-31\n")
    expect_clean(mini)


def test_a_completed_transition_is_clean(mini: MiniRegistry) -> None:
    before_history(mini.center, legal_entity(uscc=valid_uscc("91140525MA0K7T3N5")))
    expect_clean(mini)


def test_f842_an_internal_unit_that_registered_its_entity_must_change_its_form(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    before_history(mini.center, legal_entity(uscc=valid_uscc("91140525MA0K7T3N5")))
    finding = expect_one(mini, "F842", value_pos(mini.center, "legal_form"), path=CENTER)
    assert "应改为 enterprise" in finding.message


def test_f842_a_plan_without_an_entity_on_a_center_that_is_no_internal_unit(mini: MiniRegistry) -> None:
    before_history(mini.center, "transition:\n  target_date: 2027-12-31\n")
    finding = expect_one(mini, "F842", value_pos(mini.center, "transition"), path=CENTER)
    assert "legal_entity" in finding.message


def test_f842_the_registered_entity_cannot_be_an_internal_unit(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    before_history(mini.center, legal_entity(uscc=valid_uscc("91140525MA0K7T3N5"), legal_form="internal-unit"))
    expect_one(mini, "F842", value_pos(mini.center, "transition", "legal_entity", "legal_form"), path=CENTER)


def test_f844_a_wrong_check_character(mini: MiniRegistry) -> None:
    good = valid_uscc("91140525MA0K7T3N5")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before_history(mini.center, legal_entity(uscc=bad))
    finding = expect_one(mini, "F844", value_pos(mini.center, "transition", "legal_entity", "uscc"), path=CENTER)
    assert f"校验码应为“{good[-1]}”" in finding.message


def test_f844_an_entity_registered_outside_jincheng(mini: MiniRegistry) -> None:
    before_history(mini.center, legal_entity(uscc=valid_uscc("91140105MA0K7T3N5")))
    finding = expect_one(mini, "F844", value_pos(mini.center, "transition", "legal_entity", "uscc"), path=CENTER)
    assert "140105" in finding.message and "1405" in finding.message


def test_f845_a_target_date_on_the_certification_day(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    before_history(mini.center, f"transition:\n  target_date: {CERTIFIED_ON.isoformat()}\n")
    finding = expect_one(mini, "F845", value_pos(mini.center, "transition", "target_date"), path=CENTER)
    assert "应晚于认定日期" in finding.message


def test_f845_the_policy_period_is_inclusive(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    set_policy(mini, "period_years: null", "period_years: 3")
    before_history(mini.center, "transition:\n  target_date: 2027-06-17\n")
    expect_clean(mini)
    replace_text(mini.center, "target_date: 2027-06-17", "target_date: 2027-06-18")
    finding = expect_one(mini, "F845", value_pos(mini.center, "transition", "target_date"), path=CENTER)
    assert "应不晚于 2027-06-17" in finding.message


def test_a_future_target_date_is_not_d303(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    before_history(mini.center, "transition:\n  target_date: 2030-01-01\n")
    expect_clean(mini)


def test_a_registration_after_today_is_d303(mini: MiniRegistry) -> None:
    before_history(mini.center, legal_entity(uscc=valid_uscc("91140525MA0K7T3N5")).replace("2026-05-08", "2026-11-27"))
    assert mini.rules() == ["D303"]


# --- Art. 7: 五大千亿级产业集群 ------------------------------------------------------------


def test_major_clusters_must_be_clusters_of_art_7(mini: MiniRegistry) -> None:
    set_policy(mini, "major_clusters: [", "major_clusters: [semiconductors, ")
    result = mini.validate()
    assert result.code == 1
    assert any("semiconductors" in f["message"] for f in result.findings)


# --- ticreg deadlines and the tracking issue -----------------------------------------------


def transition_items(mini: MiniRegistry, as_of: D) -> list[dl.Deadline]:
    return [d for d in dl.collect(mini.root, mini.base, as_of) if d.kind == dl.TRANSITION]


def test_without_a_policy_period_no_transition_is_listed(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    before_history(mini.center, "transition:\n  target_date: 2025-06-30\n")
    assert transition_items(mini, D(2026, 11, 26)) == []


def test_an_overdue_transition_is_listed_from_its_planned_date(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    set_policy(mini, "period_years: null", "period_years: 3")
    before_history(mini.center, "transition:\n  target_date: 2025-06-30\n")
    assert transition_items(mini, D(2025, 6, 29)) == []
    [due] = transition_items(mini, D(2025, 6, 30))
    assert (due.date, due.status, due.days) == (D(2025, 6, 30), dl.DUE, 0)
    [late] = transition_items(mini, D(2025, 7, 2))
    assert (late.status, late.days, late.record) == (dl.OVERDUE, -2, "coalbed-methane-development")
    assert "第十条" in late.title


def test_without_a_plan_the_policy_period_is_the_day(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    set_policy(mini, "period_years: null", "period_years: 2")
    assert transition_items(mini, D(2026, 6, 16)) == []
    [item] = transition_items(mini, D(2026, 6, 17))
    assert item.date == D(2026, 6, 17)


def test_a_registered_entity_ends_the_transition_from_its_registration_day(mini: MiniRegistry) -> None:
    set_policy(mini, "period_years: null", "period_years: 3")
    block = legal_entity(uscc=valid_uscc("91140525MA0K7T3N5")).replace("2026-06-30", "2025-12-31")
    before_history(mini.center, block)
    # Planned for 2025-12-31, registered on 2026-05-08: late, and listed, until that day.
    [item] = transition_items(mini, D(2026, 5, 7))
    assert (item.date, item.status) == (D(2025, 12, 31), dl.OVERDUE)
    assert transition_items(mini, D(2026, 5, 8)) == []


def test_the_cli_and_the_tracking_issue_show_an_overdue_transition(mini: MiniRegistry) -> None:
    make_internal_unit(mini)
    set_policy(mini, "period_years: null", "period_years: 1")
    before_history(mini.center, "transition:\n  target_date: 2025-06-17\n")
    result = run_cli("deadlines", "--as-of", "2026-11-26", cwd=mini.base)
    assert result.code == 0, result.stderr
    assert "2025年6月17日〔过渡〕晋城市煤层气高效开发技术创新中心 应完成向独立法人实体过渡（第十条）" in result.stdout
    document = json.loads(run_cli("deadlines", "--as-of", "2026-11-26", "--format", "json", cwd=mini.base).stdout)
    [item] = [i for i in document["items"] if i["kind"] == "transition"]
    assert (item["status"], item["priority"]) == ("overdue", False)
    body = tracking_issue.render(dl.collect(mini.root, mini.base, D(2026, 11, 26)), D(2026, 11, 26))
    assert "### 逾期未完成的向独立法人实体过渡（1 项）" in body


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    base = tmp_path / "sample"
    shutil.copytree(REGISTRY, base / "registry", ignore=shutil.ignore_patterns("*.md"))
    return base


DEVZONE = "registry/applications/devzone/2026-devzone-001.yml"  # in publicity 2026-11-24 to 11-30


def test_a_conversion_in_publicity_is_marked_priority(sample: Path) -> None:
    as_of = "2026-11-26"
    plain = json.loads(run_cli("deadlines", "--as-of", as_of, "--format", "json", cwd=sample).stdout)
    assert [i["priority"] for i in plain["items"] if i["record"] == "2026-devzone-001"] == [False]
    replace_text(sample / DEVZONE, "\nlead_unit:\n", "\n" + conversion() + "lead_unit:\n")
    marked = json.loads(run_cli("deadlines", "--as-of", as_of, "--format", "json", cwd=sample).stdout)
    assert [i["priority"] for i in marked["items"] if i["record"] == "2026-devzone-001"] == [True]
    text = run_cli("deadlines", "--as-of", as_of, cwd=sample).stdout
    assert "〔公示〕〔优先支持〕晋城市轻合金压铸技术创新中心 公示期截止" in text
    ics = run_cli("deadlines", "--as-of", as_of, "--format", "ics", cwd=sample).stdout
    assert "SUMMARY:〔优先支持〕" in ics.replace("\r\n ", "")
    later = D(2026, 12, 3)
    body = tracking_issue.render(dl.collect(sample / "registry", sample, later), later)
    assert "| 〔优先支持〕晋城市轻合金压铸技术创新中心 公示期满，可下达认定文件 |" in body


# --- check-changes: the Bureau maintains these records directly -------------------------------


def test_the_bureau_may_add_support_and_a_transition_without_an_event(tmp_path: Path) -> None:
    from test_check_changes import BUREAU, GitRegistry, assert_passes

    repo = GitRegistry(tmp_path / "repo")
    repo.replace(CENTER, "legal_form: enterprise\n", "legal_form: internal-unit\n")
    before_history(repo.path(CENTER), "transition:\n  target_date: 2027-12-31\n" + SUPPORT.format(year=2026))
    repo.commit()
    assert_passes(repo.check("--head", "HEAD", "--actor", BUREAU))


def test_without_the_policy_listing_them_the_same_edit_needs_an_event(tmp_path: Path) -> None:
    from test_check_changes import BUREAU, GitRegistry

    repo = GitRegistry(tmp_path / "repo")
    repo.replace("registry/policy.yml", "\n                           transition, key_support, provincial_recommendations]", "]")
    repo.commit()
    before_history(repo.path(CENTER), SUPPORT.format(year=2026))
    repo.commit()
    result = repo.check("--head", "HEAD", "--actor", BUREAU, base="HEAD~1")
    assert result.code == 1 and "G922" in [f["rule"] for f in result.findings], result.stdout


# --- the sample registry and the public site ---------------------------------------------


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_sample_shows_each_new_record_kind_and_validates() -> None:
    centers = [_yaml(p) for p in (REGISTRY / "centers").glob("*.yml")]
    applications = [_yaml(p) for p in (REGISTRY / "applications").glob("*/*.yml")]
    assert any(c.get("key_support") for c in centers)
    assert any(c.get("provincial_recommendations") for c in centers)
    assert any(c.get("transition", {}).get("legal_entity") for c in centers)
    assert any(c.get("transition") and not c["transition"].get("legal_entity") for c in centers)
    assert any(a.get("municipal_erc_conversion") for a in applications)
    assert any(a["lead_unit"].get("above_designated_size") is True for a in applications)
    assert _yaml(REGISTRY / "policy.yml")["major_clusters"]
    result = run_cli("validate", "--today", "2026-12-03", cwd=REGISTRY.parent)
    assert result.code == 0, result.stdout + result.stderr


def _page(site: Path, url: str) -> Node:
    return parse((site / "site" / url / "index.html").read_text(encoding="utf-8")).root


def _text(node: Node) -> str:
    return re.sub(r"\s+", " ", node.text()).strip()


def _center_with(key: str) -> dict:
    return next(c for c in map(_yaml, sorted((REGISTRY / "centers").glob("*.yml"))) if c.get(key))


def test_the_center_page_shows_support_and_recommendations(sample_site: Path) -> None:
    center = _center_with("key_support")
    body = _text(_page(sample_site, f"centers/{center['id']}").find("article"))
    assert "重点支持与优先推荐（第十四条）" in body
    support = center["key_support"][0]
    assert f"{support['programme']}" in body and f"{support['amount_yuan']:,}" in body
    recommendation = center["provincial_recommendations"][0]
    assert recommendation["name"] in body and "省级技术创新中心" in body


def test_the_center_page_shows_the_transition(sample_site: Path) -> None:
    center = _center_with("transition")
    body = _text(_page(sample_site, f"centers/{center['id']}").find("article"))
    assert "向独立法人实体过渡（第十条）" in body


def test_the_center_page_shows_the_provincial_platform_of_a_direct_certification(sample_site: Path) -> None:
    for path in sorted((REGISTRY / "applications").glob("*/*.yml")):
        app = _yaml(path)
        if app.get("kind") == "direct-certification" and app["history"][-1]["event"] == "certified":
            break
    else:
        pytest.fail("the sample has no certified direct certification")
    center_id = app["history"][-1]["center_id"]
    body = _text(_page(sample_site, f"centers/{center_id}").find("article"))
    platform = app["provincial_platform"]
    assert "直接认定所依据的省级以上平台（第十六条）" in body
    assert platform["name"] in body and platform["document_number"] in body


def test_the_publicity_notice_and_center_page_mark_a_conversion_as_priority(sample_site: Path) -> None:
    app = next(a for a in map(_yaml, sorted((REGISTRY / "applications").glob("*/*.yml")))
               if a.get("municipal_erc_conversion"))
    notices = [p for p in (sample_site / "site" / "notices").iterdir() if p.name.endswith(f"publicity-{app['id']}")]
    assert notices, app["id"]
    body = _text(_page(sample_site, f"notices/{notices[0].name}").find("article"))
    assert f"由市级工程技术研究中心“{app['municipal_erc_conversion']['name']}”转建，优先支持" in body
    center_id = next(e["center_id"] for e in app["history"] if e["event"] == "certified")
    page = _text(_page(sample_site, f"centers/{center_id}").find("article"))
    assert app["municipal_erc_conversion"]["document_number"] in page and "优先支持" in page


def test_directory_rows_carry_the_major_cluster_mark(sample_site: Path) -> None:
    policy = _yaml(REGISTRY / "policy.yml")
    rows = _page(sample_site, "centers").find("table", id="tic-directory").find("tbody").find_all("tr")
    centers = {c["id"]: c for c in map(_yaml, (REGISTRY / "centers").glob("*.yml"))}
    marks = {}
    for row in rows:
        href = row.find("a").attrs["href"]
        center_id = href.rstrip("/").split("/")[-1]
        marks[center_id] = row.attrs["data-major"]
    assert marks == {cid: "yes" if c.get("cluster") in policy["major_clusters"] else "no" for cid, c in centers.items()}
    assert set(marks.values()) == {"yes", "no"}


def test_statistics_count_support_and_recommendations_by_year(sample_site: Path) -> None:
    table = _page(sample_site, "statistics").find("table", id="tic-table-art14")
    rows = {r.attrs["data-id"]: [_text(td) for td in r.find_all("td")] for r in table.find("tbody").find_all("tr")}
    expected: dict[str, list] = {}
    for center in map(_yaml, (REGISTRY / "centers").glob("*.yml")):
        for s in center.get("key_support", []):
            entry = expected.setdefault(str(s["year"]), [set(), 0, 0, 0])
            entry[0].add(center["id"])
            entry[1] += s["amount_yuan"]
        for r in center.get("provincial_recommendations", []):
            entry = expected.setdefault(str(r["year"]), [set(), 0, 0, 0])
            entry[2] += 1
            entry[3] += r["outcome"] == "approved"
    assert rows == {y: [str(len(e[0])), f"{e[1]:,}", str(e[2]), str(e[3])] for y, e in expected.items()}


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)>'


def test_hostile_text_in_the_new_records_stays_text(tmp_path: Path) -> None:
    from conftest import build_site_in, copy_site_inputs

    repo = copy_site_inputs(tmp_path / "repo")
    center = _center_with("key_support")["id"]
    path = repo / "registry" / "centers" / f"{center}.yml"
    text = path.read_text(encoding="utf-8")
    for field in ("programme: ", "    name: "):
        head, sep, rest = text.partition(field)
        line, newline, tail = rest.partition("\n")
        text = head + sep + json.dumps(HOSTILE + line, ensure_ascii=False) + newline + tail
    path.write_text(text, encoding="utf-8")
    result = build_site_in(repo)
    assert result.code == 0, result.stdout + result.stderr
    html = (repo / "site" / "centers" / center / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2


# --- every rule of this part has a failing case -------------------------------------------------


FAILING_CASES = {
    "E113": ["test_e113_an_enterprise_not_above_designated_size_is_a_warning"],
    "E114": ["test_e114_above_designated_size_on_a_university_is_an_error"],
    "D304": ["test_d304_a_document_number_out_of_format", "test_d304_a_document_number_of_another_year"],
    "D305": ["test_d305_a_conversion_certified_after_the_submission"],
    "D306": ["test_d306_submitted_the_day_before_the_measures_took_force"],
    "X520": ["test_x520_one_municipal_center_converted_by_two_applications"],
    "F840": ["test_f840_support_in_the_year_before_certification", "test_f840_a_recommendation_in_a_year_after_today"],
    "F841": ["test_f841_support_without_an_excellent_evaluation_is_a_warning"],
    "F842": ["test_f842_an_internal_unit_that_registered_its_entity_must_change_its_form",
             "test_f842_a_plan_without_an_entity_on_a_center_that_is_no_internal_unit"],
    "F843": ["test_f843_an_internal_unit_without_a_plan_is_a_warning"],
    "F844": ["test_f844_a_wrong_check_character", "test_f844_an_entity_registered_outside_jincheng"],
    "F845": ["test_f845_a_target_date_on_the_certification_day", "test_f845_the_policy_period_is_inclusive"],
}
# E113, E114, D304-D306 and X520 live in family modules other test files cover too.
COVERED_MODULES = {"ticreg.rules.process.after_certification", "ticreg.rules.eligibility", "ticreg.rules.claims",
                   "ticreg.rules.cross_file"}


def test_every_checking_rule_of_this_part_has_a_failing_case() -> None:
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
