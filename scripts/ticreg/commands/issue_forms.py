"""`ticreg issue-forms [--check] [--output DIR]`: write (or check) .github/ISSUE_TEMPLATE/."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_FINDINGS, EXIT_OK
from ._common import add_registry_option, registry_root

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
    parser.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新，不写入")
    add_registry_option(parser)


def run(args) -> int:
    from ..github.issue_forms import COMMAND, DEFAULT_OUTPUT, generate, stale
    from ..registry_context import load_policy
    from ..site.settings import CONFIG_FILE, SiteConfigError, load_site

    root = registry_root(args)
    try:
        site = load_site(Path(CONFIG_FILE))
    except SiteConfigError as exc:
        sys.stderr.write("".join(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}\n" for f in exc.findings))
        return EXIT_FINDINGS
    files = generate(load_policy(root), site.url)
    output = Path(args.output) if args.output else Path(DEFAULT_OUTPUT)
    if args.check:
        outdated = stale(files, output)
        if outdated:
            sys.stderr.write(f"{output} 中的 {'、'.join(outdated)} 已过期或不存在，请运行：{COMMAND}（再提交生成的文件）\n")
            return EXIT_FINDINGS
        sys.stderr.write(f"{output} 中的议题表单是最新的\n")
        return EXIT_OK
    output.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (output / name).write_text(text, encoding="utf-8")
    sys.stderr.write(f"已写入 {output}/：{'、'.join(files)}\n")
    return EXIT_OK
