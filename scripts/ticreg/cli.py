"""`ticreg`: the one command-line program behind the registry.

Every subcommand works on the registry of the repository it is run in
(``registry/`` under the current directory) unless ``--registry`` names
another. Errors become exit codes here and only here.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import report
from .errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, TicregError, UsageError
from .findings import has_errors


# argparse looks its messages up through its module-level gettext alias at
# call time; answering them in Chinese keeps every message a user reads in
# one language. Unknown messages pass through unchanged.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个取值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
}
argparse._ = lambda message: _ARGPARSE_ZH.get(message, message)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese usage errors, raised instead of exiting."""

    def error(self, message: str):  # noqa: D102
        raise UsageError(f"参数错误：{message}\n{self.format_usage().strip()}")


def _registry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--registry",
        metavar="DIR",
        default="registry",
        help="登记册目录（默认：当前目录下的 registry/）",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ticreg", description="晋城市技术创新中心登记册工具")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    commands.required = True

    validate = commands.add_parser("validate", help="校验登记册文件", description="校验整个登记册，或对照登记册校验指定文件。")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件的问题（默认：全部）")
    validate.add_argument("--format", choices=("text", "json", "github"), default="text", help="输出格式（默认 text）")
    _registry_option(validate)

    schema = commands.add_parser("schema", help="生成 JSON Schema", description="由数据模型生成 schemas/json/ 中的 JSON Schema。")
    schema.add_argument("--output", metavar="DIR", default="schemas/json", help="输出目录（默认 schemas/json）")
    schema.add_argument("--check", action="store_true", help="只检查已提交的文件是否最新，不写入")
    _registry_option(schema)
    return parser


def _registry_root(args) -> Path:
    root = Path(args.registry)
    if not root.is_dir():
        raise UsageError(f"找不到登记册目录：{root}（请在仓库根目录运行，或用 --registry 指定）")
    return root


def _selected_paths(given: list[str], root: Path, cwd: Path) -> set[str]:
    """The files named on the command line (directories expand), as findings show them."""
    from .registry_files import display_path

    base = root.resolve()
    selected = set()
    for name in given:
        path = Path(name)
        if not path.exists():
            raise UsageError(f"文件不存在：{name}")
        if not path.resolve().is_relative_to(base):
            raise UsageError(f"{name} 不在登记册目录 {root} 中")
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        selected.update(display_path(p, cwd) for p in files)
    return selected


def _validate(args) -> int:
    from .validate import validate_registry

    root = _registry_root(args)
    cwd = Path.cwd()
    only = _selected_paths(args.paths, root, cwd) if args.paths else None
    outcome = validate_registry(root, cwd, only)
    findings = outcome.findings
    if args.format == "json":
        sys.stdout.write(report.as_json(findings, outcome.files))
    elif args.format == "github":
        sys.stdout.write(report.as_github(findings))
        summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(report.as_markdown(findings, outcome.files))
    else:
        sys.stdout.write(report.as_text(findings))
    sys.stderr.write(report.count_line(report.summary(findings, outcome.files)) + "\n")
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _schema(args) -> int:
    from .schema_export import check_schemas, write_schemas

    root = _registry_root(args)
    output = Path(args.output)
    if args.check:
        stale = check_schemas(output, root)
        for name in stale:
            sys.stderr.write(f"{output / name} 已过期，请运行：ticreg schema\n")
        return EXIT_FINDINGS if stale else EXIT_OK
    for name in write_schemas(output, root):
        sys.stderr.write(f"已写入 {output / name}\n")
    return EXIT_OK


_COMMANDS = {"validate": _validate, "schema": _schema}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return _COMMANDS[args.command](args)
    except TicregError as exc:
        sys.stderr.write(f"ticreg：{exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: never a traceback
        sys.stderr.write(
            f"ticreg：内部错误（{type(exc).__name__}: {exc}）。这是本工具的缺陷，请连同所用文件报告给维护者。\n"
        )
        return EXIT_INTERNAL
