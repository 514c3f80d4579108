"""What a pull request changes, path by path: the subject of every change check.

``ticreg.changes`` (``ticreg check-changes``) reads both versions of each
changed path and fills these in; the family G checks in ``ticreg.rules.changes``
read them, with the ``ChangeContext`` of ``ticreg.engine`` beside them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .catalog import Where
from .loader import LoadedFile, PosDict
from .process.machine import Transition
from .process.publicity import PublicityWindow

if TYPE_CHECKING:  # for annotations only
    from ticreg_schemas.application import ApplicationEvent
    from ticreg_schemas.center import CenterEvent


@dataclass(frozen=True)
class Rewrite:
    """A base history entry that is not the same at the same place in the head."""

    index: int
    where: Where  # the first differing node in the head
    head: str
    base: str


@dataclass
class Added:
    """One history entry appended by the change, and where it leaves the record."""

    index: int
    where: Where
    event: ApplicationEvent | CenterEvent | None  # None: the entry does not fit the event model
    problem: str | None
    before: str | None  # the state it is recorded in; None: unknown (see HistoryDiff)
    transition: Transition | None
    previous_date: dt.date | None  # the latest date recorded before it
    window: PublicityWindow | None = None  # for a certification: the publicity it follows
    window_problem: tuple[str, str] | None = None  # (why the window is unknown, what to do)


@dataclass
class HistoryDiff:
    record: str  # "application" or "center"
    app_kind: str | None  # certification, direct-certification or change
    rewritten: list[Rewrite]
    removed: list[str]  # base entries missing at the end of the head's history
    base_state: str | None  # None when the base history cannot be read or the kind is unknown
    added: list[Added]

    @property
    def prefix_intact(self) -> bool:
        return not self.rewritten and not self.removed


@dataclass
class Change:
    """One changed path and, for application and center files, both versions."""

    path: str  # relative to the repository's top folder
    shown: str  # as findings show it (relative to the working directory)
    status: str  # A, M or D
    kind: str | None  # registry file kind; None outside the registry
    department: str | None = None  # an application's department folder
    base: LoadedFile | None = None
    head: LoadedFile | None = None
    history: HistoryDiff | None = None
    renamed_to: Change | None = None
    first_difference: Where | None = None
    profile_difference: Where | None = None  # first changed field outside `history`
    profile_base_value: str | None = None
    non_file: str | None = None  # the head's entry when it is not a regular file (G915), e.g. "符号链接"
    # Top-level fields whose values differ (history and id aside: G901-G904 judge those),
    # each with where the difference starts in the head.
    changed_fields: dict[str, Where] = field(default_factory=dict)

    @property
    def base_raw(self) -> PosDict | None:
        return self.base.data if self.base is not None else None

    @property
    def head_raw(self) -> PosDict | None:
        return self.head.data if self.head is not None else None
