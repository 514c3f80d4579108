"""Articles 9, 14, 15, 16: every history follows the state machine.

The table itself is ``ticreg.process.machine``; these checks replay each
history through it and judge dates against the calendar and "today".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ticreg_schemas.application import Application, ApplicationEvent
from ticreg_schemas.center import Center, CenterEvent
from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS, REVIEW_STAGES

from ...process.calendar import MissingCalendarYear
from ...process.evaluation import DueDate, EvaluationStatus, evaluation_status
from ...process.machine import (
    APPLICATION_STATES,
    CENTER_STATES,
    allowed_application_events,
    allowed_center_events,
    expected_stage,
)
from ...process.publicity import publicity_window
from ...process.replay import Step, replay_application, replay_center
from ...engine import RegistryContext
from ...catalog import Hit, hit, rule

_9 = "第九条"


def _steps(model: Application, ctx: RegistryContext) -> list[Step[ApplicationEvent]]:
    """The replayed history, shared by every check of this module."""
    key = ("steps", id(model))
    if key not in ctx.derived:
        ctx.derived[key] = list(replay_application(model))
    steps: list[Step[ApplicationEvent]] = ctx.derived[key]
    return steps


def _label(model: Application | Center, event_name: str) -> str:
    table = CENTER_EVENTS if isinstance(model, Center) else APPLICATION_EVENTS
    return f"{event_name}（{table[event_name].label}）"


def _illegal(model: Application | Center, step: Step[ApplicationEvent] | Step[CenterEvent], allowed: list[str],
             states: dict[str, str]) -> Hit:
    return hit(
        ("history", step.index, "event"),
        actual=_label(model, step.event.event),
        other=states[step.before],
        expected=allowed or "（已办结，不能再记录事件）",
    )


@rule("F801", group="history", severity="error", article="第九条、第十四条、第十五条、第十六条", scope=("application", "center"),
      title="事件顺序不合法",
      template="{field}：当前状态为“{other}”，不能记录“{actual}”；此时可记录：{expected}")
def legal_order(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """办理记录必须按法定程序逐步推进：第九条一般程序为单位申报、组织管理部门审核、市科技局复核、
    实地考察、专家评审、局党组会议研究、公示、认定；第十六条直接认定不经实地考察和专家评审；
    第十五条变更申请经组织管理部门审核后由市科技局批准。任何审核环节可以不予通过，申报单位可在
    办结前撤回。中心认定后按第十四条评估（保留、整改、撤销），撤销后不再有其他事件。
    完整的状态表见“办理流程”图。"""
    if isinstance(model, Center):
        for center_step in replay_center(model):
            if center_step.transition is None:
                yield _illegal(model, center_step, allowed_center_events(center_step.before), CENTER_STATES)
        return
    for step in _steps(model, ctx):
        if step.transition is not None:
            continue
        event = step.event
        if event.event == "rejected" and expected_stage(step.before, model.kind):
            continue  # a rejection at a possible moment: F806 (wrong stage) or H701 (none)
        if event.event == "certified" and step.before == "objection-pending":
            continue  # F807 says it better
        yield _illegal(model, step, allowed_application_events(step.before, model.kind), APPLICATION_STATES)


@rule("F802", group="history", severity="error", article=_9, scope=("application", "center"), title="日期倒序",
      template="{field}：日期 {actual} 早于前一条记录的日期 {expected}；记录须按时间顺序追加")
def dates_never_decrease(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """办理记录的日期不能早于前一条记录（同一天可以有多条）。"""
    history: Sequence[ApplicationEvent | CenterEvent] = model.history
    for i in range(1, len(history)):
        before, current = history[i - 1].date, history[i].date
        if current < before:
            yield hit(("history", i, "date"), actual=current.isoformat(), expected=before.isoformat())


@rule("F803", group="history", severity="error", article=_9, scope=("application", "center"), title="日期晚于今天",
      template="{field}：日期 {actual} 晚于今天（北京时间 {expected}）；不能预先记录尚未发生的事件")
def no_future_events(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """不能记录尚未发生的事件。“今天”按北京时间（Asia/Shanghai）计算，而不是运行机器的本地日期：
    持续集成在 UTC 时区运行，北京时间8点前 UTC 日期还是前一天。"""
    if ctx.today is None:
        return
    history: Sequence[ApplicationEvent | CenterEvent] = model.history
    for i, event in enumerate(history):
        if event.date > ctx.today:
            yield hit(("history", i, "date"), actual=event.date.isoformat(), expected=ctx.today.isoformat())


def _windows(
    model: Application, ctx: RegistryContext
) -> Iterator[tuple[Step[ApplicationEvent], Step[ApplicationEvent]]]:
    """(publicity step, certification step) pairs of an application."""
    published = None
    for step in _steps(model, ctx):
        if step.event.event == "publicity-started" and step.transition is not None:
            published = step
        elif step.event.event == "certified" and published is not None:
            yield published, step


@rule("F804", group="history", severity="error", article=_9, scope="application", title="公示期未满即认定",
      template="{field}：认定日期 {actual} 早于可认定日期 {expected}（公示自 {other}）")
def certified_after_publicity(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """公示时间为5个工作日，公示期内无异议的才下达认定文件。公示自发布日起算（发布日不是工作日的，
    自下一个工作日起算），到第5个工作日截止，认定日期最早为截止日的次日。工作日按
    registry/calendar/ 中国务院办公厅的节假日安排计算；公示天数与起算规则见 policy.yml 的 publicity。"""
    for published, certified in _windows(model, ctx):
        try:
            window = publicity_window(published.event.date, ctx.policy.publicity, ctx.calendar)
        except MissingCalendarYear:
            continue  # F805 reports the missing year
        if certified.event.date < window.certifiable_from:
            yield hit(
                ("history", certified.index, "date"),
                actual=certified.event.date.isoformat(),
                expected=window.certifiable_from.isoformat(),
                other=f"{window.start.isoformat()}至{window.end.isoformat()}",
            )


@rule("F805", group="history", severity="warning", article=_9, scope="application", title="缺少节假日安排",
      template="{field}：无法计算公示期，缺少 {actual} 年的节假日安排；请添加 {expected}")
def calendar_year_present(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """计算公示期需要当年的节假日安排（registry/calendar/<年份>.yml）。登记册不猜测任何一年的
    安排：缺少时给出警告，请按国务院办公厅当年的通知添加该文件。公示已经发布，仍可照实记录；
    但在能够算出公示期之前不能认定（F823）。"""
    for step in _steps(model, ctx):
        if step.event.event == "publicity-started" and step.transition is not None:
            try:
                publicity_window(step.event.date, ctx.policy.publicity, ctx.calendar)
            except MissingCalendarYear as missing:
                yield hit(("history", step.index, "date"), actual=missing.year,
                          expected=f"registry/calendar/{missing.year}.yml")


@rule("F806", group="history", severity="error", article=_9, scope="application", title="不予通过的环节不符",
      template="{field}：此时待进行的是“{expected}”，不予通过的环节 stage 写的是“{actual}”")
def rejection_stage(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """不予通过（rejected）须写明在哪个审核环节作出：它必须是当时正待进行的环节，例如组织管理部门
    审核通过后、市科技局复核之前，只能是 bureau-recheck（市科技局复核）。"""
    for step in _steps(model, ctx):
        if step.event.event == "rejected" and step.transition is None and step.event.stage is not None:
            stage = expected_stage(step.before, model.kind)
            if stage is not None:
                yield hit(("history", step.index, "stage"), actual=step.event.stage or "（未填写）",
                          expected=f"{stage}（{REVIEW_STAGES[stage]}）")


@rule("F807", group="history", severity="error", article=_9, scope="application", title="异议未处理即认定",
      template="{field}：公示期内的异议尚未处理，不能认定；应先记录 {expected}")
def no_certification_over_objection(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """公示期内有异议的，须先作出处理：异议成立（objection-upheld）则不予认定，异议不成立
    （objection-dismissed）则继续公示程序。异议未处理前不能认定。"""
    for step in _steps(model, ctx):
        if step.event.event == "certified" and step.before == "objection-pending":
            yield hit(("history", step.index, "event"),
                      expected=["objection-dismissed（异议不成立）", "objection-upheld（异议成立）"])


def _on_time_until(due: DueDate) -> str:
    """The last day still on time, and why when Civil Code Art. 203 moved it."""
    if due.moved and due.effective is not None:
        return f"{due.effective.isoformat()}（原定的 {due.nominal.isoformat()} 是法定休假日，依《民法典》第二百零三条顺延）"
    return due.nominal.isoformat()


def _status(model: Center, ctx: RegistryContext) -> EvaluationStatus | None:
    key = ("evaluation", id(model))
    if key not in ctx.derived:
        ctx.derived[key] = evaluation_status(model, ctx.policy.evaluation.cycle_years, ctx.calendar)
    status: EvaluationStatus | None = ctx.derived[key]
    return status


@rule("F810", group="history", severity="warning", article="第十四条", scope="center", title="绩效评估逾期",
      template="{field}：第 {other} 个周期绩效评估的期限是 {expected}，当日完成仍不逾期；今天（{actual}）已逾期")
def evaluation_overdue(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """中心认定后以三年为周期定期绩效评估，周期一律从认定日期起算：第 k 个周期的评估期限是认定日期后
    3k 年的对应日（《民法典》第二百零二条：没有对应日的，为该月最后一日）；期限的最后一日是法定休假日的，
    顺延至休假日结束的次日（第二百零三条，按 registry/calendar/ 的节假日安排），顺延后的这一天完成评估仍不逾期。
    一次评估属于期限离它最近的那个周期：提前或推迟进行的评估，完成的都是它所属的周期，下一个周期仍从认定日期起算，
    不因评估的日期而推后；离认定日期比离第一个期限更近的评估不完成任何周期。整改后的复评不开始新周期。
    已撤销的中心不再评估。周期年数见 policy.yml 的 evaluation.cycle_years。"""
    status = _status(model, ctx)
    if ctx.today is not None and status is not None and status.next_due is not None and status.evaluation_overdue(ctx.today):
        yield hit(("history",), expected=_on_time_until(status.next_due), actual=ctx.today.isoformat(),
                  other=status.next_cycle)


@rule("F811", group="history", severity="warning", article="第十四条", scope="center", title="整改期满未复评",
      template="{field}：整改期限是 {expected}，当日复评仍不逾期；今天（{actual}）已过，尚未记录复评结论")
def rectification_overdue(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """评估结论为整改的，整改期满后应再次评估并记录结论（保留、继续整改或撤销）。整改期限的最后一日是法定休假日的，
    顺延至休假日结束的次日（《民法典》第二百零三条）。"""
    status = _status(model, ctx)
    if ctx.today is not None and status is not None and status.rectification is not None \
            and status.rectification_overdue(ctx.today):
        yield hit(("history",), expected=_on_time_until(status.rectification), actual=ctx.today.isoformat())
