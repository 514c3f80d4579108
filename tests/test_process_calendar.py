"""Working days, the Art. 9 publicity window, Art. 14 evaluation cycles and
"today" in Asia/Shanghai: the process engine's date arithmetic, on the real
registry/calendar/ and policy.yml files, and `ticreg publicity-window`.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from conftest import REGISTRY, TODAY, MiniRegistry, run_cli
from ticreg.process.calendar import MissingCalendarYear, WorkingCalendar
from ticreg.process.evaluation import add_years, evaluation_status
from ticreg.process.publicity import publicity_window
from ticreg.registry_context import load_calendar, load_policy
from ticreg.today import shanghai_today
from ticreg_schemas import Center
from ticreg_schemas.policy import Publicity

UTC = dt.UTC
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return load_calendar(REGISTRY)


@pytest.fixture(scope="module")
def rules() -> Publicity:
    return load_policy(REGISTRY).publicity


def window(published: str, rules: Publicity, calendar: WorkingCalendar):
    return publicity_window(D(published), rules, calendar)


def days(*texts: str) -> tuple[dt.date, ...]:
    return tuple(D(t) for t in texts)


# ---------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------


def test_the_policy_is_the_one_the_examples_assume(rules):
    assert (rules.working_days, rules.start_rule, rules.certifiable_days_after_end) == (
        5, "publication-day-if-working-day", 1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-09-18", True),   # Friday
        ("2026-09-19", False),  # Saturday
        ("2026-09-20", True),   # Sunday, make-up working day for the National Day holiday
        ("2026-09-25", False),  # Friday, Mid-Autumn Festival
        ("2026-10-01", False),  # National Day
        ("2026-10-07", False),  # Wednesday, last day of the National Day holiday
        ("2026-10-08", True),
        ("2026-10-10", True),   # Saturday, make-up working day
        ("2026-02-14", True),   # Saturday, make-up working day for the Spring Festival
        ("2026-02-23", False),  # Monday, last day of the Spring Festival holiday
        ("2023-09-07", True),
        ("2023-10-07", True),   # Saturday, make-up working day
    ],
)
def test_is_working_day(calendar, day, working):
    assert calendar.is_working_day(D(day)) is working


def test_a_year_without_a_file_is_never_guessed(calendar):
    with pytest.raises(MissingCalendarYear) as raised:
        calendar.is_working_day(D("2022-06-01"))  # an ordinary Wednesday
    assert raised.value.year == 2022
    assert "registry/calendar/2022.yml" in str(raised.value)


# ---------------------------------------------------------------------------
# The publicity window (Art. 9)
# ---------------------------------------------------------------------------


def test_issue_example_published_2026_09_18(calendar, rules):
    w = window("2026-09-18", rules, calendar)
    assert w.working_days == days("2026-09-18", "2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23")
    assert (w.start, w.end, w.certifiable_from) == days("2026-09-18", "2026-09-23", "2026-09-24")


def test_the_bureaus_own_notice_2023_09_07_to_09_13(calendar, rules):
    """"公示期为5个工作日，自2023年9月7日至2023年9月13日": Thursday to the next Wednesday."""
    w = window("2023-09-07", rules, calendar)
    assert (w.start, w.end) == days("2023-09-07", "2023-09-13")
    assert len(w.working_days) == 5
    assert w.certifiable_from == D("2023-09-14")


@pytest.mark.parametrize("published", ["2026-11-07", "2026-11-08"], ids=["saturday", "sunday"])
def test_publication_on_a_weekend_starts_on_monday(calendar, rules, published):
    w = window(published, rules, calendar)
    assert w.published == D(published)
    assert w.working_days == days("2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13")
    assert w.certifiable_from == D("2026-11-14")


def test_publication_on_a_make_up_saturday_starts_that_day(calendar, rules):
    w = window("2026-10-10", rules, calendar)
    assert w.working_days == days("2026-10-10", "2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15")


def test_publication_on_a_holiday_starts_after_it(calendar, rules):
    w = window("2026-10-01", rules, calendar)
    assert w.start == D("2026-10-08")
    assert w.end == D("2026-10-13")


def test_publication_the_day_before_national_day_spans_the_holiday(calendar, rules):
    w = window("2026-09-30", rules, calendar)
    assert w.working_days == days("2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12")
    assert w.certifiable_from == D("2026-10-13")


def test_publication_the_day_before_the_spring_festival_spans_the_holiday(calendar, rules):
    w = window("2026-02-13", rules, calendar)
    assert w.working_days == days("2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26")
    assert w.certifiable_from == D("2026-02-27")


def test_window_ending_on_the_last_day_of_a_known_year(calendar, rules):
    w = window("2026-12-25", rules, calendar)
    assert w.end == D("2026-12-31")
    assert w.certifiable_from == D("2027-01-01")  # plain date arithmetic: no 2027 file needed


def test_window_reaching_a_year_with_no_file_raises(calendar, rules):
    with pytest.raises(MissingCalendarYear) as raised:
        window("2026-12-28", rules, calendar)  # 12-28 … 12-31 are 4 working days
    assert raised.value.year == 2027
    assert "registry/calendar/2027.yml" in str(raised.value)
    assert raised.value.exit_code == 1


def test_next_working_day_start_rule(calendar, rules):
    variant = Publicity(working_days=5, start_rule="next-working-day", certifiable_days_after_end=1, decision_reminder_days=7)
    w = window("2026-09-18", variant, calendar)
    assert w.working_days == days("2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24")
    assert w.certifiable_from == D("2026-09-25")
    assert window("2023-09-07", variant, calendar).end == D("2023-09-14")
    # Published on a non-working day, both readings start on the next working day.
    assert window("2026-11-07", variant, calendar).working_days == window("2026-11-07", rules, calendar).working_days


def test_count_and_offset_are_policy_settings(calendar, rules):
    longer = rules.model_copy(update={"working_days": 7, "certifiable_days_after_end": 0})
    w = window("2026-09-18", longer, calendar)
    assert w.end == D("2026-09-28")  # 25–27 are the Mid-Autumn Festival
    assert w.certifiable_from == D("2026-09-28")


# ---------------------------------------------------------------------------
# `ticreg publicity-window`
# ---------------------------------------------------------------------------


@pytest.fixture
def mini_base(tmp_path):
    return MiniRegistry(tmp_path)


def test_cli_json_output_is_exactly_the_window(mini_base):
    result = run_cli("publicity-window", "2026-09-18", "--format", "json", cwd=mini_base.base)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data) == ["start", "end", "working_days", "certifiable_from"]
    assert data == {
        "start": "2026-09-18",
        "end": "2026-09-23",
        "working_days": ["2026-09-18", "2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23"],
        "certifiable_from": "2026-09-24",
    }


def test_cli_text_output_is_chinese(mini_base):
    result = run_cli("publicity-window", "2026-09-18", cwd=mini_base.base)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("公示期自 2026-09-18 至 2026-09-23")
    assert "5 个工作日" in lines[0]
    assert "2026-09-18、2026-09-20、2026-09-21、2026-09-22、2026-09-23" in lines[0]
    assert lines[1] == "最早可认定日期：2026-09-24"


def test_cli_with_the_registry_option(mini_base, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("publicity-window", "2023-09-07", "--format", "json", "--registry", str(mini_base.root),
                     cwd=elsewhere)
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["end"] == "2023-09-13"


def test_cli_window_reaching_a_missing_year_exits_1(mini_base):
    result = run_cli("publicity-window", "2026-12-28", "--format", "json", cwd=mini_base.base)
    assert result.code == 1
    assert result.stdout == ""
    assert "registry/calendar/2027.yml" in result.stderr
    assert "缺少 2027 年的节假日安排" in result.stderr


def test_cli_removed_calendar_file_exits_1(mini_base):
    (mini_base.root / "calendar" / "2026.yml").unlink()
    result = run_cli("publicity-window", "2026-09-18", cwd=mini_base.base)
    assert result.code == 1
    assert result.stdout == ""
    assert "registry/calendar/2026.yml" in result.stderr


@pytest.mark.parametrize("text", ["2026-02-30", "2026-9-1", "tomorrow", "20260918", "2026-W38-5", ""])
def test_cli_malformed_date_exits_2(mini_base, text):
    result = run_cli("publicity-window", text, cwd=mini_base.base)
    assert result.code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert f"“{text}”" in result.stderr and "YYYY-MM-DD" in result.stderr


# ---------------------------------------------------------------------------
# Evaluation cycles (Art. 14; Civil Code Art. 202)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "years", "due"),
    [
        ("2024-02-29", 3, "2027-02-28"),  # no 29 February: the month's last day
        ("2024-02-29", 4, "2028-02-29"),
        ("2023-06-20", 3, "2026-06-20"),
        ("2023-11-26", 3, "2026-11-26"),
        ("2024-01-31", 3, "2027-01-31"),
    ],
)
def test_add_years(start, years, due):
    assert add_years(D(start), years) == D(due)


def certified(date: str = "2023-06-20") -> dict:
    return {"date": date, "event": "certified", "document_number": "晋市科发〔2023〕29号",
            "application_id": "2023-chengqu-001"}


def center(*events: dict, first: dict | None = None) -> Center:
    """A center certified on 2023-06-20 (or as `first` says), then `events`."""
    first = certified() if first is None else first
    exemplar = {
        "id": "advanced-manufacturing", "name": "晋城市先进制造技术创新中心", "category": "domain",
        "county_code": "140502", "organizing_department": "chengqu", "application_id": "2023-chengqu-001",
        "legal_form": "enterprise",
        "lead_unit": {"name": "示例单位", "uscc": "91140502MA0M5W8C1Q", "unit_kind": "enterprise"},
        "director": {"name": "张三", "title_level": "full-senior", "title": "正高级工程师", "degree": "doctorate"},
        "research_directions": ["示例方向"], "summary": "示例", "services": ["training"],
        "history": [event for event in (first, *events) if event],
    }
    return Center.model_validate(exemplar, context={"policy": load_policy(REGISTRY)})


# The shipped calendar: due dates on a rest day move to the next working day (Civil Code Art. 203).
CALENDAR = load_calendar(REGISTRY)


def evaluated(date: str, outcome: str, deadline: str | None = None) -> dict:
    event = {"date": date, "event": "evaluated", "outcome": outcome}
    if deadline:
        event["rectification_deadline"] = deadline
    return event


def test_first_evaluation_due_three_years_after_certification():
    status = evaluation_status(center(), 3, CALENDAR)
    assert status.certified_on == D("2023-06-20")
    assert status.next_due.nominal == D("2026-06-20")
    assert status.rectification is None and not status.revoked


def test_no_status_without_certification():
    model = center(evaluated("2026-06-01", "retain"), first={})
    assert [e.event for e in model.history] == ["evaluated"]
    assert evaluation_status(model, 3, CALENDAR) is None


def test_after_one_regular_evaluation_due_six_years_after_certification():
    status = evaluation_status(center(evaluated("2026-06-01", "retain")), 3, CALENDAR)
    assert status.next_due.nominal == D("2029-06-20")


def test_cycles_count_from_certification_not_from_the_last_due_date():
    """Cycle k is due 3k years after certification: 29 Feb 2024 + 12 years is 29 Feb 2036
    (a chain of 3-year steps through 28 Feb 2027 would end on 28 Feb)."""
    model = center(evaluated("2027-02-01", "retain"), evaluated("2030-02-01", "retain"),
                   evaluated("2033-02-01", "retain"), first=certified("2024-02-29"))
    assert evaluation_status(model, 3, CALENDAR).next_due.nominal == D("2036-02-29")


def test_rectification_sets_a_deadline_and_the_re_evaluation_starts_no_new_cycle():
    rectify = evaluated("2026-07-14", "rectify", "2026-09-30")
    status = evaluation_status(center(rectify), 3, CALENDAR)
    assert status.next_due.nominal == D("2029-06-20")
    assert status.rectification.nominal == D("2026-09-30")

    status = evaluation_status(center(rectify, evaluated("2026-10-20", "retain")), 3, CALENDAR)
    assert status.next_due.nominal == D("2029-06-20")  # not 2032: the re-evaluation closes the same cycle
    assert status.rectification is None


def test_a_second_rectification_replaces_the_deadline():
    status = evaluation_status(center(evaluated("2026-07-14", "rectify", "2026-09-30"),
                                      evaluated("2026-10-20", "rectify", "2027-01-31")), 3, CALENDAR)
    assert status.next_due.nominal == D("2029-06-20")
    assert status.rectification.nominal == D("2027-01-31")


def test_revoked_center_has_no_next_due():
    revoked = {"date": "2026-11-06", "event": "revoked", "document_number": "晋市科发〔2026〕63号", "reason": "撤销"}
    status = evaluation_status(center(evaluated("2026-06-10", "revoke"), revoked), 3, CALENDAR)
    assert status.revoked
    assert status.next_due is None and status.rectification is None
    assert not status.evaluation_overdue(D("2040-01-01"))


def test_overdue_is_strictly_after_the_due_date():
    status = evaluation_status(center(evaluated("2026-07-14", "rectify", "2026-09-30")), 3, CALENDAR)
    assert not status.rectification_overdue(D("2026-09-30"))
    assert status.rectification_overdue(D("2026-10-01"))
    fresh = evaluation_status(center(), 3, CALENDAR)
    # Due 2026-06-20, in the Dragon Boat holiday (06-19 to 06-21): on time through 06-22 (Civil Code Art. 203).
    assert fresh.next_due.on_time_until == D("2026-06-22")
    assert not fresh.evaluation_overdue(D("2026-06-22"))
    assert fresh.evaluation_overdue(D("2026-06-23"))


def test_cycle_length_is_the_policy_setting():
    assert load_policy(REGISTRY).evaluation.cycle_years == 3
    assert evaluation_status(center(), 5, CALENDAR).next_due.nominal == D("2028-06-20")


# ---------------------------------------------------------------------------
# "Today" is the date in Asia/Shanghai
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        (dt.datetime(2026, 11, 25, 23, 30, tzinfo=UTC), "2026-11-26"),
        (dt.datetime(2026, 11, 25, 15, 59, tzinfo=UTC), "2026-11-25"),
        (dt.datetime(2026, 11, 25, 15, 59, 59, 999999, tzinfo=UTC), "2026-11-25"),
        (dt.datetime(2026, 11, 25, 16, 0, tzinfo=UTC), "2026-11-26"),
        (dt.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("America/New_York")), "2026-11-26"),
        (dt.datetime(2026, 11, 26, 7, 59, tzinfo=ZoneInfo("Asia/Shanghai")), "2026-11-26"),
    ],
)
def test_shanghai_today(moment, today):
    assert shanghai_today(moment) == D(today)


def test_shanghai_today_defaults_to_the_clock():
    before = dt.datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    value = shanghai_today()
    after = dt.datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert value in (before, after)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-11-26T08:00", "26-11-2026", "2026-W48-4"])
def test_validate_with_an_invalid_today_exits_2(mini_base, text):
    result = run_cli("validate", "--today", text, cwd=mini_base.base)
    assert result.code == 2, (result.stdout, result.stderr)
    assert "--today" in result.stderr and f"“{text}”" in result.stderr


def test_validate_today_option_is_used(mini_base):
    assert TODAY == D("2026-11-26")
    result = run_cli("validate", "--format", "json", "--today", "2026-11-26", cwd=mini_base.base)
    assert result.code == 0 and json.loads(result.stdout)["findings"] == []
    # The exemplar center was certified 2024-06-17: its first evaluation is overdue after 2027-06-17.
    late = run_cli("validate", "--format", "json", "--today", "2027-06-18", cwd=mini_base.base)
    assert late.code == 0
    # 2027 has no calendar file yet: F822 says so (and F810's due date is the one written).
    assert [f["rule"] for f in json.loads(late.stdout)["findings"]] == ["F822", "F810"]
