"""The pull-request templates (.github/PULL_REQUEST_TEMPLATE/): one per kind of change, each
naming the events it records (from the state machine), with `ticreg` command lines that the
real parser accepts and that carry the fields each event needs; a personal-data warning; the
split between what CI checks and what a reviewer must check by hand.
"""

from __future__ import annotations

import re

import pytest
from command_lines import all_commands, problems, record_events
from conftest import REPO
from ticreg.process.machine import APPLICATION_TRANSITIONS, CENTER_TRANSITIONS
from ticreg.record import OPTION_OF_FIELD
from ticreg.rules import load_all
from ticreg.catalog import RULES
from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS

TEMPLATE_DIR = REPO / ".github" / "PULL_REQUEST_TEMPLATE"
DEFAULT_TEMPLATE = REPO / ".github" / "pull_request_template.md"

# Which steps each template is for: the design of the templates. Every name must be an
# event of the state machine, and together they must cover all of its events.
EVENTS_OF_TEMPLATE = {
    "submission.md": {"submitted"},
    "stage-decision.md": {
        "department-approved", "bureau-rechecked", "site-inspected", "expert-reviewed", "meeting-approved",
        "rejected", "withdrawn", "amended",
    },
    "certification.md": {"publicity-started", "objection-raised", "objection-dismissed", "objection-upheld", "certified"},
    "evaluation.md": {"evaluated", "revoked"},
    "change-approval.md": {"change-approved", "changed"},
}

MACHINE_EVENTS = {t.event for t in APPLICATION_TRANSITIONS + CENTER_TRANSITIONS}
REJECTION_STAGES = {t.stage for t in APPLICATION_TRANSITIONS if t.event == "rejected"}
FIELD_OF_OPTION = {option: field for field, option in OPTION_OF_FIELD.items()}


def read(name: str) -> str:
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


def mentioned_events(text: str) -> set[str]:
    """Events written as code (`certified`) or recorded by a `ticreg record` command."""
    spans = set(re.findall(r"`([a-z-]+)`", text))
    return (spans & MACHINE_EVENTS) | {event for event, _ in record_events(text)}


def test_there_is_one_template_per_kind_of_change():
    assert sorted(p.name for p in TEMPLATE_DIR.iterdir()) == sorted(EVENTS_OF_TEMPLATE)


def test_the_templates_cover_exactly_the_events_of_the_state_machine():
    named = set().union(*EVENTS_OF_TEMPLATE.values())
    assert named - MACHINE_EVENTS == set(), "模板表中有状态表没有的事件"
    assert MACHINE_EVENTS - named == set(), "状态表中有事件不属于任何模板"


@pytest.mark.parametrize("name", sorted(EVENTS_OF_TEMPLATE))
def test_each_template_names_the_events_it_is_for(name):
    missing = EVENTS_OF_TEMPLATE[name] - mentioned_events(read(name))
    assert not missing, f"{name} 没有提到事件 {sorted(missing)}"


def test_the_stage_decision_template_names_every_stage_a_rejection_can_name():
    text = read("stage-decision.md")
    missing = {stage for stage in REJECTION_STAGES if f"`{stage}`" not in text}
    assert not missing


@pytest.mark.parametrize("name", sorted(EVENTS_OF_TEMPLATE))
def test_every_command_line_exists_in_the_real_parser(name):
    commands = all_commands(read(name))
    assert commands, f"{name} 没有 ticreg 命令"
    found = [p for c in commands for p in problems(c)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", sorted(EVENTS_OF_TEMPLATE))
def test_each_template_shows_how_to_record_its_events(name):
    recorded = {event for event, _ in record_events(read(name))}
    shown = EVENTS_OF_TEMPLATE[name] - {"submitted"}  # a submission is a new file, not `ticreg record`
    assert shown <= recorded, f"{name} 没有给出 ticreg record {sorted(shown - recorded)} 的命令"


def _record_command_problems(event: str, options: list[str]) -> list[str]:
    """What H701 would refuse: a required field without its option, or an option for a
    field the event does not have. Both the application's and the center's event are tried."""
    kinds = [k for k in (APPLICATION_EVENTS.get(event), CENTER_EVENTS.get(event)) if k is not None]
    if not kinds:
        return [f"没有事件 {event}"]
    fields = {FIELD_OF_OPTION[o] for o in options if o in FIELD_OF_OPTION}
    best = None
    for kind in kinds:
        allowed = kind.required | kind.optional | {"date", "note"}
        found = [f"缺少 {OPTION_OF_FIELD[f]}（{f} 必填）" for f in sorted(kind.required - fields)]
        found += [f"{OPTION_OF_FIELD[f]} 不适用于此事件" for f in sorted(fields - allowed)]
        if best is None or len(found) < len(best):
            best = found
    return best


@pytest.mark.parametrize("name", sorted(EVENTS_OF_TEMPLATE))
def test_record_commands_carry_the_fields_their_event_needs(name):
    found = []
    for event, command in record_events(read(name)):
        words = list(command.args)
        if len(words) < 3:
            continue  # a mention such as `ticreg record changed`, not a command to run
        issues = _record_command_problems(event, command.options)
        # H702: a rectify outcome needs its deadline.
        if "--outcome" in words and words[words.index("--outcome") + 1] == "rectify" and "--deadline" not in words:
            issues.append("整改结论缺少 --deadline（H702）")
        found += [f"{command.source}：{issue}" for issue in issues]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", sorted(EVENTS_OF_TEMPLATE))
def test_each_template_warns_about_personal_data(name):
    text = read(name)
    assert "[!WARNING]" in text and "公开" in text
    assert "身份证" in text and "手机号" in text


@pytest.mark.parametrize("name", sorted(EVENTS_OF_TEMPLATE))
def test_each_template_separates_what_ci_checks_from_what_a_reviewer_must_check(name):
    text = read(name)
    sections = dict(re.findall(r"^## ([^\n]+)\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL))
    automatic = [body for heading, body in sections.items() if "自动检查" in heading]
    by_hand = [body for heading, body in sections.items() if "审核人核对" in heading]
    assert automatic and by_hand
    assert "- [ ]" not in automatic[0], "持续集成已检查的项目不是审核人要勾选的"
    assert len(re.findall(r"^- \[ \] ", by_hand[0], re.MULTILINE)) >= 3
    assert re.search(r"第[一二三四五六七八九十]+条", by_hand[0]), "人工核对项应注明依据的条款"


def rule_references(text: str) -> tuple[set[str], set[str]]:
    """Rule IDs (E109) and families (L1xx) a text names."""
    return set(re.findall(r"\b([A-Z]\d{3})\b", text)), set(re.findall(r"\b([A-Z])\dxx\b", text))


@pytest.mark.parametrize("path", sorted(TEMPLATE_DIR.iterdir()) + [DEFAULT_TEMPLATE], ids=lambda p: p.name)
def test_every_rule_a_template_names_exists(path):
    load_all()
    ids, families = rule_references(path.read_text(encoding="utf-8"))
    assert ids - set(RULES) == set()
    assert families - {rule[0] for rule in RULES} == set()


@pytest.mark.parametrize("path", sorted(TEMPLATE_DIR.iterdir()) + [DEFAULT_TEMPLATE], ids=lambda p: p.name)
def test_every_template_a_template_names_exists(path):
    named = set(re.findall(r"`([a-z][a-z-]*\.md)`", path.read_text(encoding="utf-8")))
    named |= set(re.findall(r"template=([a-z][a-z-]*\.md)", path.read_text(encoding="utf-8")))
    assert named - {p.name for p in TEMPLATE_DIR.iterdir()} == set()


def test_the_default_template_lists_every_template_and_how_to_choose_one():
    text = DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    for path in TEMPLATE_DIR.iterdir():
        assert f"`{path.name}`" in text
    assert "template=" in text and "?template=" in text
    assert "身份证" in text and "手机号" in text
