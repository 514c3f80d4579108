"""A center's certification procedure as the public may see it (Art. 9): each stage's date and
what it left behind in the Bureau's file.

Published: departments (public bodies), document numbers, the expert panel's size, conclusion
and score, the party-group session, the publicity notice. Never published: the Bureau staff
who took part (bureau_staff: kept for the file only) and notes, which may name people; no
expert is ever named (the registry has no field for it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ticreg_schemas.application import ApplicationBase, ApplicationEvent
from ticreg_schemas.departments import Department
from ticreg_schemas.events import APPLICATION_EVENTS, CONCLUSIONS


@dataclass(frozen=True)
class ProcedureStep:
    date: dt.date
    event: str
    label: str  # the event's Chinese name
    details: tuple[tuple[str, str], ...]  # (term, text) pairs, public fields only
    notice_url: str | None = None  # the publicity notice (publicity-started, certified): http(s) only


def _department_names(ids: list[str] | None, departments: dict[str, Department]) -> str | None:
    if not ids:
        return None
    return "、".join(departments[i].name if i in departments else i for i in ids)


def _score(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _details(event: ApplicationEvent, departments: dict[str, Department]) -> tuple[tuple[str, str], ...]:
    reviewer = _department_names([event.reviewed_by] if event.reviewed_by else None, departments)
    pairs = (
        ("审核部门", reviewer),
        ("文号", event.document_number),
        ("会同部门", _department_names(event.joint_departments, departments)),
        ("专家组人数", f"{event.panel_size} 人" if event.panel_size is not None else None),
        ("结论", CONCLUSIONS[event.conclusion] if event.conclusion else None),
        ("评审得分", _score(event.score)),
        ("会议", event.session),
    )
    return tuple((term, text) for term, text in pairs if text is not None)


def procedure(application: ApplicationBase | None, departments: dict[str, Department]) -> tuple[ProcedureStep, ...]:
    """The certifying application's history, oldest first; empty without a valid application."""
    if application is None:
        return ()
    return tuple(
        ProcedureStep(
            e.date, e.event, APPLICATION_EVENTS[e.event].label, _details(e, departments),
            e.notice_url if e.notice_url and e.notice_url.lower().startswith(("http://", "https://")) else None,
        )
        for e in application.history
    )
