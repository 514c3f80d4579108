"""The one declarative table of the procedure: states, events, and who records them.

Applications follow Art. 9 (normal path), Art. 16 (direct path: no site
inspection or expert review) and Art. 15 (change path). Any review stage may
reject; the applicant may withdraw while the application is open; an
objection during publicity must be resolved (upheld: rejected; dismissed:
publicity continues) before certification. Centers follow Art. 14 (evaluation
outcomes) and may be revoked; a revoked center stays in the registry.

Roles: ``applicant`` (anyone not in staff.yml), ``department`` (an organizing
management department, for its own applications), ``bureau`` (the Municipal
S&T Bureau), ``admin`` (maintainers, who may record anything).
"""

from __future__ import annotations

from dataclasses import dataclass

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ticreg_schemas.events import EVALUATION_OUTCOMES

if TYPE_CHECKING:  # for annotations only: the table itself needs no model
    from ticreg_schemas.application import ApplicationEvent
    from ticreg_schemas.center import CenterEvent

CERTIFICATION = "certification"
DIRECT = "direct-certification"
CHANGE = "change"
ALL_KINDS = frozenset({CERTIFICATION, DIRECT, CHANGE})
CERTIFYING = frozenset({CERTIFICATION, DIRECT})

ROLES = {
    "applicant": "申报单位",
    "department": "组织管理部门",
    "bureau": "市科技局",
    "admin": "系统管理员",
}

APPLICATION_STATES = {
    "new": "尚未申报",
    "submitted": "待组织管理部门审核",
    "department-approved": "待市科技局复核",
    "bureau-rechecked": "市科技局复核通过",
    "site-inspected": "实地考察完成，待专家评审",
    "expert-reviewed": "专家评审通过，待局党组会议研究",
    "meeting-approved": "局党组会议通过，待公示",
    "in-publicity": "公示中",
    "objection-pending": "公示异议待处理",
    "objection-upheld": "异议成立，待作出不予认定决定",
    "certified": "已认定",
    "change-approved": "变更已批准",
    "rejected": "未予通过",
    "withdrawn": "已撤回",
}

CENTER_STATES = {
    "new": "尚未认定",
    "active": "运行中",
    "rectifying": "整改中",
    "revocation-decided": "评估结论为撤销，待下达撤销文件",
    "revoked": "已撤销",
}

FINAL_APPLICATION_STATES = frozenset({"certified", "change-approved", "rejected", "withdrawn"})


@dataclass(frozen=True)
class Transition:
    event: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    kinds: frozenset[str] = ALL_KINDS  # application kinds this applies to
    stage: str | None = None  # for "rejected": the review stage it must name
    outcome: str | None = None  # for "evaluated": the outcome it applies to


def _t(
    event: str, sources: Iterable[str], target: str, roles: Iterable[str], *,
    kinds: Iterable[str] = ALL_KINDS, stage: str | None = None, outcome: str | None = None,
) -> Transition:
    return Transition(event, frozenset(sources), target, frozenset(roles), frozenset(kinds), stage, outcome)


_OPEN = frozenset(APPLICATION_STATES) - FINAL_APPLICATION_STATES - {"new"}

APPLICATION_TRANSITIONS: tuple[Transition, ...] = (
    _t("submitted", {"new"}, "submitted", {"applicant"}),
    _t("department-approved", {"submitted"}, "department-approved", {"department"}),
    _t("bureau-rechecked", {"department-approved"}, "bureau-rechecked", {"bureau"}, kinds=CERTIFYING),
    _t("site-inspected", {"bureau-rechecked"}, "site-inspected", {"bureau"}, kinds={CERTIFICATION}),
    _t("expert-reviewed", {"site-inspected"}, "expert-reviewed", {"bureau"}, kinds={CERTIFICATION}),
    _t("meeting-approved", {"expert-reviewed"}, "meeting-approved", {"bureau"}, kinds={CERTIFICATION}),
    _t("meeting-approved", {"bureau-rechecked"}, "meeting-approved", {"bureau"}, kinds={DIRECT}),
    _t("publicity-started", {"meeting-approved"}, "in-publicity", {"bureau"}, kinds=CERTIFYING),
    _t("objection-raised", {"in-publicity"}, "objection-pending", {"bureau"}, kinds=CERTIFYING),
    _t("objection-dismissed", {"objection-pending"}, "in-publicity", {"bureau"}, kinds=CERTIFYING),
    _t("objection-upheld", {"objection-pending"}, "objection-upheld", {"bureau"}, kinds=CERTIFYING),
    _t("certified", {"in-publicity"}, "certified", {"bureau"}, kinds=CERTIFYING),
    _t("change-approved", {"department-approved"}, "change-approved", {"bureau"}, kinds={CHANGE}),
    _t("rejected", {"submitted"}, "rejected", {"department"}, stage="department-review"),
    _t("rejected", {"department-approved"}, "rejected", {"bureau"}, kinds=CERTIFYING, stage="bureau-recheck"),
    _t("rejected", {"department-approved"}, "rejected", {"bureau"}, kinds={CHANGE}, stage="change-review"),
    _t("rejected", {"bureau-rechecked"}, "rejected", {"bureau"}, kinds={CERTIFICATION}, stage="site-inspection"),
    _t("rejected", {"bureau-rechecked"}, "rejected", {"bureau"}, kinds={DIRECT}, stage="meeting"),
    _t("rejected", {"site-inspected"}, "rejected", {"bureau"}, kinds={CERTIFICATION}, stage="expert-review"),
    _t("rejected", {"expert-reviewed"}, "rejected", {"bureau"}, kinds={CERTIFICATION}, stage="meeting"),
    _t("rejected", {"objection-upheld"}, "rejected", {"bureau"}, kinds=CERTIFYING, stage="publicity"),
    # The applicant withdraws; its organizing department may record a withdrawal
    # the applicant handed in on paper (sealed), for units that do not use Git.
    _t("withdrawn", _OPEN - {"objection-upheld"}, "withdrawn", {"applicant", "department"}),
    # A correction of the profile while it is still before the department (the fields it lists).
    _t("amended", {"submitted"}, "=", {"applicant", "department"}),
)

CENTER_TRANSITIONS: tuple[Transition, ...] = (
    _t("certified", {"new"}, "active", {"bureau"}),
    _t("evaluated", {"active", "rectifying"}, "active", {"bureau"}, outcome="retain"),
    _t("evaluated", {"active", "rectifying"}, "rectifying", {"bureau"}, outcome="rectify"),
    _t("evaluated", {"active", "rectifying"}, "revocation-decided", {"bureau"}, outcome="revoke"),
    _t("changed", {"active", "rectifying"}, "=", {"bureau"}),
    _t("revoked", {"active", "rectifying", "revocation-decided"}, "revoked", {"bureau"}),
)


def application_transition(state: str, event: ApplicationEvent, kind: str) -> Transition | None:
    """The transition an application event takes from ``state``, if it is legal."""
    for t in APPLICATION_TRANSITIONS:
        if t.event == event.event and state in t.sources and kind in t.kinds:
            if t.stage is None or t.stage == event.stage:
                return t
    return None


def center_transition(state: str, event: CenterEvent) -> Transition | None:
    for t in CENTER_TRANSITIONS:
        if t.event == event.event and state in t.sources and t.outcome in (None, event.outcome):
            return t
    return None


def allowed_application_events(state: str, kind: str | None) -> list[str]:
    seen: list[str] = []
    for t in APPLICATION_TRANSITIONS:
        if state in t.sources and kind in t.kinds and t.event not in seen:
            seen.append(t.event)
    return seen


def allowed_center_events(state: str) -> list[str]:
    seen: list[str] = []
    for t in CENTER_TRANSITIONS:
        label = t.event if t.outcome is None else f"{t.event}（{t.outcome}）"
        if state in t.sources and label not in seen:
            seen.append(label)
    return seen


def expected_stage(state: str, kind: str | None) -> str | None:
    """The stage a rejection in ``state`` must name, if rejection is possible there
    (none for an application whose kind is unknown)."""
    for t in APPLICATION_TRANSITIONS:
        if t.event == "rejected" and state in t.sources and kind in t.kinds:
            return t.stage
    return None


def mermaid(transitions: tuple[Transition, ...], states: dict[str, str], labels: dict[str, str]) -> str:
    """The table as a Mermaid state diagram, in Chinese."""
    lines = ["stateDiagram-v2"]
    for state, name in states.items():
        if state != "new":
            lines.append(f"    {_node(state)}: {name}")
    edges: dict[tuple[str, str], list[str]] = {}
    for t in transitions:
        label = labels.get(t.event, t.event)
        if t.outcome:
            label += f"（{EVALUATION_OUTCOMES.get(t.outcome, t.outcome)}）"
        if t.kinds != ALL_KINDS and len(t.kinds) == 1:
            label += "·直接认定" if DIRECT in t.kinds else ("·变更" if CHANGE in t.kinds else "")
        for source in sorted(t.sources):
            target = source if t.target == "=" else t.target
            edges.setdefault((source, target), [])
            if label not in edges[(source, target)]:
                edges[(source, target)].append(label)
    for (source, target), names in edges.items():
        left = "[*]" if source == "new" else _node(source)
        lines.append(f"    {left} --> {_node(target)}: {'／'.join(names)}")
    finals = {t.target for t in transitions if not any(t.target in u.sources for u in transitions)}
    for state in sorted(finals - {"="}):
        lines.append(f"    {_node(state)} --> [*]")
    return "\n".join(lines) + "\n"


def _node(state: str) -> str:
    return state.replace("-", "_")
