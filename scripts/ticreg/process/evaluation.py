"""Article 14: evaluation every N years from certification.

Due dates follow Civil Code Art. 202: a period in years ends on the
corresponding day of the last year's month; with no such day (29 February),
on that month's last day.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for annotations only
    from ticreg_schemas.center import Center


def add_years(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    last = _gregorian.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


@dataclass(frozen=True)
class EvaluationStatus:
    certified_on: dt.date
    next_due: dt.date | None  # None once revoked
    rectification_deadline: dt.date | None  # set while a rectification is open
    revoked: bool

    def evaluation_overdue(self, today: dt.date) -> bool:
        return self.next_due is not None and today > self.next_due

    def rectification_overdue(self, today: dt.date) -> bool:
        return self.rectification_deadline is not None and today > self.rectification_deadline


def evaluation_status(center: Center, cycle_years: int) -> EvaluationStatus | None:
    """Where a center stands in its evaluation cycle; None without a certification.

    Cycle k falls due k * cycle_years after certification. A regular
    evaluation completes the next cycle; the re-evaluation that closes a
    rectification does not start a new one.
    """
    certified = next((e for e in center.history if e.event == "certified"), None)
    if certified is None:
        return None
    cycles_done = 0
    deadline = None
    revoked = False
    for event in center.history:
        if event.event == "evaluated":
            if deadline is None:
                cycles_done += 1
            deadline = event.rectification_deadline if event.outcome == "rectify" else None
        elif event.event == "revoked":
            revoked = True
    if revoked:
        return EvaluationStatus(certified.date, None, None, True)
    next_due = add_years(certified.date, cycle_years * (cycles_done + 1))
    return EvaluationStatus(certified.date, next_due, deadline, False)
