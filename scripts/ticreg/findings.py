"""The one shape every problem takes, whichever layer found it."""

from __future__ import annotations

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


def sort_findings(findings) -> list[Finding]:
    return sorted(set(findings))


def has_errors(findings) -> bool:
    return any(f.severity == "error" for f in findings)
