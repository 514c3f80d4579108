"""Pure checks for Chinese identifiers: credit codes and patent numbers.

Personal numbers (identity and mobile numbers) are found by
:mod:`ticreg.personal_numbers`, the one detector every command shares.

Every public function here is total over ``str``: registry files are written
by applicants and will contain anything, so a malformed value must come back
as ``None`` / ``False`` / ``""`` / ``[]`` and never as an exception that
aborts a whole validation run.  Non-``str`` arguments get the same empty
answers, because a YAML scalar that slipped through as an int should be a
finding, not a crash.

There are no clock reads and no I/O, so results depend on the argument alone
and the functions are safe to call from any layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "PATENT_KINDS",
    "USCC_ALPHABET",
    "PatentNumber",
    "parse_patent_number",
    "patent_expected_check_character",
    "uscc_division_code",
    "uscc_expected_check_character",
    "uscc_format_ok",
    "uscc_is_valid",
]

# ---------------------------------------------------------------------------
# Unified social credit code (统一社会信用代码, GB 32100-2015)
# ---------------------------------------------------------------------------

# The standard leaves out I, O, Z, S and V because they are easily mistaken
# for 1, 0, 2, 5 and U; the position in this string is the character's value.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: value for value, ch in enumerate(USCC_ALPHABET)}
# Weight of position i is 3**i mod 31 (GB 32100-2015, 5.2).
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_LENGTH = 18
_ASCII_DIGITS = frozenset("0123456789")


def _uscc_chars_ok(code: object) -> bool:
    # Lower case is deliberately a format error: the standard prints codes in
    # upper case, and silently upper-casing would let a mistyped code pass
    # review looking different from the one on the business licence.
    return (
        isinstance(code, str)
        and len(code) == _USCC_LENGTH
        and all(ch in _USCC_VALUE for ch in code)
    )


def uscc_expected_check_character(code: str) -> str | None:
    """Return the check character that the first 17 characters of *code* call for.

    ``None`` when *code* is not exactly 18 characters of :data:`USCC_ALPHABET`
    (the 18th included, so a code with an impossible check character is
    reported as malformed rather than as merely mismatching).
    """
    if not _uscc_chars_ok(code):
        return None
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(code, _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_format_ok(code: str) -> bool:
    """True when *code* has the shape of a USCC; the check character is NOT compared.

    Shape means 18 upper-case characters of :data:`USCC_ALPHABET` with an
    all-digit administrative division code in characters 3-8 (GB/T 2260
    codes are numeric).  The first two characters (registration authority and
    entity type) are only held to the alphabet: authorities such as A
    (military establishment office), N (agriculture and rural affairs, e.g.
    N2 for a village collective economic organization) and Y (others) issue
    real codes, and python-stdnum's all-digit rule rejects them.  Keeping the check
    separate lets a caller say "check character should be K" instead of a
    bare "invalid".
    """
    return _uscc_chars_ok(code) and all(ch in _ASCII_DIGITS for ch in code[2:8])


def uscc_is_valid(code: str) -> bool:
    """True when *code* is well formed and its check character matches."""
    return uscc_format_ok(code) and code[-1] == uscc_expected_check_character(code)


def uscc_division_code(code: str) -> str:
    """Characters 3-8 (the registering authority's division code), or ``""``.

    Only well-formed codes yield a value, so a non-empty answer is always six
    ASCII digits that can be looked up without further checks.
    """
    return code[2:8] if uscc_format_ok(code) else ""


# ---------------------------------------------------------------------------
# Chinese patent application / patent numbers (专利申请号 / 专利号)
# ---------------------------------------------------------------------------

# CNIPA check character: body digits weighted 2,3,...,9 from the left,
# repeating (the 12-digit form continues 2,3,4,5), sum mod 11, 10 written as
# "X".  Unlike ISBN it is the remainder itself, not 11 minus it.
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

PATENT_KINDS = {
    "1": "invention",
    "2": "utility model",
    "3": "design",
    "8": "PCT invention",
    "9": "PCT utility model",
}

# Whitespace people put between the groups ("ZL 2015 1 0958772.0"),
# including the no-break and ideographic spaces that Chinese word processors
# produce; removed before matching so grouping never changes the answer.
_PATENT_SPACES = str.maketrans("", "", " \t\u00a0\u3000")
# re.ASCII keeps \d from matching Arabic-Indic or full-width digits that
# int() would happily accept.  The prefix and the X are case-insensitive
# because people type "zl" and "x"; the result is normalised to upper case.
_PATENT_RE = re.compile(
    r"(?:ZL|CN)?(?P<body>\d{12}|\d{8})\.?(?P<check>[0-9X])",
    re.ASCII | re.IGNORECASE,
)


@dataclass(frozen=True)
class PatentNumber:
    """A parsed application number; ``ZL`` + this is the patent number once granted.

    ``body`` is the 8-digit (applications filed 1985 to September 2003) or
    12-digit (from October 2003) part before the check character; ``check``
    is the check character as written (upper case); ``kind`` is the type
    digit, a key of :data:`PATENT_KINDS` (position 5 of the 12-digit form,
    position 3 of the 8-digit form).
    """

    body: str
    check: str
    kind: str

    @property
    def year(self) -> int | None:
        """Filing year (the old form's two digits expanded to four).

        ``None`` only for an instance built by hand with a malformed body;
        :func:`parse_patent_number` never returns one.
        """
        if not patent_expected_check_character(self.body):
            return None
        if len(self.body) == 12:
            return int(self.body[:4])
        two = int(self.body[:2])
        return 1900 + two if two >= 50 else 2000 + two

    @property
    def kind_name(self) -> str:
        return PATENT_KINDS.get(self.kind, "")

    @property
    def check_ok(self) -> bool:
        return self.check == patent_expected_check_character(self.body)

    def __str__(self) -> str:
        # The form CNIPA prints: body, ".", check character.
        return f"{self.body}.{self.check}"


def patent_expected_check_character(body: str) -> str:
    """The check character for an 8- or 12-digit body, or ``""`` for anything else."""
    if not isinstance(body, str) or len(body) not in (8, 12):
        return ""
    if not all(ch in _ASCII_DIGITS for ch in body):
        return ""
    remainder = sum(int(ch) * w for ch, w in zip(body, _PATENT_WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def parse_patent_number(text: str) -> PatentNumber | None:
    """Parse ``ZL201510958772.0``, ``CN 2015 1 0958772.0``, ``95115608.X`` and the like.

    Tolerates an optional ``ZL``/``CN`` prefix, spaces anywhere and an
    optional ``.`` before the check character.  Returns ``None`` when the
    shape is wrong: not 8 or 12 digits plus a check character, a type digit
    outside :data:`PATENT_KINDS`, or a year the form was not used in (the
    12-digit form began in 2003; the 8-digit form covers 1985-2003).  A wrong
    check character is *not* a shape error: the result is returned with
    ``check_ok`` false so the caller can name the expected character.
    """
    if not isinstance(text, str):
        return None
    match = _PATENT_RE.fullmatch(text.translate(_PATENT_SPACES))
    if match is None:
        return None
    body = match["body"]
    check = match["check"].upper()
    if len(body) == 12:
        kind = body[4]
        year_ok = int(body[:4]) >= 2003
    else:
        kind = body[2]
        year_ok = body[:2] >= "85" or body[:2] <= "03"
    if kind not in PATENT_KINDS or not year_ok:
        return None
    return PatentNumber(body=body, check=check, kind=kind)
