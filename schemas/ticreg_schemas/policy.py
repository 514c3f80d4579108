"""registry/policy.yml: every threshold, list and period the rules use."""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
import re
from collections.abc import Sequence
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from .common import F, CalendarDate, FieldName, Identifier, RegistryModel, ShortText, Text


class Measures(RegistryModel):
    title: ShortText = F("办法名称", "本登记册执行的管理办法全称。")
    version: ShortText = F("版本", "办法的版本，如“试行”。")
    in_force_from: CalendarDate | None = F(
        "施行日期", "办法开始施行的日期；正文未载明时留空并在 in_force_text 说明。"
    )
    in_force_text: ShortText = F("施行说明", "办法关于施行日期的原文表述（概括）。")


class NamedItem(RegistryModel):
    id: Identifier = F("代号", "清单项的英文代号，写在登记册文件中。")
    name: ShortText = F("中文名", "清单项的中文名，显示在网站和提示中。")


class Category(NamedItem):
    id: Literal["comprehensive", "domain"] = F("代号", "类别代号：comprehensive 综合类，domain 领域类。")
    article: ShortText = F("条款", "规定该类别的条款。")


class County(RegistryModel):
    code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] = F(
        "行政区划代码", "GB/T 2260 六位行政区划代码。"
    )
    name: ShortText = F("名称", "县（市、区）名称。")


class IpKind(NamedItem):
    patent: bool = F("是否专利", "是专利时须填写专利号并核验校验位。")


class Declaration(RegistryModel):
    id: Identifier = F("代号", "承诺项代号，申报文件 declarations 下的键。")
    text: Text = F("承诺内容", "申报单位须确认的内容（第八条第（四）项）。")


class LocalShare(RegistryModel):
    numerator: Annotated[int, Field(ge=1)] = F("分子", "比例的分子。")
    denominator: Annotated[int, Field(ge=1)] = F("分母", "比例的分母。")


class Eligibility(RegistryModel):
    registration_division_prefix: Annotated[str, StringConstraints(pattern=r"^\d{2,6}$")] = F(
        "登记地区划代码前缀",
        "统一社会信用代码第3至8位须以此开头，表示在晋城市内登记（第八条第（一）项）。",
    )
    min_ip_achievements: Annotated[int, Field(ge=0)] = F(
        "自主知识产权成果最少数量", "第八条第（二）项：至少应有的自主知识产权成果数。"
    )
    director_qualifying_title_levels: list[Identifier] = F(
        "负责人合格职称", "中心负责人具有其中之一即满足职称条件（高级专业技术职称）。"
    )
    director_qualifying_degrees: list[Identifier] = F(
        "负责人合格学位", "中心负责人具有其中之一即满足学位条件（博士学位）。"
    )
    min_qualified_full_time_researchers: Annotated[int, Field(ge=0)] = F(
        "合格专职研究人员最少人数", "“5名以上”含5名。"
    )
    researcher_qualifying_title_levels: list[Identifier] = F(
        "研究人员合格职称", "高、中级职称。"
    )
    researcher_qualifying_degrees: list[Identifier] = F(
        "研究人员合格学位", "硕士学位及以上。"
    )
    local_team_share: LocalShare = F(
        "在晋工作人员最低比例", "“半数以上”含半数：在晋工作超过规定月数的人数须达到团队人数的该比例。"
    )
    local_months_per_year_more_than: Annotated[float, Field(ge=0, le=12)] = F(
        "每年在晋工作月数下限（不含）", "“超过半年”不含六个月。"
    )
    min_rd_equipment_value_yuan: Annotated[int, Field(ge=0)] = F(
        "研发设备原值下限（元）", "“不低于300万元”含本数，以整数元计。"
    )
    min_floor_area_m2: Annotated[float, Field(ge=0)] = F(
        "使用面积下限（平方米）", "“不少于500平方米”含本数。"
    )
    min_specialized_institutions: Annotated[int, Field(ge=0)] = F(
        "综合类专业化创新研发机构最少数量", "第六条：中心（本部）+若干专业化创新研发机构。"
    )
    required_declarations: list[Declaration] = F(
        "须作出的承诺", "第八条第（四）项：申报单位须逐项确认。"
    )


def _year_numbered_pattern(value: str) -> str:
    """A pattern a document or session reference is matched with: it must name its year."""
    try:
        compiled = re.compile(value)
    except re.error as error:
        raise ValueError(f"不是有效的正则表达式：{error}") from None
    if "year" not in compiled.groupindex:
        raise ValueError("须含命名组 year（文号或会议名称中的年份）")
    return value


YearNumberedPattern = Annotated[str, StringConstraints(min_length=1), AfterValidator(_year_numbered_pattern)]


class DirectCertification(RegistryModel):
    platform_kinds: list[NamedItem] = F("可直接认定的平台类型", "第十六条：重点实验室、工程技术研究中心。")
    platform_levels: list[NamedItem] = F("可直接认定的平台级别", "第十六条：省级以上。")
    priority_platform_kinds: list[NamedItem] = F(
        "优先支持转建的平台类型", "第十六条：市级工程技术研究中心转建的，走一般程序并优先支持。"
    )
    municipal_document_pattern: YearNumberedPattern = F(
        "市级认定文号正则表达式",
        "转建的市级工程技术研究中心的认定文号须符合此正则表达式；须含命名组 year（文号中的年份，应与认定日期同年）。",
    )


class Transition(RegistryModel):
    period_years: Annotated[int, Field(ge=1)] | None = F(
        "过渡期限（年）",
        "第十条：内设机构自认定之日起几年内登记为独立法人实体；办法未规定期限时留空（ticreg deadlines 不列过渡事项）。",
        default=None,
    )


class Support(RegistryModel):
    recommendation_kinds: list[NamedItem] = F(
        "优先推荐的类别", "第十四条：优先推荐申报省级技术创新中心（省级重点实验室）、省级以上科技计划项目。"
    )


class Naming(RegistryModel):
    name_pattern: Annotated[str, StringConstraints(min_length=1)] = F(
        "命名正则表达式", "第九条第（三）项统一命名“晋城市XX技术创新中心”；须含命名组 core。"
    )
    example: ShortText = F("示例名称", "符合命名规则的示例。")


class DocumentNumbers(RegistryModel):
    """How the Bureau's certification documents are numbered (F816; X508 keeps each number to one certification)."""

    certification_pattern: Annotated[str, StringConstraints(min_length=1)] = F(
        "认定文号正则表达式",
        "第九条第（三）项：认定以市科技局正式文件下达，认定事件的文号须完整匹配此正则表达式（F816）。",
    )
    certification_example: ShortText = F("认定文号示例", "符合格式的认定文号，用于提示。")

    @model_validator(mode="after")
    def _pattern_compiles(self) -> "DocumentNumbers":
        try:
            compiled = re.compile(self.certification_pattern)
        except re.error as error:
            raise ValueError(f"certification_pattern 不是有效的正则表达式：{error}") from None
        if not compiled.fullmatch(self.certification_example):
            raise ValueError("certification_example 不符合 certification_pattern")
        return self


class Publicity(RegistryModel):
    working_days: Annotated[int, Field(ge=1)] = F("公示工作日数", "第九条第（三）项：公示时间为5个工作日。")
    start_rule: Literal["publication-day-if-working-day", "next-working-day"] = F(
        "起算规则", "发布日为工作日时当日起算，或一律自下一个工作日起算。"
    )
    certifiable_days_after_end: Annotated[int, Field(ge=0)] = F(
        "期满后可认定的天数", "公示截止日之后第几天起可下达认定文件。"
    )
    decision_reminder_days: Annotated[int, Field(ge=0)] = F(
        "认定提醒天数",
        "可以认定之后多少天内仍未认定列为“到期”，超过列为“已逾期”（办理提醒，不是办法规定的期限）。",
    )


class ProfileChanges(RegistryModel):
    """Which fields of a record a later change may touch, and how (check-changes G918-G922)."""

    application_fixed_fields: list[FieldName] = F(
        "申报不可更正的字段",
        "申报提交后，更正（amended）也不能修改的顶层字段（代号、类型、所在文件夹、办理记录）。",
    )
    center_art15_fields: list[FieldName] = F(
        "中心须经变更程序的字段",
        "第十五条：更名、变更主要研究方向、调整重组涉及的中心字段，只能随同一次变更中追加的 changed 事件修改。",
    )
    center_editable_fields: list[FieldName] = F(
        "中心可直接维护的字段",
        "联系方式、简介等，市科技局可直接修改，无须记录事件；其余字段（上两项之外）认定后不能修改。",
    )

    filing_accounts: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\[bot\])?$")]] = F(
        "代为提交申报的账号",
        "ticreg intake 受理议题表单后以其名义开启拉取请求的账号（如 github-actions[bot]）：它新增的申报记录的是"
        "议题作者的账号，不要求包含它自己（G923）。",
        default_factory=list,
    )

    @model_validator(mode="after")
    def _lists_are_disjoint(self) -> "ProfileChanges":
        both = sorted(set(self.center_art15_fields) & set(self.center_editable_fields))
        if both:
            raise ValueError(f"字段不能同时列在 center_art15_fields 与 center_editable_fields 中：{'、'.join(both)}")
        from .center import Center  # here, not at the top: center.py is the model these lists are about

        unknown = sorted(set(self.center_art15_fields + self.center_editable_fields) - set(Center.model_fields))
        if unknown:
            raise ValueError(f"中心没有这些字段：{'、'.join(unknown)}")
        return self


class Evaluation(RegistryModel):
    cycle_years: Annotated[int, Field(ge=1)] = F("评估周期（年）", "第十四条：以三年为周期定期绩效评估。")
    due_soon_days: Annotated[int, Field(ge=0)] = F("临近提醒天数", "评估到期前多少天列入待办。")


MONTH_DAY_PATTERN = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class CalendarReminders(RegistryModel):
    """When staff are reminded that next year's holiday arrangement (registry/calendar/) is missing."""

    reminder_from: Annotated[str, StringConstraints(pattern=MONTH_DAY_PATTERN)] = F(
        "提醒起始日（月-日）",
        "每年从这一天（MM-DD，如 12-01）起，若下一年的节假日安排（registry/calendar/<下一年>.yml）仍未添加，"
        "ticreg validate 给出警告（F822），期限跟踪议题提醒添加。",
    )

    def reminder_date(self, year: int) -> dt.date:
        """The day in ``year`` from which the next year's file is expected (29 February: the 28th in other years)."""
        month, day = (int(part) for part in self.reminder_from.split("-"))
        last = _gregorian.monthrange(year, month)[1]
        return dt.date(year, month, min(day, last))


class ScoreRange(RegistryModel):
    min: Annotated[float, Field(ge=0)] = F("最低分", "含本数。")
    max: Annotated[float, Field(gt=0)] = F("最高分", "含本数。")


class StageRecords(RegistryModel):
    """What each Art. 9 stage leaves behind: formats and bounds of the optional fields (H704-H709)."""

    department_document_pattern: YearNumberedPattern = F(
        "审核文号格式", "组织管理部门审核意见的文号（正则表达式，须含命名组 year），如“泽科发〔2026〕30号”。"
    )
    meeting_session_pattern: YearNumberedPattern = F(
        "局党组会议名称格式", "局党组会议名称（正则表达式，须含命名组 year 与 number），如“2026年第12次局党组会议”。"
    )
    expert_panel_min_size: Annotated[int, Field(ge=1)] | None = F(
        "专家组最少人数", "专家评审的专家组至少应有的人数（含本数）；不限时留空。", default=None
    )
    expert_panel_odd: bool = F("专家组人数须为奇数", "true 时专家组人数须为奇数。", default=False)
    expert_score_range: ScoreRange | None = F(
        "专家评审得分范围", "得分的最低分与最高分（含本数）；留空时不记录得分。", default=None
    )

    @model_validator(mode="after")
    def _session_is_numbered(self) -> "StageRecords":
        if "number" not in re.compile(self.meeting_session_pattern).groupindex:
            raise ValueError("meeting_session_pattern 须含命名组 number（第几次会议）")
        if self.expert_score_range is not None and self.expert_score_range.min >= self.expert_score_range.max:
            raise ValueError("expert_score_range 的 min 须小于 max")
        return self


class PersonalData(RegistryModel):
    mobile_allowed_fields: list[ShortText] = F(
        "可填写手机号的字段", "以点分隔的字段路径；手机号出现在其他位置即报错。"
    )


class Policy(RegistryModel):
    measures: Measures = F("管理办法", "本登记册执行的管理办法。")
    categories: list[Category] = F("类别", "第三条：综合类与领域类。")
    clusters: list[NamedItem] = F("重点产业集群", "第七条列举的重点产业集群。")
    major_clusters: list[Identifier] = F(
        "五大千亿级产业集群", "第七条“特别是市委市政府确定的五大千亿级产业集群”：clusters 中的代号。", default_factory=list
    )
    counties: list[County] = F("县（市、区）", "第五条：各县（市、区），含行政区划代码。")
    unit_kinds: list[NamedItem] = F("单位类型", "牵头单位与共建单位的类型。")
    usual_lead_unit_kinds: dict[Literal["comprehensive", "domain"], list[Identifier]] = F(
        "各类别通常的牵头单位类型", "第六、七条：综合类、领域类主要由哪些单位牵头。"
    )
    join_modes: list[NamedItem] = F("共建方式", "第十二条：会员制、股份制、协议制等。")
    center_legal_forms: list[NamedItem] = F("中心法人形态", "第十条：企业、社会服务机构或过渡期的内设机构。")
    title_levels: list[NamedItem] = F("职称等级", "专业技术职称等级清单。")
    degrees: list[NamedItem] = F("学位", "学位清单。")
    ip_kinds: list[IpKind] = F("知识产权类型", "第八条第（二）项：自主知识产权成果的类型。")
    services: list[NamedItem] = F("公共服务", "第十三条：对外提供的公共服务。")
    eligibility: Eligibility = F("申报条件", "第八条的全部阈值。")
    direct_certification: DirectCertification = F("直接认定", "第十六条。")
    naming: Naming = F("命名规则", "第九条第（三）项。")
    document_numbers: DocumentNumbers = F("认定文号", "第九条第（三）项、第四条：认定文件文号的格式与唯一性。")
    publicity: Publicity = F("公示", "第九条第（三）项。")
    profile_changes: ProfileChanges = F("已提交记录的修改", "申报与中心的哪些字段可以修改、须随何种事件修改。")
    evaluation: Evaluation = F("绩效评估", "第十四条。")
    transition: Transition = F("向独立法人实体过渡", "第十条。", default_factory=Transition)
    support: Support = F("重点支持与优先推荐", "第十四条。")
    personal_data: PersonalData = F("个人信息", "不得公开的个人信息的约束。")
    calendar: CalendarReminders | None = F(
        "节假日安排提醒", "何时提醒添加下一年的节假日安排；不填则不提醒。", default=None
    )
    stage_records: StageRecords = F("各环节的办理材料", "第九条：各审核环节记录的文号、会议名称、专家组人数与得分的格式和范围。")

    @model_validator(mode="after")
    def _references_resolve(self) -> "Policy":
        def missing(values, list_name):
            return sorted(set(values) - self.ids(list_name))

        e = self.eligibility
        problems = {
            "title_levels": missing(
                e.director_qualifying_title_levels + e.researcher_qualifying_title_levels,
                "title_levels",
            ),
            "degrees": missing(
                e.director_qualifying_degrees + e.researcher_qualifying_degrees, "degrees"
            ),
            "unit_kinds": missing(
                [k for kinds in self.usual_lead_unit_kinds.values() for k in kinds], "unit_kinds"
            ),
            "clusters": missing(self.major_clusters, "clusters"),
        }
        for list_name, unknown in problems.items():
            if unknown:
                raise ValueError(f"引用了清单 {list_name} 中没有的代号：{'、'.join(unknown)}")
        return self

    def ids(self, list_name: str) -> frozenset[str]:
        return self._lists[list_name][0]

    def labelled(self, list_name: str) -> str:
        """'id（中文名）、…' for messages."""
        return self._lists[list_name][1]

    def name_of(self, list_name: str, item_id: str) -> str:
        return self._names[list_name].get(item_id, item_id)

    @cached_property
    def _names(self) -> dict[str, dict[str, str]]:
        lists: dict[str, Sequence[NamedItem]] = {
            "categories": self.categories,
            "clusters": self.clusters,
            "unit_kinds": self.unit_kinds,
            "join_modes": self.join_modes,
            "center_legal_forms": self.center_legal_forms,
            "title_levels": self.title_levels,
            "degrees": self.degrees,
            "ip_kinds": self.ip_kinds,
            "services": self.services,
            # Only these qualify for Art. 16's direct path; a converting
            # municipal center (priority_platform_kinds) takes the normal path.
            "platform_kinds": self.direct_certification.platform_kinds,
            "platform_levels": self.direct_certification.platform_levels,
            "recommendation_kinds": self.support.recommendation_kinds,
            "declarations": [],
        }
        names = {key: {i.id: i.name for i in items} for key, items in lists.items()}
        names["counties"] = {c.code: c.name for c in self.counties}
        names["declarations"] = {d.id: d.text for d in self.eligibility.required_declarations}
        return names

    @cached_property
    def _lists(self) -> dict[str, tuple[frozenset[str], str]]:
        return {
            key: (frozenset(items), "、".join(f"{i}（{n}）" for i, n in items.items()))
            for key, items in self._names.items()
        }
