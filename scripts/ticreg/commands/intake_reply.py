"""`ticreg intake-reply`: open the intake's pull request, or post its problems on the issue."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError

NAME = "intake-reply"
_ISSUE_NUMBER = re.compile(r"[1-9][0-9]{0,9}")


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="在 GitHub 上答复议题表单的受理结果",
        description=(
            "ticreg intake 之后由工作流调用：给出 --branch 时，从该分支开启拉取请求（说明取自 --summary），"
            "并在议题中留言指向它；给出 --report 时，把问题清单发表为议题的评论。"
            "令牌取自环境变量 GITHUB_TOKEN。"
        ),
    )
    parser.add_argument("--issue-number", metavar="N", required=True, help="议题编号（只能是数字）")
    parser.add_argument("--report", metavar="FILE", help="ticreg intake 写的问题清单：发表为议题的评论")
    parser.add_argument("--branch", metavar="NAME", help="已推送的分支：从它开启拉取请求")
    parser.add_argument("--base", metavar="NAME", help="拉取请求的目标分支（与 --branch 一起使用，必填）")
    parser.add_argument("--title", metavar="TEXT", help="拉取请求的标题（默认：新增申报（议题 #N））")
    parser.add_argument("--summary", metavar="FILE", help="ticreg intake 写的拉取请求说明（与 --branch 一起使用，必填）")
    parser.add_argument("--repo", metavar="OWNER/NAME",
                        help="GitHub 仓库（默认：环境变量 GITHUB_REPOSITORY，工作流中自动设置）")


def _read(path: str, option: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取 {option} {path}：{exc}") from None


def run(args) -> int:
    from ..github import github_api, intake_reply

    if not _ISSUE_NUMBER.fullmatch(args.issue_number):
        raise UsageError("--issue-number 须是议题编号（正整数，只含数字）")
    number = int(args.issue_number)
    if (args.report is None) == (args.branch is None):
        raise UsageError("--report（发表问题清单）和 --branch（开启拉取请求）须给出且只给出一个")
    if args.branch is not None and (args.base is None or args.summary is None):
        raise UsageError("--branch 须与 --base、--summary 一起使用")
    client = github_api.from_environment(args.repo)
    if args.report is not None:
        url = intake_reply.post_report(client, number, _read(args.report, "--report"))
        sys.stdout.write(f"已在议题 #{number} 发表问题清单{('：' + url) if url else ''}\n")
        return EXIT_OK
    title = args.title or f"新增申报（议题 #{number}）"
    opened = intake_reply.open_pull_request(
        client, number, args.branch, args.base, title, _read(args.summary, "--summary")
    )
    sys.stdout.write(f"已开启拉取请求 #{opened.number}{('：' + opened.url) if opened.url else ''}\n")
    return EXIT_OK
