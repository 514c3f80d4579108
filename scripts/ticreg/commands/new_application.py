"""`ticreg new-application`: start an application file from its commented template."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK
from ..repo_layout import APPLICATION_TEMPLATES
from ._common import add_registry_option, add_today_option, registry_root, today_from

NAME = "new-application"


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="由模板新建申报文件",
        description=(
            "把 templates/ 中对应的带注释模板写为 registry/applications/<部门>/<申报代号>.yml，"
            "填好申报代号、组织管理部门和今天的 submitted 记录。"
        ),
    )
    parser.add_argument("--department", metavar="ID", required=True, help="组织管理部门代号（departments.yml 中）")
    parser.add_argument("--id", metavar="ID", required=True, help="申报代号，如 2026-zezhou-002（小写字母、数字和连字符）")
    parser.add_argument("--kind", choices=tuple(APPLICATION_TEMPLATES), default="certification",
                        help="certification 一般程序认定（默认）、direct-certification 直接认定、change 重大事项变更")
    parser.add_argument("--login", metavar="LOGIN", action="append", default=[],
                        help="申报单位在 GitHub 上的账号，写入 applicant_logins；可重复或用逗号分隔多个。"
                             "提交申报的账号须在其中，此后只有这些账号和工作人员能为本申报记录撤回、更正等事件")
    add_today_option(parser, "申报日期：写入 submitted 记录的日期")
    add_registry_option(parser)


def run(args) -> int:
    from ..new_application import KIND_LABELS, new_application

    root = registry_root(args)
    today = today_from(args)  # read once, here, and passed down
    logins = [login.strip() for given in args.login for login in given.split(",") if login.strip()]
    created = new_application(root, Path.cwd(), args.department, args.id, args.kind, today=today, logins=logins)
    lines = [
        (
            f"已创建 {created.path}（{KIND_LABELS[created.kind]}，来自模板）：申报代号、组织管理部门已填写，"
            f"history 中只有今天（{today.isoformat()}）的 submitted 单位申报。"
        ),
        *(["applicant_logins 未填写：请改为提交申报的 GitHub 账号（或用 --login 指定），否则提交会被拒绝（G923）。"]
          if "applicant_logins" in created.fill_in else []),
        "接下来：",
        "  1. 逐项替换文件中的示例值（均为虚构），按各字段上方的注释填写：" + "、".join(created.fill_in) + "；",
    ]
    if created.center_id_placeholder is not None:
        lines.append(f"     center_id 现为示例值“{created.center_id_placeholder}”，须改为 registry/centers/ 中要变更的中心代号；")
    lines += [
        "  2. 不需要的可选项按注释删除；history 只追加，后续事件由审核部门用 ticreg record 记录；",
        f"  3. 运行 ticreg validate {created.path} 检查，无错误后提交。",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
