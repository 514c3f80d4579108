"""One hand-written application in which nearly every rule fires.

tests/fixtures/rules/everything-wrong.yml replaces the exemplar application
in the `mini` registry. Its findings are pinned as a complete, sorted list of
(line, column, rule): any finding added, lost or moved fails the test.

What is in the file, and why some rules cannot fire together:

* E101 is on a co-builder (check character Q, should be P) so that E102 can
  fire on the lead unit: its code is valid but registered in 110108 (Beijing).
  On one code a bad check character suppresses E102 by design.
* E104 cannot fire together with E105 (a patent is an IP achievement), and
  C202 / D301 / D302 / H702 / X50x belong to other kinds of file or record.
* The file also has an unknown field (homepage) and an impossible date
  (granted_on: 2021-02-30). A schema error means the file has no model, and
  the engine then runs only the raw-text checks (P601, P602): so the file as
  written yields S102, S104 and P602 only. The second test removes exactly
  those two schema faults, keeping every line number, and pins the ~20 rule
  findings underneath.

The application was rejected (its history ends there), so no center was ever
certified on it: the exemplar center, which names it, is removed (F808).
"""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "rules" / "everything-wrong.yml"
APP = "registry/applications/zezhou/2024-zezhou-001.yml"

# The file as written: the schema faults, plus the raw-text check that runs regardless.
EXPECTED_AS_WRITTEN = [
    (27, 10, "P602"),  # summary: personal mobile 139****5678
    (30, 1, "S102"),  # homepage: unknown field (the key)
    (44, 17, "S104"),  # granted_on: 2021-02-30 does not exist
]

# With the two schema faults removed (same line numbers).
EXPECTED_RULES = [
    (6, 16, "N401"),  # proposed_name 晋城煤炭清洁利用研究院
    (12, 9, "E102"),  # lead_unit.uscc valid but registered in 110108
    (13, 29, "E103"),  # independent_legal_person: false
    (14, 14, "C203"),  # comprehensive led by an enterprise (warning)
    (17, 11, "E101"),  # co_builders[0].uscc check character Q, should be P
    (21, 3, "E106"),  # director: intermediate + master
    (27, 10, "P602"),  # summary: personal mobile
    (29, 27, "C201"),  # specialized_institutions: []
    (32, 3, "E107"),  # 3 qualified full-time researchers
    (32, 3, "E108"),  # 2 of 6 more than 6 months in Jincheng (6 does not count, 6.5 does)
    (38, 26, "E109"),  # 2999999 yuan
    (39, 16, "E110"),  # 499 m²
    (43, 13, "E105"),  # ZL201910234567.3, check digit should be 8
    (46, 3, "E111"),  # no-major-quality-incident missing: the declarations mapping
    (46, 36, "E111"),  # complies-with-industrial-policy: false
    (50, 3, "E112"),  # no-tax-arrears: unknown declaration (the key)
    (56, 5, "H701"),  # rejected without reason
    (56, 5, "H701"),  # rejected without stage
]


def _place(mini, text: str | None = None) -> None:
    if mini.center.exists():
        mini.center.unlink()
    if text is None:
        shutil.copy(FIXTURE, mini.application)
    else:
        mini.application.write_text(text, encoding="utf-8")


def _without_schema_faults() -> str:
    text = FIXTURE.read_text(encoding="utf-8")
    for old, new in (
        ("homepage: https://example.com/clean-coal\n", "# homepage（已删除）\n"),
        ("granted_on: 2021-02-30\n", "granted_on: 2021-02-28\n"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    assert text.count("\n") == FIXTURE.read_text(encoding="utf-8").count("\n")
    return text


def _of_this_file(findings) -> list:
    return [f for f in findings if f.path == APP]


def test_fixture_lines_are_where_the_expected_lists_say():
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    assert lines[5].startswith("proposed_name: 晋城煤炭清洁利用研究院")
    assert lines[11] == "  uscc: 91110108MA0GQ7K10W"
    assert lines[16] == "    uscc: 91140581MA0H2X3P0Q"
    assert lines[29].startswith("homepage:")
    assert lines[31].startswith("  - {name: 甲")
    assert lines[43] == "    granted_on: 2021-02-30"
    assert lines[55] == "  - {date: 2024-04-02, event: rejected}"


def test_everything_wrong_as_written(mini):
    _place(mini)
    findings = _of_this_file(mini.check())
    assert [(f.line, f.column, f.rule) for f in findings] == sorted(EXPECTED_AS_WRITTEN)
    assert all(f.message.strip() for f in findings)
    assert all(f.severity == "error" for f in findings)
    assert "13912345678" not in "".join(f.message for f in findings)


def test_everything_wrong_every_rule_underneath(mini):
    _place(mini, _without_schema_faults())
    findings = _of_this_file(mini.check())
    assert [(f.line, f.column, f.rule) for f in findings] == sorted(EXPECTED_RULES)
    assert all(f.message.strip() for f in findings)
    assert [f.rule for f in findings if f.severity == "warning"] == ["C203"]
    # nothing else in the registry is affected when the application is valid
    assert [f for f in mini.check() if f.path != APP] == []


def test_everything_wrong_messages_name_expected_and_actual(mini):
    _place(mini, _without_schema_faults())
    messages = {}
    for f in _of_this_file(mini.check()):
        messages.setdefault(f.rule, []).append(f.message)
    assert "“P”" in messages["E101"][0] and "91140581MA0H2X3P0Q" in messages["E101"][0]
    assert "110108" in messages["E102"][0] and "1405" in messages["E102"][0]
    assert "“8”" in messages["E105"][0] and "ZL201910234567.3" in messages["E105"][0]
    assert "3 名" in messages["E107"][0] and "5 名" in messages["E107"][0]
    assert "2/6" in messages["E108"][0]
    assert "2999999" in messages["E109"][0] and "3000000" in messages["E109"][0]
    assert "499" in messages["E110"][0] and "500" in messages["E110"][0]
    assert "139****5678" in messages["P602"][0] and "13912345678" not in messages["P602"][0]


def test_everything_wrong_cli_exit_code(mini):
    for text in (None, _without_schema_faults()):
        _place(mini, text)
        result = mini.validate()
        assert result.code == 1, result.stderr
        assert result.findings, result.stdout
        assert all(f["message"].strip() for f in result.findings)
        assert "13912345678" not in result.stdout
    expected = sorted(EXPECTED_RULES)
    assert [(f["line"], f["column"], f["rule"]) for f in result.findings if f["path"] == APP] == expected
