"""Rules on what a pull request changes (`ticreg check-changes`), G901-G914.

These judge the difference between two git trees, not one tree: the base
(the branch a pull request goes into) and the head (the pull request, or the
working tree). ``ticreg.changes`` reads the two versions of each changed file
and prepares what the checks below look at; each check receives one changed
path and the run's context and yields hits positioned in the HEAD version of
the file (a deleted file: its first line).

G901-G909 always apply. G910-G914 judge who may do what and apply only when
``--actor`` names the GitHub login that made the change; its role comes from
registry/staff.yml *at the base*, so a pull request cannot grant itself a role.
"""

from __future__ import annotations

from typing import Iterator

from ticreg_schemas.application import ApplicationEvent
from ticreg_schemas.center import CenterEvent
from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS

from ...process.machine import (
    APPLICATION_STATES,
    APPLICATION_TRANSITIONS,
    CENTER_STATES,
    CENTER_TRANSITIONS,
    ROLES,
    allowed_application_events,
    allowed_center_events,
    expected_stage,
)
from ...findings import FILE_TOP, dotted
from ...path_roles import DEFAULT_ROLE, ROLE_RANK
from ...change_set import Added, Change
from ...engine import ChangeContext
from ...catalog import Hit, hit, rule

_DATA = "登记册数据规范"
_ORDER = "第九条、第十四条、第十五条、第十六条"
_9 = "第九条"
_5 = "第五条、第九条"


def required_role(path: str, kind: str | None, table: tuple[tuple[str, str], ...]) -> str:
    """The least role that may change ``path`` (repository-relative; ``kind`` its registry file kind)."""
    for prefix, role in table:
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            if role == "applicant" and kind != "application":
                return DEFAULT_ROLE
            return role
    return DEFAULT_ROLE


def role_label(role: str) -> str:
    return f"{role}（{ROLES[role]}）"


def event_roles(record: str, event: ApplicationEvent | CenterEvent, kind: str | None) -> frozenset[str]:
    """The roles the state machine lets record ``event`` (any transition with its name, stage and outcome)."""
    roles: set[str] = set()
    transitions = APPLICATION_TRANSITIONS if record == "application" else CENTER_TRANSITIONS
    for t in transitions:
        if t.event != event.event:
            continue
        if isinstance(event, ApplicationEvent):  # the event model follows the record
            if kind is not None and kind not in t.kinds:
                continue
            if t.stage is not None and event.stage is not None and t.stage != event.stage:
                continue
        elif t.outcome is not None and event.outcome is not None and t.outcome != event.outcome:
            continue
        roles |= t.roles
    return frozenset(roles)


# ---------------------------------------------------------------------------
# Helpers for messages
# ---------------------------------------------------------------------------


def event_label(record: str, name: str) -> str:
    table = APPLICATION_EVENTS if record == "application" else CENTER_EVENTS
    kind = table.get(name)
    return f"{name}（{kind.label}）" if kind is not None else name


def state_label(record: str, state: str) -> str:
    states = APPLICATION_STATES if record == "application" else CENTER_STATES
    return states.get(state, state)


def allowed_events(record: str, state: str, kind: str | None) -> list[str] | str:
    if record == "center":
        allowed = allowed_center_events(state)
    else:
        allowed = []
        stage = expected_stage(state, kind)
        for name in allowed_application_events(state, kind):
            label = event_label(record, name)
            if name == "rejected" and stage is not None:
                label = f"{name}（{APPLICATION_EVENTS[name].label}，stage: {stage}）"
            allowed.append(label)
    return allowed or "（已办结，不能再记录事件）"


def _each_added(change: Change) -> list[Added]:
    """The appended entries, when the base's history is intact (G901/G902 report it otherwise)."""
    history = change.history
    if history is None or not history.prefix_intact:
        return []
    return history.added


# ---------------------------------------------------------------------------
# G901-G909: what any change must respect
# ---------------------------------------------------------------------------


@rule("G901", severity="error", article=_DATA, scope="changes", title="修改了已有的办理记录",
      template="{field} 与基准版本不同（基准版本为“{expected}”，现为“{actual}”）：已有的办理记录不能修改或调换顺序，只能在末尾追加")
def past_event_rewritten(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """办理记录只能追加。基准版本（合并目标分支）中的每一条记录，在变更后的文件中必须原样保留在
    同一位置：不能修改日期、事件、文号等任何字段，也不能调换顺序或在中间插入记录。
    比较的是记录的值，改写格式（例如把一行的写法展开成多行、加引号）不算修改。"""
    history = change.history
    if history is None:
        return
    for rewrite in history.rewritten:
        yield hit(rewrite.where, field=f"history[{rewrite.index}]", actual=rewrite.head, expected=rewrite.base)


@rule("G902", severity="error", article=_DATA, scope="changes", title="删除了已有的办理记录",
      template="{field}：基准版本中的 {actual} 条记录被删除（{expected}）；办理记录只能在末尾追加，不能删除")
def past_event_removed(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """基准版本中已有的办理记录不能删除。需要更正的，在末尾追加新的事件并在 note 中说明。"""
    history = change.history
    if history is None or not history.removed or change.head_raw is None:
        return
    yield hit(("history",), field="history", actual=len(history.removed), expected=history.removed)


@rule("G903", severity="error", article="第十四条、登记册数据规范", scope="changes", title="删除或改名了申报或中心文件",
      template="{actual} 已在基准版本中，不能{expected}；申报撤回（withdrawn）与中心撤销（revoked）都以办理记录中的事件表示，文件须保留在原处")
def record_file_kept(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """申报文件与中心文件一旦进入登记册（存在于基准版本中），就不能删除、改名或移到别的文件夹：
    撤回与撤销是记录在文件中的事件，被撤销的中心也保留在登记册中（第十四条）。
    改名会被识别为删除旧文件、新增新文件；发现新文件的代号与被删除的文件相同时，
    问题报告在新文件的代号处。"""
    if change.status != "D" or change.kind not in ("application", "center"):
        return
    target = change.renamed_to
    if target is not None:
        yield hit(("id",), path=target.path, actual=change.shown, expected=f"改名为 {target.shown}")
    else:
        yield hit((), actual=change.shown, expected="删除")


@rule("G904", severity="error", article=_DATA, scope="changes", title="修改了代号",
      template="{field}：代号不能修改（基准版本为“{expected}”，现为“{actual}”）")
def id_unchanged(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """申报代号与中心代号一经进入登记册就不再改变：网站链接、中心与申报的相互引用都依靠它。"""
    if change.status != "M" or change.kind not in ("application", "center"):
        return
    if change.base_raw is None or change.head_raw is None:
        return
    before, after = change.base_raw.get("id"), change.head_raw.get("id")
    if before != after:
        yield hit(("id",), field="id", actual=after if after is not None else "（已删除）", expected=before)


@rule("G905", severity="error", article=_ORDER, scope="changes", title="新增事件不合法定程序",
      template="{field}：基准版本中的状态为“{other}”，不能记录“{actual}”；此时可记录：{expected}")
def added_event_legal(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """新增的每个事件，都必须是从基准版本中该记录的状态出发的合法一步（与 F801 同一张状态表）：
    不能跳过环节（例如组织管理部门审核后直接认定），不能在公示异议未处理时认定，
    不予通过须写明当时正待进行的审核环节，已办结的记录不能再追加事件。
    新增的文件从“尚未申报”（中心：“尚未认定”）开始。一次变更追加多个事件的，依次判断。"""
    history = change.history
    if history is None:
        return
    for added in _each_added(change):
        if added.event is None or added.before is None or added.transition is not None:
            continue
        yield hit(
            ("history", added.index, "event"),
            field=f"history[{added.index}].event",
            other=state_label(history.record, added.before),
            actual=event_label(history.record, added.event.event),
            expected=allowed_events(history.record, added.before, history.app_kind),
        )


@rule("G906", severity="error", article=_9, scope="changes", title="补记的事件早于已有记录",
      template="{field}：新增事件的日期 {actual} 早于此前最后一条记录的日期 {expected}；不能倒签日期")
def added_event_not_backdated(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """新增事件的日期不能早于基准版本中最后一条记录的日期，也不能早于同一次变更中前一个新增事件
    的日期（同一天可以）。倒签日期会绕过按日期计算的期限（例如公示期）。"""
    for added in _each_added(change):
        if added.event is None or added.previous_date is None:
            continue
        if added.event.date < added.previous_date:
            yield hit(("history", added.index, "date"), field=f"history[{added.index}].date",
                      actual=added.event.date.isoformat(), expected=added.previous_date.isoformat())


@rule("G907", severity="error", article=_9, scope="changes", title="公示期未满即认定",
      template="{field}：认定日期 {actual} 早于可认定日期 {expected}（公示期 {other}）")
def added_certification_after_publicity(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """新增的认定（certified）事件，日期不能早于公示期满的次日：公示时间为5个工作日，
    按 registry/calendar/ 中的节假日安排计算（与 F804 相同）。公示天数与起算规则取基准版本的
    policy.yml，节假日安排取基准版本中已有的年份，只有基准版本没有的年份才取变更后的文件：
    一次变更不能修改用来判断它自己的规则。"""
    for added in _each_added(change):
        window = added.window
        if window is None or added.event is None or added.event.event != "certified":
            continue
        if added.event.date < window.certifiable_from:
            yield hit(("history", added.index, "date"), field=f"history[{added.index}].date",
                      actual=added.event.date.isoformat(), expected=window.certifiable_from.isoformat(),
                      other=f"{window.start.isoformat()}至{window.end.isoformat()}")


@rule("G908", severity="error", article=_9, scope="changes", title="无法计算公示期",
      template="{field}：无法判断认定是否在公示期满之后：{actual}；请{expected}")
def publicity_window_known(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """判断新增的认定事件需要计算公示期：缺少当年的节假日安排（registry/calendar/<年份>.yml）
    或缺少可用的 policy.yml 时，无法判断，按错误报告，不予放行。"""
    for added in _each_added(change):
        if added.window_problem is not None:
            problem, remedy = added.window_problem
            yield hit(("history", added.index, "date"), field=f"history[{added.index}].date",
                      actual=problem, expected=remedy)


@rule("G909", severity="error", article=_DATA, scope="changes", title="新增的记录无法识别",
      template="{field} 不是有效的办理记录，无法判断这项变更：{actual}")
def added_event_readable(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """新增的记录必须能按数据模型读出（日期、事件名称等），否则无法判断它是否合法定程序，
    按错误报告。详细问题可运行 ticreg validate 查看。"""
    for added in _each_added(change):
        if added.event is None:
            yield hit(added.where, field=f"history[{added.index}]", actual=added.problem)


# ---------------------------------------------------------------------------
# G910-G914: who may do what (only with --actor)
# ---------------------------------------------------------------------------


@rule("G910", severity="error", article=_5, scope="changes", title="无权修改此文件",
      template="{other}不能修改 {actual}：此处须由{expected}修改")
def path_permitted(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """谁可以修改哪些文件（--actor 的角色取基准版本的 registry/staff.yml，未列出的账号为申报单位）：
    scripts/、schemas/、.github/、.ci/、tests/、benchmarks/、pyproject.toml、setup.py、setup.cfg、
    MANIFEST.in、build/ 以及 policy.yml、
    staff.yml、departments.yml、calendar/ 只能由系统管理员修改；centers/ 中的中心文件由市科技局
    及以上修改；申报单位只能新增或修改 applications/<部门代号>/<申报代号>.yml；其余文件须由
    市科技局或系统管理员修改。完整的表见 ticreg/path_roles.py 的 PROTECTED_PATHS。"""
    actor = ctx.actor
    if actor is None:
        return
    needed = required_role(change.path, change.kind, ctx.protected)
    if ROLE_RANK[actor.role] < ROLE_RANK[needed]:
        above = [role_label(r) for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[needed]]
        yield hit((), other=actor.describe(), actual=change.path, expected=above)


@rule("G911", severity="error", article=_ORDER, scope="changes", title="无权记录此事件",
      template="{field}：{other}不能记录“{actual}”；此事件由{expected}记录")
def event_recordable_by_actor(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """每个新增事件只能由状态表中规定的角色记录：单位申报与撤回由申报单位记录，组织管理部门审核
    （通过，或在 department-review 环节不予通过）由组织管理部门记录，其余环节与中心的认定、评估、
    变更、撤销由市科技局记录；系统管理员可以记录任何事件。例如申报单位不能在自己的申报中写入
    department-approved。"""
    actor = ctx.actor
    if actor is None or actor.role == "admin" or change.history is None:
        return
    for added in _each_added(change):
        if added.event is None:
            continue
        roles = added.transition.roles if added.transition is not None else event_roles(
            change.history.record, added.event, change.history.app_kind)
        if roles and actor.role not in roles:
            yield hit(("history", added.index, "event"), field=f"history[{added.index}].event",
                      other=actor.describe(), actual=event_label(change.history.record, added.event.event),
                      expected=[role_label(r) for r in ROLE_RANK if r in roles] + [role_label("admin")])


@rule("G912", severity="error", article=_5, scope="changes", title="办理了其他部门的申报",
      template="{other}只能办理本部门（{expected}）的申报，不能修改 {actual} 下的申报")
def own_department_only(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """组织管理部门的工作人员只能办理存放在本部门文件夹 applications/<本部门代号>/ 下的申报：
    一个县（市、区）的审核员不能审核通过另一个县的申报。"""
    actor = ctx.actor
    if actor is None or actor.role != "department" or change.kind != "application":
        return
    if change.department != actor.department:
        added = [a for a in _each_added(change) if a.event is not None]
        where = ("history", added[0].index, "event") if added else (change.first_difference or ())
        yield hit(where, other=actor.describe(), expected=actor.department,
                  actual=f"applications/{change.department}/")


@rule("G913", severity="error", article=_9, scope="changes", title="审核开始后申报单位修改申报",
      template="{field}：申报已进入审核（基准版本中的状态为“{other}”），申报单位不能再修改申报内容；审核开始前（状态为“{expected}”）才能随更正事件 amended 修改，之后只能记录撤回 withdrawn")
def applicant_edits_before_review(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """申报单位可以在组织管理部门审核之前（基准版本中的状态为“待组织管理部门审核”）修改申报的
    内容（办理记录以外的字段），同时追加更正（amended）事件列出修改的字段（G918、G919）；
    审核开始后申报内容即为受理的材料，申报单位只能追加撤回事件。"""
    actor = ctx.actor
    if actor is None or actor.role != "applicant" or change.kind != "application" or change.status != "M":
        return
    if change.profile_difference is None or change.history is None:
        return
    state = change.history.base_state
    if state != "submitted":
        other = state_label("application", state) if state is not None else "无法确定"
        yield hit(change.profile_difference, field=dotted(change.profile_difference, top=FILE_TOP), other=other,
                  expected=state_label("application", "submitted"))


@rule("G914", severity="error", article=_5, scope="changes", title="组织管理部门修改申报内容",
      template="{field}：组织管理部门只能记录审核事件，不能修改申报内容（基准版本为“{expected}”）")
def department_does_not_edit_profiles(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """组织管理部门审核申报，而不替申报单位填写申报：其工作人员只能在办理记录末尾追加本部门的
    审核事件，不能修改办理记录以外的任何字段；唯一的例外是审核通过前随更正（amended）事件所作的
    更正（G918、G919）。"""
    actor = ctx.actor
    if actor is None or actor.role != "department" or change.kind != "application" or change.status != "M":
        return
    if change.profile_difference is None or _amends(change):
        return
    yield hit(change.profile_difference, field=dotted(change.profile_difference, top=FILE_TOP), expected=change.profile_base_value)


def _amends(change: Change) -> bool:
    """The change appends an `amended` event: G918/G919 judge the correction, not G914."""
    return any(a.event is not None and a.event.event == "amended" for a in _each_added(change))


