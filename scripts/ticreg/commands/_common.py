"""Helpers every command shares: the --registry option, where the registry is, and "today"."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..errors import UsageError
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
