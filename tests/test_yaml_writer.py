"""The one YAML writer (``ticreg.yaml_writer``) of `ticreg record`, `new-application` and `intake`.

Every text it writes reads back as exactly that text, both with the
registry's own loader and with a YAML 1.1 reader (PyYAML's SafeLoader): a
text that would resolve to a boolean, a null, a number or a date, or that
YAML syntax would cut short, is quoted; anything else stays plain. The
guard is tested on its own (without the writer's fall-back of quoting
everything, which would hide a gap), property-style for arbitrary text,
then through both commands that write registry files.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import yaml
from conftest import TODAY, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from intake_bodies import body, exemplar_values
from ticreg.history_append import Layout, newline_of
from ticreg.github.intake import intake
from ticreg.loader import load_bytes, without_positions
from ticreg.record import record_event
from ticreg.yaml_writer import Style, document, needs_quotes, one_line_scalar

CENTER = "coalbed-methane-development"
PROPERTY = settings(max_examples=300, deadline=None, database=None)

# YAML 1.1 reads these, written plain, as something other than this text.
TRAPS = [
    # booleans, in any case (PyYAML knows yes/Yes/YES; other YAML 1.1 readers y, n and any case)
    "yes", "Yes", "YES", "yEs", "no", "No", "on", "ON", "off", "Off", "y", "Y", "n", "N",
    "true", "True", "FALSE", "false",
    # nulls
    "~", "null", "Null", "NULL", "",
    # numbers: hexadecimal, octal, underscores, exponents, infinities, sexagesimal
    "0x1F", "0o17", "017", "1_000", "1e3", "1E-3", "+1", "-1", "3.14", ".5", ".inf", "-.Inf", ".nan", ".NaN",
    "1:30", "190:20:30", "0b101",
    # dates and timestamps
    "2026-01-01", "2026-11-26 10:00:00", "2001-12-14t21:59:43.10-05:00",
    # YAML 1.1's value and merge keys
    "=", "<<",
    # indicators at the start
    "- 项目", "-", "? 是否", ": 冒号", ",", "[1]", "]", "{a: 1}", "}", "# 注释", "&a", "*a", "!!str x", "|", ">",
    "'", '"', "%YAML", "@someone", "`cmd`",
    # a key or a comment inside, a key at the end
    "a: b", "是否整改: 否", "见附件 #2", "结尾:",
    # spaces at either end
    " 前导空格", "末尾空格 ", "  ",
]
# Texts that stay plain: the same letters without the trap.
PLAIN = [
    "yess", "noon", "ontology", "offset", "nully", "0x", "1a", "2026-zezhou-001", "晋市科发〔2026〕70号",
    "a:b", "a#b", "C#", "100%", "见 2026-01-01 文件", "收到书面异议一件", "yes 是", "e3",
]
# Characters the registry's loader refuses in any value (L115: tab, CR, invisible and control
# characters, line separators) are refused before the writer is reached; all others may come.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Co", "Cn", "Zl", "Zp")),
        st.sampled_from("\n -?:,[]{}#&*!|>'\"%@`~=<.0123456789eExXoO_+yYnN"),
    ),
    max_size=40,
)


def written(value: str, *, flow: bool) -> str:
    """``value`` written as the note of a history item (flow or block) with quote_all off."""
    text = "history:\n  - {date: 2026-11-20, event: evaluated}\n" if flow else "history:\n  - date: 2026-11-20\n"
    layout = Layout(text, "t.yml")
    item = layout.item_lines({"date": dt.date(2026, 11, 21), "event": "evaluated", "note": value},
                             newline_of(text), quote_all=False)
    return text + "".join(item)


def read_back(text: str) -> tuple[object, object]:
    """(what PyYAML's SafeLoader reads, what the registry's loader reads)."""
    ours = load_bytes(text.encode("utf-8"), "t.yml")
    assert ours.ok, (text, ours.findings)
    return yaml.safe_load(text), without_positions(ours.data)


def assert_reads_back(text: str, path: tuple, value: str) -> None:
    for data in read_back(text):
        for key in path:
            data = data[key]
        assert data == value, text


# ---------------------------------------------------------------------------
# The guard, property-style and on the YAML 1.1 traps
# ---------------------------------------------------------------------------


@PROPERTY
@given(TEXT)
def test_any_text_in_a_document_reads_back_as_itself(value):
    text = document({"summary": value, "research_directions": [value]}, Style(), [], quote_all=False)
    assert_reads_back(text, ("summary",), value)
    assert_reads_back(text, ("research_directions", 0), value)


@PROPERTY
@given(TEXT, st.booleans())
def test_any_text_in_a_history_item_reads_back_as_itself(value, flow):
    assert_reads_back(written(value, flow=flow), ("history", 1, "note"), value)


@PROPERTY
@given(TEXT)
def test_any_text_in_a_one_line_mapping_of_a_document_reads_back_as_itself(value):
    text = document({"team": [{"name": value}]}, Style(flow_items=frozenset({"team"})), [], quote_all=False)
    assert "{" in text.splitlines()[1]
    assert_reads_back(text, ("team", 0, "name"), value)


@pytest.mark.parametrize("value", TRAPS)
def test_yaml11_traps_are_quoted(value):
    assert needs_quotes(value)
    text = document({"note": value}, Style(), [], quote_all=False)
    assert text == f'note: "{value}"\n' or text.startswith("note: \"") and "\\" in text
    assert_reads_back(text, ("note",), value)
    for flow in (True, False):
        assert_reads_back(written(value, flow=flow), ("history", 1, "note"), value)


@pytest.mark.parametrize("value", PLAIN)
def test_text_without_a_trap_stays_plain(value):
    assert not needs_quotes(value)
    assert document({"note": value}, Style(), [], quote_all=False) == f"note: {value}\n"
    assert written(value, flow=False).endswith(f"    note: {value}\n")
    assert_reads_back(written(value, flow=False), ("history", 1, "note"), value)


@pytest.mark.parametrize(("value", "flow_quoted"), [("a:b", True), ("a,b", True), ("[x", True), ("a#b", True),
                                                    ("a-b", False), ("项目（一期）", False)])
def test_flow_mappings_quote_what_yaml11_parsers_reject_there(value, flow_quoted):
    """PyYAML rejects ":" in flow plain text (a notice_url); ",[]{}" end a flow scalar."""
    assert needs_quotes(value, in_flow=True) is flow_quoted
    line = written(value, flow=True).splitlines()[-1]
    assert (f'note: "{value}"' in line) is flow_quoted
    assert_reads_back(written(value, flow=True), ("history", 1, "note"), value)


def test_codes_are_quoted_only_by_the_guard_and_county_codes_always():
    style = Style(codes=frozenset({"center_id"}), quoted=frozenset({"county_code"}))
    text = document({"center_id": "new-materials", "county_code": "140525", "note": "x"}, style, [], quote_all=True)
    assert text == 'center_id: new-materials\ncounty_code: "140525"\nnote: "x"\n'
    assert document({"center_id": "no"}, style, [], quote_all=True) == 'center_id: "no"\n'


def test_a_multi_line_text_is_a_literal_block_except_in_a_one_line_mapping():
    value = "第一行\n第二行"
    assert document({"summary": value}, Style(), [], quote_all=False) == "summary: |-\n  第一行\n  第二行\n"
    assert '"第一行\\n第二行"' in written(value, flow=True)


def test_a_one_line_scalar_for_a_rename_is_guarded_and_refuses_more_lines():
    assert one_line_scalar("晋城市煤层气技术创新中心") == "晋城市煤层气技术创新中心"
    assert one_line_scalar("yes") == '"yes"'
    with pytest.raises(ValueError):
        one_line_scalar("两\n行")


# ---------------------------------------------------------------------------
# Through both commands: `record --note yes` and an intake answer "yes" read back as "yes"
# ---------------------------------------------------------------------------


def test_record_note_yes_on_the_command_line_reads_back_as_the_text_yes(mini):
    result = run_cli("record", "--today", TODAY.isoformat(), "evaluated", CENTER, "--date", "2026-11-20",
                     "--outcome", "retain", "--evaluator", "示例评估咨询有限公司", "--note", "yes", cwd=mini.base)
    assert result.code == 0, result.stderr
    text = mini.center.read_text(encoding="utf-8")
    assert text.endswith('  - {date: 2026-11-20, event: evaluated, outcome: retain, evaluator: 示例评估咨询有限公司, note: "yes"}\n')
    assert_reads_back(text, ("history", -1, "note"), "yes")
    assert mini.check() == []


@pytest.mark.parametrize("value", ["yes", "Off", "y", "~", "null", "0x1F", "1_000", "1e3", ".nan", "1:30",
                                   "2026-01-01", "- 项目", "是否整改: 否", " 前导空格"])
def test_record_writes_a_trap_so_that_it_reads_back(mini, value):
    record_event(mini.root, mini.base, CENTER, "evaluated",
                 {"date": dt.date(2026, 11, 20), "outcome": "retain", "evaluator": "示例评估咨询有限公司", "note": value}, today=TODAY)
    text = mini.center.read_text(encoding="utf-8")
    assert text.splitlines()[-1].endswith(f'note: "{value}"}}')
    assert_reads_back(text, ("history", -1, "note"), value)


def test_record_keeps_plain_text_plain(mini):
    record_event(mini.root, mini.base, CENTER, "evaluated",
                 {"date": dt.date(2026, 11, 20), "outcome": "retain", "evaluator": "示例评估咨询有限公司", "note": "yess"}, today=TODAY)
    assert mini.center.read_text(encoding="utf-8").endswith(", note: yess}\n")


@pytest.fixture
def reg(mini):
    from conftest import REGISTRY

    (mini.root / "staff.yml").write_bytes((REGISTRY / "staff.yml").read_bytes())
    return mini


def test_intake_answer_yes_through_the_command_line_reads_back_as_the_text_yes(reg):
    values = exemplar_values()
    values["summary"] = "yes"
    env = {**os.environ, "ISSUE_BODY": body(values)}
    result = run_cli("intake", "--today", TODAY.isoformat(), "--issue-number", "12", cwd=reg.base, env=env)
    assert result.code == 0, result.stderr
    text = (reg.root / "applications" / "zezhou" / "2026-zezhou-001.yml").read_text(encoding="utf-8")
    assert '\nsummary: "yes"\n' in text
    assert_reads_back(text, ("summary",), "yes")


@pytest.mark.parametrize("value", ["yes", "Off", "~", "0x1F", "1e3", "1:30", "2026-01-01", "是否整改: 否", "yess"])
def test_record_and_intake_write_the_same_text_the_same_way(mini, value):
    """One writer: a note through record and a summary through intake are written alike."""
    record_event(mini.root, mini.base, CENTER, "evaluated",
                 {"date": dt.date(2026, 11, 20), "outcome": "retain", "evaluator": "示例评估咨询有限公司", "note": value}, today=TODAY)
    recorded = mini.center.read_text(encoding="utf-8").splitlines()[-1]
    values = exemplar_values()
    values["summary"] = value
    accepted = intake(mini.root, body(values), today=TODAY)
    summary = next(line for line in accepted.text.splitlines() if line.startswith("summary: "))
    assert recorded.endswith(f"note: {summary.removeprefix('summary: ')}}}")
    assert_reads_back(accepted.text, ("summary",), value)
