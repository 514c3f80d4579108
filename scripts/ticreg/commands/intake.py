"""`ticreg intake`: turn an issue-form body into a registry file (or a Chinese problems report)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from ..errors import EXIT_FINDINGS, EXIT_OK, UsageError
from ._common import add_registry_option, add_today_option, registry_root, today_from

NAME = "intake"
BODY_VARIABLE = "ISSUE_BODY"
_ISSUE_NUMBER = re.compile(r"[1-9][0-9]{0,9}")


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="把议题表单转为申报文件",
        description=(
            f"读取议题表单的正文（环境变量 {BODY_VARIABLE}，或 --body-file），转为申报文件并用 ticreg validate 的规则"
            "校验，无错误时写入 registry/applications/<部门>/<申报代号>.yml 并输出其路径；有问题时不写任何文件，"
            "把中文问题清单写入 --report。"
        ),
    )
    parser.add_argument("--body-file", metavar="FILE",
                        help=f"从文件读取议题正文（UTF-8）；不给时读取环境变量 {BODY_VARIABLE}")
    parser.add_argument("--issue-number", metavar="N", help="议题编号（只能是数字），写入文件开头的注释和拉取请求说明")
    add_today_option(parser, "受理日期，即 submitted 的日期和申报代号的年份")
    parser.add_argument("--actor", metavar="LOGIN",
                        help="添加受理标签的账号：须在 staff.yml 中，组织管理部门的账号只能受理本部门的申报")
    parser.add_argument("--applicant", metavar="LOGIN",
                        help="议题作者（申报单位）的 GitHub 账号，写入申报的 applicant_logins：此后只有该账号和工作人员"
                             "能为本申报记录撤回、更正等事件")
    parser.add_argument("--taken", metavar="FILE",
                        help="另外已占用的申报文件路径或申报代号，每行一个（如尚未合并的受理分支中的文件）")
    parser.add_argument("--report", metavar="FILE", help="有问题时把中文问题清单（Markdown）写入此文件")
    parser.add_argument("--summary", metavar="FILE", help="成功时把拉取请求的说明（Markdown）写入此文件")
    add_registry_option(parser)


def _body(args) -> str:
    if args.body_file is not None:
        try:
            raw = Path(args.body_file).read_bytes()
        except OSError as exc:
            raise UsageError(f"无法读取 --body-file {args.body_file}：{exc.strerror}") from None
        # Undecodable bytes become lone surrogates, which the parser refuses as hidden characters.
        return raw.decode("utf-8", "surrogateescape")
    if BODY_VARIABLE not in os.environ:
        raise UsageError(f"没有议题正文：请设置环境变量 {BODY_VARIABLE}，或用 --body-file 指定文件")
    return os.environ[BODY_VARIABLE]


def _issue_number(text: str | None) -> int | None:
    if text is None:
        return None
    if not _ISSUE_NUMBER.fullmatch(text):
        raise UsageError(f"--issue-number 须是议题编号（正整数，只含数字），不能是“{text[:20]}”")
    return int(text)


def _taken(path: str | None) -> list[str]:
    if path is None:
        return []
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise UsageError(f"无法读取 --taken {path}：{exc.strerror}") from None


def _write(path: str | None, text: str) -> None:
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")


def run(args) -> int:
    from ..github import intake
    from ..github.intake_report import problems_report, pull_request_summary
    from ..new_application import check_logins
    from ..registry_files import display_path

    root = registry_root(args)
    today = today_from(args)
    number = _issue_number(args.issue_number)
    taken = _taken(args.taken)
    applicant = check_logins([args.applicant])[0] if args.applicant is not None else None
    body = _body(args)
    try:
        accepted = intake.intake(root, body, today=today, issue_number=number, actor=args.actor, taken=taken,
                                 applicant=applicant)
    except intake.IntakeRefused as refused:
        _write(args.report, problems_report(refused.problems, refused.warnings))
        lines = [f"申报表单未能受理，没有写入任何文件（{len(refused.problems)} 个问题）："]
        lines += [f"  {p.field or '整个表单'}：{p.message}" for p in refused.problems]
        sys.stderr.write("\n".join(lines) + "\n")
        return EXIT_FINDINGS
    path = intake.write(root, accepted)
    shown = display_path(path, Path.cwd())
    _write(args.summary, pull_request_summary(
        shown, accepted.application_id, accepted.department.name, accepted.form.name, number, accepted.warnings,
    ))
    sys.stdout.write(f"{shown}\n")
    kind = "重大事项变更申请" if accepted.kind == "change" else "申报"
    sys.stderr.write(
        f"已写入{kind} {shown}（申报代号 {accepted.application_id}，组织管理部门 {accepted.department.name}，"
        f"{len(accepted.warnings)} 条提示）\n"
    )
    return EXIT_OK

