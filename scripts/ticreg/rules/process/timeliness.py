"""Articles 9 and 14 in time: objections inside the window, a third-party evaluator,
and a calendar that is there when a date needs it.

    F820  an objection dated after the publicity window's last day
    F821  an evaluation with no third-party evaluator
    F822  the current or (from policy.calendar.reminder_from) next year has no calendar file
    F823  a certification whose publicity window cannot be computed (a calendar year is missing)
    F824  an objection that cannot be shown to be inside a window that cannot be computed

F805 (lifecycle.py) only warns about a publicity window that reaches a missing
year, so a publicity that did happen can always be recorded; F823 and F824
keep a certification, or an objection that may be late, from being recorded
before the window can be checked (history is append-only: a wrong event could
never be taken back).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

from ticreg_schemas.application import Application
from ticreg_schemas.calendar import CalendarYear
from ticreg_schemas.center import Center

from ...catalog import Hit, hit, rule
from ...engine import RegistryContext
from ...process.calendar import CALENDAR_DIR, MissingCalendarYear, expected_years
from ...process.publicity import publicity_window
from ...registry_files import Record
from .lifecycle import _steps, _windows

_9 = "第九条"
_14 = "第十四条"


def _objections(model: Application, ctx: RegistryContext) -> Iterator[tuple[int, dt.date, dt.date]]:
    """(index, objection date, publication date) of each objection raised in a publicity."""
    published = None
    for step in _steps(model, ctx):
        if step.event.event == "publicity-started" and step.transition is not None:
            published = step.event.date
        elif step.event.event == "objection-raised" and published is not None:
            yield step.index, step.event.date, published


@rule("F820", group="history", severity="error", article=_9, scope="application", title="公示期满后提出的异议",
      template="{field}：异议日期 {actual} 晚于公示期的最后一天 {expected}（公示期 {other}）；公示期满后提出的异议不予受理")
def objection_inside_window(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """公示期内对公示内容有异议的，可以提出；公示通知写明逾期提出的异议不予受理。所以记录的异议
    （objection-raised）日期不能晚于公示期的最后一天，最后一天当天提出的仍在期内。公示期按第九条与
    registry/calendar/ 的节假日安排计算（与 F804 相同）；无法计算时见 F824。"""
    for index, raised, published in _objections(model, ctx):
        try:
            window = publicity_window(published, ctx.policy.publicity, ctx.calendar)
        except MissingCalendarYear:
            continue  # F824 judges it with the days that are known
        if raised > window.end:
            yield hit(("history", index, "date"), actual=raised.isoformat(), expected=window.end.isoformat(),
                      other=f"{window.start.isoformat()}至{window.end.isoformat()}")


def _working_days_through(published: dt.date, last: dt.date, ctx: RegistryContext) -> int:
    """How many of the window's working days fall on or before ``last`` (MissingCalendarYear if it cannot tell)."""
    day = published if ctx.policy.publicity.start_rule == "publication-day-if-working-day" else published + dt.timedelta(days=1)
    count = 0
    while day <= last:
        count += 1 if ctx.calendar.is_working_day(day) else 0
        day += dt.timedelta(days=1)
    return count


@rule("F824", group="history", severity="error", article=_9, scope="application", title="无法核对异议是否在公示期内",
      template="{field}：公示期要用到 {actual} 年的节假日安排，无法核对 {other} 提出的异议是否在公示期内；请先添加 {expected}")
def objection_provably_inside(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """公示期跨入还没有节假日安排的年份时，公示期的最后一天尚不能确定。此时只有能确定仍在期内的异议
    （从起算日到异议日期，已知的工作日还不到公示的工作日数）才能记录；否则按错误报告，添加该年的
    registry/calendar/<年份>.yml 后即可核对（F820）。这样不会先记下一条日后才发现逾期、又无法删改的异议。"""
    for index, raised, published in _objections(model, ctx):
        try:
            publicity_window(published, ctx.policy.publicity, ctx.calendar)
            continue  # the window is known: F820 judges
        except MissingCalendarYear as missing:
            year = missing.year
        try:
            if _working_days_through(published, raised, ctx) <= ctx.policy.publicity.working_days:
                continue
        except MissingCalendarYear:
            pass
        yield hit(("history", index, "date"), actual=year, other=raised.isoformat(),
                  expected=f"registry/{CALENDAR_DIR}/{year}.yml")


@rule("F821", group="history", severity="error", article=_14, scope="center", title="评估未写明第三方评估机构",
      template="{field}：绩效评估由市科技局委托第三方进行，须写明受托的评估机构 evaluator")
def evaluation_has_evaluator(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """第十四条：市科技局委托第三方对中心进行绩效评估。每一条评估记录（evaluated，含整改后的复评）
    都须写明受托的第三方评估机构 evaluator（ticreg record 的 --evaluator）。"""
    for i, event in enumerate(model.history):
        if event.event == "evaluated" and not event.evaluator:
            yield hit(("history", i))


@rule("F823", group="history", severity="error", article=_9, scope="application", title="无法核对公示期即认定",
      template="{field}：无法核对认定是否在公示期满之后，缺少 {actual} 年的节假日安排；添加 {expected} 后才能记录认定")
def certification_window_known(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """认定须在公示期满之后（F804）。公示期要按节假日安排计算：公示期涉及的年份没有
    registry/calendar/<年份>.yml 时无法核对，认定按错误报告，添加该年的节假日安排后即可记录。
    公示本身照常记录（F805 只是提示）。"""
    for published, certified in _windows(model, ctx):
        try:
            publicity_window(published.event.date, ctx.policy.publicity, ctx.calendar)
        except MissingCalendarYear as missing:
            yield hit(("history", certified.index, "date"), actual=missing.year,
                      expected=f"registry/{CALENDAR_DIR}/{missing.year}.yml")


def _anchor(ctx: RegistryContext) -> tuple[Record | None, tuple[str, ...]]:
    """Where the reminder points: the newest calendar file's year (the one to copy), else policy.yml."""
    calendars = [(r.model.year, r) for r in ctx.records if isinstance(r.model, CalendarYear)]
    if calendars:
        return max(calendars, key=lambda pair: pair[0])[1], ("year",)
    policy = next((r for r in ctx.records if r.kind == "policy"), None)
    return policy, ("calendar",) if ctx.policy.calendar is not None else ()


@rule("F822", severity="warning", article="第九条、第十四条", scope="registry", title="节假日安排尚未添加",
      template="还没有 {actual} 年的节假日安排（今天 {other}）：国务院办公厅的通知发布后，请照录为 {expected}；不要推算")
def calendar_years_ahead(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """公示期（第九条）、评估与整改期限的顺延（《民法典》第二百零三条）都按 registry/calendar/ 中
    国务院办公厅每年的节假日安排计算。今年的安排缺少时给出警告；每年从 policy.yml 的
    calendar.reminder_from（月-日）起，下一年的安排仍未添加的，也给出警告，每日的期限跟踪议题
    同样提醒。警告指向最新一年的文件：复制它、照通知原文改写即可。登记册从不推算任何一年的安排。"""
    if ctx.today is None:
        return
    record, where = _anchor(ctx)
    if record is None:
        return
    for year in expected_years(ctx.policy.calendar, ctx.today):
        if not ctx.calendar.has_year(year):
            yield hit(where, path=record.path, actual=year, other=ctx.today.isoformat(),
                      expected=f"registry/{CALENDAR_DIR}/{year}.yml")
