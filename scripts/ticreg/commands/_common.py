"""Helpers every command shares: --registry, --today/--as-of, --format, and write-or---check."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..errors import EXIT_FINDINGS, EXIT_OK, UsageError
from ..today import parse_date_argument, shanghai_today


def add_registry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--registry",
        metavar="DIR",
        default="registry",
        help="登记册目录（默认：当前目录下的 registry/）",
    )


def registry_root(args) -> Path:
    root = Path(args.registry)
    if not root.is_dir():
        raise UsageError(f"找不到登记册目录：{root}（请在仓库根目录运行，或用 --registry 指定）")
    return root


def add_today_option(parser: argparse.ArgumentParser, purpose: str, option: str = "--today") -> None:
    """``--today DATE`` (or ``--as-of``): the date a command judges by; ``purpose`` says what for."""
    parser.add_argument(option, metavar="DATE", help=f"{purpose}（默认：北京时间今天），格式 YYYY-MM-DD")


def today_from(args, option: str = "--today") -> dt.date:
    """The date given with ``option``, else the clock: the one place a command reads it."""
    given = getattr(args, option.lstrip("-").replace("-", "_"))
    return parse_date_argument(given, option) if given is not None else shanghai_today()


def add_format_option(parser: argparse.ArgumentParser, formats: tuple[str, ...], notes: dict[str, str] | None = None) -> None:
    """``--format`` with the choices the emitting module declares; the first is the default.

    ``notes`` glosses a format a reader may not know (e.g. ``ics``: iCalendar).
    """
    notes = notes or {}
    shown = [f"{name}（{notes[name]}）" if name in notes else name for name in formats]
    shown[0] += "（默认）"
    listed = shown[0] if len(shown) == 1 else "、".join(shown[:-1]) + " 或 " + shown[-1]
    parser.add_argument("--format", choices=formats, default=formats[0], help=f"输出格式：{listed}")


def add_check_option(parser: argparse.ArgumentParser) -> None:
    """``--check`` for a generator: compare the committed files instead of writing them."""
    parser.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新，不写入")


def write_or_check(files: dict[Path, str], check: bool, command: str) -> int:
    """Write the generated ``files`` (path -> text) or, with ``check``, compare them.

    A stale or missing file is named with the command that regenerates it and
    the exit code is 1 (the committed tree is out of date); otherwise 0.
    """
    if not check:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            sys.stderr.write(f"已写入 {path}\n")
        return EXIT_OK
    stale = 0
    for path, text in files.items():
        # Text mode, as before: a checkout with CRLF line endings (Windows,
        # core.autocrlf) is still up to date. A file that is not UTF-8 is stale.
        try:
            current: str | None = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            current = ""
        except OSError:
            current = None
        if current != text:
            stale += 1
            state = "不存在" if current is None else "已过期"
            sys.stderr.write(f"{path} {state}，请运行：{command}（再提交生成的文件）\n")
    if stale:
        return EXIT_FINDINGS
    sys.stderr.write(f"已是最新：{'、'.join(str(path) for path in files)}\n")
    return EXIT_OK
