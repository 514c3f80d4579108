"""The one detector of personal numbers: resident identity numbers and mobile numbers.

``validate`` (rules P601/P602), ``intake`` (the issue body), every message a
rule shows (``Rule.finding`` redacts it) and ``ticreg build`` (the last line
of defence before publishing) all ask this module, so they agree on what a
personal number is.

Numbers are recognised by their structure, not looked up in a table of
places: an identity number's area code is where it was *issued*, and a county
renamed or created after the holder's birth still issues numbers carrying the
new code (140525 泽州县 dates from 1996, 140581 高平市 from 1993).  Checking
that the code existed in the birth year, as python-stdnum does, lets every
such number through.

Before matching, text is read the way a person reads it: spaces of any kind,
dashes of any kind, dots, brackets and invisible characters between digits
are ignored, and every Unicode decimal digit counts as the digit it stands
for.  ``138.3569.7402``, ``(138)35697402``, ``+86 138 3569 7402`` and
full-width or zero-width-salted forms are all one mobile number.

Every function is total over ``str``, reads no clock (``today`` is passed in)
and does no I/O.  Cost is linear: one compiled regular expression finds the
only places worth a closer look (at least 11 digits close together), and
nothing else of a text is touched in Python.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "PROVINCE_CODES",
    "PersonalNumber",
    "find_mobile_numbers",
    "find_personal_numbers",
    "find_resident_id_numbers",
    "mask_mobile",
    "mask_number",
    "mask_resident_id",
    "redact_personal_numbers",
    "resident_id_check_character",
]

# GB/T 2260 province-level codes: the first two digits of every identity
# number.  This is a national standard, not a policy choice, so it lives here
# rather than in policy.yml.  71/81/82/83 are Taiwan, Hong Kong and Macao:
# residence permits for their residents (港澳台居民居住证) carry 830000, 810000
# and 820000 and are identity numbers of the same structure.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)

# Every holder was born in the 1900s or 2000s (and not after today, when the
# caller knows the day); holding the year to that keeps random digit strings
# and the all-digit credit codes of enterprises (91..., whose "birth year"
# would be a division code's last two digits) out.
_EARLIEST_BIRTH_YEAR = 1900
_LATEST_BIRTH_YEAR = 2099

# ISO 7064 MOD 11-2, as GB 11643-1999 prescribes: weight of position i is
# 2**(17-i) mod 11; the check character is indexed by the sum mod 11.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"

# What a reader's eye skips between the digits of one number.  Every Unicode
# space separator (Zs) and dash punctuation (Pd) is listed; a test compares
# these lists with the Unicode database, so a new Python cannot add one
# silently.  Line breaks are not here: a number does not continue on the
# next line of a list.
SPACES = "\t \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
DASHES = (
    "-\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d"
    "\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
    "\u2212"  # MINUS SIGN (Sm), typed for a hyphen by some input methods
)
DOTS = ".\u00b7\u2024\u2027\u3002\u30fb\uff0e\uff61\uff65"
BRACKETS = "()\uff08\uff09"
# Characters that take no room at all: inside a number they are invisible.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
_SEPARATORS = SPACES + DASHES + DOTS + BRACKETS
# At most this many visible separators between two digits of one number
# ("138 - 3569 - 7402"); a wider gap is two numbers.
_MAX_GAP = 3
_X = "Xx\uff38\uff58"
_PLUS = "+\uff0b"
_DECORATION = frozenset(_SEPARATORS + INVISIBLE + _PLUS)
# Mobile (bare, 86, 0086) and identity (15, 18) lengths: nothing else is classified.
_LENGTHS = frozenset({11, 13, 15, 18})

_CLASS = re.escape(_SEPARATORS + INVISIBLE)
# A stretch of at least 11 decimal digits (any script) with only separators,
# invisible characters or an X between them: the only text worth reading
# digit by digit.  Separators and digits are disjoint, so matching is linear.
_STRETCH = re.compile(rf"\d(?:[{_CLASS}]*\d){{10}}(?:[{_CLASS}]*[\d{_X}])*")
# In the normalised stretch: one group of digits, optionally ending in X.
_GROUP = re.compile(r"[0-9]+X?|X")
_MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_NORMAL = {**{ch: "" for ch in INVISIBLE}, **{ch: " " for ch in _SEPARATORS}, **{ch: "X" for ch in _X}}


@dataclass(frozen=True)
class PersonalNumber:
    """One number found: ``kind`` is "resident_id" or "mobile"; ``number`` is
    canonical (ASCII digits, upper-case X, no prefix); ``start``/``end`` are
    its span in the text as written."""

    kind: str
    number: str
    start: int
    end: int

    @property
    def masked(self) -> str:
        return mask_number(self)


def resident_id_check_character(body: str) -> str:
    """The MOD 11-2 check character for 17 ASCII digits, or ``""`` for anything else."""
    if not isinstance(body, str) or len(body) != 17 or not body.isascii() or not body.isdigit():
        return ""
    return _ID_CHECK[sum(int(ch) * w for ch, w in zip(body, _ID_WEIGHTS)) % 11]


def _birth_date_ok(text: str, today: dt.date | None) -> bool:
    try:
        born = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return _EARLIEST_BIRTH_YEAR <= born.year <= _LATEST_BIRTH_YEAR and (today is None or born <= today)


def _area_ok(number: str) -> bool:
    # Foreigners' permanent residence identity cards (2023 edition) put a 9
    # before the province code; their number has the same date and check.
    return number[:2] in PROVINCE_CODES or number[0] == "9" and number[1:3] in PROVINCE_CODES


def _resident_id(digits: str, today: dt.date | None) -> bool:
    if len(digits) == 18:
        return (
            _area_ok(digits)
            and _birth_date_ok(digits[6:14], today)
            and resident_id_check_character(digits[:17]) == digits[17]
        )
    # First-generation cards (15 digits, no check character, born 19YY) are
    # no longer valid documents, but one still names its holder: inserting
    # "19" and a check character gives today's number.  Without a check
    # character only the area and date can be tested, which random 15-digit
    # strings pass about once in a hundred; registry text has few of those.
    return (
        len(digits) == 15
        and "X" not in digits
        and digits[:2] in PROVINCE_CODES
        and _birth_date_ok("19" + digits[6:12], today)
    )


def _mobile(digits: str) -> str:
    for prefix in ("", "86", "0086"):
        rest = digits[len(prefix):]
        if digits.startswith(prefix) and len(rest) == 11 and _MOBILE.fullmatch(rest):
            return rest
    return ""


def _classify(digits: str, today: dt.date | None) -> tuple[str, str] | None:
    if _resident_id(digits, today):
        return "resident_id", digits
    mobile = _mobile(digits) if "X" not in digits else ""
    return ("mobile", mobile) if mobile else None


def _normalise(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The stretch as ASCII digits, X and one space per separator, and where
    each of its characters came from in *text*."""
    chars: list[str] = []
    origin: list[int] = []
    for i in range(start, end):
        ch = text[i]
        value = _NORMAL.get(ch)
        if value is None:
            value = str(unicodedata.decimal(ch))
        if value:
            chars.append(value)
            origin.append(i)
    return "".join(chars), origin


def _chains(normal: str) -> list[list[re.Match]]:
    """Groups of digits, split where the gap between two is too wide to be one number."""
    chains: list[list[re.Match]] = [[]]
    for group in _GROUP.finditer(normal):
        chain = chains[-1]
        if chain and (group.start() - chain[-1].end() > _MAX_GAP or chain[-1].group().endswith("X")):
            chains.append(chain := [])
        chain.append(group)
    return chains


def _in_chain(chain: list[re.Match], today: dt.date | None):
    """(first group, last group, kind, number) of each number, left to right.

    A number starts and ends at group boundaries (so 12 digits in a row are
    never a mobile number) and the longest number from a start wins (so
    ``0086 138...`` is one number, not a prefix and a number)."""
    i = 0
    while i < len(chain):
        best = None
        digits = ""
        for j in range(i, len(chain)):
            digits += chain[j].group()
            if len(digits) > 18:
                break
            found = _classify(digits, today) if len(digits) in _LENGTHS else None
            if found:
                best = (j, *found)
            if digits.endswith("X"):
                break
        if best is None:
            i += 1
            continue
        yield i, *best
        i = best[0] + 1


def find_personal_numbers(text: str, today: dt.date | None = None) -> list[PersonalNumber]:
    """Every identity and mobile number in *text*, in order of appearance.

    ``today`` (Asia/Shanghai), when given, refuses birth dates after it; the
    answer without it is a superset, so leaving it out never hides a number.
    """
    if not isinstance(text, str) or len(text) < 11:
        return []
    found = []
    for stretch in _STRETCH.finditer(text):
        normal, origin = _normalise(text, stretch.start(), stretch.end())
        for chain in _chains(normal):
            for first, last, kind, number in _in_chain(chain, today):
                start = origin[chain[first].start()]
                end = origin[chain[last].end() - 1] + 1
                if kind == "mobile" and start and text[start - 1] in _PLUS:
                    start -= 1  # "+86 ...": the plus belongs to the number, and is masked with it
                found.append(PersonalNumber(kind, number, start, end))
    return found


def find_resident_id_numbers(text: str, today: dt.date | None = None) -> list[str]:
    """Identity numbers in *text*, canonical (ASCII, upper-case X), one per occurrence."""
    return [n.number for n in find_personal_numbers(text, today) if n.kind == "resident_id"]


def find_mobile_numbers(text: str) -> list[str]:
    """Mainland mobile numbers in *text* as bare 11-digit strings, one per occurrence."""
    return [n.number for n in find_personal_numbers(text) if n.kind == "mobile"]


def _mask_middle(value: str, keep_head: int, keep_tail: int) -> str:
    # A value too short to keep both ends would be shown whole, so it is
    # masked whole; the length is kept so the layout of a report holds.
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_resident_id(s: str) -> str:
    """``140525200001011230`` -> ``1405**********1230`` (first 4 and last 4 kept).

    Anything else of more than 8 characters is masked the same way; 8 or
    fewer characters become all asterisks, so no input is ever echoed whole.
    """
    if not isinstance(s, str):
        return ""
    return _mask_middle(s.strip(), 4, 4)


def mask_mobile(s: str) -> str:
    """``13812345678`` (or ``+86 138-1234-5678``) -> ``138****5678``.

    Input that is one mobile number and nothing else but separators and a
    ``+`` is shown in its bare 11-digit form; anything else keeps its first 3
    and last 4 characters, or becomes all asterisks when that would reveal it
    whole.
    """
    if not isinstance(s, str):
        return ""
    stripped = s.strip()
    found = find_personal_numbers(stripped)
    if len(found) == 1 and found[0].kind == "mobile":
        rest = stripped[: found[0].start] + stripped[found[0].end :]
        if all(ch in _DECORATION for ch in rest):
            return _mask_middle(found[0].number, 3, 4)
    return _mask_middle(stripped, 3, 4)


def mask_number(found: PersonalNumber) -> str:
    if found.kind == "mobile":
        return _mask_middle(found.number, 3, 4)
    return _mask_middle(found.number, 4, 4)


def redact_personal_numbers(text: str) -> str:
    """*text* with every identity and mobile number masked where it stands.

    Used on every message before it is shown, so a value echoed back by any
    rule (a schema error quoting the input, say) never reveals a number.
    """
    if not isinstance(text, str):
        return ""
    for found in reversed(find_personal_numbers(text)):
        text = text[: found.start] + found.masked + text[found.end :]
    return text
