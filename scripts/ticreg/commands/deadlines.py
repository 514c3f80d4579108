"""`ticreg deadlines`: what staff must act on as of a date, as text, JSON or iCalendar."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK
from ._common import add_format_option, add_registry_option, add_today_option, registry_root, today_from

NAME = "deadlines"
# The formats ``deadlines`` renders (as_text, as_json, as_ics); the first is the default.
FORMATS = ("text", "json", "ics")


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="列出办理期限",
        description="列出截至某日须办理的事项：进行中的公示、可下达认定文件的申报、"
        "即将到期或已逾期的绩效评估、整改期限。",
    )
    add_today_option(parser, "按此日期列出", "--as-of")
    add_format_option(parser, FORMATS, {"ics": "iCalendar"})
    add_registry_option(parser)


def run(args) -> int:
    from .. import deadlines

    as_of = today_from(args, "--as-of")
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
