"""`ticreg` command lines written in Markdown (handbooks, pull-request templates), checked
against the real argparse parser: a documented subcommand or option that does not exist,
a missing required argument or an invalid choice fails the test that uses these helpers.

Two kinds of command lines are read:

- lines of ```sh blocks: each `ticreg …` command in them (after ``&&``, ``;`` or ``|``,
  up to a ``>`` redirection) must parse completely, as the user would type it;
- inline code spans that start with `ticreg`: a mention such as `ticreg record` need
  not be complete, but its subcommand and every ``--option`` must exist.
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass
from functools import cache

from ticreg.cli import build_parser

SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
ANY_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
_SEPARATORS = re.compile(r"&&|\|\||;|\|")
_REDIRECTIONS = (">", ">>", "<", "2>", "2>&1")
PROGRAM = "ticreg"


@dataclass(frozen=True)
class Command:
    args: tuple[str, ...]  # after the program name
    source: str  # the text it was read from, for messages
    complete: bool  # from a sh block: must parse in full

    @property
    def subcommand(self) -> str | None:
        return self.args[0] if self.args else None

    @property
    def options(self) -> list[str]:
        return [a.split("=", 1)[0] for a in self.args if a.startswith("--")]


def _is_program(word: str) -> bool:
    return word == PROGRAM or word.endswith("/" + PROGRAM)


def _words(segment: str) -> list[str]:
    words = shlex.split(segment, comments=True)
    for i, word in enumerate(words):
        if word in _REDIRECTIONS or word.startswith((">", "<")):
            return words[:i]
    return words


def _commands_in(text: str, source: str, complete: bool) -> list[Command]:
    out = []
    for segment in _SEPARATORS.split(text):
        words = _words(segment)
        if words and _is_program(words[0]):
            out.append(Command(tuple(words[1:]), source, complete))
    return out


def sh_commands(markdown: str) -> list[Command]:
    out = []
    for block in SH_BLOCK.findall(markdown):
        for line in block.splitlines():
            if line.strip():
                out += _commands_in(line, line.strip(), complete=True)
    return out


def inline_commands(markdown: str) -> list[Command]:
    outside_blocks = ANY_BLOCK.sub("", markdown)
    out = []
    for span in INLINE_CODE.findall(outside_blocks):
        if " " in span and _is_program(span.split(" ", 1)[0]):  # not the bare program name
            out += _commands_in(span, span, complete=False)
    return out


def all_commands(markdown: str) -> list[Command]:
    return sh_commands(markdown) + inline_commands(markdown)


@cache
def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def problems(command: Command) -> list[str]:
    """What is wrong with a documented command line; empty when it is right."""
    commands = subparsers()
    if command.subcommand not in commands:
        return [f"{command.source}：没有子命令 {command.subcommand!r}（现有：{', '.join(sorted(commands))}）"]
    known = {s for a in commands[command.subcommand]._actions for s in a.option_strings}
    out = [f"{command.source}：ticreg {command.subcommand} 没有选项 {o}" for o in command.options if o not in known]
    if command.complete and not out:
        from ticreg.errors import UsageError

        try:
            build_parser().parse_args(list(command.args))
        except UsageError as error:
            out.append(f"{command.source}：无法解析：{error}")
    return out


def record_events(markdown: str) -> list[tuple[str, Command]]:
    """(event, command) for every `ticreg record EVENT …` command."""
    return [(c.args[1], c) for c in all_commands(markdown) if c.subcommand == "record" and len(c.args) > 1]
