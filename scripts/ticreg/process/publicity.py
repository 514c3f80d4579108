"""Article 9: the publicity window and the first day certification may be recorded.

Reading adopted (DOMAIN.md), as the Bureau's own notices count: the window
starts on the publication date when that is a working day, otherwise on the
next working day, and ends on the Nth working day counting the start; the
certification may be recorded from ``certifiable_days_after_end`` calendar
days after the end. N, the start rule and that offset live in policy.yml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ticreg_schemas.policy import Publicity

from .calendar import WorkingCalendar


@dataclass(frozen=True)
class PublicityWindow:
    published: dt.date
    working_days: tuple[dt.date, ...]
    certifiable_from: dt.date

    @property
    def start(self) -> dt.date:
        return self.working_days[0]

    @property
    def end(self) -> dt.date:
        return self.working_days[-1]

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "working_days": [d.isoformat() for d in self.working_days],
            "certifiable_from": self.certifiable_from.isoformat(),
        }


def publicity_window(published: dt.date, rules: Publicity, calendar: WorkingCalendar) -> PublicityWindow:
    """Raises MissingCalendarYear when the window reaches a year with no file."""
    include_first = rules.start_rule == "publication-day-if-working-day"
    days = calendar.working_days_from(published, rules.working_days, include_first=include_first)
    certifiable = days[-1] + dt.timedelta(days=rules.certifiable_days_after_end)
    return PublicityWindow(published, tuple(days), certifiable)
