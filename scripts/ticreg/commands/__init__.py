"""One module per `ticreg` subcommand: each has NAME, register(subparsers) and run(args).

A command that must never be cut short midway also sets INTERRUPTED: the
Chinese lines Ctrl-C prints before and after it publishes its result (it
then exits 130 at once, see ticreg.interrupts).

Every command's parser is registered on each run (``ticreg --help`` lists
them all), so a command module imports at its top only what registering its
options needs (argparse helpers, light constants such as ``repo_layout``);
its logic, the models, YAML, the site and the GitHub client are imported
inside ``run()``. tests/test_startup.py checks this.

To add a command, write its module and list it in COMMANDS.
"""

import importlib

COMMANDS = (
    "validate",
    "schema",
    "publicity_window",
    "state_diagram",
    "deadlines",
    "record",
    "new_application",
    "check_changes",
    "codeowners",
    "build",
    "serve",
    "pr_comment",
    "tracking_issue",
    "issue_forms",
    "intake",
    "intake_reply",
)


def load():
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMANDS]


def interrupted_lines(argv: list[str]) -> tuple[str, str] | None:
    """The command's INTERRUPTED lines (before, after publishing), if it sets them.

    Looked up before the other command modules load: a Ctrl-C while they
    load is already answered in the command's words."""
    name = argv[0].replace("-", "_") if argv else ""
    if name not in COMMANDS:
        return None
    return getattr(importlib.import_module(f"{__name__}.{name}"), "INTERRUPTED", None)
