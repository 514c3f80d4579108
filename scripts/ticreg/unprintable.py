"""Characters a registry file may not hold, and how any output shows them.

Registry text is data a reviewer reads in a diff, a terminal, a GitHub
annotation or a web page. Some characters show nothing yet change what is
shown: C0/C1 controls (ESC retitles a terminal, a CR or LF forges a
``::error`` line), bidirectional controls (text that displays in another
order than it reads, "Trojan Source") and Unicode non-characters. The loader
refuses them in every file (``REFUSED``); every output escapes them and the
other invisible line breaks (``visible``), so a value echoed in a message can
never act on the screen it is shown on.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# U+FDD0..U+FDEF and the last two code points of every plane.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)

# In registry text: every C0 control but the line feed (a multi-line value
# holds it; a tab is refused: it looks like spaces and renders differently
# everywhere), DEL, every C1 control, bidi controls and non-characters.
_INVISIBLE = f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}{_NONCHARACTERS}"
REFUSED = re.compile(f"[\t\r{_INVISIBLE}]")

# The same, fast enough to scan every file: a character class listing the 32
# non-characters beyond the first plane makes ``re`` test each of them at
# every position (about 14 times slower), so those are looked for only among
# the (rare) characters beyond the first plane.
_FIRST_PLANE_INVISIBLE = f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\ufdd0-\ufdef\ufffe\uffff"
_IN_VALUE = re.compile(f"[\t\r{_FIRST_PLANE_INVISIBLE}]")
# In a file's source: a CR ends a line (CRLF) and a tab may separate tokens or
# sit in a comment, so those two are judged in values only.
_IN_SOURCE = re.compile(f"[{_FIRST_PLANE_INVISIBLE}]")
_BEYOND_FIRST_PLANE = re.compile("[\U00010000-\U0010ffff]")


def find_refused(text: str, start: int = 0, *, in_source: bool = False) -> tuple[int, str] | None:
    """Offset and character of the first refused character from ``start``, or None.

    ``in_source``: ``text`` is a whole file, where a tab or CR is layout.
    """
    found = (_IN_SOURCE if in_source else _IN_VALUE).search(text, start)
    end = found.start() if found is not None else len(text)
    far = _BEYOND_FIRST_PLANE.search(text, start, end)
    while far is not None:
        if ord(far.group(0)) & 0xFFFE == 0xFFFE:  # U+xFFFE or U+xFFFF
            return far.start(), far.group(0)
        far = _BEYOND_FIRST_PLANE.search(text, far.end(), end)
    return (found.start(), found.group(0)) if found is not None else None

# In output, also the line breaks (a finding is one line) and lone surrogates.
_BEYOND_ASCII = f"\x7f-\x9f{_BIDI}{_NONCHARACTERS}\u2028\u2029\ufeff\ud800-\udfff"
_ESCAPED = re.compile(f"[\x00-\x1f{_BEYOND_ASCII}]")
# json.dumps escapes the C0 controls in strings; its own line feeds are layout.
_JSON_UNESCAPED = re.compile(f"[{_BEYOND_ASCII}]")

_NAMES = {
    "\x00": "空字符 NUL",
    "\x07": "响铃 BEL",
    "\x08": "退格 BS",
    "\x09": "制表符",
    "\x0b": "垂直制表符 VT",
    "\x0c": "换页符 FF",
    "\x0d": "回车符 CR",
    "\x1b": "转义符 ESC",
    "\x7f": "删除符 DEL",
    "\x85": "下一行 NEL",
    "\u061c": "阿拉伯字母标记",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u202a": "从左到右嵌入",
    "\u202b": "从右到左嵌入",
    "\u202c": "方向格式结束",
    "\u202d": "从左到右覆盖",
    "\u202e": "从右到左覆盖",
    "\u2066": "从左到右隔离",
    "\u2067": "从右到左隔离",
    "\u2068": "首字符强方向隔离",
    "\u2069": "方向隔离结束",
}


def code_point(char: str) -> str:
    """'U+202E'."""
    return f"U+{ord(char):04X}"


def describe(char: str) -> str:
    """'U+202E（从右到左覆盖）', the way a finding names a refused character."""
    if char in _NAMES:
        kind = _NAMES[char]
    elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        kind = "控制字符"
    elif REFUSED.fullmatch(char) and not ("\u061c" <= char <= "\u2069"):
        kind = "非字符"
    else:
        kind = "方向控制字符"
    return f"{code_point(char)}（{kind}）"


def remedy(char: str) -> str:
    """What to do about a refused character, for a finding."""
    return "请改为空格" if char == "\t" else "请删除它"


def _escape(match: re.Match) -> str:
    value = ord(match.group(0))
    return f"\\u{value:04x}" if value <= 0xFFFF else f"\\U{value:08x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every unprintable character written as ``\\u202e``.

    ``keep`` lists characters to leave as they are (a Markdown report keeps
    its line feeds).
    """
    if keep:
        return _ESCAPED.sub(lambda m: m.group(0) if m.group(0) in keep else _escape(m), text)
    return _ESCAPED.sub(_escape, text)


def _json_escape(match: re.Match) -> str:
    value = ord(match.group(0))
    if value <= 0xFFFF:
        return f"\\u{value:04x}"
    value -= 0x10000  # a JSON escape beyond the first plane is a surrogate pair
    return f"\\u{0xD800 + (value >> 10):04x}\\u{0xDC00 + (value & 0x3FF):04x}"


def json_safe(document: str) -> str:
    """A JSON document (from ``json.dumps``) with every unprintable character
    inside its strings written as a JSON escape: parsing it gives back the
    exact text, printing it shows nothing invisible."""
    return _JSON_UNESCAPED.sub(_json_escape, document)
