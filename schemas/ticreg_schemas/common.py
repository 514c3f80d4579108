"""Building blocks shared by every model."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import GroupedMetadata

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError


class RegistryModel(BaseModel):
    """Every registry model: unknown keys are errors, nothing is rewritten."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def F(title: str, description: str, **kwargs: Any) -> Any:
    """A field with the Chinese title and description editors show."""
    return Field(title=title, description=description, **kwargs)


def _yaml12_bool(value: object) -> object:
    # Only YAML 1.2 spellings: "yes", "no", "on", "off" and "是" are refused
    # instead of being guessed (the Norway problem).
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value in ("true", "True", "TRUE"):
            return True
        if value in ("false", "False", "FALSE"):
            return False
    raise PydanticCustomError("yaml_bool", "应为 true 或 false")


YamlBool = Annotated[bool, BeforeValidator(_yaml12_bool)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _calendar_date(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("calendar_date", "应为日期，不含时间")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("calendar_date", "日期无效")


CalendarDate = Annotated[dt.date, BeforeValidator(_calendar_date)]

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]

# Lower-case letters, digits and hyphens: safe as a file name and in a URL.
IDENTIFIER_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
IDENTIFIER = re.compile(IDENTIFIER_PATTERN)  # the one compiled form: IDENTIFIER.fullmatch(value)
Identifier = Annotated[str, StringConstraints(pattern=IDENTIFIER_PATTERN)]

# A top-level field of a record, as `amended` events and policy.yml name them.
FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
FieldName = Annotated[str, StringConstraints(pattern=FIELD_NAME_PATTERN)]

# GitHub's login syntax: letters, digits and single hyphens, not at either end, at most 39.
GITHUB_LOGIN_PATTERN = r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$"
_GITHUB_LOGIN = re.compile(GITHUB_LOGIN_PATTERN)


def _github_login(value: object) -> object:
    if isinstance(value, str) and len(value) <= 39 and _GITHUB_LOGIN.fullmatch(value):
        return value
    raise PydanticCustomError("github_login", "不是有效的 GitHub 账号")


# Checked in Python (S107 names the field); the JSON Schema gives editors the same pattern.
GitHubLogin = Annotated[
    str,
    BeforeValidator(_github_login),
    Field(json_schema_extra={"pattern": GITHUB_LOGIN_PATTERN, "maxLength": 39}),
]


# A number in a record is written the one way a reader cannot misread: plain
# decimal digits. Pydantic alone would take YAML 1.1's "5_600_000",
# "5600000.0", "+5600000" and "05600000" as whole yuan.
_WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]*")
_DECIMAL_NUMBER = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def _plain_number(pattern: re.Pattern, whole: bool):
    def check(value: object) -> object:
        if isinstance(value, bool):
            example = None
        elif isinstance(value, int) or (isinstance(value, float) and not whole):
            return value
        elif isinstance(value, str) and pattern.fullmatch(value):
            return value
        else:
            example = _digits_only(value, whole)
            if example is None:
                return value  # not a number at all ("300万"): the type's own error says so
        raise PydanticCustomError("plain_number", "应只用数字书写", {"whole": whole, "example": example})

    return check


def _digits_only(value: object, whole: bool) -> str | None:
    """How ``value`` is written plainly, when it is a number at all ("5_600_000" -> "5600000")."""
    if not isinstance(value, str) or isinstance(value, bool):
        return None
    try:
        number = decimal.Decimal(value.strip().replace("_", ""))
    except decimal.InvalidOperation:
        try:
            number = decimal.Decimal(int(value.strip().replace("_", ""), 0))
        except ValueError:
            return None
    if not number.is_finite() or number < 0 or number.adjusted() > 30:
        return None
    if number == number.to_integral_value():
        return str(int(number))
    return None if whole else format(number.normalize(), "f")


WholeNumber = BeforeValidator(_plain_number(_WHOLE_NUMBER, whole=True))
DecimalNumber = BeforeValidator(_plain_number(_DECIMAL_NUMBER, whole=False))

Yuan = Annotated[int, Field(ge=0, le=10**13), WholeNumber]
SquareMetres = Annotated[float, Field(ge=0, le=10**8, allow_inf_nan=False), DecimalNumber]


def _policy_member(list_name: str) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        policy = (info.context or {}).get("policy")
        if policy is not None and value not in policy.ids(list_name):
            raise PydanticCustomError(
                "policy_value",
                "不在清单 {list_name} 中",
                {"list_name": list_name, "allowed": policy.labelled(list_name)},
            )
        return value

    return check


@dataclass(frozen=True)
class PolicyList(GroupedMetadata):
    """Text whose allowed values are a list in registry/policy.yml.

    Written ``Annotated[str, PolicyList("ip_kinds")]``: a static type checker
    sees ``str``; Pydantic expands the group into the check against the list
    and the schema's ``x-policy-list``.
    """

    list_name: str

    def __iter__(self) -> Iterator[object]:
        yield AfterValidator(_policy_member(self.list_name))
        yield Field(json_schema_extra={"x-policy-list": self.list_name})


# Only http and https: a "javascript:" address must never reach a page.
WebAddress = Annotated[
    str, StringConstraints(pattern=r"^https?://[^\s<>\"'`]+$", max_length=500)
]
