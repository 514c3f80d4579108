"""`ticreg schema`: write (or check) the JSON Schemas in schemas/json/."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_FINDINGS, EXIT_OK
from ..repo_layout import JSON_SCHEMA_DIR
from ._common import add_registry_option, registry_root

NAME = "schema"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME, help="生成 JSON Schema", description=f"由数据模型生成 {JSON_SCHEMA_DIR}/ 中的 JSON Schema。"
    )
    parser.add_argument(
        "--output", metavar="DIR", default=JSON_SCHEMA_DIR, help=f"输出目录（默认 {JSON_SCHEMA_DIR}）"
    )
    parser.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新，不写入")
    add_registry_option(parser)


def run(args) -> int:
    from ..schema_export import check_schemas, write_schemas

    root = registry_root(args)
    output = Path(args.output)
    if args.check:
        stale = check_schemas(output, root)
        for name in stale:
            sys.stderr.write(f"{output / name} 已过期，请运行：ticreg schema\n")
        return EXIT_FINDINGS if stale else EXIT_OK
    for name in write_schemas(output, root):
        sys.stderr.write(f"已写入 {output / name}\n")
    return EXIT_OK
