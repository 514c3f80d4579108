"""The data contract: one Pydantic model per kind of registry file.

``ticreg schema`` writes the JSON Schema of each model into ``schemas/json/``.

The names below load on first use (PEP 562): building the models costs more
than the rest of ``ticreg``'s start-up, and ``ticreg_schemas.events`` (plain
data) or a command that needs one model must not pay for all of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker and a reader see; at run time __getattr__ loads them
    from .application import APPLICATION_MODELS, ChangeApplication, CertificationApplication, DirectCertificationApplication
    from .calendar import CalendarYear
    from .center import Center
    from .common import RegistryModel
    from .departments import Departments
    from .policy import Policy
    from .staff import Staff

    # file kind -> (model, JSON Schema file name); see _file_models
    FILE_MODELS: dict[str, tuple[type[RegistryModel] | None, str]]

# public name -> the module of this package that defines it
_HOMES = {
    "APPLICATION_MODELS": "application",
    "CertificationApplication": "application",
    "ChangeApplication": "application",
    "DirectCertificationApplication": "application",
    "CalendarYear": "calendar",
    "Center": "center",
    "Departments": "departments",
    "Policy": "policy",
    "Staff": "staff",
}


def _file_models() -> dict[str, tuple[type[RegistryModel] | None, str]]:
    """file kind -> (model, JSON Schema file name)."""
    return {
        "policy": (__getattr__("Policy"), "policy.schema.json"),
        "departments": (__getattr__("Departments"), "departments.schema.json"),
        "application": (None, "application.schema.json"),  # chosen by its `kind`
        "center": (__getattr__("Center"), "center.schema.json"),
        "calendar": (__getattr__("CalendarYear"), "calendar.schema.json"),
        "staff": (__getattr__("Staff"), "staff.schema.json"),
    }


def __getattr__(name: str) -> Any:
    if name == "FILE_MODELS":
        value: Any = _file_models()
    elif name in _HOMES:
        value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # loaded once; later look-ups do not come here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


__all__ = [
    "APPLICATION_MODELS",
    "CalendarYear",
    "CertificationApplication",
    "Center",
    "ChangeApplication",
    "Departments",
    "DirectCertificationApplication",
    "FILE_MODELS",
    "Policy",
    "Staff",
]
