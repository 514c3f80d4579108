"""`ticreg issue-forms [--check] [--output DIR]`: write (or check) .github/ISSUE_TEMPLATE/."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_FINDINGS
from ._common import add_check_option, add_registry_option, registry_root, write_or_check

NAME = "issue-forms"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="生成 .github/ISSUE_TEMPLATE/ 中的议题表单",
        description="由 policy.yml 的清单（下拉选项、勾选项）和 mkdocs.yml 的 site_url（申报指南链接）"
        "生成认定申报表单、变更申请表单和表单选择页 config.yml。",
    )
    parser.add_argument("--output", metavar="DIR", default=None,
                        help="输出目录（默认：当前目录下的 .github/ISSUE_TEMPLATE）")
    add_check_option(parser)
    add_registry_option(parser)


def run(args) -> int:
    from ..github.issue_forms import COMMAND, DEFAULT_OUTPUT, generate
    from ..registry_context import load_policy
    from ..site.settings import CONFIG_FILE, SiteConfigError, load_site

    root = registry_root(args)
    try:
        site = load_site(Path(CONFIG_FILE))
    except SiteConfigError as exc:
        sys.stderr.write("".join(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}\n" for f in exc.findings))
        return EXIT_FINDINGS
    output = Path(args.output) if args.output else Path(DEFAULT_OUTPUT)
    files = generate(load_policy(root), site.url)
    return write_or_check({output / name: text for name, text in files.items()}, args.check, COMMAND)
