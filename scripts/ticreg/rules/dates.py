"""Dates in a record: nothing it records can have happened after today (D303)."""

from __future__ import annotations

import datetime as dt
import typing
from functools import lru_cache
from typing import Iterator

from pydantic import BaseModel

from ..engine import RegistryContext
from ..catalog import Hit, hit, rule

# A field whose JSON Schema carries this may hold a future date by nature.
FUTURE_ALLOWED = "x-future-allowed"


def _holds_dates(annotation: object, seen: frozenset = frozenset()) -> bool:
    if annotation is dt.date or annotation is dt.datetime:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation not in seen and bool(_dated_names(annotation, seen | {annotation}))
    return any(_holds_dates(arg, seen) for arg in typing.get_args(annotation))


@lru_cache(maxsize=None)
def _dated_names(model: type[BaseModel], seen: frozenset = frozenset()) -> tuple[str, ...]:
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


def dated_fields(model: BaseModel) -> Iterator[tuple[tuple, dt.date]]:
    """Every date anywhere in ``model`` with where it is, except fields marked
    future-allowed; iterative, in field order."""
    stack: list[tuple[tuple, object]] = [((), model)]
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


def _is_event_date(where: tuple) -> bool:
    return len(where) == 3 and where[0] == "history" and where[2] == "date"


@rule("D303", severity="error", article="登记册数据规范", scope=("application", "center"),
      title="日期晚于今天",
      template="{field}：日期 {actual} 晚于今天（北京时间 {expected}）；记录的只能是已经发生的事")
def no_future_dates(model, ctx: RegistryContext) -> Iterator[Hit]:
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
