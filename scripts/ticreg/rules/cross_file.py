"""Across files: unique IDs, references that resolve, paths that match IDs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ticreg_schemas import CalendarYear, Departments, Staff
from ticreg_schemas.application import Application, ApplicationEvent, CertificationFields, ChangeApplication
from ticreg_schemas.center import Center, CenterEvent
from ticreg_schemas.common import RegistryModel

from ..file_entries import FILE, FOLDER
from ..findings import dotted
from ..process.machine import FINAL_APPLICATION_STATES
from ..process.replay import final_state, replay_application
from ..registry_files import APPLICATIONS, CALENDAR, CENTERS, LAYOUT
from ..engine import Checked, RegistryContext
from ..catalog import Hit, Where, hit, rule

_DATA = "登记册数据规范"


rule("X500", severity="error", article=_DATA, scope="registry", title="缺少 policy.yml",
     template="登记册缺少规则参数文件 {expected}，无法按规则检查",
     doc="每个登记册都须有 registry/policy.yml：全部阈值与清单都从这里读取。")


@rule("X501", severity="error", article=_DATA, scope="registry", title="代号重复",
      template="代号“{actual}”重复，另见 {other}")
def unique_ids(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """申报代号在全部组织管理部门之间唯一，中心代号在 centers/ 中唯一，部门代号在 departments.yml 中唯一。
    重复的每个文件都会报告，并指出另外几处，所以单独校验任一文件都能发现。"""
    tables: tuple[Mapping[str, Sequence[Checked[RegistryModel]]], ...] = (ctx.applications, ctx.centers)
    for table in tables:
        for record_id, records in table.items():
            for record in records if len(records) > 1 else ():
                others = [r.path for r in records if r is not record]
                yield hit(("id",), path=record.path, actual=record_id, other=others)
    if ctx.department_record is not None:
        seen: dict[str, int] = {}
        for i, department in enumerate(ctx.department_record.model.departments):
            if department.id in seen:
                yield hit(("departments", i, "id"), path=ctx.department_record.path, actual=department.id,
                          other=f"departments[{seen[department.id]}]")
            else:
                seen[department.id] = i


@rule("X502", severity="error", article=_DATA, scope="registry", title="引用无法解析",
      template="{field} 引用的“{actual}”不存在于 {expected}")
def references_resolve(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """文件之间的引用必须能找到对象：组织管理部门须在 departments.yml 中，变更申请与认定事件
    所指的中心须在 centers/ 中，中心所据的申报须在 applications/ 中。被引用的文件即使自身有
    格式错误，只要写明了代号就算存在（它自己的错误另行报告）。"""
    files: tuple[Sequence[Checked[Application | Center]], ...] = (*ctx.applications.values(), *ctx.centers.values())
    for records in files:
        for record in records:
            if record.model.organizing_department not in ctx.departments:
                yield hit(("organizing_department",), path=record.path, field="organizing_department",
                          actual=record.model.organizing_department, expected="registry/departments.yml")
    for application_files in ctx.applications.values():
        for application_file in application_files:
            application = application_file.model
            center_id = application.center_id if isinstance(application, ChangeApplication) else None
            if center_id is not None and center_id not in ctx.center_ids:
                yield hit(("center_id",), path=application_file.path, field="center_id", actual=center_id,
                          expected="registry/centers/")
            for i, event in enumerate(application.history):
                if event.center_id is not None and event.center_id not in ctx.center_ids:
                    yield hit(("history", i, "center_id"), path=application_file.path,
                              field=f"history[{i}].center_id", actual=event.center_id, expected="registry/centers/")
    for center_files in ctx.centers.values():
        for center_file in center_files:
            center = center_file.model
            refs: list[tuple[Where, str]] = [(("application_id",), center.application_id)]
            refs += [(("history", i, "application_id"), e.application_id)
                     for i, e in enumerate(center.history) if e.application_id is not None]
            for where, application_id in refs:
                if application_id not in ctx.application_ids:
                    yield hit(where, path=center_file.path, field=dotted(where),
                              actual=application_id, expected="registry/applications/")


@rule("X503", severity="error", article=_DATA, scope="registry", title="文件位置与代号不一致",
      template="文件应位于 {expected}（依据 {field}“{actual}”）")
def path_matches_id(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """申报文件须存放为 registry/applications/<组织管理部门代号>/<申报代号>.yml，中心文件须存放为
    registry/centers/<中心代号>.yml，节假日安排须存放为 registry/calendar/<年份>.yml，
    以便按路径分派审核、按代号链接。"""
    for records in ctx.applications.values():
        for record in records:
            model = record.model
            expected = f"{APPLICATIONS}/{model.organizing_department}/{model.id}.yml"
            if str(record.relative) != expected:
                department, stem = record.relative.parts[1], record.relative.stem
                if department != model.organizing_department:
                    yield hit(("organizing_department",), path=record.path, field="organizing_department",
                              actual=model.organizing_department, expected="registry/" + expected)
                if stem != model.id:
                    yield hit(("id",), path=record.path, field="id", actual=model.id,
                              expected="registry/" + expected)
    for center_files in ctx.centers.values():
        for center_file in center_files:
            expected = f"{CENTERS}/{center_file.model.id}.yml"
            if str(center_file.relative) != expected:
                yield hit(("id",), path=center_file.path, field="id", actual=center_file.model.id,
                          expected="registry/" + expected)
    for calendar_file in ctx.records:
        year = calendar_file.model
        if isinstance(year, CalendarYear):  # a calendar file that passed its schema
            expected = f"{CALENDAR}/{year.year}.yml"
            if str(calendar_file.relative) != expected:
                yield hit(("year",), path=calendar_file.path, field="year", actual=year.year,
                          expected="registry/" + expected)


@rule("X504", severity="error", article=_DATA, scope="registry", title="不认识的文件",
      template="登记册中不应有此文件（{actual}）；登记册中只能有：{expected}")
def unknown_files(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """registry/ 下只能有约定位置的 .yml 文件（policy.yml、departments.yml、staff.yml、
    applications/<部门代号>/<申报代号>.yml、centers/<中心代号>.yml、calendar/<年份>.yml），
    以及登记册文件夹和上述各文件夹中的说明文件 README.md。其他文件一律报错，不读取其内容：
    隐藏文件（名称以“.”开头，隐藏文件夹整个报告一次）、扩展名写成 .yaml、.txt、.json 的文件、
    层级不对的文件（例如 applications/foo.yml 没有放在部门文件夹中）。这些文件不会被校验，
    却同样会随仓库公开，所以不能留在登记册中。"""
    for record in ctx.records:
        if record.kind is None and record.entry in (FILE, FOLDER):
            shown = f"{record.relative}/" if record.entry == FOLDER else str(record.relative)
            yield hit((), path=record.path, actual=shown, expected=LAYOUT)


# --- Records that cannot contradict each other (X507-X509) -----------------

# A checked application or center file: what X507 and X508 compare across the registry.
Filed = Checked[Application] | Checked[Center]


def _files(ctx: RegistryContext) -> Iterator[Filed]:
    for applications in ctx.applications.values():
        yield from applications
    for centers in ctx.centers.values():
        yield from centers


def _is_pending(application: Application, ctx: RegistryContext) -> bool:
    key = ("final-state", id(application))
    if key not in ctx.derived:
        ctx.derived[key] = final_state(replay_application(application))
    state: str = ctx.derived[key]
    return state not in FINAL_APPLICATION_STATES


@dataclass(frozen=True)
class _Name:
    """One name a center holds, or a pending application asks for."""

    name: str
    file: Filed
    where: Where
    center: Center | None  # the center holding it; None: a pending application asking for it


def _names_in_use(ctx: RegistryContext) -> Iterator[_Name]:
    """Files with a duplicate ID are left to X501: a copied file is one mistake, not two."""
    for centers in ctx.centers.values():
        if len(centers) == 1:
            yield _Name(centers[0].model.name, centers[0], ("name",), centers[0].model)
    for applications in ctx.applications.values():
        app = applications[0].model
        if len(applications) > 1 or not _is_pending(app, ctx):
            continue
        if isinstance(app, CertificationFields):
            yield _Name(app.proposed_name, applications[0], ("proposed_name",), None)
        elif app.requested_change.new_name is not None:
            yield _Name(app.requested_change.new_name, applications[0], ("requested_change", "new_name"), None)


def _own_center(name: _Name, other: _Name) -> bool:
    """A pending application and its own center are one name, not two: the center file an application
    is certified into is written before the certification, and a pending change may restate its center's name."""
    app, center = name.file.model, other.center
    if name.center is not None or center is None or isinstance(app, Center):
        return False
    return center.application_id == app.id or (isinstance(app, ChangeApplication) and center.id == app.center_id)


@rule("X507", severity="error", article="第九条第（三）项", scope="registry", title="名称重复",
      template="名称“{actual}”已被{expected}使用：{other}")
def unique_names(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """名称与中心一一对应：两个中心不能同名，尚在办理中（未认定、未予通过或撤回）的申报所拟名称、
    变更申请所请求的新名称也不能与任何中心的现名称相同。已撤销的中心仍以原名称列在登记册和网站上，
    所以同样计入。两个办理中的申报拟用相同的名称不在此报告：市科技局在认定时定名，先认定的占用该名称，
    另一个随即被本规则报告。"""
    by_name: dict[str, list[_Name]] = {}
    for name in _names_in_use(ctx):
        by_name.setdefault(name.name, []).append(name)
    for holders in by_name.values():
        centers = [h for h in holders if h.center is not None]
        for holder in holders:
            clashing = [c for c in centers if c is not holder and not _own_center(holder, c)]
            if holder.center is not None and len(centers) < 2:
                continue  # a center clashes with a pending application: the application is reported
            if clashing:
                yield hit(holder.where, path=holder.file.path, actual=holder.name,
                          expected="中心" if holder.center is not None else "已认定的中心",
                          other=[c.file.path for c in clashing])


@dataclass(frozen=True)
class _Use:
    """Where a document number is written, and for which certification (None: another kind of document)."""

    number: str
    file: Filed
    where: Where
    certifies: str | None


def _certifies(file: Filed) -> str:
    """The application a certified event in this file certifies: the application itself, or the one
    a center was certified from (F808 holds the center's event to it)."""
    model = file.model
    return model.application_id if isinstance(model, Center) else model.id


def _document_number_uses(file: Filed, ctx: RegistryContext) -> Iterator[_Use]:
    history: Sequence[ApplicationEvent | CenterEvent] = file.model.history
    for i, event in enumerate(history):
        if event.document_number is None:
            continue
        certifies = _certifies(file) if event.event == "certified" else None
        if certifies is not None and certifies not in ctx.application_ids:
            continue  # X502: the center names no application
        yield _Use(event.document_number, file, ("history", i, "document_number"), certifies)


def _uses_by_number(ctx: RegistryContext) -> dict[str, list[_Use]]:
    by_number: dict[str, list[_Use]] = {}
    for file in _files(ctx):
        for use in _document_number_uses(file, ctx):
            by_number.setdefault(use.number, []).append(use)
    return by_number


def _reused(uses: list[_Use]) -> Iterator[tuple[_Use, list[_Use]]]:
    """Each use of a certification number that another certification, or another kind of document, also uses."""
    certified = {u.certifies for u in uses if u.certifies is not None}
    if not certified:
        return
    for use in uses:
        others = [u for u in uses if u.certifies != use.certifies]
        if use.certifies is not None and len(certified) < 2:
            others = [u for u in others if u.certifies is not None]
        if others:
            yield use, others


@rule("X508", severity="error", article="第四条、第九条第（三）项", scope="registry", title="认定文号重复",
      template="{field} 的文号“{actual}”另见于 {other}：{expected}")
def unique_certification_numbers(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第四条“成熟一个，认定一个”：一份认定文件只认定一个中心，所以一个认定文号在登记册中只对应一个申报。
    同一认定写在申报的 certified 事件和中心档案的认定事件中，文号相同是应当的（二者是否一致由 F808 检查）；
    两个不同申报的认定用了同一文号，每一处都会报告并指出另外几处；认定文号又被用作变更批复、评估、
    撤销等其他文件的文号，在那份文件处报告。"""
    for uses in _uses_by_number(ctx).values():
        for use, others in _reused(uses):
            yield hit(use.where, path=use.file.path, actual=use.number, expected=_why_not_reused(use, others),
                      other=[f"{o.file.path} {dotted(o.where)}" for o in others])


def _why_not_reused(use: _Use, others: list[_Use]) -> str:
    if use.certifies is None:
        return "这是认定文件的文号，一份认定文件只认定一个中心，不能再用作其他文件的文号"
    applications = "、".join(sorted({o.certifies for o in others if o.certifies is not None}))
    return f"一份认定文件只认定一个中心，此文号已是申报 {applications} 的认定文号"


@rule("X509", severity="error", article="第五条", scope="registry", title="所在县与组织管理部门不符",
      template="{field}“{actual}”与组织管理部门不符：{other} 是 {expected} 的科技管理部门")
def department_county(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """县（市、区）科技管理部门负责本地区的技术创新中心（第五条），所以它组织管理的申报和中心，所在县
    （county_code）须是该部门在 departments.yml 中的行政区划代码。开发区、市直有关部门和主管部门按行业
    组织管理，不限于一个县，不作此检查；部门的行政区划代码不在 policy.yml 清单中时由 X505 报告，也不作此检查。"""
    for file in _files(ctx):
        model = file.model
        county_code = model.county_code if isinstance(model, (CertificationFields, Center)) else None
        department = ctx.departments.get(model.organizing_department)
        if county_code is None or department is None or department.kind != "county":
            continue
        expected = department.county_code
        if expected is not None and expected in ctx.policy.ids("counties") and county_code != expected:
            yield hit(("county_code",), path=file.path, actual=_county(ctx, county_code),
                      other=f"{department.id}（{department.name}）", expected=_county(ctx, expected))


def _county(ctx: RegistryContext, code: str) -> str:
    return f"{code}（{ctx.policy.name_of('counties', code)}）"


@rule("X505", severity="error", article="第五条", scope="departments", title="部门所在县不在清单中",
      template="{field} 的行政区划代码“{actual}”不在 policy.yml 的县（市、区）清单中：{expected}")
def department_counties(model: Departments, ctx: RegistryContext) -> Iterator[Hit]:
    """县（市、区）科技管理部门须写明所在县的 GB/T 2260 代码，且该代码在 policy.yml 的 counties 中；
    其他部门可不写。"""
    for i, department in enumerate(model.departments):
        code = department.county_code
        if department.kind == "county" and (code is None or code not in ctx.policy.ids("counties")):
            yield hit(("departments", i, "county_code"), actual=code or "（未填写）",
                      expected=ctx.policy.labelled("counties"))


@rule("X506", severity="error", article=_DATA, scope="staff", title="工作人员所属部门不存在",
      template="{field} 的部门“{actual}”不在 registry/departments.yml 中：{expected}")
def staff_departments(model: Staff, ctx: RegistryContext) -> Iterator[Hit]:
    """组织管理部门的工作人员只能办理本部门的申报，所属部门须是 departments.yml 中的部门代号。"""
    for i, member in enumerate(model.staff):
        if member.department is not None and member.department not in ctx.departments:
            yield hit(("staff", i, "department"), actual=member.department, expected=sorted(ctx.departments))
