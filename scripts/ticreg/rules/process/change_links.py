"""Article 15: a change application belongs to its center, and the center records what was approved.

F809 (certification_links.py) holds the approval and the center's ``changed``
record to the same document number and new name; these checks add what the
change application must share with its center before it can be approved, and
the new research directions after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ticreg_schemas.application import Application, ChangeApplication
from ticreg_schemas.center import Center

from ...catalog import Hit, hit, rule
from ...engine import Checked, RegistryContext
from ...findings import dotted
from ...process.machine import CENTER_STATES, CENTER_TRANSITIONS
from ...process.replay import center_state_on, final_state, replay_application

_15 = "第十五条"

# The center states a change may be made in: where the state table lets a `changed` event start.
CHANGEABLE_STATES: frozenset[str] = frozenset[str]().union(*(t.sources for t in CENTER_TRANSITIONS if t.event == "changed"))


def _changes_with_centers(
    ctx: RegistryContext,
) -> Iterator[tuple[Checked[Application], ChangeApplication, Checked[Center]]]:
    """Each change application and the one center file it names (X501, X502 report the others)."""
    for records in ctx.applications.values():
        for record in records:
            app = record.model
            if isinstance(app, ChangeApplication) and len(ctx.centers.get(app.center_id, [])) == 1:
                yield record, app, ctx.centers[app.center_id][0]


@rule("F813", severity="error", article=_15, scope="registry", title="变更申请与中心不符",
      template="{field} 为“{actual}”，与所变更的中心 {other} 的“{expected}”不一致")
def change_belongs_to_center(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第十五条：更名、变更主要研究方向或调整重组，由中心的牵头建设单位提出书面申请，经中心的组织管理部门
    审核后报市科技局批准。所以变更申请的组织管理部门须是该中心的组织管理部门，牵头单位的统一社会信用代码
    和名称须与中心档案中的牵头单位相同（中心的牵头单位即认定时的牵头单位，见 F808）。"""
    for record, app, center_record in _changes_with_centers(ctx):
        center = center_record.model
        pairs = [
            (("organizing_department",), app.organizing_department, center.organizing_department),
            (("lead_unit", "uscc"), app.lead_unit.uscc, center.lead_unit.uscc),
            (("lead_unit", "name"), app.lead_unit.name, center.lead_unit.name),
        ]
        for where, actual, expected in pairs:
            if actual != expected:
                yield hit(where, path=record.path, actual=actual, expected=expected,
                          other=f"{center_record.path} {dotted(where)}")


def _dated_steps(app: ChangeApplication) -> Iterator[tuple[int, date]]:
    """The submission and the approval: the two moments the center must be open to a change."""
    for step in replay_application(app):
        if step.event.event in ("submitted", "change-approved") and step.transition is not None:
            yield step.index, step.event.date


@rule("F814", severity="error", article=_15, scope="registry", title="中心当时不能变更",
      template="{field}：该日中心 {other} 的状态为“{actual}”，不能申请或批准变更；{expected}")
def center_open_to_change(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第十五条的更名、变更主要研究方向、调整重组只适用于已认定、仍在运行的中心：变更申请提交之日和
    批准之日，中心都须处于状态表允许记录变更（changed）的状态，即运行中或整改中。尚未认定、评估结论为
    撤销待下达撤销文件、已撤销的中心，不能申请变更，也不能批准变更（已撤销的中心只保留历史，
    只追加的办理记录无法再纠正一次错误的批准）。"""
    allowed = "、".join(f"“{CENTER_STATES[s]}”" for s in sorted(CHANGEABLE_STATES))
    for record, app, center_record in _changes_with_centers(ctx):
        for index, day in _dated_steps(app):
            state = center_state_on(center_record.model, day)
            if state not in CHANGEABLE_STATES:
                yield hit(("history", index, "date"), path=record.path, actual=CENTER_STATES[state],
                          other=center_record.path, expected=f"只有{allowed}的中心可以变更")


def _approved_change(ctx: RegistryContext, application_id: str | None) -> ChangeApplication | None:
    found = ctx.applications.get(application_id or "", [])
    app = found[0].model if len(found) == 1 else None
    if isinstance(app, ChangeApplication) and final_state(replay_application(app)) == "change-approved":
        return app
    return None  # F809 reports a changed record without an approved change application


@rule("F815", severity="error", article=_15, scope="registry", title="中心研究方向与批准的变更不一致",
      template="{field} 为“{actual}”，与批准的变更不一致：{expected}（{other}）")
def directions_as_approved(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第十五条：变更主要研究方向须经市科技局批准，中心档案记录批准的结果。中心档案中每条变更记录
    （changed）的新研究方向（new_research_directions）须与所依据的变更申请请求的新研究方向完全相同，
    申请没有请求变更研究方向的，变更记录也不能写新研究方向；中心现在的主要研究方向须是最后一次
    变更后的研究方向。名称与文号由 F809 检查。"""
    for records in ctx.centers.values():
        for center_record in records:
            yield from _directions_of(ctx, center_record)


def _directions_of(ctx: RegistryContext, center_record: Checked[Center]) -> Iterator[Hit]:
    center = center_record.model
    latest: list[str] | None = None
    for i, event in enumerate(center.history):
        if event.event != "changed":
            continue
        latest = event.new_research_directions or latest
        app = _approved_change(ctx, event.application_id)
        wanted = app.requested_change.new_research_directions if app is not None else None
        if app is not None and event.new_research_directions != wanted:
            where = ("history", i, "new_research_directions")
            yield hit(where, path=center_record.path, actual=event.new_research_directions or "（未填写）",
                      expected=f"批准的新研究方向为“{'、'.join(wanted)}”" if wanted else "该申请没有请求变更研究方向",
                      other=f"变更申请 {app.id}")
    if latest is not None and center.research_directions != latest:
        yield hit(("research_directions",), path=center_record.path, actual=center.research_directions,
                  expected=f"现主要研究方向应为最后一次变更后的“{'、'.join(latest)}”", other="中心档案的变更记录")
