"""`ticreg deadlines`: what staff must act on as of a date, and by when.

Four kinds of item, each with the date it is about (its deadline):

    publicity      an open Art. 9 publicity window (in publicity, or with an
                   objection pending): the window's last day
    certification  a window that has run its course with no pending objection:
                   the first day the certification may be issued; it stays
                   "due" for policy.publicity.decision_reminder_days (counted from that day,
                   or from an objection's dismissal if later), then "overdue"
    evaluation     an Art. 14 evaluation due within policy.evaluation.due_soon_days,
                   or overdue (never for a revoked center, nor one awaiting its
                   revocation document)
    rectification  an open rectification's deadline, upcoming or passed

The registry is read *as of* the date: events dated after it are ignored,
so an earlier date shows what was outstanding then. "Today" is never read
here; the command passes it in.

Status: ``upcoming`` (the date is ahead), ``due`` (the date is today; for a
certification, from its first day through the grace days), ``overdue``
(the date has passed). ``days`` is the date minus the as-of date: negative
once it has passed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from ticreg_schemas.application import Application, ChangeApplication
from ticreg_schemas.center import Center

from .engine import Checked, RegistryContext
from .errors import MissingCalendarYear, RegistryHasErrors
from .process.calendar import CALENDAR_DIR
from .process.evaluation import evaluation_status
from .process.publicity import publicity_window
from .process.replay import final_state, replay_application, replay_center
from .registry_files import display_path

PUBLICITY = "publicity"
CERTIFICATION = "certification"
EVALUATION = "evaluation"
RECTIFICATION = "rectification"
KINDS = (PUBLICITY, CERTIFICATION, EVALUATION, RECTIFICATION)
KIND_LABELS = {
    PUBLICITY: "公示",
    CERTIFICATION: "认定",
    EVALUATION: "评估",
    RECTIFICATION: "整改",
}

UPCOMING = "upcoming"
DUE = "due"
OVERDUE = "overdue"
STATUSES = (UPCOMING, DUE, OVERDUE)

# A presentation threshold of this report, not a rule of the measures: how
# many days after the first certifiable day an undecided application is
# still simply "due" before it is shown as "overdue".

# Rule F805 reports a missing calendar year too; here it is said more
# precisely (which window needs it), and only when a listed window does.
_MISSING_CALENDAR_RULE = "F805"

ICS_PRODID = "-//Jincheng TIC Registry//ticreg deadlines//ZH-CN"
ICS_CALENDAR_NAME = "晋城市技术创新中心办理期限"
ICS_UID_DOMAIN = "deadlines.ticreg.jincheng-tic"


@dataclass(frozen=True)
class Deadline:
    kind: str
    date: dt.date
    record: str  # the application or center id
    path: str  # the record's file, as validate shows it
    title: str
    status: str
    days: int  # date - as_of: negative once passed
    cycle: int | None = None  # evaluations and rectifications: the evaluation cycle

    @property
    def uid(self) -> str:
        """Stable across runs and as-of dates: record, kind and cycle, never a date."""
        cycle = f".cycle{self.cycle}" if self.cycle is not None else ""
        return f"{self.kind}.{self.record}{cycle}@{ICS_UID_DOMAIN}"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "record": self.record,
            "path": self.path,
            "title": self.title,
            "status": self.status,
            "days": self.days,
        }


# --- collecting ------------------------------------------------------------------


def collect(root: Path, cwd: Path, as_of: dt.date) -> list[Deadline]:
    """Every deadline in the registry at ``root`` as of ``as_of``, sorted by date.

    Raises RegistryHasErrors when the registry has errors (``ticreg validate``
    shows them) and MissingCalendarYear when an open window reaches a year
    with no calendar file.
    """
    from .validate import registry_context

    # Judged without a "today": dates after as_of are simply not read here.
    ctx, outcome = registry_context(root, cwd, today=None)
    errors = [f for f in outcome.findings if f.severity == "error" and f.rule != _MISSING_CALENDAR_RULE]
    if ctx is None or errors:
        raise RegistryHasErrors.counted(display_path(root, cwd), len(errors) or 1, "无法可靠地列出办理期限")
    return deadlines(ctx, as_of, calendar_dir=display_path(root / CALENDAR_DIR, cwd))


def deadlines(ctx: RegistryContext, as_of: dt.date, *, calendar_dir: str = f"registry/{CALENDAR_DIR}") -> list[Deadline]:
    """The deadlines of a validated registry Context (see ticreg.validate.registry_context)."""
    items: list[Deadline] = []
    for record in ctx.records:
        model = record.model
        if isinstance(model, Center):
            items.extend(_center_items(Checked(record, model), ctx, as_of))
        elif isinstance(model, Application):
            items.extend(_application_items(Checked(record, model), ctx, as_of, calendar_dir))
    return sorted(items, key=lambda d: (d.date, KINDS.index(d.kind), d.record, d.cycle or 0))


@overload
def _as_of(model: Center, as_of: dt.date) -> Center: ...


@overload
def _as_of(model: Application, as_of: dt.date) -> Application: ...


def _as_of(model: Application | Center, as_of: dt.date) -> Application | Center:
    """The record as it stood on ``as_of``: its events up to that day."""
    history = [e for e in model.history if e.date <= as_of]
    return model if len(history) == len(model.history) else model.model_copy(update={"history": history})


def _status(days: int) -> str:
    return UPCOMING if days > 0 else DUE if days == 0 else OVERDUE


def _application_items(record: Checked[Application], ctx: RegistryContext, as_of: dt.date,
                       calendar_dir: str) -> list[Deadline]:
    model = _as_of(record.model, as_of)
    steps = list(replay_application(model))
    state = final_state(steps)
    if state not in ("in-publicity", "objection-pending") or isinstance(model, ChangeApplication):
        return []  # a change is never published
    published = objection = dismissed = None
    for step in steps:
        if step.transition is None:
            continue
        if step.event.event == "publicity-started":
            published = step.event.date
        elif step.event.event == "objection-raised":
            objection = step.event.date
        elif step.event.event == "objection-dismissed":
            dismissed = step.event.date
    if published is None:  # cannot happen in a replayed in-publicity state
        return []
    try:
        window = publicity_window(published, ctx.policy.publicity, ctx.calendar)
    except MissingCalendarYear as missing:
        raise MissingCalendarYear(
            missing.year,
            f"缺少 {missing.year} 年的节假日安排，无法计算 {model.id} 的公示期（{_zh(published)}发布）："
            f"请按国务院办公厅当年的通知添加 {calendar_dir}/{missing.year}.yml"
        ) from None
    name = model.proposed_name
    if state == "objection-pending":
        assert objection is not None  # a replayed objection-pending state follows an objection-raised step
        days = (window.end - as_of).days
        title = f"{name} 公示期截止，{_zh(objection)}收到的异议待处理"
        return [Deadline(PUBLICITY, window.end, model.id, record.path, title, _status(days), days)]
    if as_of < window.certifiable_from:
        days = (window.end - as_of).days
        title = f"{name} 公示期截止"
        return [Deadline(PUBLICITY, window.end, model.id, record.path, title, UPCOMING if days > 0 else DUE, days)]
    days = (window.certifiable_from - as_of).days
    # The grace runs from when certification became possible: the first
    # certifiable day, or the dismissal of an objection if that came later.
    ready = max(window.certifiable_from, dismissed or window.certifiable_from)
    status = DUE if (as_of - ready).days <= ctx.policy.publicity.decision_reminder_days else OVERDUE
    title = f"{name} 公示期满，可下达认定文件"
    return [Deadline(CERTIFICATION, window.certifiable_from, model.id, record.path, title, status, days)]


def _center_items(record: Checked[Center], ctx: RegistryContext, as_of: dt.date) -> list[Deadline]:
    model = _as_of(record.model, as_of)
    if final_state(replay_center(model)) in ("revoked", "revocation-decided", "new"):
        return []
    cycle_years = ctx.policy.evaluation.cycle_years
    status = evaluation_status(model, cycle_years)
    if status is None or status.next_due is None:
        return []
    items = []
    # Cycle k falls due k * cycle_years after certification (Civil Code
    # Art. 202 keeps the year arithmetic exact, so the years tell k).
    cycle = (status.next_due.year - status.certified_on.year) // cycle_years
    days = (status.next_due - as_of).days
    if days <= ctx.policy.evaluation.due_soon_days:
        title = f"{model.name} 第{cycle}个周期绩效评估到期"
        items.append(Deadline(EVALUATION, status.next_due, model.id, record.path, title, _status(days), days, cycle))
    if status.rectification_deadline is not None:
        # The rectification was ordered by the evaluation of the cycle before.
        days = (status.rectification_deadline - as_of).days
        title = f"{model.name} 整改期限届满，应复评"
        items.append(
            Deadline(RECTIFICATION, status.rectification_deadline, model.id, record.path, title,
                     _status(days), days, cycle - 1)
        )
    return items


# --- output ----------------------------------------------------------------------


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _when(item: Deadline) -> str:
    if item.kind == CERTIFICATION:
        if item.days == 0:
            return "今天起可认定"
        return f"已可认定 {-item.days} 天" + ("，仍未认定" if item.status == OVERDUE else "")
    if item.days > 0:
        return f"还有 {item.days} 天"
    if item.days == 0:
        return "今天到期"
    return f"已逾期 {-item.days} 天"


def as_text(items: list[Deadline], as_of: dt.date) -> str:
    if not items:
        return f"截至{_zh(as_of)}，没有需要办理的期限事项。\n"
    lines = [f"截至{_zh(as_of)}，共 {len(items)} 项办理期限（按日期排序）："]
    for item in items:
        lines.append(
            f"{_zh(item.date)}〔{KIND_LABELS[item.kind]}〕{item.title}（{_when(item)}）"
            f" {item.record} {item.path}"
        )
    return "\n".join(lines) + "\n"


def as_json(items: list[Deadline], as_of: dt.date) -> str:
    document = {"as_of": as_of.isoformat(), "items": [item.as_dict() for item in items]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def ics_escape(text: str) -> str:
    """RFC 5545 section 3.3.11 TEXT: backslash, semicolon, comma and newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str, limit: int = 75) -> str:
    """RFC 5545 section 3.1: at most ``limit`` octets a line, never inside a UTF-8 character."""
    parts = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size = [" "], 1  # a continuation starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


_STATUS_ZH = {UPCOMING: "未到期", DUE: "到期", OVERDUE: "已逾期"}


def as_ics(items: list[Deadline], as_of: dt.date) -> str:
    # DTSTAMP is required in every VEVENT. It is derived from the as-of date
    # (00:00:00 UTC) rather than the clock, so the same registry and as-of
    # date always give byte-identical output; UIDs come from the record id,
    # the kind and the evaluation cycle, never from a date, so a calendar
    # app updates an event whose date moved instead of adding a second one.
    stamp = f"{as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(ICS_CALENDAR_NAME)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for item in items:
        description = (
            f"{KIND_LABELS[item.kind]}：{item.title}\n"
            f"截至{_zh(as_of)}：{_STATUS_ZH[item.status]}，{_when(item)}\n"
            f"记录：{item.record}\n文件：{item.path}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ics_escape(item.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(item.title)}",
            f"DESCRIPTION:{ics_escape(description)}",
            f"CATEGORIES:{ics_escape(KIND_LABELS[item.kind])}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
