"""The GitHub issue forms (.github/ISSUE_TEMPLATE/), defined once for the generator and the parser.

Applicants who do not use Git apply through an issue form; staff then label
the issue and `ticreg intake` turns its body into a registry file. Both ends
read the definitions below: `ticreg issue-forms` writes the form files from
them (dropdown and checkbox options from registry/policy.yml), and the
parser in ``ticreg.github.issue_body`` / ``ticreg.github.intake`` reads the submitted body
against them. So a label in the form and the heading the parser expects
cannot drift apart, and a change to policy.yml shows up in the forms when
the command is run again (a test fails while the committed forms are stale).

Every form field says where its value goes in the application file
(``path``), which is how a validation finding in the generated file is
reported against the form field the applicant filled in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString
from ticreg_schemas import Policy

COMMAND = "ticreg issue-forms"
DEFAULT_OUTPUT = ".github/ISSUE_TEMPLATE"
APPLICATION_FILE = "application.yml"
CHANGE_FILE = "change-request.yml"
CONFIG_FILE = "config.yml"

# Cells of a table written in a textarea, one row a line.
CELL_SEPARATORS = ("|", "｜")
YES, NO = "是", "否"

INPUT, TEXTAREA, DROPDOWN, CHECKBOXES = "input", "textarea", "dropdown", "checkboxes"


@dataclass(frozen=True)
class Choice:
    """A dropdown or checkbox option: the Chinese label shown, the value written to the file."""

    label: str
    value: str
    required: bool = False  # checkboxes only: the form refuses to submit without it


@dataclass(frozen=True)
class Column:
    """One cell of a table row in a textarea (``a|b|c``)."""

    key: str  # the key in the application file
    label: str
    choices: tuple[Choice, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class FormField:
    id: str  # the form element's id (letters, digits, -, _)
    kind: str  # INPUT, TEXTAREA, DROPDOWN or CHECKBOXES
    label: str  # shown in the form, and the "### label" heading in the issue body
    description: str
    path: tuple[str, ...]  # where the value goes in the application file
    required: bool = False
    choices: tuple[Choice, ...] = ()
    placeholder: str | None = None
    columns: tuple[Column, ...] = ()  # a textarea holding a table
    lines: bool = False  # a textarea holding one item per line


@dataclass(frozen=True)
class Form:
    key: str  # "application" or "change"
    file: str
    name: str
    description: str
    title: str
    labels: tuple[str, ...]
    intro: tuple[str, ...]  # Markdown blocks at the top of the form
    fields: tuple[FormField, ...] = field(default_factory=tuple)

    def by_label(self) -> dict[str, FormField]:
        return {f.label: f for f in self.fields}

    def by_id(self) -> dict[str, FormField]:
        return {f.id: f for f in self.fields}


def _named(items) -> tuple[Choice, ...]:
    return tuple(Choice(item.name, item.id) for item in items)


def _yes_no() -> tuple[Choice, ...]:
    return (Choice(YES, "true"), Choice(NO, "false"))


KIND_CHOICES = (
    Choice("一般程序认定（第九条）", "certification"),
    Choice("直接认定（第十六条：已认定为省级以上重点实验室或工程技术研究中心）", "direct-certification"),
)
PRIVACY_CONFIRMATION = "我知道本议题公开可见，表中没有填写任何居民身份证号或个人手机号"
PRIVACY_LABEL = "公开提醒"
INTAKE_LABEL = "申报受理"


def _warning() -> str:
    return (
        "> [!WARNING]\n"
        "> **本议题公开可见：任何人都能看到这里填写的全部内容，修改后旧内容仍保留在议题的编辑记录中。**\n"
        "> 请勿填写任何居民身份证号或个人手机号（包括联系人的手机号）。联系电话请填写单位的办公固定电话。\n"
        "> 含有身份证号或手机号的申报不会被受理；如已误填，请立即联系工作人员删除编辑记录。\n"
    )


def _howto(guide_url: str, what: str) -> str:
    return (
        f"**填写说明**：提交后，工作人员核对并添加“{INTAKE_LABEL}”标签，系统自动把本表转换为登记册中的{what}文件，"
        "并提交审核（拉取请求）。表中有问题时，系统会在本议题下回复问题清单：请编辑本议题修改，"
        "再请工作人员重新添加标签。\n\n"
        f"申报条件、取值清单和办理程序见[申报指南]({guide_url})。"
        "每个需要分行填写的项目，每行一项，不要加序号；表格项目每行一条，各栏之间用竖线“|”分隔。"
    )


def _lead_unit_fields(policy: Policy) -> tuple[FormField, ...]:
    return (
        FormField("lead_unit_name", INPUT, "牵头单位名称", "与营业执照或登记证书一致的全称。",
                  ("lead_unit", "name"), required=True),
        FormField("lead_unit_uscc", INPUT, "牵头单位统一社会信用代码",
                  "18位统一社会信用代码（大写字母和数字），第3至8位为登记管理机关行政区划码。",
                  ("lead_unit", "uscc"), required=True),
        FormField("lead_unit_independent", DROPDOWN, "牵头单位是否具有独立法人资格", "第八条第（一）项。",
                  ("lead_unit", "independent_legal_person"), required=True, choices=_yes_no()),
        FormField("lead_unit_kind", DROPDOWN, "牵头单位类型", "", ("lead_unit", "unit_kind"),
                  required=True, choices=_named(policy.unit_kinds)),
        FormField("lead_unit_above_size", DROPDOWN, "牵头企业是否为规模以上企业",
                  "牵头单位为企业时选择（第三条：主要依托规模以上企业建设）；其他单位不选。",
                  ("lead_unit", "above_designated_size"), choices=_yes_no()),
    )


def _contact_fields() -> tuple[FormField, ...]:
    return (
        FormField("contact_person", INPUT, "申报联系人", "审核联系用（登记册网站不公开，但本议题公开可见）。",
                  ("contact", "person"), required=True),
        FormField("contact_phone", INPUT, "联系人办公电话",
                  "单位的办公固定电话，如 0356-2123456。本议题公开可见，不要填写手机号。",
                  ("contact", "phone"), required=True, placeholder="0356-2123456"),
        FormField("contact_email", INPUT, "联系邮箱", "可选；建议填写单位邮箱。", ("contact", "email")),
    )


def _privacy_field() -> FormField:
    return FormField("privacy", CHECKBOXES, PRIVACY_LABEL, "", (), required=True,
                     choices=(Choice(PRIVACY_CONFIRMATION, "confirmed", required=True),))


def application_form(policy: Policy, guide_url: str) -> Form:
    title_levels = _named(policy.title_levels)
    degrees = _named(policy.degrees)
    unit_kinds = _named(policy.unit_kinds)
    counties = tuple(Choice(c.name, c.code) for c in policy.counties)
    e = policy.eligibility
    fields = (
        FormField("kind", DROPDOWN, "申报类型",
                  "已被认定为省级以上重点实验室或工程技术研究中心的，选直接认定，并填写下方“省级以上平台”各项；"
                  "由市级工程技术研究中心转建的，选一般程序认定。",
                  ("kind",), required=True, choices=KIND_CHOICES),
        FormField("category", DROPDOWN, "类别",
                  "综合类（第六条）须填写专业化创新研发机构；领域类（第七条）须选择重点产业集群。",
                  ("category",), required=True, choices=_named(policy.categories)),
        FormField("proposed_name", INPUT, "拟定名称",
                  f"统一命名为“晋城市XX技术创新中心”（第九条第（三）项），如“{policy.naming.example}”。",
                  ("proposed_name",), required=True, placeholder=policy.naming.example),
        FormField("cluster", DROPDOWN, "重点产业集群", "领域类必选（第七条）；综合类不选。",
                  ("cluster",), choices=_named(policy.clusters)),
        FormField("county", DROPDOWN, "所在县（市、区）",
                  "中心所在地；申报由该县（市、区）的科技管理部门组织审核。",
                  ("county_code",), required=True, choices=counties),
        FormField("center_legal_form", DROPDOWN, "中心法人形态", "第十条。",
                  ("center_legal_form",), required=True, choices=_named(policy.center_legal_forms)),
        FormField("municipal_erc_conversion", INPUT, "转建的市级工程技术研究中心",
                  "由市级工程技术研究中心转建的，填写其名称和下面两项认定信息（第十六条，优先支持）；否则都不填。",
                  ("municipal_erc_conversion", "name")),
        FormField("municipal_erc_document_number", INPUT, "转建的市级工程技术研究中心认定文号",
                  "转建的必填，如“晋市科发〔2019〕15号”。",
                  ("municipal_erc_conversion", "document_number"), placeholder="晋市科发〔2019〕15号"),
        FormField("municipal_erc_certified_on", INPUT, "转建的市级工程技术研究中心认定日期",
                  "转建的必填，格式 YYYY-MM-DD。",
                  ("municipal_erc_conversion", "certified_on"), placeholder="2019-08-26"),
        *_lead_unit_fields(policy),
        FormField("co_builders", TEXTAREA, "共建单位",
                  "可选（第十二条）。每行一家：`单位名称|统一社会信用代码|单位类型|共建方式`，"
                  "没有信用代码的第二栏留空。单位类型："
                  + "、".join(c.label for c in unit_kinds)
                  + "；共建方式：" + "、".join(c.label for c in _named(policy.join_modes)) + "。",
                  ("co_builders",), placeholder="示例材料研究院有限公司|91140502MA0Y5N2R8M|科研院所|协议制",
                  columns=(Column("name", "单位名称"), Column("uscc", "统一社会信用代码", optional=True),
                           Column("unit_kind", "单位类型", unit_kinds),
                           Column("join_mode", "共建方式", _named(policy.join_modes)))),
        FormField("director_name", INPUT, "中心负责人姓名", "中心主任（总经理），姓名在网站公开。",
                  ("director", "name"), required=True),
        FormField("director_title_level", DROPDOWN, "中心负责人职称等级",
                  "负责人须具有高级职称或博士学位（第八条第（二）项）。",
                  ("director", "title_level"), required=True, choices=title_levels),
        FormField("director_title", INPUT, "中心负责人职称名称", "可选，如“研究员”“正高级工程师”。",
                  ("director", "title")),
        FormField("director_degree", DROPDOWN, "中心负责人学位", "", ("director", "degree"),
                  required=True, choices=degrees),
        FormField("research_directions", TEXTAREA, "主要研究方向", "至少一项，每行一项，不要加序号。",
                  ("research_directions",), required=True, lines=True),
        FormField("summary", TEXTAREA, "简介", "中心的建设目标与主要任务，在网站公开；最多 2000 字。",
                  ("summary",), required=True),
        FormField("services", CHECKBOXES, "公共服务", "第十三条：对外提供的公共服务，至少选一项。",
                  ("services",), choices=_named(policy.services)),
        FormField("specialized_institutions", TEXTAREA, "专业化创新研发机构",
                  f"综合类至少 {e.min_specialized_institutions} 个（第六条），领域类可不填。"
                  "每行一个：`机构名称|依托单位|研发方向`，没有依托单位的第二栏留空。",
                  ("specialized_institutions",), placeholder="示例研究所|示例依托单位|示例研发方向",
                  columns=(Column("name", "机构名称"), Column("host_unit", "依托单位", optional=True),
                           Column("focus", "研发方向"))),
        FormField("team", TEXTAREA, "科研团队",
                  "一般程序认定必填，直接认定可选（第八条第（二）项）。全部研究人员，每行一人："
                  "`姓名|职称等级|学位|是否专职|每年在晋城工作月数`。职称等级："
                  + "、".join(c.label for c in title_levels) + "；学位：" + "、".join(c.label for c in degrees)
                  + f"；是否专职填“{YES}”或“{NO}”；月数为 0 至 12 的数字。网站只公开汇总数字，不公开名单。"
                  "不要填写身份证号、手机号。",
                  ("team",),
                  placeholder="张示例|正高级|博士|是|12\n李示例|副高级|硕士|是|10",
                  columns=(Column("name", "姓名"), Column("title_level", "职称等级", title_levels),
                           Column("degree", "学位", degrees), Column("full_time", "是否专职", _yes_no()),
                           Column("months_in_jincheng_per_year", "每年在晋城工作月数"))),
        FormField("rd_equipment_value_yuan", INPUT, "研发设备原值（元）",
                  f"一般程序认定必填：本研究领域相关研发设备原值，整数元，不低于 {e.min_rd_equipment_value_yuan}。"
                  "只写数字，不写“万元”。",
                  ("rd_equipment_value_yuan",), placeholder=str(e.min_rd_equipment_value_yuan)),
        FormField("floor_area_m2", INPUT, "使用面积（平方米）",
                  f"一般程序认定必填：不少于 {e.min_floor_area_m2:g} 平方米，只写数字。",
                  ("floor_area_m2",), placeholder=f"{e.min_floor_area_m2:g}"),
        FormField("ip_achievements", TEXTAREA, "自主知识产权成果",
                  f"一般程序认定至少 {e.min_ip_achievements} 项。每行一项：`类型|名称|编号|授权日期`。类型："
                  + "、".join(k.name for k in policy.ip_kinds)
                  + "；专利写专利号（如 ZL202310562847.8），其他写登记号或标准号；日期写 YYYY-MM-DD，可留空。",
                  ("ip_achievements",), placeholder="发明专利|一种示例材料的制备方法|ZL202310562847.8|2025-03-18",
                  columns=(Column("kind", "类型", _named(policy.ip_kinds)), Column("title", "名称"),
                           Column("number", "编号", optional=True), Column("granted_on", "授权日期", optional=True))),
        FormField("platform_name", INPUT, "省级以上平台名称", "直接认定必填（第十六条）：已认定的平台名称。",
                  ("provincial_platform", "name")),
        FormField("platform_kind", DROPDOWN, "省级以上平台类型", "直接认定必选。",
                  ("provincial_platform", "platform_kind"), choices=_named(policy.direct_certification.platform_kinds)),
        FormField("platform_level", DROPDOWN, "省级以上平台级别", "直接认定必选。",
                  ("provincial_platform", "level"), choices=_named(policy.direct_certification.platform_levels)),
        FormField("platform_certified_by", INPUT, "省级以上平台认定机关", "直接认定必填，如“山西省科学技术厅”。",
                  ("provincial_platform", "certified_by")),
        FormField("platform_document_number", INPUT, "省级以上平台认定文号", "直接认定必填。",
                  ("provincial_platform", "document_number")),
        FormField("platform_certified_on", INPUT, "省级以上平台认定日期", "直接认定必填，格式 YYYY-MM-DD。",
                  ("provincial_platform", "certified_on"), placeholder="2022-12-20"),
        FormField("declarations", CHECKBOXES, "承诺事项", "第八条第（四）项：每一项都须勾选。",
                  ("declarations",),
                  choices=tuple(Choice(d.text, d.id, required=True) for d in e.required_declarations)),
        *_contact_fields(),
        _privacy_field(),
    )
    return Form(
        key="application",
        file=APPLICATION_FILE,
        name="技术创新中心认定申报",
        description="申报认定晋城市技术创新中心（一般程序认定或第十六条直接认定），无需使用 Git。",
        title="【认定申报】",
        labels=("认定申报",),
        intro=(_warning(), _howto(guide_url, "申报")),
        fields=fields,
    )


def change_form(policy: Policy, guide_url: str) -> Form:
    fields = (
        FormField("center", INPUT, "要变更的中心",
                  "已认定中心的代号（见网站中心页面的地址）或现名称，须与网站上的完全一致。",
                  ("center_id",), required=True),
        *_lead_unit_fields(policy),
        FormField("new_name", INPUT, "新名称",
                  "更名的，填写新名称，仍须为“晋城市XX技术创新中心”；不更名不填。以下三项至少填写一项。",
                  ("requested_change", "new_name")),
        FormField("new_research_directions", TEXTAREA, "新的主要研究方向",
                  "变更主要研究方向的，写变更后的全部方向，每行一项；不变更不填。",
                  ("requested_change", "new_research_directions"), lines=True),
        FormField("restructuring", TEXTAREA, "调整重组", "调整重组的，写明内容（如共建单位、架构的变化）；否则不填。",
                  ("requested_change", "restructuring")),
        FormField("reason", TEXTAREA, "变更理由", "牵头建设单位书面申请的理由（第十五条）。",
                  ("reason",), required=True),
        *_contact_fields(),
        _privacy_field(),
    )
    return Form(
        key="change",
        file=CHANGE_FILE,
        name="重大事项变更申请",
        description="已认定中心申请更名、变更主要研究方向或调整重组（第十五条），无需使用 Git。",
        title="【变更申请】",
        labels=("变更申请",),
        intro=(_warning(), _howto(guide_url, "变更申请")),
        fields=fields,
    )


def forms(policy: Policy, guide_url: str) -> tuple[Form, Form]:
    return application_form(policy, guide_url), change_form(policy, guide_url)


# ---------------------------------------------------------------------------
# Writing the form files
# ---------------------------------------------------------------------------


def _scalar(text: str):
    return LiteralScalarString(text) if "\n" in text else text


def _element(f: FormField) -> dict:
    attributes: dict = {"label": f.label}
    if f.description:
        attributes["description"] = _scalar(f.description)
    if f.kind == DROPDOWN:
        attributes["options"] = [c.label for c in f.choices]
    elif f.kind == CHECKBOXES:
        attributes["options"] = [
            {"label": c.label, "required": True} if c.required else {"label": c.label} for c in f.choices
        ]
    if f.placeholder is not None:
        attributes["placeholder"] = _scalar(f.placeholder)
    element = {"type": f.kind, "id": f.id, "attributes": attributes}
    # Checkboxes have no element-level validation: each option says whether it is required.
    if f.required and f.kind != CHECKBOXES:
        element["validations"] = {"required": True}
    return element


def _dump(data: dict, header: str) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return header + out.getvalue()


def _header(what: str) -> str:
    return (
        f"# {what}。本文件由 `{COMMAND}` 根据 registry/policy.yml 与 mkdocs.yml 生成，请勿手工修改；\n"
        f"# 修改表单请改 scripts/ticreg/github/issue_forms.py，再运行 `{COMMAND}`（`{COMMAND} --check` 检查是否最新）。\n"
        f"# Generated by `{COMMAND}`; do not edit by hand.\n"
    )


def render_form(form: Form) -> str:
    body = [{"type": "markdown", "attributes": {"value": _scalar(block)}} for block in form.intro]
    body += [_element(f) for f in form.fields]
    data = {
        "name": form.name,
        "description": form.description,
        "title": form.title,
        "labels": list(form.labels),
        "body": body,
    }
    return _dump(data, _header(f"议题表单：{form.name}"))


def render_config(guide_url: str) -> str:
    data = {
        "blank_issues_enabled": False,
        "contact_links": [
            {
                "name": "申报指南",
                "url": guide_url,
                "about": "申报条件、取值清单、办理程序与模板；熟悉 Git 的单位也可以按模板直接提交拉取请求。",
            }
        ],
    }
    return _dump(data, _header("议题表单的选择页"))


def guide_url(site_url: str) -> str:
    return site_url.rstrip("/") + "/guide/"


def generate(policy: Policy, site_url: str) -> dict[str, str]:
    """File name -> text for every file in .github/ISSUE_TEMPLATE/."""
    url = guide_url(site_url)
    files = {form.file: render_form(form) for form in forms(policy, url)}
    files[CONFIG_FILE] = render_config(url)
    return files
