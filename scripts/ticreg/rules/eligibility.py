"""Article 8: the basic conditions an application must meet.

Counting follows Civil Code Art. 1259 as DOMAIN.md adopts it: 以上/不低于/
不少于 include the number, 超过 excludes it. Every threshold comes from
``policy.eligibility``. The direct path of Art. 16 skips the thresholds of
8(2) and 8(3) but not 8(1) (a Jincheng legal person) or 8(4) (declarations).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeGuard

from ticreg_schemas.application import Application, CertificationApplication, CertificationFields, ChangeApplication
from ticreg_schemas.center import Center
from ticreg_schemas.parties import TeamMember
from ticreg_schemas.policy import Eligibility

from ..identifiers import (
    parse_patent_number,
    patent_expected_check_character,
    uscc_division_code,
    uscc_expected_check_character,
    uscc_format_ok,
)
from ..engine import RegistryContext
from ..catalog import Hit, Where, hit, rule

_8_1 = "第八条第（一）项"
_8_2 = "第八条第（二）项"
_8_3 = "第八条第（三）项"
_8_4 = "第八条第（四）项"


def uscc_problem(code: str) -> str | None:
    if not uscc_format_ok(code):
        return "应为18位，由数字和大写字母组成（不含 I、O、S、V、Z）"
    expected = uscc_expected_check_character(code)
    if expected != code[-1]:
        return f"第18位校验码应为“{expected}”"
    return None


def _credit_codes(model: Application | Center) -> Iterator[tuple[Where, str]]:
    yield ("lead_unit", "uscc"), model.lead_unit.uscc
    builders = model.co_builders if isinstance(model, (CertificationFields, Center)) else []  # a change has none
    for i, builder in enumerate(builders):
        if builder.uscc is not None:
            yield ("co_builders", i, "uscc"), builder.uscc


@rule("E101", severity="error", article=_8_1, scope=("application", "center"), title="统一社会信用代码无效",
      template="{field}“{actual}”不是有效的统一社会信用代码：{expected}")
def _uscc_valid(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """统一社会信用代码须符合 GB 32100-2015：18位，字符取自国家标准的字符集，
    第18位为按标准算法计算的校验码。以字母开头的代码（登记管理机关为 A、N、Y 等，
    如在农业农村部门登记的村级集体经济组织以 N2 开头）同样有效。牵头单位与填写了
    代码的共建单位都会检查。"""
    for where, code in _credit_codes(model):
        problem = uscc_problem(code)
        if problem:
            yield hit(where, actual=code, expected=problem)


@rule("E102", severity="error", article=_8_1, scope="application", title="牵头单位不在晋城市登记",
      template="牵头单位统一社会信用代码“{actual}”的登记地代码为 {other}，不在晋城市（应以 {expected} 开头）")
def _registered_in_jincheng(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """牵头单位应在晋城市内注册登记：统一社会信用代码第3至8位是登记管理机关的
    行政区划码，须以 policy.yml 中 registration_division_prefix（晋城市 1405）开头。
    代码本身无效时只报告无效，不重复报告此项。"""
    code = model.lead_unit.uscc
    if uscc_problem(code) is None:
        prefix = ctx.policy.eligibility.registration_division_prefix
        division = uscc_division_code(code)
        if not division.startswith(prefix):
            yield hit(("lead_unit", "uscc"), actual=code, other=division, expected=prefix)


@rule("E103", severity="error", article=_8_1, scope="application", title="牵头单位不是独立法人",
      template="牵头单位应具有独立法人资格：independent_legal_person 为 {actual}，应为 {expected}")
def _independent_legal_person(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """牵头单位应具有独立法人资格（lead_unit.independent_legal_person 为 true）。"""
    if not model.lead_unit.independent_legal_person:
        yield hit(("lead_unit", "independent_legal_person"), actual="false", expected="true")


def _applies_thresholds(model: Application) -> TypeGuard[CertificationApplication]:
    """Art. 16's direct path is exempt from the thresholds of 8(2) and 8(3)."""
    return model.kind == "certification"


@rule("E104", severity="error", article=_8_2, scope="application", title="自主知识产权成果不足",
      template="自主知识产权成果 {actual} 项，应不少于 {expected} 项")
def ip_achievement_count(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """申报单位应拥有具有自主知识产权的高科技成果（专利、软件著作权、标准、植物新品种等），
    数量不少于 policy.yml 的 min_ip_achievements。直接认定（第十六条）不适用。"""
    if _applies_thresholds(model):
        minimum = ctx.policy.eligibility.min_ip_achievements
        if len(model.ip_achievements) < minimum:
            yield hit(("ip_achievements",), actual=len(model.ip_achievements), expected=minimum)


@rule("E105", severity="error", article=_8_2, scope="application", title="专利号无效",
      template="{field}“{actual}”：{expected}")
def patent_numbers(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """专利类成果须填写专利号（或申请号），并核验其校验位：12位（2003年10月起）或8位
    （此前）数字，各位依次乘以权重 2、3、4、5、6、7、8、9、2、3、4、5 求和，除以11的余数
    即校验位，余数为10时写作 X。"""
    if isinstance(model, ChangeApplication):
        return
    for i, item in enumerate(model.ip_achievements):
        if item.kind not in ctx.policy.ids("ip_kinds"):
            continue
        is_patent = next(k.patent for k in ctx.policy.ip_kinds if k.id == item.kind)
        if not is_patent:
            continue
        if item.number is None:
            yield hit(("ip_achievements", i), actual="（未填写）", expected="专利须填写专利号 number")
            continue
        parsed = parse_patent_number(item.number)
        if parsed is None:
            yield hit(("ip_achievements", i, "number"), actual=item.number,
                      expected="应为“ZL”加12位（或8位）数字、小数点和校验位，如 ZL201510146528.8")
        elif not parsed.check_ok:
            expected = f"校验位应为“{patent_expected_check_character(parsed.body)}”"
            yield hit(("ip_achievements", i, "number"), actual=item.number, expected=expected)


@rule("E106", severity="error", article=_8_2, scope="application", title="中心负责人不具备职称或学位条件",
      template="中心负责人职称为 {actual}，学位为 {other}；应具有以下职称之一或以下学位之一：{expected}")
def director_qualification(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """中心负责人应具有高级专业技术职称（正高级或副高级）或博士学位，二者具备其一即可。
    合格的职称等级与学位见 policy.yml 的 director_qualifying_title_levels 与
    director_qualifying_degrees。直接认定（第十六条）不适用。"""
    if not _applies_thresholds(model):
        return
    rules = ctx.policy.eligibility
    director = model.director
    if (
        director.title_level not in rules.director_qualifying_title_levels
        and director.degree not in rules.director_qualifying_degrees
    ):
        allowed = [ctx.policy.name_of("title_levels", t) for t in rules.director_qualifying_title_levels]
        allowed += [ctx.policy.name_of("degrees", d) for d in rules.director_qualifying_degrees]
        yield hit(
            ("director",),
            actual=ctx.policy.name_of("title_levels", director.title_level),
            other=ctx.policy.name_of("degrees", director.degree),
            expected=allowed,
        )


def qualified_full_time(member: TeamMember, rules: Eligibility) -> bool:
    return member.full_time and (
        member.title_level in rules.researcher_qualifying_title_levels
        or member.degree in rules.researcher_qualifying_degrees
    )


@rule("E107", severity="error", article=_8_2, scope="application", title="合格专职研究人员不足",
      template="具有高、中级职称或硕士以上学位的专职研究人员 {actual} 名，应不少于 {expected} 名")
def qualified_researchers(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """科研团队应有5名以上（含5名）专职研究人员，每人具有高、中级职称或硕士学位及以上学历。
    只计 full_time 为 true 且职称或学位合格者。人数下限与合格职称、学位见 policy.yml。"""
    if not _applies_thresholds(model):
        return
    rules = ctx.policy.eligibility
    count = sum(1 for m in model.team if qualified_full_time(m, rules))
    if count < rules.min_qualified_full_time_researchers:
        yield hit(("team",), actual=count, expected=rules.min_qualified_full_time_researchers)


def local_members(team: Sequence[TeamMember], rules: Eligibility) -> int:
    return sum(1 for m in team if m.months_in_jincheng_per_year > rules.local_months_per_year_more_than)


@rule("E108", severity="error", article=_8_2, scope="application", title="在晋工作人员不足半数",
      template="科研团队每年在晋工作超过 {other} 个月的有 {actual}，应达到团队人数的 {expected}")
def local_share(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """科研团队半数以上（含半数）人员每年在晋城工作时间应超过半年（不含正好六个月）。
    分母是团队全部成员（含非专职），比例与月数见 policy.yml 的 local_team_share 与
    local_months_per_year_more_than。"""
    if not _applies_thresholds(model) or not model.team:
        return
    rules = ctx.policy.eligibility
    share = rules.local_team_share
    local = local_members(model.team, rules)
    if local * share.denominator < len(model.team) * share.numerator:
        yield hit(
            ("team",),
            actual=f"{local}/{len(model.team)} 人",
            other=_number(rules.local_months_per_year_more_than),
            expected=f"{share.numerator}/{share.denominator}",
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@rule("E109", severity="error", article=_8_3, scope="application", title="研发设备原值不足",
      template="研发设备原值 {actual} 元，应不低于 {expected} 元")
def equipment_value(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """本研究领域相关研发设备原值不低于300万元（含本数），以整数元填写，不要写“万元”。
    下限见 policy.yml 的 min_rd_equipment_value_yuan。直接认定不适用。"""
    if _applies_thresholds(model):
        minimum = ctx.policy.eligibility.min_rd_equipment_value_yuan
        if model.rd_equipment_value_yuan < minimum:
            yield hit(("rd_equipment_value_yuan",), actual=model.rd_equipment_value_yuan, expected=minimum)


@rule("E110", severity="error", article=_8_3, scope="application", title="使用面积不足",
      template="使用面积 {actual} 平方米，应不少于 {expected} 平方米")
def floor_area(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """综合类中心（本部）、领域类中心的使用面积不少于500平方米（含本数）。
    下限见 policy.yml 的 min_floor_area_m2。直接认定不适用。"""
    if _applies_thresholds(model):
        minimum = ctx.policy.eligibility.min_floor_area_m2
        if model.floor_area_m2 < minimum:
            yield hit(("floor_area_m2",), actual=_number(model.floor_area_m2), expected=_number(minimum))


@rule("E111", severity="error", article=_8_4, scope="application", title="承诺事项缺失或未确认",
      template="承诺事项 {field} 为 {actual}，应为 true：{expected}")
def declarations(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """申报单位须逐项确认符合产业政策、无重大安全、质量、环境问题和违法失信情况。
    每个承诺项（见 policy.yml 的 required_declarations）都须写 true。"""
    if not isinstance(model, CertificationFields):
        return
    for item in ctx.policy.eligibility.required_declarations:
        value = model.declarations.get(item.id)
        if value is not True:
            yield hit(("declarations", item.id), field=f"declarations.{item.id}",
                      actual="（未填写）" if value is None else "false", expected=item.text)


@rule("E112", severity="error", article=_8_4, scope="application", title="未知的承诺项",
      template="未知的承诺项 {field}；应为：{expected}")
def unknown_declarations(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """承诺项的键必须是 policy.yml 中 required_declarations 的代号之一，以免拼错的承诺项被当作已确认。"""
    if not isinstance(model, CertificationFields):
        return
    known = {d.id for d in ctx.policy.eligibility.required_declarations}
    for key in model.declarations:
        if key not in known:
            yield hit(("declarations", key), at_key=True, field=f"declarations.{key}", expected=sorted(known))


_3 = "第三条"
# The unit kind Art. 3's "规模以上" speaks of (policy.yml unit_kinds).
ENTERPRISE = "enterprise"


@rule("E113", severity="warning", article=_3, scope="application", title="牵头企业不是规模以上企业",
      template="牵头单位为企业，above_designated_size 为 {actual}；{expected}")
def enterprise_above_designated_size(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """第三条：市技术创新中心“主要依托我市规模以上企业”和高校院所、技术机构建设。牵头单位为企业的，
    在 lead_unit.above_designated_size 写明是否为规模以上企业；写 false 时提示审核时说明。
    “主要”不是硬性条件，因此只作提示；未填写不提示。"""
    lead = model.lead_unit
    if lead.unit_kind == ENTERPRISE and lead.above_designated_size is False:
        yield hit(("lead_unit", "above_designated_size"), actual="false",
                  expected="第三条所称中心主要依托规模以上企业建设，请在审核中说明")


@rule("E114", severity="error", article=_3, scope="application", title="非企业填写了规模以上",
      template="牵头单位类型为“{actual}”，不是企业，不应填写 above_designated_size（{expected}）")
def above_designated_size_only_for_enterprises(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
    """“规模以上”是企业的统计分类（规模以上工业企业），高校、院所等其他单位没有这一属性：
    lead_unit.above_designated_size 只在单位类型为企业（enterprise）时填写。"""
    lead = model.lead_unit
    if lead.unit_kind != ENTERPRISE and lead.above_designated_size is not None:
        yield hit(("lead_unit", "above_designated_size"), at_key=True,
                  actual=ctx.policy.name_of("unit_kinds", lead.unit_kind), expected="只适用于企业")
