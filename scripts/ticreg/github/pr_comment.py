"""The validation report as one comment on its pull request (`ticreg pr-comment`).

The inputs come from an artifact that the pull request's own workflow run
wrote, so they are untrusted text, read and never executed:

- the pull request number: only its digits are kept (at most 9; nothing
  else in the file, and nothing at all, is refused);
- the report: read up to a bound, neutralised (ticreg.github.markdown_safe) and
  capped, with a note in Chinese where it was cut.

The comment starts with a hidden marker. Each push updates the comment that
carries it and was written by the bot, so a pull request has one report
comment however often it is pushed; a comment by anyone else that quotes
the marker is never touched. Given the commit that was validated, the pull
request's head must still be that commit: a report for an older push (or an
artifact naming another pull request) is not posted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_FINDINGS, TicregError
from .github_api import GitHub
from .markdown_safe import neutralise

MARKER = "<!-- ticreg-validate-report -->"
MAX_REPORT_CHARS = 60_000
COMMENT_LIMIT = 65_536  # GitHub refuses longer comment bodies
MAX_PR_FILE_BYTES = 64
MAX_PR_DIGITS = 9

_SHA = re.compile(r"[0-9a-f]{40}")
_RUN_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?/[A-Za-z0-9._~/-]*")
_PARTIAL_ESCAPE = re.compile(r"(?:&[#A-Za-z0-9]*|\\|@|#)$")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)


class UntrustedInput(TicregError):
    """An artifact file that cannot be used as it is."""

    exit_code = EXIT_FINDINGS


@dataclass(frozen=True)
class PullRequestNumber:
    number: int
    dropped: bool  # the file held more than the digits


def read_pr_number(path: Path) -> PullRequestNumber:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_PR_FILE_BYTES + 1)
    except OSError as error:
        raise UntrustedInput(f"无法读取拉取请求编号文件 {path}：{error.strerror or error}") from None
    if len(raw) > MAX_PR_FILE_BYTES:
        raise UntrustedInput(f"拉取请求编号文件 {path} 超过 {MAX_PR_FILE_BYTES} 字节，不予使用")
    text = raw.decode("ascii", "replace").strip()
    digits = "".join(char for char in text if char in "0123456789")
    if not digits:
        raise UntrustedInput(f"拉取请求编号文件 {path} 中没有数字，不予使用")
    if len(digits) > MAX_PR_DIGITS:
        raise UntrustedInput(f"拉取请求编号文件 {path} 中的数字超过 {MAX_PR_DIGITS} 位，不予使用")
    number = int(digits)
    if number == 0:
        raise UntrustedInput(f"拉取请求编号文件 {path} 中的编号为 0，不予使用")
    return PullRequestNumber(number, dropped=digits != text)


def read_report(path: Path, max_chars: int) -> str | None:
    """The report's text (at most about four times ``max_chars`` bytes are read),
    or None when there is no report."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_chars * 4 + 4)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UntrustedInput(f"无法读取校验报告 {path}：{error.strerror or error}") from None
    text = raw.decode("utf-8", "replace")
    return text if text.strip() else None


def cap(text: str, max_chars: int) -> tuple[str, bool]:
    """``text`` cut to at most ``max_chars`` characters, preferably at a line's
    end, never inside an escape or entity, with any code fence it opened closed."""
    if len(text) <= max_chars:
        return text, False
    cut = text[:max_chars]
    newline = cut.rfind("\n")
    if newline >= max_chars * 0.8:
        cut = cut[:newline]
    else:
        cut = _PARTIAL_ESCAPE.sub("", cut)
    cut = cut.rstrip()
    if len(_FENCE.findall(cut)) % 2:
        cut += "\n```"
    return cut, True


def comment_body(report: str | None, *, max_chars: int = MAX_REPORT_CHARS, run_url: str | None = None,
                 head_sha: str | None = None) -> str:
    """The whole comment: marker, neutralised and capped report, notes in Chinese."""
    link = run_url if run_url and _RUN_URL.fullmatch(run_url) else None
    where = f"[本次校验的运行记录]({link})" if link else "“校验拉取请求”工作流本次运行的记录"
    parts = [MARKER]
    if report is None:
        parts.append(f"## 登记册校验：没有报告\n\n校验没有生成报告（可能在安装阶段就已失败），请查看{where}。")
    else:
        text, was_cut = cap(neutralise(report).strip(), max_chars)
        parts.append(text)
        if was_cut:
            parts.append(
                f"> ⚠️ 报告过长，这里只显示前 {max_chars} 个字符；完整报告见{where}中的作业摘要（Summary）。"
            )
    commit = f"提交 `{head_sha}`，" if head_sha and _SHA.fullmatch(head_sha) else ""
    parts.append(
        f"<sub>{commit}由“发表校验结果评论”工作流根据校验结果自动发表；每次推送新的提交后更新本评论。"
        "如何修正各项问题，见申请人手册。</sub>"
    )
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class Posted:
    action: str  # "created", "updated", "unchanged" or "stale"
    comment_id: int | None = None
    url: str | None = None


def post_or_update(client: GitHub, number: int, body: str, *, bot_login: str, head_sha: str | None = None) -> Posted:
    if len(body) > COMMENT_LIMIT:  # cannot happen with the caps above; never send what GitHub refuses
        raise UntrustedInput(f"评论长度 {len(body)} 超过 GitHub 的上限 {COMMENT_LIMIT}")
    if head_sha is not None:
        head = (client.pull_request(number).get("head") or {}).get("sha")
        if head != head_sha:
            return Posted("stale")
    mine = [
        comment
        for comment in client.issue_comments(number)
        if (comment.get("user") or {}).get("login") == bot_login and MARKER in (comment.get("body") or "")
    ]
    if not mine:
        created = client.create_issue_comment(number, body)
        return Posted("created", created.get("id"), created.get("html_url"))
    previous = mine[0]
    if previous.get("body") == body:
        return Posted("unchanged", previous.get("id"), previous.get("html_url"))
    updated = client.update_issue_comment(previous["id"], body)
    return Posted("updated", updated.get("id"), updated.get("html_url"))


def valid_head_sha(text: str) -> bool:
    return bool(_SHA.fullmatch(text))
