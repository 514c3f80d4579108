"""Family D: what a record states must be possible.

D301 the provincial platform a direct certification rests on (Art. 16) was
certified before the application; D302 a change application (Art. 15) asks
for a change; D303 nothing a record states happened after today; D304, D305
a converting municipal engineering research center (Art. 16) cites a valid,
earlier certification; D306 no application predates the measures (Art. 17).
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from functools import lru_cache
from collections.abc import Iterator

from pydantic import BaseModel

from ticreg_schemas.application import Application, ChangeApplication, DirectCertificationApplication
from ticreg_schemas.center import Center

from ..engine import RegistryContext
from ..catalog import Hit, Where, hit, rule

# A field whose JSON Schema carries this may hold a future date by nature.
FUTURE_ALLOWED = "x-future-allowed"


def _holds_dates(annotation: object, seen: frozenset[type[BaseModel]] = frozenset()) -> bool:
    if annotation is dt.date or annotation is dt.datetime:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation not in seen and bool(_dated_names(annotation, seen | {annotation}))
    return any(_holds_dates(arg, seen) for arg in typing.get_args(annotation))


@lru_cache(maxsize=None)
def _dated_names(model: type[BaseModel], seen: frozenset[type[BaseModel]] = frozenset()) -> tuple[str, ...]:
    """The fields of ``model`` that may hold a date, directly or inside (the
    walk below visits only these: a record has hundreds of other values)."""
    names = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(FUTURE_ALLOWED):
            continue
        if _holds_dates(info.annotation, seen):
            names.append(name)
    return tuple(names)


def dated_fields(model: BaseModel) -> Iterator[tuple[Where, dt.date]]:
    """Every date anywhere in ``model`` with where it is, except fields marked
    future-allowed; iterative, in field order."""
    stack: list[tuple[Where, object]] = [((), model)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, BaseModel):
            children = [((*where, name), getattr(node, name)) for name in _dated_names(type(node))]
        elif isinstance(node, (list, tuple)):
            children = [((*where, i), item) for i, item in enumerate(node)]
        else:
            if isinstance(node, dt.date):
                yield where, node
            continue
        stack.extend(reversed(children))


def _is_event_date(where: Where) -> bool:
    return len(where) == 3 and where[0] == "history" and where[2] == "date"


@rule("D303", severity="error", article="登记册数据规范", scope=("application", "center"),
      title="日期晚于今天",
      template="{field}：日期 {actual} 晚于今天（北京时间 {expected}）；记录的只能是已经发生的事")
def no_future_dates(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """申报与中心文件中记录的日期（知识产权的授权日期、省级以上平台的认定日期等）都是已经发生的事，
    不能晚于今天（北京时间；ticreg validate --today 可指定）。例如授权日期写成 9999-12-31 即报错。
    办理记录本身的日期 history[].date 由 F803 检查。本来就在将来的日期不在此列：
    评估结论为整改时的整改期限 rectification_deadline（第十四条，评估时定下的将来的截止日）。
    模型中这类字段标有 x-future-allowed，新增此类字段时在模型中标注即可。"""
    if ctx.today is None:
        return
    for where, value in dated_fields(model):
        if value > ctx.today and not _is_event_date(where):
            yield hit(where, actual=value.isoformat(), expected=ctx.today.isoformat())


@rule("D301", severity="error", article="第十六条", scope="application",
      title="直接认定的平台认定晚于申报",
      template="省级以上平台的认定日期 {actual} 晚于申报日期 {expected}；直接认定须以已经取得的认定为依据")
def platform_before_submission(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """直接认定的前提是“已认定为”省级以上重点实验室或工程技术研究中心：provincial_platform 的
    认定日期不能晚于本申报的第一条办理记录（单位申报）的日期。平台类型与级别须来自 policy.yml 的
    direct_certification 清单。"""
    if isinstance(model, DirectCertificationApplication):
        submitted = model.history[0].date
        if model.provincial_platform.certified_on > submitted:
            yield hit(
                ("provincial_platform", "certified_on"),
                actual=model.provincial_platform.certified_on.isoformat(),
                expected=submitted.isoformat(),
            )


@rule("D302", severity="error", article="第十五条", scope="application",
      title="变更申请没有变更内容",
      template="变更申请须至少填写一项变更内容：{expected}")
def change_has_content(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """更名、变更主要研究方向或调整重组，requested_change 中至少填写 new_name、
    new_research_directions、restructuring 之一。"""
    if isinstance(model, ChangeApplication):
        change = model.requested_change
        if change.new_name is None and change.new_research_directions is None and change.restructuring is None:
            yield hit(("requested_change",), expected=["new_name", "new_research_directions", "restructuring"])


def _submitted_on(model: Application) -> dt.date:
    return model.history[0].date


@rule("D304", severity="error", article="第十六条", scope="application",
      title="转建的市级工程技术研究中心认定文号不符",
      template="{field}“{actual}”：{expected}")
def conversion_document(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """由市级工程技术研究中心转建、列为优先支持的申报，须写明该中心的认定文号
    municipal_erc_conversion.document_number：格式符合 policy.yml 的
    direct_certification.municipal_document_pattern（如“晋市科发〔2019〕15号”），文号中的年份与
    认定日期 certified_on 同年。"""
    conversion = getattr(model, "municipal_erc_conversion", None)
    if conversion is None:
        return
    where = ("municipal_erc_conversion", "document_number")
    match = re.fullmatch(ctx.policy.direct_certification.municipal_document_pattern, conversion.document_number)
    if match is None:
        yield hit(where, actual=conversion.document_number,
                  expected="不符合市科技局认定文号的格式（policy.yml 的 municipal_document_pattern），如“晋市科发〔2019〕15号”")
    elif match.group("year") != str(conversion.certified_on.year):
        yield hit(where, actual=conversion.document_number,
                  expected=f"文号年份 {match.group('year')} 与认定日期 {conversion.certified_on.isoformat()} 不同年")


@rule("D305", severity="error", article="第十六条", scope="application",
      title="转建的市级工程技术研究中心认定晚于申报",
      template="转建的市级工程技术研究中心认定日期 {actual} 晚于申报日期 {expected}；转建须以已经取得的认定为依据")
def conversion_before_submission(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """第十六条优先支持的是“符合条件的市级工程技术研究中心”转建：municipal_erc_conversion 的
    认定日期 certified_on 不能晚于本申报的第一条办理记录（单位申报）的日期。"""
    conversion = getattr(model, "municipal_erc_conversion", None)
    if conversion is not None and conversion.certified_on > _submitted_on(model):
        yield hit(("municipal_erc_conversion", "certified_on"),
                  actual=conversion.certified_on.isoformat(), expected=_submitted_on(model).isoformat())


@rule("D306", severity="error", article="第十七条", scope="application", title="申报早于办法施行",
      template="{field}：申报日期 {actual} 早于办法施行日期 {expected}")
def submitted_after_in_force(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """第十七条：办法自印发之日起施行。policy.yml 的 measures.in_force_from 填写了施行日期后，
    每项申报的第一条办理记录（单位申报）不能早于这一天；未填写时不检查。"""
    in_force = ctx.policy.measures.in_force_from
    if in_force is not None and _submitted_on(model) < in_force:
        yield hit(("history", 0, "date"), actual=_submitted_on(model).isoformat(), expected=in_force.isoformat())
