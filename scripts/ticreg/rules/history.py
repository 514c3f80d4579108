"""Family H: the shape of history events, each kind with the fields it needs.

Which event may follow which is the process engine's table (family F); here
each event is checked on its own. All are in group "history", the rules
``ticreg record`` runs on the record it appends to.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence

from ticreg_schemas.application import Application, ApplicationEvent
from ticreg_schemas.center import Center, CenterEvent
from ticreg_schemas.events import (
    APPLICATION_EVENTS,
    CENTER_EVENTS,
    EVIDENCE_FIELDS,
    REVIEW_STAGES,
    STAGE_EVIDENCE,
    STAGE_PASSED_BY,
)

from ..engine import RegistryContext
from ..catalog import Hit, hit, rule

_ALWAYS = frozenset({"date", "event", "note"})


@rule("H701", group="history", severity="error", article="第九条、第十四条、第十五条", scope=("application", "center"),
      title="办理记录缺少或多出字段",
      template="{field}：“{actual}”事件{expected}")
def event_fields(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """每种事件有规定的字段：例如认定（certified）须有文号 document_number 和中心代号，
    未予通过（rejected）须有审核环节 stage 和理由 reason，评估（evaluated）须有评估结论 outcome。
    与该事件无关的字段也不允许填写，以免误以为已经记录。"""
    table = CENTER_EVENTS if isinstance(model, Center) else APPLICATION_EVENTS
    events: Sequence[ApplicationEvent | CenterEvent] = model.history
    for i, event in enumerate(events):
        spec = table[event.event]
        filled = {name for name in event.model_fields_set if getattr(event, name) is not None}
        for name in sorted(spec.required - filled):
            yield hit(("history", i), actual=event.event, expected=f"须填写 {name}")
        for name in sorted(filled - spec.required - spec.optional - _ALWAYS):
            yield hit(("history", i, name), at_key=True, actual=event.event, expected=f"不应填写 {name}")


@rule("H702", group="history", severity="error", article="第十四条", scope="center",
      title="整改结论缺少整改期限",
      template="{field}：评估结论为整改时须填写整改期限 rectification_deadline，且应晚于评估日期 {expected}；实际为 {actual}")
def rectification_deadline(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """评估结论为整改（rectify）的，须写明整改期限，期满后再次评估；期限应晚于评估日期。"""
    for i, event in enumerate(model.history):
        if event.event == "evaluated" and event.outcome == "rectify":
            deadline = event.rectification_deadline
            if deadline is None:
                yield hit(("history", i), expected=event.date.isoformat(), actual="（未填写）")
            elif deadline <= event.date:
                yield hit(("history", i, "rectification_deadline"), expected=event.date.isoformat(),
                          actual=deadline.isoformat())


@rule("H703", group="history", severity="error", article="第九条、登记册数据规范", scope="application",
      title="更正事件列出的字段无效",
      template="{field}：更正（amended）的 fields 中“{actual}”{expected}")
def amended_fields_name_profile_fields(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """更正（amended）事件用 fields 列出本次修改的申报字段（顶层字段名，如 rd_equipment_value_yuan）。
    每一项都须是这类申报确有的字段，不能重复，也不能是 policy.yml 中
    profile_changes.application_fixed_fields 列出的字段（代号、申报类型、组织管理部门、办理记录）：
    这些字段任何时候都不能更正。fields 须至少列出一项。"""
    if not hasattr(model, "history"):
        return
    fixed = set(ctx.policy.profile_changes.application_fixed_fields)
    known = set(type(model).model_fields)
    for i, event in enumerate(model.history):
        if event.event != "amended" or event.fields is None:
            continue
        if not event.fields:
            yield hit(("history", i, "fields"), actual="（空）", expected="：须至少列出一个修改的字段")
        seen: set[str] = set()
        for j, name in enumerate(event.fields):
            where = ("history", i, "fields", j)
            if name in seen:
                yield hit(where, actual=name, expected="重复列出")
            elif name in fixed:
                yield hit(where, actual=name, expected="不能更正（policy.yml 的 application_fixed_fields）")
            elif name not in known:
                yield hit(where, actual=name, expected=f"不是{_kind_label(model)}的字段")
            seen.add(name)


def _kind_label(model: Application) -> str:
    kind = getattr(model, "kind", None)
    return f"“{kind}”类申报" if isinstance(kind, str) else "申报"


# --- What each Art. 9 stage leaves behind (events.STAGE_EVIDENCE) ---------------------

_STAGE_OF_PASS = {event: stage for stage, event in STAGE_PASSED_BY.items()}


def _stage_of(event: ApplicationEvent) -> str | None:
    """The review stage an event records: its own (a pass) or the one it rejects at."""
    if event.event == "rejected":
        return str(event.stage) if event.stage is not None else None
    return _STAGE_OF_PASS.get(event.event)


def _filled(event: ApplicationEvent, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if getattr(event, name, None) is not None]


@rule("H704", group="history", severity="error", article="第九条", scope="application",
      title="未予通过的记录所附材料与环节不符",
      template="{field}：未予通过的环节为“{actual}”，{expected}")
def rejection_evidence_fits_stage(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """未予通过（rejected）的记录可以附上该环节留下的材料，与该环节通过时的记录相同：组织管理部门审核
    为审核部门 reviewed_by；市科技局复核、实地考察为经办人员 bureau_staff、会同部门 joint_departments
    和结论 conclusion；专家评审为专家组人数 panel_size、结论 conclusion 和得分 score；局党组会议为会议
    名称 session。附上的材料须属于 stage 所写的环节，公示、变更审核没有这类材料。"""
    for i, event in enumerate(model.history):
        if event.event != "rejected" or event.stage is None:
            continue
        allowed = STAGE_EVIDENCE.get(event.stage, ())
        for name in _filled(event, EVIDENCE_FIELDS):
            if name not in allowed:
                can = f"可附：{'、'.join(allowed)}" if allowed else "该环节没有可附的材料"
                yield hit(("history", i, name), at_key=True, actual=REVIEW_STAGES[event.stage],
                          expected=f"{name} 不属于该环节（{can}）")


@rule("H705", group="history", severity="error", article="第九条", scope="application",
      title="环节结论与事件不符",
      template="{field}：结论“{actual}”与“{other}”事件矛盾；{expected}")
def conclusion_matches_event(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """复核、实地考察、专家评审的结论 conclusion 须与事件一致：该环节的事件（bureau-rechecked、
    site-inspected、expert-reviewed）表示通过，结论只能是 passed；未通过的（not-passed）记为
    该环节的未予通过（rejected，stage 写该环节），流程就此办结，不能先记一个“未通过”的评审再继续。"""
    for i, event in enumerate(model.history):
        if event.conclusion is None:
            continue
        if event.event == "rejected" and event.conclusion != "not-passed":
            yield hit(("history", i, "conclusion"), actual=event.conclusion, other="rejected",
                      expected="未予通过的记录结论应为 not-passed（未通过）")
        elif event.event != "rejected" and event.conclusion != "passed":
            stage = _stage_of(event)
            yield hit(("history", i, "conclusion"), actual=event.conclusion, other=event.event,
                      expected=f"未通过应记为 rejected，stage: {stage}（该环节不予通过，办理结束）")


@rule("H706", group="history", severity="error", article="第九条", scope="application",
      title="专家组人数不符合规定",
      template="{field}：专家组人数为 {actual}，{expected}")
def expert_panel_size(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """专家评审的专家组人数 panel_size 须符合 policy.yml 的 stage_records：不少于
    expert_panel_min_size 人（含本数；留空不限），expert_panel_odd 为 true 时须为奇数，
    以便表决形成多数意见。专家姓名不记录、不公开。"""
    records = ctx.policy.stage_records
    for i, event in enumerate(model.history):
        size = event.panel_size
        if size is None:
            continue
        minimum = records.expert_panel_min_size
        if minimum is not None and size < minimum:
            yield hit(("history", i, "panel_size"), actual=size, expected=f"应不少于 {minimum} 人")
        elif records.expert_panel_odd and size % 2 == 0:
            yield hit(("history", i, "panel_size"), actual=size, expected="应为奇数")


@rule("H707", group="history", severity="error", article="第九条", scope="application",
      title="专家评审得分超出范围",
      template="{field}：得分 {actual} {expected}")
def expert_score_in_range(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """专家评审得分 score 须在 policy.yml 的 stage_records.expert_score_range 之内（最低分、最高分
    都含本数）；policy.yml 没有设定得分范围时不记录得分。"""
    bounds = ctx.policy.stage_records.expert_score_range
    for i, event in enumerate(model.history):
        score = event.score
        if score is None:
            continue
        if bounds is None:
            yield hit(("history", i, "score"), actual=_number(score),
                      expected="无法判断：policy.yml 的 stage_records 没有设定 expert_score_range，不记录得分")
        elif not bounds.min <= score <= bounds.max:
            yield hit(("history", i, "score"), actual=_number(score),
                      expected=f"超出范围：应在 {_number(bounds.min)} 至 {_number(bounds.max)} 之间（含本数）")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _year_mismatch(pattern: str, text: str, day: dt.date) -> str | None:
    """Why ``text`` is not a reference of ``pattern`` written in ``day``'s year; None when it is."""
    match = re.fullmatch(pattern, text)
    if match is None:
        return f"格式不符合 policy.yml 的规定（{pattern}）"
    if int(match.group("year")) != day.year:
        return f"其中的年份 {match.group('year')} 应与事件日期的年份 {day.year} 相同"
    return None


@rule("H708", group="history", severity="error", article="第九条", scope="application",
      title="审核文号格式不符",
      template="{field}：审核文号“{actual}”{expected}")
def department_document_number(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """组织管理部门审核通过（department-approved）的审核意见文号 document_number 须符合 policy.yml 的
    stage_records.department_document_pattern（如“泽科发〔2026〕30号”），文号中的年份与审核日期的年份相同。"""
    pattern = ctx.policy.stage_records.department_document_pattern
    for i, event in enumerate(model.history):
        if event.event == "department-approved" and event.document_number is not None:
            why = _year_mismatch(pattern, event.document_number, event.date)
            if why is not None:
                yield hit(("history", i, "document_number"), actual=event.document_number, expected=why)


@rule("H709", group="history", severity="error", article="第九条", scope="application",
      title="局党组会议名称格式不符",
      template="{field}：会议名称“{actual}”{expected}")
def meeting_session_reference(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """局党组会议研究的会议名称 session 须符合 policy.yml 的 stage_records.meeting_session_pattern
    （如“2026年第12次局党组会议”），其中的年份与会议日期（事件日期）的年份相同。"""
    pattern = ctx.policy.stage_records.meeting_session_pattern
    for i, event in enumerate(model.history):
        if event.session is not None:
            why = _year_mismatch(pattern, event.session, event.date)
            if why is not None:
                yield hit(("history", i, "session"), actual=event.session, expected=why)


@rule("H710", group="history", severity="error", article="第九条", scope="application",
      title="认定所依据的公示不符",
      template="{field}：认定所依据的公示网址“{actual}”{expected}")
def certification_follows_its_notice(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """认定（certified）可以写明所依据的公示 notice_url：须与本申报最近一次公示发布（publicity-started）
    记录的公示网址相同。认定只能在本申报的公示之后记录（F801）；写明网址，档案中就能从认定找到它所依据的公示。"""
    published: tuple[int, ApplicationEvent] | None = None
    for i, event in enumerate(model.history):
        if event.event == "publicity-started":
            published = (i, event)
        elif event.event == "certified" and event.notice_url is not None:
            expected = _notice_expected(published, event.notice_url)
            if expected is not None:
                yield hit(("history", i, "notice_url"), actual=event.notice_url, expected=expected)


def _notice_expected(published: tuple[int, ApplicationEvent] | None, url: str) -> str | None:
    if published is None:
        return "没有对应的公示：本申报没有公示发布（publicity-started）记录"
    index, notice = published
    if notice.notice_url is None:
        return f"没有对应的公示网址：本申报的公示发布记录 history[{index}] 没有填写 notice_url"
    if notice.notice_url != url:
        return f"与本申报的公示发布记录 history[{index}] 的“{notice.notice_url}”不同"
    return None
