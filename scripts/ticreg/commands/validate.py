"""`ticreg validate [PATH ...]`: check the registry and report every finding."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import report
from ..errors import EXIT_FINDINGS, EXIT_OK, UsageError
from ..findings import has_errors
from ._common import add_format_option, add_registry_option, add_today_option, registry_root, today_from

NAME = "validate"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME, help="校验登记册文件", description="校验整个登记册，或对照登记册校验指定文件。"
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件的问题（默认：全部）")
    add_format_option(parser, report.FORMATS)
    add_today_option(parser, "按此日期判断")
    add_registry_option(parser)


def _selected_paths(given: list[str], root: Path, cwd: Path) -> set[str]:
    """The files named on the command line (directories expand), as findings show them.

    A link is named, never followed: its finding (L111) is shown at the link.
    """
    base = root.resolve()
    selected = set()
    for name in given:
        path = Path(name)
        if not os.path.lexists(path):
            raise UsageError(f"文件不存在：{name}")
        where = path.parent.resolve() / path.name  # the entry itself, not what a link points to
        if not where.is_relative_to(base):
            raise UsageError(f"{name} 不在登记册目录 {root} 中")
        selected.add(_shown(where, cwd))
        if where.is_dir() and not where.is_symlink():
            for folder, folders, files in os.walk(where):
                selected.update(_shown(Path(folder) / entry, cwd) for entry in (*folders, *files))
    return selected


def _shown(entry: Path, cwd: Path) -> str:
    """As findings show ``entry`` (its folder already resolved, the entry itself not)."""
    try:
        return entry.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return entry.as_posix()


def run(args) -> int:
    from ..validate import validate_registry

    root = registry_root(args)
    cwd = Path.cwd()
    only = _selected_paths(args.paths, root, cwd) if args.paths else None
    today = today_from(args)
    outcome = validate_registry(root, cwd, only, today=today)
    findings = outcome.findings
    report.emit(findings, outcome.files, args.format, sys.stdout, sys.stderr, os.environ.get("GITHUB_STEP_SUMMARY"))
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK
