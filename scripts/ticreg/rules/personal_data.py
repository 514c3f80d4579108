"""Personal data: what must never be published (DOMAIN.md, "What is public").

These checks read the raw file, so they work even when the file does not
match its schema, and every finding masks the number it found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from ..findings import field_path
from ..loader import PosDict, PosList
from ..personal_numbers import PersonalNumber, find_personal_numbers
from ..engine import RegistryContext
from ..catalog import Hit, Where, hit, rule
from ..registry_files import Record

# (path in the file, the numbers found there) for each key or value holding one.
Candidates = list[tuple[Where, list[PersonalNumber]]]

# Both kinds of number have at least 11 digits, so shorter text holds none;
# the detector itself skips cheaply over text without 11 digits close together.
_SHORTEST = 11

# Fields whose value is a unit's credit code, not a person's number: an
# all-digit code can also have an identity number's structure. The build's
# guard (site/personal_guard.py) exempts the same fields.
CODE_FIELDS = frozenset({"uscc"})


def _strings(node: object, today: dt.date | None, where: Where = ()) -> Candidates:
    """Every key and string value that holds a personal number, with its path and the numbers.

    This walks every node of every file, so it builds a path only for a
    candidate or a container, never for the ordinary scalars between them.
    """
    found: Candidates = []
    items: Iterable[tuple[str | int, object]]
    if isinstance(node, PosDict):
        items = node.items()
    elif isinstance(node, PosList):
        items = enumerate(node)
    else:
        return found
    for key, value in items:
        if type(key) is str and len(key) >= _SHORTEST and (numbers := find_personal_numbers(key, today)):
            found.append((where + (key,), numbers))
        if type(value) is str:
            if len(value) >= _SHORTEST and (numbers := find_personal_numbers(value, today)):
                found.append((where + (key,), numbers))
        elif value is not None:
            found.extend(_strings(value, today, where + (key,)))
    return found


def personal_numbers_in(record: Record, ctx: RegistryContext) -> Candidates:
    """(path in the file, [PersonalNumber]) of every key or value holding a number:
    the walk above, done once per record and shared by both rules and by
    ``ticreg build``, which names the record a published number came from."""
    cached = record.derived.get("personal_data_candidates")
    if not isinstance(cached, list):  # not walked yet
        cached = record.derived["personal_data_candidates"] = _strings(record.raw, ctx.today)
    return cached


@rule("P601", severity="error", article="个人信息保护", scope="raw",
      title="出现居民身份证号",
      template="{field} 中出现居民身份证号 {actual}；登记册公开，任何位置都不得填写身份证号")
def resident_id_numbers(record: Record, ctx: RegistryContext) -> Iterator[Hit]:
    """登记册及其网站是公开的，任何字段都不得出现居民身份证号码。号码按结构识别：前两位是
    省级行政区划代码，第7至14位是不早于1900年、不晚于今天的真实出生日期，末位是 ISO 7064
    MOD 11-2 校验码（X 大小写均可）；不查地区码在出生当年是否存在，因为号码中的地区码是发证地，
    撤并改名后新设的县（如1996年设立的泽州县 140525）照样给更早出生的人发证。15位的第一代
    身份证号（出生年份19xx）同样报告。数字之间的空格、各种横线、点、括号和不可见字符都被忽略，
    全角数字和其他文字的数字一律按数字识别。报告中的号码已打码。"""
    for where, numbers in personal_numbers_in(record, ctx):
        if where and where[-1] in CODE_FIELDS:
            continue
        for found in numbers:
            if found.kind == "resident_id":
                yield hit(where, field=field_path(where) or "文件", actual=found.masked)


@rule("P602", severity="error", article="个人信息保护", scope="raw",
      title="在联系字段以外出现手机号",
      template="{field} 中出现手机号 {actual}；个人手机号只能填写在 {expected}（不公开）")
def mobile_numbers(record: Record, ctx: RegistryContext) -> Iterator[Hit]:
    """个人手机号不得公开。只有 policy.yml 的 personal_data.mobile_allowed_fields 列出的字段
    （申报联系人电话，审核用、不在网站公开）可以填写手机号；其他任何位置出现手机号即报错。
    数字之间用点、括号、空格或横线分隔，带 +86 或 0086 前缀，用全角数字或夹带不可见字符，都识别为
    手机号；区号开头的固定电话（如 0356-1234567）不是手机号。报告中的号码已打码。"""
    allowed = ctx.policy.personal_data.mobile_allowed_fields
    for where, numbers in personal_numbers_in(record, ctx):
        if where and where[-1] in CODE_FIELDS or field_path(where) in allowed:
            continue
        for found in numbers:
            if found.kind == "mobile":
                yield hit(where, field=field_path(where) or "文件", actual=found.masked, expected=allowed)


# ticreg build's last line of defence (site/personal_guard.py): a number
# validate let through (in a field it allows, say) must still never be published.
rule("P603", severity="error", article="个人信息保护", scope="site",
     title="网站内容中出现居民身份证号",
     template="{field} 中的居民身份证号 {actual} 会公开在 {other}；网站未构建，请删除该号码",
     doc="""发布前的最后一道检查：ticreg build 在写出任何页面和数据文件（中心页面、centers.json、
     centers.csv、notices.json、公告订阅、日程文件、手写页面）之前，用与 ticreg validate 相同的识别方法
     检查公开的每个值和每个生成的文件。发现居民身份证号即中止构建，网站目录不写入任何内容；
     报告指出号码来自哪个登记文件的哪个字段（找不到来源时指出生成的文件和行列）。""")
rule("P604", severity="error", article="个人信息保护", scope="site",
     title="网站内容中出现手机号",
     template="{field} 中的手机号 {actual} 会公开在 {other}；网站未构建，请删除该号码",
     doc="""发布前的最后一道检查：申报联系人电话等允许填写手机号的字段只供审核、不公开；若手机号
     经任何途径进入将要发布的页面或数据文件，ticreg build 即中止构建，网站目录不写入任何内容，
     并指出号码来自哪个登记文件的哪个字段。""")
