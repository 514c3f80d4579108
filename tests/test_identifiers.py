"""Tests for ticreg.identifiers (credit codes, patent numbers) and the basics of
ticreg.personal_numbers (tests/test_personal_numbers.py has the rest).

Every identity number and mobile number below is synthetic: built from a
division code, a date and a sequence number with the check digit computed,
not taken from any person.
"""

from __future__ import annotations

import random

import pytest
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from ticreg.identifiers import (
    PATENT_KINDS,
    USCC_ALPHABET,
    PatentNumber,
    parse_patent_number,
    patent_expected_check_character,
    uscc_division_code,
    uscc_expected_check_character,
    uscc_format_ok,
    uscc_is_valid,
)
from ticreg.personal_numbers import (
    find_mobile_numbers,
    find_resident_id_numbers,
    mask_mobile,
    mask_resident_id,
)

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is an optional test extra
    st = None


# ---------------------------------------------------------------------------
# USCC
# ---------------------------------------------------------------------------

# The example in python-stdnum's own documentation.
KNOWN_USCC = "91110000600037341L"

# Letter-initial codes (authority N = agriculture and rural affairs, e.g. a
# village collective economic organization in Zezhou county; Y = others; A = military establishment
# office).  Check characters computed here; python-stdnum refuses all three.
LETTER_INITIAL_USCC = [
    "N2140525MA0K12345A",
    "Y1140500MJ1234567A",
    "A1100000MB0123456L",
]


def _random_uscc_body(rng: random.Random, first_chars: str, second_chars: str) -> str:
    head = rng.choice(first_chars) + rng.choice(second_chars)
    division = "".join(rng.choice("0123456789") for _ in range(6))
    org = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return head + division + org


def test_uscc_known_code():
    assert uscc_expected_check_character(KNOWN_USCC) == "L"
    assert uscc_format_ok(KNOWN_USCC)
    assert uscc_is_valid(KNOWN_USCC)
    assert uscc_division_code(KNOWN_USCC) == "110000"


def test_uscc_check_matches_stdnum_for_numeric_codes():
    rng = random.Random(32100)
    for _ in range(2000):
        # stdnum only accepts codes whose first 8 characters are digits.
        body = _random_uscc_body(rng, "123456789", "0123456789")
        code = body + stdnum_uscc.calc_check_digit(body)
        assert uscc_expected_check_character(code) == code[-1]
        assert uscc_is_valid(code)
        assert stdnum_uscc.is_valid(code)


def test_uscc_letter_initial_codes_accepted_where_stdnum_refuses():
    for code in LETTER_INITIAL_USCC:
        assert uscc_expected_check_character(code) == code[-1]
        assert uscc_format_ok(code)
        assert uscc_is_valid(code)
        # The very bug this module exists to avoid.
        assert not stdnum_uscc.is_valid(code)


def test_uscc_letter_initial_random_codes():
    # stdnum's arithmetic is right (only its validate() is too strict), so
    # its calc_check_digit still serves as an oracle for letter-initial codes.
    rng = random.Random(2015)
    for _ in range(500):
        body = _random_uscc_body(rng, "ANY", USCC_ALPHABET)
        expected = stdnum_uscc.calc_check_digit(body)
        code = body + expected
        assert uscc_expected_check_character(code) == expected
        assert uscc_is_valid(code)
        assert not stdnum_uscc.is_valid(code)


def test_uscc_division_code():
    assert uscc_division_code("N2140525MA0K12345A") == "140525"
    assert uscc_division_code("") == ""
    assert uscc_division_code("91110000600037341") == ""


@pytest.mark.parametrize(
    "code",
    [
        KNOWN_USCC[:17],  # 17 characters
        KNOWN_USCC + "0",  # 19 characters
        KNOWN_USCC.lower(),  # lower case is a format error
        "91110000600037341l",
        "9111000060003734IL",  # I is not in the alphabet
        "9111000060003734OL",
        "9111000060003734ZL",
        "9111000060003734SL",
        "9111000060003734VL",
        "9111000060003734 L",
        "９１１１００００６０００３７３４１Ｌ",  # full-width
        "",
    ],
)
def test_uscc_malformed(code):
    assert uscc_expected_check_character(code) is None
    assert not uscc_format_ok(code)
    assert not uscc_is_valid(code)
    assert uscc_division_code(code) == ""


def test_uscc_wrong_check_character_is_well_formed_but_invalid():
    wrong = KNOWN_USCC[:17] + "K"
    assert uscc_format_ok(wrong)
    assert not uscc_is_valid(wrong)
    assert uscc_expected_check_character(wrong) == "L"
    assert uscc_division_code(wrong) == "110000"


def test_uscc_division_code_must_be_digits():
    body = "91AB0000600037341"
    code = body + stdnum_uscc.calc_check_digit(body)
    # The check arithmetic works on any alphabet characters ...
    assert uscc_expected_check_character(code) == code[-1]
    # ... but characters 3-8 are a GB/T 2260 division code, always digits.
    assert not uscc_format_ok(code)
    assert not uscc_is_valid(code)
    assert uscc_division_code(code) == ""


def test_uscc_every_check_value_reachable():
    # Each of the 31 check characters, including letters at the end of the
    # alphabet, must round-trip; vary the last body character to hit them.
    seen = set()
    for ch in USCC_ALPHABET:
        for ch2 in USCC_ALPHABET:
            body = "9114052" + "5" + "MA0K123" + ch2 + ch
            code = body + stdnum_uscc.calc_check_digit(body)
            assert uscc_expected_check_character(code) == code[-1]
            seen.add(code[-1])
    assert seen == set(USCC_ALPHABET)


# ---------------------------------------------------------------------------
# Patent numbers
# ---------------------------------------------------------------------------

# The CNIPA check character, confirmed on real published numbers:
#   body digits x weights 2,3,4,5,6,7,8,9,2,3,4,5 (from the left), sum mod 11,
#   remainder 10 written X (the 8-digit form uses the first eight weights).
# Sources of the real numbers (found with the search tool):
#   201710601862.3   worked example on a Chinese legal FAQ page (dfrtw.com,
#                    "国家专利号中,点后面的数字是怎么计算出")
#   ZL201510958772.0 Weiboyi's SNBT invention patent ("广告精准投放方法和系统")
#   ZL200510096239.4 invention patent for a haemostatic dressing, cited on a
#                    product page
#   ZL201811564288.X invention patent listed on a university homepage
#   CN201080063196.9 PCT national-phase application (kind 8) in a public
#                    note comparing CN/US/EP/JP number formats
#   ZL95115608.X and 97101765.4  old 8-digit examples from the widely
#                    copied Baidu Baike explanation of patent numbers
REAL_PATENT_NUMBERS = [
    ("201710601862", "3"),
    ("201510958772", "0"),
    ("200510096239", "4"),
    ("201811564288", "X"),
    ("201080063196", "9"),
    ("95115608", "X"),
    ("97101765", "4"),
]


@pytest.mark.parametrize(("body", "check"), REAL_PATENT_NUMBERS)
def test_patent_check_character_on_real_numbers(body, check):
    assert patent_expected_check_character(body) == check
    parsed = parse_patent_number(f"ZL{body}.{check}")
    assert parsed == PatentNumber(body=body, check=check, kind=parsed.kind)
    assert parsed.check_ok


def test_patent_check_by_hand():
    # 201710601862: 2*2+0*3+1*4+7*5+1*6+0*7+6*8+0*9+1*2+8*3+6*4+2*5 = 157,
    # 157 mod 11 = 3.
    assert patent_expected_check_character("201710601862") == "3"
    # 95115608: 18+15+4+5+30+42+0+72 = 186, 186 mod 11 = 10 -> X.
    assert patent_expected_check_character("95115608") == "X"


@pytest.mark.parametrize(
    "text",
    [
        "ZL201510958772.0",
        "ZL 2015 1 0958772.0",
        "ZL 201510958772.0",
        "CN201510958772.0",
        "CN 2015 1 0958772.0",
        "201510958772.0",
        "2015109587720",
        "  ZL201510958772.0  ",
        "zl201510958772.0",
        "ZL\u30002015\u00a01\u00a00958772.0",
    ],
)
def test_parse_patent_number_variants(text):
    parsed = parse_patent_number(text)
    assert parsed == PatentNumber(body="201510958772", check="0", kind="1")
    assert parsed.year == 2015
    assert parsed.kind_name == "invention"
    assert parsed.check_ok
    assert str(parsed) == "201510958772.0"


def test_parse_patent_number_x_and_old_form():
    assert parse_patent_number("zl201811564288.x") == PatentNumber(
        "201811564288", "X", "1"
    )
    old = parse_patent_number("ZL95115608.X")
    assert old == PatentNumber(body="95115608", check="X", kind="1")
    assert old.year == 1995
    assert parse_patent_number("95115608X") == old
    assert parse_patent_number("ZL 95 1 15608.X") == old


def test_parse_patent_number_kinds():
    pct = parse_patent_number("CN201080063196.9")
    assert pct.kind == "8"
    assert pct.kind_name == "PCT invention"
    assert set(PATENT_KINDS) == {"1", "2", "3", "8", "9"}
    for kind in "12389":
        body = f"2020{kind}0123456"
        parsed = parse_patent_number(body + patent_expected_check_character(body))
        assert parsed is not None and parsed.kind == kind and parsed.check_ok


def test_parse_patent_number_wrong_check_still_parses():
    # A wrong check character is reported via check_ok, not as a shape error,
    # so the caller can name the expected character.
    parsed = parse_patent_number("ZL201510958772.1")
    assert parsed is not None
    assert not parsed.check_ok
    assert patent_expected_check_character(parsed.body) == "0"
    # The number from the task brief: well shaped, but its check character
    # does not satisfy the CNIPA rule (201510146528 calls for 4).
    brief = parse_patent_number("ZL201510146528.8")
    assert brief is not None and not brief.check_ok
    assert patent_expected_check_character("201510146528") == "4"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ZL",
        "201510958772",  # no check character
        "ZL20151095877.0",  # 11-digit body
        "ZL2015109587721.0",  # 13-digit body
        "ZL9511560.X",  # 7-digit body
        "ZL951156081.X",  # 9-digit body
        "ZL201540958772.0",  # kind 4 does not exist
        "ZL201500958772.0",  # kind 0 does not exist
        "ZL200210958772.0",  # 12-digit form was introduced in 2003
        "ZL05115608.X",  # 8-digit form ended in 2003
        "ZL80115608.X",  # before the 1985 patent law
        "ZL201510958772..0",
        "ZL201510958772.A",
        "US201510958772.0",
        "ZLCN201510958772.0",
        "ZL-2015-1-0958772.0",
        "２０１５１０９５８７７２.０",  # full-width digits
        "٢٠١٥١٠٩٥٨٧٧٢.٠",  # Arabic-Indic digits (str.isdigit() says yes)
        "ZL201510958772.0 extra",
    ],
)
def test_parse_patent_number_rejects_bad_shapes(text):
    assert parse_patent_number(text) is None


@pytest.mark.parametrize(
    "body",
    [
        "",
        "1234567",
        "123456789",
        "12345678901",
        "1234567890123",
        "abcdefgh",
        "١٢٣٤٥٦٧٨",
        "95115608.X",
    ],
)
def test_patent_expected_check_character_bad_body(body):
    assert patent_expected_check_character(body) == ""


def test_patent_number_year_on_hand_built_instance():
    assert PatentNumber(body="garbage", check="0", kind="1").year is None
    assert PatentNumber(body="02115608", check="0", kind="1").year == 2002


# ---------------------------------------------------------------------------
# Resident identity numbers
# ---------------------------------------------------------------------------

ID_ZEZHOU = "140525200001011230"  # Zezhou county, born 2000-01-01
ID_CHENGQU_X = "14050219900101102X"  # Jincheng Chengqu, check character X
ID_STDNUM_DOC = "360426199101010071"  # python-stdnum's documentation example


def test_synthetic_ids_are_valid():
    for number in (ID_ZEZHOU, ID_CHENGQU_X, ID_STDNUM_DOC):
        assert stdnum_ric.is_valid(number)


def test_find_resident_id_in_chinese_text():
    text = f"申请人身份证号{ID_ZEZHOU}，联系人身份证：{ID_CHENGQU_X}。"
    assert find_resident_id_numbers(text) == [ID_ZEZHOU, ID_CHENGQU_X]


def test_find_resident_id_lower_case_x_is_canonicalised():
    assert find_resident_id_numbers(ID_CHENGQU_X.lower()) == [ID_CHENGQU_X]


def test_find_resident_id_full_width():
    full = "".join(chr(ord(c) + 0xFEE0) for c in ID_CHENGQU_X)
    assert find_resident_id_numbers(f"号码{full}") == [ID_CHENGQU_X]


def test_find_resident_id_keeps_repeats():
    assert find_resident_id_numbers(f"{ID_ZEZHOU} {ID_ZEZHOU}") == [
        ID_ZEZHOU,
        ID_ZEZHOU,
    ]


@pytest.mark.parametrize(
    "text",
    [
        ID_ZEZHOU[:17],  # 17 digits
        ID_ZEZHOU + "1",  # 19 digits
        "1" + ID_ZEZHOU,  # 19 digits
        ID_ZEZHOU[:17] + "1",  # wrong check digit
        "140525200013011234",  # month 13
        "999999199001011238",  # unknown province
        "",
    ],
)
def test_find_resident_id_rejects(text):
    assert find_resident_id_numbers(text) == []


def test_mask_resident_id():
    assert mask_resident_id("140525200001011234") == "1405**********1234"
    assert mask_resident_id(ID_CHENGQU_X) == "1405**********102X"
    assert mask_resident_id(" 140525200001011234 ") == "1405**********1234"
    # Never echoed whole, whatever comes in.
    assert mask_resident_id("12345678") == "********"
    assert mask_resident_id("123456789") == "1234*6789"
    assert mask_resident_id("") == ""


# ---------------------------------------------------------------------------
# Mobile numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "手机13812345678",
        "电话：138-1234-5678。",
        "138 1234 5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "008613812345678",
        "0086 13812345678",
        "8613812345678",
        "Tel13812345678",
        "（１３８１２３４５６７８）",
    ],
)
def test_find_mobile_numbers_accepts(text):
    assert find_mobile_numbers(text) == ["13812345678"]


def test_find_mobile_numbers_all_prefixes_13_to_19():
    for second in "3456789":
        number = f"1{second}912345678"
        assert find_mobile_numbers(f"号码{number}。") == [number]


def test_find_mobile_numbers_several():
    text = "甲 13812345678，乙 +86 139-1234-5678；甲 13812345678"
    assert find_mobile_numbers(text) == ["13812345678", "13912345678", "13812345678"]


@pytest.mark.parametrize(
    "text",
    [
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "113812345678",  # embedded in a longer run
        "12812345678",  # 12x is not a mobile range
        "10812345678",
        "23812345678",
        "138-1234-56789",
        ID_ZEZHOU,  # an identity number is not a phone number
        "91140500MA0GRUPL0W",
        "",
    ],
)
def test_find_mobile_numbers_rejects(text):
    assert find_mobile_numbers(text) == []


def test_mask_mobile():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("+86 138-1234-5678") == "138****5678"
    assert mask_mobile("008613812345678") == "138****5678"
    assert mask_mobile("  138 1234 5678 ") == "138****5678"
    # Not a mobile number: still never shown whole.
    assert mask_mobile("0356-1234567") == "035*****4567"
    assert mask_mobile("1234567") == "*******"
    assert mask_mobile("") == ""


# ---------------------------------------------------------------------------
# Hostile input: nothing raises, answers keep their types
# ---------------------------------------------------------------------------

_ODD_INPUTS = [
    "",
    " ",
    "\x00",
    "\ud800",  # lone surrogate
    "\u202e" + KNOWN_USCC,  # right-to-left override
    "😀" * 18,
    "统一社会信用代码" * 3,
    "ZL" * 50_000,
    "1" * 1_000_000,
    "X" * 100_000,
    ("138-" * 100_000),
    "+86" * 100_000,
    ". " * 100_000,
    "\n".join([ID_ZEZHOU] * 2000),
    KNOWN_USCC * 1000,
    "٠١٢٣٤٥٦٧٨٩" * 5,
    "¹²³⁴⁵⁶⁷⁸⁹⁰" * 5,
]


def _call_everything(text: str) -> None:
    assert uscc_expected_check_character(text) in (None, *USCC_ALPHABET)
    assert isinstance(uscc_format_ok(text), bool)
    assert isinstance(uscc_is_valid(text), bool)
    assert isinstance(uscc_division_code(text), str)
    parsed = parse_patent_number(text)
    assert parsed is None or isinstance(parsed, PatentNumber)
    if parsed is not None:
        assert isinstance(parsed.check_ok, bool)
        assert isinstance(parsed.year, int)
    assert patent_expected_check_character(text) in ("", "X", *"0123456789")
    assert all(isinstance(x, str) for x in find_resident_id_numbers(text))
    assert all(isinstance(x, str) for x in find_mobile_numbers(text))
    masked_id = mask_resident_id(text)
    masked_mobile = mask_mobile(text)
    assert isinstance(masked_id, str) and isinstance(masked_mobile, str)


@pytest.mark.parametrize("text", _ODD_INPUTS, ids=range(len(_ODD_INPUTS)))
def test_no_function_raises_on_odd_input(text):
    _call_everything(text)


def test_no_function_raises_on_random_input():
    rng = random.Random(1405)
    pools = [
        "0123456789",
        "0123456789Xx +-.",
        USCC_ALPHABET + "IOSZVabc",
        "ZLCN0123456789. ",
        "".join(chr(c) for c in range(0x20, 0x7F)),
        "中国专利号身份证手机１２３４５６７８９０ＸＬ\u3000\u00a0",
    ]
    for _ in range(3000):
        pool = rng.choice(pools)
        text = "".join(rng.choice(pool) for _ in range(rng.randrange(0, 40)))
        _call_everything(text)


@pytest.mark.parametrize("value", [None, 0, 12345678901, b"13812345678", ["x"], 1.5])
def test_non_str_input_gets_empty_answers(value):
    # Not part of the contract, but a YAML scalar that arrives as an int
    # should become a finding, not a crash.
    assert uscc_expected_check_character(value) is None
    assert uscc_format_ok(value) is False
    assert uscc_is_valid(value) is False
    assert uscc_division_code(value) == ""
    assert parse_patent_number(value) is None
    assert patent_expected_check_character(value) == ""
    assert find_resident_id_numbers(value) == []
    assert find_mobile_numbers(value) == []
    assert mask_resident_id(value) == ""
    assert mask_mobile(value) == ""


if st is not None:

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def test_no_function_raises_hypothesis(text):
        _call_everything(text)
