"""Where each kind of file lives in a registry directory, and loading them all.

    registry/policy.yml
    registry/departments.yml
    registry/staff.yml
    registry/applications/<department-id>/<application-id>.yml
    registry/centers/<center-id>.yml
    registry/calendar/<year>.yml         (the process engine's)
    README.md in the registry folder and in each of those folders

Nothing else belongs there: a hidden file, another extension, a file at
another depth or a link is an error (X504, L111-L113 in validate; G915,
G916 in check-changes), whatever it holds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .file_entries import FILE, FOLDER, LINK, SPECIAL, entry_finding, entry_kind
from .findings import Finding
from .loader import LoadedFile, PosDict, load_file

if TYPE_CHECKING:  # for annotations only: listing and loading files builds no model
    from ticreg_schemas.common import RegistryModel

POLICY = "policy.yml"
DEPARTMENTS = "departments.yml"
STAFF = "staff.yml"
APPLICATIONS = "applications"
CENTERS = "centers"
CALENDAR = "calendar"


README = "README.md"

# What may be in a registry folder, as messages name it (X504, G916).
LAYOUT = (
    "policy.yml", "departments.yml", "staff.yml", "applications/<部门代号>/<申报代号>.yml",
    "centers/<中心代号>.yml", "calendar/<年份>.yml", "这些文件夹中的说明文件 README.md",
)

# The kinds that are records read by the loader (not READMEs).
RECORD_FILE_KINDS = frozenset({"policy", "departments", "staff", "application", "center", "calendar"})


def kind_of(relative: PurePosixPath) -> str | None:
    """The kind of registry file at a path relative to the registry root (None: none belongs there)."""
    parts = relative.parts
    if not parts or any(part.startswith(".") for part in parts):
        return None  # hidden: no kind of record, whatever its name says
    if relative.name == README:
        folder = parts[:-1]
        layout = folder in ((), (APPLICATIONS,), (CENTERS,), (CALENDAR,)) or (
            len(folder) == 2 and folder[0] == APPLICATIONS)
        return "readme" if layout else None
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
    entry: str = FILE  # what is at the path: a file, or (reported as such) a folder, link or special file
    raw: PosDict | None = None  # None: not read, or not a mapping (a loader finding says why)
    model: RegistryModel | None = None
    findings: list[Finding] = field(default_factory=list)
    # Values derived from this record once per run and shared between checks.
    derived: dict[str, object] = field(default_factory=dict)


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def discover(root: Path) -> list[Path]:
    """Every entry under the registry root that must be accounted for, READMEs aside.

    Regular files, links and special files, hidden entries (a hidden folder
    as one entry, not entered) and folders where a record file belongs (as
    one entry: what a checked-out submodule leaves). Other folders are
    entered; an empty one adds nothing, as git cannot hold it. A link is
    never followed. Iterative, so no depth of folders can exhaust the stack.
    """
    found = []
    pending = [(root, PurePosixPath())]
    while pending:
        folder, relative_folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path, relative = Path(entry.path), relative_folder / entry.name
                kind = kind_of(relative)
                if entry.is_dir(follow_symlinks=False):
                    if entry.name.startswith(".") or kind is not None:
                        found.append(path)
                    else:
                        pending.append((path, relative))
                elif kind != "readme" or not entry.is_file(follow_symlinks=False):
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
    if record.kind not in RECORD_FILE_KINDS:
        # Never read: X504 reports a file or folder that does not belong,
        # L111/L112 a link or special file wherever it is, L113 a folder
        # named like a file that belongs (README.md/).
        record.entry = entry_kind(path)
        if record.entry in (LINK, SPECIAL) or (record.entry == FOLDER and record.kind is not None):
            record.findings.append(entry_finding(record.entry, path, shown))
        return record
    loaded: LoadedFile = load_file(path, shown)
    record.findings.extend(loaded.findings)
    record.raw = loaded.data
    return record
