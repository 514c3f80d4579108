"""`ticreg schema`: write (or check) the JSON Schemas in schemas/json/."""

from __future__ import annotations

from pathlib import Path

from ..repo_layout import JSON_SCHEMA_DIR
from ._common import add_check_option, add_registry_option, registry_root, write_or_check

NAME = "schema"
COMMAND = f"ticreg {NAME}"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME, help="生成 JSON Schema", description=f"由数据模型生成 {JSON_SCHEMA_DIR}/ 中的 JSON Schema。"
    )
    parser.add_argument(
        "--output", metavar="DIR", default=JSON_SCHEMA_DIR, help=f"输出目录（默认 {JSON_SCHEMA_DIR}）"
    )
    add_check_option(parser)
    add_registry_option(parser)


def run(args) -> int:
    from ..schema_export import build_schemas

    root = registry_root(args)
    output = Path(args.output)
    schemas = build_schemas(root)
    return write_or_check({output / name: schemas[name] for name in sorted(schemas)}, args.check, COMMAND)
