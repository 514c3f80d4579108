"""Working days, from the State Council's yearly holiday arrangements kept as data.

A computation that reaches a year with no file fails with a message naming
the file to add: a year is never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ticreg_schemas.calendar import CalendarYear

from ..errors import MissingCalendarYear

if TYPE_CHECKING:  # building the policy model is for commands that read policy.yml, not for every calendar user
    from ticreg_schemas.policy import CalendarReminders

CALENDAR_DIR = "calendar"

__all__ = ["CALENDAR_DIR", "MissingCalendarYear", "WorkingCalendar", "expected_years"]  # the error's home is errors.py


def _missing(year: int) -> MissingCalendarYear:
    return MissingCalendarYear(
        year, f"缺少 {year} 年的节假日安排：请按国务院办公厅当年的通知添加 registry/{CALENDAR_DIR}/{year}.yml"
    )


@dataclass
class WorkingCalendar:
    """Which days are working days, for the years it has files for."""

    years: dict[int, CalendarYear] = field(default_factory=dict)
    _days_off: set[dt.date] = field(default_factory=set)
    _makeup: set[dt.date] = field(default_factory=set)

    def add(self, year: CalendarYear) -> None:
        self.years[year.year] = year
        for holiday in year.holidays:
            day = holiday.first_day
            while day <= holiday.last_day:
                self._days_off.add(day)
                day += dt.timedelta(days=1)
        self._makeup.update(m.date for m in year.makeup_working_days)

    def is_working_day(self, day: dt.date) -> bool:
        if day.year not in self.years:
            raise _missing(day.year)
        if day in self._makeup:
            return True
        return day.weekday() < 5 and day not in self._days_off

    def has_year(self, year: int) -> bool:
        return year in self.years

    def period_end(self, last_day: dt.date) -> dt.date:
        """Civil Code Art. 203: a period whose last day is a statutory rest day ends on the next working day.

        Rest days are weekends and holidays; a make-up working day (调休上班) is a
        working day, so a period ending on one is not moved.
        """
        day = last_day
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def working_days_from(self, first: dt.date, count: int, *, include_first: bool) -> list[dt.date]:
        """The next ``count`` working days, starting at ``first`` (or the day after)."""
        days: list[dt.date] = []
        day = first if include_first else first + dt.timedelta(days=1)
        while len(days) < count:
            if self.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days


def expected_years(reminders: CalendarReminders | None, today: dt.date) -> list[int]:
    """The years the registry should have a calendar file for on ``today``: this one,
    and the next one from policy.yml's calendar.reminder_from (no reminder without it)."""
    years = [today.year]
    if reminders is not None and today >= reminders.reminder_date(today.year):
        years.append(today.year + 1)
    return years
