"""Shared helpers for the rule tests (tests/test_rules_*.py).

The three rule test files check each rule's exact path, line, column, rule
code and severity. What they need for that lives here, once:

* positions computed from the text of a file as written, never from the
  loader under test: ``key_pos``, ``value_pos``, ``item_pos``, ``text_pos``
  and ``offset_pos`` (1-based line and column);
* findings as comparable rows and the usual assertions on them: ``table``,
  ``expect_one``, ``expect_clean``;
* edits of a registry file: ``replace_text`` (one exact text replacement,
  layout and comments kept), ``make_direct`` (turn an application into a
  direct certification of a provincial platform) and ``make_pending`` (the
  exemplar as an application still under review, with no center yet);
* the meta-check that each checking rule of a part has a failing case:
  ``checking_rules`` and ``assert_each_rule_has_a_failing_case``;
* the paths and policy the tests share: ``REPO``, ``POLICY``, ``APP``,
  ``CENTER``.

This is not a test file (pytest collects only test_*.py); the test files
import from it by module name, as tests/ is on sys.path.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
POLICY = yaml.safe_load((REPO / "registry" / "policy.yml").read_text(encoding="utf-8"))

APP = "registry/applications/zezhou/2024-zezhou-001.yml"
CENTER = "registry/centers/coalbed-methane-development.yml"


# ---------------------------------------------------------------------------
# Positions from the text
# ---------------------------------------------------------------------------


def offset_pos(text: str, offset: int) -> tuple[int, int]:
    """Line and column (both 1-based) of character ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _key_match(path: Path, keys: tuple[str, ...]) -> tuple[str, int, int]:
    """Find each key in turn (block key at a line start, or a flow-mapping key),
    each search starting after the previous key; return (text, key start, after colon)."""
    text = path.read_text(encoding="utf-8")
    offset = 0
    start = end = 0
    for key in keys:
        pattern = re.compile(rf"(?:^[ ]*(?:- )*|[{{,][ ]*)({re.escape(key)}):(?=\s)", re.M)
        match = pattern.search(text, offset)
        assert match is not None, f"key {key!r} not found in {path}"
        start, end = match.start(1), match.end()
        offset = end
    return text, start, end


def _skip_blank(text: str, i: int) -> int:
    while i < len(text):
        if text[i] in " \n":
            i += 1
        elif text[i] == "#":
            i = text.index("\n", i)
        else:
            break
    return i


def key_pos(path: Path, *keys: str) -> tuple[int, int]:
    """Line and column of the last key."""
    text, start, _ = _key_match(path, keys)
    return offset_pos(text, start)


def value_pos(path: Path, *keys: str) -> tuple[int, int]:
    """Line and column where the value of the last key starts (for a block
    sequence: its first dash; for a block mapping: its first key)."""
    text, _, end = _key_match(path, keys)
    return offset_pos(text, _skip_blank(text, end))


def item_pos(path: Path, *keys: str, index: int) -> tuple[int, int]:
    """Line and column where item ``index`` of the block sequence under the keys starts."""
    text, _, end = _key_match(path, keys)
    first = _skip_blank(text, end)
    assert text[first] == "-", "not a block sequence"
    line, column = offset_pos(text, first)
    lines = text.split("\n")
    count = -1
    for number in range(line - 1, len(lines)):
        current = lines[number]
        if current[: column - 1].strip() == "" and current[column - 1 : column + 1] == "- ":
            count += 1
            if count == index:
                rest = current[column + 1 :]
                return number + 1, column + 2 + (len(rest) - len(rest.lstrip(" ")))
    raise AssertionError(f"item {index} not found")


def text_pos(path: Path, needle: str, at: str | None = None) -> tuple[int, int]:
    """Position of `at` inside the one occurrence of `needle` (default: its start)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, needle
    offset = text.index(needle) + (needle.index(at) if at else 0)
    return offset_pos(text, offset)


# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------


def table(findings) -> list[tuple]:
    return [(f.path, f.line, f.column, f.rule, f.severity) for f in findings]


def expect_one(mini, rule: str, pos: tuple[int, int], *, severity: str = "error", path: str = APP,
               this_file_only: bool = False):
    """The registry has exactly this one finding (or, with this_file_only, the
    file at `path` has exactly this one); return it for message checks."""
    findings = mini.check()
    if this_file_only:
        findings = [f for f in findings if f.path == path]
    assert table(findings) == [(path, pos[0], pos[1], rule, severity)], [
        (f.path, f.line, f.column, f.rule, f.message) for f in findings
    ]
    finding = findings[0]
    assert finding.article and finding.message
    return finding


def expect_clean(mini) -> None:
    findings = mini.check()
    assert findings == [], [(f.path, f.line, f.column, f.rule, f.message) for f in findings]


# ---------------------------------------------------------------------------
# Edits
# ---------------------------------------------------------------------------


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


PLATFORM = {
    "name": "山西省煤层气高效开发重点实验室",
    "platform_kind": "key-laboratory",
    "level": "provincial",
    "certified_by": "山西省科学技术厅",
    "document_number": "晋科发〔2022〕8号",
    "certified_on": dt.date(2022, 12, 1),
}


# The stages Art. 16's direct path skips (F801 reports them in its history).
DIRECT_PATH_SKIPS = ("site-inspected", "expert-reviewed")


def make_direct(data: dict, certified_on: dt.date = PLATFORM["certified_on"]) -> None:
    """Make the application data a direct certification of PLATFORM (certified on
    `certified_on`, by default the date in PLATFORM); its history drops the site
    inspection and expert review, which the direct path does not have."""
    data["kind"] = "direct-certification"
    data["provincial_platform"] = {**PLATFORM, "certified_on": certified_on}
    data["history"] = [event for event in data["history"] if event["event"] not in DIRECT_PATH_SKIPS]


def make_pending(mini) -> None:
    """Make the exemplar an application still under review: its history stops at
    the submission, and its center file goes (a center exists only for a certified
    application, and must agree with it: F808).

    For a test of a fault in the application itself (a bad credit code, a bad
    name): an application with it is not certified, and a certified pair would
    carry the same value into the center file, where it would be reported too.
    Text edit, layout and comments kept; either history layout (flow or block)."""
    text = mini.application.read_text(encoding="utf-8")
    head, sep, items = text.partition("\nhistory:\n")
    assert sep, mini.application
    lines = items.splitlines(keepends=True)
    dash = lines[0][: lines[0].index("- ") + 2]
    inside = " " * len(dash)

    def in_item(line: str) -> bool:
        return line.startswith(inside) or not line.strip()

    first = 1
    while first < len(lines) and in_item(lines[first]):
        first += 1
    rest = first
    while rest < len(lines) and (lines[rest].startswith(dash) or in_item(lines[rest])):
        rest += 1  # the later events: dropped; whatever follows the history is kept
    assert "submitted" in "".join(lines[:first]), lines[:first]
    mini.application.write_text(head + sep + "".join(lines[:first] + lines[rest:]), encoding="utf-8")
    mini.center.unlink()


# ---------------------------------------------------------------------------
# Every checking rule has a failing case
# ---------------------------------------------------------------------------


def checking_rules() -> dict:
    """All registered rules that have a check, by rule id."""
    from ticreg import rules
    from ticreg.catalog import RULES

    rules.load_all()
    return {rid: r for rid, r in RULES.items() if r.check is not None}


def assert_each_rule_has_a_failing_case(failing_cases: dict[str, list[str]], covered_modules: set[str],
                                        namespace: dict) -> None:
    """Each key of `failing_cases` is a checking rule of `covered_modules`, and each
    test named for a rule (looked up in `namespace`, the test module's globals())
    names that rule in its source. A module's rules may be tested in more than
    one file (a family module holds rules of several articles);
    tests/test_rules_history_personal_crossfile.py holds the union to every
    checking rule."""
    checking = {rid for rid, r in checking_rules().items() if r.check.__module__ in covered_modules}
    assert set(failing_cases) <= checking, sorted(set(failing_cases) - checking)
    for rule_id, test_names in failing_cases.items():
        for name in test_names:
            assert f'"{rule_id}"' in inspect.getsource(namespace[name]), (rule_id, name)
