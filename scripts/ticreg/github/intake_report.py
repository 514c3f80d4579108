"""What `ticreg intake` tells people, in Markdown: the problems (an issue comment) or the pull request's description.

Problem messages can quote what the applicant wrote (a validation message
echoes a value), so every message goes through ``markdown_safe.neutralise``:
no HTML, no links or images, no @-mentions or #-references reach the comment.
Personal numbers never appear unmasked: the parser refuses them with the
masked form, and every validation message is masked by the rules already.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..personal_numbers import redact_personal_numbers
from .issue_body import Problem
from .issue_forms import INTAKE_LABEL
from .markdown_safe import neutralise

MAX_PROBLEMS_SHOWN = 100
_WHOLE_FORM = "整个表单"


def _item(problem: Problem) -> str:
    where = neutralise(problem.field) if problem.field else _WHOLE_FORM
    message = neutralise(redact_personal_numbers(problem.message)).replace("\n", " ")
    return f"- **{where}**：{message}"


def _items(problems: list[Problem]) -> list[str]:
    shown = [_item(p) for p in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"- ……另有 {len(problems) - MAX_PROBLEMS_SHOWN} 个问题未列出")
    return shown


def problems_report(problems: list[Problem], warnings: Sequence[Problem] = ()) -> str:
    """The comment on the issue when the form could not be taken in."""
    personal = any("身份证号" in p.message or "手机号" in p.message for p in problems)
    lines = ["## 申报表单未能受理", ""]
    if personal:
        lines += [
            "> [!CAUTION]",
            "> **表中有身份证号或手机号。本议题公开可见，请立即编辑议题删除这些号码，"
            "并请工作人员删除议题的编辑记录（编辑后旧内容仍保留在编辑记录中）。**",
            "",
        ]
    lines += [
        "系统检查了本议题中的申报表单，发现以下问题，**没有**生成申报文件：",
        "",
        *_items(problems),
        "",
    ]
    if warnings:
        lines += ["另有以下提示（不影响受理，请一并核对）：", "", *_items(list(warnings)), ""]
    lines += [
        "**如何修改**：点击议题正文右上角的“…”，选择“编辑”，按上面所列逐项修改并保存；"
        f"然后请工作人员重新添加“{INTAKE_LABEL}”标签。请只修改填写的内容，不要改动以“###”开头的各项标题。"
        "修改后系统还会按登记册的全部规则再检查一遍。",
        "",
        "<sub>由 `ticreg intake` 自动生成。</sub>",
    ]
    return "\n".join(lines) + "\n"


def pull_request_summary(
    shown_path: str, application_id: str, department_name: str, form_name: str, issue_number: int | None,
    warnings: Sequence[Problem] = (),
) -> str:
    """The pull request's description."""
    source = f"议题 #{issue_number} 中的" if issue_number is not None else ""
    lines = [
        f"## 新增申报 {application_id}",
        "",
        f"由{source}“{form_name}”表单自动生成，已通过 `ticreg validate` 的全部检查（无错误）。",
        "",
        f"- 文件：`{shown_path}`",
        f"- 申报代号：`{application_id}`（按年份、组织管理部门和下一个空闲序号生成）",
        f"- 组织管理部门：{neutralise(department_name)}（由所在县（市、区）或中心档案确定，不取自表单文字）",
        "- 办理记录：只有今天的 `submitted`（单位申报）",
        "",
    ]
    if warnings:
        lines += ["校验提示（不是错误，请审核时核对）：", "", *_items(list(warnings)), ""]
    lines += [
        "**审核要点**：逐项核对文件与议题中的表单是否一致，尤其是统一社会信用代码、团队成员、设备原值、面积"
        "和知识产权编号；文件中不得出现身份证号和个人手机号。合并即表示受理这份申报，"
        "此后的办理事件用 `ticreg record` 记录。",
        "",
        "**触发校验**：本拉取请求由工作流的令牌创建，GitHub 不会为它自动运行“校验拉取请求”工作流；"
        "请审核人先关闭、再重新打开本拉取请求，以运行校验。",
        "",
    ]
    if issue_number is not None:
        lines += [f"Closes #{issue_number}", ""]
    return "\n".join(lines)
