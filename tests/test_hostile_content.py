"""Hostile content inside a record: invisible characters, deep nesting, numbers and dates.

- Control, bidi-control and non-characters are refused in every text field of
  every kind of file (L115), at the character or at the escape that writes it;
  every output format shows an unprintable character as an escape.
- Nesting deeper than the loader's limit is L116 for validate, check-changes
  (a real git repository) and the preview server's rebuild; mkdocs.yml too.
- Money and areas are plain decimal numbers (S111).
- No recorded date lies after today (D303), except those future by nature.

Each case is run through the real loader and rules (``mini.check()``) or the
real command line (``run_cli``), with explicit dates.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil

import pytest

from intake_bodies import body, exemplar_values

from conftest import EXEMPLAR_APPLICATION, REGISTRY, TODAY, copy_site_inputs, run_cli
from rule_helpers import assert_each_rule_has_a_failing_case
from test_check_changes import SUBMITTED, GitRegistry
from ticreg import report
from ticreg.findings import Finding
from ticreg.loader import MAX_NESTING, load_bytes
from ticreg.github.markdown_safe import neutralise
from ticreg.catalog import RULES
from ticreg.unprintable import REFUSED, json_safe, visible

APPLICATION = "registry/applications/zezhou/2024-zezhou-001.yml"
CENTER = "registry/centers/coalbed-methane-development.yml"

# Everything a terminal, a log or a page could act on or hide.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")

# Refused characters and how a double-quoted YAML scalar writes each.
REFUSED_CHARACTERS = {
    "\x07": "\\a",  # BEL
    "\x0b": "\\v",  # VT
    "\x1b": "\\e",  # ESC
    "\x00": "\\0",
    "\r": "\\r",
    "\t": "\\t",
    "\x7f": "\\x7f",  # DEL
    "\x85": "\\N",  # NEL, a C1 control
    "\x9b": "\\x9b",  # CSI, a C1 control
    "\u061c": "\\u061C",
    "\u200e": "\\u200E",
    "\u200f": "\\u200F",
    "\u202a": "\\u202A",
    "\u202e": "\\u202E",
    "\u2066": "\\u2066",
    "\u2069": "\\u2069",
    "\ufdd0": "\\uFDD0",
    "\ufdef": "\\uFDEF",
    "\ufffe": "\\uFFFE",
    "\uffff": "\\uFFFF",
    "\U0001fffe": "\\U0001FFFE",
    "\U0010ffff": "\\U0010FFFF",
}

# Just outside each refused range, or invisible but harmless: accepted.
ACCEPTED_CHARACTERS = {
    "\u00a0": "\\u00A0",  # no-break space
    "\u200d": "\\u200D",  # zero-width joiner (emoji sequences)
    "\u2029": "\\u2029",  # paragraph separator: not a line break here (see the loader)
    "\u202f": "\\u202F",  # after the bidi embeddings
    "\u2065": "\\u2065",  # before the isolates
    "\u206a": "\\u206A",  # after them
    "\ufdcf": "\\uFDCF",  # before the non-character block
    "\ufdf0": "\\uFDF0",  # after it
    "\ufffd": "\\uFFFD",  # the replacement character
    "\U0001fffd": "\\U0001FFFD",
    "\n": "\\n",  # a line feed: multi-line text
}


def _position(text: str, needle: str) -> tuple[int, int]:
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _mine(findings, path: str, rule: str) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in findings if f.path == path and f.rule == rule]


# ---------------------------------------------------------------------------
# L115: refused in every field, written raw or as an escape, and in comments
# ---------------------------------------------------------------------------


# A text field of each kind: a document number, a research direction, a name.
FIELDS = {
    "document-number": (APPLICATION, "document_number: 晋市科发〔2024〕31号", 'document_number: "晋市科发{}〔2024〕31号"', "\\"),
    "research-direction": (CENTER, "  - 煤层气井智能排采装备", '  - "煤层气井{}智能排采装备"', "\\"),
    "name": (APPLICATION, "proposed_name: 晋城市煤层气高效开发技术创新中心", 'proposed_name: "晋城市煤层气{}高效开发技术创新中心"', "\\"),
}


@pytest.mark.parametrize("char", REFUSED_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", FIELDS)
def test_an_escaped_invisible_character_is_refused_at_its_escape(mini, field, char):
    relative, old, new, marker = FIELDS[field]
    path = mini.base / relative
    text = path.read_text(encoding="utf-8")
    edited = text.replace(old, new.format(REFUSED_CHARACTERS[char]))
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    findings = mini.check()
    where = _position(edited, REFUSED_CHARACTERS[char])
    assert _mine(findings, relative, "L115") == [where]
    found = next(f for f in findings if f.rule == "L115")
    assert f"U+{ord(char):04X}" in found.message
    assert found.severity == "error" and found.article in found.message
    assert not UNPRINTABLE.search(found.message)


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200f", "\ufdd0", "\U0002fffe", "\x9b"],
                         ids=lambda c: f"U+{ord(c):04X}")
def test_a_raw_invisible_character_is_refused_at_its_column(mini, char):
    text = mini.application.read_text(encoding="utf-8")
    edited = text.replace("proposed_name: 晋城市煤层气", f"proposed_name: 晋城市{char}煤层气")
    mini.application.write_text(edited, encoding="utf-8")
    assert _mine(mini.check(), APPLICATION, "L115") == [(6, 19)]


def test_a_bidi_override_in_a_comment_is_refused(mini):
    # A comment is what a reviewer reads in the diff: reordering it misleads.
    text = mini.center.read_text(encoding="utf-8")
    edited = text.replace("# 【示例数据】", "# 【示例\u202e数据】")
    mini.center.write_text(edited, encoding="utf-8")
    assert _mine(mini.check(), CENTER, "L115") == [(2, 6)] == [_position(edited, "\u202e")]


def test_one_finding_per_line_and_every_line_reported(mini):
    text = mini.application.read_text(encoding="utf-8")
    edited = text.replace("  name: 李建华", "  name: 李\u202e建\u202e华").replace("  - 煤层气井", "  - \u2066煤层气井")
    mini.application.write_text(edited, encoding="utf-8")
    assert _mine(mini.check(), APPLICATION, "L115") == [(25, 10), (31, 5)]


@pytest.mark.parametrize("char", ACCEPTED_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_characters_next_to_the_refused_ones_are_accepted(mini, char):
    text = mini.application.read_text(encoding="utf-8")
    edited = text.replace("  - 煤层气井智能排采装备", f'  - "煤层气井{ACCEPTED_CHARACTERS[char]}智能排采装备"')
    mini.application.write_text(edited, encoding="utf-8")
    assert [f for f in mini.check() if f.rule == "L115"] == []


def test_line_feeds_in_block_text_are_kept_and_a_tab_is_refused(mini):
    text = mini.application.read_text(encoding="utf-8")
    block = "summary: |-\n  第一段，\n\n  第二段。\n"
    start, end = text.index("summary: >-"), text.index("services:")
    mini.application.write_text(text[:start] + block + text[end:], encoding="utf-8")
    assert mini.check() == []
    mini.application.write_text(text[:start] + block.replace("第二段", "第二\t段") + text[end:], encoding="utf-8")
    findings = mini.check()
    assert _mine(findings, APPLICATION, "L115") == [(35, 5)]
    assert "请改为空格" in findings[0].message


def test_a_tab_between_tokens_is_not_a_value(mini):
    # YAML lets a tab separate a value from its colon; the value holds none.
    text = mini.application.read_text(encoding="utf-8")
    mini.application.write_text(text.replace("cluster: coalbed-methane", "cluster:\tcoalbed-methane"), encoding="utf-8")
    assert mini.check() == []


KINDS = {
    "policy": ("registry/policy.yml", None),
    "departments": ("registry/departments.yml", "    name: 晋城市科学技术局"),
    "calendar": ("registry/calendar/2026.yml", "  issuer: 国务院办公厅"),
    "application": (APPLICATION, "  title: 正高级工程师"),
    "center": (CENTER, "  title: 正高级工程师"),
    "staff": ("registry/staff.yml", None),
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_file_refuses_an_escaped_esc(mini, kind):
    relative, line = KINDS[kind]
    path = mini.base / relative
    if kind == "staff":
        shutil.copy(REGISTRY / "staff.yml", path)
    text = path.read_text(encoding="utf-8")
    if line is None:  # the first quoted value of the file
        match = re.search(r'"([^"\n]+)"', text)
        assert match, relative
        edited = text[: match.start()] + '"\\e[2J' + match.group(1) + '"' + text[match.end():]
    else:
        key, value = line.split(": ", 1)
        assert text.count(line + "\n") >= 1, line
        edited = text.replace(line + "\n", f'{key}: "\\e[2J{value}"\n', 1)
    path.write_text(edited, encoding="utf-8")
    assert _mine(mini.check(), relative, "L115") == [_position(edited, "\\e[2J")]


def test_validate_text_output_never_prints_a_raw_escape(mini):
    mini.application.write_text(
        mini.application.read_text(encoding="utf-8").replace(
            "document_number: 晋市科发〔2024〕31号", 'document_number: "\\e]0;已认定\\a\\u202e晋市科发〔2024〕31号"'
        ),
        encoding="utf-8",
    )
    for fmt in ("text", "json", "github"):
        result = run_cli("validate", "--today", TODAY.isoformat(), "--format", fmt, cwd=mini.base)
        assert result.code == 1
        assert not UNPRINTABLE.search(result.stdout + result.stderr), fmt
        assert "L115" in result.stdout


# --- every output format escapes what it echoes ------------------------------------------------

HOSTILE_NAME = "notes\x1b]0;pwned\x07\u202egnp.exe\ufffe.txt"


def test_every_output_format_escapes_a_hostile_file_name(mini, tmp_path):
    # A file name is echoed as it is (X504): git allows ESC, BEL and U+202E in one.
    mini.write(HOSTILE_NAME, "x")
    summary = tmp_path / "summary.md"
    outputs = {}
    for fmt in ("text", "json", "github"):
        result = run_cli("validate", "--today", TODAY.isoformat(), "--format", fmt, cwd=mini.base,
                         env={**_environment(), "GITHUB_STEP_SUMMARY": str(summary)})
        assert result.code == 1, fmt
        outputs[fmt] = result.stdout
        assert not UNPRINTABLE.search(result.stdout + result.stderr), (fmt, result.stdout)
    assert "notes\\u001b]0;pwned\\u0007\\u202egnp.exe\\ufffe.txt:1:1: X504" in outputs["text"]
    # JSON keeps the exact name (as JSON escapes): a program reading it gets the real path.
    findings = json.loads(outputs["json"])["findings"]
    assert any(f["path"] == f"registry/{HOSTILE_NAME}" for f in findings)
    assert "::error file=registry/notes\\u001b]0;pwned" in outputs["github"]
    markdown = summary.read_text(encoding="utf-8")
    assert "X504" in markdown and not UNPRINTABLE.search(markdown)


def _environment() -> dict:
    return {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}


def test_report_functions_escape_messages_in_every_format():
    message = "值“\x1b[31m红\x1b[0m\u202e\r\n::error::伪造”"
    findings = [Finding("registry/a\u2066.yml", 3, 5, "S103", "error", "登记册数据规范", message)]
    text = report.as_text(findings)
    assert not UNPRINTABLE.search(text) and text.count("\n") == 1
    assert "\\u001b[31m" in text and "\\u202e" in text
    github = report.as_github(findings)
    assert not UNPRINTABLE.search(github) and github.count("\n") == 1
    assert "%0D%0A::error::" in github  # the toolkit's own escapes for line breaks
    document = report.as_json(findings, 1)
    assert not UNPRINTABLE.search(document)
    assert json.loads(document)["findings"][0]["message"] == message
    assert json.loads(document)["findings"][0]["path"] == "registry/a\u2066.yml"
    markdown = report.as_markdown(findings, 1)
    assert not UNPRINTABLE.search(markdown) and "\\u202e" in markdown
    out, err = io.StringIO(), io.StringIO()
    report.emit(findings, 1, "text", out, err, None)
    assert not UNPRINTABLE.search(out.getvalue() + err.getvalue())


def test_a_rule_message_shows_an_echoed_value_escaped():
    message = RULES["S103"].finding("f.yml", (1, 1), field="name", actual="a\x1bb\u202ec\U0001fffe",
                                    expected="x").message
    assert "a\\u001bb\\u202ec\\U0001fffe" in message
    assert not UNPRINTABLE.search(message)


def test_markdown_for_a_comment_shows_invisible_characters_as_escapes():
    safe = neutralise("名称\u202e反转\x1b[2J\n第二行\t制表")
    assert "\u202e" not in safe and "\x1b" not in safe
    assert "\\\\u202e" in safe  # the escape's backslash itself escaped for Markdown
    assert "\n第二行\t制表" in safe


def test_visible_and_json_safe_are_exact_and_complete():
    every = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\x9f\u061c\u200e\u202e\u2069\ufdd0\ufffe\U0010ffff"
    assert not UNPRINTABLE.search(visible(every))
    assert visible("晋城\u00a0市\u200d") == "晋城\u00a0市\u200d"
    assert visible("a\nb", keep="\n") == "a\nb"
    document = json_safe(json.dumps({"v": every}, ensure_ascii=False, indent=2))
    assert json.loads(document) == {"v": every}
    assert not UNPRINTABLE.search(document)


def test_cli_errors_echo_arguments_escaped(mini):
    result = run_cli("validate", "--today", TODAY.isoformat(), "--registry", "no\x1b]0;x\x07where", cwd=mini.base)
    assert result.code == 2
    assert not UNPRINTABLE.search(result.stderr) and "\\u001b" in result.stderr


def test_record_refuses_an_invisible_character_naming_the_field(mini):
    before = mini.center.read_bytes()
    result = run_cli("record", "--today", TODAY.isoformat(), "evaluated", "coalbed-methane-development",
                     "--outcome", "retain", "--evaluator", "示例评估咨询有限公司", "--note", "良好\x1b]0;已撤销\x07", cwd=mini.base)
    assert result.code == 1
    assert "L115" in result.stderr and "U+001B" in result.stderr and "note" in result.stderr
    assert not UNPRINTABLE.search(result.stdout + result.stderr)
    assert mini.center.read_bytes() == before
    result = run_cli("record", "--today", TODAY.isoformat(), "evaluated", "coalbed-methane-development",
                     "--outcome", "retain", "--evaluator", "示例评估咨询有限公司", "--note", "良好", cwd=mini.base)
    assert result.code == 0, result.stderr


@pytest.mark.parametrize("char", ["\t", "\x1b", "\u202e", "\ufdd0", "\U0001fffe"], ids=lambda c: f"U+{ord(c):04X}")
def test_intake_refuses_what_the_loader_would_naming_the_form_field(mini, char):
    # Before: a tab or a non-character passed the body check and made intake exit 3.
    shutil.copy(REGISTRY / "staff.yml", mini.root / "staff.yml")
    values = exemplar_values()
    values["lead_unit_name"] = values["lead_unit_name"][:2] + char + values["lead_unit_name"][2:]
    result = run_cli("intake", "--today", TODAY.isoformat(), "--issue-number", "12", cwd=mini.base,
                     env={**os.environ, "ISSUE_BODY": body(values)})
    assert result.code == 1, result.stderr
    assert "牵头单位名称：含有不可见的控制字符" in result.stderr
    assert not (mini.root / "applications" / "zezhou" / "2026-zezhou-001.yml").exists()


def test_refused_set_matches_the_documented_ranges():
    refused = {c for c in map(chr, range(0x110000)) if REFUSED.fullmatch(c)}
    expected = set(map(chr, [*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F,
                             *range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xFDD0, 0xFDF0)]))
    expected |= {chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)}
    assert refused == expected


# ---------------------------------------------------------------------------
# L116: nesting depth
# ---------------------------------------------------------------------------


def _nested(style: str, depth: int) -> str:
    if style == "flow-list":
        return "extra: " + "[" * depth + "]" * depth + "\n"
    if style == "flow-map":
        return "extra: " + "{a: " * depth + "1" + "}" * depth + "\n"
    if style == "block-list":
        return "extra:\n" + "- " * depth + "x\n"
    lines = ["extra:"]  # block mappings, one level per line
    lines += [" " * (2 * level) + f"k{level}:" for level in range(1, depth)]
    lines.append(" " * (2 * depth) + "k: 1")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("style", ["flow-list", "flow-map", "block-list", "block-map"])
def test_nesting_up_to_the_limit_loads_and_one_more_is_l116(style):
    # The file's top mapping is level 1, "extra"'s value level 2.
    at_limit = load_bytes(_nested(style, MAX_NESTING - 1).encode(), "f.yml")
    assert [f.rule for f in at_limit.findings] == []
    over = load_bytes(_nested(style, MAX_NESTING).encode(), "f.yml")
    assert [f.rule for f in over.findings] == ["L116"]
    assert over.data is None
    assert f"第 {MAX_NESTING + 1} 层" in over.findings[0].message


@pytest.mark.parametrize("depth", [990, 100_000])
@pytest.mark.parametrize("style", ["flow-list", "flow-map", "block-list"])
def test_deep_nesting_is_l116_for_validate(mini, style, depth):
    text = EXEMPLAR_APPLICATION.read_text(encoding="utf-8") + _nested(style, depth)
    mini.application.write_text(text, encoding="utf-8")
    result = mini.validate()
    assert result.code == 1, result.stderr
    mine = [(f["rule"], f["line"]) for f in result.findings if f["path"] == APPLICATION]
    line = text.count("\n", 0, text.index("extra:")) + 1
    assert mine == [("L116", line + (1 if style == "block-list" else 0))]
    assert "RecursionError" not in result.stdout + result.stderr


@pytest.mark.parametrize("opener", ["[", "{"])
@pytest.mark.parametrize("depth", [990, 100_000])
def test_deep_nesting_is_l116_for_check_changes(tmp_path, opener, depth):
    repo = GitRegistry(tmp_path / "repo")
    closer = "]" if opener == "[" else "}"
    repo.write(SUBMITTED, repo.read(SUBMITTED) + "extra: " + opener * depth + closer * depth + "\n")
    repo.commit("deep")
    result = repo.check("--head", "HEAD")
    assert result.code == 1, (result.stdout, result.stderr)
    assert ("L116", SUBMITTED) in [(f["rule"], f["path"]) for f in result.findings]
    assert "RecursionError" not in result.stdout + result.stderr


def test_the_preview_rebuild_survives_a_deeply_nested_file(tmp_path):
    from ticreg.site.serve import rebuild

    repo = copy_site_inputs(tmp_path / "repo")
    application = repo / APPLICATION
    application.write_text(application.read_text(encoding="utf-8") + _nested("flow-list", 990), encoding="utf-8")
    out = io.StringIO()
    assert rebuild(repo, repo / "registry", "site", TODAY, out) is False
    assert "L116" in out.getvalue()


def test_a_deeply_nested_mkdocs_yml_is_a_finding_not_a_crash(tmp_path):
    repo = copy_site_inputs(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    for depth in (990, 100_000):
        config.write_text((REGISTRY.parent / "mkdocs.yml").read_text(encoding="utf-8") + _nested("flow-list", depth),
                          encoding="utf-8")
        result = run_cli("build", "--today", TODAY.isoformat(), cwd=repo)
        assert result.code == 1, result.stderr
        assert "W101" in result.stdout and "嵌套超过" in result.stdout
        assert "RecursionError" not in result.stdout + result.stderr


# ---------------------------------------------------------------------------
# S111: money and areas in plain digits
# ---------------------------------------------------------------------------

MONEY = "rd_equipment_value_yuan: 8650000"


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("8_650_000", "应写作 8650000"),
        ("8650000.0", "应写作 8650000"),
        ("8.65e6", "应写作 8650000"),
        ("0x55", "应写作 85"),
        ("0o17", "应写作 15"),
        ("+8650000", "应写作 8650000"),
        ("08650000", "应写作 8650000"),
        ('"8650000"', "应写作 8650000（整数，只用数字，不加引号）"),
        ("'8650000'", "应写作 8650000（整数，只用数字，不加引号）"),
        ('"8_650_000"', "应写作 8650000"),
    ],
)
def test_money_not_in_plain_digits_is_s111(mini, written, advice):
    text = mini.application.read_text(encoding="utf-8")
    mini.application.write_text(text.replace(MONEY, f"rd_equipment_value_yuan: {written}"), encoding="utf-8")
    findings = [f for f in mini.check() if f.path == APPLICATION]
    assert [(f.rule, f.line, f.column) for f in findings] == [("S111", 43, 26)]
    assert advice in findings[0].message and "只用数字" in findings[0].message
    assert written.strip("'\"") in findings[0].message


@pytest.mark.parametrize("written", ["true", "300万", "3,000,000", "8650000.5", "-1"])
def test_money_that_is_no_whole_number_stays_a_type_error(mini, written):
    text = mini.application.read_text(encoding="utf-8")
    mini.application.write_text(text.replace(MONEY, f"rd_equipment_value_yuan: {written}"), encoding="utf-8")
    assert [(f.rule, f.line) for f in mini.check() if f.path == APPLICATION] == [("S103", 43)]


@pytest.mark.parametrize("written", ["0", "8650000", "10000000000000"])
def test_plain_money_is_accepted(mini, written):
    text = mini.application.read_text(encoding="utf-8")
    mini.application.write_text(text.replace(MONEY, f"rd_equipment_value_yuan: {written}"), encoding="utf-8")
    assert [f.rule for f in mini.check() if f.path == APPLICATION and f.rule.startswith("S")] == []


@pytest.mark.parametrize(("written", "rule"), [("1260", None), ("1260.5", None), ("0.5", None), ("1_260", "S111"),
                                               ("01260", "S111"), ("+1260", "S111"), ("1.26e3", "S111"), (".5", "S111")])
def test_areas_are_plain_decimal_numbers(mini, written, rule):
    text = mini.application.read_text(encoding="utf-8")
    mini.application.write_text(text.replace("floor_area_m2: 1260", f"floor_area_m2: {written}"), encoding="utf-8")
    found = [(f.rule, f.line, f.column) for f in mini.check() if f.path == APPLICATION and f.rule.startswith("S")]
    assert found == ([] if rule is None else [(rule, 44, 16)])


@pytest.mark.parametrize(("written", "rule"), [("10", None), ("10.5", None), ('"10"', "S111"), ("1_0", "S111"),
                                               ("010", "S111")])
def test_months_in_a_team_row_are_plain_numbers(mini, written, rule):
    text = mini.application.read_text(encoding="utf-8")
    old = "months_in_jincheng_per_year: 10}"
    mini.application.write_text(text.replace(old, f"months_in_jincheng_per_year: {written}}}"), encoding="utf-8")
    found = [(f.rule, f.line, f.column) for f in mini.check() if f.path == APPLICATION and f.rule.startswith("S")]
    assert found == ([] if rule is None else [(rule, 37, 108)])
    if rule is not None:
        assert "team[0].months_in_jincheng_per_year" in mini.check()[0].message


def test_the_calendar_year_is_plain_digits(mini):
    calendar = mini.root / "calendar" / "2026.yml"
    calendar.write_text(calendar.read_text(encoding="utf-8").replace("year: 2026", "year: 2_026"), encoding="utf-8")
    assert _mine(mini.check(), "registry/calendar/2026.yml", "S111") == [(3, 7)]


# ---------------------------------------------------------------------------
# D303: no recorded date after today
# ---------------------------------------------------------------------------


def _set_granted_on(mini, value: str) -> None:
    text = mini.application.read_text(encoding="utf-8")
    mini.application.write_text(text.replace("granted_on: 2021-06-18", f"granted_on: {value}"), encoding="utf-8")


@pytest.mark.parametrize(("granted", "refused"), [
    ("9999-12-31", True),
    ((TODAY + dt.timedelta(days=1)).isoformat(), True),
    (TODAY.isoformat(), False),
    ((TODAY - dt.timedelta(days=1)).isoformat(), False),
])
def test_a_grant_date_after_today_is_d303(mini, granted, refused):
    _set_granted_on(mini, granted)
    findings = mini.check()
    assert _mine(findings, APPLICATION, "D303") == ([(49, 17)] if refused else [])
    if refused:
        found = next(f for f in findings if f.rule == "D303")
        assert granted in found.message and TODAY.isoformat() in found.message
        assert "ip_achievements[0].granted_on" in found.message


def test_today_is_the_validate_option(mini):
    _set_granted_on(mini, "2031-06-30")
    late = run_cli("validate", "--today", "2031-06-30", "--format", "json", cwd=mini.base)
    assert "D303" not in late.rules
    early = run_cli("validate", "--today", "2031-06-29", "--format", "json", cwd=mini.base)
    assert early.code == 1 and early.rules.count("D303") == 1


def test_a_platform_certified_after_today_is_d303(mini):
    direct = (REGISTRY / "applications").rglob("*.yml")
    source = next(p for p in direct if "kind: direct-certification" in p.read_text(encoding="utf-8"))
    text = source.read_text(encoding="utf-8")
    match = re.search(r"certified_on: (\d{4}-\d{2}-\d{2})", text)
    relative = f"applications/{source.parent.name}/{source.name}"
    edited = text.replace(match.group(0), "certified_on: 2099-01-01")
    mini.write(relative, edited)
    findings = mini.check()
    assert _mine(findings, f"registry/{relative}", "D303") == [_position(edited, "2099-01-01")]


def test_a_rectification_deadline_is_in_the_future_by_nature(mini):
    text = mini.center.read_text(encoding="utf-8")
    event = ("  - {date: 2026-11-20, event: evaluated, outcome: rectify, rectification_deadline: 2027-05-20, "
             "document_number: 晋市科发〔2026〕9号}\n")
    mini.center.write_text(text + event, encoding="utf-8")
    findings = mini.check()
    assert [f for f in findings if f.rule == "D303"] == []
    # The event's own date stays F803's: one finding, not two.
    mini.center.write_text(text + event.replace("2026-11-20", "2026-11-27"), encoding="utf-8")
    rules = [f.rule for f in mini.check() if f.path == CENTER]
    assert "F803" in rules and "D303" not in rules


def test_record_refuses_an_event_after_today_like_validate(mini):
    result = run_cli("record", "--today", TODAY.isoformat(), "evaluated", "coalbed-methane-development",
                     "--outcome", "retain", "--date", (TODAY + dt.timedelta(days=1)).isoformat(), cwd=mini.base)
    assert result.code != 0
    assert "F803" in result.stderr or "晚于" in result.stderr


FAILING_CASES = {
    "D303": ["test_a_grant_date_after_today_is_d303", "test_a_platform_certified_after_today_is_d303"],
}
COVERED_MODULES = {"ticreg.rules.claims"}


def test_every_checking_rule_of_this_part_has_a_failing_case():
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
