"""Answer an intake on GitHub: open the pull request, or post the problems on the issue.

Both go through ``ticreg.github.github_api`` (one injectable transport). The texts
are the ones `ticreg intake` wrote in the same job (their user-derived parts
already neutralised); they are capped in size, and branch names are checked
before they reach the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UsageError
from .github_api import GitHub

# GitHub refuses comments and descriptions over 65,536 characters.
MAX_TEXT_CHARS = 60_000
_BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,199}")


@dataclass(frozen=True)
class Opened:
    number: int
    url: str


def check_branch(name: str, option: str) -> str:
    if not _BRANCH.fullmatch(name) or ".." in name or "//" in name or name.endswith((".lock", "/", ".")):
        raise UsageError(f"{option} 的分支名“{name[:60]}”无效")
    return name


def capped(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    return text[:MAX_TEXT_CHARS] + "\n\n……（内容过长，以下省略）\n"


def post_report(client: GitHub, issue_number: int, report: str) -> str:
    """The problems report as a comment on the issue; returns the comment's address."""
    comment = client.create_issue_comment(issue_number, capped(report))
    return str((comment or {}).get("html_url", ""))


def open_pull_request(client: GitHub, issue_number: int, branch: str, base: str, title: str, summary: str) -> Opened:
    """Open the pull request from ``branch``, then tell the issue where it is."""
    pull = client.request("POST", "pulls", {
        "title": title[:250],
        "head": check_branch(branch, "--branch"),
        "base": check_branch(base, "--base"),
        "body": capped(summary),
        "maintainer_can_modify": True,
    })
    number = int(pull["number"])
    client.create_issue_comment(issue_number, (
        f"已受理本申报表单，生成了拉取请求 #{number}，由工作人员审核。"
        "审核意见会写在拉取请求中；合并后本议题自动关闭，之后的办理进度可在网站上查询。\n"
    ))
    return Opened(number, str(pull.get("html_url", "")))
