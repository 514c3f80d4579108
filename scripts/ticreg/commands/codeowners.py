"""`ticreg codeowners [--check] [--output PATH]`: write (or check) .github/CODEOWNERS."""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

from ..errors import EXIT_FINDINGS, EXIT_OK, UsageError
from ._common import add_registry_option, registry_root

NAME = "codeowners"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="生成 .github/CODEOWNERS",
        description="由 departments.yml 与 staff.yml 生成审核分派文件 CODEOWNERS：各部门的申报由本部门审核，"
        "工具与规则参数由系统管理员审核，其余由默认审核人审核。",
    )
    parser.add_argument("--output", metavar="PATH", default=None,
                        help="输出文件（默认：当前目录下的 .github/CODEOWNERS）")
    parser.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新，不写入")
    add_registry_option(parser)


def run(args) -> int:
    from ..codeowners import COMMAND, DEFAULT_OUTPUT, generate

    root = registry_root(args)
    cwd = Path.cwd().resolve()
    try:
        # Paths in CODEOWNERS are relative to the repository root: the folder
        # this command runs in, as for every other command.
        prefix = PurePosixPath(root.resolve().relative_to(cwd).as_posix())
    except ValueError:
        raise UsageError(f"登记册目录 {root} 不在当前目录中：请在仓库根目录运行") from None
    output = Path(args.output) if args.output else Path(DEFAULT_OUTPUT)
    text = generate(root, prefix)
    if args.check:
        try:
            current = output.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            state = "不存在" if current is None else "已过期"
            sys.stderr.write(f"{output} {state}，请运行：{COMMAND}（再提交生成的文件）\n")
            return EXIT_FINDINGS
        sys.stderr.write(f"{output} 是最新的\n")
        return EXIT_OK
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    sys.stderr.write(f"已写入 {output}\n")
    return EXIT_OK
