"""Article 9(3): what a certification refers to — its own new center, under a well-formed document number.

F808 (certification_links.py) holds a certified application and the center
that names it to the same data; F812 here catches the other direction: a
certification event that names a center belonging to another application,
and F817 adds the department and county F808 does not compare.
Uniqueness of the number across the registry is X508's (cross_file.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from ticreg_schemas.application import ApplicationBase, ApplicationEvent, CertificationFields
from ticreg_schemas.center import Center, CenterEvent

from ...catalog import Hit, hit, rule
from ...engine import RegistryContext

_9 = "第九条第（三）项"


@rule("F812", severity="error", article=_9, scope="registry", title="认定的不是本申报的中心",
      template="{field} 为“{actual}”，但该中心的认定申报是 {expected}（{other}）；认定事件只能认定本申报新建的中心")
def certifies_own_center(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """申报的认定事件（certified）所写的中心代号 center_id，须指向 application_id 为本申报的中心档案，
    也就是为本申报新建的中心。指向另一个申报已认定的中心（无论该中心是否已撤销），就等于把别人的中心
    再认定一次，中心档案和两份申报从此互相矛盾，所以报错。中心代号不存在由 X502 报告；中心档案的
    application_id 指向不存在的申报由 X502 报告，此时不再重复报告。"""
    for records in ctx.applications.values():
        for record in records:
            for i, event in enumerate(record.model.history):
                if event.event != "certified" or event.center_id is None:
                    continue
                for center_record in ctx.centers.get(event.center_id, []):
                    owner = center_record.model.application_id
                    if owner != record.model.id and owner in ctx.application_ids:
                        yield hit(("history", i, "center_id"), path=record.path, actual=event.center_id,
                                  expected=owner, other=center_record.path)


def _certifying_application(ctx: RegistryContext, application_id: str) -> CertificationFields | None:
    found = ctx.applications.get(application_id, [])
    app = found[0].model if len(found) == 1 else None
    return app if isinstance(app, CertificationFields) else None  # a change application: F808 says so


@rule("F817", severity="error", article="第五条、第九条", scope="registry", title="中心的部门或所在县与认定申报不一致",
      template="{field} 为“{actual}”，与认定申报 {other} 中的“{expected}”不一致")
def center_lies_where_certified(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """中心由认定申报的组织管理部门负责日常运行管理（第五条），设在申报所写的县（市、区）：中心档案的
    组织管理部门 organizing_department 与所在县 county_code 须与其认定申报相同。二者认定后不能修改
    （G922），所以中心档案与申报不一致只能是填写错误。"""
    for records in ctx.centers.values():
        for center_record in records:
            center = center_record.model
            app = _certifying_application(ctx, center.application_id)
            if app is None:
                continue
            pairs = [(("county_code",), center.county_code, app.county_code)]
            if app.organizing_department in ctx.departments:  # else X502 reports the application's department
                pairs.append((("organizing_department",), center.organizing_department, app.organizing_department))
            for where, actual, expected in pairs:
                if actual != expected:
                    yield hit(where, path=center_record.path, actual=actual, expected=expected,
                              other=ctx.applications[center.application_id][0].path)


@lru_cache(maxsize=8)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)  # the policy model has checked that it compiles


def _certification_numbers(model: ApplicationBase | Center) -> Iterator[tuple[int, str]]:
    """(history index, document number) of each certified event with a number."""
    history: Sequence[ApplicationEvent | CenterEvent] = model.history
    for i, event in enumerate(history):
        if event.event == "certified" and event.document_number is not None:
            yield i, event.document_number


@rule("F816", group="history", severity="error", article=_9, scope=("application", "center"),
      title="认定文号格式不符",
      template="{field}“{actual}”不是认定文号：{expected}")
def certification_number_format(model: ApplicationBase | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """认定以市科技局正式文件下达，认定事件的文号须是该文件的文号，完整符合 policy.yml 的
    document_numbers.certification_pattern（样例登记册为“晋市科发〔YYYY〕N号”：六角括号中是四位年份，
    序号不带前导零）。申报的 certified 事件与中心档案的认定事件都检查；ticreg record 写入前即按此拒绝。"""
    numbers = ctx.policy.document_numbers
    regex = _compiled(numbers.certification_pattern)
    for i, number in _certification_numbers(model):
        if regex.fullmatch(number) is None:
            yield hit(("history", i, "document_number"), actual=number,
                      expected=f"应符合 policy.yml 的 document_numbers.certification_pattern，如“{numbers.certification_example}”")
