"""The one shape every problem takes, whichever layer found it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    rule: str
    severity: str  # "error" or "warning"
    article: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(set(findings))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


# How a change's message names the file's top level (``where == ()``).
FILE_TOP = "（文件顶层）"


def dotted(where: tuple, *, top: str = "") -> str:
    """('history', 0, 'date') -> 'history[0].date', the way every message names a field.

    ``top`` is what to say for ``()``, the file's top level itself.
    """
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in where).lstrip(".") or top


def field_path(where: tuple) -> str:
    """('team', 2, 'mobile') -> 'team.mobile': the field whichever list item, as policy.yml lists fields."""
    return ".".join(str(step) for step in where if isinstance(step, str))
