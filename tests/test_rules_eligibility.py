"""Article 8 rules E101–E112: a passing and a failing case for each, the
legal boundaries from both sides, and the direct-certification exemptions.

Every threshold is read from registry/policy.yml (the file the `mini`
registry copies); ``test_policy_holds_the_legal_values`` separately pins the
values the measures themselves fix, so a policy edit is noticed there.

Positions are computed from the text of the file as written (see
``key_pos`` / ``value_pos`` / ``item_pos`` in rule_helpers.py), never from
the loader under test. All codes and numbers are synthetic.
"""

from __future__ import annotations

import pytest
import yaml

from rule_helpers import (
    APP,
    POLICY,
    REPO,
    assert_each_rule_has_a_failing_case,
    expect_clean,
    expect_one,
    item_pos,
    key_pos,
    make_direct,
    make_pending,
    offset_pos,
    replace_text,
    table,
    value_pos,
)
from ticreg.identifiers import patent_expected_check_character, uscc_expected_check_character

ELIGIBILITY = POLICY["eligibility"]


# ---------------------------------------------------------------------------
# Helpers: record builders (positions and findings: rule_helpers.py)
# ---------------------------------------------------------------------------


def member(name: str, title_level: str, degree: str, *, full_time: bool = True, months: float = 12) -> dict:
    return {
        "name": name,
        "title_level": title_level,
        "degree": degree,
        "full_time": full_time,
        "months_in_jincheng_per_year": months,
    }


# Each qualifies for a different reason: a senior or intermediate title, or a master's or doctorate.
_QUALIFYING_PROFILES = [
    ("full-senior", "other"),
    ("associate-senior", "bachelor"),
    ("intermediate", "bachelor"),
    ("junior", "master"),
    ("none", "doctorate"),
]


def qualified(count: int, *, months: float = 12, prefix: str = "研究员") -> list[dict]:
    return [
        member(f"{prefix}{i}", *_QUALIFYING_PROFILES[i % len(_QUALIFYING_PROFILES)], months=months)
        for i in range(count)
    ]


def set_team(mini, team: list[dict]) -> None:
    mini.edit(mini.application, lambda d: d.__setitem__("team", team))


def uscc(body17: str) -> str:
    """A code with its correct check character (computed by the module under test's sibling)."""
    return body17 + uscc_expected_check_character(body17 + "0")


def wrong_check(code: str) -> str:
    return code[:-1] + ("J" if code[-1] != "J" else "K")


def set_lead_uscc(mini, code: str) -> None:
    """A valid lead-unit code, in the application and in the file of the center
    certified on it, which must agree (F808)."""
    for path in (mini.application, mini.center):
        mini.edit(path, lambda d: d["lead_unit"].__setitem__("uscc", code))


def set_invalid_lead_uscc(mini, code: str) -> None:
    """An invalid lead-unit code in an application still under review: a certified
    pair would carry it into the center file too, where E101 checks it again."""
    make_pending(mini)
    mini.edit(mini.application, lambda d: d["lead_unit"].__setitem__("uscc", code))


# ---------------------------------------------------------------------------
# Baseline
# ---------------------------------------------------------------------------


def test_policy_holds_the_legal_values():
    """The values Art. 8 itself fixes (and the counting readings DOMAIN.md adopts)."""
    assert ELIGIBILITY["min_qualified_full_time_researchers"] == 5
    assert ELIGIBILITY["local_team_share"] == {"numerator": 1, "denominator": 2}
    assert ELIGIBILITY["local_months_per_year_more_than"] == 6
    assert ELIGIBILITY["min_rd_equipment_value_yuan"] == 3000000
    assert ELIGIBILITY["min_floor_area_m2"] == 500
    assert ELIGIBILITY["min_ip_achievements"] == 1
    assert ELIGIBILITY["registration_division_prefix"] == "1405"
    assert set(ELIGIBILITY["director_qualifying_title_levels"]) == {"full-senior", "associate-senior"}
    assert set(ELIGIBILITY["director_qualifying_degrees"]) == {"doctorate"}
    assert set(ELIGIBILITY["researcher_qualifying_title_levels"]) == {"full-senior", "associate-senior", "intermediate"}
    assert set(ELIGIBILITY["researcher_qualifying_degrees"]) == {"doctorate", "master"}


def test_exemplar_is_clean(mini):
    expect_clean(mini)


def test_policy_in_mini_is_the_shipped_policy(mini):
    """The thresholds these tests read are the ones the registry under test uses."""
    assert (mini.root / "policy.yml").read_bytes() == (REPO / "registry" / "policy.yml").read_bytes()
    assert yaml.safe_load((mini.root / "policy.yml").read_text(encoding="utf-8"))["eligibility"] == ELIGIBILITY


# ---------------------------------------------------------------------------
# E101 / E102 / E103 — Art. 8(1)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "N2140525MA0GQ7K10",  # farmers' cooperative registered by agriculture in Zezhou
        "Y1140525MA0GQ7K10",  # "other" registration authority
        "91140525MA0GQ7K10",
    ],
)
def test_e101_passes_valid_codes_including_letter_initial(mini, body):
    code = uscc(body)
    set_lead_uscc(mini, code)
    expect_clean(mini)


def test_e101_passes_valid_letter_initial_code_of_a_co_builder(mini):
    code = uscc("N2140581MA0H2X3P0")
    mini.edit(mini.application, lambda d: d["co_builders"][1].__setitem__("uscc", code))
    expect_clean(mini)


def test_e101_wrong_check_character_names_the_expected_one(mini):
    good = uscc("N2140525MA0GQ7K10")
    bad = wrong_check(good)
    set_invalid_lead_uscc(mini, bad)
    finding = expect_one(mini, "E101", value_pos(mini.application, "lead_unit", "uscc"))
    assert bad in finding.message
    assert f"“{good[-1]}”" in finding.message
    assert "lead_unit.uscc" in finding.message
    assert "第八条第（一）项" in finding.message


def test_e101_wrong_check_character_of_a_co_builder(mini):
    good = "91140581MA0H2X3P0P"
    bad = wrong_check(good)
    mini.edit(mini.application, lambda d: d["co_builders"][1].__setitem__("uscc", bad))
    text = mini.application.read_text(encoding="utf-8")
    pos = offset_pos(text, text.index(bad))
    finding = expect_one(mini, "E101", pos)
    assert bad in finding.message and "“P”" in finding.message
    assert "co_builders[1].uscc" in finding.message


@pytest.mark.parametrize(
    "bad",
    [
        "91140525ma0gq7k10h",  # the exemplar's valid code in lower case
        "91140525MA0GQ7K10",  # 17 characters
        "91140525MA0GQ7K10HH",  # 19 characters
        "91140525MA0GQ7K1OH",  # O is not in the alphabet
    ],
)
def test_e101_malformed_codes(mini, bad):
    set_invalid_lead_uscc(mini, bad)
    finding = expect_one(mini, "E101", value_pos(mini.application, "lead_unit", "uscc"))
    assert f"“{bad}”" in finding.message
    assert "18位" in finding.message and "大写字母" in finding.message


def test_e102_valid_code_registered_outside_jincheng(mini):
    code = uscc("91110108MA0GQ7K10")  # Beijing, Haidian district
    set_lead_uscc(mini, code)
    finding = expect_one(mini, "E102", value_pos(mini.application, "lead_unit", "uscc"))
    assert code in finding.message
    assert "110108" in finding.message
    assert ELIGIBILITY["registration_division_prefix"] in finding.message


def test_e102_passes_every_jincheng_county(mini):
    for county in POLICY["counties"]:
        code = uscc(f"91{county['code']}MA0GQ7K10")
        set_lead_uscc(mini, code)
        expect_clean(mini)


def test_e102_not_reported_on_top_of_an_invalid_code(mini):
    bad = wrong_check(uscc("91110108MA0GQ7K10"))
    set_invalid_lead_uscc(mini, bad)
    assert [f.rule for f in mini.check()] == ["E101"]


def test_e103_not_an_independent_legal_person(mini):
    mini.edit(mini.application, lambda d: d["lead_unit"].__setitem__("independent_legal_person", False))
    finding = expect_one(mini, "E103", value_pos(mini.application, "lead_unit", "independent_legal_person"))
    assert "false" in finding.message and "true" in finding.message


def test_e103_passes_an_independent_legal_person(mini):
    mini.edit(mini.application, lambda d: d["lead_unit"].__setitem__("independent_legal_person", True))
    expect_clean(mini)


# ---------------------------------------------------------------------------
# E104 / E105 — IP achievements and patent numbers
# ---------------------------------------------------------------------------


def _copyrights(count: int) -> list[dict]:
    return [
        {"kind": "software-copyright", "title": f"示例软件 V{i + 1}.0", "number": f"2023SR{1000000 + i}"}
        for i in range(count)
    ]


def test_e104_exactly_the_minimum_passes(mini):
    minimum = ELIGIBILITY["min_ip_achievements"]
    mini.edit(mini.application, lambda d: d.__setitem__("ip_achievements", _copyrights(minimum)))
    expect_clean(mini)


def test_e104_one_under_the_minimum_fails(mini):
    minimum = ELIGIBILITY["min_ip_achievements"]
    assert minimum >= 1
    mini.edit(mini.application, lambda d: d.__setitem__("ip_achievements", _copyrights(minimum - 1)))
    finding = expect_one(mini, "E104", value_pos(mini.application, "ip_achievements"))
    assert f"{minimum - 1} 项" in finding.message and f"{minimum} 项" in finding.message


def test_e104_zero_achievements_fails(mini):
    mini.edit(mini.application, lambda d: d.__setitem__("ip_achievements", []))
    pos = value_pos(mini.application, "ip_achievements")
    assert mini.application.read_text(encoding="utf-8").split("\n")[pos[0] - 1][pos[1] - 1] == "["
    finding = expect_one(mini, "E104", pos)
    assert "0 项" in finding.message
    assert f"{ELIGIBILITY['min_ip_achievements']} 项" in finding.message


PATENT_BODY = "202310123456"


def _patent(number: str | None) -> dict:
    item = {"kind": "invention-patent", "title": "一种煤层气井排采控制方法"}
    if number is not None:
        item["number"] = number
    return item


@pytest.mark.parametrize("kind", ["invention-patent", "utility-model-patent", "design-patent"])
def test_e105_correct_check_digit_passes(mini, kind):
    body = PATENT_BODY[:4] + {"invention-patent": "1", "utility-model-patent": "2", "design-patent": "3"}[kind] + PATENT_BODY[5:]
    number = f"ZL{body}.{patent_expected_check_character(body)}"
    mini.edit(mini.application, lambda d: d["ip_achievements"].__setitem__(0, {**_patent(number), "kind": kind}))
    expect_clean(mini)


def test_e105_wrong_check_digit_names_the_right_one(mini):
    right = patent_expected_check_character(PATENT_BODY)
    wrong = "0" if right != "0" else "1"
    number = f"ZL{PATENT_BODY}.{wrong}"
    mini.edit(mini.application, lambda d: d["ip_achievements"].__setitem__(0, _patent(number)))
    finding = expect_one(mini, "E105", value_pos(mini.application, "ip_achievements", "number"))
    assert number in finding.message
    assert f"“{right}”" in finding.message
    assert "ip_achievements[0].number" in finding.message


def test_e105_patent_without_number(mini):
    mini.edit(mini.application, lambda d: d["ip_achievements"].__setitem__(0, _patent(None)))
    finding = expect_one(mini, "E105", item_pos(mini.application, "ip_achievements", index=0))
    assert "number" in finding.message and "未填写" in finding.message


def test_e105_malformed_patent_number(mini):
    mini.edit(mini.application, lambda d: d["ip_achievements"].__setitem__(0, _patent("ZL2019-1234")))
    finding = expect_one(mini, "E105", value_pos(mini.application, "ip_achievements", "number"))
    assert "ZL2019-1234" in finding.message and "ZL" in finding.message


def test_e105_ignores_a_software_copyright_number(mini):
    # the exemplar's second item is a software copyright: its number has no check digit
    mini.edit(mini.application, lambda d: d["ip_achievements"][1].__setitem__("number", "2022SR0456780"))
    expect_clean(mini)


# ---------------------------------------------------------------------------
# E106 — the director
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title_level", "degree"),
    [
        ("associate-senior", "bachelor"),  # senior title alone is enough
        ("full-senior", "other"),
        ("intermediate", "doctorate"),  # a doctorate alone is enough
        ("none", "doctorate"),
    ],
)
def test_e106_qualified_director_passes(mini, title_level, degree):
    assert title_level in ELIGIBILITY["director_qualifying_title_levels"] or degree in ELIGIBILITY[
        "director_qualifying_degrees"
    ]
    mini.edit(mini.application, lambda d: d["director"].update(title_level=title_level, degree=degree))
    expect_clean(mini)


@pytest.mark.parametrize(
    ("title_level", "degree", "title_name", "degree_name"),
    [("intermediate", "master", "中级", "硕士"), ("junior", "bachelor", "初级", "学士")],
)
def test_e106_unqualified_director_fails(mini, title_level, degree, title_name, degree_name):
    mini.edit(mini.application, lambda d: d["director"].update(title_level=title_level, degree=degree))
    finding = expect_one(mini, "E106", value_pos(mini.application, "director"))
    assert f"职称为 {title_name}" in finding.message and f"学位为 {degree_name}" in finding.message
    names = {i["id"]: i["name"] for i in POLICY["title_levels"] + POLICY["degrees"]}
    for allowed in ELIGIBILITY["director_qualifying_title_levels"] + ELIGIBILITY["director_qualifying_degrees"]:
        assert names[allowed] in finding.message


# ---------------------------------------------------------------------------
# E107 — qualified full-time researchers ("5名以上" includes 5)
# ---------------------------------------------------------------------------


def test_e107_exactly_the_minimum_passes(mini):
    need = ELIGIBILITY["min_qualified_full_time_researchers"]
    set_team(mini, qualified(need))
    expect_clean(mini)


def test_e107_one_under_the_minimum_fails(mini):
    need = ELIGIBILITY["min_qualified_full_time_researchers"]
    set_team(mini, qualified(need - 1))
    finding = expect_one(mini, "E107", value_pos(mini.application, "team"))
    assert f"{need - 1} 名" in finding.message and f"{need} 名" in finding.message


@pytest.mark.parametrize(
    "extra",
    [
        member("非专职博士", "full-senior", "doctorate", full_time=False),  # not full-time
        member("初级学士", "junior", "bachelor"),  # full-time but junior title, bachelor
        member("无职称其他", "none", "other"),
    ],
    ids=["not-full-time", "junior-bachelor", "no-title-other"],
)
def test_e107_a_member_who_does_not_count(mini, extra):
    need = ELIGIBILITY["min_qualified_full_time_researchers"]
    set_team(mini, qualified(need - 1) + [extra])
    finding = expect_one(mini, "E107", value_pos(mini.application, "team"))
    assert f"{need - 1} 名" in finding.message


def test_e107_empty_team(mini):
    need = ELIGIBILITY["min_qualified_full_time_researchers"]
    set_team(mini, [])
    finding = expect_one(mini, "E107", value_pos(mini.application, "team"))
    assert "0 名" in finding.message and f"{need} 名" in finding.message


# ---------------------------------------------------------------------------
# E108 — "半数以上" includes half; "超过半年" excludes six months
# ---------------------------------------------------------------------------

_MONTHS = ELIGIBILITY["local_months_per_year_more_than"]
_SHARE = ELIGIBILITY["local_team_share"]


def _required_local(size: int) -> int:
    """Smallest count with count/size >= numerator/denominator."""
    return -(-size * _SHARE["numerator"] // _SHARE["denominator"])


def _team_sizes() -> list[int]:
    base = max(ELIGIBILITY["min_qualified_full_time_researchers"], 6)
    return [base, base - 1 if base - 1 >= ELIGIBILITY["min_qualified_full_time_researchers"] else base + 1]


def _split_team(size: int, local: int) -> list[dict]:
    """`local` members just over the month limit, the rest exactly at it (which does not count)."""
    return qualified(local, months=_MONTHS + 0.5, prefix="在晋") + qualified(size - local, months=_MONTHS, prefix="外地")


def test_e108_sizes_cover_the_brief_examples():
    # with the legal policy: 3 of 6 passes, 2 of 6 and 2 of 5 fail
    assert _team_sizes() == [6, 5]
    assert [_required_local(6), _required_local(5)] == [3, 3]


@pytest.mark.parametrize("size", _team_sizes())
def test_e108_exactly_the_share_passes(mini, size):
    set_team(mini, _split_team(size, _required_local(size)))
    expect_clean(mini)


@pytest.mark.parametrize("size", _team_sizes())
def test_e108_just_under_the_share_fails(mini, size):
    local = _required_local(size) - 1
    set_team(mini, _split_team(size, local))
    finding = expect_one(mini, "E108", value_pos(mini.application, "team"))
    assert f"{local}/{size}" in finding.message
    assert f"{_SHARE['numerator']}/{_SHARE['denominator']}" in finding.message
    assert f"超过 {_MONTHS:g} 个月" in finding.message


def test_e108_exactly_the_month_limit_does_not_count_and_half_a_month_more_does(mini):
    size = _team_sizes()[0]
    need = _required_local(size)
    team = qualified(need - 1, months=12, prefix="在晋") + qualified(size - need, months=0, prefix="外地")
    borderline = member("临界", "intermediate", "master", months=_MONTHS)
    set_team(mini, team + [borderline])
    assert mini.rules() == ["E108"]
    set_team(mini, team + [{**borderline, "months_in_jincheng_per_year": _MONTHS + 0.5}])
    expect_clean(mini)


def test_e108_non_full_time_members_count_in_the_denominator(mini):
    need = ELIGIBILITY["min_qualified_full_time_researchers"]
    local = qualified(need, months=12)
    visitors = [member(f"兼职{i}", "full-senior", "doctorate", full_time=False, months=0) for i in range(need + 1)]
    set_team(mini, local + visitors)
    finding = expect_one(mini, "E108", value_pos(mini.application, "team"))
    assert f"{need}/{2 * need + 1}" in finding.message


# ---------------------------------------------------------------------------
# E109 / E110 — equipment ("不低于") and floor area ("不少于")
# ---------------------------------------------------------------------------


def test_e109_exactly_the_minimum_passes(mini):
    minimum = ELIGIBILITY["min_rd_equipment_value_yuan"]
    mini.edit(mini.application, lambda d: d.__setitem__("rd_equipment_value_yuan", minimum))
    expect_clean(mini)


def test_e109_one_yuan_under_fails(mini):
    minimum = ELIGIBILITY["min_rd_equipment_value_yuan"]
    mini.edit(mini.application, lambda d: d.__setitem__("rd_equipment_value_yuan", minimum - 1))
    finding = expect_one(mini, "E109", value_pos(mini.application, "rd_equipment_value_yuan"))
    assert f"{minimum - 1} 元" in finding.message and f"{minimum} 元" in finding.message


@pytest.mark.parametrize("written", ["300万", "3,000,000", "300万元", "3000000元", "3000000.5"])
def test_s103_money_with_unit_or_separators_is_a_schema_error_not_converted(mini, written):
    # written plain, as a person would type it (text edit keeps the exemplar's layout)
    replace_text(mini.application, "rd_equipment_value_yuan: 8650000", f"rd_equipment_value_yuan: {written}")
    # The invalid application also leaves the center's reference to it unresolved
    # (see test_rules_history_personal_crossfile); only this file is asserted here.
    finding = expect_one(mini, "S103", value_pos(mini.application, "rd_equipment_value_yuan"), this_file_only=True)
    assert f"“{written}”" in finding.message
    assert "rd_equipment_value_yuan" in finding.message
    assert "整数" in finding.message


def test_e110_exactly_the_minimum_passes(mini):
    minimum = ELIGIBILITY["min_floor_area_m2"]
    mini.edit(mini.application, lambda d: d.__setitem__("floor_area_m2", minimum))
    expect_clean(mini)


def test_e110_a_tenth_under_fails(mini):
    minimum = ELIGIBILITY["min_floor_area_m2"]
    area = round(minimum - 0.1, 1)
    mini.edit(mini.application, lambda d: d.__setitem__("floor_area_m2", area))
    finding = expect_one(mini, "E110", value_pos(mini.application, "floor_area_m2"))
    assert f"{area:g} 平方米" in finding.message and f"{minimum:g} 平方米" in finding.message


def test_e110_decimal_just_over_passes(mini):
    minimum = ELIGIBILITY["min_floor_area_m2"]
    mini.edit(mini.application, lambda d: d.__setitem__("floor_area_m2", minimum + 0.5))
    expect_clean(mini)


# ---------------------------------------------------------------------------
# E111 / E112 — declarations (Art. 8(4))
# ---------------------------------------------------------------------------

_DECLARATIONS = ELIGIBILITY["required_declarations"]


def test_e111_every_declaration_true_passes(mini):
    mini.edit(mini.application, lambda d: d.__setitem__("declarations", {x["id"]: True for x in _DECLARATIONS}))
    expect_clean(mini)


def test_e111_a_false_declaration(mini):
    target = _DECLARATIONS[0]
    mini.edit(mini.application, lambda d: d["declarations"].__setitem__(target["id"], False))
    finding = expect_one(mini, "E111", value_pos(mini.application, "declarations", target["id"]))
    assert f"declarations.{target['id']} 为 false" in finding.message
    assert target["text"] in finding.message


def test_e111_a_missing_declaration(mini):
    target = _DECLARATIONS[2]
    mini.edit(mini.application, lambda d: d["declarations"].pop(target["id"]))
    # the mapping that lacks the key: its first key
    finding = expect_one(mini, "E111", value_pos(mini.application, "declarations"))
    assert f"declarations.{target['id']}" in finding.message
    assert "未填写" in finding.message
    assert target["text"] in finding.message


def test_e111_a_quoted_true_is_not_a_confirmation(mini):
    target = _DECLARATIONS[1]["id"]
    replace_text(mini.application, f"  {target}: true", f"  {target}: 是")
    finding = expect_one(mini, "S103", value_pos(mini.application, "declarations", target), this_file_only=True)
    assert "“是”" in finding.message and "true" in finding.message


def test_e112_unknown_declaration(mini):
    mini.edit(mini.application, lambda d: d["declarations"].__setitem__("no-tax-arrears", True))
    finding = expect_one(mini, "E112", key_pos(mini.application, "declarations", "no-tax-arrears"))
    assert "declarations.no-tax-arrears" in finding.message
    for item in _DECLARATIONS:
        assert item["id"] in finding.message


def test_e112_misspelled_declaration_is_unknown_and_the_real_one_missing(mini):
    real = _DECLARATIONS[0]["id"]
    typo = real.replace("policy", "polcy")

    def change(d):
        d["declarations"] = {(typo if k == real else k): v for k, v in d["declarations"].items()}

    mini.edit(mini.application, change)
    findings = mini.check()
    declarations_at = value_pos(mini.application, "declarations")
    assert table(findings) == sorted(
        [
            (APP, *declarations_at, "E111", "error"),
            (APP, *key_pos(mini.application, "declarations", typo), "E112", "error"),
        ]
    )


# ---------------------------------------------------------------------------
# Direct certification (Art. 16): exempt from 8(2) and 8(3), not from 8(1), 8(4)
# ---------------------------------------------------------------------------


def _fails_every_threshold(d: dict) -> None:
    d["ip_achievements"] = []
    d["director"].update(title_level="intermediate", degree="master")
    d["team"] = [member("唯一成员", "junior", "bachelor", full_time=False, months=0)]
    d["rd_equipment_value_yuan"] = ELIGIBILITY["min_rd_equipment_value_yuan"] - 1
    d["floor_area_m2"] = ELIGIBILITY["min_floor_area_m2"] - 1


def test_certification_failing_every_threshold_reports_each(mini):
    mini.edit(mini.application, _fails_every_threshold)
    assert sorted(mini.rules()) == ["E104", "E106", "E107", "E108", "E109", "E110"]


def test_direct_certification_is_exempt_from_e104_and_e106_to_e110(mini):
    def change(d):
        make_direct(d)
        _fails_every_threshold(d)

    mini.edit(mini.application, change)
    expect_clean(mini)


def test_direct_certification_may_omit_the_threshold_fields(mini):
    def change(d):
        make_direct(d)
        for key in ("team", "rd_equipment_value_yuan", "floor_area_m2", "ip_achievements"):
            d.pop(key)
        d["director"].update(title_level="none", degree="other")

    mini.edit(mini.application, change)
    expect_clean(mini)


def test_direct_certification_still_checks_the_credit_code(mini):
    bad = wrong_check("91140525MA0GQ7K10H")

    def change(d):
        make_direct(d)
        _fails_every_threshold(d)
        d["lead_unit"]["uscc"] = bad

    mini.edit(mini.application, change)
    make_pending(mini)  # an invalid code: under review, not yet a center (see set_invalid_lead_uscc)
    finding = expect_one(mini, "E101", value_pos(mini.application, "lead_unit", "uscc"))
    assert bad in finding.message and "“H”" in finding.message


def test_direct_certification_still_requires_jincheng_registration(mini):
    code = uscc("91110108MA0GQ7K10")

    def change(d):
        make_direct(d)
        _fails_every_threshold(d)
        d["lead_unit"]["uscc"] = code

    mini.edit(mini.application, change)
    mini.edit(mini.center, lambda d: d["lead_unit"].__setitem__("uscc", code))  # the center agrees (F808)
    finding = expect_one(mini, "E102", value_pos(mini.application, "lead_unit", "uscc"))
    assert "110108" in finding.message


def test_direct_certification_still_requires_an_independent_legal_person(mini):
    def change(d):
        make_direct(d)
        _fails_every_threshold(d)
        d["lead_unit"]["independent_legal_person"] = False

    mini.edit(mini.application, change)
    expect_one(mini, "E103", value_pos(mini.application, "lead_unit", "independent_legal_person"))


def test_direct_certification_still_requires_the_declarations(mini):
    target = _DECLARATIONS[-1]

    def change(d):
        make_direct(d)
        _fails_every_threshold(d)
        d["declarations"][target["id"]] = False

    mini.edit(mini.application, change)
    finding = expect_one(mini, "E111", value_pos(mini.application, "declarations", target["id"]))
    assert target["text"] in finding.message


# ---------------------------------------------------------------------------
# Meta: every checking rule of eligibility.py has a failing case here
# ---------------------------------------------------------------------------

FAILING_CASES = {
    "E101": ["test_e101_wrong_check_character_names_the_expected_one", "test_e101_malformed_codes"],
    "E102": ["test_e102_valid_code_registered_outside_jincheng"],
    "E103": ["test_e103_not_an_independent_legal_person"],
    "E104": ["test_e104_zero_achievements_fails", "test_e104_one_under_the_minimum_fails"],
    "E105": ["test_e105_wrong_check_digit_names_the_right_one", "test_e105_patent_without_number"],
    "E106": ["test_e106_unqualified_director_fails"],
    "E107": ["test_e107_one_under_the_minimum_fails"],
    "E108": ["test_e108_just_under_the_share_fails"],
    "E109": ["test_e109_one_yuan_under_fails"],
    "E110": ["test_e110_a_tenth_under_fails"],
    "E111": ["test_e111_a_false_declaration", "test_e111_a_missing_declaration"],
    "E112": ["test_e112_unknown_declaration"],
}
COVERED_MODULES = {"ticreg.rules.eligibility"}


def test_every_checking_rule_of_this_part_has_a_failing_case():
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
