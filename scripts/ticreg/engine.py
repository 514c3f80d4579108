"""The rule engine: what a check may consult, and the one loop that turns its hits into findings.

Two kinds of check exist, and each kind's context is a named type here, so a
rule's signature says what it may use:

    RegistryContext  the loaded registry (``ticreg validate``, and ``ticreg
                     record`` for the history rules): policy, records, today
    ChangeContext    a pull request (``ticreg check-changes``): its author,
                     the registry folder, the protected paths, the base policy

``validate``, ``record`` and ``check-changes`` all call ``findings_for``:
a hit becomes a finding in one place, with the rule's message template.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ticreg_schemas import Policy
from ticreg_schemas.departments import Department

from .catalog import Hit, Rule
from .findings import Finding
from .process.calendar import WorkingCalendar
from .process.machine import ROLES
from .registry_files import Record
from .schema_check import field_label

if TYPE_CHECKING:  # for annotations only
    from ticreg_schemas import Center, Departments
    from ticreg_schemas.application import Application
    from ticreg_schemas.common import RegistryModel

# Where a hit is reported: the shown path and the (line, column) in it.
Place = Callable[[Hit], tuple[str, tuple[int, int]]]


def findings_for(rule: Rule, hits: Iterable[Hit], place: Place, model_type: type | None = None) -> Iterator[Finding]:
    """Each hit of ``rule`` as a positioned, worded finding.

    With ``model_type``, a template's ``{field}`` the check left out is the
    field's label from that model (path and Chinese name).
    """
    for h in hits:
        values = dict(h.values)
        if model_type is not None and "field" in rule.fields and "field" not in values:
            values["field"] = field_label(model_type, h.where)
        path, pos = place(h)
        yield rule.finding(path, pos, **values)


# The model a checked file holds.
M = TypeVar("M", bound="RegistryModel", covariant=True)


@dataclass(frozen=True)
class Checked(Generic[M]):
    """A registry file whose content passed its schema, with its model's type:
    what the cross-file checks compare."""

    record: Record
    model: M

    @property
    def path(self) -> str:
        return self.record.path

    @property
    def relative(self) -> PurePosixPath:
        return self.record.relative


@dataclass
class RegistryContext:
    """What a record check may consult besides the record it looks at."""

    policy: Policy
    records: list[Record]
    departments: dict[str, Department] = field(default_factory=dict)
    # By the ID written in the file; several files under one ID are X501's finding.
    applications: dict[str, list[Checked[Application]]] = field(default_factory=lambda: defaultdict(list))
    centers: dict[str, list[Checked[Center]]] = field(default_factory=lambda: defaultdict(list))
    department_record: Checked[Departments] | None = None
    # IDs written in application and center files, valid or not: a reference
    # to a file that exists but has a schema error is not a broken reference.
    application_ids: set[str] = field(default_factory=set)
    center_ids: set[str] = field(default_factory=set)
    # "Today" in Asia/Shanghai, passed in; None skips the checks that need it.
    today: dt.date | None = None
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    # Values several checks derive from one model (a replayed history, say),
    # computed once per run; keyed by (what, id(model)), stable while records
    # live. The module that stores a value reads it back as the type it stored.
    derived: dict[tuple[str, int], Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Actor:
    """Who a pull request is from, as staff.yml at the base says."""

    login: str
    role: str  # applicant, department, bureau or admin
    department: str | None
    listed: bool  # in staff.yml at the base

    def describe(self) -> str:
        if not self.listed:
            return f"{self.login}（未列入基准版本的 staff.yml，视为{ROLES['applicant']}）"
        where = f"，{self.department}" if self.department else ""
        return f"{self.login}（{ROLES[self.role]}{where}）"


class ChangeContext(Protocol):
    """What a change check may consult besides the change it looks at.

    ``ticreg check-changes`` implements it over a git repository
    (changes.PullRequestContext); a check uses only what is named here.
    """

    prefix: str  # the registry folder relative to the repository top: "" or ending in "/"
    actor: Actor | None
    protected: tuple[tuple[str, str], ...]

    def readable_policy(self) -> Policy | None:
        """policy.yml at the base (the head's when the base has none); None when neither can be read."""
        ...
