"""What the public sees of each center: DOMAIN.md's "What is public", nothing more.

Published: the director's name and title, the lead unit, co-builders,
directions, services, public contact details, certification data and the
history. Never published: the applicant's contact person and phone, team
members' names (only aggregate figures), identity or mobile numbers.
Everything here is plain data; the templates escape it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ticreg_schemas import Policy
from ticreg_schemas.application import Application
from ticreg_schemas.center import RECOMMENDATION_OUTCOMES
from ticreg_schemas.center import Center as CenterModel
from ticreg_schemas.events import EVALUATION_OUTCOMES

from ..engine import RegistryContext
from ..process.calendar import WorkingCalendar
from ..process.evaluation import DueDate, evaluation_status
from ..process.machine import CENTER_STATES
from ..process.replay import final_state, replay_center
from ..rules.eligibility import local_members, qualified_full_time
from .procedure import ProcedureStep, procedure

# The states a published center can be in, in the order statistics list them.
CENTER_STATE_ORDER = ("active", "rectifying", "revocation-decided", "revoked")


@dataclass(frozen=True)
class Party:
    name: str
    kind: str  # unit kind, Chinese
    join_mode: str | None = None  # co-builders: Chinese
    uscc: str | None = None


@dataclass(frozen=True)
class Institution:
    name: str
    host_unit: str | None
    focus: str


@dataclass(frozen=True)
class Evaluation:
    date: dt.date
    outcome: str  # id: retain / rectify / revoke
    outcome_label: str
    excellent: bool
    rectification_deadline: dt.date | None
    evaluator: str | None
    document_number: str | None
    note: str | None


@dataclass(frozen=True)
class Change:
    date: dt.date
    document_number: str
    former_name: str | None
    new_name: str | None
    former_research_directions: tuple[str, ...]
    new_research_directions: tuple[str, ...]
    restructuring: str | None
    note: str | None


@dataclass(frozen=True)
class Revocation:
    date: dt.date
    document_number: str
    reason: str


@dataclass(frozen=True)
class Support:
    """Art. 14: key support from a municipal S&T programme."""

    year: int
    programme: str
    project: str | None
    amount_yuan: int
    document_number: str | None


@dataclass(frozen=True)
class Recommendation:
    """Art. 14: a recommendation to the provincial level and what became of it."""

    year: int
    kind_label: str
    name: str | None
    outcome: str  # id: pending / approved / not-approved
    outcome_label: str


@dataclass(frozen=True)
class Transition:
    """Art. 10: an internal unit's way to an independent legal entity."""

    target_date: dt.date
    entity_name: str | None
    entity_uscc: str | None
    entity_form_label: str | None
    registered_on: dt.date | None


@dataclass(frozen=True)
class Basis:
    """What the certification rests on besides Art. 8 (Art. 16): a provincial
    platform (direct certification) or a converted municipal engineering research center."""

    label: str  # 直接认定所依据的省级以上平台 / 转建的市级工程技术研究中心
    name: str
    kind_label: str
    certified_by: str | None
    document_number: str
    certified_on: dt.date
    priority: bool  # a conversion: 优先支持


@dataclass(frozen=True)
class TeamFigures:
    """Aggregates only: no member is ever named on the site."""

    members: int
    full_time: int
    qualified_full_time: int
    local: int  # working in Jincheng more than policy's months a year
    local_months_more_than: float
    by_title_level: tuple[tuple[str, int], ...]  # (Chinese label, count), policy order


@dataclass(frozen=True)
class PublicCenter:
    id: str
    name: str
    category: str
    category_label: str
    cluster: str | None
    cluster_label: str | None
    county_code: str
    county_label: str
    department_label: str
    legal_form_label: str
    lead_unit: Party
    co_builders: tuple[Party, ...]
    director_name: str
    director_title: str  # the title as written, else the title level's name
    research_directions: tuple[str, ...]
    summary: str
    services: tuple[str, ...]  # Chinese labels, policy order
    service_ids: tuple[str, ...]
    specialized_institutions: tuple[Institution, ...]
    address: str | None
    office_phone: str | None
    email: str | None
    website: str | None  # http or https only (the schema refuses anything else)
    certified_on: dt.date
    certification_document: str
    application_id: str
    state: str
    state_label: str
    next_evaluation_due: dt.date | None
    rectification_deadline: dt.date | None
    # Set only where Civil Code Art. 203 moves the date above off a rest day: the day still on time.
    next_evaluation_moved_to: dt.date | None
    rectification_moved_to: dt.date | None
    excellent: bool  # the latest evaluation marked it excellent
    evaluations: tuple[Evaluation, ...]
    changes: tuple[Change, ...]
    revocation: Revocation | None
    former_names: tuple[str, ...]
    team: TeamFigures | None
    major_cluster: bool = False  # Art. 7: one of the 五大千亿级产业集群 (policy major_clusters)
    lead_unit_above_size: bool | None = None  # Art. 3, as the certifying application states it
    transition: Transition | None = None
    support: tuple[Support, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    basis: Basis | None = None
    path: str = field(default="")  # the registry file, for maintainers' messages
    procedure: tuple[ProcedureStep, ...] = ()  # the certifying application's stages (Art. 9)

    @property
    def url(self) -> str:
        """Site-relative URL of the center's page (directory URLs)."""
        return f"centers/{self.id}/"

    @property
    def certified_year(self) -> int:
        return self.certified_on.year


def _team(application, policy) -> TeamFigures | None:
    team = getattr(application, "team", None) if application is not None else None
    if not team:
        return None
    rules = policy.eligibility
    counts = {level.id: 0 for level in policy.title_levels}
    for member in team:
        counts[member.title_level] = counts.get(member.title_level, 0) + 1
    return TeamFigures(
        members=len(team),
        full_time=sum(1 for m in team if m.full_time),
        qualified_full_time=sum(1 for m in team if qualified_full_time(m, rules)),
        local=local_members(team, rules),
        local_months_more_than=rules.local_months_per_year_more_than,
        by_title_level=tuple(
            (policy.name_of("title_levels", level), n) for level, n in counts.items() if n
        ),
    )


def _moved_to(due: DueDate | None) -> dt.date | None:
    return due.effective if due is not None and due.moved else None


def _transition(center: CenterModel, policy: Policy) -> Transition | None:
    plan = center.transition
    if plan is None:
        return None
    entity = plan.legal_entity
    if entity is None:
        return Transition(plan.target_date, None, None, None, None)
    return Transition(plan.target_date, entity.name, entity.uscc,
                      policy.name_of("center_legal_forms", entity.legal_form), entity.registered_on)


def _basis(application: Application | None, policy: Policy) -> Basis | None:
    platform = getattr(application, "provincial_platform", None)
    if platform is not None:
        kind = policy.name_of("platform_levels", platform.level) + policy.name_of("platform_kinds", platform.platform_kind)
        return Basis("直接认定所依据的省级以上平台（第十六条）", platform.name, kind, platform.certified_by,
                     platform.document_number, platform.certified_on, False)
    conversion = getattr(application, "municipal_erc_conversion", None)
    if conversion is not None:
        kind = "、".join(k.name for k in policy.direct_certification.priority_platform_kinds)
        return Basis("转建的市级工程技术研究中心（第十六条，优先支持）", conversion.name, kind, None,
                     conversion.document_number, conversion.certified_on, True)
    return None


def _art14(center: CenterModel, policy: Policy) -> tuple[tuple[Support, ...], tuple[Recommendation, ...]]:
    support = tuple(Support(s.year, s.programme, s.project, s.amount_yuan, s.document_number)
                    for s in center.key_support)
    recommendations = tuple(
        Recommendation(r.year, policy.name_of("recommendation_kinds", r.kind), r.name, r.outcome,
                       RECOMMENDATION_OUTCOMES[r.outcome])
        for r in center.provincial_recommendations
    )
    return support, recommendations


def public_center(center, application, policy, departments, calendar: WorkingCalendar, path: str = "") -> PublicCenter:
    """The public view of one valid center model and its certifying application."""
    name_of = policy.name_of
    certified = next(e for e in center.history if e.event == "certified")
    state = final_state(replay_center(center))
    status = evaluation_status(center, policy.evaluation.cycle_years, calendar)
    evaluations = tuple(
        Evaluation(
            e.date, e.outcome, EVALUATION_OUTCOMES[e.outcome], bool(e.excellent), e.rectification_deadline,
            e.evaluator, e.document_number, e.note,
        )
        for e in center.history
        if e.event == "evaluated"
    )
    changes = tuple(
        Change(
            e.date, e.document_number, e.former_name, e.new_name,
            tuple(e.former_research_directions or ()), tuple(e.new_research_directions or ()),
            e.restructuring, e.note,
        )
        for e in center.history
        if e.event == "changed"
    )
    revoked = next((e for e in center.history if e.event == "revoked"), None)
    department = departments.get(center.organizing_department)
    contact = center.contact
    service_order = [s.id for s in policy.services]
    services = sorted(set(center.services), key=service_order.index)
    support, recommendations = _art14(center, policy)
    return PublicCenter(
        id=center.id,
        name=center.name,
        category=center.category,
        category_label=name_of("categories", center.category),
        cluster=center.cluster,
        cluster_label=name_of("clusters", center.cluster) if center.cluster else None,
        county_code=center.county_code,
        county_label=name_of("counties", center.county_code),
        department_label=department.name if department else center.organizing_department,
        legal_form_label=name_of("center_legal_forms", center.legal_form),
        lead_unit=Party(center.lead_unit.name, name_of("unit_kinds", center.lead_unit.unit_kind), None,
                        center.lead_unit.uscc),
        co_builders=tuple(
            Party(c.name, name_of("unit_kinds", c.unit_kind), name_of("join_modes", c.join_mode), c.uscc)
            for c in center.co_builders
        ),
        director_name=center.director.name,
        director_title=center.director.title or name_of("title_levels", center.director.title_level),
        research_directions=tuple(center.research_directions),
        summary=center.summary,
        services=tuple(name_of("services", s) for s in services),
        service_ids=tuple(services),
        specialized_institutions=tuple(
            Institution(i.name, i.host_unit, i.focus) for i in center.specialized_institutions
        ),
        address=contact.address if contact else None,
        office_phone=contact.office_phone if contact else None,
        email=contact.email if contact else None,
        website=contact.website if contact else None,
        certified_on=certified.date,
        certification_document=certified.document_number,
        application_id=center.application_id,
        state=state,
        state_label=CENTER_STATES.get(state, state),
        next_evaluation_due=status.next_due.nominal if status and status.next_due else None,
        rectification_deadline=status.rectification.nominal if status and status.rectification else None,
        next_evaluation_moved_to=_moved_to(status.next_due) if status else None,
        rectification_moved_to=_moved_to(status.rectification) if status else None,
        excellent=bool(evaluations and evaluations[-1].excellent),
        evaluations=evaluations,
        changes=changes,
        revocation=Revocation(revoked.date, revoked.document_number, revoked.reason) if revoked else None,
        former_names=tuple(c.former_name for c in changes if c.former_name),
        team=_team(application, policy),
        major_cluster=center.cluster in policy.major_clusters,
        lead_unit_above_size=getattr(getattr(application, "lead_unit", None), "above_designated_size", None),
        transition=_transition(center, policy),
        support=support,
        recommendations=recommendations,
        basis=_basis(application, policy),
        path=path,
        procedure=procedure(application, departments),
    )


def public_centers(ctx: RegistryContext) -> list[PublicCenter]:
    """Every certified center in a validated Context, oldest certification first."""
    out = []
    for records in ctx.centers.values():
        for record in records:
            center = record.model
            if not any(e.event == "certified" for e in center.history):
                continue
            applications = ctx.applications.get(center.application_id, [])
            application = applications[0].model if applications else None
            out.append(public_center(center, application, ctx.policy, ctx.departments, ctx.calendar, record.path))
    return sorted(out, key=lambda c: (c.certified_on, c.id))
