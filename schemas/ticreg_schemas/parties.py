"""People and units that appear in applications and center profiles."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .common import DecimalNumber, F, PolicyList, RegistryModel, ShortText, Text, WebAddress, YamlBool

CreditCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class LeadUnit(RegistryModel):
    name: ShortText = F("单位名称", "牵头单位在登记机关登记的全称。")
    uscc: CreditCode = F(
        "统一社会信用代码", "18位统一社会信用代码（GB 32100-2015），第3至8位为登记管理机关行政区划码。"
    )
    independent_legal_person: YamlBool = F("独立法人", "牵头单位是否具有独立法人资格（第八条第（一）项）：true 或 false。")
    unit_kind: Annotated[str, PolicyList("unit_kinds")] = F("单位类型", "见 policy.yml 的 unit_kinds，如 enterprise 企业。")
    above_designated_size: YamlBool | None = F(
        "规模以上企业",
        "牵头单位为企业时填写是否为规模以上工业企业：true 或 false（第三条：主要依托规模以上企业建设）；其他单位不填。",
        default=None,
    )


class CoBuilder(RegistryModel):
    name: ShortText = F("单位名称", "共建单位全称。")
    uscc: CreditCode | None = F("统一社会信用代码", "共建单位的统一社会信用代码（如有）。", default=None)
    unit_kind: Annotated[str, PolicyList("unit_kinds")] = F("单位类型", "见 policy.yml 的 unit_kinds。")
    join_mode: Annotated[str, PolicyList("join_modes")] = F("共建方式", "第十二条：membership 会员制、shareholding 股份制、agreement 协议制。")


class Director(RegistryModel):
    name: ShortText = F("姓名", "中心主任（总经理）姓名，公开。")
    title_level: Annotated[str, PolicyList("title_levels")] = F("职称等级", "见 policy.yml 的 title_levels，如 full-senior 正高级。")
    title: ShortText | None = F("职称名称", "具体职称，如“研究员”“正高级工程师”，公开。", default=None)
    degree: Annotated[str, PolicyList("degrees")] = F("学位", "见 policy.yml 的 degrees，如 doctorate 博士。")


class TeamMember(RegistryModel):
    name: ShortText = F("姓名", "研究人员姓名；网站只公开团队的汇总数字。")
    title_level: Annotated[str, PolicyList("title_levels")] = F("职称等级", "见 policy.yml 的 title_levels。")
    degree: Annotated[str, PolicyList("degrees")] = F("学位", "见 policy.yml 的 degrees。")
    full_time: YamlBool = F("专职", "是否为专职研究人员：true 或 false。")
    months_in_jincheng_per_year: Annotated[float, Field(ge=0, le=12, allow_inf_nan=False), DecimalNumber] = F(
        "每年在晋工作月数", "每年在晋城工作的月数，0 至 12（第八条第（二）项要求半数以上人员超过六个月）。"
    )


class SpecializedInstitution(RegistryModel):
    name: ShortText = F("机构名称", "专业化创新研发机构名称（综合类，第六条）。")
    host_unit: ShortText | None = F("依托单位", "该机构依托的单位。", default=None)
    focus: Text = F("研发方向", "该机构的研发方向。")


class PublicContact(RegistryModel):
    address: ShortText | None = F("地址", "对外办公地址。", default=None)
    office_phone: Annotated[str, StringConstraints(pattern=r"^[0-9\-+() ]{5,30}$")] | None = F(
        "办公电话", "对外公开的办公固定电话（不要填写个人手机号）。", default=None
    )
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")] | None = F(
        "电子邮箱", "对外公开的单位邮箱。", default=None
    )
    website: WebAddress | None = F("网址", "以 http:// 或 https:// 开头的网址。", default=None)


class ApplicantContact(RegistryModel):
    person: ShortText = F("联系人", "申报联系人姓名（不在网站公开）。")
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9\-+() ]{5,30}$")] = F(
        "联系电话", "申报联系人电话，可为手机号（仅供审核联系，不在网站公开）。"
    )
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")] | None = F(
        "电子邮箱", "联系邮箱。", default=None
    )
