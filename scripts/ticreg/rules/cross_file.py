"""Across files: unique IDs, references that resolve, paths that match IDs; X520 one conversion per
municipal engineering research center (Art. 16)."""

from __future__ import annotations

import datetime as dt
import re
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


# An application that ended without a center leaves its conversion free for a later one.
_ENDED_WITHOUT_CENTER = frozenset({"rejected", "withdrawn"})


def _conversions(ctx: RegistryContext) -> dict[str, list[Checked[Application]]]:
    """Art. 16 conversions still standing, by the municipal center's document number."""
    cited: dict[str, list[Checked[Application]]] = {}
    for records in ctx.applications.values():
        for record in records:
            conversion = getattr(record.model, "municipal_erc_conversion", None)
            if conversion is None or final_state(replay_application(record.model)) in _ENDED_WITHOUT_CENTER:
                continue
            cited.setdefault(conversion.document_number, []).append(record)
    return cited


@rule("X520", severity="error", article="第十六条", scope="registry", title="同一市级工程技术研究中心转建两次",
      template="{field}：认定文号“{actual}”的市级工程技术研究中心也由 {other} 转建；一个中心只能转建一次")
def conversion_cited_once(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第十六条优先支持的是市级工程技术研究中心“转建”为市级技术创新中心：同一个市级工程技术研究中心
    （以认定文号 municipal_erc_conversion.document_number 识别）只能由一项申报转建。未予通过或已撤回的申报
    不占用它，此后可以再次申报。重复的每个申报都会报告，并指出另外几处。"""
    for number, records in _conversions(ctx).items():
        for record in records if len(records) > 1 else ():
            others = [r.path for r in records if r is not record]
            yield hit(("municipal_erc_conversion", "document_number"), path=record.path,
                      field="municipal_erc_conversion.document_number", actual=number, other=others)


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


# --- What each Art. 9 stage leaves behind: the people and bodies it names -------------

_9 = "第九条"


def _application_events(ctx: RegistryContext) -> Iterator[tuple[Checked[Application], int, ApplicationEvent]]:
    """Every event of every valid application, with its file."""
    for records in ctx.applications.values():
        for record in records:
            for i, event in enumerate(record.model.history):
                yield record, i, event


@rule("X515", severity="error", article=_9, scope="registry", title="审核部门不是本申报的组织管理部门",
      template="{field} 为“{actual}”，本申报的组织管理部门是“{expected}”")
def reviewing_department_is_the_organizing_one(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第九条第（一）项：申报由其组织管理部门审核推荐。组织管理部门审核（department-approved，或在
    department-review 环节未予通过）记录的审核部门 reviewed_by 须是本申报的组织管理部门
    organizing_department，即申报文件所在文件夹的部门；其他部门不能代为审核。"""
    for record, i, event in _application_events(ctx):
        department = record.model.organizing_department
        if event.reviewed_by is not None and event.reviewed_by != department:
            where = ("history", i, "reviewed_by")
            yield hit(where, path=record.path, field=dotted(where), actual=event.reviewed_by, expected=department)


def _bureau_logins(ctx: RegistryContext) -> frozenset[str] | None:
    """The logins staff.yml gives the Bureau's role; None when staff.yml is not valid (reported there)."""
    staff = next((r for r in ctx.records if r.kind == "staff"), None)
    if staff is None:
        return frozenset()
    if not isinstance(staff.model, Staff):
        return None
    return frozenset(member.login for member in staff.model.staff if member.role == "bureau")


def _repeated(values: list[str]) -> Iterator[tuple[int, str, bool]]:
    """Each value with its index and whether an earlier item already named it."""
    seen: set[str] = set()
    for j, value in enumerate(values):
        yield j, value, value in seen
        seen.add(value)


@rule("X516", severity="error", article=_9, scope="registry", title="经办人员不是市科技局工作人员",
      template="{field} 的账号“{actual}”{expected}")
def bureau_staff_are_listed(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """市科技局复核、实地考察记录的经办人员 bureau_staff 须是 registry/staff.yml 中角色为 bureau
    （市科技局）的账号，每人只写一次。工作人员以其岗位履行职责，不是个人信息，但也只记入档案：
    网站不公开经办人员。"""
    logins = _bureau_logins(ctx)
    if logins is None:
        return
    for record, i, event in _application_events(ctx):
        for j, login, again in _repeated(event.bureau_staff or []):
            where = ("history", i, "bureau_staff", j)
            if again:
                yield hit(where, path=record.path, field=dotted(where), actual=login, expected="重复列出")
            elif login not in logins:
                listed = "、".join(sorted(logins)) or "（无）"
                yield hit(where, path=record.path, field=dotted(where), actual=login,
                          expected=f"不是 registry/staff.yml 中角色为 bureau 的账号：{listed}")


@rule("X517", severity="error", article=_9, scope="registry", title="会同部门无效",
      template="{field} 的部门“{actual}”{expected}")
def joint_departments_exist(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第九条第（二）项：市科技局会同有关部门复核、实地考察。会同部门 joint_departments 须是
    registry/departments.yml 中的部门代号，每个只写一次；市科技局本身（类型为 bureau 的部门）是组织者，
    不列为会同部门。"""
    for record, i, event in _application_events(ctx):
        for j, department_id, again in _repeated(event.joint_departments or []):
            where = ("history", i, "joint_departments", j)
            department = ctx.departments.get(department_id)
            if again:
                why = "重复列出"
            elif department is None:
                joinable = sorted(d.id for d in ctx.departments.values() if d.kind != "bureau")
                why = f"不在 registry/departments.yml 中，可写：{'、'.join(joinable)}"
            elif department.kind == "bureau":
                why = "是市科技局本身，不列为会同部门"
            else:
                continue
            yield hit(where, path=record.path, field=dotted(where), actual=department_id, expected=why)


@dataclass(frozen=True)
class _Meeting:
    session: str
    year: int
    number: int
    day: dt.date
    path: str
    where: Where


def _meetings(ctx: RegistryContext) -> list[_Meeting]:
    """Every session reference that fits policy's pattern (H709 reports the rest)."""
    pattern = ctx.policy.stage_records.meeting_session_pattern
    found = []
    for record, i, event in _application_events(ctx):
        session = event.session
        match = re.fullmatch(pattern, session) if session is not None else None
        if session is not None and match is not None:
            found.append(_Meeting(session, int(match.group("year")), int(match.group("number")),
                                  event.date, record.path, ("history", i, "session")))
    return found


def _bounds(groups: list[list[_Meeting]]) -> list[tuple[_Meeting | None, _Meeting | None]]:
    """For each meeting of one year (groups in session order): the latest record of an earlier
    session and the earliest record of a later one."""
    out: list[tuple[_Meeting | None, _Meeting | None]] = [(None, None)] * len(groups)
    latest: _Meeting | None = None
    for k, group in enumerate(groups):
        out[k] = (latest, None)
        last = max(group, key=lambda m: m.day)
        latest = last if latest is None or last.day > latest.day else latest
    earliest: _Meeting | None = None
    for k in range(len(groups) - 1, -1, -1):
        out[k] = (out[k][0], earliest)
        first = min(groups[k], key=lambda m: m.day)
        earliest = first if earliest is None or first.day < earliest.day else earliest
    return out


def _contradiction(meeting: _Meeting, group: list[_Meeting], before: _Meeting | None,
                   after: _Meeting | None) -> tuple[str, _Meeting] | None:
    """Why this record of a meeting cannot be true beside the others, and the other record."""
    other_day = next((m for m in group if m.day != meeting.day), None)
    if other_day is not None:
        return f"在另一处记为 {other_day.day.isoformat()}，同一次会议的日期应相同", other_day
    if before is not None and before.day > meeting.day:
        return f"的日期 {meeting.day.isoformat()} 早于序号在前的“{before.session}”（{before.day.isoformat()}），次序与日期矛盾", before
    if after is not None and after.day < meeting.day:
        return f"的日期 {meeting.day.isoformat()} 晚于序号在后的“{after.session}”（{after.day.isoformat()}），次序与日期矛盾", after
    return None


@rule("X518", severity="error", article=_9, scope="registry", title="局党组会议记录互相矛盾",
      template="{field}：会议“{actual}”{expected}（另见 {other}）")
def meeting_sessions_agree(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """一次局党组会议可以研究多个申报，各申报记录的同一次会议（session）须是同一天；同一年中序号靠后的
    会议日期不能早于序号靠前的会议。矛盾的每一处都会报告，并指出与之矛盾的另一处。"""
    sessions: dict[tuple[int, int], list[_Meeting]] = {}
    for meeting in _meetings(ctx):
        sessions.setdefault((meeting.year, meeting.number), []).append(meeting)
    by_year: dict[int, list[list[_Meeting]]] = {}
    for key in sorted(sessions):
        by_year.setdefault(key[0], []).append(sessions[key])
    for groups in by_year.values():
        for group, (before, after) in zip(groups, _bounds(groups)):
            for meeting in group:
                found = _contradiction(meeting, group, before, after)
                if found is not None:
                    yield hit(meeting.where, path=meeting.path, field=dotted(meeting.where), actual=meeting.session,
                              expected=found[0], other=found[1].path)
