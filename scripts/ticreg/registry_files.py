"""Where each kind of file lives in a registry directory, and loading them all.

    registry/policy.yml
    registry/departments.yml
    registry/staff.yml
    registry/applications/<department-id>/<application-id>.yml
    registry/centers/<center-id>.yml
    registry/calendar/<year>.yml         (the process engine's)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from .findings import Finding
from .loader import LoadedFile, load_file

POLICY = "policy.yml"
DEPARTMENTS = "departments.yml"
STAFF = "staff.yml"
APPLICATIONS = "applications"
CENTERS = "centers"
CALENDAR = "calendar"


def kind_of(relative: PurePosixPath) -> str | None:
    """The kind of registry file at a path relative to the registry root."""
    parts = relative.parts
    if relative.suffix != ".yml":
        return None
    if parts == (POLICY,):
        return "policy"
    if parts == (DEPARTMENTS,):
        return "departments"
    if parts == (STAFF,):
        return "staff"
    if len(parts) == 3 and parts[0] == APPLICATIONS:
        return "application"
    if len(parts) == 2 and parts[0] == CENTERS:
        return "center"
    if len(parts) == 2 and parts[0] == CALENDAR:
        return "calendar"
    return None


@dataclass
class Record:
    """One registry file: where it is, what it holds raw, and its model if valid."""

    path: str  # as shown to users: relative to the working directory
    relative: PurePosixPath  # relative to the registry root
    kind: str | None
    raw: object = None
    model: BaseModel | None = None
    findings: list[Finding] = field(default_factory=list)
    # Values derived from this record once per run and shared between checks.
    derived: dict[str, object] = field(default_factory=dict)


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(root: Path) -> list[Path]:
    """Every file under the registry root except hidden ones and READMEs."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() != ".md":
            found.append(path)
    return sorted(found)


def shown_under(shown_root: str, relative: PurePosixPath) -> str:
    """A registry file's path as findings show it, given how the root is shown."""
    return f"{shown_root}/{relative}" if shown_root not in ("", ".") else str(relative)


def load_record(path: Path, root: Path, shown_root: str) -> Record:
    """Load one file; ``shown_root`` is how the registry root is shown to users."""
    relative = PurePosixPath(path.relative_to(root).as_posix())
    shown = shown_under(shown_root, relative)
    record = Record(shown, relative, kind_of(relative))
    if record.kind is None:
        return record
    loaded: LoadedFile = load_file(path, shown)
    record.findings.extend(loaded.findings)
    record.raw = loaded.data
    return record
