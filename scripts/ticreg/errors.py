"""The typed errors a command can end with, and the one place they become exit codes.

Exit code 1 means one thing: the registry (or a file the tool was given)
has errors the user can fix there. A tool the command relies on failing
for reasons outside the registry (git, the GitHub API, MkDocs) is 4, so a
workflow can tell "fix the registry" from "retry or check the runner".
"""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_ENVIRONMENT = 4


class TicregError(Exception):
    """An error whose Chinese message is meant for the user."""

    exit_code = EXIT_INTERNAL


class UsageError(TicregError):
    """Wrong arguments, or a registry that is not where it was said to be."""

    exit_code = EXIT_USAGE


class RegistryHasErrors(TicregError):
    """The registry (or one file of it) does not validate: the command cannot rely on it.

    ``findings`` holds the errors when the caller has them (``ticreg build``
    reports them); otherwise the message points to ``ticreg validate``.
    """

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, findings: list | None = None, files: int = 0):
        super().__init__(message)
        self.findings = findings or []
        self.files = files

    @classmethod
    def counted(cls, shown_root: str, errors: int, consequence: str, **details: Any) -> RegistryHasErrors:
        """The one wording for "the registry has N errors, so <consequence>; run validate"."""
        command = "ticreg validate" if shown_root == "registry" else f"ticreg validate --registry {shown_root}"
        return cls(f"登记册 {shown_root} 有 {errors} 个错误，{consequence}；请先运行 {command} 查看并修正", **details)


class MissingCalendarYear(TicregError):
    """A date falls in a year whose holiday arrangement is not in the registry.

    The message names the file to add; a command that knows which window
    needed the year says so too.
    """

    exit_code = EXIT_FINDINGS

    def __init__(self, year: int, message: str):
        self.year = year
        super().__init__(message)


class EnvironmentFailed(TicregError):
    """A tool the command relies on (git, the GitHub API, MkDocs) failed for a reason not in the registry."""

    exit_code = EXIT_ENVIRONMENT
