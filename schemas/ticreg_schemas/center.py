"""registry/centers/<center-id>.yml: a certified center's public profile and history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from .common import F, CalendarDate, Identifier, PolicyList, RegistryModel, ShortText, Text, YamlBool, Yuan
from .events import CENTER_EVENTS, EVALUATION_OUTCOMES
from .parties import CoBuilder, Director, PublicContact, SpecializedInstitution

# Built at run time from events.py's tables (see application.py).
if TYPE_CHECKING:
    CenterEventName = str
    Outcome = str
else:
    CenterEventName = Literal[tuple(CENTER_EVENTS)]
    Outcome = Literal[tuple(EVALUATION_OUTCOMES)]


class CenterLeadUnit(RegistryModel):
    name: ShortText = F("单位名称", "牵头单位全称。")
    uscc: ShortText = F("统一社会信用代码", "18位统一社会信用代码。")
    unit_kind: Annotated[str, PolicyList("unit_kinds")] = F("单位类型", "见 policy.yml 的 unit_kinds。")


# A calendar year the registry can speak of (support and recommendations, Art. 14).
Year = Annotated[int, Field(ge=2000, le=2100)]

# What became of a recommendation to the provincial level (Art. 14).
RECOMMENDATION_OUTCOMES: dict[str, str] = {"pending": "待定", "approved": "获批", "not-approved": "未获批"}
if TYPE_CHECKING:
    RecommendationOutcome = str
else:
    RecommendationOutcome = Literal[tuple(RECOMMENDATION_OUTCOMES)]


class LegalEntity(RegistryModel):
    name: ShortText = F("法人名称", "过渡后登记的独立法人实体全称。")
    uscc: ShortText = F("统一社会信用代码", "该法人实体的18位统一社会信用代码。")
    legal_form: Annotated[str, PolicyList("center_legal_forms")] = F("法人形态", "企业法人或社会服务机构（第十条）。")
    registered_on: CalendarDate = F("登记日期", "法人实体登记成立的日期。")


class Transition(RegistryModel):
    # The plan lies ahead by nature: D303 (no date after today) skips it.
    target_date: CalendarDate = F(
        "过渡目标日期", "内设机构计划登记为独立法人实体的日期（第十条）。",
        json_schema_extra={"x-future-allowed": True},
    )
    legal_entity: LegalEntity | None = F("登记的法人实体", "登记成立后填写；过渡完成时同时修改 legal_form。", default=None)
    note: Text | None = F("备注", "过渡安排的说明。", default=None)


class KeySupport(RegistryModel):
    year: Year = F("年度", "给予支持的年度。")
    programme: ShortText = F("计划类别", "给予重点支持的市科技计划（第十四条），如“市科技重点研发计划”。")
    project: ShortText | None = F("项目名称", "支持的项目名称。", default=None)
    amount_yuan: Yuan = F("支持金额（元）", "市财政支持金额，整数元。")
    document_number: ShortText | None = F("文号", "下达计划的文号。", default=None)


class ProvincialRecommendation(RegistryModel):
    year: Year = F("年度", "推荐的年度。")
    kind: Annotated[str, PolicyList("recommendation_kinds")] = F(
        "推荐申报", "第十四条：省级技术创新中心、省级重点实验室或省级以上科技计划项目，见 policy.yml 的 recommendation_kinds（support 一节）。"
    )
    name: ShortText | None = F("名称", "推荐申报的平台或项目名称。", default=None)
    outcome: RecommendationOutcome = F(
        "结果", "；".join(f"{k} {v}" for k, v in RECOMMENDATION_OUTCOMES.items()) + "。"
    )


class CenterEvent(RegistryModel):
    date: CalendarDate = F("日期", "事件日期（北京时间），格式 YYYY-MM-DD。")
    event: CenterEventName = F("事件", "；".join(f"{k} {v.label}" for k, v in CENTER_EVENTS.items()) + "。")
    document_number: ShortText | None = F("文号", "认定、评估结果、变更批复或撤销文件的文号。", default=None)
    application_id: Identifier | None = F("申报代号", "对应的认定或变更申报代号。", default=None)
    outcome: Outcome | None = F(
        "评估结论", "；".join(f"{k} {v}" for k, v in EVALUATION_OUTCOMES.items()) + "（第十四条）。", default=None
    )
    excellent: YamlBool | None = F("运行良好、成绩突出", "评估为优秀的标记 true（第十四条）。", default=None)
    # In the future by nature: D303 (no date after today) skips it.
    rectification_deadline: CalendarDate | None = F(
        "整改期限", "评估结论为整改时的整改截止日期。", default=None, json_schema_extra={"x-future-allowed": True}
    )
    evaluator: ShortText | None = F("评估机构", "受托第三方评估机构。", default=None)
    former_name: ShortText | None = F("原名称", "更名前的名称。", default=None)
    new_name: ShortText | None = F("新名称", "更名后的名称。", default=None)
    former_research_directions: list[ShortText] | None = F("原研究方向", "变更前的主要研究方向。", default=None)
    new_research_directions: list[ShortText] | None = F("新研究方向", "变更后的主要研究方向。", default=None)
    restructuring: Text | None = F("调整重组", "调整重组的内容。", default=None)
    reason: Text | None = F("理由", "撤销的理由。", default=None)
    note: Text | None = F("备注", "其他说明。", default=None)


class Center(RegistryModel):
    id: Identifier = F("中心代号", "与文件名一致，如 coal-chemical-gasification。")
    name: ShortText = F("名称", "现名称，统一为“晋城市XX技术创新中心”。")
    category: Literal["comprehensive", "domain"] = F("类别", "comprehensive 综合类或 domain 领域类。")
    cluster: Annotated[str, PolicyList("clusters")] | None = F("重点产业集群", "领域类必填（第七条）。", default=None)
    county_code: Annotated[str, PolicyList("counties")] = F("所在县（市、区）", "见 policy.yml 的 counties。")
    organizing_department: Identifier = F("组织管理部门", "departments.yml 中的部门代号。")
    application_id: Identifier = F("认定申报代号", "据以认定的申报代号。")
    legal_form: Annotated[str, PolicyList("center_legal_forms")] = F("法人形态", "第十条。")
    lead_unit: CenterLeadUnit = F("牵头单位", "牵头建设单位。")
    co_builders: list[CoBuilder] = F("共建单位", "第十二条。", default_factory=list)
    director: Director = F("中心负责人", "主任（总经理）的姓名与职称，公开。")
    research_directions: list[ShortText] = F("主要研究方向", "现行的主要研究方向。", min_length=1)
    summary: Text = F("简介", "中心简介，公开。")
    services: list[Annotated[str, PolicyList("services")]] = F("公共服务", "第十三条。", min_length=1)
    specialized_institutions: list[SpecializedInstitution] = F("专业化创新研发机构", "综合类（第六条）。", default_factory=list)
    contact: PublicContact | None = F("对外联系方式", "公开的办公电话、邮箱、地址与网址。", default=None)
    transition: Transition | None = F(
        "向独立法人实体过渡", "法人形态为内设机构的中心填写过渡安排（第十条）。", default=None
    )
    key_support: list[KeySupport] = F(
        "重点支持", "第十四条：对运行良好、成绩突出的中心，市科技计划项目给予的重点支持。", default_factory=list
    )
    provincial_recommendations: list[ProvincialRecommendation] = F(
        "优先推荐", "第十四条：优先推荐申报省级技术创新中心（省级重点实验室）、省级以上科技计划项目。",
        default_factory=list,
    )
    history: list[CenterEvent] = F("记录", "认定、评估、变更、撤销，按时间顺序只追加。", min_length=1)
