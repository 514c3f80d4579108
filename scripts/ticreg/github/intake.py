"""`ticreg intake`: an issue-form body becomes a registry file, checked before it is written.

1. The body is read against the issue forms (``ticreg.github.issue_body``): size,
   hidden characters, personal numbers, headings; then each field is
   converted (``ticreg.github.intake_convert``).
2. Nothing that decides *where* the file goes comes from the body. The
   department is the one departments.yml assigns to the chosen county (for
   a change request: the center's own department, read from its file in the
   registry); the ID is ``<year>-<department>-<NNN>``, the next number
   free in the registry (and in the ``taken`` list: files on branches not
   yet merged). Both are checked against the department allow-list and
   IDENTIFIER_PATTERN, and the path must stay inside
   ``applications/<department>/``.
3. The YAML text is written by ``ticreg.yaml_writer`` (ruamel.yaml's
   emitter and its quoting guard, never by joining strings), in the order of
   templates/application-*.yml; it is read back with the registry's own
   loader and must give back exactly the data.
4. The file is validated by ``ticreg validate``'s own code in a temporary
   copy of the registry. Only a file without errors is returned; errors are
   reported against the form field they concern.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ticreg_schemas import Departments, Policy, Staff
from ticreg_schemas.common import IDENTIFIER
from ticreg_schemas.departments import Department

from . import intake_convert
from ..errors import EXIT_FINDINGS, TicregError, UsageError
from ..findings import Finding
from .issue_body import Problem, Refused, Submission, parse
from .issue_forms import Form, forms
from ..loader import PosDict, load_bytes, load_file
from ..registry_context import load_model, load_policy
from ..registry_files import APPLICATIONS, CENTERS, DEPARTMENTS, STAFF
from ..repo_layout import JSON_SCHEMA_DIR
from ..safe_files import create_exclusive
from ..yaml_writer import Style, as_loaded, document, first_faithful

SCHEMA_LINE = f"# yaml-language-server: $schema=../../../{JSON_SCHEMA_DIR}/application.schema.json"

APPLICATION_ORDER = (
    "id", "kind", "category", "proposed_name", "cluster", "county_code", "organizing_department",
    "center_legal_form", "municipal_erc_conversion", "lead_unit", "co_builders", "director",
    "research_directions", "summary", "services", "specialized_institutions", "provincial_platform",
    "team", "rd_equipment_value_yuan", "floor_area_m2", "ip_achievements", "declarations", "contact", "applicant_logins",
    "history",
)
CHANGE_ORDER = (
    "id", "kind", "organizing_department", "center_id", "lead_unit", "requested_change", "reason", "contact",
    "applicant_logins", "history",
)


class IntakeRefused(TicregError):
    """The submission cannot become a registry file; ``problems`` say why, by form field."""

    exit_code = EXIT_FINDINGS

    def __init__(self, problems: list[Problem], warnings: Sequence[Problem] = ()):
        super().__init__(f"申报表单有 {len(problems)} 个问题，未生成文件")
        self.problems = list(problems)
        self.warnings = list(warnings)


class NotStaff(UsageError):
    """The account that asked for the intake is not in staff.yml."""


@dataclass
class Accepted:
    relative: PurePosixPath  # applications/<department>/<id>.yml, relative to the registry
    text: str
    application_id: str
    department: Department
    kind: str
    form: Form
    warnings: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Who may ask, and where the file goes
# ---------------------------------------------------------------------------


def staff_member(root: Path, login: str):
    """The staff.yml entry for ``login`` (case-insensitive), or NotStaff."""
    staff = load_model(root / STAFF, Staff)
    for member in staff.staff:
        if member.login.lower() == login.lower():
            return member
    raise NotStaff(f"账号“{login}”不在 {STAFF} 中：只有工作人员添加的受理标签才会处理申报表单")


def _departments(root: Path) -> list[Department]:
    return list(load_model(root / DEPARTMENTS, Departments).departments)


def _department_for_county(departments: list[Department], county_code: str, form: Form) -> Department:
    matches = [d for d in departments if d.county_code == county_code]
    if len(matches) != 1:
        label = form.by_id()["county"].label
        raise IntakeRefused([Problem(label, (
            f"{DEPARTMENTS} 中{'没有' if not matches else '有多个'}负责该县（市、区）的组织管理部门，"
            "无法确定由谁审核；请联系工作人员"
        ))])
    return matches[0]


def _centers(root: Path) -> list[PosDict]:
    found = []
    for path in sorted((root / CENTERS).glob("*.yml")):
        loaded = load_file(path, str(path))
        if loaded.ok and isinstance(loaded.data, dict):
            found.append(loaded.data)
    return found


def _center_for(root: Path, departments: list[Department], text: str, form: Form) -> tuple[str, Department]:
    label = form.by_id()["center"].label
    wanted = text.strip()
    matches = [c for c in _centers(root) if wanted in (c.get("id"), c.get("name"))]
    if len(matches) != 1:
        raise IntakeRefused([Problem(label, (
            "找不到这个中心" if not matches else "有多个中心与之对应"
        ) + "：请填写网站中心页面上的中心代号（页面地址中的英文部分）或中心现名称，须完全一致")])
    center_id = matches[0].get("id")
    department_id = matches[0].get("organizing_department")
    by_id = {d.id: d for d in departments}
    if not isinstance(center_id, str) or not IDENTIFIER.fullmatch(center_id) or department_id not in by_id:
        raise IntakeRefused([Problem(label, "该中心的档案中代号或组织管理部门无效，无法确定由谁审核；请联系工作人员")])
    return center_id, by_id[department_id]


def _used_ids(root: Path, taken: Iterable[str]) -> set[str]:
    used = {path.stem for path in (root / APPLICATIONS).glob("*/*.yml")}
    for entry in taken:
        name = PurePosixPath(entry.strip()).name
        used.add(name[:-4] if name.endswith(".yml") else name)
    return used


def next_id(root: Path, department: Department, year: int, taken: Iterable[str] = ()) -> str:
    """``<year>-<department>-<NNN>``: one more than the highest number in use."""
    prefix = f"{year}-{department.id}-"
    numbers = [
        int(used[len(prefix):])
        for used in _used_ids(root, list(taken))
        if used.startswith(prefix) and used[len(prefix):].isascii() and used[len(prefix):].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def application_path(root: Path, department_ids: set[str], department: str, application_id: str) -> PurePosixPath:
    """applications/<department>/<id>.yml, after checking both parts against the allow-lists."""
    if department not in department_ids or not IDENTIFIER.fullmatch(department):
        raise TicregError(f"组织管理部门代号“{department}”不在 {DEPARTMENTS} 中或格式无效")
    shape = re.fullmatch(rf"[0-9]{{4}}-{re.escape(department)}-[0-9]{{3,}}", application_id)
    if not IDENTIFIER.fullmatch(application_id) or shape is None:
        raise TicregError(f"申报代号“{application_id}”格式无效")
    relative = PurePosixPath(APPLICATIONS, department, f"{application_id}.yml")
    folder = (root / APPLICATIONS / department).resolve()
    if (root / relative).resolve().parent != folder or not folder.is_relative_to((root / APPLICATIONS).resolve()):
        raise TicregError(f"申报文件路径 {relative} 不在 {APPLICATIONS}/{department}/ 中")
    return relative


# ---------------------------------------------------------------------------
# The YAML text
# ---------------------------------------------------------------------------


# Lists written on one line, lists whose items are written on one line each, and codes
# always quoted (county codes are digits), as the sample registry writes them.
APPLICATION_STYLE = Style(
    flow_lists=frozenset({"services", "applicant_logins"}),
    flow_items=frozenset({"team", "history"}),
    quoted=frozenset({"county_code"}),
)


def yaml_text(data: dict, header: list[str], shown: str) -> str:
    """The emitted text, verified to load back as exactly ``data``."""
    text = first_faithful(lambda quote_all: document(data, APPLICATION_STYLE, header, quote_all=quote_all),
                          as_loaded(data), shown)
    if text is None:
        raise TicregError("无法把申报表单写成与内容一致的 YAML 文件；这是本工具的缺陷，请报告给维护者")
    return text


# ---------------------------------------------------------------------------
# Validation, and findings reported against form fields
# ---------------------------------------------------------------------------


def _validate(root: Path, relative: PurePosixPath, text: str, today: dt.date) -> list[Finding]:
    """``ticreg validate``'s findings for the new file, in a temporary copy of the registry."""
    from ..validate import validate_registry

    with tempfile.TemporaryDirectory(prefix="ticreg-intake-") as tmp:
        base = Path(tmp)
        copy = base / "registry"
        shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(".*"))
        target = copy / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
        shown = f"registry/{relative}"
        return validate_registry(copy, base, {shown}, today=today).findings


def _paths_by_line(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """(first line, key path) of every key at the top level and one level down."""
    data = load_bytes(text.encode("utf-8"), "intake").data
    spans: list[tuple[int, tuple[str, ...]]] = []
    if isinstance(data, PosDict):
        for key, value in data.items():
            spans.append((data.key_pos[key][0], (key,)))
            if isinstance(value, PosDict):
                spans += [(value.key_pos[k][0], (key, k)) for k in value]
    return sorted(spans)


# Keys that no form field writes, and the field that decides them.
_DECIDED_BY = {"id": "county", "organizing_department": "county", "center_id": "center"}


def _field_label(form: Form, spans, line: int) -> str | None:
    owning = [path for start, path in spans if start <= line]
    if not owning or line <= 1:
        return None
    path = owning[-1]
    candidates = [path, path[:1]]
    for candidate in candidates:
        for f in form.fields:
            if f.path == candidate:
                return f.label
    decided = _DECIDED_BY.get(path[0])
    if decided in form.by_id():
        return form.by_id()[decided].label
    return None


def _as_problem(form: Form, spans, finding: Finding) -> Problem:
    return Problem(_field_label(form, spans, finding.line), f"{finding.rule} {finding.message}")


# ---------------------------------------------------------------------------
# The whole intake
# ---------------------------------------------------------------------------


def _ordered(data: dict, order: tuple[str, ...]) -> dict:
    return {key: data[key] for key in order if key in data}


def intake(
    root: Path,
    body: object,
    *,
    today: dt.date,
    issue_number: int | None = None,
    actor: str | None = None,
    taken: Iterable[str] = (),
    applicant: str | None = None,
) -> Accepted:
    """Read, convert, place, emit and validate; raises IntakeRefused (or NotStaff).

    ``applicant`` is the issue's author: recorded as the application's
    applicant_logins, so that account (and staff) may later withdraw or amend it."""
    member = staff_member(root, actor) if actor is not None else None
    policy: Policy = load_policy(root)
    departments = _departments(root)
    # Only the forms' intro text links to the guide; labels and options do not depend on it.
    application_form, change_form = forms(policy, guide_url="")
    try:
        submission: Submission = parse(body, (application_form, change_form))
    except Refused as refused:
        raise IntakeRefused(refused.problems) from None
    form = submission.form

    if form.key == "change":
        data, problems = intake_convert.change(submission)
        if submission.problems or problems:
            raise IntakeRefused(submission.problems + problems)
        center = submission.values["center"]
        assert isinstance(center, str)  # a required input: left empty, it is among submission.problems
        center_id, department = _center_for(root, departments, center, form)
        data["center_id"] = center_id
        order: tuple[str, ...] = CHANGE_ORDER
    else:
        data, problems = intake_convert.application(submission, [s.id for s in policy.services])
        if submission.problems or problems:
            raise IntakeRefused(submission.problems + problems)
        department = _department_for_county(departments, data["county_code"], form)
        order = APPLICATION_ORDER

    if member is not None and member.role == "department" and member.department != department.id:
        raise IntakeRefused([Problem(None, (
            f"本申报由{department.name}组织审核，账号“{member.login}”属于其他部门：请由{department.name}"
            "或市科技局的工作人员添加受理标签"
        ))])

    application_id = next_id(root, department, today.year, list(taken))
    relative = application_path(root, {d.id for d in departments}, department.id, application_id)
    if (root / relative).exists():
        raise TicregError(f"{relative} 已存在，不会覆盖")
    data.update(id=application_id, organizing_department=department.id,
                history=[{"date": today, "event": "submitted"}])
    if applicant is not None:
        data["applicant_logins"] = [applicant]
    data = _ordered(data, order)
    source = f"议题 #{issue_number} 的" if issue_number is not None else ""
    header = [SCHEMA_LINE, f"# 由{source}{form.name}表单生成（ticreg intake）；合并前请逐项核对。"]
    text = yaml_text(data, header, f"registry/{relative}")

    findings = _validate(root, relative, text, today)
    spans = _paths_by_line(text)
    errors = [_as_problem(form, spans, f) for f in findings if f.severity == "error"]
    warnings = [_as_problem(form, spans, f) for f in findings if f.severity != "error"]
    if errors:
        raise IntakeRefused(errors, warnings)
    return Accepted(relative, text, application_id, department, data["kind"], form, warnings)


def write(root: Path, accepted: Accepted) -> Path:
    """Create the file; never overwrite one."""
    path = root / accepted.relative
    try:
        create_exclusive(path, accepted.text.encode("utf-8"))
    except FileExistsError:
        raise TicregError(f"{accepted.relative} 已存在，不会覆盖") from None
    return path
