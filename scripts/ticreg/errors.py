"""The typed errors a command can end with, and the one place they become exit codes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class TicregError(Exception):
    """An error whose Chinese message is meant for the user."""

    exit_code = EXIT_INTERNAL


class UsageError(TicregError):
    """Wrong arguments, or a registry that is not where it was said to be."""

    exit_code = EXIT_USAGE
