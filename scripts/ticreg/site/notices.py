"""The notices (公示公告), derived from the histories: the registry is their source.

    publicity      an application's publicity-started event (Art. 9(3))
    certification  a center's certified event
    evaluation     a center's evaluated event (Art. 14)
    change         a center's changed event (Art. 15)
    revocation     a center's revoked event (Art. 14)

A publicity notice is "open" until its window's last day, as of the ``today``
the build is given; the daily rebuild moves it to "closed". An application
withdrawn or refused (objection upheld) while its window runs is "ended":
the public should not be invited to object to it any more. Nothing else
about a notice depends on the day of the build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TypedDict

from ticreg_schemas.application import Application

from ..engine import RegistryContext
from ..process.calendar import MissingCalendarYear
from ..process.publicity import PublicityWindow, publicity_window
from .public import Change, Evaluation, PublicCenter, Revocation

KINDS = {
    "publicity": "公示",
    "certification": "认定公告",
    "evaluation": "评估结果",
    "change": "变更公告",
    "revocation": "撤销公告",
}

OPEN = "open"
CLOSED = "closed"
ENDED = "ended"
PUBLICITY_STATUS = {OPEN: "公示中", CLOSED: "公示期满", ENDED: "公示终止"}

# Events that end an application's publicity before its window runs out.
_ENDS_PUBLICITY = frozenset({"objection-upheld", "rejected", "withdrawn"})


@dataclass(frozen=True)
class Notice:
    id: str  # unique, URL-safe: <date>-<kind>-<record id>[-n]
    kind: str
    date: dt.date
    title: str
    subject: str  # the center's (or proposed) name as it stood on that date
    unit: str  # the lead unit
    center_id: str | None = None
    application_id: str | None = None
    document_number: str | None = None
    category_label: str | None = None
    cluster_label: str | None = None
    county_label: str | None = None
    window: PublicityWindow | None = None
    # A publicity whose window reaches a year registry/calendar/ lacks: the
    # notice is still published, its last day left open until the year is added.
    pending_calendar_year: int | None = None
    status: str | None = None  # publicity: open / closed as of the build's today
    notice_url: str | None = None  # the official notice, http(s) only
    evaluation: Evaluation | None = None
    change: Change | None = None
    revocation: Revocation | None = None
    # Art. 16: the municipal engineering research center a publicized application converts (优先支持).
    converts: str | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str | None:
        return PUBLICITY_STATUS.get(self.status) if self.status else None

    @property
    def url(self) -> str:
        return f"notices/{self.id}/"

    def as_dict(self) -> dict[str, object]:
        """The open-data form (notices.json): dates ISO, labels in Chinese."""
        out: dict[str, object] = {
            "id": self.id,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "date": self.date.isoformat(),
            "title": self.title,
            "subject": self.subject,
            "unit": self.unit,
            "center_id": self.center_id,
            "application_id": self.application_id,
            "document_number": self.document_number,
            "category": self.category_label,
            "cluster": self.cluster_label,
            "county": self.county_label,
            "url": self.url,
        }
        if self.window is not None:
            out["publicity"] = {
                **self.window.as_dict(),
                "working_day_count": len(self.window.working_days),
                "status": self.status,
                "status_label": self.status_label,
                "notice_url": self.notice_url,
            }
        if self.evaluation is not None:
            e = self.evaluation
            out["evaluation"] = {
                "outcome": e.outcome,
                "outcome_label": e.outcome_label,
                "excellent": e.excellent,
                "rectification_deadline": e.rectification_deadline.isoformat() if e.rectification_deadline else None,
                "evaluator": e.evaluator,
            }
        if self.change is not None:
            c = self.change
            out["change"] = {
                "former_name": c.former_name,
                "new_name": c.new_name,
                "former_research_directions": list(c.former_research_directions),
                "new_research_directions": list(c.new_research_directions),
                "restructuring": c.restructuring,
            }
        if self.revocation is not None:
            out["revocation"] = {"reason": self.revocation.reason}
        return out


def _name_on(center: PublicCenter, day: dt.date, *, inclusive: bool) -> str:
    """The center's name on ``day``: before a rename took effect, its former name."""
    name = center.name
    for change in reversed(center.changes):
        if change.former_name and (change.date > day or (not inclusive and change.date == day)):
            name = change.former_name
    return name


def _window_or_missing_year(published: dt.date, ctx: RegistryContext) -> tuple[PublicityWindow | None, int | None]:
    """The window, or the calendar year it needs and the registry lacks (never guessed)."""
    try:
        return publicity_window(published, ctx.policy.publicity, ctx.calendar), None
    except MissingCalendarYear as missing:
        return None, missing.year


def _converted_name(application: Application) -> str | None:
    conversion = getattr(application, "municipal_erc_conversion", None)
    return conversion.name if conversion is not None else None


def _publicity_notices(ctx: RegistryContext, today: dt.date) -> list[Notice]:
    policy = ctx.policy
    out = []
    for records in ctx.applications.values():
        for record in records:
            application = record.model
            if application.kind == "change":
                continue
            for index, event in enumerate(application.history):
                if event.event != "publicity-started":
                    continue
                window, pending_year = _window_or_missing_year(event.date, ctx)
                ended = any(e.event in _ENDS_PUBLICITY and e.date <= today for e in application.history[index + 1:])
                out.append(
                    Notice(
                        id="",
                        kind="publicity",
                        date=event.date,
                        title=f"关于{application.proposed_name}拟认定的公示",
                        subject=application.proposed_name,
                        unit=application.lead_unit.name,
                        application_id=application.id,
                        category_label=policy.name_of("categories", application.category),
                        cluster_label=policy.name_of("clusters", application.cluster) if application.cluster else None,
                        county_label=policy.name_of("counties", application.county_code),
                        window=window,
                        pending_calendar_year=pending_year,
                        status=CLOSED if window is not None and today > window.end else ENDED if ended else OPEN,
                        notice_url=event.notice_url,
                        converts=_converted_name(application),
                    )
                )
    return out


class _CenterFields(TypedDict):
    """What every notice about a center repeats."""

    unit: str
    center_id: str
    category_label: str
    cluster_label: str | None
    county_label: str


def _center_notices(center: PublicCenter) -> list[Notice]:
    common = _CenterFields(
        unit=center.lead_unit.name,
        center_id=center.id,
        category_label=center.category_label,
        cluster_label=center.cluster_label,
        county_label=center.county_label,
    )
    certified_name = _name_on(center, center.certified_on, inclusive=False)
    out = [
        Notice(
            id="", kind="certification", date=center.certified_on, title=f"关于认定{certified_name}的公告",
            subject=certified_name, application_id=center.application_id,
            document_number=center.certification_document, **common,
        )
    ]
    for e in center.evaluations:
        name = _name_on(center, e.date, inclusive=True)
        out.append(
            Notice(id="", kind="evaluation", date=e.date, title=f"{name}绩效评估结果公告", subject=name,
                   document_number=e.document_number, evaluation=e, **common)
        )
    for c in center.changes:
        name = c.new_name or _name_on(center, c.date, inclusive=True)
        out.append(
            Notice(id="", kind="change", date=c.date, title=f"{c.former_name or name}重大事项变更公告",
                   subject=name, document_number=c.document_number, change=c, **common)
        )
    if center.revocation is not None:
        r = center.revocation
        name = _name_on(center, r.date, inclusive=True)
        out.append(
            Notice(id="", kind="revocation", date=r.date, title=f"关于撤销{name}的公告", subject=name,
                   document_number=r.document_number, revocation=r, **common)
        )
    return out


def collect_notices(ctx: RegistryContext, centers: list[PublicCenter], today: dt.date) -> list[Notice]:
    """Every notice, newest first; IDs are unique and stable for the same histories."""
    notices = _publicity_notices(ctx, today)
    for center in centers:
        notices.extend(_center_notices(center))
    notices.sort(key=lambda n: (n.date, list(KINDS).index(n.kind), n.center_id or n.application_id or ""))
    seen: dict[str, int] = {}
    out = []
    for notice in notices:
        base = f"{notice.date.isoformat()}-{notice.kind}-{notice.center_id or notice.application_id}"
        seen[base] = seen.get(base, 0) + 1
        unique = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(replace(notice, id=unique))
    out.reverse()
    return out

