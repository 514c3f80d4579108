"""Personal numbers: one structural detector for validate, intake, messages and the build.

Every identity number below is synthetic and built here: an area code, a
birth date and a sequence number, with the check character computed by this
file's own MOD 11-2 (cross-checked with python-stdnum's arithmetic), so a
wrong check in the detector fails these tests. Mobile numbers are made up.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest
from stdnum.cn import ric as stdnum_ric

from conftest import REGISTRY, TODAY, copy_site_inputs, run_cli
from intake_bodies import APPLICATION_FORM, EXEMPLAR, body, load, values_from_application
from rule_helpers import APP, CENTER, replace_text, value_pos
from ticreg.identifiers import USCC_ALPHABET, uscc_expected_check_character
from ticreg.personal_numbers import (
    DASHES,
    INVISIBLE,
    SPACES,
    find_mobile_numbers,
    find_personal_numbers,
    find_resident_id_numbers,
    mask_mobile,
    redact_personal_numbers,
)

WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]


def check_character(body17: str) -> str:
    """ISO 7064 MOD 11-2 as GB 11643-1999 words it: (12 - sum mod 11) mod 11, 10 written X."""
    value = (12 - sum(int(d) * w for d, w in zip(body17, WEIGHTS)) % 11) % 11
    return "X" if value == 10 else str(value)


def resident_id(area: str, born: dt.date, sequence: str = "123") -> str:
    body17 = f"{area}{born:%Y%m%d}{sequence}"
    number = body17 + check_character(body17)
    assert stdnum_ric.calc_check_digit(body17 + "0") == number[-1]  # two independent computations agree
    return number


def with_x(area: str, born: dt.date) -> str:
    for sequence in range(100, 1000):
        number = resident_id(area, born, str(sequence))
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def in_digits_of(zero: int, text: str) -> str:
    """``text`` with its ASCII digits written in the script whose zero is ``zero``."""
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


ZEZHOU_1985 = resident_id("140525", dt.date(1985, 6, 12))
GAOPING_1980 = resident_id("140581", dt.date(1980, 3, 9))
MOBILE = "13835697402"
MASKED_MOBILE = "138****7402"


def masked_id(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


# ---------------------------------------------------------------------------
# The structure of an identity number
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("area", "created"), [("140525", 1996), ("140581", 1993)])
def test_ids_issued_by_counties_younger_than_their_holder_are_found(area, created):
    """The bug: stdnum wants the area code to exist in the birth year; the area code is where it was issued."""
    for year in range(1930, created + 2):
        number = resident_id(area, dt.date(year, 1 + year % 12, 1 + year % 28))
        assert find_resident_id_numbers(f"身份证号{number}。", TODAY) == [number], year
        if year < created - 1:
            assert not stdnum_ric.is_valid(number), "the old check would have missed it"


def test_every_province_code_and_both_check_forms():
    provinces = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split()
    for province in provinces + ["71", "81", "82", "83"]:
        number = resident_id(f"{province}0102", dt.date(1990, 1, 1))
        assert find_resident_id_numbers(number) == [number], province
    number = with_x("140502", dt.date(1990, 1, 1))
    assert find_resident_id_numbers(number.lower()) == [number]
    assert find_resident_id_numbers(number[:17] + "Ｘ") == [number]
    assert find_resident_id_numbers(number[:17] + "ｘ") == [number]
    assert find_resident_id_numbers(f"{number[:17]} {number[17]}") == [number]
    assert find_resident_id_numbers(f"{number}X") == [number]  # a doubled X is a letter after the number


@pytest.mark.parametrize("area", ["000102", "100102", "190102", "660102", "900102", "990102"])
def test_an_area_without_a_province_code_is_not_an_id(area):
    assert find_resident_id_numbers(resident_id(area, dt.date(1990, 1, 1))) == []


def test_a_wrong_check_character_is_not_an_id():
    assert find_resident_id_numbers(wrong_check(ZEZHOU_1985)) == []
    assert find_resident_id_numbers(with_x("140502", dt.date(1990, 1, 1))[:17] + "0") == []


@pytest.mark.parametrize("bad_date", ["19900230", "19901301", "19900001", "19900100", "00000000"])
def test_a_birth_date_that_is_no_date_is_not_an_id(bad_date):
    body17 = f"140525{bad_date}123"
    assert find_resident_id_numbers(body17 + check_character(body17)) == []


def test_birth_dates_from_1900_to_today_and_no_further():
    first = resident_id("140525", dt.date(1900, 1, 1))
    before = resident_id("140525", dt.date(1899, 12, 31))
    born_today = resident_id("140525", TODAY)
    tomorrow = resident_id("140525", TODAY + dt.timedelta(days=1))
    assert find_resident_id_numbers(first, TODAY) == [first]
    assert find_resident_id_numbers(before, TODAY) == []
    assert find_resident_id_numbers(born_today, TODAY) == [born_today]
    assert find_resident_id_numbers(tomorrow, TODAY) == []
    # Without a today nothing is ruled out for its date: the answer is a superset.
    assert find_resident_id_numbers(tomorrow) == [tomorrow]
    assert find_resident_id_numbers(resident_id("140525", dt.date(2100, 1, 1))) == []


def test_foreigners_permanent_residence_numbers_are_found():
    number = resident_id("914156", dt.date(1990, 5, 1))  # 9, Shanxi, a country code
    assert find_resident_id_numbers(number, TODAY) == [number]


def test_first_generation_fifteen_digit_ids():
    """15 digits: area, YYMMDD (born 19YY), sequence; no check character."""
    assert find_resident_id_numbers("旧证号140525850612123。", TODAY) == ["140525850612123"]
    assert find_resident_id_numbers("140525851312123") == []  # month 13
    assert find_resident_id_numbers("990525850612123") == []  # no such province
    assert find_resident_id_numbers("1405258506121234") == []  # 16 digits


# ---------------------------------------------------------------------------
# Written the way people write, or hide, a number
# ---------------------------------------------------------------------------

_ID_FORMS = {
    "plain": ZEZHOU_1985,
    "spaces": f"{ZEZHOU_1985[:6]} {ZEZHOU_1985[6:14]} {ZEZHOU_1985[14:]}",
    "groups of four": " ".join(ZEZHOU_1985[i:i + 4] for i in range(0, 18, 4)),
    "dashes": f"{ZEZHOU_1985[:6]}-{ZEZHOU_1985[6:14]}-{ZEZHOU_1985[14:]}",
    "dots": f"{ZEZHOU_1985[:6]}.{ZEZHOU_1985[6:14]}.{ZEZHOU_1985[14:]}",
    "nbsp": f"{ZEZHOU_1985[:6]}\u00a0{ZEZHOU_1985[6:]}",
    "ideographic space": f"{ZEZHOU_1985[:6]}\u3000{ZEZHOU_1985[6:]}",
    "zero-width": "\u200b".join(ZEZHOU_1985),
    "full-width": to_fullwidth(ZEZHOU_1985),
    "arabic-indic": in_digits_of(0x0660, ZEZHOU_1985),
    "devanagari": in_digits_of(0x0966, ZEZHOU_1985),
    "glued to letters": f"ID{ZEZHOU_1985}no",
}


@pytest.mark.parametrize("written", _ID_FORMS.values(), ids=_ID_FORMS.keys())
def test_an_id_is_found_however_it_is_written(written):
    assert find_resident_id_numbers(f"负责人证件：{written}，请核对", TODAY) == [ZEZHOU_1985]
    shown = redact_personal_numbers(f"证件 {written} 完")
    assert masked_id(ZEZHOU_1985) in shown
    assert find_personal_numbers(shown) == [] and ZEZHOU_1985[4:14] not in shown


_MOBILE_FORMS = {
    "plain": MOBILE,
    "dots": "138.3569.7402",
    "brackets": "(138)35697402",
    "full-width brackets": "（138）3569 7402",
    "plus 86": "+86 138 3569 7402",
    "0086": "0086-13835697402",
    "86 glued": "8613835697402",
    "mixed separators": "138-3569 7402",
    "spaced dashes": "138 - 3569 - 7402",
    "em dash": "138—3569—7402",
    "minus sign": "138\u22123569\u22127402",
    "full-width": to_fullwidth(MOBILE),
    "full-width with dashes": to_fullwidth("138-3569-7402"),
    "zero-width inside": "138\u200b3569\u200d74\u20600\ufeff2",
    "soft hyphens": "138\u00ad3569\u00ad7402",
    "arabic-indic": in_digits_of(0x0660, MOBILE),
    "glued to letters": f"Tel{MOBILE}",
}


@pytest.mark.parametrize("written", _MOBILE_FORMS.values(), ids=_MOBILE_FORMS.keys())
def test_a_mobile_number_is_found_however_it_is_written(written):
    assert find_mobile_numbers(f"手机：{written}。") == [MOBILE]
    assert MASKED_MOBILE in redact_personal_numbers(f"手机：{written}。")
    if not any("a" <= ch.lower() <= "z" for ch in written):
        assert mask_mobile(written) == MASKED_MOBILE


def test_every_unicode_space_and_dash_is_a_separator():
    """The lists are written out; this keeps them equal to the Unicode database."""
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category == "Zs":
            assert ch in SPACES, f"U+{code:04X}"
        if category == "Pd":
            assert ch in DASHES, f"U+{code:04X}"
    for ch in "\u200b\u200c\u200d\u2060\ufeff":
        assert ch in INVISIBLE


def test_a_line_break_or_a_wide_gap_separates_two_numbers():
    assert find_mobile_numbers("138\n35697402") == []
    assert find_mobile_numbers("138    3569    7402") == []
    assert find_mobile_numbers("138   3569   7402") == [MOBILE]


def test_several_numbers_in_one_text_each_found_once():
    text = f"甲 {ZEZHOU_1985}，乙 {GAOPING_1980}，电话 0356-1234567 {MOBILE}；又 +86 139 1234 5678。"
    found = find_personal_numbers(text, TODAY)
    assert [(n.kind, n.number) for n in found] == [
        ("resident_id", ZEZHOU_1985), ("resident_id", GAOPING_1980),
        ("mobile", MOBILE), ("mobile", "13912345678"),
    ]
    shown = redact_personal_numbers(text)
    for number in (ZEZHOU_1985, GAOPING_1980, MOBILE, "13912345678"):
        assert number not in shown
    assert "0356-1234567" in shown


# ---------------------------------------------------------------------------
# Long numbers that are not personal
# ---------------------------------------------------------------------------


def _numeric_uscc(division: str, organisation: str) -> str:
    body17 = f"91{division}{organisation}"
    return body17 + uscc_expected_check_character(body17 + "0")


def _patent(body12: str) -> str:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    remainder = sum(int(d) * w for d, w in zip(body12, weights)) % 11
    return f"ZL{body12}.{'X' if remainder == 10 else remainder}"


_NOT_PERSONAL = {
    "document number": "晋市科发〔2026〕70号",
    "document number with brackets": "晋市科发(2026)70号、晋政办发〔2025〕123号",
    "uscc with letters": "91140500MA0GRUPL0W",
    "uscc numeric, city": _numeric_uscc("140500", "110012345"),
    "uscc numeric, county": _numeric_uscc("140525", "199001011"),
    "patent": _patent("202310123456"),
    "patent, spaced": "ZL 2023 1 0123456.7",
    "two patents": f"{_patent('202310123456')}、{_patent('202320654321')}",
    "money": "研发设备原值 5600000 元，场地 1,200 平方米，总投入 5 600 000 元",
    "big money": "累计投入 12,800,000,000 元",
    "office phone": "0356-1234567",
    "office phones": "0356-1234567、0356-7654321 0356-2123456",
    "office phone in brackets": "(0356)1234567",
    "office phone abroad": "+86 356 1234567",
    "hotline": "400-123-4567",
    "dates": "2019-01-01 至 2026-11-26，2026.11.26",
    "years": "2021 2022 2023 2024 2025",
    "twelve digits": "113835697402",
    "ten digits": "1383569740",
    "12x is not mobile": "12835697402",
}


@pytest.mark.parametrize("text", _NOT_PERSONAL.values(), ids=_NOT_PERSONAL.keys())
def test_long_numbers_that_are_not_personal(text):
    assert find_personal_numbers(text, TODAY) == []
    assert redact_personal_numbers(text) == text


def test_no_valid_uscc_of_a_jincheng_division_reads_as_an_id():
    divisions = ["140500", "140502", "140521", "140522", "140524", "140525", "140581"]
    for division in divisions:
        for n in range(2000):
            code = _numeric_uscc(division, f"{n * 7919 % 10**9:09d}")
            assert all(ch in USCC_ALPHABET for ch in code)
            assert find_resident_id_numbers(code, TODAY) == [], code


# ---------------------------------------------------------------------------
# validate: every text value of every record, positioned, masked
# ---------------------------------------------------------------------------


def _put_in_summary(mini, text: str) -> None:
    replace_text(mini.application, "summary: ", f"summary: {text}")


@pytest.mark.parametrize("written", [ZEZHOU_1985, _ID_FORMS["zero-width"], _ID_FORMS["full-width"],
                                     GAOPING_1980, "140525850612123"])
def test_validate_reports_an_id_at_its_place(mini, written):
    _put_in_summary(mini, f"证件{written}。")
    result = mini.validate()
    assert result.code == 1
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in result.findings] == [
        (APP, *value_pos(mini.application, "summary"), "P601")
    ]
    message = result.findings[0]["message"]
    assert "summary" in message and "个人信息保护" in message
    assert written not in result.stdout and ZEZHOU_1985 not in result.stdout


@pytest.mark.parametrize("written", ["138.3569.7402", "(138)35697402", "0086-13835697402",
                                     _MOBILE_FORMS["full-width"], _MOBILE_FORMS["zero-width inside"]])
def test_validate_reports_a_mobile_number_at_its_place(mini, written):
    _put_in_summary(mini, f"手机{written}。")
    result = mini.validate()
    assert result.code == 1
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in result.findings] == [
        (APP, *value_pos(mini.application, "summary"), "P602")
    ]
    assert MASKED_MOBILE in result.findings[0]["message"]
    assert MOBILE not in result.stdout


def test_validate_passes_the_numbers_that_are_not_personal(mini):
    _put_in_summary(mini, "；".join(_NOT_PERSONAL.values()).replace(":", "："))
    assert mini.check() == []


def test_validate_with_a_far_future_today_still_finds_an_old_id(mini):
    _put_in_summary(mini, f"证件{ZEZHOU_1985}。")
    result = run_cli("validate", "--format", "json", "--today", "2031-06-30", cwd=mini.base)
    assert result.code == 1 and "P601" in result.rules


# ---------------------------------------------------------------------------
# intake: the issue body is public, refused with the number masked
# ---------------------------------------------------------------------------


@pytest.fixture
def reg(mini):
    shutil.copy(REGISTRY / "staff.yml", mini.root / "staff.yml")
    return mini


@pytest.mark.parametrize(("written", "shown"), [
    (_ID_FORMS["spaces"], masked_id(ZEZHOU_1985)),
    (_ID_FORMS["zero-width"], masked_id(ZEZHOU_1985)),
    ("138.3569.7402", MASKED_MOBILE),
    ("(138)35697402", MASKED_MOBILE),
    (_MOBILE_FORMS["full-width with dashes"], MASKED_MOBILE),
])
def test_intake_refuses_a_personal_number_and_writes_nothing(reg, written, shown):
    values = values_from_application(load(EXEMPLAR), APPLICATION_FORM)
    values["summary"] = f"负责人 {written}，欢迎联系"
    before = sorted(p.relative_to(reg.root) for p in reg.root.rglob("*"))
    env = {**os.environ, "ISSUE_BODY": body(values)}
    result = run_cli("intake", "--today", TODAY.isoformat(), "--issue-number", "12", cwd=reg.base, env=env)
    assert result.code == 1
    assert sorted(p.relative_to(reg.root) for p in reg.root.rglob("*")) == before
    output = result.stdout + result.stderr
    assert shown in output
    assert ZEZHOU_1985 not in output and MOBILE not in output and written not in output


# ---------------------------------------------------------------------------
# ticreg build: the last line of defence
# ---------------------------------------------------------------------------


def test_the_generator_refuses_to_write_a_page_holding_an_id(tmp_path, monkeypatch):
    """validate would refuse this registry first; here the real generator runs on
    it anyway, as it would if a check were bypassed, and the build's own guard
    must stop it: no file holding the number is written and nothing is published."""
    from ticreg.site.generate import site_data, write_sources
    from ticreg.site.personal_guard import PersonalNumbersInSite
    from ticreg.site.settings import load_site
    from ticreg.validate import registry_context

    repo = copy_site_inputs(tmp_path)
    center = repo / CENTER
    replace_text(center, "为区域煤层气企业提供", f"负责人身份证号 {_ID_FORMS['dots']}，为区域煤层气企业提供")
    monkeypatch.chdir(repo)
    ctx, outcome = registry_context(repo / "registry", repo, today=TODAY)
    assert "P601" in [f.rule for f in outcome.findings]  # validate does refuse it
    data = site_data(load_site(repo / "mkdocs.yml", "mkdocs.yml"), ctx, TODAY, repo)
    out = repo / "build" / "docs"

    with pytest.raises(PersonalNumbersInSite) as caught:
        write_sources(data, out)

    rows = [(f.path, f.line, f.column, f.rule) for f in caught.value.findings]
    assert rows == [(CENTER, *value_pos(center, "summary"), "P603")]
    message = caught.value.findings[0].message
    assert "summary" in message and masked_id(ZEZHOU_1985) in message
    assert ZEZHOU_1985 not in message and "网站未构建" in message
    assert "build/docs/" in message  # where it would have appeared
    assert caught.value.exit_code == 1
    # Nothing written holds the number; other pages were written as usual.
    written = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8", errors="replace")
               for p in out.rglob("*") if p.suffix in (".md", ".json", ".csv", ".xml", ".ics")}
    assert "centers/coalbed-methane-development.md" not in written
    assert "data/centers.json" not in written
    assert "index.md" in written
    assert not any(find_resident_id_numbers(text) for text in written.values())
    assert not (repo / "site").exists()


def test_the_guard_names_the_record_field_for_a_value_validate_allows(tmp_path, monkeypatch):
    """contact.phone may hold a mobile number because it is never published; were
    a page to show it, the build names that field."""
    from ticreg.site.generate import site_data
    from ticreg.site.personal_guard import PersonalNumbersInSite, PublicationGuard
    from ticreg.site.settings import load_site
    from ticreg.validate import registry_context

    repo = copy_site_inputs(tmp_path)
    application = repo / "registry/applications/zezhou/2025-zezhou-001.yml"
    monkeypatch.chdir(repo)
    ctx, outcome = registry_context(repo / "registry", repo, today=TODAY)
    assert [f for f in outcome.findings if f.severity == "error"] == []
    guard = PublicationGuard(site_data(load_site(repo / "mkdocs.yml", "mkdocs.yml"), ctx, TODAY, repo))
    phone = find_mobile_numbers(application.read_text(encoding="utf-8"))
    assert phone, "the sample application gives a mobile contact phone"
    assert guard.holds_number("build/docs/centers/x.md", f"# 联系\n\n电话 {phone[0]}\n")
    with pytest.raises(PersonalNumbersInSite) as caught:
        guard.refuse_if_any()
    [finding] = caught.value.findings
    assert (finding.path, finding.line, finding.column, finding.rule) == (
        "registry/applications/zezhou/2025-zezhou-001.yml", *value_pos(application, "contact", "phone"), "P604"
    )
    assert "contact.phone" in finding.message and "build/docs/centers/x.md" in finding.message


def test_a_real_build_refuses_a_handwritten_page_with_a_mobile_number(tmp_path):
    repo = copy_site_inputs(tmp_path)
    page = repo / "docs" / "contact.md"
    page.write_text("# 联系我们\n\n值班电话 0356-1234567，\n负责人手机 (138)3569 7402。\n", encoding="utf-8")
    result = run_cli("build", "--today", TODAY.isoformat(), cwd=repo)
    assert result.code == 1
    output = result.stdout + result.stderr
    assert "docs/contact.md:4:8: P604" in output
    assert MASKED_MOBILE in output and MOBILE not in output and "3569 7402" not in output
    assert "网站未构建" in output
    assert not (repo / "site").exists()
    assert not (repo / "build" / "docs" / "contact.md").exists()


def _credit_code_with_an_id_structure() -> str:
    """A valid all-digit credit code (璧山区 500120, an old numeric organisation
    code) whose digits also read as an identity number: the two check
    characters agree for one in 31 such codes."""
    for tail in range(1000):
        body17 = f"91500120150601{tail:03d}"
        code = body17 + uscc_expected_check_character(body17 + "0")
        if code[-1] == check_character(body17):
            return code
    raise AssertionError("no such code")


def test_a_credit_code_field_is_published_as_validate_allows(tmp_path):
    """validate lets a uscc field hold a code that reads as an identity number
    (P601 skips credit code fields); the build's guard agrees, so a registry
    validate accepts is never refused by the build for it."""
    code = _credit_code_with_an_id_structure()
    assert find_resident_id_numbers(code, TODAY) == [code]
    repo = copy_site_inputs(tmp_path)
    for path in (repo / CENTER, repo / APP):
        replace_text(path, "uscc: 91140581MA0H2X3P0P", f"uscc: {code}")
    result = run_cli("build", "--today", TODAY.isoformat(), "--sources-only", cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert code in (repo / "build" / "docs" / "data" / "centers.json").read_text(encoding="utf-8")
    # The same digits anywhere else are an identity number, and the build says so.
    replace_text(repo / CENTER, "为区域煤层气企业提供", f"证号 {code}，为区域煤层气企业提供")
    result = run_cli("build", "--today", TODAY.isoformat(), "--sources-only", cwd=repo)
    assert result.code == 1 and "P601" in result.stdout and code not in result.stdout


def test_a_real_build_with_a_far_future_today_passes_the_guard(tmp_path):
    """The sample registry publishes no personal number on any date (and the
    guard finds none of the long numbers it does publish)."""
    repo = copy_site_inputs(tmp_path)
    result = run_cli("build", "--today", "2031-06-30", "--sources-only", cwd=repo)
    assert result.code == 0, result.stdout + result.stderr
    assert (repo / "build" / "docs" / "data" / "centers.json").exists()


def test_redaction_in_every_rule_message(mini):
    """Rule.finding masks whatever a message echoes: here a schema error quoting the value."""
    replace_text(mini.application, "id: 2024-zezhou-001", f"id: \"{_ID_FORMS['spaces']}\"")
    result = mini.validate()
    assert result.code == 1
    schema = [f["message"] for f in result.findings if f["rule"] == "S103"]
    assert schema and masked_id(ZEZHOU_1985) in schema[0]  # the schema message quotes the value, masked
    assert ZEZHOU_1985 not in result.stdout and _ID_FORMS["spaces"] not in result.stdout


def test_the_detector_is_the_only_one():
    """One detector: no other module carries its own identity or mobile pattern."""
    scripts = Path(__file__).resolve().parents[1] / "scripts" / "ticreg"
    for path in scripts.rglob("*.py"):
        if path.name == "personal_numbers.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "stdnum.cn import ric" not in text, path
        assert "1[3-9]" not in text, path


def test_the_built_site_check_finds_nothing_in_the_sample_site(sample_site, monkeypatch):
    """The check for the folder MkDocs writes (search index included): clean on
    the real sample site, whose pages carry the theme's icons, dates and phones."""
    from ticreg.site.personal_guard import numbers_in_built_site

    monkeypatch.chdir(sample_site)
    assert numbers_in_built_site(sample_site / "site", TODAY) == []


def test_the_built_site_check_finds_a_number_in_the_search_index(sample_site, tmp_path, monkeypatch):
    from ticreg.site.personal_guard import numbers_in_built_site

    site = tmp_path / "site"
    shutil.copytree(sample_site / "site", site)
    index = site / "search" / "search_index.json"
    text = index.read_text(encoding="utf-8")
    at = text.index('"text":') + len('"text":"')
    index.write_text(text[:at] + "负责人 138\u200b3569\u200b7402 " + text[at:], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    findings = numbers_in_built_site(site, TODAY)
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at) + len("负责人 ")
    assert [(f.path, f.line, f.column, f.rule) for f in findings] == [
        ("site/search/search_index.json", line, column, "P604")
    ]
    assert MASKED_MOBILE in findings[0].message and MOBILE not in findings[0].message


def test_a_real_build_refuses_a_number_the_theme_adds_and_keeps_the_old_site(tmp_path):
    """The last check runs on what MkDocs built: mkdocs.yml's site_author is
    printed by the theme in every page's head, never passing through our sources."""
    repo = copy_site_inputs(tmp_path)
    assert run_cli("build", "--today", TODAY.isoformat(), cwd=repo).code == 0
    before = {p.relative_to(repo / "site"): p.read_bytes() for p in (repo / "site").rglob("*") if p.is_file()}
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"site_author: 值班手机 {MOBILE}\n", encoding="utf-8")
    result = run_cli("build", "--today", TODAY.isoformat(), cwd=repo)
    assert result.code == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert re.search(r"^site/index\.html:\d+:\d+: P604 ", output, re.MULTILINE), output
    assert MOBILE not in output and ".site.staging" not in output
    after = {p.relative_to(repo / "site"): p.read_bytes() for p in (repo / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not (repo / ".site.staging").exists()
