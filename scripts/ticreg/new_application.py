"""Start an application from its commented template (`ticreg new-application`).

The template's text is kept: only ``id``, ``organizing_department``,
``applicant_logins`` (when given), a county department's own ``county_code``
and the schema comment's path are swapped in place, and its history becomes the one submission of today, written in the
template's own item style by ``history_append``. The result is read back with
the registry's own loader and must hold exactly the template's data with
those fields, or nothing is written; the file is created, never overwritten.

"Today" (Asia/Shanghai) is an argument: the command line reads the clock once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ticreg_schemas import Departments
from ticreg_schemas.departments import Department
from ticreg_schemas.common import GITHUB_LOGIN_PATTERN

from .errors import TicregError, UsageError
from .history_append import Layout, decode, newline_of, replace_scalar_line
from .loader import load_bytes, without_positions
from .record import check_identifier, shown_path
from .registry_context import load_model
from .registry_files import APPLICATIONS, DEPARTMENTS
from .repo_layout import APPLICATION_TEMPLATES as TEMPLATES, JSON_SCHEMA_DIR
from .safe_files import create_exclusive
from .yaml_writer import one_line_scalar

GITHUB_LOGIN = re.compile(GITHUB_LOGIN_PATTERN)

KIND_LABELS = {
    "certification": "一般程序认定申报",
    "direct-certification": "直接认定申报",
    "change": "重大事项变更申请",
}
SCHEMA_COMMENT = re.compile(r"^(# yaml-language-server: \$schema=)\S*?([^/\s]+\.schema\.json)(\s*)$")
APPLICATION_SCHEMA_PATH = f"../../../{JSON_SCHEMA_DIR}/"  # from registry/applications/<department>/


@dataclass
class Created:
    path: str
    kind: str
    fill_in: list[str]
    center_id_placeholder: str | None = None


def templates_dir(root: Path) -> Path:
    """templates/ beside the registry directory, else the one shipped with this tool."""
    for candidate in (root.resolve().parent / "templates", Path(__file__).resolve().parents[2] / "templates"):
        if (candidate / TEMPLATES["certification"]).is_file():
            return candidate
    raise UsageError("找不到 templates/ 目录中的申报模板（应在登记册目录旁边）")


def _departments(root: Path) -> dict[str, Department]:
    return {d.id: d for d in load_model(root / DEPARTMENTS, Departments).departments}


def _county_of(department: Department, template_data: dict[str, object]) -> dict[str, str]:
    """A county department's applications lie in its county (X509): its code replaces the template's example."""
    if department.kind == "county" and department.county_code is not None and "county_code" in template_data:
        return {"county_code": department.county_code}
    return {}


def new_application(
    root: Path, cwd: Path, department: str, application_id: str, kind: str, *, today: dt.date,
    logins: Sequence[str] = (),
) -> Created:
    """Write the template for ``kind`` as registry/applications/<department>/<id>.yml
    (with ``logins`` as its applicant_logins when given)."""
    check_identifier(department, "组织管理部门代号")
    check_identifier(application_id, "申报代号")
    logins = check_logins(logins)
    if kind not in TEMPLATES:
        raise UsageError(f"申报类型“{kind}”无效，应为：{'、'.join(TEMPLATES)}")
    departments = _departments(root)
    if department not in departments:
        raise UsageError(
            f"组织管理部门“{department}”不在 {root.as_posix()}/{DEPARTMENTS} 中；应为：{'、'.join(departments)}"
        )
    relative = PurePosixPath(APPLICATIONS, department, f"{application_id}.yml")
    path = root / relative
    shown = shown_path(root, relative, cwd)
    if path.exists():
        raise UsageError(f"{shown} 已存在，不会覆盖；续办已有申报请用 ticreg record")
    elsewhere = sorted((root / APPLICATIONS).glob(f"*/{application_id}.yml"))
    if elsewhere:
        raise UsageError(
            f"申报代号“{application_id}”已被 {shown_path(root, PurePosixPath(elsewhere[0].relative_to(root).as_posix()), cwd)} "
            "使用；申报代号在全部组织管理部门之间唯一"
        )

    template = templates_dir(root) / TEMPLATES[kind]
    bom, text = decode(template.read_bytes())
    loaded_template = load_bytes(text.encode("utf-8"), str(template))
    template_data = loaded_template.data
    if not loaded_template.ok or template_data is None or template_data.get("kind") != kind:
        raise TicregError(f"模板 {template} 无法读取或申报类型不是 {kind}")
    expected = without_positions(template_data)
    place = _county_of(departments[department], expected)
    new_text = _fill_template(text, str(template), application_id, department, today, logins, place)
    expected.update(id=application_id, organizing_department=department, **place,
                    history=[{"date": today.isoformat(), "event": "submitted"}])
    if logins:
        expected["applicant_logins"] = logins
    reread = load_bytes(new_text.encode("utf-8"), shown)
    if not reread.ok or without_positions(reread.data) != expected:
        raise TicregError(f"无法由模板 {template} 生成申报文件；模板的写法与预期不同")

    try:
        create_exclusive(path, (bom + new_text).encode("utf-8"))
    except FileExistsError:
        raise UsageError(f"{shown} 已存在，不会覆盖") from None
    skip = {"id", "kind", "organizing_department", "history", *(("applicant_logins",) if logins else ())}
    fill_in = [key for key in expected if key not in skip]
    center_id = expected.get("center_id")
    placeholder = center_id if kind == "change" and isinstance(center_id, str) else None
    return Created(shown, kind, fill_in, placeholder)


def check_logins(logins: Iterable[str]) -> list[str]:
    """GitHub logins given on the command line, each checked; duplicates (ignoring case) dropped."""
    kept: list[str] = []
    for login in logins:
        if not GITHUB_LOGIN.fullmatch(login):
            raise UsageError(
                f"账号“{login}”不是有效的 GitHub 账号：只能用字母、数字和单个连字符，不以连字符开头或结尾，"
                "最长 39 个字符，不带 @"
            )
        if login.casefold() not in {k.casefold() for k in kept}:
            kept.append(login)
    return kept


def _fill_template(
    text: str, where: str, application_id: str, department: str, today: dt.date, logins: Sequence[str] = (),
    place: dict[str, str] | None = None,
) -> str:
    layout = Layout(text, where)
    data = layout.data
    newline = newline_of(text)
    lines = list(layout.lines)
    first = SCHEMA_COMMENT.match(lines[0].rstrip("\r\n")) if lines else None
    if first is not None:
        lines[0] = f"{first.group(1)}{APPLICATION_SCHEMA_PATH}{first.group(2)}{first.group(3)}{newline}"
    for key, value in (("id", application_id), ("organizing_department", department), *(place or {}).items()):
        line, col = data.lc.value(key)
        replaced = replace_scalar_line(lines[line], col, str(data[key]), one_line_scalar(value))
        if replaced is None:
            raise TicregError(f"模板 {where} 的 {key} 不是单行写法")
        lines[line] = replaced
    if logins:
        if "applicant_logins" not in data:
            raise TicregError(f"模板 {where} 没有 applicant_logins 字段")
        line, col = data.lc.value("applicant_logins")
        written = lines[line][col:].split("#", 1)[0].rstrip()
        if not (written.startswith("[") and written.endswith("]")):
            raise TicregError(f"模板 {where} 的 applicant_logins 不是单行的方括号列表")
        lines[line] = lines[line][:col] + "[" + ", ".join(logins) + "]" + lines[line][col + len(written):]
    # history: only the submission, in the template's own item style.
    first_item = layout.history.lc.item(0)[0]
    start = first_item
    while start > 0 and lines[start][layout.dash_col : layout.dash_col + 1] != "-":
        start -= 1
    end = layout.end_of_history()
    submitted = {"date": today, "event": "submitted"}
    lines[start : end + 1] = layout.item_lines(submitted, newline, quote_all=False)
    return "".join(lines)
