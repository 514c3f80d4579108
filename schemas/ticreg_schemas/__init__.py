"""The data contract: one Pydantic model per kind of registry file.

``ticreg schema`` writes the JSON Schema of each model into ``schemas/json/``.
"""

from .application import APPLICATION_MODELS, ChangeApplication, CertificationApplication, DirectCertificationApplication
from .calendar import CalendarYear
from .center import Center
from .common import RegistryModel
from .departments import Departments
from .policy import Policy
from .staff import Staff

# file kind -> (model, JSON Schema file name)
FILE_MODELS: dict[str, tuple[type[RegistryModel] | None, str]] = {
    "policy": (Policy, "policy.schema.json"),
    "departments": (Departments, "departments.schema.json"),
    "application": (None, "application.schema.json"),  # chosen by its `kind`
    "center": (Center, "center.schema.json"),
    "calendar": (CalendarYear, "calendar.schema.json"),
    "staff": (Staff, "staff.schema.json"),
}

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
