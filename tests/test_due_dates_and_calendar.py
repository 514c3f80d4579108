"""Issue 11, part B: late objections, evaluations, rest-day due dates, a calendar that never stops the office.

    F820  an objection after the publicity window's last day (validate and record)
    F821  an evaluation with no third-party evaluator (validate and record)
    F822  this year's, or from policy.calendar.reminder_from next year's, calendar file is missing
    F823  a certification whose publicity window cannot be computed
    F824  an objection that cannot be shown to be inside such a window

Evaluation cycles count from certification (ticreg.process.evaluation); due
dates on a statutory rest day move to the next working day (Civil Code
Art. 203), shown beside the written date in `ticreg deadlines` and on the
center page; a missing calendar year is one item of `ticreg deadlines` and
of the tracking issue, never a failure of the whole list.

Real registries only: the `mini` fixture and copies of the shipped sample,
the real CLI in a subprocess and the real validator in-process; every dated
command gets its date. The shipped registry has no 2027 calendar file (the
State Council's notice for 2027 could not be checked here), and these tests
never add one.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import REGISTRY, TODAY, CliResult, MiniRegistry, copy_site_inputs, run_cli
from html_tree import parse
from rule_helpers import (
    APP,
    CENTER,
    assert_each_rule_has_a_failing_case,
    expect_clean,
    expect_one,
    item_pos,
    table,
    value_pos,
)
from test_process_rules import C_CERT, CERT, EVALUATOR, NORMAL, OD, ev, set_history, value_in
from ticreg import deadlines as dl
from ticreg.findings import Finding
from ticreg.process.calendar import MissingCalendarYear
from ticreg.process.evaluation import cycle_of, due_date
from ticreg.registry_context import load_calendar
from ticreg.validate import validate_registry

D = dt.date
EXEMPLAR = "2024-zezhou-001"  # mini: published 2024-06-06 (Thu), window 06-06 … 06-13, certified 06-17
EXEMPLAR_CENTER = "coalbed-methane-development"  # mini: certified 2024-06-17, cycle 1 due 2027-06-17
WINDOW_END = D(2024, 6, 13)
QINSHUI = "2026-qinshui-001"  # sample: meeting-approved, so a publicity may be recorded next
AGRICULTURE = "modern-agriculture"  # sample: rectification deadline 2026-12-27, a Sunday


@pytest.fixture
def sample(tmp_path: Path) -> MiniRegistry:
    """A copy of the whole shipped sample registry (MiniRegistry's helpers, the sample's files)."""
    base = tmp_path / "sample"
    shutil.copytree(REGISTRY, base / "registry")
    registry = MiniRegistry.__new__(MiniRegistry)
    registry.base, registry.root = base, base / "registry"
    return registry


def findings_at(mini: MiniRegistry, today: dt.date, *, without: tuple[str, ...] = ()) -> list[Finding]:
    return [f for f in validate_registry(mini.root, mini.base, today=today).findings if f.rule not in without]


def both_outputs(result: CliResult) -> str:
    return result.stdout + result.stderr


# ---------------------------------------------------------------------------
# F820: an objection after the window's last day
# ---------------------------------------------------------------------------


def objection(day: dt.date) -> str:
    return ev(day.isoformat(), "objection-raised")


def test_an_objection_on_the_windows_last_day_is_inside(mini: MiniRegistry) -> None:
    set_history(mini.application, [*NORMAL[:-1], objection(WINDOW_END), OD.replace("2024-06-12", "2024-06-14"), CERT])
    expect_clean(mini)


def test_f820_an_objection_the_day_after_the_window_is_an_error(mini: MiniRegistry) -> None:
    late = objection(WINDOW_END + dt.timedelta(days=1))
    set_history(mini.application, [*NORMAL[:-1], late, OD.replace("2024-06-12", "2024-06-14"), CERT])
    finding = expect_one(mini, "F820", value_in(mini.application, late, "date"))
    assert "2024-06-14" in finding.message and "2024-06-13" in finding.message
    assert "不予受理" in finding.message and finding.article == "第九条"


def in_publicity(mini: MiniRegistry) -> None:
    """The exemplar application published and not yet decided; no center yet."""
    set_history(mini.application, NORMAL[:-1])
    mini.center.unlink()


def test_f820_record_refuses_a_late_objection_and_takes_one_on_the_last_day(mini: MiniRegistry) -> None:
    in_publicity(mini)
    before = mini.application.read_bytes()
    late = run_cli("record", "objection-raised", EXEMPLAR, "--date", "2024-06-14", "--today", "2024-07-01",
                   cwd=mini.base)
    assert late.code == 1
    assert "F820" in both_outputs(late) and "2024-06-13" in both_outputs(late)
    assert mini.application.read_bytes() == before
    on_time = run_cli("record", "objection-raised", EXEMPLAR, "--date", "2024-06-13", "--today", "2024-07-01",
                      cwd=mini.base)
    assert on_time.code == 0, both_outputs(on_time)
    assert "{date: 2024-06-13, event: objection-raised}" in mini.application.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# F821: Art. 14, a third party evaluates
# ---------------------------------------------------------------------------


def test_f821_an_evaluation_without_evaluator_is_an_error(mini: MiniRegistry) -> None:
    set_history(mini.center, [C_CERT, ev("2026-11-20", "evaluated", outcome="retain")])
    finding = expect_one(mini, "F821", item_pos(mini.center, "history", index=1), path=CENTER)
    assert "history[1]" in finding.message and "evaluator" in finding.message
    assert finding.article == "第十四条"


def test_an_evaluation_naming_its_evaluator_passes(mini: MiniRegistry) -> None:
    set_history(mini.center, [C_CERT, ev("2026-11-20", "evaluated", evaluator=EVALUATOR, outcome="retain")])
    expect_clean(mini)


def test_f821_record_refuses_an_evaluation_without_evaluator(mini: MiniRegistry) -> None:
    before = mini.center.read_bytes()
    args = ("record", "evaluated", EXEMPLAR_CENTER, "--outcome", "retain", "--date", "2026-11-20", "--today", "2026-11-26")
    refused = run_cli(*args, cwd=mini.base)
    assert refused.code == 1
    assert "F821" in both_outputs(refused) and "--evaluator" in both_outputs(refused)
    assert mini.center.read_bytes() == before
    recorded = run_cli(*args, "--evaluator", EVALUATOR, cwd=mini.base)
    assert recorded.code == 0, both_outputs(recorded)
    assert f"evaluator: {EVALUATOR}" in mini.center.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Cycles count from certification
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evaluated_on", "cycle"),
    [
        # Certified 2024-06-17: cycle 1 due 2027-06-17, cycle 2 due 2030-06-17.
        (D(2024, 8, 19), 0),  # two months after certification: nearer to it than to cycle 1
        (D(2025, 12, 16), 0),  # 547 days after, 548 before cycle 1
        (D(2025, 12, 17), 1),  # 548 days after, 547 before: early, closes cycle 1
        (D(2027, 6, 17), 1),
        (D(2028, 12, 15), 1),  # late: 547 days after cycle 1, 549 before cycle 2
        (D(2028, 12, 16), 2),  # halfway (548 and 548): the later cycle
    ],
)
def test_an_evaluation_belongs_to_the_cycle_whose_due_date_is_nearest(evaluated_on: dt.date, cycle: int) -> None:
    assert cycle_of(evaluated_on, D(2024, 6, 17), 3) == cycle


def evaluation_items(mini: MiniRegistry, as_of: dt.date) -> list[dl.Deadline]:
    return [d for d in dl.collect(mini.root, mini.base, as_of) if d.kind == dl.EVALUATION]


def evaluated_on(mini: MiniRegistry, day: dt.date) -> None:
    mini.edit(mini.center, lambda data: data["history"].append(
        {"date": day, "event": "evaluated", "evaluator": EVALUATOR, "outcome": "retain"}))


def test_an_evaluation_two_months_after_certification_leaves_cycle_1_due(mini: MiniRegistry) -> None:
    evaluated_on(mini, D(2024, 8, 19))
    [item] = evaluation_items(mini, D(2027, 5, 1))
    assert (item.date, item.cycle) == (D(2027, 6, 17), 1)  # not 2030: that evaluation closed no cycle
    overdue = findings_at(mini, D(2027, 6, 18), without=("F822",))
    assert [(f.rule, f.severity) for f in overdue] == [("F810", "warning")]
    assert "第 1 个周期" in overdue[0].message


@pytest.mark.parametrize("day", [D(2027, 3, 1), D(2027, 9, 1)], ids=["early", "late"])
def test_an_early_or_late_evaluation_closes_its_cycle_and_the_next_counts_from_certification(mini: MiniRegistry, day: dt.date) -> None:
    evaluated_on(mini, day)
    assert evaluation_items(mini, max(day + dt.timedelta(days=1), D(2027, 6, 18))) == []  # cycle 1 is closed
    [item] = evaluation_items(mini, D(2030, 4, 1))
    assert (item.date, item.cycle) == (D(2030, 6, 17), 2)  # from 2024-06-17, not from the evaluation


# ---------------------------------------------------------------------------
# Civil Code Art. 203: a last day on a rest day moves to the next working day
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "on_time_until"),
    [
        (D(2026, 6, 18), D(2026, 6, 18)),  # a Thursday, a working day: unchanged
        (D(2026, 6, 20), D(2026, 6, 22)),  # Saturday in the Dragon Boat holiday (06-19 … 06-21)
        (D(2026, 10, 1), D(2026, 10, 8)),  # National Day holiday 10-01 … 10-07
        (D(2026, 12, 27), D(2026, 12, 28)),  # a Sunday
        (D(2026, 2, 28), D(2026, 2, 28)),  # a Saturday that is a make-up working day (调休上班): not moved
    ],
)
def test_a_rest_day_moves_the_last_day_to_the_next_working_day(written: dt.date, on_time_until: dt.date) -> None:
    due = due_date(written, load_calendar(REGISTRY))
    assert due.on_time_until == on_time_until
    assert due.moved == (written != on_time_until)


def test_a_year_without_a_calendar_is_never_guessed() -> None:
    """2027-02-28 is a Sunday; with no 2027 file it is reported as written, naming the year."""
    calendar = load_calendar(REGISTRY)
    with pytest.raises(MissingCalendarYear):
        calendar.period_end(D(2027, 2, 28))
    due = due_date(D(2027, 2, 28), calendar)
    assert (due.effective, due.missing_year, due.on_time_until, due.moved) == (None, 2027, D(2027, 2, 28), False)


def certified_on_2023_06_20(mini: MiniRegistry) -> None:
    """Application and center certified 2023-06-20, so cycle 1 falls due on 2026-06-20, a holiday Saturday."""
    days = ["2023-03-01", "2023-03-10", "2023-03-20", "2023-04-04", "2023-04-20", "2023-05-10", "2023-06-01"]
    set_history(mini.application, [line.replace(line[7:17], day) for line, day in zip(NORMAL[:-1], days)]
                + [CERT.replace("2024-06-17", "2023-06-20")])
    set_history(mini.center, [C_CERT.replace("2024-06-17", "2023-06-20")])


def test_f810_the_moved_day_is_still_on_time_and_the_message_says_so(mini: MiniRegistry) -> None:
    certified_on_2023_06_20(mini)
    assert findings_at(mini, D(2026, 6, 22)) == []
    [finding] = findings_at(mini, D(2026, 6, 23))
    assert (finding.rule, finding.path, (finding.line, finding.column)) == ("F810", CENTER, value_pos(mini.center, "history"))
    assert "绩效评估的期限是 2026-06-22（" in finding.message and "当日完成仍不逾期" in finding.message
    assert "原定的 2026-06-20 是法定休假日" in finding.message and "第二百零三条" in finding.message


def test_f811_a_rectification_deadline_on_a_sunday_runs_to_monday(mini: MiniRegistry) -> None:
    rectify = ev("2026-10-01", "evaluated", evaluator=EVALUATOR, outcome="rectify", rectification_deadline="2026-12-27")
    set_history(mini.center, [C_CERT, rectify])
    assert findings_at(mini, D(2026, 12, 28), without=("F822",)) == []
    [finding] = findings_at(mini, D(2026, 12, 29), without=("F822",))
    assert finding.rule == "F811"
    assert "整改期限是 2026-12-28（原定的 2026-12-27 是法定休假日" in finding.message


def test_deadlines_show_the_written_and_the_moved_date(sample: MiniRegistry) -> None:
    result = run_cli("deadlines", "--as-of", "2026-12-03", "--format", "json", cwd=sample.base)
    assert result.code == 0, result.stderr
    [item] = [i for i in json.loads(result.stdout)["items"] if i["record"] == AGRICULTURE]
    assert (item["kind"], item["date"], item["nominal_date"], item["days"]) == ("rectification", "2026-12-28", "2026-12-27", 25)
    assert "2026年12月27日为法定休假日，顺延至2026年12月28日" in item["title"]
    # An item whose date is not moved has no nominal_date.
    assert all("nominal_date" not in i for i in json.loads(result.stdout)["items"] if i["record"] != AGRICULTURE)
    text = run_cli("deadlines", "--as-of", "2026-12-03", cwd=sample.base).stdout
    assert "2026年12月28日〔整改〕晋城市现代农业技术创新中心 整改期限届满，应复评（2026年12月27日为法定休假日" in text


def test_the_center_page_shows_both_dates(tmp_path: Path) -> None:
    repo = copy_site_inputs(tmp_path / "repo")
    result = run_cli("build", "--today", "2026-12-03", "--sources-only", cwd=repo)
    assert result.code == 0, both_outputs(result)
    page = (repo / "build" / "docs" / "centers" / f"{AGRICULTURE}.md").read_text(encoding="utf-8")
    assert '整改期限：<time datetime="2026-12-27">2026年12月27日</time>（法定休假日，依《民法典》第二百零三条顺延至' \
           '<time class="tic-moved" datetime="2026-12-28">2026年12月28日</time>）' in page
    # Its evaluation two months after certification closed no cycle: cycle 1 is still due in 2029.
    assert '下次评估截止：<time datetime="2029-06-23">' in page


def test_the_built_center_page_shows_both_dates(sample_site: Path) -> None:
    """The real MkDocs build (conftest's sample site, built as of TODAY): the moved day is a <time>."""
    root = parse((sample_site / "site" / "centers" / AGRICULTURE / "index.html").read_text(encoding="utf-8")).root
    moved = root.find_all("time", **{"class": "tic-moved"})
    assert {node.attrs["datetime"] for node in moved} == {"2026-12-28"}
    text = " ".join(root.text().split())
    assert "整改期限：2026年12月27日（法定休假日，依《民法典》第二百零三条顺延至2026年12月28日）" in text


# ---------------------------------------------------------------------------
# A calendar that never stops the office
# ---------------------------------------------------------------------------


def publicity_on_2026_12_28(sample: MiniRegistry) -> CliResult:
    return run_cli("record", "publicity-started", QINSHUI, "--date", "2026-12-28", "--today", "2026-12-28",
                   cwd=sample.base)


def test_a_publicity_reaching_a_missing_year_can_be_recorded(sample: MiniRegistry) -> None:
    recorded = publicity_on_2026_12_28(sample)
    assert recorded.code == 0, both_outputs(recorded)
    result = run_cli("validate", "--today", "2026-12-28", "--format", "json", cwd=sample.base)
    assert result.code == 0
    assert sorted((f["rule"], f["severity"]) for f in result.findings) == [("F805", "warning"), ("F822", "warning")]


def test_deadlines_list_everything_else_and_one_item_naming_the_file(sample: MiniRegistry) -> None:
    assert publicity_on_2026_12_28(sample).code == 0
    result = run_cli("deadlines", "--as-of", "2026-12-28", "--format", "json", cwd=sample.base)
    assert result.code == 0, result.stderr
    found = json.loads(result.stdout)["items"]
    assert [(i["kind"], i["record"]) for i in found] == [
        ("certification", "2026-devzone-001"),  # unrelated deadlines are all still there
        ("rectification", AGRICULTURE),
        ("calendar", "2027"),
    ]
    calendar = found[-1]
    assert (calendar["date"], calendar["path"], calendar["status"]) == ("2027-01-01", "registry/calendar/2027.yml", "upcoming")
    assert QINSHUI in calendar["title"] and "公示期" in calendar["title"]


def test_the_tracking_issue_says_the_same(sample: MiniRegistry) -> None:
    assert publicity_on_2026_12_28(sample).code == 0
    result = run_cli("tracking-issue", "--as-of", "2026-12-28", cwd=sample.base)
    assert result.code == 0, result.stderr
    assert "### 缺少节假日安排（1 项）" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "registry/calendar/2027.yml" in line)
    assert QINSHUI in row and "4 天后开始需要" in row
    assert "### 公示期满、尚未作出决定" in result.stdout  # the rest of the issue is still there


def test_the_site_still_builds_and_publishes_the_notice_with_its_last_day_pending(tmp_path: Path) -> None:
    repo = copy_site_inputs(tmp_path / "repo")
    recorded = run_cli("record", "publicity-started", QINSHUI, "--date", "2026-12-28", "--today", "2026-12-28", cwd=repo)
    assert recorded.code == 0, both_outputs(recorded)
    result = run_cli("build", "--today", "2026-12-28", "--sources-only", cwd=repo)
    assert result.code == 0, both_outputs(result)
    docs = repo / "build" / "docs" / "notices"
    [page] = [p for p in docs.glob(f"2026-12-28-publicity-{QINSHUI}*.md")]
    text = page.read_text(encoding="utf-8")
    assert "公示期为5个工作日，自发布日起算；截止日待2027年的节假日安排公布后确定。" in text
    assert "公示期满后提出的异议，不予受理。" in text  # how to object is still published
    assert "截止日待2027年的节假日安排公布后确定" in (docs / "index.md").read_text(encoding="utf-8")


def test_f823_certification_waits_for_the_missing_year(sample: MiniRegistry) -> None:
    assert publicity_on_2026_12_28(sample).code == 0
    path = sample.root / "applications" / "qinshui" / f"{QINSHUI}.yml"
    before = path.read_bytes()
    refused = run_cli("record", "certified", QINSHUI, "--date", "2027-01-11", "--today", "2027-01-11",
                      "--ref", "晋市科发〔2027〕3号", "--center", "carbon-energy-materials", cwd=sample.base)
    assert refused.code == 1
    assert "F823" in both_outputs(refused) and "registry/calendar/2027.yml" in both_outputs(refused)
    assert path.read_bytes() == before


def test_f824_an_objection_is_recorded_only_when_it_is_surely_inside(sample: MiniRegistry) -> None:
    """Published 2026-12-28 with no 2027 file: 12-28 … 12-31 are four of the five working days, so an
    objection on 12-31 is surely inside; one on 2027-01-04 cannot be checked until 2027 is added."""
    assert publicity_on_2026_12_28(sample).code == 0
    path = sample.root / "applications" / "qinshui" / f"{QINSHUI}.yml"
    before = path.read_bytes()
    unknown = run_cli("record", "objection-raised", QINSHUI, "--date", "2027-01-04", "--today", "2027-01-04",
                      cwd=sample.base)
    assert unknown.code == 1
    assert "F824" in both_outputs(unknown) and "registry/calendar/2027.yml" in both_outputs(unknown)
    assert path.read_bytes() == before
    inside = run_cli("record", "objection-raised", QINSHUI, "--date", "2026-12-31", "--today", "2026-12-31",
                     cwd=sample.base)
    assert inside.code == 0, both_outputs(inside)
    result = run_cli("validate", "--today", "2026-12-31", "--format", "json", cwd=sample.base)
    assert result.code == 0 and "F824" not in result.rules


def test_f823_in_validate(mini: MiniRegistry) -> None:
    dates = ["2026-08-03", "2026-08-17", "2026-09-01", "2026-09-15", "2026-10-20", "2026-12-22", "2026-12-28"]
    history = [line.replace(line[7:17], day) for line, day in zip(NORMAL[:-1], dates)]
    certified = CERT.replace("2024-06-17", "2027-01-08")
    set_history(mini.application, [*history, certified])
    set_history(mini.center, [C_CERT.replace("2024-06-17", "2027-01-08")])
    found = findings_at(mini, D(2027, 1, 20), without=("F822",))
    assert table(found) == [
        (APP, *value_in(mini.application, history[-1], "date"), "F805", "warning"),
        (APP, *value_in(mini.application, certified, "date"), "F823", "error"),
    ]


def calendar_file(mini: MiniRegistry, year: int) -> Path:
    return mini.root / "calendar" / f"{year}.yml"


def test_f822_warns_from_the_reminder_day_not_before(mini: MiniRegistry) -> None:
    assert findings_at(mini, D(2026, 11, 30)) == []
    [finding] = findings_at(mini, D(2026, 12, 1))
    newest = "registry/calendar/2026.yml"
    assert (finding.rule, finding.severity, finding.path) == ("F822", "warning", newest)
    assert (finding.line, finding.column) == value_pos(calendar_file(mini, 2026), "year")
    assert "2027" in finding.message and "registry/calendar/2027.yml" in finding.message
    result = run_cli("validate", "--today", "2026-12-01", cwd=mini.base)
    assert result.code == 0  # a warning
    assert result.stdout.startswith(f"{newest}:")


def test_f822_the_reminder_day_comes_from_policy(mini: MiniRegistry) -> None:
    mini.edit(mini.root / "policy.yml", lambda data: data["calendar"].update(reminder_from="11-15"))
    assert [f.rule for f in findings_at(mini, D(2026, 11, 14))] == []
    assert [f.rule for f in findings_at(mini, D(2026, 11, 15))] == ["F822"]
    mini.edit(mini.root / "policy.yml", lambda data: data.pop("calendar"))
    assert findings_at(mini, D(2026, 12, 31)) == []  # no reminder day: only this year's file is required


def test_f822_this_years_file_missing(mini: MiniRegistry) -> None:
    calendar_file(mini, 2026).unlink()
    [finding] = findings_at(mini, TODAY)
    assert (finding.rule, finding.path) == ("F822", "registry/calendar/2025.yml")
    assert "2026" in finding.message and "registry/calendar/2026.yml" in finding.message


def test_deadlines_remind_from_the_reminder_day(mini: MiniRegistry) -> None:
    assert [d.kind for d in dl.collect(mini.root, mini.base, D(2026, 11, 30))] == []
    [item] = dl.collect(mini.root, mini.base, D(2026, 12, 1))
    assert (item.kind, item.record, item.date, item.status, item.days) == ("calendar", "2027", D(2027, 1, 1), "upcoming", 31)
    assert item.path == "registry/calendar/2027.yml" and "尚无 2027 年的节假日安排" in item.title


def test_a_reminder_day_that_is_no_month_day_is_a_schema_error(mini: MiniRegistry) -> None:
    mini.edit(mini.root / "policy.yml", lambda data: data["calendar"].update(reminder_from="13-01"))
    result = mini.validate()
    assert result.code == 1
    assert any(f["path"] == "registry/policy.yml" and f["rule"].startswith("S") for f in result.findings)


def test_the_sample_registry_validates_at_the_issue_date(sample: MiniRegistry) -> None:
    result = run_cli("validate", "--today", "2026-12-03", "--format", "json", cwd=sample.base)
    assert result.code == 0
    assert [f["rule"] for f in result.findings] == ["F822"]  # 2027's arrangement has not been added


# ---------------------------------------------------------------------------
# Every rule of this part has a failing case
# ---------------------------------------------------------------------------


FAILING_CASES = {
    "F820": ["test_f820_an_objection_the_day_after_the_window_is_an_error",
             "test_f820_record_refuses_a_late_objection_and_takes_one_on_the_last_day"],
    "F821": ["test_f821_an_evaluation_without_evaluator_is_an_error",
             "test_f821_record_refuses_an_evaluation_without_evaluator"],
    "F822": ["test_f822_warns_from_the_reminder_day_not_before", "test_f822_this_years_file_missing"],
    "F823": ["test_f823_certification_waits_for_the_missing_year", "test_f823_in_validate"],
    "F824": ["test_f824_an_objection_is_recorded_only_when_it_is_surely_inside"],
}
COVERED_MODULES = {"ticreg.rules.process.timeliness"}


def test_every_checking_rule_of_this_part_has_a_failing_case() -> None:
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
    from rule_helpers import checking_rules

    assert {rid for rid, r in checking_rules().items() if r.check.__module__ in COVERED_MODULES} == set(FAILING_CASES)
