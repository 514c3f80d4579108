"""What a pull request may change in a record already in the registry, and whose application it is: G918-G924.

An application in the base has been submitted: its profile is what the
department reviews. It changes only together with an ``amended`` event that
lists the changed fields, and only while the department has not approved it
(the state machine allows ``amended`` only then: G905). A center's Art. 15
fields (policy.yml ``profile_changes.center_art15_fields``) change only
together with an Art. 15 ``changed`` event, and to what that event says;
its editable fields (``center_editable_fields``) stay free for the Bureau;
the rest is fixed at certification. These hold for every actor.

An application records the GitHub logins of its applicant
(``applicant_logins``). An applicant's pull request that adds an application
must name its author there (G923); one that changes an existing application
must come from a login the base version names (G924): otherwise any account
could withdraw a competitor's application. Staff act as the state machine and
G910-G914 allow.

Like G901-G914 these judge the difference between the base and the head,
positioned in the head's file. The one-file half of the ``amended`` event,
H703 (its fields are the application's), is a history rule in
ticreg.rules.history.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from ticreg_schemas.application import ApplicationEvent
from ticreg_schemas.policy import ProfileChanges

from ...findings import FILE_TOP, dotted
from ...change_set import Added, Change
from ...engine import Actor, ChangeContext
from ...loader import PosDict
from ...catalog import Hit, hit, rule

_DATA = "登记册数据规范"
_9 = "第九条"
_15 = "第十五条"
_5 = "第五条、第九条"


def _appended(change: Change, name: str) -> list[Added]:
    """The readable events named ``name`` that the change appends (history otherwise intact)."""
    history = change.history
    if history is None or not history.prefix_intact:
        return []
    return [a for a in history.added if a.event is not None and a.event.event == name]


def _listed(names: Collection[str]) -> str:
    return "、".join(names) if names else "（无）"


def _profile_rules(ctx: ChangeContext) -> ProfileChanges | None:
    """policy.yml's profile_changes at the base; None when no policy can be read (validate reports it)."""
    policy = ctx.readable_policy()
    return policy.profile_changes if policy is not None else None


def _center_field_classes(ctx: ChangeContext) -> tuple[frozenset[str], frozenset[str] | None]:
    """(Art. 15 fields, editable fields) from the base's policy.yml. Without a readable
    policy every field needs a ``changed`` event: the strictest reading, never a guess."""
    rules = _profile_rules(ctx)
    if rules is None:
        return frozenset(), None
    return frozenset(rules.center_art15_fields), frozenset(rules.center_editable_fields)


def _logins(raw: PosDict | None) -> list[str]:
    value = raw.get("applicant_logins") if isinstance(raw, dict) else None
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _files_for_others(ctx: ChangeContext, actor: Actor) -> bool:
    """The actor is the account `ticreg intake` opens pull requests with (policy.yml filing_accounts)."""
    rules = _profile_rules(ctx)
    accounts = rules.filing_accounts if rules is not None else []
    return actor.login.casefold() in {a.casefold() for a in accounts}


def _applicant(ctx: ChangeContext) -> Actor | None:
    """The actor, when it acts as an applicant."""
    return ctx.actor if ctx.actor is not None and ctx.actor.role == "applicant" else None


def _fields_listed(added: Added) -> list[str] | None:
    """An appended application event's `fields` (the amended event's list)."""
    return added.event.fields if isinstance(added.event, ApplicationEvent) else None


# ---------------------------------------------------------------------------
# Applications: the profile is frozen at submission
# ---------------------------------------------------------------------------


@rule("G918", severity="error", article=_9, scope="changes", title="未经更正事件修改了申报内容",
      template="{field}：申报已提交，申报内容只能随更正事件修改：请在同一次变更中追加 amended 事件，fields 列出修改的字段"
               "（{expected}）；组织管理部门审核通过后不能再修改")
def application_profile_changes_with_amendment(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """申报文件进入登记册（存在于基准版本中）即为已提交，其内容就是审核的材料：任何人（包括市科技局和
    系统管理员）修改办理记录以外的字段，都须在同一次变更中追加一条更正（amended）事件，
    并在 fields 中列出修改的全部字段；更正只能在组织管理部门审核通过之前记录（G905），由申报单位或
    组织管理部门记录。例如已认定的申报，不能再改研发设备原值 rd_equipment_value_yuan。"""
    if change.kind != "application" or change.status != "M" or not change.changed_fields:
        return
    if _appended(change, "amended"):
        return
    first = next(iter(change.changed_fields.values()))
    yield hit(first, field=dotted(first, top=FILE_TOP), expected=_listed(change.changed_fields))


@rule("G919", severity="error", article=_9, scope="changes", title="更正事件列出的字段与实际修改不符",
      template="{field}：更正事件列出的字段为 {actual}，本次实际修改的字段为 {expected}；两者须完全一致")
def amendment_lists_the_changed_fields(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """同一次变更中追加的更正（amended）事件，其 fields 合起来须恰好是本次修改的申报字段
    （顶层字段名）：不能漏列，也不能多列未修改的字段，这样办理记录如实说明改了什么。"""
    if change.kind != "application" or change.status != "M":
        return
    amendments = _appended(change, "amended")
    if not amendments:
        return
    listed: list[str] = []
    for added in amendments:
        listed += [name for name in (_fields_listed(added) or []) if name not in listed]
    if set(listed) != set(change.changed_fields):
        last = amendments[-1]
        where = ("history", last.index, "fields") if _fields_listed(last) is not None else ("history", last.index)
        yield hit(where, field=f"history[{last.index}].fields", actual=_listed(listed),
                  expected=_listed(change.changed_fields))


# ---------------------------------------------------------------------------
# Centers: Art. 15 fields with a changed event, editable fields freely, the rest never
# ---------------------------------------------------------------------------


@rule("G920", severity="error", article=_15, scope="changes", title="未经变更程序修改了中心的第十五条事项",
      template="{field}：中心的名称、主要研究方向、牵头与共建单位、类别只能按第十五条变更：须在同一次变更中追加"
               "变更（changed）事件（本次修改的此类字段：{expected}）")
def center_art15_fields_change_with_event(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """第十五条：中心更名、变更主要研究方向或调整重组，须经批复并记录变更（changed）事件。
    因此 policy.yml 中 profile_changes.center_art15_fields 列出的字段（名称 name、主要研究方向、
    牵头单位、共建单位、类别、产业集群），只能随同一次变更中追加的 changed 事件修改。
    基准版本的 policy.yml 无法读取时，中心的任何字段都须随 changed 事件修改。"""
    if change.kind != "center" or change.status != "M" or not change.changed_fields:
        return
    if _appended(change, "changed"):
        return
    art15, editable = _center_field_classes(ctx)
    governed = [name for name in change.changed_fields if name in art15 or editable is None]
    if governed:
        first = change.changed_fields[governed[0]]
        yield hit(first, field=dotted(first, top=FILE_TOP), expected=_listed(governed))


_STATED = (
    # (event field, record field, version of the record it describes)
    ("new_name", "name", "head"),
    ("new_research_directions", "research_directions", "head"),
    ("former_name", "name", "base"),
    ("former_research_directions", "research_directions", "base"),
)


@rule("G921", severity="error", article=_15, scope="changes", title="中心的修改与变更事件不一致",
      template="{field}：变更事件写明 {other} 为“{expected}”，文件中为“{actual}”")
def center_matches_its_change_event(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """同一次变更中追加的变更（changed）事件写明了新名称 new_name、新研究方向 new_research_directions
    （以及原名称、原研究方向）的，中心文件修改后的名称和主要研究方向须与之相同，修改前的须与
    “原”值相同：记录说的和文件改的是同一件事。"""
    if change.kind != "center" or change.status != "M":
        return
    events = _appended(change, "changed")
    if not events:
        return
    event = events[-1].event
    versions = {"head": change.head_raw, "base": change.base_raw}
    for stated, record_field, version in _STATED:
        wanted = getattr(event, stated)
        if wanted is None:
            continue
        raw = versions[version]
        actual = raw.get(record_field) if raw is not None else None
        if _plain_value(actual) != _plain_value(wanted):
            where = (record_field,) if version == "head" else ("history", events[-1].index, stated)
            yield hit(where, field=dotted(where, top=FILE_TOP), other=stated, expected=_shown(wanted), actual=_shown(actual))


@rule("G922", severity="error", article=_DATA, scope="changes", title="修改了中心认定时确定的字段",
      template="{field}：此字段认定后不能修改（可直接修改的字段：{expected}；须随变更事件修改的字段：{other}）")
def center_fixed_fields_unchanged(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """中心认定时确定的事项，如认定申报代号 application_id、组织管理部门、所在县（市、区），认定后不再修改：
    既不在 policy.yml 的 profile_changes.center_editable_fields（市科技局可直接维护，如联系方式、简介），
    也不在 center_art15_fields（随第十五条变更事件修改）中的字段，一律不能修改。"""
    if change.kind != "center" or change.status != "M":
        return
    art15, editable = _center_field_classes(ctx)
    if editable is None:
        return  # G920 asks for a changed event for every field
    for name, where in change.changed_fields.items():
        if name not in art15 and name not in editable:
            yield hit(where, field=dotted(where, top=FILE_TOP) if where else name, expected=_listed(sorted(editable)),
                      other=_listed(sorted(art15)))


# ---------------------------------------------------------------------------
# The amended event itself (ticreg validate and ticreg record)
# ---------------------------------------------------------------------------
# ---------------------------------------------------------------------------
# Whose application
# ---------------------------------------------------------------------------


@rule("G923", severity="error", article=_5, scope="changes", title="新申报未记录提交者的账号",
      template="{field}：{other}提交新申报时，applicant_logins 须包含本人账号（现为 {actual}）")
def new_application_names_its_author(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """申报单位提交新申报（新增申报文件）时，须在 applicant_logins 中写明本人在代码托管平台上的账号：
    此后只有这些账号（以及工作人员）能为该申报记录撤回、更正等事件。账号不区分大小写。
    议题表单受理（ticreg intake）时记录的是议题作者的账号，开启拉取请求的账号（policy.yml 的
    profile_changes.filing_accounts，如 github-actions[bot]）不在此列。"""
    actor = _applicant(ctx)
    if change.kind != "application" or change.status != "A" or actor is None:
        return
    raw = change.head_raw
    if raw is None or _files_for_others(ctx, actor):
        return
    logins = _logins(raw)
    if actor.login.casefold() not in {login.casefold() for login in logins}:
        where = ("applicant_logins",) if "applicant_logins" in raw else ()
        yield hit(where, field="applicant_logins", other=actor.describe(), actual=_listed(logins))


@rule("G924", severity="error", article=_5, scope="changes", title="修改了他人的申报",
      template="{field}：{other}不是此申报的申报单位账号（基准版本的 applicant_logins：{expected}），不能修改此申报或为其记录事件")
def applicant_acts_on_own_application(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """申报单位只能办理自己的申报：修改已有申报（追加撤回 withdrawn、更正 amended 等）的账号，须列在
    该申报基准版本的 applicant_logins 中（不区分大小写）；本次变更新写入的账号不算数。
    未记录 applicant_logins 的申报，只有工作人员能为其记录事件。组织管理部门、市科技局和系统管理员
    按各自的权限办理（G910-G914）。"""
    actor = _applicant(ctx)
    if change.kind != "application" or change.status != "M" or actor is None:
        return
    if change.first_difference is None:
        return  # written differently, the same values: nothing was done to the application
    logins = _logins(change.base_raw)
    if actor.login.casefold() in {login.casefold() for login in logins}:
        return
    added = [a for a in (change.history.added if change.history is not None else []) if a.event is not None]
    where = ("history", added[0].index, "event") if added else (change.first_difference or ())
    yield hit(where, field=dotted(where, top=FILE_TOP), other=actor.describe(), expected=_listed(logins))


# ---------------------------------------------------------------------------


def _plain_value(value: object) -> object:
    return list(value) if isinstance(value, (list, tuple)) else value


def _shown(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return "（空）" if value is None else str(value)


