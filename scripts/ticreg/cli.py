"""`ticreg`: the one command-line program behind the registry.

Every subcommand works on the registry of the repository it is run in
(``registry/`` under the current directory) unless ``--registry`` names
another. Errors become exit codes here and only here.
"""

from __future__ import annotations

import argparse
import sys

from . import commands as command_modules
from . import interrupts
from .errors import EXIT_INTERNAL, TicregError, UsageError
from .unprintable import visible


# argparse looks its messages up through its module-level gettext alias at
# call time; answering them in Chinese keeps every message a user reads in
# one language. Unknown messages pass through unchanged.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个取值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
}
argparse._ = lambda message: _ARGPARSE_ZH.get(message, message)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors, raised instead of exiting."""

    def error(self, message: str):  # noqa: D102
        raise UsageError(f"参数错误：{message}\n{self.format_usage().strip()}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ticreg", description="晋城市技术创新中心登记册工具")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    commands.required = True
    for module in command_modules.load():
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        lines = command_modules.interrupted_lines(argv)
    except KeyboardInterrupt:
        return _interrupted()
    if lines is None:
        return _main(argv)
    with interrupts.exit_on_interrupt(*lines):
        return _main(argv)


def _main(argv: list[str]) -> int:
    try:  # loading the commands too: a Ctrl-C while they load is no traceback either
        runners = {module.NAME: module.run for module in command_modules.load()}
        args = build_parser().parse_args(argv)
        return runners[args.command](args)
    except TicregError as exc:
        # A message may echo a value or a file name: shown, never acted on.
        sys.stderr.write(f"ticreg：{visible(str(exc), keep=chr(10))}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as exc:  # the last line of defence: never a traceback
        sys.stderr.write(
            f"ticreg：内部错误（{type(exc).__name__}: {visible(str(exc))}）。这是本工具的缺陷，请连同所用文件报告给维护者。\n"
        )
        return EXIT_INTERNAL


def _interrupted() -> int:
    sys.stderr.write("ticreg：已中断。\n")
    return interrupts.EXIT_INTERRUPTED
