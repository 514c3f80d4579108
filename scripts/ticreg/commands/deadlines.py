"""`ticreg deadlines`: what staff must act on as of a date, as text, JSON or iCalendar."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK
from ..today import parse_date_argument, shanghai_today
from ._common import add_registry_option, registry_root

NAME = "deadlines"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="列出办理期限",
        description="列出截至某日须办理的事项：进行中的公示、可下达认定文件的申报、"
        "即将到期或已逾期的绩效评估、整改期限。",
    )
    parser.add_argument("--as-of", metavar="DATE", help="按此日期列出（默认：北京时间今天），格式 YYYY-MM-DD")
    parser.add_argument(
        "--format", choices=("text", "json", "ics"), default="text", help="输出格式：text（默认）、json 或 ics（iCalendar）"
    )
    add_registry_option(parser)


def run(args) -> int:
    from .. import deadlines

    as_of = parse_date_argument(args.as_of, "--as-of") if args.as_of is not None else shanghai_today()
    root = registry_root(args)
    items = deadlines.collect(root, Path.cwd(), as_of)
    if args.format == "ics":
        # Bytes, so the CRLF line endings reach the file untranslated, in UTF-8.
        sys.stdout.flush()
        sys.stdout.buffer.write(deadlines.as_ics(items, as_of).encode("utf-8"))
        sys.stdout.buffer.flush()
    elif args.format == "json":
        sys.stdout.write(deadlines.as_json(items, as_of))
    else:
        sys.stdout.write(deadlines.as_text(items, as_of))
    return EXIT_OK
