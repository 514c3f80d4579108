"""Article 14: evaluation every N years from certification.

Cycles are counted from the certification date and from nothing else:
cycle k falls due k * N years after certification (Civil Code Art. 202: a
period in years ends on the corresponding day of the last year's month; with
no such day, 29 February, on that month's last day). An evaluation belongs to
the cycle whose due date is nearest to it (an early or a late evaluation
closes that cycle; halfway between two, the later); one nearer to the
certification itself belongs to no cycle and closes none. The next cycle is
the one after the latest closed cycle, still counted from certification, so
an evaluation's own date never shifts later due dates. The re-evaluation that
closes a rectification is part of the evaluation that ordered it and closes
no cycle of its own.

A due date, and a rectification deadline, that falls on a statutory rest day
moves to the next working day (Civil Code Art. 203), by registry/calendar/.
A year with no calendar file is never guessed: the date is then reported as
written, with the year that is missing.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .calendar import MissingCalendarYear, WorkingCalendar

if TYPE_CHECKING:  # only for the annotations: the center model is built where a center is loaded
    from ticreg_schemas.center import Center


def add_years(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    last = _gregorian.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


@dataclass(frozen=True)
class DueDate:
    """A period's last day as written, and as Civil Code Art. 203 moves it off a rest day."""

    nominal: dt.date
    effective: dt.date | None  # None while the calendar lacks the year it needs
    missing_year: int | None = None

    @property
    def on_time_until(self) -> dt.date:
        """The last day that is still on time (the written day when the calendar cannot tell)."""
        return self.effective if self.effective is not None else self.nominal

    @property
    def moved(self) -> bool:
        return self.effective is not None and self.effective != self.nominal

    def passed(self, today: dt.date) -> bool:
        return today > self.on_time_until


def due_date(nominal: dt.date, calendar: WorkingCalendar) -> DueDate:
    """``nominal`` moved to the next working day if it is a rest day; never guessed."""
    try:
        return DueDate(nominal, calendar.period_end(nominal))
    except MissingCalendarYear as missing:
        return DueDate(nominal, None, missing.year)


def cycle_of(evaluated_on: dt.date, certified_on: dt.date, cycle_years: int) -> int:
    """The cycle whose due date is nearest to ``evaluated_on`` (0: nearer to the certification itself)."""
    cycle = 0
    while add_years(certified_on, cycle_years * (cycle + 1)) <= evaluated_on:
        cycle += 1
    since = (evaluated_on - add_years(certified_on, cycle_years * cycle)).days
    until = (add_years(certified_on, cycle_years * (cycle + 1)) - evaluated_on).days
    return cycle + 1 if until <= since else cycle


@dataclass(frozen=True)
class EvaluationStatus:
    certified_on: dt.date
    next_cycle: int | None  # None once revoked
    next_due: DueDate | None  # None once revoked
    rectification: DueDate | None  # set while a rectification is open
    rectification_cycle: int | None  # the cycle of the evaluation that ordered it (0: none)
    revoked: bool

    def evaluation_overdue(self, today: dt.date) -> bool:
        return self.next_due is not None and self.next_due.passed(today)

    def rectification_overdue(self, today: dt.date) -> bool:
        return self.rectification is not None and self.rectification.passed(today)


@dataclass
class _Tally:
    """What the history says so far, event by event."""

    closed: int = 0  # the latest cycle an evaluation closed
    deadline: dt.date | None = None  # an open rectification's deadline
    deadline_cycle: int | None = None
    revoked: bool = False


def _count(center: Center, certified_on: dt.date, cycle_years: int) -> _Tally:
    tally = _Tally()
    for event in center.history:
        if event.event == "revoked":
            tally.revoked = True
        if event.event != "evaluated":
            continue
        if tally.deadline is None:  # a regular evaluation, not a rectification's re-evaluation
            ordered_by = cycle_of(event.date, certified_on, cycle_years)
            tally.closed = max(tally.closed, ordered_by)
        else:
            ordered_by = tally.deadline_cycle or 0
        rectify = event.outcome == "rectify"
        tally.deadline = event.rectification_deadline if rectify else None
        tally.deadline_cycle = ordered_by if rectify else None
    return tally


def evaluation_status(center: Center, cycle_years: int, calendar: WorkingCalendar) -> EvaluationStatus | None:
    """Where a center stands in its evaluation cycles; None without a certification."""
    certified = next((e for e in center.history if e.event == "certified"), None)
    if certified is None:
        return None
    tally = _count(center, certified.date, cycle_years)
    if tally.revoked:
        return EvaluationStatus(certified.date, None, None, None, None, True)
    next_cycle = tally.closed + 1
    next_due = due_date(add_years(certified.date, cycle_years * next_cycle), calendar)
    rectification = due_date(tally.deadline, calendar) if tally.deadline is not None else None
    return EvaluationStatus(certified.date, next_cycle, next_due, rectification, tally.deadline_cycle, False)
