"""The declarative state machine (process/machine.py), replaying histories
through it (process/replay.py), and `ticreg state-diagram`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import REPO, run_cli
from ticreg.process import machine
from ticreg.process.machine import (
    APPLICATION_STATES,
    APPLICATION_TRANSITIONS,
    CENTER_STATES,
    CENTER_TRANSITIONS,
    FINAL_APPLICATION_STATES,
    allowed_application_events,
    allowed_center_events,
    expected_stage,
)
from ticreg.process.replay import final_state, replay_application, replay_center
from ticreg_schemas.application import ApplicationEvent
from ticreg_schemas.center import CenterEvent
from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS, REVIEW_STAGES


class History:
    """Just what replay needs: a kind and a list of events."""

    def __init__(self, kind: str, *events: str | tuple):
        self.kind = kind
        self.history = [self._event(i, e) for i, e in enumerate(events)]

    @staticmethod
    def _event(i: int, spec):
        name, extra = (spec, {}) if isinstance(spec, str) else (spec[0], spec[1])
        return ApplicationEvent(date=dt.date(2024, 1, 1) + dt.timedelta(days=i), event=name, **extra)


class CenterHistory:
    def __init__(self, *events: str | tuple):
        self.history = [
            CenterEvent(date=dt.date(2024, 1, 1) + dt.timedelta(days=i),
                        event=e if isinstance(e, str) else e[0],
                        outcome=None if isinstance(e, str) else e[1])
            for i, e in enumerate(events)
        ]


def states(model) -> list[str]:
    return [step.after for step in replay_application(model)]


def reject(stage: str) -> tuple:
    return ("rejected", {"stage": stage, "reason": "不予通过"})


NORMAL = ["submitted", "department-approved", "bureau-rechecked", "site-inspected", "expert-reviewed",
          "meeting-approved", "publicity-started", "certified"]
DIRECT = ["submitted", "department-approved", "bureau-rechecked", "meeting-approved", "publicity-started",
          "certified"]
CHANGE = ["submitted", "department-approved", "change-approved"]


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def test_every_event_and_state_named_by_the_table_exists():
    for t in APPLICATION_TRANSITIONS:
        assert t.event in APPLICATION_EVENTS
        assert t.sources <= set(APPLICATION_STATES) and t.target in {*APPLICATION_STATES, "="}  # "=": amended
        assert t.stage is None or t.stage in REVIEW_STAGES
        assert t.kinds <= machine.ALL_KINDS and t.roles <= set(machine.ROLES)
    for t in CENTER_TRANSITIONS:
        assert t.event in CENTER_EVENTS
        assert t.sources <= set(CENTER_STATES) and t.target in {*CENTER_STATES, "="}


def test_final_application_states_have_no_way_out():
    for state in FINAL_APPLICATION_STATES:
        for kind in machine.ALL_KINDS:
            assert allowed_application_events(state, kind) == []
    assert allowed_center_events("revoked") == []


def test_every_application_state_is_reachable_and_every_open_one_can_end():
    reachable = {"new"}
    while True:
        more = {t.target for t in APPLICATION_TRANSITIONS if t.sources & reachable and t.target != "="} - reachable
        if not more:
            break
        reachable |= more
    assert reachable == set(APPLICATION_STATES)
    for state in set(APPLICATION_STATES) - FINAL_APPLICATION_STATES - {"new"}:
        kinds = [k for k in machine.ALL_KINDS if allowed_application_events(state, k)]
        assert kinds, state


@pytest.mark.parametrize(
    ("state", "kind", "allowed"),
    [
        ("new", "certification", ["submitted"]),
        ("submitted", "change", ["department-approved", "rejected", "withdrawn", "amended"]),
        ("department-approved", "certification", ["bureau-rechecked", "rejected", "withdrawn"]),
        ("department-approved", "change", ["change-approved", "rejected", "withdrawn"]),
        ("bureau-rechecked", "certification", ["site-inspected", "rejected", "withdrawn"]),
        ("bureau-rechecked", "direct-certification", ["meeting-approved", "rejected", "withdrawn"]),
        ("meeting-approved", "certification", ["publicity-started", "withdrawn"]),
        ("in-publicity", "direct-certification", ["objection-raised", "certified", "withdrawn"]),
        ("objection-pending", "certification", ["objection-dismissed", "objection-upheld", "withdrawn"]),
        ("objection-upheld", "certification", ["rejected"]),
    ],
)
def test_allowed_application_events(state, kind, allowed):
    assert allowed_application_events(state, kind) == allowed


@pytest.mark.parametrize(
    ("state", "kind", "stage"),
    [
        ("submitted", "certification", "department-review"),
        ("submitted", "change", "department-review"),
        ("department-approved", "certification", "bureau-recheck"),
        ("department-approved", "direct-certification", "bureau-recheck"),
        ("department-approved", "change", "change-review"),
        ("bureau-rechecked", "certification", "site-inspection"),
        ("bureau-rechecked", "direct-certification", "meeting"),
        ("site-inspected", "certification", "expert-review"),
        ("expert-reviewed", "certification", "meeting"),
        ("objection-upheld", "certification", "publicity"),
        ("objection-upheld", "direct-certification", "publicity"),
        ("meeting-approved", "certification", None),
        ("in-publicity", "certification", None),
        ("objection-pending", "certification", None),
        ("certified", "certification", None),
    ],
)
def test_expected_rejection_stage(state, kind, stage):
    assert expected_stage(state, kind) == stage


def test_allowed_center_events():
    assert allowed_center_events("new") == ["certified"]
    assert allowed_center_events("active") == [
        "evaluated（retain）", "evaluated（rectify）", "evaluated（revoke）", "changed", "revoked"]
    assert allowed_center_events("revocation-decided") == ["revoked"]


# ---------------------------------------------------------------------------
# Replay
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "events", "final"),
    [
        ("certification", NORMAL, "certified"),
        ("direct-certification", DIRECT, "certified"),
        ("change", CHANGE, "change-approved"),
        ("certification", [*NORMAL[:7], "objection-raised", "objection-dismissed", "certified"], "certified"),
        ("certification", [*NORMAL[:7], "objection-raised", "objection-upheld", reject("publicity")], "rejected"),
        ("certification", [*NORMAL[:5], reject("meeting")], "rejected"),
        ("direct-certification", [*DIRECT[:3], reject("meeting")], "rejected"),
        ("change", [*CHANGE[:2], reject("change-review")], "rejected"),
        ("certification", [*NORMAL[:7], "objection-raised", "withdrawn"], "withdrawn"),
    ],
)
def test_legal_paths_replay_to_their_end(kind, events, final):
    steps = list(replay_application(History(kind, *events)))
    assert all(step.transition is not None for step in steps), [(s.index, s.before) for s in steps]
    assert final_state(steps) == final


def test_illegal_event_is_reported_and_the_state_stays():
    model = History("direct-certification", *DIRECT[:3], "site-inspected", "meeting-approved")
    steps = list(replay_application(model))
    assert [s.transition is None for s in steps] == [False, False, False, True, False]
    assert steps[3].before == steps[3].after == "bureau-rechecked"
    assert final_state(steps) == "meeting-approved"


def test_rejection_with_the_wrong_stage_is_not_a_transition():
    steps = list(replay_application(History("certification", "submitted", reject("bureau-recheck"))))
    assert steps[1].transition is None and final_state(steps) == "submitted"


def test_center_replay():
    model = CenterHistory("certified", ("evaluated", "rectify"), "changed", ("evaluated", "retain"),
                          ("evaluated", "revoke"), "revoked")
    assert [s.after for s in replay_center(model)] == [
        "active", "rectifying", "rectifying", "active", "revocation-decided", "revoked"]
    after_revocation = CenterHistory("certified", "revoked", ("evaluated", "retain"))
    assert [s.transition is None for s in replay_center(after_revocation)] == [False, False, True]
    decided_then_changed = CenterHistory("certified", ("evaluated", "revoke"), "changed")
    assert [s.transition is None for s in replay_center(decided_then_changed)] == [False, False, True]


# ---------------------------------------------------------------------------
# `ticreg state-diagram`: Mermaid
# ---------------------------------------------------------------------------


def node(state: str) -> str:
    return "[*]" if state == "new" else state.replace("-", "_")


def edges(transitions) -> set[tuple[str, str]]:
    return {(node(s), node(s if t.target == "=" else t.target)) for t in transitions for s in t.sources}


def diagram(*args: str) -> str:
    result = run_cli("state-diagram", *args, cwd=REPO)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def drawn_edges(text: str) -> set[tuple[str, str]]:
    found = set()
    for line in text.splitlines():
        if " --> " in line:
            left, _, right = line.strip().partition(" --> ")
            found.add((left, right.split(":")[0].strip()))
    return found


@pytest.mark.parametrize(
    ("args", "transitions", "names"),
    [
        ((), APPLICATION_TRANSITIONS, APPLICATION_STATES),
        (("--of", "application"), APPLICATION_TRANSITIONS, APPLICATION_STATES),
        (("--of", "center"), CENTER_TRANSITIONS, CENTER_STATES),
    ],
    ids=["default", "application", "center"],
)
def test_state_diagram_draws_every_transition_and_state(args, transitions, names):
    text = diagram(*args)
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    wanted = edges(transitions)
    assert len(wanted) >= (5 if names is CENTER_STATES else 20)
    for source, target in sorted(wanted):
        assert any(line.strip().startswith(f"{source} --> {target}:") for line in lines), (source, target)
    # No edge the table does not have, apart from the end markers of final states.
    extra = drawn_edges(text) - wanted
    assert all(target == "[*]" for _, target in extra), extra
    for state, chinese in names.items():
        if state != "new":  # "new" is the start marker [*]
            assert f"    {node(state)}: {chinese}" in lines, state


def test_state_diagram_labels_are_chinese_event_names():
    text = diagram()
    assert "[*] --> submitted: 单位申报" in text
    assert "bureau_rechecked --> meeting_approved: " in text and "·直接认定" in text
    assert "department_approved --> change_approved: 变更获批·变更" in text
    assert "objection_upheld --> rejected: 未予通过" in text
    center = diagram("--of", "center").splitlines()
    assert any(line.startswith("    active --> active: ") and "重大事项变更" in line for line in center)
    assert any(line.startswith("    rectifying --> rectifying: ") and "重大事项变更" in line for line in center)
    assert "    revoked --> [*]" in center


def test_state_diagram_names_evaluation_outcomes_in_chinese():
    """The diagram is in Chinese (machine.mermaid's docstring): an evaluation edge names its
    outcome as 保留／整改／撤销 (Art. 14), not by the outcome's id in the YAML files."""
    from ticreg_schemas.events import EVALUATION_OUTCOMES

    center = diagram("--of", "center")
    for outcome, chinese in EVALUATION_OUTCOMES.items():
        assert f"绩效评估（{chinese}）" in center
        assert f"（{outcome}）" not in center


def test_state_diagram_marks_the_finished_states():
    text = diagram()
    finished = {left for left, right in drawn_edges(text) if right == "[*]"}
    assert finished == {node(s) for s in FINAL_APPLICATION_STATES}


def test_state_diagram_rejects_an_unknown_subject():
    result = run_cli("state-diagram", "--of", "department", cwd=REPO)
    assert result.code == 2
    assert result.stdout == ""
    assert "无效的取值" in result.stderr
