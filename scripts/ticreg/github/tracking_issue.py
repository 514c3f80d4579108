"""The one tracking issue of what is late (`ticreg tracking-issue`).

From the deadlines of ticreg.deadlines, it lists:

- evaluations that are overdue;
- rectifications whose deadline has passed with no re-evaluation;
- publicity windows that have closed without a decision: applications that
  may be certified and are not yet (from the first day they may be, whether
  or not the reminder days of policy.yml have run out), and windows that
  ended with an objection still pending; an Art. 16 conversion is marked
  as priority;
- Art. 10 transitions to a legal entity past their day (when policy sets a period).
- calendar years (registry/calendar/) that are missing: one a listed item
  needs, this year's, or next year's from policy.yml's calendar.reminder_from.

There is one issue, found by its label and the hidden marker at the top of
its body, written by the bot. It is opened the first time something is
outstanding, edited while things are, closed (its body saying that nothing
is outstanding) when nothing is any longer, and reopened when something is
again: one issue for the life of the repository, never one per run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..deadlines import (
    CALENDAR,
    CERTIFICATION,
    EVALUATION,
    OVERDUE,
    PRIORITY_MARK,
    PUBLICITY,
    RECTIFICATION,
    TRANSITION,
    Deadline,
)
from .github_api import GitHub
from .markdown_safe import table_cell

MARKER = "<!-- ticreg-tracking-issue -->"
LABEL = "registry-deadlines"
LABEL_COLOR = "b60205"
LABEL_DESCRIPTION = "每日期限检查自动维护的跟踪议题"
TITLE = "登记册办理期限跟踪：逾期与待决定事项"

SECTIONS = (
    ("缺少节假日安排", lambda d: d.kind == CALENDAR),
    ("已逾期的绩效评估", lambda d: d.kind == EVALUATION and d.status == OVERDUE),
    ("已过整改期限、尚未复评", lambda d: d.kind == RECTIFICATION and d.status == OVERDUE),
    (
        "公示期满、尚未作出决定",
        lambda d: d.kind == CERTIFICATION or (d.kind == PUBLICITY and d.status == OVERDUE),
    ),
    ("逾期未完成的向独立法人实体过渡", lambda d: d.kind == TRANSITION and d.status == OVERDUE),
)

_FOOTER = (
    "本议题由“每日期限检查”工作流（`ticreg tracking-issue`）每天自动更新，请不要手工编辑正文。"
    "事项办理完毕并用 `ticreg record` 记录、合并后，下一次运行时自动移除；"
    "全部办结时本议题自动关闭，再出现逾期或待决定的事项时自动重新打开。"
)


def outstanding(items: list[Deadline]) -> list[tuple[str, list[Deadline]]]:
    """The sections that have items, in the order above."""
    sections = [(title, [d for d in items if belongs(d)]) for title, belongs in SECTIONS]
    return [(title, found) for title, found in sections if found]


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _state(item: Deadline) -> str:
    late = -item.days
    if item.kind == CERTIFICATION:
        text = "今天起可认定" if late == 0 else f"已可认定 {late} 天，仍未认定"
        # Past policy.yml's publicity.decision_reminder_days (see ticreg.deadlines).
        return text + "（已超过提醒期限）" if item.status == OVERDUE else text
    if item.kind == PUBLICITY:
        return f"公示期已满 {late} 天，异议仍待处理"
    if item.kind == CALENDAR:
        return f"{item.days} 天后开始需要，请及时添加" if late < 0 else f"已缺少 {late} 天" if late else "今天起需要"
    return f"已逾期 {late} 天"


def render(items: list[Deadline], as_of: dt.date) -> str:
    """The issue's body in Markdown."""
    sections = outstanding(items)
    lines = [MARKER, ""]
    if not sections:
        lines += [
            (
                f"截至{_zh(as_of)}（北京时间），没有逾期的绩效评估、过期未复评的整改，"
                "也没有公示期满尚未作出决定的申报。"
            ),
            "",
            _FOOTER,
        ]
        return "\n".join(lines) + "\n"
    total = sum(len(found) for _, found in sections)
    lines += [f"截至{_zh(as_of)}（北京时间），共有 {total} 项逾期或待决定的事项：", ""]
    for title, found in sections:
        lines += [f"### {title}（{len(found)} 项）", "", "| 日期 | 事项 | 状态 | 代号 | 文件 |", "|---|---|---|---|---|"]
        for item in found:
            title = PRIORITY_MARK + item.title if item.priority else item.title
            cells = (_zh(item.date), title, _state(item), item.record, item.path)
            lines.append("| " + " | ".join(table_cell(cell) for cell in cells) + " |")
        lines.append("")
    lines.append(_FOOTER)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Synced:
    action: str  # "created", "updated", "reopened", "closed", "unchanged" or "none"
    number: int | None = None
    url: str | None = None


def find_issue(client: GitHub, label: str, bot_login: str) -> dict | None:
    """The tracking issue: the oldest issue with the label and the marker, by the bot."""
    candidates = [
        issue
        for issue in client.issues_with_label(label)
        if (issue.get("user") or {}).get("login") == bot_login and MARKER in (issue.get("body") or "")
    ]
    return min(candidates, key=lambda issue: issue["number"], default=None)


def sync(client: GitHub, body: str, has_items: bool, *, label: str = LABEL, bot_login: str) -> Synced:
    """Open, edit, close or reopen the tracking issue so that it shows ``body``."""
    issue = find_issue(client, label, bot_login)
    if issue is None:
        if not has_items:
            return Synced("none")
        client.ensure_label(label, LABEL_COLOR, LABEL_DESCRIPTION)
        created = client.create_issue(TITLE, body, [label])
        return Synced("created", created.get("number"), created.get("html_url"))
    number, url, is_open = issue["number"], issue.get("html_url"), issue.get("state") == "open"
    if not has_items:
        if not is_open:
            return Synced("none", number, url)
        client.update_issue(number, body=body, state="closed", state_reason="completed")
        return Synced("closed", number, url)
    changes = {}
    if issue.get("body") != body:
        changes["body"] = body
    if issue.get("title") != TITLE:
        changes["title"] = TITLE
    if not is_open:
        changes["state"] = "open"
    if not changes:
        return Synced("unchanged", number, url)
    client.update_issue(number, **changes)
    return Synced("reopened" if not is_open else "updated", number, url)
