"""`ticreg pr-comment`: post or update the validation report's comment on a pull request."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ._github import add_github_options

NAME = "pr-comment"
MIN_CHARS = 1_000
MAX_CHARS = 64_000


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="把校验报告发表为拉取请求的评论",
        description="读取校验工作流上传的报告与拉取请求编号（不可信的文本，只读取、不执行），"
        "只保留编号中的数字，限制报告长度，消除提及、链接与 HTML，再发表或更新该拉取请求上唯一的一条报告评论。",
    )
    parser.add_argument("--pr-file", metavar="PATH", required=True, help="存放拉取请求编号的文件")
    parser.add_argument("--report", metavar="PATH", required=True, help="Markdown 校验报告（不存在时评论说明没有报告）")
    parser.add_argument(
        "--head-sha", metavar="SHA", help="被校验的提交（40 位十六进制）；拉取请求的最新提交不是它时不发表"
    )
    parser.add_argument("--run-url", metavar="URL", help="校验工作流本次运行的网址（https），评论中链接到它")
    parser.add_argument(
        "--max-chars", metavar="N", type=int, default=None, help="报告最多显示的字符数（默认 60000）"
    )
    parser.add_argument("--dry-run", action="store_true", help="只输出评论内容，不发表（不需要令牌）")
    add_github_options(parser)


def run(args) -> int:
    from ..github import github_api, pr_comment

    max_chars = pr_comment.MAX_REPORT_CHARS if args.max_chars is None else args.max_chars
    if not MIN_CHARS <= max_chars <= MAX_CHARS:
        raise UsageError(f"--max-chars 须在 {MIN_CHARS} 到 {MAX_CHARS} 之间")
    if args.head_sha is not None and not pr_comment.valid_head_sha(args.head_sha):
        raise UsageError("--head-sha 须是 40 位小写十六进制的提交号")
    pr = pr_comment.read_pr_number(Path(args.pr_file))
    if pr.dropped:
        sys.stderr.write(f"ticreg：拉取请求编号文件中除数字外还有其他字符，已舍去，只用编号 {pr.number}\n")
    report = pr_comment.read_report(Path(args.report), max_chars)
    body = pr_comment.comment_body(report, max_chars=max_chars, run_url=args.run_url, head_sha=args.head_sha)
    if args.dry_run:
        sys.stdout.write(body)
        return EXIT_OK
    client = github_api.from_environment(args.repo)
    posted = pr_comment.post_or_update(client, pr.number, body, bot_login=args.bot_login, head_sha=args.head_sha)
    messages = {
        "created": f"已在拉取请求 #{pr.number} 发表校验报告评论",
        "updated": f"已更新拉取请求 #{pr.number} 上的校验报告评论",
        "unchanged": f"拉取请求 #{pr.number} 上的校验报告评论已是最新，未改动",
        "stale": f"拉取请求 #{pr.number} 的最新提交已不是 {args.head_sha}，这份报告已过时，不发表",
    }
    where = f"：{posted.url}" if posted.url else ""
    sys.stdout.write(messages[posted.action] + where + "\n")
    return EXIT_OK
