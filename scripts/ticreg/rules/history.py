"""Family H: the shape of history events, each kind with the fields it needs.

Which event may follow which is the process engine's table (family F); here
each event is checked on its own. All are in group "history", the rules
``ticreg record`` runs on the record it appends to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ticreg_schemas.application import Application, ApplicationEvent
from ticreg_schemas.center import Center, CenterEvent
from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS

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
