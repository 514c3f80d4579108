"""`ticreg codeowners [--check] [--output PATH]`: write (or check) .github/CODEOWNERS."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..errors import UsageError
from ._common import add_check_option, add_registry_option, registry_root, write_or_check

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
    add_check_option(parser)
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
    return write_or_check({output: generate(root, prefix)}, args.check, COMMAND)
