"""`ticreg publicity-window DATE`: the Art. 9 publicity window of a publication date."""

from __future__ import annotations

import json
import sys

from ..errors import EXIT_OK
from ..today import parse_date_argument
from ._common import add_format_option, add_registry_option, registry_root

NAME = "publicity-window"
FORMATS = ("text", "json")  # the first is the default


def register(commands) -> None:
    parser = commands.add_parser(
        NAME, help="计算公示期", description="按第九条与节假日安排计算公示期和最早可认定日期。"
    )
    parser.add_argument("date", metavar="DATE", help="公示发布日期 YYYY-MM-DD")
    add_format_option(parser, FORMATS)
    add_registry_option(parser)


def run(args) -> int:
    from ..process.publicity import publicity_window
    from ..registry_context import load_calendar, load_policy

    published = parse_date_argument(args.date, "DATE")
    root = registry_root(args)
    window = publicity_window(published, load_policy(root).publicity, load_calendar(root))
    if args.format == "json":
        sys.stdout.write(json.dumps(window.as_dict(), ensure_ascii=False) + "\n")
    else:
        days = "、".join(d.isoformat() for d in window.working_days)
        sys.stdout.write(
            f"公示期自 {window.start.isoformat()} 至 {window.end.isoformat()}（{len(window.working_days)} 个工作日：{days}）\n"
            f"最早可认定日期：{window.certifiable_from.isoformat()}\n"
        )
    return EXIT_OK
