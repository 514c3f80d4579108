"""One module per `ticreg` subcommand: each has NAME, register(subparsers) and run(args).

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
