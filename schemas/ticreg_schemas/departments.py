"""registry/departments.yml: the Bureau and the organizing management departments (Art. 5)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from .common import F, Identifier, RegistryModel, ShortText

DEPARTMENT_KINDS = {
    "bureau": "市科技局",
    "county": "县（市、区）科技管理部门",
    "development-zone": "开发区科技管理部门",
    "municipal": "市直有关部门",
    "competent-authority": "主管部门",
}


class Department(RegistryModel):
    id: Identifier = F("代号", "部门代号；申报文件存放在 registry/applications/<代号>/ 下。")
    name: ShortText = F("名称", "部门的中文全称。")
    kind: Literal["bureau", "county", "development-zone", "municipal", "competent-authority"] = F(
        "类型",
        "bureau 市科技局；county 县（市、区）科技管理部门；development-zone 开发区；"
        "municipal 市直有关部门；competent-authority 主管部门。",
    )
    county_code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] | None = F(
        "行政区划代码", "县（市、区）科技管理部门所在县的 GB/T 2260 代码；其他部门留空。", default=None
    )
    reviewers: list[Annotated[str, StringConstraints(pattern=r"^@[A-Za-z0-9][A-Za-z0-9-/]*$")]] = F(
        "审核账号", "在代码托管平台上负责审核本部门申报的账号（以 @ 开头），用于自动分派审核。",
        default_factory=list,
    )


class Departments(RegistryModel):
    departments: list[Department] = F("部门清单", "市科技局与各组织管理部门（第五条）。", min_length=1)
