"""`ticreg tracking-issue`: the one issue listing what is overdue or awaits a decision."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK
from ._common import add_registry_option, add_today_option, registry_root, today_from
from ._github import add_github_options

NAME = "tracking-issue"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="生成或更新期限跟踪议题",
        description="列出已逾期的绩效评估、已过整改期限尚未复评的中心、公示期满尚未作出决定的申报，"
        "输出议题正文；给出 --post 时新建、更新、关闭或重新打开仓库中唯一的一个跟踪议题。",
    )
    add_today_option(parser, "按此日期列出", "--as-of")
    parser.add_argument("--post", action="store_true", help="发表到 GitHub（需要环境变量 GITHUB_TOKEN）；不给时只输出正文")
    parser.add_argument(
        "--label", metavar="NAME", default=None, help="跟踪议题的标签（默认 registry-deadlines），据此与正文中的标记找到该议题"
    )
    add_github_options(parser)
    add_registry_option(parser)


def run(args) -> int:
    from .. import deadlines
    from ..github import github_api, tracking_issue

    as_of = today_from(args, "--as-of")
    root = registry_root(args)
    items = deadlines.collect(root, Path.cwd(), as_of)
    body = tracking_issue.render(items, as_of)
    if not args.post:
        sys.stdout.write(body)
        return EXIT_OK
    client = github_api.from_environment(args.repo)
    label = args.label or tracking_issue.LABEL
    has_items = bool(tracking_issue.outstanding(items))
    synced = tracking_issue.sync(client, body, has_items, label=label, bot_login=args.bot_login)
    issue = f"跟踪议题 #{synced.number}" if synced.number is not None else "跟踪议题"
    messages = {
        "created": f"已新建{issue}",
        "updated": f"已更新{issue}",
        "reopened": f"出现新的事项，已重新打开并更新{issue}",
        "closed": f"已没有逾期或待决定的事项，已关闭{issue}",
        "unchanged": f"{issue} 已是最新，未改动",
        "none": "没有逾期或待决定的事项，无需跟踪议题",
    }
    where = f"：{synced.url}" if synced.url else ""
    sys.stdout.write(messages[synced.action] + where + "\n")
    return EXIT_OK
