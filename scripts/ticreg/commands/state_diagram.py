"""`ticreg state-diagram`: the state machine as a Mermaid diagram."""

from __future__ import annotations

import sys

from ..errors import EXIT_OK

NAME = "state-diagram"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME, help="输出办理流程图", description="以 Mermaid 状态图输出申报或中心的办理流程。"
    )
    parser.add_argument("--of", choices=("application", "center"), default="application", help="申报（默认）或中心")


def run(args) -> int:
    from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS

    from ..process import machine

    if args.of == "center":
        labels = {k: v.label for k, v in CENTER_EVENTS.items()}
        text = machine.mermaid(machine.CENTER_TRANSITIONS, machine.CENTER_STATES, labels)
    else:
        labels = {k: v.label for k, v in APPLICATION_EVENTS.items()}
        text = machine.mermaid(machine.APPLICATION_TRANSITIONS, machine.APPLICATION_STATES, labels)
    sys.stdout.write(text)
    return EXIT_OK
