"""The shipped holiday arrangements (registry/calendar/<year>.yml).

The year files are the source of truth: they are copied from the State
Council General Office's yearly notices.  The chinesecalendar package is an
independent transcription of the same notices and serves here only as a
cross-check, day by day, of what the files make a working day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
import yaml

from ticreg_schemas.calendar import CalendarYear

REPO = Path(__file__).resolve().parents[1]
CALENDAR_DIR = REPO / "registry" / "calendar"
YEAR_FILES = sorted(CALENDAR_DIR.glob("*.yml"))

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/json/calendar.schema.json"

# 国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）
EXPECTED_2026_HOLIDAYS = {
    ("元旦", dt.date(2026, 1, 1), dt.date(2026, 1, 3)),
    ("春节", dt.date(2026, 2, 15), dt.date(2026, 2, 23)),
    ("清明节", dt.date(2026, 4, 4), dt.date(2026, 4, 6)),
    ("劳动节", dt.date(2026, 5, 1), dt.date(2026, 5, 5)),
    ("端午节", dt.date(2026, 6, 19), dt.date(2026, 6, 21)),
    ("中秋节", dt.date(2026, 9, 25), dt.date(2026, 9, 27)),
    ("国庆节", dt.date(2026, 10, 1), dt.date(2026, 10, 7)),
}
EXPECTED_2026_MAKEUP = {
    dt.date(2026, 1, 4),
    dt.date(2026, 2, 14),
    dt.date(2026, 2, 28),
    dt.date(2026, 5, 9),
    dt.date(2026, 9, 20),
    dt.date(2026, 10, 10),
}


def load(path: Path) -> CalendarYear:
    return CalendarYear.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def days_of(year: int) -> list[dt.date]:
    day, days = dt.date(year, 1, 1), []
    while day.year == year:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def working_days(calendar: CalendarYear) -> dict[dt.date, bool]:
    """Every day of the year: Monday to Friday outside the holidays, or a make-up day."""
    off = {
        day
        for holiday in calendar.holidays
        for day in days_of(calendar.year)
        if holiday.first_day <= day <= holiday.last_day
    }
    makeup = {m.date for m in calendar.makeup_working_days}
    return {
        day: day in makeup or (day.weekday() < 5 and day not in off)
        for day in days_of(calendar.year)
    }


def by_year() -> dict[int, CalendarYear]:
    return {load(path).year: load(path) for path in YEAR_FILES}


def test_the_recent_years_are_shipped():
    shipped = {int(path.stem) for path in YEAR_FILES if path.stem.isdigit()}
    assert {2024, 2025, 2026} <= shipped, f"缺少年份：{sorted({2024, 2025, 2026} - shipped)}"


@pytest.mark.parametrize("path", YEAR_FILES, ids=lambda p: p.name)
def test_year_file_is_valid_and_named_after_its_year(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_LINE
    assert lines[1].startswith("# ") and "国务院办公厅" in lines[1], "第二行应是说明来源的注释"
    calendar = load(path)
    assert path.name == f"{calendar.year}.yml"
    assert calendar.notice.issuer == "国务院办公厅"
    assert calendar.notice.url.startswith("https://www.gov.cn/"), calendar.notice.url
    assert f"{calendar.year}年" in calendar.notice.title
    assert calendar.notice.issued_on.year == calendar.year - 1


@pytest.mark.parametrize("path", YEAR_FILES, ids=lambda p: p.name)
def test_makeup_days_are_weekend_days(path: Path):
    calendar = load(path)
    weekdays = [m.date.isoformat() for m in calendar.makeup_working_days if m.date.weekday() < 5]
    assert not weekdays, f"调休上班日不是周六或周日：{weekdays}"
    names = {h.name for h in calendar.holidays}
    strays = [m.date.isoformat() for m in calendar.makeup_working_days if m.holiday not in names]
    assert not strays, f"调休上班日所属节日不在放假安排中：{strays}"


@pytest.mark.parametrize("path", YEAR_FILES, ids=lambda p: p.name)
def test_working_days_agree_with_chinesecalendar(path: Path):
    calendar = load(path)
    try:
        chinese_calendar.is_workday(dt.date(calendar.year, 7, 1))
    except NotImplementedError:
        pytest.skip(f"已安装的 chinesecalendar 尚未收录 {calendar.year} 年，升级后再比对")
    ours = working_days(calendar)
    mismatches = [
        f"{day.isoformat()}（周{'一二三四五六日'[day.weekday()]}）："
        f"本文件{'上班' if working else '休息'}，chinesecalendar {'上班' if not working else '休息'}"
        for day, working in ours.items()
        if working != chinese_calendar.is_workday(day)
    ]
    assert not mismatches, f"{path.name} 与 chinesecalendar 不一致：\n" + "\n".join(mismatches)


def test_2026_matches_the_notice_exactly():
    calendar = by_year()[2026]
    assert {(h.name, h.first_day, h.last_day) for h in calendar.holidays} == EXPECTED_2026_HOLIDAYS
    assert len(calendar.holidays) == len(EXPECTED_2026_HOLIDAYS)
    assert {m.date for m in calendar.makeup_working_days} == EXPECTED_2026_MAKEUP
    assert len(calendar.makeup_working_days) == len(EXPECTED_2026_MAKEUP)
    assert calendar.notice.issued_on == dt.date(2025, 11, 4)
    assert calendar.notice.url == "https://www.gov.cn/zhengce/content/202511/content_7047090.htm"


def test_2025_has_the_longer_spring_festival_and_labour_day():
    calendar = by_year()[2025]
    spans = {h.name: (h.first_day, h.last_day) for h in calendar.holidays}
    assert spans["春节"] == (dt.date(2025, 1, 28), dt.date(2025, 2, 4))
    assert spans["劳动节"] == (dt.date(2025, 5, 1), dt.date(2025, 5, 5))
    makeup = {m.date: m.holiday for m in calendar.makeup_working_days}
    assert makeup[dt.date(2025, 1, 26)] == makeup[dt.date(2025, 2, 8)] == "春节"
    assert makeup[dt.date(2025, 4, 27)] == "劳动节"
