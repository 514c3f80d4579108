"""`ticreg record EVENT ID`: append one event to an application's or a center's history."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ticreg_schemas.events import (
    APPLICATION_EVENTS,
    CENTER_EVENTS,
    CONCLUSIONS,
    EVALUATION_OUTCOMES,
    REVIEW_STAGES,
)

from ..errors import EXIT_OK, UsageError
from ..unprintable import visible
from ..today import parse_date_argument
from ._common import add_registry_option, add_today_option, registry_root, today_from

NAME = "record"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="追加一条办理记录",
        description=(
            "按办理流程检查后，在申报或中心文件的 history 末尾追加一条事件，其余内容（注释、空行、键序、引号、"
            "写法）一字不改。不合流程的事件不写入，提示与 ticreg validate 相同。"
        ),
    )
    parser.add_argument(
        "event",
        metavar="EVENT",
        help="事件。申报：" + "、".join(APPLICATION_EVENTS) + "；中心：" + "、".join(CENTER_EVENTS),
    )
    parser.add_argument("id", metavar="ID", help="申报代号或中心代号（据此找到文件）")
    parser.add_argument("--date", metavar="DATE", help="事件日期 YYYY-MM-DD（默认：北京时间今天）")
    parser.add_argument("--ref", metavar="DOCUMENT-NUMBER", help="文号（document_number）")
    parser.add_argument("--center", metavar="ID", help="认定的中心代号（申报的 certified：center_id）")
    parser.add_argument("--application", metavar="ID", help="申报代号（中心的 certified、changed：application_id）")
    parser.add_argument("--stage", choices=tuple(REVIEW_STAGES), metavar="STAGE",
                        help="未予通过的审核环节（rejected：stage）：" + "、".join(REVIEW_STAGES))
    parser.add_argument("--reason", metavar="TEXT", help="理由（rejected、withdrawn、revoked：reason）")
    parser.add_argument("--outcome", choices=tuple(EVALUATION_OUTCOMES),
                        help="评估结论（evaluated：outcome）：retain 保留、rectify 整改、revoke 撤销")
    parser.add_argument("--excellent", action="store_true", help="评估为运行良好、成绩突出（evaluated：excellent: true）")
    parser.add_argument("--deadline", metavar="DATE", help="整改期限（evaluated rectify：rectification_deadline）")
    parser.add_argument("--evaluator", metavar="TEXT", help="第三方评估机构（evaluated：evaluator）")
    parser.add_argument("--new-name", metavar="TEXT",
                        help="更名后的名称（中心的 changed：new_name；原名称自动记为 former_name，并改写 name）")
    parser.add_argument("--new-direction", metavar="TEXT", action="append", dest="new_directions",
                        help="变更后的一项主要研究方向，可重复，依次写全部新方向（中心的 changed：new_research_directions；"
                             "原方向自动记为 former_research_directions，并改写 research_directions）")
    parser.add_argument("--fields", metavar="FIELD,...",
                        help="更正的字段，逗号分隔（申报的 amended：fields），如 rd_equipment_value_yuan,team；"
                             "先在文件中改好这些字段，再记录")
    parser.add_argument("--note", metavar="TEXT", help="备注（任何事件：note）")
    _add_stage_evidence_options(parser)
    add_today_option(parser, "今天的日期：事件日期的默认值，也是事件日期的上限")
    add_registry_option(parser)


def _add_stage_evidence_options(parser: argparse.ArgumentParser) -> None:
    """What each Art. 9 stage leaves behind (optional; H704-H710, X515-X518 check them)."""
    parser.add_argument("--reviewed-by", metavar="DEPARTMENT",
                        help="审核部门代号（department-approved：reviewed_by），即本申报的组织管理部门")
    parser.add_argument("--staff", metavar="LOGIN,...",
                        help="参加复核或实地考察的市科技局工作人员账号，逗号分隔（bureau_staff，须在 staff.yml 中）")
    parser.add_argument("--joint-departments", metavar="DEPARTMENT,...",
                        help="会同参加复核或实地考察的部门代号，逗号分隔（joint_departments）")
    parser.add_argument("--conclusion", choices=tuple(CONCLUSIONS),
                        help="复核、实地考察、专家评审的结论（conclusion）：passed 通过、not-passed 未通过（记在 rejected 上）")
    parser.add_argument("--panel-size", metavar="N", help="专家组人数（expert-reviewed：panel_size），正整数")
    parser.add_argument("--score", metavar="NUMBER", help="专家评审得分（expert-reviewed：score）")
    parser.add_argument("--session", metavar="TEXT",
                        help="局党组会议名称（meeting-approved：session），如“2026年第12次局党组会议”")
    parser.add_argument("--notice-url", metavar="URL",
                        help="公示网址（publicity-started：notice_url；certified：所依据的公示的网址）")


_WHOLE = re.compile(r"[1-9][0-9]{0,2}")
_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,4})(?:\.[0-9]*[1-9])?")


def _number_argument(text: str | None, option: str, whole: bool) -> int | float | None:
    """A plain number as written (``--panel-size 7``, ``--score 86.5``), written back unchanged."""
    if text is None:
        return None
    if whole and _WHOLE.fullmatch(text):
        return int(text)
    if not whole and _DECIMAL.fullmatch(text):
        return float(text) if "." in text else int(text)
    shape = "正整数，如 7" if whole else "只用数字书写的数，如 86.5（不带正负号、前导零和末尾的 0）"
    raise UsageError(f"{option} 的值“{text}”无效：应为{shape}")


def _stage_evidence(args: argparse.Namespace) -> dict[str, object]:
    return {
        "reviewed_by": args.reviewed_by,
        "bureau_staff": _field_names(args.staff),
        "joint_departments": _field_names(args.joint_departments),
        "conclusion": args.conclusion,
        "panel_size": _number_argument(args.panel_size, "--panel-size", whole=True),
        "score": _number_argument(args.score, "--score", whole=False),
        "session": args.session,
        "notice_url": args.notice_url,
    }


def _field_names(text: str | None) -> list[str] | None:
    """--fields a,b -> ["a", "b"]; the schema checks each name (H703 checks it is a field)."""
    if text is None:
        return None
    return [name.strip() for name in text.split(",") if name.strip()]


def run(args) -> int:
    from ..process.machine import ROLES
    from ..record import record_event

    root = registry_root(args)
    today = today_from(args)  # read once, here, and passed down
    fields = {
        "date": parse_date_argument(args.date, "--date") if args.date is not None else today,
        "document_number": args.ref,
        "center_id": args.center,
        "application_id": args.application,
        "stage": args.stage,
        "reason": args.reason,
        "outcome": args.outcome,
        "excellent": True if args.excellent else None,
        "rectification_deadline": parse_date_argument(args.deadline, "--deadline") if args.deadline is not None else None,
        "evaluator": args.evaluator,
        "new_name": args.new_name,
        "new_research_directions": args.new_directions,
        "fields": _field_names(args.fields),
        "note": args.note,
        **_stage_evidence(args),
    }
    result = record_event(root, Path.cwd(), args.id, args.event, fields, today=today)
    lines = [
        (
            f"已记录：{result.path} 的 history[{result.index}] {result.event['date'].isoformat()} "
            f"{result.event['event']}（{result.label}）。当前状态：{result.state_label}（{result.state}）。"
        )
    ]
    if result.roles:
        lines.append("按办理流程，此事件由" + "或".join(ROLES[r] for r in result.roles) + "记录。")
    lines += result.notes
    for finding in result.warnings:
        lines.append(f"提示：{finding.path}:{finding.line}:{finding.column}: {finding.rule} {finding.message}")
    lines.append("提交前可运行 ticreg validate 检查整个登记册。")
    sys.stdout.write(visible("\n".join(lines), keep="\n") + "\n")
    return EXIT_OK
