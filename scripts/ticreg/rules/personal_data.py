"""Personal data: what must never be published (DOMAIN.md, "What is public").

These checks read the raw file, so they work even when the file does not
match its schema, and every finding masks the number it found.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..identifiers import find_mobile_numbers, find_resident_id_numbers, mask_mobile, mask_resident_id
from ..loader import PosDict, PosList
from .registry import Hit, hit, rule

# Cheap pre-filter: both kinds of number contain a run of digits.
_DIGITS = re.compile(r"[0-9０-９]{3}")

# Fields whose value is a unit's credit code, not a person's number.
_CODE_FIELDS = frozenset({"uscc"})


def _strings(node: object, where: tuple = ()) -> list[tuple[tuple, str]]:
    """Every key and string value long enough to hold a number, with its path.

    This walks every node of every file, so it builds a path only for a
    candidate or a container, never for the ordinary scalars between them.
    """
    found: list[tuple[tuple, str]] = []
    if isinstance(node, PosDict):
        items = node.items()
    elif isinstance(node, PosList):
        items = enumerate(node)
    else:
        return found
    for key, value in items:
        if type(key) is str and len(key) >= 3 and _DIGITS.search(key):
            found.append((where + (key,), key))
        if type(value) is str:
            if len(value) >= 11 and _DIGITS.search(value):
                found.append((where + (key,), value))
        elif value is not None:
            found.extend(_strings(value, where + (key,)))
    return found


def _candidates(record) -> list[tuple[tuple, str]]:
    """The walk above, done once per record and shared by both rules."""
    cached = record.derived.get("personal_data_candidates")
    if cached is None:
        cached = record.derived["personal_data_candidates"] = _strings(record.raw)
    return cached


def _dotted(where: tuple) -> str:
    return ".".join(str(step) for step in where if isinstance(step, str))


@rule("P601", severity="error", article="个人信息保护", scope="raw",
      title="出现居民身份证号",
      template="{field} 中出现居民身份证号 {actual}；登记册公开，任何位置都不得填写身份证号")
def resident_id_numbers(record, ctx) -> Iterator[Hit]:
    """登记册及其网站是公开的，任何字段都不得出现居民身份证号码。检查先找出18位候选号码，
    再核验出生日期、地区码和校验码，确认是身份证号才报告；报告中的号码已打码。"""
    for where, text in _candidates(record):
        if where and where[-1] in _CODE_FIELDS:
            continue
        for number in find_resident_id_numbers(text):
            yield hit(where, field=_dotted(where) or "文件", actual=mask_resident_id(number))


@rule("P602", severity="error", article="个人信息保护", scope="raw",
      title="在联系字段以外出现手机号",
      template="{field} 中出现手机号 {actual}；个人手机号只能填写在 {expected}（不公开）")
def mobile_numbers(record, ctx) -> Iterator[Hit]:
    """个人手机号不得公开。只有 policy.yml 的 personal_data.mobile_allowed_fields 列出的字段
    （申报联系人电话，审核用、不在网站公开）可以填写手机号；其他任何位置出现手机号即报错，
    报告中的号码已打码。"""
    allowed = ctx.policy.personal_data.mobile_allowed_fields
    for where, text in _candidates(record):
        if where and where[-1] in _CODE_FIELDS or _dotted(where) in allowed:
            continue
        for number in find_mobile_numbers(text):
            yield hit(where, field=_dotted(where) or "文件", actual=mask_mobile(number), expected=allowed)
