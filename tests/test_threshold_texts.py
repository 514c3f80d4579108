"""Texts that quote a policy threshold say what registry/policy.yml says.

Rule docstrings (shown on the website's rules page) and the comments in
templates/ quote thresholds in words a reader expects ("5名以上", "300万元",
"超过半年"). Each quotation is checked here against policy.yml rather than
rendered from it: the same check covers the docstrings and the template
comments alike, and the sources stay readable (a ``{placeholder}`` would show
as such in the code, in ``help()`` and in the template a user copies).

Two checks: every quotation a pattern below recognises equals the policy
value, and every quantity that looks like a threshold is recognised by some
pattern, so a new quotation cannot slip in unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import pytest

from conftest import REGISTRY, REPO
from ticreg.registry_context import load_policy
from ticreg.rules import load_all
from ticreg.catalog import RULES
from ticreg_schemas import Policy

POLICY = load_policy(REGISTRY)
TEMPLATES = sorted((REPO / "templates").glob("*.yml"))

_CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")}
NUMBER = r"([0-9]+|[一二三四五六七八九十])"


def number(text: str) -> int:
    return int(text) if text.isdigit() else _CHINESE_DIGITS[text]


@dataclass(frozen=True)
class Quote:
    """A way of quoting a threshold: ``expected(policy)`` is either the numbers
    ``pattern``'s groups must quote, in order, or, for a pattern that quotes in
    words, whether the policy still says what the words say."""

    pattern: str
    expected: Callable[[Policy], tuple[object, ...] | bool]
    policy_key: str


def _share(policy: Policy) -> Fraction:
    share = policy.eligibility.local_team_share
    return Fraction(share.numerator, share.denominator)


_E = "eligibility."
QUOTES = [
    Quote(rf"{NUMBER}\s*名以上（含\s*{NUMBER}\s*名）",
          lambda p: (p.eligibility.min_qualified_full_time_researchers,) * 2,
          _E + "min_qualified_full_time_researchers"),
    Quote(r"半数以上（含半数）", lambda p: _share(p) == Fraction(1, 2), _E + "local_team_share"),
    Quote(rf"超过\s*{NUMBER}\s*个月（正好\s*{NUMBER}\s*个月不算）",
          lambda p: (p.eligibility.local_months_per_year_more_than,) * 2, _E + "local_months_per_year_more_than"),
    Quote(r"超过半年（不含正好六个月）", lambda p: p.eligibility.local_months_per_year_more_than == 6,
          _E + "local_months_per_year_more_than"),
    Quote(rf"不低于\s*{NUMBER}万元", lambda p: (Fraction(p.eligibility.min_rd_equipment_value_yuan, 10_000),),
          _E + "min_rd_equipment_value_yuan"),
    Quote(rf"不低于\s*{NUMBER}（{NUMBER}万元）",
          lambda p: (p.eligibility.min_rd_equipment_value_yuan, Fraction(p.eligibility.min_rd_equipment_value_yuan, 10_000)),
          _E + "min_rd_equipment_value_yuan"),
    Quote(rf"不少于\s*{NUMBER}\s*平方米", lambda p: (p.eligibility.min_floor_area_m2,), _E + "min_floor_area_m2"),
    Quote(rf"使用面积，不少于\s*{NUMBER}。", lambda p: (p.eligibility.min_floor_area_m2,), _E + "min_floor_area_m2"),
    Quote(r"综合类至少一个", lambda p: p.eligibility.min_specialized_institutions == 1,
          _E + "min_specialized_institutions"),
    Quote(r"第3至8位须?以\s*([0-9]+)\s*开头", lambda p: (int(p.eligibility.registration_division_prefix),),
          _E + "registration_division_prefix"),
    Quote(rf"(?:公示时间为|公示期\s*)\s*{NUMBER}\s*个工作日", lambda p: (p.publicity.working_days,), "publicity.working_days"),
    Quote(rf"到第\s*{NUMBER}\s*个工作日截止", lambda p: (p.publicity.working_days,), "publicity.working_days"),
    Quote(rf"以{NUMBER}年为周期", lambda p: (p.evaluation.cycle_years,), "evaluation.cycle_years"),
    Quote(rf"认定日期后\s*{NUMBER}k\s*年", lambda p: (p.evaluation.cycle_years,), "evaluation.cycle_years"),
    Quote(rf"每\s*{NUMBER}\s*年一次", lambda p: (p.evaluation.cycle_years,), "evaluation.cycle_years"),
    Quote(rf"认定满\s*{NUMBER}\s*年", lambda p: (p.evaluation.cycle_years,), "evaluation.cycle_years"),
]

# A quantity that reads like a threshold: a number with one of these units, or
# a share in words. "下一个工作日" (the next working day) is a step, not a threshold.
THRESHOLD_LIKE = re.compile(
    rf"(?<![下第]){NUMBER}\s*(?:名|万元|平方米|个月|个工作日|k?\s*年为周期|k\s*年|年一次)"
    rf"|认定满\s*{NUMBER}\s*年|半数|半年|至少一个|以\s*[0-9]+\s*开头|第\s*{NUMBER}\s*个工作日截止"
)


def _rule_texts() -> list[tuple[str, str]]:
    load_all()
    return [(f"规则 {rule.id} 的说明", rule.doc) for rule in RULES.values()]


def _template_texts() -> list[tuple[str, str]]:
    out = []
    for path in TEMPLATES:
        for number_, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            comment = line.partition("#")[2]
            if comment:
                out.append((f"{path.relative_to(REPO)}:{number_}", comment))
    return out


TEXTS = _rule_texts() + _template_texts()


def mismatches(texts: list[tuple[str, str]], policy: Policy) -> list[str]:
    """Every quotation in ``texts`` that differs from ``policy``, as "where: what (policy key)"."""
    out = []
    for where, text in texts:
        flat = re.sub(r"\s*\n\s*", "", text)  # docstrings wrap anywhere, even mid-phrase
        for quote in QUOTES:
            expected = quote.expected(policy)
            for match in re.finditer(quote.pattern, flat):
                quoted = tuple(number(g) for g in match.groups())
                ok = expected if isinstance(expected, bool) else quoted == expected
                if not ok:
                    out.append(f"{where}：“{match.group(0)}” 与 policy.yml 的 {quote.policy_key} 不符")
    return out


def unchecked(texts: list[tuple[str, str]]) -> list[str]:
    """Threshold-like quantities no pattern in QUOTES recognises."""
    out = []
    for where, text in texts:
        flat = re.sub(r"\s*\n\s*", "", text)
        covered = [m.span() for q in QUOTES for m in re.finditer(q.pattern, flat)]
        for match in THRESHOLD_LIKE.finditer(flat):
            if not any(start <= match.start() and match.end() <= end for start, end in covered):
                out.append(f"{where}：“{match.group(0)}”")
    return out


def test_every_quoted_threshold_equals_the_policy():
    assert not mismatches(TEXTS, POLICY)


def test_every_threshold_like_quantity_is_checked():
    assert not unchecked(TEXTS), "在 QUOTES 中加一个模式，把这些数字与 policy.yml 对照"


def test_the_checks_see_the_known_quotations():
    # Guards the guard: if the patterns stopped matching, both tests above would pass vacuously.
    seen = {q.policy_key for q in QUOTES for _, text in TEXTS if re.search(q.pattern, re.sub(r"\s*\n\s*", "", text))}
    assert seen == {q.policy_key for q in QUOTES}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda p: p.eligibility.model_copy(update={"min_qualified_full_time_researchers": 6}), "E107"),
        (lambda p: p.eligibility.model_copy(update={"min_rd_equipment_value_yuan": 2_000_000}), "E109"),
        (lambda p: p.eligibility.model_copy(update={"min_floor_area_m2": 800}), "E110"),
        (lambda p: p.eligibility.model_copy(update={"local_months_per_year_more_than": 7}), "E108"),
    ],
)
def test_a_policy_change_is_reported_in_the_rule_and_the_template(change, where):
    policy = POLICY.model_copy(update={"eligibility": change(POLICY)})
    found = mismatches(TEXTS, policy)
    assert any(f"规则 {where} " in line for line in found), found
    assert any("templates/application-certification.yml" in line for line in found), found


def test_a_changed_cycle_and_publicity_are_reported():
    policy = POLICY.model_copy(update={
        "evaluation": POLICY.evaluation.model_copy(update={"cycle_years": 5}),
        "publicity": POLICY.publicity.model_copy(update={"working_days": 7}),
    })
    found = "\n".join(mismatches(TEXTS, policy))
    for where in ("规则 F810 ", "规则 F804 ", "规则 G907 ", "templates/center.yml", "templates/application-certification.yml"):
        assert where in found, found


def test_an_unchecked_threshold_is_caught():
    assert unchecked([("新规则", "研发人员不少于 8 名，场地 300 平方米。")]) == [
        "新规则：“8 名”", "新规则：“300 平方米”"]
    assert unchecked([("模板", "科研团队应有5名以上（含5名）专职研究人员")]) == []
