"""Options of the commands that talk to GitHub: the repository and the bot's account."""

from __future__ import annotations

import argparse

from ..github.github_api import BOT_LOGIN


def add_github_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="GitHub 仓库（默认：环境变量 GITHUB_REPOSITORY，工作流中自动设置）；令牌取自环境变量 GITHUB_TOKEN",
    )
    parser.add_argument(
        "--bot-login",
        metavar="LOGIN",
        default=BOT_LOGIN,
        help=f"自动发表内容的账号，只修改它写的评论或议题（默认 {BOT_LOGIN}）",
    )
