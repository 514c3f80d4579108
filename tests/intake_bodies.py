"""Issue bodies for the intake tests, made the way GitHub makes them: from a filled form.

``values_from_application`` fills the issue form with an existing application
file's data (the sample registry's, or a template's), so that the tests start
from a body that is known to describe a valid application; ``body`` renders
it with the same layout GitHub uses (``### label``, ``_No response_``,
``- [X] option``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from conftest import REGISTRY, REPO
from ticreg.github.issue_body import render_body
from ticreg.github.issue_forms import CHECKBOXES, DROPDOWN, Form, FormField, forms
from ticreg.registry_context import load_policy

POLICY = load_policy(REGISTRY)
APPLICATION_FORM, CHANGE_FORM = forms(POLICY, "")
APPLICATION_FIELDS = APPLICATION_FORM.by_id()
CHANGE_FIELDS = CHANGE_FORM.by_id()
OFFICE_PHONE = "0356-2123456"
EXEMPLAR = REGISTRY / "applications" / "zezhou" / "2024-zezhou-001.yml"
DIRECT_TEMPLATE = REPO / "templates" / "application-direct-certification.yml"
CHANGE_TEMPLATE = REPO / "templates" / "application-change.yml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _get(data: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _code(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _label(choices, value) -> str:
    return next(c.label for c in choices if c.value == _code(value))


def _cell(column, value) -> str:
    if value is None:
        return ""
    if column.choices:
        return _label(column.choices, value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _value(f: FormField, data: dict):
    value = _get(data, f.path)
    if f.id == "privacy":
        return frozenset({"confirmed"})
    if value is None or value == []:
        return None
    if f.kind == DROPDOWN:
        return next(c for c in f.choices if c.value == _code(value))
    if f.kind == CHECKBOXES:
        return frozenset(value if isinstance(value, list) else [k for k, v in value.items() if v])
    if f.columns:
        return "\n".join("|".join(_cell(col, row.get(col.key)) for col in f.columns) for row in value)
    if f.lines:
        return "\n".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def values_from_application(data: dict, form: Form = APPLICATION_FORM) -> dict:
    """The form filled in with ``data``; the contact phone becomes an office number
    (the form refuses mobile numbers: the issue is public)."""
    values = {f.id: _value(f, data) for f in form.fields}
    values["contact_phone"] = OFFICE_PHONE
    return values


def body(values: dict, form: Form = APPLICATION_FORM) -> str:
    return render_body(form, values)


# The exemplar filed again is a new application: it asks for a name no center holds (X507).
EXEMPLAR_NEW_NAME = "晋城市煤层气清洁利用技术创新中心"


def exemplar_values() -> dict:
    data = load(EXEMPLAR)
    data["proposed_name"] = EXEMPLAR_NEW_NAME
    return values_from_application(data)


def direct_values() -> dict:
    data = load(DIRECT_TEMPLATE)
    data["county_code"] = "140525"  # zezhou: the mini registry's department folder
    return values_from_application(data)


def change_values(center: str = "coalbed-methane-development") -> dict:
    data = load(CHANGE_TEMPLATE)
    data["center_id"] = center
    data["requested_change"]["new_name"] = "晋城市煤层气绿色开发技术创新中心"
    # The change comes from the center's own lead unit (F813).
    data["lead_unit"].update(name="晋城蓝焰煤层气工程研究有限公司", uscc="91140525MA0GQ7K10H")
    return values_from_application(data, CHANGE_FORM)
