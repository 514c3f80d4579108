"""The safe loader against a corpus of hostile files (tests/fixtures/hostile/).

Every fixture is tested twice: as the application file of a throw-away
registry (the full pipeline, ``mini.check()``) and fed straight to
``loader.load_bytes``. Positions are ``line:column`` as an editor shows them:
lines are separated by LF (CRLF counts as one), columns count characters.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import EXEMPLAR_APPLICATION, TODAY, run_cli
from ticreg import loader
from ticreg.loader import MAX_FILE_BYTES, PosDict, PosList, load_bytes

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
APPLICATION = "registry/applications/zezhou/2024-zezhou-001.yml"


@dataclass(frozen=True)
class Expect:
    rule: str
    line: int
    column: int
    # What the file shows at line:column (None for files that are not UTF-8).
    token: str | None
    # True: this is the one and only finding for the file.
    only: bool = True
    # A fragment the message must contain.
    says: str | None = None


# File name -> the finding it must produce; None: a valid file, no finding at all.
CORPUS: dict[str, Expect | None] = {
    "duplicate-key.yml": Expect("L104", 14, 3, "uscc: 91140525MA0GQ7K20X", says="13:3"),
    "duplicate-key-flow.yml": Expect("L104", 38, 48, "name: 王小东", says="38:6"),
    "duplicate-key-crlf.yml": Expect("L104", 14, 3, "uscc: 91140525MA0GQ7K20X", says="13:3"),
    "billion-laughs.yml": Expect("L105", 2, 7, "&lol0", only=False, says="&lol0"),
    "yaml-merge-key.yml": Expect("L105", 24, 11, "&director", only=False, says="&director"),
    "python-object-apply.yml": Expect(
        "L106", 32, 10, "!!python/object/apply:os.system", only=False, says="python/object/apply:os.system"
    ),
    "python-name.yml": Expect("L106", 27, 10, "!!python/name:os.system", says="python/name:os.system"),
    "gbk.yml": Expect("L101", 2, 3, None, says="0xA1"),
    "gbk-after-utf8.yml": Expect("L101", 12, 11, None, says="0xC0"),
    # The byte-order mark is not a column an editor shows.
    "bom-then-gbk.yml": Expect("L101", 1, 3, None, says="0xBD"),
    "bom.yml": None,
    "tab-indent.yml": Expect("L103", 12, 1, "\tname:", says="制表符"),
    "impossible-date.yml": Expect("S104", 64, 12, "2026-02-30", says="2026-02-30"),
    "impossible-date-block.yml": Expect("S104", 49, 17, "2023-02-29", says="2023-02-29"),
    "norway-independent-legal-person.yml": Expect("S103", 14, 29, "NO", says="true 或 false"),
    "norway-full-time.yml": Expect("S103", 38, 75, "yes", says="true 或 false"),
    # name: NO, county_code: 140525 and phone: 13834561234 unquoted: all text.
    "norway-text-fields.yml": None,
    "empty.yml": Expect("L107", 1, 1, ""),
    "comments-only.yml": Expect("L107", 1, 1, "# 晋城市"),
    "top-level-list.yml": Expect("L108", 3, 1, "- id:", says="列表"),
    "top-level-scalar.yml": Expect("L108", 2, 1, "晋城市煤层气", says="单个值"),
    "lead-unit-list.yml": Expect("S103", 11, 12, "[晋城蓝焰", says="映射"),
    "two-documents.yml": Expect("L110", 72, 1, "---"),
    "complex-key.yml": Expect("L109", 32, 3, "[a, b]", only=False),
    "nul-byte.yml": Expect("L103", 6, 19, "\x00煤层气", says="NUL"),
    "control-character.yml": Expect("L115", 6, 19, "\x07煤层气", says="U+0007"),
    "unclosed-single-quote.yml": Expect("L103", 27, 10, "'正高级工程师", says="引号"),
    "unclosed-double-quote.yml": Expect("L103", 71, 59, '"晋市科发', says="引号"),
    "unclosed-bracket.yml": Expect("L103", 35, 11, "[commissioned-rd", says="括号"),
    "bad-escape.yml": Expect("L103", 27, 14, "\\q", says="转义"),
    "missing-required-field.yml": Expect("S101", 12, 3, "name: 晋城蓝焰", says="lead_unit.uscc"),
    "unknown-field.yml": Expect("S102", 14, 3, "website:", says="lead_unit.website"),
    "declaration-key-case.yml": Expect("S103", 54, 3, "Complies-With-Industrial-Policy: true"),
    "huge-integer.yml": Expect("S103", 43, 26, "99999", says="rd_equipment_value_yuan"),
    "applicant-login-markup.yml": Expect("S107", 64, 34, '"@jcst-admin <img', says="applicant_logins[1]"),
    # U+2028 is not a line break (YAML 1.2, and every editor and GitHub agree).
    "line-separator-in-comment.yml": None,
    "line-separator-in-quoted-value.yml": Expect("L104", 72, 1, "id: 2024-zezhou-001", says="3:1"),
    # Personal numbers as people hide them: by structure, separators and digit forms ignored.
    "id-zezhou-born-1985.yml": Expect("P601", 32, 10, ">-", says="1405**********1232"),
    "mobile-dotted.yml": Expect("P602", 32, 10, ">-", says="138****7402"),
    "mobile-fullwidth-zero-width.yml": Expect("P602", 32, 10, ">-", says="138****7402"),
    # Invisible characters (L115): at the character, or at the escape that writes it.
    "bidi-override-in-name.yml": Expect("L115", 6, 19, "\u202e煤层气", says="U+202E"),
    "bidi-isolate-in-comment.yml": Expect("L115", 2, 9, "\u2067单位", says="U+2067"),
    # The escaped number is not a certification number either (F816).
    "escape-in-document-number.yml": Expect("L115", 71, 64, "\\e]0;", says="U+001B", only=False),
    "noncharacter-in-research-direction.yml": Expect("L115", 31, 10, "\\uFFFE", says="U+FFFE"),
    "c1-control-in-title.yml": Expect("L115", 27, 14, "\\x9b", says="U+009B"),
    "tab-in-block-text.yml": Expect("L115", 34, 11, "\t提供", says="请改为空格"),
    # 990 levels, flow and block: the 17th level (the file's top counts as the 1st) is L116.
    "deep-nesting-flow.yml": Expect("L116", 36, 23, "[[[", says="16"),
    "deep-nesting-block.yml": Expect("L116", 37, 31, "- - -", says="16"),
    # Numbers only in plain digits (S111), and no date after today (D303).
    "money-underscores.yml": Expect("S111", 43, 26, "8_650_000", says="应写作 8650000"),
    "money-float.yml": Expect("S111", 43, 26, "8650000.0", says="应写作 8650000"),
    "area-leading-zero.yml": Expect("S111", 44, 16, "01260", says="应写作 1260"),
    "future-patent-date.yml": Expect("D303", 49, 17, "9999-12-31", says="2026-11-26"),
}

# A message is Chinese: no run of English words leaked from libyaml or Pydantic,
# and no doubled prefix.
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,']+[A-Za-z]{2,}[ ,']+[A-Za-z]{2,}")


def assert_chinese(message: str) -> None:
    assert not _ENGLISH.search(message), message
    assert "YAML 语法错误：YAML 语法错误" not in message, message
    assert re.search(r"[\u4e00-\u9fff]", message), message


def text_at(raw: bytes, line: int, column: int) -> str:
    text = raw.decode("utf-8").removeprefix("\ufeff")
    lines = text.replace("\r\n", "\n").split("\n")
    return lines[line - 1][column - 1 :]


def triples(findings) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in findings]


def test_corpus_is_complete():
    on_disk = {p.name for p in HOSTILE.iterdir()}
    assert on_disk == set(CORPUS)


@pytest.mark.parametrize("name", sorted(n for n, e in CORPUS.items() if e is not None and e.token is not None))
def test_expected_position_is_where_the_file_shows_the_problem(name):
    expect = CORPUS[name]
    assert text_at((HOSTILE / name).read_bytes(), expect.line, expect.column).startswith(expect.token)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_as_application(mini, name):
    raw = (HOSTILE / name).read_bytes()
    mini.application.write_bytes(raw)
    findings = mini.check()
    expect = CORPUS[name]
    if expect is None:
        assert findings == []
        return
    mine = [f for f in findings if f.path == APPLICATION]
    if expect.only:
        assert triples(mine) == [(expect.rule, expect.line, expect.column)]
    else:
        assert (expect.rule, expect.line, expect.column) in triples(mine)
    found = next(f for f in mine if (f.rule, f.line, f.column) == (expect.rule, expect.line, expect.column))
    assert found.severity == "error"
    if expect.says is not None:
        assert expect.says in found.message
    for f in mine:
        assert_chinese(f.message)
        assert 1 <= f.line <= raw.count(b"\n") + 1
        assert f.column >= 1


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_through_load_bytes(name):
    raw = (HOSTILE / name).read_bytes()
    result = load_bytes(raw, "f.yml")
    expect = CORPUS[name]
    if expect is None or expect.rule.startswith(("S", "P", "D")):
        # Valid YAML: the loader accepts it; only the schema or a rule may object.
        assert result.findings == []
        assert isinstance(result.data, PosDict)
        return
    assert all(f.rule.startswith("L") for f in result.findings)
    if expect.only:
        assert triples(result.findings) == [(expect.rule, expect.line, expect.column)]
    else:
        assert (expect.rule, expect.line, expect.column) in triples(result.findings)
    assert not result.ok
    for f in result.findings:
        assert f.path == "f.yml"
        assert_chinese(f.message)


# --- individual hazards ------------------------------------------------------


def test_duplicate_key_keeps_the_first_value():
    result = load_bytes((HOSTILE / "duplicate-key.yml").read_bytes(), "f.yml")
    assert result.data["lead_unit"]["uscc"] == "91140525MA0GQ7K10H"
    assert result.data["lead_unit"].key_pos["uscc"] == (13, 3)


def test_billion_laughs_is_never_expanded():
    raw = (HOSTILE / "billion-laughs.yml").read_bytes()
    started = time.perf_counter()
    result = load_bytes(raw, "f.yml")
    assert time.perf_counter() - started < 2
    # 10 anchors and 9 x 10 aliases: each reported once, none followed.
    assert [f.rule for f in result.findings] == ["L105"] * 100
    assert sum("&lol" in f.message for f in result.findings) == 10
    assert sum("*lol" in f.message for f in result.findings) == 90
    assert result.data["lol0"] == "lol"
    assert result.data["lol9"] == [None] * 10
    assert result.data["lol9"].item_pos[1] == (11, 21)


def test_billion_laughs_through_the_registry_is_fast(mini):
    mini.application.write_bytes((HOSTILE / "billion-laughs.yml").read_bytes())
    started = time.perf_counter()
    findings = [f for f in mini.check() if f.path == APPLICATION]
    assert time.perf_counter() - started < 5
    assert sum(f.rule == "L105" for f in findings) == 100


@pytest.mark.parametrize("name", ["python-object-apply.yml", "python-name.yml"])
def test_python_tags_execute_nothing_in_process(mini, monkeypatch, name):
    monkeypatch.chdir(mini.base)
    mini.application.write_bytes((HOSTILE / name).read_bytes())
    findings = mini.check()
    assert "L106" in [f.rule for f in findings if f.path == APPLICATION]
    assert not (mini.base / "ticreg-pwned.txt").exists()
    assert list(mini.base.iterdir()) == [mini.root]


def test_python_object_apply_executes_nothing_in_the_cli(mini):
    mini.application.write_bytes((HOSTILE / "python-object-apply.yml").read_bytes())
    result = mini.validate()
    assert result.code == 1
    assert ("L106", 32, 10) in [(f["rule"], f["line"], f["column"]) for f in result.findings]
    assert not (mini.base / "ticreg-pwned.txt").exists()


def test_python_tag_value_stays_plain_data():
    result = load_bytes((HOSTILE / "python-object-apply.yml").read_bytes(), "f.yml")
    assert result.data["summary"] == ["echo pwned > ticreg-pwned.txt"]
    assert type(result.data["summary"]) is PosList
    result = load_bytes((HOSTILE / "python-name.yml").read_bytes(), "f.yml")
    assert result.data["director"]["title"] is None


def test_byte_order_mark_is_accepted_and_does_not_shift_columns():
    plain = EXEMPLAR_APPLICATION.read_bytes()
    with_bom = load_bytes(b"\xef\xbb\xbf" + plain, "f.yml")
    without = load_bytes(plain, "f.yml")
    assert with_bom.findings == []
    assert with_bom.data == without.data
    assert with_bom.data.key_pos == without.data.key_pos
    assert with_bom.data.key_pos["id"] == (3, 1)


def test_bom_does_not_shift_positions_on_line_one():
    result = load_bytes(b"\xef\xbb\xbfa: 1\nb: 2\na: 3\n", "f.yml")
    assert triples(result.findings) == [("L104", 3, 1)]
    result = load_bytes(b"\xef\xbb\xbfa: 1\x00\n", "f.yml")
    assert triples(result.findings) == [("L103", 1, 5)]


def _oversized(size: int) -> bytes:
    body = EXEMPLAR_APPLICATION.read_bytes()
    padding = size - len(body) - 1
    assert padding > 2
    return body + b"#" + b"x" * (padding - 1) + b"\n"


def test_oversized_file_is_refused_before_parsing(mini):
    raw = _oversized(MAX_FILE_BYTES + 1)
    assert len(raw) == MAX_FILE_BYTES + 1
    mini.application.write_bytes(raw)
    mine = [f for f in mini.check() if f.path == APPLICATION]
    assert triples(mine) == [("L102", 1, 1)]
    assert str(MAX_FILE_BYTES + 1) in mine[0].message and str(MAX_FILE_BYTES) in mine[0].message
    result = load_bytes(raw, "f.yml")
    assert triples(result.findings) == [("L102", 1, 1)]
    assert result.data is None


def test_file_of_exactly_the_size_limit_is_read(mini):
    raw = _oversized(MAX_FILE_BYTES)
    assert len(raw) == MAX_FILE_BYTES
    mini.application.write_bytes(raw)
    assert mini.check() == []


def test_huge_file_is_refused_fast():
    raw = b"a: [" + b"x, " * (20 * 1024 * 1024 // 3) + b"]\n"
    started = time.perf_counter()
    result = load_bytes(raw, "f.yml")
    assert time.perf_counter() - started < 1
    assert triples(result.findings) == [("L102", 1, 1)]


def test_deep_nesting_is_a_finding_not_a_crash(mini):
    depth = 5000
    raw = EXEMPLAR_APPLICATION.read_bytes().replace(
        b"services: [commissioned-rd, inspection-testing, training]",
        b"services: " + b"[" * depth + b"]" * depth,
    )
    result = load_bytes(raw, "f.yml")
    assert [(f.rule, f.line) for f in result.findings] == [("L116", 35)]
    assert_chinese(result.findings[0].message)
    mini.application.write_bytes(raw)
    assert [(f.rule, f.line) for f in mini.check() if f.path == APPLICATION] == [("L116", 35)]


def test_tab_message_names_the_tab_character():
    result = load_bytes(b"lead_unit:\n  name: x\n\tuscc: y\n", "f.yml")
    assert triples(result.findings) == [("L103", 3, 1)]
    assert "制表符" in result.findings[0].message


def test_tab_as_a_separator_after_a_key_is_valid_yaml():
    result = load_bytes(b"name:\tx\n", "f.yml")
    assert result.findings == []
    assert result.data == {"name": "x"}


# --- the Norway problem: the loader keeps the text as written ----------------


def test_loader_keeps_every_scalar_as_written():
    raw = (
        "name: NO\n"
        "short: n\n"
        "flag: yes\n"
        "switch: off\n"
        "uscc: 01234\n"
        "ratio: 1:20\n"
        "octal: 0o17\n"
        "hex: 0x1F\n"
        "float: 1e3\n"
        "date: 2024-03-11\n"
        "infinite: .inf\n"
        "tilde: ~\n"
        "null_word: null\n"
        "quoted_null: 'null'\n"
        'quoted_empty: ""\n'
        "empty:\n"
        "chinese: 否\n"
    ).encode("utf-8")
    result = load_bytes(raw, "f.yml")
    assert result.findings == []
    assert dict(result.data) == {
        "name": "NO",
        "short": "n",
        "flag": "yes",
        "switch": "off",
        "uscc": "01234",
        "ratio": "1:20",
        "octal": "0o17",
        "hex": "0x1F",
        "float": "1e3",
        "date": "2024-03-11",
        "infinite": ".inf",
        "tilde": None,
        "null_word": None,
        "quoted_null": "null",
        "quoted_empty": "",
        "empty": None,
        "chinese": "否",
    }
    assert all(type(v) in (str, type(None)) for v in result.data.values())


def test_keys_are_text_as_written():
    result = load_bytes(b"1: a\nNO: b\ntrue: c\n", "f.yml")
    assert result.findings == []
    assert list(result.data) == ["1", "NO", "true"]


def test_text_field_named_no_is_accepted(mini):
    # The lead unit's name, in the application and in its center file (they must agree: F808).
    for path in (mini.application, mini.center):
        raw = path.read_text(encoding="utf-8")
        assert raw.count("  name: 晋城蓝焰煤层气工程研究有限公司\n") == 1
        path.write_text(raw.replace("  name: 晋城蓝焰煤层气工程研究有限公司\n", "  name: NO\n"), encoding="utf-8")
    assert mini.check() == []


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "y", "是", "否", "1", "0"])
def test_only_true_or_false_is_a_boolean(mini, value):
    raw = EXEMPLAR_APPLICATION.read_text(encoding="utf-8").replace(
        "  independent_legal_person: true\n", f"  independent_legal_person: {value}\n"
    )
    mini.application.write_text(raw, encoding="utf-8")
    mine = [f for f in mini.check() if f.path == APPLICATION]
    assert triples(mine) == [("S103", 14, 29)]
    assert "true 或 false" in mine[0].message
    assert f"“{value}”" in mine[0].message


@pytest.mark.parametrize(
    ("value", "member"),
    [(v, "王晓东") for v in ("true", "True", "TRUE")] + [(v, "刘洋") for v in ("false", "False", "FALSE")],
)
def test_yaml_1_2_booleans_are_accepted_by_the_schema(mini, value, member):
    text = EXEMPLAR_APPLICATION.read_text(encoding="utf-8")
    line = next(x for x in text.split("\n") if f"name: {member}," in x)
    changed = re.sub(r"full_time: \w+,", f"full_time: {value},", line)
    assert changed != line or value in ("true", "false")
    mini.application.write_text(text.replace(line, changed), encoding="utf-8")
    assert mini.check() == []


def test_quoted_and_plain_true_are_both_text_in_the_loader():
    result = load_bytes(b"a: 'true'\nb: true\n", "f.yml")
    assert result.data == {"a": "true", "b": "true"}


# --- schema positions ----------------------------------------------------------


def test_missing_field_points_at_the_mapping_that_lacks_it(mini):
    raw = EXEMPLAR_APPLICATION.read_text(encoding="utf-8").replace("  degree: doctorate\n", "", 1)
    mini.application.write_text(raw, encoding="utf-8")
    mine = [f for f in mini.check() if f.path == APPLICATION]
    assert triples(mine) == [("S101", 25, 3)]
    assert "director.degree" in mine[0].message


def test_missing_top_level_field_points_at_the_first_key(mini):
    raw = EXEMPLAR_APPLICATION.read_text(encoding="utf-8").replace("summary: >-\n", "summery: >-\n")
    mini.application.write_text(raw, encoding="utf-8")
    mine = sorted(triples(f for f in mini.check() if f.path == APPLICATION))
    assert mine == [("S101", 3, 1), ("S102", 32, 1)]


def test_missing_field_in_a_flow_list_item(mini):
    raw = EXEMPLAR_APPLICATION.read_text(encoding="utf-8").replace(
        "{name: 张伟, title_level: intermediate, degree: bachelor, full_time: true, ",
        "{name: 张伟, title_level: intermediate, full_time: true, ",
    )
    mini.application.write_text(raw, encoding="utf-8")
    mine = [f for f in mini.check() if f.path == APPLICATION]
    assert triples(mine) == [("S101", 40, 5)]
    assert "team[3].degree" in mine[0].message


def test_unknown_field_points_at_the_key(mini):
    raw = EXEMPLAR_APPLICATION.read_text(encoding="utf-8").replace(
        "  email: tic@example.com\n", "  email: tic@example.com\n  wechat: lanyan-tic\n"
    )
    mini.application.write_text(raw, encoding="utf-8")
    mine = [f for f in mini.check() if f.path == APPLICATION]
    assert triples(mine) == [("S102", 63, 3)]
    assert "contact.wechat" in mine[0].message


def test_a_schema_error_does_not_make_references_to_the_file_unresolved(mini):
    """The center's application_id names an application file that exists;
    that the file has a schema error is reported once, in that file."""
    mini.application.write_bytes((HOSTILE / "norway-independent-legal-person.yml").read_bytes())
    findings = mini.check()
    assert triples(findings) == [("S103", 14, 29)]
    assert [f.path for f in findings] == [APPLICATION]


def test_locate_stops_at_the_deepest_existing_container():
    result = load_bytes(b"a:\n  b:\n    c: 1\nlist:\n  - x\n  - y\n", "f.yml")
    data = result.data
    assert loader.locate(data, ("a", "b", "missing")) == (3, 5)
    assert loader.locate(data, ("a", "b", "c")) == (3, 8)
    assert loader.locate(data, ("a", "b"), at_key=True) == (2, 3)
    assert loader.locate(data, ("list", 1)) == (6, 5)
    assert loader.locate(data, ("list", 7)) == (5, 3)
    assert loader.locate(data, ()) == (1, 1)


def test_load_file_reports_an_unreadable_path(tmp_path):
    missing = tmp_path / "gone.yml"
    result = loader.load_file(missing, "gone.yml")
    assert triples(result.findings) == [("L100", 1, 1)]
    assert result.data is None


def test_hostile_files_do_not_crash_the_cli(mini, tmp_path):
    for name in ("billion-laughs.yml", "gbk.yml", "nul-byte.yml", "two-documents.yml"):
        mini.application.write_bytes((HOSTILE / name).read_bytes())
        result = mini.validate()
        assert result.code == 1, name
        expect = CORPUS[name]
        assert (expect.rule, expect.line, expect.column) in [
            (f["rule"], f["line"], f["column"]) for f in result.findings if f["path"] == APPLICATION
        ]
    assert run_cli("validate", "--today", TODAY.isoformat(), cwd=mini.base).code == 1


def test_kind_written_as_a_list_is_not_reported_as_text(mini):
    raw = EXEMPLAR_APPLICATION.read_text(encoding="utf-8").replace(
        "kind: certification\n", "kind: [certification]\n"
    )
    mini.application.write_text(raw, encoding="utf-8")
    mine = [f for f in mini.check() if f.path == APPLICATION]
    assert triples(mine) == [("S103", 4, 7)]
    # The file holds a list, not the text "certification" (which would be valid).
    assert "“certification”" not in mine[0].message
    assert "（列表）" in mine[0].message
