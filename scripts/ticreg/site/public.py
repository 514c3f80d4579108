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

from ticreg_schemas.events import EVALUATION_OUTCOMES

from ..engine import RegistryContext
from ..process.evaluation import evaluation_status
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
    excellent: bool  # the latest evaluation marked it excellent
    evaluations: tuple[Evaluation, ...]
    changes: tuple[Change, ...]
    revocation: Revocation | None
    former_names: tuple[str, ...]
    team: TeamFigures | None
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


def public_center(center, application, policy, departments, path: str = "") -> PublicCenter:
    """The public view of one valid center model and its certifying application."""
    name_of = policy.name_of
    certified = next(e for e in center.history if e.event == "certified")
    state = final_state(replay_center(center))
    status = evaluation_status(center, policy.evaluation.cycle_years)
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
        next_evaluation_due=status.next_due if status else None,
        rectification_deadline=status.rectification_deadline if status else None,
        excellent=bool(evaluations and evaluations[-1].excellent),
        evaluations=evaluations,
        changes=changes,
        revocation=Revocation(revoked.date, revoked.document_number, revoked.reason) if revoked else None,
        former_names=tuple(c.former_name for c in changes if c.former_name),
        team=_team(application, policy),
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
            out.append(public_center(center, application, ctx.policy, ctx.departments, record.path))
    return sorted(out, key=lambda c: (c.certified_on, c.id))
