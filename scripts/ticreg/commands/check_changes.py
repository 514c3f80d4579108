"""`ticreg check-changes --base REV [--head REV] [--actor LOGIN]`: judge what a pull request changes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import report
from ..errors import EXIT_FINDINGS, EXIT_OK
from ..findings import has_errors
from ._common import add_format_option, add_registry_option, registry_root

NAME = "check-changes"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="检查两个 git 版本之间的变更",
        description="判断从基准版本到变更后版本的改动是否合规：办理记录只追加、文件不删除不改名、"
        "新增事件合法定程序；给出 --actor 时还判断该账号是否有权这样改。",
    )
    parser.add_argument("--base", metavar="REV", required=True, help="基准版本（合并目标分支的提交）")
    parser.add_argument("--head", metavar="REV", help="变更后的版本（默认：工作区，包括未被忽略的未跟踪文件）")
    parser.add_argument("--actor", metavar="LOGIN", help="提交变更的代码托管平台账号；角色取基准版本的 staff.yml")
    add_format_option(parser, report.FORMATS)
    add_registry_option(parser)


def run(args) -> int:
    from ..changes import check_changes

    root = registry_root(args)
    outcome = check_changes(Path.cwd(), root, args.base, args.head, args.actor)
    findings = outcome.findings
    report.emit(findings, outcome.files, args.format, sys.stdout, sys.stderr, os.environ.get("GITHUB_STEP_SUMMARY"))
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK
