"""Turn a parsed issue-form submission into application data, field by field.

Every value is converted by what the form field *is*: a dropdown's choice
becomes its policy id, a table row becomes a mapping, a number becomes a
number. Nothing the applicant wrote is interpreted beyond that; text stays
text. Each problem names the form field (and, in a table, the line).

The result is plain Python data without ``id``, ``organizing_department``,
``center_id`` and ``history``: those come from the registry and the date
(see ``ticreg.github.intake``), never from the body, which also puts the keys in
the order of templates/application-*.yml.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .issue_body import Problem, Submission
from .issue_forms import CELL_SEPARATORS, NO, YES, Choice, Column, FormField

_MARKDOWN_RULE = re.compile(r":?-{3,}:?")
_INTEGER = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Spellings of yes/no accepted in the "是否专职" column besides 是 and 否.
_BOOLEAN_WORDS = {YES: True, NO: False, "专职": True, "兼职": False, "true": True, "false": False}


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: FormField, message: str) -> None:
        self.problems.append(Problem(field.label, message))


def _ascii(text: str) -> str:
    """Full-width digits and signs as ASCII (numbers and dates only, never text)."""
    return unicodedata.normalize("NFKC", text).strip()


def integer(text: str) -> int | None:
    value = _ascii(text).replace(",", "").replace(" ", "")
    return int(value) if _INTEGER.fullmatch(value) else None


def number(text: str) -> int | float | None:
    value = _ascii(text).replace(",", "").replace(" ", "")
    if not _NUMBER.fullmatch(value):
        return None
    parsed = float(value)
    return int(parsed) if parsed.is_integer() and "." not in value else parsed


def date(text: str) -> dt.date | None:
    value = _ascii(text)
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _choice(choices: tuple[Choice, ...], text: str) -> Choice | None:
    for c in choices:
        if text in (c.label, c.value):
            return c
    return None


def _cells(line: str) -> list[str]:
    for separator in CELL_SEPARATORS[1:]:
        line = line.replace(separator, CELL_SEPARATORS[0])
    line = line.strip()
    # A row written Markdown-table style, "|a|b|": the outer bars are not cells.
    if len(line) > 1 and line.startswith("|") and line.endswith("|"):
        line = line[1:-1]
    return [cell.strip() for cell in line.split("|")]


def _cell(field: FormField, column: Column, number_: int, text: str, out: _Collector):
    where = f"第 {number_} 行的“{column.label}”"
    if column.key == "full_time":
        flag = _BOOLEAN_WORDS.get(text)
        if flag is None:
            out.add(field, f"{where}应为“{YES}”或“{NO}”")
        return flag
    if column.choices:
        choice = _choice(column.choices, text)
        if choice is None:
            out.add(field, f"{where}不是可选的取值之一：" + "、".join(c.label for c in column.choices))
            return None
        return choice.value
    if column.key == "months_in_jincheng_per_year":
        months = number(text)
        if months is None:
            out.add(field, f"{where}应为 0 至 12 的数字，不带单位")
        return months
    if column.key == "granted_on":
        granted = date(text)
        if granted is None:
            out.add(field, f"{where}应写作 YYYY-MM-DD，如 2021-06-18")
        return granted
    return text


def rows(field: FormField, text: str | None, out: _Collector) -> list[dict]:
    """A table textarea: one mapping per non-empty line, columns in the form's order."""
    if not text:
        return []
    found = []
    labels = [c.label for c in field.columns]
    for number_, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        cells = _cells(line)
        if cells == labels or all(_MARKDOWN_RULE.fullmatch(c) for c in cells):
            continue  # the format line or a Markdown table rule, copied along
        if len(cells) != len(field.columns):
            out.add(field, (
                f"第 {number_} 行应有 {len(labels)} 栏（{'|'.join(labels)}），以竖线“|”分隔，实际 {len(cells)} 栏"
            ))
            continue
        row = {}
        for column, cell in zip(field.columns, cells):
            if not cell:
                if not column.optional:
                    out.add(field, f"第 {number_} 行的“{column.label}”不能为空")
                continue
            value = _cell(field, column, number_, cell, out)
            if value is not None:
                row[column.key] = value
        found.append(row)
    return found


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


class Converter:
    """Reads one submission; ``problems`` collects what is wrong, by form field."""

    def __init__(self, submission: Submission):
        self.submission = submission
        self.fields = submission.form.by_id()
        self.out = _Collector()

    @property
    def problems(self) -> list[Problem]:
        return self.out.problems

    def raw(self, field_id: str):
        return self.submission.values.get(field_id)

    def text(self, field_id: str) -> str | None:
        value = self.raw(field_id)
        return value if isinstance(value, str) and value else None

    def choice(self, field_id: str) -> str | None:
        value = self.raw(field_id)
        return value.value if isinstance(value, Choice) else None

    def require(self, field_id: str, why: str) -> None:
        if self.raw(field_id) in (None, "", frozenset()):
            self.out.add(self.fields[field_id], f"{why}必填，不能为空")

    def integer(self, field_id: str) -> int | None:
        text = self.text(field_id)
        if text is None:
            return None
        if "万" in text:
            self.out.add(self.fields[field_id], "只写整数元，不写“万元”（例如 350万元写作 3500000）")
            return None
        value = integer(text)
        if value is None:
            self.out.add(self.fields[field_id], "应为整数元，只写数字，例如 3500000")
        return value

    def number(self, field_id: str) -> int | float | None:
        text = self.text(field_id)
        if text is None:
            return None
        value = number(text)
        if value is None:
            self.out.add(self.fields[field_id], "应为数字，不带单位，例如 600")
        return value

    def date(self, field_id: str) -> dt.date | None:
        text = self.text(field_id)
        if text is None:
            return None
        value = date(text)
        if value is None:
            self.out.add(self.fields[field_id], "日期应写作 YYYY-MM-DD，例如 2022-12-20")
        return value

    def rows(self, field_id: str) -> list[dict]:
        return rows(self.fields[field_id], self.text(field_id), self.out)

    def checked(self, field_id: str) -> frozenset[str]:
        value = self.raw(field_id)
        return value if isinstance(value, frozenset) else frozenset()

    def lead_unit(self) -> dict:
        unit = {
            "name": self.text("lead_unit_name"),
            "uscc": self.text("lead_unit_uscc"),
            "independent_legal_person": self.choice("lead_unit_independent") == "true",
            "unit_kind": self.choice("lead_unit_kind"),
        }
        above_size = self.choice("lead_unit_above_size")
        if above_size is not None:
            unit["above_designated_size"] = above_size == "true"
        return unit

    def conversion(self) -> dict | None:
        """Art. 16: the municipal engineering research center converted, all three items or none."""
        ids = ("municipal_erc_conversion", "municipal_erc_document_number", "municipal_erc_certified_on")
        if all(self.raw(field_id) in (None, "") for field_id in ids):
            return None
        for field_id in ids:
            self.require(field_id, "由市级工程技术研究中心转建的")
        return _drop_none({
            "name": self.text(ids[0]),
            "document_number": self.text(ids[1]),
            "certified_on": self.date(ids[2]),
        })

    def contact(self) -> dict:
        contact = {"person": self.text("contact_person"), "phone": self.text("contact_phone")}
        if self.text("contact_email"):
            contact["email"] = self.text("contact_email")
        return contact


def _drop_none(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v is not None}


def application(submission: Submission, service_order: list[str]) -> tuple[dict, list[Problem]]:
    """Certification or direct certification: the data (id and department to be added)."""
    c = Converter(submission)
    kind = c.choice("kind")
    direct = kind == "direct-certification"
    data: dict = {
        "kind": kind,
        "category": c.choice("category"),
        "proposed_name": c.text("proposed_name"),
        "cluster": c.choice("cluster"),
        "county_code": c.choice("county"),
        "center_legal_form": c.choice("center_legal_form"),
        "municipal_erc_conversion": c.conversion(),
        "lead_unit": c.lead_unit(),
        "co_builders": c.rows("co_builders"),
        "director": _drop_none({
            "name": c.text("director_name"),
            "title_level": c.choice("director_title_level"),
            "title": c.text("director_title"),
            "degree": c.choice("director_degree"),
        }),
        "research_directions": lines(c.text("research_directions")),
        "summary": c.text("summary"),
        "services": [s for s in service_order if s in c.checked("services")],
        "specialized_institutions": c.rows("specialized_institutions"),
    }
    if not data["services"]:
        c.out.add(c.fields["services"], "至少勾选一项")
    if direct:
        for field_id in ("platform_name", "platform_kind", "platform_level", "platform_certified_by",
                         "platform_document_number", "platform_certified_on"):
            c.require(field_id, "直接认定")
        data["provincial_platform"] = _drop_none({
            "name": c.text("platform_name"),
            "platform_kind": c.choice("platform_kind"),
            "level": c.choice("platform_level"),
            "certified_by": c.text("platform_certified_by"),
            "document_number": c.text("platform_document_number"),
            "certified_on": c.date("platform_certified_on"),
        })
    else:
        for field_id in ("team", "rd_equipment_value_yuan", "floor_area_m2", "ip_achievements"):
            c.require(field_id, "一般程序认定")
    data["team"] = c.rows("team")
    data["rd_equipment_value_yuan"] = c.integer("rd_equipment_value_yuan")
    data["floor_area_m2"] = c.number("floor_area_m2")
    data["ip_achievements"] = c.rows("ip_achievements")
    data["declarations"] = {d.value: True for d in c.fields["declarations"].choices if d.value in c.checked("declarations")}
    data["contact"] = c.contact()
    if direct and not data["team"]:
        data["team"] = None  # optional for a direct certification: left out rather than []
    if direct and not data["ip_achievements"]:
        data["ip_achievements"] = None
    return _drop_none(data), c.problems


def change(submission: Submission) -> tuple[dict, list[Problem]]:
    """A change request (Art. 15): the data (id, department and center to be added)."""
    c = Converter(submission)
    requested = _drop_none({
        "new_name": c.text("new_name"),
        "new_research_directions": lines(c.text("new_research_directions")) or None,
        "restructuring": c.text("restructuring"),
    })
    if not requested:
        c.out.add(c.fields["new_name"], "“新名称”“新的主要研究方向”“调整重组”至少填写一项")
    data = {
        "kind": "change",
        "lead_unit": c.lead_unit(),
        "requested_change": requested,
        "reason": c.text("reason"),
        "contact": c.contact(),
    }
    return _drop_none(data), c.problems
