"""Walk a history through the state machine, event by event."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # for annotations only
    from ticreg_schemas.application import Application, ApplicationEvent
    from ticreg_schemas.center import Center, CenterEvent

from .machine import Transition, application_transition, center_transition


# The kind of event a step replays: an application's or a center's.
E = TypeVar("E", "ApplicationEvent", "CenterEvent")


@dataclass(frozen=True)
class Step(Generic[E]):
    index: int
    event: E
    before: str  # the state the event starts from
    transition: Transition | None  # None: not a legal move from `before`

    @property
    def after(self) -> str:
        if self.transition is None or self.transition.target == "=":
            return self.before
        return self.transition.target


def replay_application(application: Application, start: str = "new") -> Iterator[Step[ApplicationEvent]]:
    """Illegal events are reported and skipped: the state stays where it was."""
    state = start
    for i, event in enumerate(application.history):
        step = Step(i, event, state, application_transition(state, event, application.kind))
        yield step
        state = step.after


def replay_center(center: Center, start: str = "new") -> Iterator[Step[CenterEvent]]:
    state = start
    for i, event in enumerate(center.history):
        step = Step(i, event, state, center_transition(state, event))
        yield step
        state = step.after


def final_state(steps: Iterable[Step[ApplicationEvent]] | Iterable[Step[CenterEvent]]) -> str:
    state = "new"
    for step in steps:
        state = step.after
    return state


def center_state_on(center: Center, day: date) -> str:
    """The center's state after every event dated on or before ``day`` (a decision of that day counts)."""
    state = "new"
    for step in replay_center(center):
        if step.event.date > day:
            break
        state = step.after
    return state
