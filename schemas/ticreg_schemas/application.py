"""registry/applications/<department-id>/<application-id>.yml: one application."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from .common import (
    DecimalNumber,
    F,
    CalendarDate,
    FieldName,
    GitHubLogin,
    Identifier,
    PolicyList,
    RegistryModel,
    ShortText,
    SquareMetres,
    Text,
    WebAddress,
    WholeNumber,
    YamlBool,
    Yuan,
)
from .events import APPLICATION_EVENTS, CONCLUSIONS, REVIEW_STAGES
from .parties import (
    ApplicantContact,
    CoBuilder,
    Director,
    LeadUnit,
    SpecializedInstitution,
    TeamMember,
)

# The allowed names are the keys of events.py's tables, so the Literal is
# built at run time; a static type checker sees the text they are.
if TYPE_CHECKING:
    ApplicationEventName = str
    ReviewStage = str
    Conclusion = str
else:
    ApplicationEventName = Literal[tuple(APPLICATION_EVENTS)]
    ReviewStage = Literal[tuple(REVIEW_STAGES)]
    Conclusion = Literal[tuple(CONCLUSIONS)]
PanelSize = Annotated[int, Field(ge=1, le=999), WholeNumber]
Score = Annotated[float, Field(ge=0, le=10000, allow_inf_nan=False), DecimalNumber]


class ApplicationEvent(RegistryModel):
    date: CalendarDate = F("日期", "事件发生的日期（北京时间），格式 YYYY-MM-DD。")
    event: ApplicationEventName = F(
        "事件", "；".join(f"{k} {v.label}" for k, v in APPLICATION_EVENTS.items()) + "。"
    )
    document_number: ShortText | None = F("文号", "认定或批复文件的文号，如“晋市科发〔2026〕12号”。", default=None)
    center_id: Identifier | None = F("中心代号", "认定后 registry/centers/ 中的中心代号。", default=None)
    stage: ReviewStage | None = F(
        "审核环节", "未予通过时所在环节：" + "；".join(f"{k} {v}" for k, v in REVIEW_STAGES.items()) + "。", default=None
    )
    reason: Text | None = F("理由", "未予通过或撤回的理由。", default=None)
    notice_url: WebAddress | None = F(
        "公示网址", "公示公告在政府网站上的地址（http 或 https）；认定（certified）时为所依据的公示的地址。", default=None
    )
    # What each Art. 9 stage leaves behind (events.STAGE_EVIDENCE); no expert is ever named.
    reviewed_by: Identifier | None = F(
        "审核部门", "组织管理部门审核（department-approved）：出具审核意见的部门代号，即本申报的组织管理部门。", default=None
    )
    bureau_staff: list[GitHubLogin] | None = F(
        "市科技局经办人员",
        "复核、实地考察：参加的市科技局工作人员在 staff.yml 中的账号（角色为 bureau）；只记入档案，网站不公开。",
        default=None,
    )
    joint_departments: list[Identifier] | None = F(
        "会同部门", "复核、实地考察：会同参加的有关部门（departments.yml 中的代号，市科技局本身除外）。", default=None
    )
    conclusion: Conclusion | None = F(
        "结论", "复核、实地考察、专家评审的结论：passed 通过（该环节的事件）或 not-passed 未通过（该环节的 rejected）。",
        default=None,
    )
    panel_size: PanelSize | None = F(
        "专家组人数", "专家评审：专家组人数（正整数，下限与是否须为奇数见 policy.yml 的 stage_records）。不填写专家姓名。",
        default=None,
    )
    score: Score | None = F("评审得分", "专家评审的得分（范围见 policy.yml 的 stage_records）。", default=None)
    session: ShortText | None = F(
        "会议名称", "局党组会议研究：会议名称，如“2026年第12次局党组会议”（格式见 policy.yml 的 stage_records）。",
        default=None,
    )
    fields: list[FieldName] | None = F(
        "更正的字段", "更正（amended）时列出本次修改的全部顶层字段名，如 [rd_equipment_value_yuan, team]。", default=None
    )
    note: Text | None = F("备注", "其他说明。", default=None)


class IpAchievement(RegistryModel):
    kind: Annotated[str, PolicyList("ip_kinds")] = F("类型", "见 policy.yml 的 ip_kinds，如 invention-patent 发明专利。")
    title: ShortText = F("名称", "成果名称。")
    number: ShortText | None = F("编号", "专利号（如 ZL201510146528.8）、登记号或标准号；专利必填。", default=None)
    granted_on: CalendarDate | None = F("授权日期", "授权、登记或发布日期。", default=None)


class ProvincialPlatform(RegistryModel):
    name: ShortText = F("平台名称", "已认定的省级以上平台名称。")
    platform_kind: Annotated[str, PolicyList("platform_kinds")] = F(
        "平台类型", "见 policy.yml 的 direct_certification：key-laboratory 重点实验室等。"
    )
    level: Annotated[str, PolicyList("platform_levels")] = F("级别", "provincial 省级或 national 国家级。")
    certified_by: ShortText = F("认定机关", "认定该平台的机关，如“山西省科学技术厅”。")
    document_number: ShortText = F("认定文号", "省级以上认定文件的文号（第十六条）。")
    certified_on: CalendarDate = F("认定日期", "省级以上认定的日期。")


class MunicipalErcConversion(RegistryModel):
    name: ShortText = F("名称", "转建的市级工程技术研究中心名称。")
    document_number: ShortText = F(
        "认定文号", "市级工程技术研究中心的认定文号，格式见 policy.yml 的 municipal_document_pattern（第十六条一节）。"
    )
    certified_on: CalendarDate = F("认定日期", "市级工程技术研究中心的认定日期，早于本申报。")


class ApplicationBase(RegistryModel):
    id: Identifier = F("申报代号", "申报的代号，与文件名一致，如 2026-zezhou-001。")
    organizing_department: Identifier = F(
        "组织管理部门", "departments.yml 中的部门代号；文件须放在 registry/applications/<该代号>/ 下。"
    )
    lead_unit: LeadUnit = F("牵头单位", "牵头建设单位（第八条第（一）项）。")
    contact: ApplicantContact = F("申报联系人", "审核联系用，不在网站公开。")
    applicant_logins: list[GitHubLogin] | None = F(
        "申报单位账号",
        "申报单位在代码托管平台（GitHub）上的账号（不带 @），可填多个；只有这些账号和工作人员可以为本申报"
        "记录撤回、更正等事件。提交时记录，不在网站公开。",
        default=None,
    )
    history: list[ApplicationEvent] = F("办理记录", "按时间顺序追加的事件，只能追加，不能修改或删除。", min_length=1)


class CertificationFields(ApplicationBase):
    category: Literal["comprehensive", "domain"] = F("类别", "comprehensive 综合类或 domain 领域类（第三条）。")
    proposed_name: ShortText = F("拟定名称", "统一命名为“晋城市XX技术创新中心”（第九条第（三）项）。")
    cluster: Annotated[str, PolicyList("clusters")] | None = F(
        "重点产业集群", "领域类必填，见 policy.yml 的 clusters（第七条）。", default=None
    )
    county_code: Annotated[str, PolicyList("counties")] = F("所在县（市、区）", "中心所在地的行政区划代码，见 policy.yml 的 counties。")
    center_legal_form: Annotated[str, PolicyList("center_legal_forms")] = F("中心法人形态", "见 policy.yml 的 center_legal_forms（第十条）。")
    co_builders: list[CoBuilder] = F("共建单位", "参与共建的企业、高校、院所（第十二条）。", default_factory=list)
    director: Director = F("中心负责人", "中心主任（总经理）（第八条第（二）项、第十一条）。")
    research_directions: list[ShortText] = F("主要研究方向", "中心的主要研究方向。", min_length=1)
    summary: Text = F("简介", "中心的建设目标与主要任务，公开。")
    services: list[Annotated[str, PolicyList("services")]] = F("公共服务", "第十三条：对外提供的服务，见 policy.yml 的 services。", min_length=1)
    specialized_institutions: list[SpecializedInstitution] = F(
        "专业化创新研发机构", "综合类至少一个（第六条）。", default_factory=list
    )
    declarations: dict[Identifier, YamlBool] = F(
        "承诺事项", "第八条第（四）项：policy.yml 中每个承诺项写 true。"
    )
    municipal_erc_conversion: MunicipalErcConversion | None = F(
        "转建的市级工程技术研究中心",
        "由市级工程技术研究中心转建的，填其名称与认定文件（第十六条优先支持）；否则不填。",
        default=None,
    )


class CertificationApplication(CertificationFields):
    kind: Literal["certification"] = F("申报类型", "certification：按第九条一般程序认定。")
    team: list[TeamMember] = F("科研团队", "全部研究人员（第八条第（二）项）；网站只公开汇总数字。")
    rd_equipment_value_yuan: Yuan = F("研发设备原值（元）", "本研究领域相关研发设备原值，整数元（第八条第（三）项）。")
    floor_area_m2: SquareMetres = F(
        "使用面积（平方米）", "综合类为中心（本部）、领域类为中心的使用面积（第八条第（三）项）。"
    )
    ip_achievements: list[IpAchievement] = F("自主知识产权成果", "第八条第（二）项，数量下限见 policy.yml。")


class DirectCertificationApplication(CertificationFields):
    kind: Literal["direct-certification"] = F(
        "申报类型", "direct-certification：已认定为省级以上重点实验室、工程技术研究中心，直接认定（第十六条）。"
    )
    provincial_platform: ProvincialPlatform = F("省级以上平台", "第十六条：已认定的平台及其认定文件。")
    team: list[TeamMember] = F("科研团队", "直接认定不适用第八条的人数门槛，可选填。", default_factory=list)
    rd_equipment_value_yuan: Yuan | None = F("研发设备原值（元）", "直接认定可选填。", default=None)
    floor_area_m2: SquareMetres | None = F("使用面积（平方米）", "直接认定可选填。", default=None)
    ip_achievements: list[IpAchievement] = F("自主知识产权成果", "直接认定可选填。", default_factory=list)


class RequestedChange(RegistryModel):
    new_name: ShortText | None = F("新名称", "更名后的名称。", default=None)
    new_research_directions: list[ShortText] | None = F("新的主要研究方向", "变更后的全部主要研究方向。", default=None)
    restructuring: Text | None = F("调整重组", "调整重组的内容。", default=None)


class ChangeApplication(ApplicationBase):
    kind: Literal["change"] = F("申报类型", "change：更名、变更主要研究方向或调整重组（第十五条）。")
    center_id: Identifier = F("中心代号", "要变更的已认定中心代号。")
    requested_change: RequestedChange = F("变更内容", "至少填写一项。")
    reason: Text = F("变更理由", "牵头建设单位的书面申请理由。")


# An application of any kind; its `kind` says which.
Application = CertificationApplication | DirectCertificationApplication | ChangeApplication
# One that leads to a certification (Art. 9 or Art. 16), as opposed to a change (Art. 15).
CertifyingApplication = CertificationApplication | DirectCertificationApplication

APPLICATION_MODELS: dict[str, type[Application]] = {
    "certification": CertificationApplication,
    "direct-certification": DirectCertificationApplication,
    "change": ChangeApplication,
}
