"""Load the registry-wide settings a command needs on its own: the policy and the calendar.

Commands other than ``validate`` use these; a broken file stops them with a
pointer to ``ticreg validate``, which reports what is wrong and where.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .errors import RegistryHasErrors
from .loader import load_file
from .process.calendar import CALENDAR_DIR, WorkingCalendar
from .schema_check import validate_model

if TYPE_CHECKING:  # imported where used: a command that reads one other file does not build these models
    from ticreg_schemas import Policy
    from ticreg_schemas.common import RegistryModel


M = TypeVar("M", bound="RegistryModel")


def load_model(path: Path, model: type[M]) -> M:
    """One registry file through the safe loader and its model, or RegistryHasErrors."""
    loaded = load_file(path, str(path))
    if loaded.ok and loaded.data is not None:
        value, _ = validate_model(model, loaded.data, str(path), {})
        if value is not None:
            return value
    raise RegistryHasErrors(f"{path} 不存在、无法读取或不合规，请先运行 ticreg validate 查看问题")


def load_policy(registry: Path) -> Policy:
    from ticreg_schemas import Policy

    return load_model(registry / "policy.yml", Policy)


def load_calendar(registry: Path) -> WorkingCalendar:
    from ticreg_schemas import CalendarYear

    calendar = WorkingCalendar()
    for path in sorted((registry / CALENDAR_DIR).glob("*.yml")):
        calendar.add(load_model(path, CalendarYear))
    return calendar
