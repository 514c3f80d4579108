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
    calendar       a year of registry/calendar/ that is missing: one that a
                   listed item needs (a publicity window, a due date to move
                   off a rest day), this year's, or next year's once
                   policy.calendar.reminder_from has come; dated 1 January of it

Evaluation and rectification dates are the last day still on time: a due
date on a statutory rest day moves to the next working day (Civil Code
Art. 203) and the written date is kept as ``nominal_date``. A missing
calendar year affects only the items that need it: a window that cannot be
computed is left out and named in the calendar item, a due date that cannot
be checked for a rest day is listed as written.
    transition     an Art. 10 transition to a legal entity not completed by its
                   planned date or policy.transition.period_years after
                   certification, whichever is earlier (only when policy gives
                   a period), once that day has come

Publicity and certification items of an application converting a municipal
engineering research center carry ``priority`` (Art. 16: 优先支持).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from ticreg_schemas.application import Application, ChangeApplication
from ticreg_schemas.center import Center

from .engine import Checked, RegistryContext
from .errors import MissingCalendarYear, RegistryHasErrors
from .process.calendar import CALENDAR_DIR, expected_years
from .process.evaluation import DueDate, evaluation_status
from .process.publicity import publicity_window
from .process.replay import final_state, replay_application, replay_center
from .process.transition import transition_due
from .registry_files import display_path

PUBLICITY = "publicity"
CERTIFICATION = "certification"
EVALUATION = "evaluation"
RECTIFICATION = "rectification"
CALENDAR = "calendar"
TRANSITION = "transition"
KINDS = (CALENDAR, PUBLICITY, CERTIFICATION, EVALUATION, RECTIFICATION, TRANSITION)
KIND_LABELS = {
    PUBLICITY: "公示",
    CERTIFICATION: "认定",
    EVALUATION: "评估",
    RECTIFICATION: "整改",
    CALENDAR: "节假日安排",
    TRANSITION: "过渡",
}
# How a priority item (Art. 16) is marked in text, the tracking issue and the calendar.
PRIORITY_MARK = "〔优先支持〕"

UPCOMING = "upcoming"
DUE = "due"
OVERDUE = "overdue"
STATUSES = (UPCOMING, DUE, OVERDUE)

# The findings a missing calendar year causes (F805 a window, F823 a
# certification and F824 an objection that cannot be checked): here a
# calendar item says the same, naming what needs the year, and everything
# else is still listed.
_MISSING_CALENDAR_RULES = ("F805", "F823", "F824")

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
    nominal_date: dt.date | None = None  # set when Civil Code Art. 203 moved `date` off a rest day
    priority: bool = False  # Art. 16: a converting municipal engineering research center

    @property
    def uid(self) -> str:
        """Stable across runs and as-of dates: record, kind and cycle, never a date."""
        cycle = f".cycle{self.cycle}" if self.cycle is not None else ""
        return f"{self.kind}.{self.record}{cycle}@{ICS_UID_DOMAIN}"

    def as_dict(self) -> dict[str, str | int]:
        shown: dict[str, str | int] = {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "record": self.record,
            "path": self.path,
            "title": self.title,
            "status": self.status,
            "days": self.days,
            "priority": self.priority,
        }
        if self.nominal_date is not None:
            shown["nominal_date"] = self.nominal_date.isoformat()
        return shown


# --- collecting ------------------------------------------------------------------


def collect(root: Path, cwd: Path, as_of: dt.date) -> list[Deadline]:
    """Every deadline in the registry at ``root`` as of ``as_of``, sorted by date.

    Raises RegistryHasErrors when the registry has errors (``ticreg validate``
    shows them); a missing calendar year is an item, never an error here.
    """
    from .validate import registry_context

    # Judged without a "today": dates after as_of are simply not read here.
    ctx, outcome = registry_context(root, cwd, today=None)
    errors = [f for f in outcome.findings if f.severity == "error" and f.rule not in _MISSING_CALENDAR_RULES]
    if ctx is None or errors:
        raise RegistryHasErrors.counted(display_path(root, cwd), len(errors) or 1, "无法可靠地列出办理期限")
    return deadlines(ctx, as_of, calendar_dir=display_path(root / CALENDAR_DIR, cwd))


def deadlines(ctx: RegistryContext, as_of: dt.date, *, calendar_dir: str = f"registry/{CALENDAR_DIR}") -> list[Deadline]:
    """The deadlines of a validated registry Context (see ticreg.validate.registry_context)."""
    items: list[Deadline] = []
    needs = _CalendarNeeds()
    for record in ctx.records:
        model = record.model
        if isinstance(model, Center):
            items.extend(_center_items(Checked(record, model), ctx, as_of, needs))
            items.extend(_transition_items(Checked(record, model), ctx, as_of))
        elif isinstance(model, Application):
            items.extend(_application_items(Checked(record, model), ctx, as_of, needs))
    items.extend(_calendar_items(ctx, as_of, needs, calendar_dir))
    return sorted(items, key=lambda d: (d.date, KINDS.index(d.kind), d.record, d.cycle or 0))


@dataclass
class _CalendarNeeds:
    """The missing calendar years the listed items need, and what needs each."""

    by_year: dict[int, list[str]] = field(default_factory=dict)

    def add(self, year: int, what: str) -> None:
        self.by_year.setdefault(year, []).append(what)


def _calendar_items(ctx: RegistryContext, as_of: dt.date, needs: _CalendarNeeds, calendar_dir: str) -> list[Deadline]:
    """One item per missing year: those the items need, this year and (after the reminder day) next year."""
    expected = set(expected_years(ctx.policy.calendar, as_of))
    missing = sorted((set(needs.by_year) | expected) - set(ctx.calendar.years))
    items = []
    for year in missing:
        path = f"{calendar_dir}/{year}.yml"
        needed_by = needs.by_year.get(year)
        if needed_by:
            title = (f"缺少 {year} 年的节假日安排（用于：{'；'.join(needed_by)}）："
                     f"请按国务院办公厅当年的通知添加 {path}")
        else:
            title = f"尚无 {year} 年的节假日安排：国务院办公厅的通知发布后，请照录为 {path}"
        first_day = dt.date(year, 1, 1)
        days = (first_day - as_of).days
        items.append(Deadline(CALENDAR, first_day, str(year), path, title, _status(days), days))
    return items


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
                       needs: _CalendarNeeds) -> list[Deadline]:
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
        needs.add(missing.year, f"{model.id} 的公示期（{_zh(published)}发布）")
        return []
    name = model.proposed_name
    priority = getattr(model, "municipal_erc_conversion", None) is not None
    if state == "objection-pending":
        assert objection is not None  # a replayed objection-pending state follows an objection-raised step
        days = (window.end - as_of).days
        title = f"{name} 公示期截止，{_zh(objection)}收到的异议待处理"
        return [Deadline(PUBLICITY, window.end, model.id, record.path, title, _status(days), days, priority=priority)]
    if as_of < window.certifiable_from:
        days = (window.end - as_of).days
        title = f"{name} 公示期截止"
        status = UPCOMING if days > 0 else DUE
        return [Deadline(PUBLICITY, window.end, model.id, record.path, title, status, days, priority=priority)]
    days = (window.certifiable_from - as_of).days
    # The grace runs from when certification became possible: the first
    # certifiable day, or the dismissal of an objection if that came later.
    ready = max(window.certifiable_from, dismissed or window.certifiable_from)
    status = DUE if (as_of - ready).days <= ctx.policy.publicity.decision_reminder_days else OVERDUE
    title = f"{name} 公示期满，可下达认定文件"
    return [Deadline(CERTIFICATION, window.certifiable_from, model.id, record.path, title, status, days,
                     priority=priority)]


def _due(due: DueDate, record_id: str, what: str, needs: _CalendarNeeds) -> tuple[dt.date, dt.date | None, str]:
    """The day still on time, the written day when they differ, and the words for it."""
    if due.missing_year is not None:
        needs.add(due.missing_year, f"{record_id} 的{what}是否逢法定休假日顺延")
    if due.moved and due.effective is not None:
        return due.effective, due.nominal, f"（{_zh(due.nominal)}为法定休假日，顺延至{_zh(due.effective)}）"
    return due.on_time_until, None, ""


def _center_items(record: Checked[Center], ctx: RegistryContext, as_of: dt.date, needs: _CalendarNeeds) -> list[Deadline]:
    model = _as_of(record.model, as_of)
    if final_state(replay_center(model)) in ("revoked", "revocation-decided", "new"):
        return []
    status = evaluation_status(model, ctx.policy.evaluation.cycle_years, ctx.calendar)
    if status is None or status.next_due is None:
        return []
    items = []
    # Listed by the day still on time, which is never earlier than the written day.
    if (status.next_due.on_time_until - as_of).days <= ctx.policy.evaluation.due_soon_days:
        date, nominal, moved = _due(status.next_due, model.id, "评估期限", needs)
        days = (date - as_of).days
        title = f"{model.name} 第{status.next_cycle}个周期绩效评估到期{moved}"
        items.append(Deadline(EVALUATION, date, model.id, record.path, title, _status(days), days,
                              status.next_cycle, nominal))
    if status.rectification is not None:
        date, nominal, moved = _due(status.rectification, model.id, "整改期限", needs)
        days = (date - as_of).days
        title = f"{model.name} 整改期限届满，应复评{moved}"
        items.append(Deadline(RECTIFICATION, date, model.id, record.path, title, _status(days), days,
                              status.rectification_cycle, nominal))
    return items


def _transition_items(record: Checked[Center], ctx: RegistryContext, as_of: dt.date) -> list[Deadline]:
    """An Art. 10 transition whose day has come (only when policy sets a period)."""
    model = _as_of(record.model, as_of)
    if final_state(replay_center(model)) in ("revoked", "revocation-decided", "new"):
        return []
    due = transition_due(model, ctx.policy, as_of)
    if due is None or due > as_of:
        return []
    days = (due - as_of).days
    title = f"{model.name} 应完成向独立法人实体过渡（第十条）"
    return [Deadline(TRANSITION, due, model.id, record.path, title, _status(days), days)]


# --- output ----------------------------------------------------------------------


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _when(item: Deadline) -> str:
    if item.kind == CALENDAR:
        return f"{item.days} 天后开始需要" if item.days > 0 else "今天起需要" if item.days == 0 else f"已缺少 {-item.days} 天"
    if item.kind == CERTIFICATION:
        if item.days == 0:
            return "今天起可认定"
        return f"已可认定 {-item.days} 天" + ("，仍未认定" if item.status == OVERDUE else "")
    if item.days > 0:
        return f"还有 {item.days} 天"
    if item.days == 0:
        return "今天到期"
    return f"已逾期 {-item.days} 天"


def _priority(item: Deadline) -> str:
    return PRIORITY_MARK if item.priority else ""


def as_text(items: list[Deadline], as_of: dt.date) -> str:
    if not items:
        return f"截至{_zh(as_of)}，没有需要办理的期限事项。\n"
    lines = [f"截至{_zh(as_of)}，共 {len(items)} 项办理期限（按日期排序）："]
    for item in items:
        lines.append(
            f"{_zh(item.date)}〔{KIND_LABELS[item.kind]}〕{_priority(item)}{item.title}（{_when(item)}）"
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
            f"SUMMARY:{ics_escape(_priority(item) + item.title)}",
            f"DESCRIPTION:{ics_escape(description)}",
            f"CATEGORIES:{ics_escape(KIND_LABELS[item.kind])}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
