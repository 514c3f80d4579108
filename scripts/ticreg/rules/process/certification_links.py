"""A certified application and its center file, a change and its center, agree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ticreg_schemas.application import ApplicationEvent, CertificationFields, CertifyingApplication
from ticreg_schemas.center import Center

from ...findings import dotted
from ...process.replay import Step, final_state, replay_application
from ...engine import Checked, RegistryContext
from ...catalog import Hit, Where, hit, rule


def _center_name_at_certification(center: Center) -> str:
    """The name before the first rename, or the current name."""
    for event in center.history:
        if event.event == "changed" and event.former_name is not None:
            return event.former_name
    return center.name


def _certification_of(application: CertifyingApplication) -> Step[ApplicationEvent] | None:
    """The certified event of a certified application, else None."""
    steps = list(replay_application(application))
    if final_state(steps) != "certified":
        return None
    return next(s for s in reversed(steps) if s.event.event == "certified")


@rule("F808", severity="error", article="第九条", scope="registry", title="认定申报与中心档案不一致",
      template="{field} 为“{actual}”，与认定申报 {other} 中的“{expected}”不一致")
def certified_application_matches_center(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """每个已认定的申报恰好对应一个中心文件，二者一致：中心的认定申报代号、认定日期与文号、
    类别、牵头单位名称与统一社会信用代码，以及认定时的名称（更名前的名称）都与申报相同；
    每个中心文件都须有一个已认定的申报。"""
    claimed = _centers_by_application(ctx)
    for records in ctx.applications.values():
        for record in records:
            if isinstance(record.model, CertificationFields):  # not a change
                yield from _application_against_centers(ctx, record.path, record.model,
                                                        claimed.get(record.model.id, []))
    yield from _centers_claiming_a_change(ctx, claimed)


def _centers_by_application(ctx: RegistryContext) -> dict[str, list[Checked[Center]]]:
    """The center files by the application each names as its certification."""
    claimed: dict[str, list[Checked[Center]]] = {}
    for records in ctx.centers.values():
        for center_record in records:
            claimed.setdefault(center_record.model.application_id, []).append(center_record)
    return claimed


def _application_against_centers(ctx: RegistryContext, path: str, app: CertifyingApplication,
                                 centers: list[Checked[Center]]) -> Iterator[Hit]:
    """The centers naming one certification application (at ``path``): only a certified
    one may be named, only by the center it certified, and that center agrees with it."""
    step = _certification_of(app)
    if step is None:
        for center_record in centers:
            yield hit(("application_id",), path=center_record.path, field="application_id",
                      actual=app.id, expected="已认定（history 以 certified 结束）", other=path)
        return
    event = step.event
    for center_record in centers:
        # A center_id naming no file at all is X502's finding, not a disagreement.
        if center_record.model.id != event.center_id and event.center_id in ctx.center_ids:
            yield hit(("application_id",), path=center_record.path, field="application_id",
                      actual=app.id, expected=f"认定的中心为 {event.center_id}", other=path)
    target = next((c for c in centers if c.model.id == event.center_id), None)
    if target is None:
        return  # X502 reports a center_id that resolves to nothing
    for where, actual, expected in _compared_fields(target.model, app, event):
        # A missing value is H701's finding; an unknown id is X502's.
        if actual is None or expected is None:
            continue
        if where[-1] == "application_id" and actual not in ctx.application_ids:
            continue
        if actual != expected:
            yield hit(where, path=target.path, field=dotted(where), actual=actual,
                      expected=expected, other=path)


def _compared_fields(center: Center, app: CertificationFields, event: ApplicationEvent) -> list[tuple[Where, object, object]]:
    """(where in the center file, the center's value, the application's value) for
    each field the two must agree on; ``event`` is the application's certified event."""
    pairs: list[tuple[Where, object, object]] = [
        (("category",), center.category, app.category),
        (("lead_unit", "name"), center.lead_unit.name, app.lead_unit.name),
        (("lead_unit", "uscc"), center.lead_unit.uscc, app.lead_unit.uscc),
        (("name",), _center_name_at_certification(center), app.proposed_name),
    ]
    certified = next((i for i, e in enumerate(center.history) if e.event == "certified"), None)
    if certified is not None:
        c_event = center.history[certified]
        pairs += [
            (("history", certified, "date"), c_event.date.isoformat(), event.date.isoformat()),
            (("history", certified, "document_number"), c_event.document_number, event.document_number),
            (("history", certified, "application_id"), c_event.application_id, app.id),
        ]
    return pairs


def _centers_claiming_a_change(ctx: RegistryContext, claimed: dict[str, list[Checked[Center]]]) -> Iterator[Hit]:
    """A center file whose certification application is a change application."""
    for application_id, centers in claimed.items():
        found = ctx.applications.get(application_id, [])
        if not found and application_id in ctx.application_ids:
            continue  # the application exists but fails its schema: reported there
        for center_record in centers:
            if found and found[0].model.kind == "change":
                yield hit(("application_id",), path=center_record.path, field="application_id",
                          actual=application_id, expected="认定申报（certification 或 direct-certification）",
                          other=found[0].path)


@rule("F809", severity="error", article="第十五条", scope="registry", title="变更批准与中心记录不一致",
      template="{field}：{actual}，与变更申请 {other} 不一致：{expected}")
def change_matches_center(ctx: RegistryContext, root: Path) -> Iterator[Hit]:
    """第十五条变更经市科技局批准后，中心档案须有对应的 changed 记录：application_id 指向该变更申请，
    文号相同，更名的新名称与申请一致，且中心现名称为最后一次更名后的名称。中心档案中的每条变更记录
    也都须对应一个已批准的变更申请。"""
    recorded = {
        (c.model.id, e.application_id)
        for records in ctx.centers.values()
        for c in records
        for e in c.model.history
        if e.event == "changed"
    }
    for records in ctx.applications.values():
        for record in records:
            app = record.model
            if app.kind != "change" or app.center_id not in ctx.centers:
                continue
            if (app.center_id, app.id) in recorded:
                continue
            if final_state(replay_application(app)) == "change-approved":
                center_record = ctx.centers[app.center_id][0]
                yield hit(("history",), path=center_record.path, field="history",
                          actual="没有对应的 changed 记录", expected=f"应追加 application_id 为 {app.id} 的 changed 记录",
                          other=record.path)
    for center_files in ctx.centers.values():
        for center_record in center_files:
            center = center_record.model
            renamed = [e.new_name for e in center.history if e.event == "changed" and e.new_name]
            if renamed and center.name != renamed[-1]:
                yield hit(("name",), path=center_record.path, field="name", actual=center.name,
                          expected=f"现名称应为最后一次更名后的“{renamed[-1]}”", other="（中心档案）")
            for i, event in enumerate(center.history):
                if event.event != "changed" or event.application_id is None:
                    continue
                found = ctx.applications.get(event.application_id, [])
                if not found:
                    continue  # X502 (missing) or the application's own schema findings
                app = found[0].model
                where = ("history", i, "application_id")
                if app.kind != "change" or final_state(replay_application(app)) != "change-approved":
                    yield hit(where, path=center_record.path, field=dotted(where), actual=app.id,
                              expected="应为已批准（change-approved）的变更申请", other=found[0].path)
                    continue
                approval = next(e for e in reversed(app.history) if e.event == "change-approved")
                if event.document_number != approval.document_number:
                    where = ("history", i, "document_number")
                    yield hit(where, path=center_record.path, field=dotted(where),
                              actual=event.document_number, expected=f"文号应为“{approval.document_number}”",
                              other=found[0].path)
                wanted = app.requested_change.new_name
                if wanted is not None and event.new_name != wanted:
                    where = ("history", i, "new_name")
                    yield hit(where, path=center_record.path, field=dotted(where),
                              actual=event.new_name or "（未填写）", expected=f"新名称应为“{wanted}”",
                              other=found[0].path)

