"""开放数据: the centers and notices as JSON and CSV, the JSON Schemas, and their field docs.

One table of fields (CENTER_FIELDS) both writes centers.json and documents
it; the CSV columns name JSON fields, so they are documented by the same
table. notices.json is Notice.as_dict; NOTICE_FIELDS documents it, and the
build fails if either file holds a field the documentation does not list.

Open data carries exactly what the public pages show (public.py): never team
members' names, the applicant's contact person, phone or e-mail, identity or
mobile numbers. Output is deterministic: centers sorted by ID, notices newest
first, keys in table order, no build timestamp.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from ticreg_schemas import APPLICATION_MODELS, FILE_MODELS

from ..render import render
from ...repo_layout import JSON_SCHEMA_DIR
from .guide import source_dir

PAGE_URL = "data/"
FIELDS_URL = "data/fields/"

# Chinese names of the value types the field tables use.
TYPES = {
    "text": "文本",
    "date": "日期（YYYY-MM-DD）",
    "int": "整数",
    "number": "数字",
    "bool": "true 或 false",
    "texts": "文本数组",
    "dates": "日期数组",
    "object": "对象",
    "objects": "对象数组",
}


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # a key of TYPES
    description: str
    get: Callable[[Any], Any] | None = None  # reads the value from the parent object
    children: tuple[Field, ...] = ()
    nullable: bool = False
    optional: bool = False  # the key itself may be absent (notices.json)

    @property
    def type_label(self) -> str:
        label = TYPES[self.kind]
        if self.nullable:
            label += "，可为 null"
        if self.optional:
            label += "，可能没有此项"
        return label


def _f(key, kind, description, get=None, *children, nullable=False, optional=False) -> Field:
    return Field(key, kind, description, get, tuple(children), nullable, optional)


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, name)


# --- centers.json -----------------------------------------------------------------

_PARTY = (
    _f("name", "text", "单位名称。", _attr("name")),
    _f("unit_kind", "text", "单位类型（中文）。", _attr("kind")),
)

CENTER_FIELDS: tuple[Field, ...] = (
    _f("id", "text", "中心代号，也是中心页面地址的一部分。", _attr("id")),
    _f("name", "text", "中心现名称。", _attr("name")),
    _f("former_names", "texts", "更名前用过的名称，按变更先后排列。", _attr("former_names")),
    _f("category", "text", "类别代号：comprehensive 综合类，domain 领域类。", _attr("category")),
    _f("category_label", "text", "类别（中文）。", _attr("category_label")),
    _f("cluster", "text", "所服务的重点产业集群代号（领域类）。", _attr("cluster"), nullable=True),
    _f("cluster_label", "text", "重点产业集群（中文）。", _attr("cluster_label"), nullable=True),
    _f("county_code", "text", "所在县（市、区）的行政区划代码（GB/T 2260）。", _attr("county_code")),
    _f("county_label", "text", "所在县（市、区）名称。", _attr("county_label")),
    _f("organizing_department", "text", "组织管理部门名称。", _attr("department_label")),
    _f("legal_form", "text", "中心的法人形态（第十条）。", _attr("legal_form_label")),
    _f("lead_unit", "object", "牵头单位。", _attr("lead_unit"),
       *_PARTY, _f("uscc", "text", "统一社会信用代码。", _attr("uscc"))),
    _f("co_builders", "objects", "共建单位（第十二条）。", _attr("co_builders"),
       *_PARTY,
       _f("join_mode", "text", "共建方式（中文）。", _attr("join_mode"), nullable=True),
       _f("uscc", "text", "统一社会信用代码。", _attr("uscc"), nullable=True)),
    _f("director", "object", "中心负责人（主任或总经理）。", lambda c: c,
       _f("name", "text", "姓名。", _attr("director_name")),
       _f("title", "text", "专业技术职称。", _attr("director_title"))),
    _f("research_directions", "texts", "现行的主要研究方向。", _attr("research_directions")),
    _f("summary", "text", "中心简介。", _attr("summary")),
    _f("services", "texts", "对外提供的公共服务代号（第十三条）。", _attr("service_ids")),
    _f("service_labels", "texts", "对外提供的公共服务（中文），与 services 一一对应。", _attr("services")),
    _f("specialized_institutions", "objects", "专业化创新研发机构（综合类，第六条）。",
       _attr("specialized_institutions"),
       _f("name", "text", "机构名称。", _attr("name")),
       _f("host_unit", "text", "依托单位。", _attr("host_unit"), nullable=True),
       _f("focus", "text", "研发方向。", _attr("focus"))),
    _f("contact", "object", "对外联系方式。", lambda c: c,
       _f("address", "text", "办公地址。", _attr("address"), nullable=True),
       _f("office_phone", "text", "办公电话。", _attr("office_phone"), nullable=True),
       _f("email", "text", "电子邮箱。", _attr("email"), nullable=True),
       _f("website", "text", "网址（http 或 https）。", _attr("website"), nullable=True)),
    _f("certified_on", "date", "认定日期。", _attr("certified_on")),
    _f("certification_document", "text", "认定文件的文号。", _attr("certification_document")),
    _f("application_id", "text", "据以认定的申报代号。", _attr("application_id")),
    _f("state", "text", "状态代号：active 运行中，rectifying 整改中，revocation-decided 评估结论为撤销、"
       "待下达撤销文件，revoked 已撤销。", _attr("state")),
    _f("state_label", "text", "状态（中文）。", _attr("state_label")),
    _f("next_evaluation_due", "date", "下一次绩效评估的到期日（第十四条）；已撤销的中心为 null。",
       _attr("next_evaluation_due"), nullable=True),
    _f("rectification_deadline", "date", "尚未复评的整改期限。", _attr("rectification_deadline"), nullable=True),
    _f("excellent", "bool", "最近一次评估为运行良好、成绩突出。", _attr("excellent")),
    _f("team", "object", "科研团队的汇总人数（不公开名单）；没有团队数据时为 null。", _attr("team"),
       _f("members", "int", "团队总人数。", _attr("members")),
       _f("full_time", "int", "专职人数。", _attr("full_time")),
       _f("qualified_full_time", "int", "符合第八条第（二）项职称或学位要求的专职研究人员人数。",
          _attr("qualified_full_time")),
       _f("local", "int", "每年在晋城工作超过 local_months_more_than 个月的人数。", _attr("local")),
       _f("local_months_more_than", "number", "计算 local 所用的月数（不含本数）。", _attr("local_months_more_than")),
       _f("by_title_level", "objects", "按职称等级的人数。", _attr("by_title_level"),
          _f("title_level", "text", "职称等级（中文）。", lambda pair: pair[0]),
          _f("count", "int", "人数。", lambda pair: pair[1])),
       nullable=True),
    _f("evaluations", "objects", "绩效评估记录，按日期先后排列（第十四条）。", _attr("evaluations"),
       _f("date", "date", "评估结果日期。", _attr("date")),
       _f("outcome", "text", "评估结论代号：retain 保留，rectify 整改，revoke 撤销。", _attr("outcome")),
       _f("outcome_label", "text", "评估结论（中文）。", _attr("outcome_label")),
       _f("excellent", "bool", "运行良好、成绩突出。", _attr("excellent")),
       _f("rectification_deadline", "date", "整改期限。", _attr("rectification_deadline"), nullable=True),
       _f("evaluator", "text", "受托的第三方评估机构。", _attr("evaluator"), nullable=True),
       _f("document_number", "text", "评估结果文件的文号。", _attr("document_number"), nullable=True)),
    _f("changes", "objects", "经批准的重大事项变更，按日期先后排列（第十五条）。", _attr("changes"),
       _f("date", "date", "批准日期。", _attr("date")),
       _f("document_number", "text", "批复文号。", _attr("document_number")),
       _f("former_name", "text", "原名称（更名时）。", _attr("former_name"), nullable=True),
       _f("new_name", "text", "新名称（更名时）。", _attr("new_name"), nullable=True),
       _f("former_research_directions", "texts", "原主要研究方向。", _attr("former_research_directions")),
       _f("new_research_directions", "texts", "新主要研究方向。", _attr("new_research_directions")),
       _f("restructuring", "text", "调整重组的内容。", _attr("restructuring"), nullable=True)),
    _f("revocation", "object", "撤销决定；未撤销时为 null。", _attr("revocation"),
       _f("date", "date", "撤销日期。", _attr("date")),
       _f("document_number", "text", "撤销文件的文号。", _attr("document_number")),
       _f("reason", "text", "撤销理由。", _attr("reason")),
       nullable=True),
    _f("url", "text", "中心页面相对于网站地址的路径。", _attr("url")),
)


@dataclass(frozen=True)
class Column:
    header: str  # the CSV header, Chinese
    path: str  # the centers.json field it shows
    absolute: bool = False  # a site-relative path made absolute with the site URL


CSV_COLUMNS: tuple[Column, ...] = (
    Column("中心代号", "id"),
    Column("名称", "name"),
    Column("类别", "category_label"),
    Column("重点产业集群", "cluster_label"),
    Column("所在县（市、区）", "county_label"),
    Column("组织管理部门", "organizing_department"),
    Column("牵头单位", "lead_unit.name"),
    Column("统一社会信用代码", "lead_unit.uscc"),
    Column("中心负责人", "director.name"),
    Column("认定日期", "certified_on"),
    Column("认定文号", "certification_document"),
    Column("状态", "state_label"),
    Column("下次评估到期", "next_evaluation_due"),
    Column("公共服务", "service_labels"),
    Column("网页", "url", absolute=True),
)

# Cells Excel would read as a formula: the value is kept, prefixed with an
# apostrophe (the OWASP advice), and the fields page says so.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# --- notices.json -----------------------------------------------------------------

NOTICE_FIELDS: tuple[Field, ...] = (
    _f("id", "text", "公告代号：日期-类别-申报或中心代号，也是公告页面地址的一部分。"),
    _f("kind", "text", "类别代号：publicity 公示，certification 认定公告，evaluation 评估结果，"
       "change 变更公告，revocation 撤销公告。"),
    _f("kind_label", "text", "类别（中文）。"),
    _f("date", "date", "发布日期（公示为公示发布日）。"),
    _f("title", "text", "标题。"),
    _f("subject", "text", "所涉中心当时的名称（公示为拟认定名称）。"),
    _f("unit", "text", "牵头单位（公示为申报单位）。"),
    _f("center_id", "text", "中心代号（公示为 null）。", nullable=True),
    _f("application_id", "text", "申报代号（评估、变更、撤销公告为 null）。", nullable=True),
    _f("document_number", "text", "文号。", nullable=True),
    _f("category", "text", "类别（中文）。", nullable=True),
    _f("cluster", "text", "重点产业集群（中文）。", nullable=True),
    _f("county", "text", "所在县（市、区）。", nullable=True),
    _f("url", "text", "公告页面相对于网站地址的路径。"),
    _f("publicity", "object", "公示期（仅公示有此项）。", None,
       _f("start", "date", "公示期第一日。"),
       _f("end", "date", "公示期最后一日。"),
       _f("working_days", "dates", "公示期内的每个工作日。"),
       _f("certifiable_from", "date", "最早可以下达认定文件的日期。"),
       _f("working_day_count", "int", "公示期的工作日数。"),
       _f("status", "text", "网站更新之日的公示状态代号：open 公示中，closed 公示期满，ended 公示终止（公示期内撤回或异议成立）。"),
       _f("status_label", "text", "公示状态（中文）。"),
       _f("notice_url", "text", "市科技局网站上公示原文的地址。", nullable=True),
       optional=True),
    _f("evaluation", "object", "评估结果（仅评估结果公告有此项）。", None,
       _f("outcome", "text", "评估结论代号：retain 保留，rectify 整改，revoke 撤销。"),
       _f("outcome_label", "text", "评估结论（中文）。"),
       _f("excellent", "bool", "运行良好、成绩突出。"),
       _f("rectification_deadline", "date", "整改期限。", nullable=True),
       _f("evaluator", "text", "受托的第三方评估机构。", nullable=True),
       optional=True),
    _f("change", "object", "变更内容（仅变更公告有此项）。", None,
       _f("former_name", "text", "原名称。", nullable=True),
       _f("new_name", "text", "新名称。", nullable=True),
       _f("former_research_directions", "texts", "原主要研究方向。"),
       _f("new_research_directions", "texts", "新主要研究方向。"),
       _f("restructuring", "text", "调整重组的内容。", nullable=True),
       optional=True),
    _f("revocation", "object", "撤销（仅撤销公告有此项）。", None,
       _f("reason", "text", "撤销理由。"),
       optional=True),
)


# --- output ---------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    return value


def record(fields: tuple[Field, ...], obj: Any) -> dict:
    """One JSON object from ``obj``, in table order."""
    out = {}
    for field in fields:
        if field.get is None:  # a field documented only (notices.json is Notice.as_dict)
            raise TypeError(f"open data field {field.key} has no reader")
        value = field.get(obj)
        if field.kind == "objects":
            value = [record(field.children, item) for item in value]
        elif field.kind == "object" and value is not None:
            value = record(field.children, value)
        out[field.key] = _json_value(value)
    return out


def documented_paths(fields: tuple[Field, ...], prefix: str = "") -> list[tuple[str, Field]]:
    """(path, field) for every field, nested ones as ``parent.child`` / ``list[].child``."""
    out = []
    for field in fields:
        path = prefix + field.key
        out.append((path, field))
        if field.children:
            out += documented_paths(field.children, path + ("[]." if field.kind == "objects" else "."))
    return out


def output_paths(value: Any, prefix: str = "") -> set[str]:
    """Every field path present in JSON data, in the notation of documented_paths."""
    out: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = prefix + key
            out.add(path)
            if isinstance(item, dict):
                out |= output_paths(item, path + ".")
            elif isinstance(item, list) and any(isinstance(i, dict) for i in item):
                for i in item:
                    out |= output_paths(i, path + "[].")
    elif isinstance(value, list):
        for item in value:
            out |= output_paths(item, prefix)
    return out


def _check_documented(name: str, data: list, fields: tuple[Field, ...]) -> None:
    missing = sorted(output_paths(data) - {p for p, _ in documented_paths(fields)})
    if missing:
        # Published fields must be documented on data/fields: fail the build, do not drift.
        raise ValueError(f"{name}: fields not documented in open_data.py: {', '.join(missing)}")


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _lookup(data: dict, path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def centers_csv(records: list[dict], site_url: str) -> bytes:
    """UTF-8 with a BOM (Excel then reads the Chinese right), CRLF rows (the csv module's default)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in CSV_COLUMNS])
    for data in records:
        writer.writerow([
            _cell(site_url + _lookup(data, c.path) if c.absolute else _lookup(data, c.path))
            for c in CSV_COLUMNS
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def files(data):
    centers = [record(CENTER_FIELDS, c) for c in sorted(data.centers, key=lambda c: c.id)]
    notices = [n.as_dict() for n in data.notices]
    _check_documented("centers.json", centers, CENTER_FIELDS)
    _check_documented("notices.json", notices, NOTICE_FIELDS)
    schemas = sorted(source_dir(data.repo, JSON_SCHEMA_DIR, "*.schema.json").glob("*.schema.json"))
    yield "data/centers.json", _json(centers)
    yield "data/centers.csv", centers_csv(centers, data.site.url)
    yield "data/notices.json", _json(notices)
    for path in schemas:
        yield f"data/schemas/{path.name}", path.read_bytes()
    yield "data/index.md", render(
        "data.md.j2",
        site=data.site,
        centers=len(centers),
        notices=len(notices),
        schemas=[p.name for p in schemas],
        page_url=PAGE_URL,
        fields_url=FIELDS_URL,
    )
    yield "data/fields.md", render(
        "fields.md.j2",
        center_fields=documented_paths(CENTER_FIELDS),
        notice_fields=documented_paths(NOTICE_FIELDS),
        csv_columns=CSV_COLUMNS,
        registry_files=registry_files(),
        page_url=FIELDS_URL,
    )


# --- the registry's own files, from the Pydantic models ---------------------------

FILE_TITLES = {
    "policy": ("registry/policy.yml", "规则参数"),
    "departments": ("registry/departments.yml", "市科技局与组织管理部门"),
    "staff": ("registry/staff.yml", "工作人员账号与角色"),
    "calendar": ("registry/calendar/<年份>.yml", "节假日安排"),
    "center": ("registry/centers/<中心代号>.yml", "中心档案"),
}
APPLICATION_TITLES = {
    "certification": "申报文件：一般程序认定",
    "direct-certification": "申报文件：直接认定（第十六条）",
    "change": "申请文件：重大事项变更（第十五条）",
}


@dataclass(frozen=True)
class ModelField:
    path: str
    title: str
    description: str
    required: bool


@dataclass(frozen=True)
class RegistryFile:
    path: str
    title: str
    schema: str
    fields: list[ModelField]


def _nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The registry model inside an annotation (Optional, list, Annotated), and whether it is a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = get_origin(annotation)
    for arg in get_args(annotation):
        model, many = _nested_model(arg)
        if model is not None:
            return model, many or origin is list
    return None, False


def model_fields(model: type[BaseModel], prefix: str = "", seen: tuple = ()) -> list[ModelField]:
    out = []
    for name, info in model.model_fields.items():
        path = prefix + name
        out.append(ModelField(path, info.title or "", info.description or "", info.is_required()))
        nested, many = _nested_model(info.annotation)
        if nested is not None and nested not in seen:
            out += model_fields(nested, path + ("[]." if many else "."), seen + (model,))
    return out


def registry_files() -> list[RegistryFile]:
    """Every kind of registry file, in FILE_MODELS order; applications one table per kind."""
    out = []
    for kind, (model, schema) in FILE_MODELS.items():
        if model is None:  # applications: the model depends on the file's `kind`
            for application_kind, application_model in APPLICATION_MODELS.items():
                out.append(RegistryFile("registry/applications/<部门代号>/<申报代号>.yml",
                                        APPLICATION_TITLES.get(application_kind, application_kind), schema,
                                        model_fields(application_model)))
            continue
        path, title = FILE_TITLES.get(kind, (kind, kind))
        out.append(RegistryFile(path, title, schema, model_fields(model)))
    return out
