"""Articles 10 and 14 after certification: the transition to a legal entity, support and recommendations.

Art. 10: a center set up as an internal unit moves towards an independent
legal entity; its ``transition`` says by when, and which entity it became.
Art. 14: centers that run well and excel get key support from the municipal
S&T programmes and are recommended first to the provincial level; the
center's ``key_support`` and ``provincial_recommendations`` record that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ticreg_schemas.center import Center

from ...catalog import Hit, Where, hit, rule
from ...engine import RegistryContext
from ...identifiers import uscc_division_code
from ...process.transition import INTERNAL_UNIT, certified_on, latest_transition_date
from ..eligibility import uscc_problem

_10 = "第十条"
_14 = "第十四条"


def _art14_items(center: Center) -> Iterator[tuple[Where, int]]:
    """(where, year) of every support and recommendation the center records."""
    for i, support in enumerate(center.key_support):
        yield ("key_support", i, "year"), support.year
    for i, recommendation in enumerate(center.provincial_recommendations):
        yield ("provincial_recommendations", i, "year"), recommendation.year


@rule("F840", severity="error", article=_14, scope="center", title="重点支持或推荐的年度不在认定之后",
      template="{field}：年度 {actual} 不在 {expected} 之内")
def art14_year_in_range(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """第十四条的重点支持与优先推荐是对已认定中心的：key_support 与 provincial_recommendations
    各项的年度 year 不能早于认定的年度，也不能晚于今天（北京时间，ticreg validate --today）的年度。"""
    start = certified_on(model)
    if start is None:
        return  # no certification: F801 and F808 say what is wrong
    last = ctx.today.year if ctx.today is not None else None
    for where, year in _art14_items(model):
        if year < start.year or (last is not None and year > last):
            expected = f"{start.year} 年（认定）至 {last} 年（今天）" if last else f"{start.year} 年（认定）以后"
            yield hit(where, actual=year, expected=expected)


def _first_excellent_year(center: Center) -> int | None:
    return next((e.date.year for e in center.history if e.event == "evaluated" and e.excellent), None)


@rule("F841", severity="warning", article=_14, scope="center", title="重点支持或推荐之前没有评为运行良好",
      template="{field}：{actual} 年的重点支持或优先推荐之前，没有评估为运行良好、成绩突出的记录（{expected}）")
def art14_follows_excellence(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """第十四条：“对运行良好、成绩突出的”中心给予重点支持、优先推荐。登记册中记录这一评价的是
    绩效评估的 excellent: true，所以每项重点支持与优先推荐的年度应不早于第一次评为运行良好、成绩突出
    的评估的年度。办法让市科技局“参考评估结果”决定，评价不限于定期绩效评估，因此只作提示：
    没有这样的评估时请在备注或文件中说明依据。"""
    first = _first_excellent_year(model)
    for where, year in _art14_items(model):
        if first is None or year < first:
            expected = f"第一次评为优秀在 {first} 年" if first is not None else "尚无 excellent: true 的评估"
            yield hit(where, actual=year, expected=expected)


@rule("F842", severity="error", article=_10, scope="center", title="法人形态与过渡记录不一致",
      template="{field}：{actual}；{expected}")
def legal_form_matches_transition(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """内设机构（legal_form: internal-unit）逐渐向独立法人实体过渡：登记了法人实体
    （transition.legal_entity）后，中心的法人形态 legal_form 应改为该实体的法人形态；
    法人形态已不是内设机构而填写了过渡安排的，须同时填写登记的法人实体；登记的法人实体本身
    不能是内设机构。"""
    transition = model.transition
    if transition is None:
        return
    entity = transition.legal_entity
    form = ctx.policy.name_of("center_legal_forms", model.legal_form)
    if entity is None:
        if model.legal_form != INTERNAL_UNIT:
            yield hit(("transition",), actual=f"法人形态为{form}，过渡安排未填写登记的法人实体",
                      expected="过渡完成时应填写 transition.legal_entity")
        return
    if entity.legal_form == INTERNAL_UNIT:
        yield hit(("transition", "legal_entity", "legal_form"), actual="登记的法人实体为内设机构",
                  expected="独立法人实体应为企业法人或社会服务机构")
    elif model.legal_form != entity.legal_form:
        wanted = ctx.policy.name_of("center_legal_forms", entity.legal_form)
        yield hit(("legal_form",), actual=f"法人形态为{form}",
                  expected=f"已登记法人实体 {entity.name}，应改为 {entity.legal_form}（{wanted}）")


@rule("F843", severity="warning", article=_10, scope="center", title="内设机构没有过渡安排",
      template="{field}：法人形态为内设机构，未填写向独立法人实体过渡的安排；应填写 {expected}")
def internal_unit_has_a_plan(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """第十条：中心原则上应为独立法人实体；暂不具备条件的内设机构“逐渐向独立法人实体过渡”。
    法人形态为内设机构的中心应在 transition 中写明过渡目标日期 target_date。"""
    if model.legal_form == INTERNAL_UNIT and model.transition is None:
        yield hit(("legal_form",), expected="transition.target_date")


@rule("F844", severity="error", article=_10, scope="center", title="过渡后法人实体的统一社会信用代码无效",
      template="{field}“{actual}”：{expected}")
def legal_entity_code(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """过渡后登记的法人实体须有有效的统一社会信用代码（GB 32100-2015，校验位与 E101 相同），
    且在晋城市登记：第3至8位以 policy.yml 的 registration_division_prefix 开头。"""
    entity = model.transition.legal_entity if model.transition is not None else None
    if entity is None:
        return
    where = ("transition", "legal_entity", "uscc")
    problem = uscc_problem(entity.uscc)
    prefix = ctx.policy.eligibility.registration_division_prefix
    if problem is not None:
        yield hit(where, actual=entity.uscc, expected=f"不是有效的统一社会信用代码，{problem}")
    elif not uscc_division_code(entity.uscc).startswith(prefix):
        yield hit(where, actual=entity.uscc,
                  expected=f"登记地代码为 {uscc_division_code(entity.uscc)}，不在晋城市（应以 {prefix} 开头）")


def _target_problem(target: dt.date, start: dt.date, latest: dt.date | None) -> str | None:
    if target <= start:
        return f"应晚于认定日期 {start.isoformat()}"
    if latest is not None and target > latest:
        return f"应不晚于 {latest.isoformat()}（policy.yml 的 transition.period_years：认定后的过渡期限）"
    return None


@rule("F845", severity="error", article=_10, scope="center", title="过渡目标日期不合理",
      template="{field}：过渡目标日期 {actual} {expected}")
def transition_target_date(model: Center, ctx: RegistryContext) -> Iterator[Hit]:
    """过渡目标日期 transition.target_date 应晚于中心的认定日期；policy.yml 的
    transition.period_years 规定了过渡期限（自认定之日起若干年，按《民法典》第二百零二条计算）时，
    不能晚于期限届满之日。办法本身未规定期限，未填写时只检查前一项。"""
    start = certified_on(model)
    if model.transition is None or start is None:
        return
    target = model.transition.target_date
    problem = _target_problem(target, start, latest_transition_date(model, ctx.policy))
    if problem is not None:
        yield hit(("transition", "target_date"), actual=target.isoformat(), expected=problem)
