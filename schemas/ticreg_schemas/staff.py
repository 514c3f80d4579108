"""registry/staff.yml: who may record what (GitHub login -> role and department).

Anyone not listed is an applicant. The owners lists feed .github/CODEOWNERS.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints, model_validator

from .common import F, Identifier, RegistryModel, ShortText

Login = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]
Owner = Annotated[str, StringConstraints(pattern=r"^@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?$")]


class StaffMember(RegistryModel):
    login: Login = F("账号", "代码托管平台上的登录名（不带 @）。")
    name: ShortText = F("姓名或岗位", "便于识别的姓名或岗位，如“泽州县科技局审核员”。")
    role: Literal["department", "bureau", "admin"] = F(
        "角色", "department 组织管理部门（只办理本部门的申报）；bureau 市科技局；admin 系统管理员。"
    )
    department: Identifier | None = F(
        "所属部门", "department 角色必填：departments.yml 中的部门代号。", default=None
    )

    @model_validator(mode="after")
    def _department_role_names_its_department(self) -> "StaffMember":
        if self.role == "department" and self.department is None:
            raise ValueError("角色为 department 时须填写 department（所属部门代号）")
        return self


class Staff(RegistryModel):
    admin_owners: list[Owner] = F(
        "管理员审核人", "工具、规则参数、人员与部门清单、节假日安排的代码所有者（CODEOWNERS），如 @org/admins。",
        min_length=1,
    )
    fallback_owners: list[Owner] = F("默认审核人", "其余文件的代码所有者。", min_length=1)
    staff: list[StaffMember] = F("工作人员", "可以记录审核事件的账号；未列出的账号一律视为申报单位。")
