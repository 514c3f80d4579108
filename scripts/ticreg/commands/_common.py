"""Helpers every command shares: the --registry option and where the registry is."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError


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
