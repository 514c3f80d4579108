"""registry/centers/<center-id>.yml: a certified center's public profile and history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from .common import F, CalendarDate, Identifier, PolicyList, RegistryModel, ShortText, Text, YamlBool
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
    history: list[CenterEvent] = F("记录", "认定、评估、变更、撤销，按时间顺序只追加。", min_length=1)
