"""Validate loaded data against a model; turn Pydantic errors into findings.

Each Pydantic error becomes a Chinese message at the position of the node it
concerns (a missing field: the mapping that lacks it; an unknown field: the
key itself), under one of the schema rules S101–S107 and S111.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ticreg_schemas.common import FIELD_NAME_PATTERN, IDENTIFIER_PATTERN, DecimalNumber, WholeNumber

from .findings import Finding
from .loader import locate
from .catalog import RULES, Where

# A Pydantic error (ErrorDetails) or its ctx, read by key.
ErrorFields = Mapping[str, Any]

_PATTERN_HINTS = {
    IDENTIFIER_PATTERN: "只能用小写字母、数字和连字符，且不以连字符开头或结尾",
    FIELD_NAME_PATTERN: "应为字段名：小写字母、数字和下划线，如 rd_equipment_value_yuan",
    "^https?://": "应为以 http:// 或 https:// 开头的网址",
    "^[0-9\\-+() ]{5,30}$": "应为电话号码（数字、空格、连字符、括号）",
    "^[^@\\s<>]+@": "应为电子邮箱地址",
    "^\\d{6}$": "应为6位数字",
    "^@": "应为以 @ 开头的账号",
}


def _pattern_hint(err: ErrorFields, ctx: ErrorFields) -> str:
    pattern = str(ctx.get("pattern", ""))
    for prefix, hint in _PATTERN_HINTS.items():
        if pattern.startswith(prefix):
            return hint
    return f"格式不符（应匹配 {pattern}）"


def _not_below(err: ErrorFields, ctx: ErrorFields) -> str:
    return f"不能小于 {ctx.get('ge', ctx.get('gt'))}"


def _not_above(err: ErrorFields, ctx: ErrorFields) -> str:
    return f"不能大于 {ctx.get('le', ctx.get('lt'))}"


def _fixed(text: str) -> Callable[[ErrorFields, ErrorFields], str]:
    """An explanation that needs nothing from the error."""
    return lambda err, ctx: text


_INTEGER = _fixed("应为整数，不带单位、小数点和千分位逗号，例如 3000000")
_NUMBER = _fixed("应为数字，不带单位，例如 520.5")
_MAPPING = _fixed("应为“键: 值”形式的映射")
_LIST = _fixed("应为列表（每项以“- ”开头）")
_BOOLEAN = _fixed("应为 true 或 false（不接受 yes、no、是、否）")

# Pydantic error type -> the Chinese explanation, from the error and its ctx.
_EXPLANATIONS: dict[str, Callable[[ErrorFields, ErrorFields], str]] = {
    "string_type": lambda err, ctx: "不能为空" if err.get("input") is None else "应为文本，不能是列表或映射",
    "string_too_short": _fixed("不能为空"),
    "string_too_long": lambda err, ctx: f"过长，最多 {ctx.get('max_length')} 个字符",
    "string_pattern_mismatch": _pattern_hint,
    "int_parsing_size": _fixed("数字过大"),
    "int_parsing": _INTEGER,
    "int_type": _INTEGER,
    "int_from_float": _INTEGER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "finite_number": _fixed("应为有限的数字"),
    "greater_than_equal": _not_below,
    "greater_than": _not_below,
    "less_than_equal": _not_above,
    "less_than": _not_above,
    "literal_error": lambda err, ctx: "应为以下之一：" + str(ctx.get("expected", "")).replace("'", ""),
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "mapping_type": _MAPPING,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "too_short": lambda err, ctx: f"至少需要 {ctx.get('min_length')} 项",
    "too_long": lambda err, ctx: f"最多 {ctx.get('max_length')} 项",
    "yaml_bool": _BOOLEAN,
    "bool_parsing": _BOOLEAN,
    "bool_type": _BOOLEAN,
    "value_error": lambda err, ctx: str(err.get("msg", "")).removeprefix("Value error, "),
}


def _explain(err: ErrorFields) -> str:
    explain = _EXPLANATIONS.get(err["type"])
    if explain is None:
        return str(err.get("msg", "取值无效"))
    return explain(err, err.get("ctx") or {})


def show_input(value: object) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, dict):
        return "（映射）"
    if isinstance(value, list):
        return "（列表）"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _unwrap_model(annotation: object) -> type[BaseModel] | None:
    """The model class inside Optional[...], list[...], Annotated[...], if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap_model(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, dict):
        for arg in typing.get_args(annotation):
            found = _unwrap_model(arg)
            if found is not None:
                return found
    return None


@lru_cache(maxsize=4096)
def field_label(model: type[BaseModel], loc: tuple) -> str:
    """'lead_unit.uscc（统一社会信用代码）' for a Pydantic error location."""
    if not loc:
        return "（整个文件）"
    dotted = ".".join(str(step) if isinstance(step, str) else f"[{step}]" for step in loc)
    dotted = dotted.replace(".[", "[")
    title = None
    current: type[BaseModel] | None = model
    for step in loc:
        if not isinstance(step, str) or current is None:
            continue
        info = current.model_fields.get(step)
        if info is None:
            title = None
            break
        title = info.title
        current = _unwrap_model(info.annotation)
    return f"{dotted}（{title}）" if title else dotted


M = TypeVar("M", bound=BaseModel)


def validate_model(model: type[M], raw: object, path: str, context: dict[str, object]) -> tuple[M | None, list[Finding]]:
    try:
        value = model.model_validate(raw, context=context)
    except ValidationError as exc:
        return None, errors_to_findings(model, exc, raw, path)
    return value, quoted_numbers(value, raw, path)


def _number_kind(annotation: object, metadata: tuple = ()) -> bool | None:
    """True: a whole number (money, a year); False: a decimal (an area); None: not a number."""
    for meta in metadata:
        if meta is WholeNumber or meta is DecimalNumber:
            return meta is WholeNumber
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _number_kind(args[0], args[1:])
    for arg in args:
        kind = _number_kind(arg)
        if kind is not None:
            return kind
    return None


@lru_cache(maxsize=256)
def _number_fields(model: type[BaseModel]) -> tuple[tuple[str, bool | None, type[BaseModel] | None], ...]:
    """(name, number kind, nested model) for each field that is or holds a number field."""
    fields = []
    for name, info in model.model_fields.items():
        kind = _number_kind(info.annotation, tuple(info.metadata))
        nested = _unwrap_model(info.annotation)
        if kind is not None or (nested is not None and nested is not model and _number_fields(nested)):
            fields.append((name, kind, nested if kind is None else None))
    return tuple(fields)


def quoted_numbers(value: BaseModel, raw: object, path: str) -> list[Finding]:
    """S111 for a number field written in quotes ("5600000" is text): the
    loader marks quoted values (PosDict.quoted); validation alone cannot tell."""
    findings = []
    stack: list[tuple[BaseModel, object, Where]] = [(value, raw, ())]
    while stack:
        model, node, where = stack.pop()
        if not isinstance(node, dict):
            continue
        quoted = getattr(node, "quoted", None)
        for name, kind, nested in _number_fields(type(model)):
            child = getattr(model, name, None)
            if kind is not None and quoted and name in quoted and child is not None:
                form = "整数，只用数字，不加引号" if kind else "数字，只用数字和小数点，不加引号"
                findings.append(RULES["S111"].finding(
                    path, locate(raw, (*where, name)), field=field_label(type(value), (*where, name)),
                    actual=f'"{show_input(node[name])}"', expected=f"应写作 {node[name]}（{form}）",
                ))
            elif nested is not None and isinstance(child, BaseModel):
                stack.append((child, node.get(name), (*where, name)))
            elif nested is not None and isinstance(child, list) and isinstance(node.get(name), list):
                stack.extend((item, raw_item, (*where, name, i))
                             for i, (item, raw_item) in enumerate(zip(child, node[name])))
    return findings


def errors_to_findings(model: type[BaseModel], exc: ValidationError, raw: object, path: str) -> list[Finding]:
    findings = []
    for err in exc.errors(include_url=False):
        loc = tuple(step for step in err["loc"] if step != "[key]")
        key_error = "[key]" in err["loc"]  # a mapping key itself is wrong
        kind = err["type"]
        label = field_label(model, loc)
        if kind == "missing":
            pos = locate(raw, loc[:-1])
            findings.append(RULES["S101"].finding(path, pos, field=label))
        elif kind == "extra_forbidden":
            pos = locate(raw, loc, at_key=True)
            findings.append(RULES["S102"].finding(path, pos, field=label))
        elif kind == "calendar_date" and isinstance(err.get("input"), str):
            pos = locate(raw, loc)
            findings.append(RULES["S104"].finding(path, pos, field=label, actual=show_input(err["input"])))
        elif kind == "github_login":
            pos = locate(raw, loc)
            findings.append(RULES["S107"].finding(path, pos, field=label, actual=show_input(err.get("input"))))
        elif kind == "plain_number":
            ctx = err.get("ctx") or {}
            example = ctx.get("example")
            form = "整数，只用数字" if ctx.get("whole") else "数字，只用数字和小数点"
            advice = f"应写作 {example}（{form}）" if example else f"应写成{form}，例如 3000000"
            findings.append(
                RULES["S111"].finding(path, locate(raw, loc), field=label, actual=show_input(err.get("input")), expected=advice)
            )
        elif kind == "policy_value":
            ctx = err.get("ctx") or {}
            rule_id = "S106" if ctx.get("list_name") == "clusters" else "S105"
            pos = locate(raw, loc)
            findings.append(
                RULES[rule_id].finding(
                    path, pos, field=label, actual=show_input(err.get("input")), expected=ctx.get("allowed", "")
                )
            )
        else:
            pos = locate(raw, loc, at_key=key_error)
            findings.append(
                RULES["S103"].finding(
                    path, pos, field=label, actual=show_input(err.get("input")), expected=_explain(err)
                )
            )
    return findings
