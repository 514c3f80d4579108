"""`ticreg serve`: preview the website locally, rebuilding when a file changes."""

from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ..today import parse_date_argument, shanghai_today
from ._common import add_registry_option, registry_root

NAME = "serve"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="本地预览公开网站",
        description="构建网站并在本机提供预览；登记册、docs/、overrides/、templates/ 或 mkdocs.yml 有改动时自动重新构建。",
    )
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认：127.0.0.1，只对本机开放）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认：8000；0 表示任选一个空闲端口）")
    parser.add_argument("--today", metavar="DATE", help="按此日期构建（默认：每次构建时的北京时间今天），格式 YYYY-MM-DD")
    parser.add_argument("--interval", type=float, default=1.0, help="检查改动的间隔秒数（默认：1）")
    add_registry_option(parser)


def run(args) -> int:
    from ..site.serve import serve

    fixed = parse_date_argument(args.today, "--today") if args.today is not None else None
    root = registry_root(args)
    try:
        serve(
            Path.cwd(),
            root,
            host=args.host,
            port=args.port,
            today=(lambda: fixed) if fixed else shanghai_today,
            interval=max(args.interval, 0.1),
        )
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UsageError(f"无法在 {args.host}:{args.port} 上提供预览：{exc.strerror or exc}（可用 --port 换一个端口）") from None
    return EXIT_OK
