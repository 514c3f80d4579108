"""Article 10: an internal unit's transition to an independent legal entity.

The measures give no period ("逐渐向独立法人实体过渡"); policy.transition.period_years
may set one, counted from certification like the evaluation cycle (Civil Code
Art. 202, ``add_years``). Without it nothing here is ever due.
"""

from __future__ import annotations

import datetime as dt

from ticreg_schemas import Policy
from ticreg_schemas.center import Center

from .evaluation import add_years

# The legal form that marks a center still in transition (policy.yml center_legal_forms).
INTERNAL_UNIT = "internal-unit"


def certified_on(center: Center) -> dt.date | None:
    """The date of the center's certification event, if it has one."""
    return next((e.date for e in center.history if e.event == "certified"), None)


def in_transition(center: Center, as_of: dt.date) -> bool:
    """Set up as an internal unit and, on ``as_of``, with no legal entity registered yet.

    A center that recorded a transition was an internal unit, whatever its
    legal form says now; one that never did and is not an internal unit
    never was.
    """
    transition = center.transition
    if transition is None:
        return center.legal_form == INTERNAL_UNIT
    entity = transition.legal_entity
    return entity is None or entity.registered_on > as_of


def latest_transition_date(center: Center, policy: Policy) -> dt.date | None:
    """The last day policy allows for the transition, or None without a period or a certification."""
    period = policy.transition.period_years
    start = certified_on(center)
    if period is None or start is None:
        return None
    return add_years(start, period)


def transition_due(center: Center, policy: Policy, as_of: dt.date) -> dt.date | None:
    """When a transition unfinished on ``as_of`` falls due: the planned date, else policy's last day.

    None when policy gives no period (the deadlines list stays silent then),
    or when the center is not in transition on ``as_of``.
    """
    latest = latest_transition_date(center, policy)
    if latest is None or not in_transition(center, as_of):
        return None
    planned = center.transition.target_date if center.transition is not None else None
    return min(planned, latest) if planned is not None else latest
