"""`ticreg deadlines`: what staff must act on as of a date, as text, JSON and iCalendar.

Real registries only: the `mini` fixture (the exemplar application and center)
and a copy of the shipped sample registry, read "as of" chosen dates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REGISTRY, MiniRegistry, run_cli
from rule_helpers import POLICY
from ticreg import deadlines as dl
from ticreg.today import shanghai_today

D = dt.date
DEVZONE = "2026-devzone-001"  # sample: publicity started 2026-11-24 (Tue), window to 11-30 (Mon)
DEVZONE_PATH = "registry/applications/devzone/2026-devzone-001.yml"
GAOPING = "2025-gaoping-001"  # sample: published 2025-10-23, objection 10-27, dismissed 11-07
EXEMPLAR = "2024-zezhou-001"  # mini: published 2024-06-06, certified 2024-06-17
CENTER = "coalbed-methane-development"  # mini: certified 2024-06-17, so cycle 1 is due 2027-06-17
CENTER_DUE = D(2027, 6, 17)
ITEM_KEYS = {"kind", "date", "record", "path", "title", "status", "days", "priority"}
CJK = re.compile(r"[\u4e00-\u9fff]")
EVALUATOR = "示例评估咨询有限公司"  # Art. 14: every evaluation names its third party (F821)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the shipped sample registry; returns the directory it sits in."""
    base = tmp_path / "sample"
    shutil.copytree(REGISTRY, base / "registry", ignore=shutil.ignore_patterns("*.md"))
    return base


def items(base: Path, as_of: dt.date) -> list[dl.Deadline]:
    """The items of the registry, less the missing calendar years (tests/test_due_dates_and_calendar.py)."""
    return [d for d in dl.collect(base / "registry", base, as_of) if d.kind != dl.CALENDAR]


def only(found: list[dl.Deadline], kind: str, record: str) -> list[dl.Deadline]:
    return [d for d in found if d.kind == kind and d.record == record]


def json_items(base: Path, as_of: str, *extra: str) -> dict:
    result = run_cli("deadlines", "--as-of", as_of, "--format", "json", *extra, cwd=base)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def append_events(mini: MiniRegistry, *events: dict) -> None:
    mini.edit(mini.center, lambda data: data["history"].extend(events))


def due_soon_days() -> int:
    return MiniRegistry.read_data(REGISTRY / "policy.yml")["evaluation"]["due_soon_days"]


# --- (1) open publicity windows ----------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status", "days"),
    [(D(2026, 11, 24), "upcoming", 6), (D(2026, 11, 26), "upcoming", 4), (D(2026, 11, 30), "due", 0)],
)
def test_open_window_is_listed_with_its_end(sample, as_of, status, days):
    [item] = only(items(sample, as_of), "publicity", DEVZONE)
    assert (item.date, item.status, item.days) == (D(2026, 11, 30), status, days)
    assert item.path == DEVZONE_PATH
    assert item.title == "晋城市轻合金压铸技术创新中心 公示期截止"


def test_no_window_before_publication(sample):
    assert only(items(sample, D(2026, 11, 23)), "publicity", DEVZONE) == []


def test_window_end_counts_working_days_across_a_holiday(mini):
    # 2024-06-10 was the Dragon Boat Festival: 6, 7, 11, 12, 13 June.
    [item] = items(mini.base, D(2024, 6, 10))
    assert (item.kind, item.record, item.date, item.days) == ("publicity", EXEMPLAR, D(2024, 6, 13), 3)


def test_pending_objection_is_named_and_goes_overdue_after_the_window(sample):
    [open_] = items(sample, D(2025, 10, 28))
    assert (open_.kind, open_.record, open_.date, open_.status) == ("publicity", GAOPING, D(2025, 10, 29), "upcoming")
    assert "2025年10月27日收到的异议待处理" in open_.title
    [late] = items(sample, D(2025, 11, 3))
    assert (late.kind, late.date, late.status, late.days) == ("publicity", D(2025, 10, 29), "overdue", -5)
    assert "异议待处理" in late.title


# --- (2) certifiable applications ----------------------------------------------------


def test_certifiable_from_the_day_after_the_window_not_before(sample):
    day_before = items(sample, D(2026, 11, 30))
    assert only(day_before, "certification", DEVZONE) == []
    [on_the_day] = only(items(sample, D(2026, 12, 1)), "certification", DEVZONE)
    assert (on_the_day.kind, on_the_day.record) == ("certification", DEVZONE)
    assert (on_the_day.date, on_the_day.status, on_the_day.days) == (D(2026, 12, 1), "due", 0)
    assert "可下达认定文件" in on_the_day.title


def test_an_undecided_certification_ages_into_overdue(sample):
    grace = POLICY["publicity"]["decision_reminder_days"]
    [still_due] = only(items(sample, D(2026, 12, 1) + dt.timedelta(days=grace)), "certification", DEVZONE)
    assert (still_due.kind, still_due.date, still_due.status, still_due.days) == (
        "certification", D(2026, 12, 1), "due", -grace,
    )
    [stale] = only(items(sample, D(2026, 12, 1) + dt.timedelta(days=grace + 1)), "certification", DEVZONE)
    assert (stale.kind, stale.date, stale.status, stale.days) == ("certification", D(2026, 12, 1), "overdue", -grace - 1)


def test_a_dismissed_objection_makes_it_certifiable_and_the_grace_starts_then(sample):
    [item] = items(sample, D(2025, 11, 7))  # dismissed that day; the window ended 10-29
    assert (item.kind, item.record, item.date, item.days, item.status) == (
        "certification", GAOPING, D(2025, 10, 30), -8, "due",
    )
    assert items(sample, D(2025, 11, 12)) == []  # certified that day


def test_a_pending_objection_blocks_certification(sample):
    assert [d.kind for d in items(sample, D(2025, 11, 6))] == ["publicity"]


# --- (3) evaluations -------------------------------------------------------------------


def test_evaluation_due_exactly_due_soon_days_ahead_is_listed_one_more_is_not(mini):
    window = due_soon_days()
    [item] = items(mini.base, CENTER_DUE - dt.timedelta(days=window))
    assert (item.kind, item.record, item.date, item.status, item.days) == (
        "evaluation", CENTER, CENTER_DUE, "upcoming", window,
    )
    assert item.path == "registry/centers/coalbed-methane-development.yml"
    assert item.title == "晋城市煤层气高效开发技术创新中心 第1个周期绩效评估到期"
    assert items(mini.base, CENTER_DUE - dt.timedelta(days=window + 1)) == []


def test_evaluation_due_and_overdue(mini):
    [due] = items(mini.base, CENTER_DUE)
    assert (due.status, due.days) == ("due", 0)
    [late] = items(mini.base, D(2028, 1, 1))
    assert (late.kind, late.date, late.status, late.days) == ("evaluation", CENTER_DUE, "overdue", -198)


def test_the_window_comes_from_policy(mini):
    mini.edit(mini.root / "policy.yml", lambda data: data["evaluation"].update(due_soon_days=30))
    assert [d.days for d in items(mini.base, CENTER_DUE - dt.timedelta(days=30))] == [30]
    assert items(mini.base, CENTER_DUE - dt.timedelta(days=31)) == []


def test_an_evaluation_starts_the_next_cycle(mini):
    append_events(mini, {"date": D(2027, 6, 1), "event": "evaluated", "evaluator": EVALUATOR, "outcome": "retain"})
    assert items(mini.base, D(2027, 6, 20)) == []
    [item] = items(mini.base, D(2030, 6, 1))
    assert (item.date, item.cycle, item.days) == (D(2030, 6, 17), 2, 16)
    assert "第2个周期" in item.title


def test_no_evaluation_for_revoked_centers_or_those_awaiting_revocation(mini):
    append_events(
        mini,
        {"date": D(2027, 6, 1), "event": "evaluated", "evaluator": EVALUATOR, "outcome": "revoke"},
        {"date": D(2027, 6, 10), "event": "revoked", "document_number": "晋市科发〔2027〕9号", "reason": "评估结论为撤销。"},
    )
    assert items(mini.base, D(2027, 6, 5)) == []  # revocation decided, document pending
    assert items(mini.base, D(2030, 6, 17)) == []  # revoked: cycle 2 never falls due
    assert [d.kind for d in items(mini.base, D(2027, 5, 31))] == ["evaluation"]  # as it stood then


def test_the_sample_registry_as_of_earlier_dates(sample):
    """Events after the as-of date are not read: the evaluation recorded in May shows as due in April.
    2026-06-20 falls in the Dragon Boat holiday (06-19 to 06-21): Civil Code Art. 203 moves it to 06-22."""
    found = items(sample, D(2026, 4, 1))
    assert [(d.kind, d.record, d.date, d.nominal_date, d.status) for d in found] == [
        ("evaluation", "coal-based-clean-conversion", D(2026, 4, 17), None, "upcoming"),
        ("evaluation", "advanced-manufacturing", D(2026, 6, 22), D(2026, 6, 20), "upcoming"),
    ]
    assert [(d.record, d.status, d.days) for d in items(sample, D(2026, 5, 1))][0] == (
        "coal-based-clean-conversion", "overdue", -14,
    )


# --- (4) rectifications ------------------------------------------------------------------


def test_open_rectification_upcoming_then_passed_then_closed(mini):
    append_events(
        mini,
        {"date": D(2027, 6, 1), "event": "evaluated", "evaluator": EVALUATOR, "outcome": "rectify", "rectification_deadline": D(2027, 12, 31)},
        {"date": D(2028, 1, 10), "event": "evaluated", "evaluator": EVALUATOR, "outcome": "retain"},
    )
    [upcoming] = items(mini.base, D(2027, 12, 1))
    assert (upcoming.kind, upcoming.record, upcoming.date, upcoming.status, upcoming.days) == (
        "rectification", CENTER, D(2027, 12, 31), "upcoming", 30,
    )
    assert upcoming.title == "晋城市煤层气高效开发技术创新中心 整改期限届满，应复评"
    assert [(d.status, d.days) for d in items(mini.base, D(2027, 12, 31))] == [("due", 0)]
    assert [(d.status, d.days) for d in items(mini.base, D(2028, 1, 5))] == [("overdue", -5)]
    assert items(mini.base, D(2028, 1, 10)) == []  # re-evaluated: closed


def test_items_are_sorted_by_date(sample):
    found = items(sample, D(2026, 8, 1))
    assert [(d.kind, d.date) for d in found] == [
        ("evaluation", D(2026, 9, 15)),  # precision-casting, revoked only later
        ("rectification", D(2026, 9, 30)),  # advanced-manufacturing
    ]
    assert [d.date for d in found] == sorted(d.date for d in found)


# --- JSON ---------------------------------------------------------------------------------


def test_json_schema(sample):
    document = json_items(sample, "2026-08-01")
    assert set(document) == {"as_of", "items"}
    assert document["as_of"] == "2026-08-01"
    assert len(document["items"]) == 2
    for item in document["items"]:
        assert set(item) == ITEM_KEYS
        assert item["kind"] in dl.KINDS
        assert item["status"] in dl.STATUSES
        assert isinstance(item["days"], int)
        assert (D.fromisoformat(item["date"]) - D(2026, 8, 1)).days == item["days"]
        assert Path(sample, item["path"]).is_file()
        assert CJK.search(item["title"])
    assert document["items"][1] == {
        "kind": "rectification",
        "date": "2026-09-30",
        "record": "advanced-manufacturing",
        "path": "registry/centers/advanced-manufacturing.yml",
        "title": "晋城市先进制造技术创新中心 整改期限届满，应复评",
        "status": "upcoming",
        "days": 60,
        "priority": False,
    }


def test_json_with_nothing_to_do(mini):
    assert json_items(mini.base, "2025-01-01") == {"as_of": "2025-01-01", "items": []}


def test_default_as_of_is_today_in_shanghai(sample):
    before = shanghai_today()
    result = run_cli("deadlines", "--format", "json", cwd=sample, clock=True)
    after = shanghai_today()
    assert result.code == 0
    assert json.loads(result.stdout)["as_of"] in {before.isoformat(), after.isoformat()}


def test_registry_option_paths_are_shown_as_given(mini, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("deadlines", "--as-of", "2024-06-10", "--format", "json", "--registry", str(mini.root), cwd=elsewhere)
    assert result.code == 0, result.stderr
    [item] = json.loads(result.stdout)["items"]
    assert item["path"] == f"{mini.root.as_posix()}/applications/zezhou/2024-zezhou-001.yml"


# --- text -----------------------------------------------------------------------------------


def test_text_is_chinese_one_line_per_item(sample):
    result = run_cli("deadlines", "--as-of", "2026-11-26", cwd=sample)
    assert result.code == 0
    assert result.stdout.splitlines() == [
        "截至2026年11月26日，共 2 项办理期限（按日期排序）：",
        f"2026年11月30日〔公示〕晋城市轻合金压铸技术创新中心 公示期截止（还有 4 天） {DEVZONE} {DEVZONE_PATH}",
        "2026年12月28日〔整改〕晋城市现代农业技术创新中心 整改期限届满，应复评（2026年12月27日为法定休假日，"
        "顺延至2026年12月28日）（还有 32 天） modern-agriculture registry/centers/modern-agriculture.yml",
    ]
    assert result.stderr == ""


def test_text_marks_every_kind_and_status(sample, mini):
    lines = run_cli("deadlines", "--as-of", "2025-11-03", cwd=sample).stdout.splitlines()
    assert lines[1].startswith("2025年10月29日〔公示〕") and "已逾期 5 天" in lines[1]
    lines = run_cli("deadlines", "--as-of", "2026-12-09", cwd=sample).stdout.splitlines()
    assert lines[1].startswith("2026年12月1日〔认定〕") and "已可认定 8 天，仍未认定" in lines[1]
    lines = run_cli("deadlines", "--as-of", "2026-08-01", cwd=sample).stdout.splitlines()
    assert lines[1].startswith("2026年9月15日〔评估〕") and lines[2].startswith("2026年9月30日〔整改〕")
    lines = run_cli("deadlines", "--as-of", "2027-06-17", cwd=mini.base).stdout.splitlines()
    assert any(line.startswith("2027年6月17日〔评估〕") and "今天到期" in line for line in lines[1:])


def test_text_says_so_when_there_is_nothing_to_do(mini):
    result = run_cli("deadlines", "--as-of", "2025-01-01", cwd=mini.base)
    assert result.code == 0
    assert result.stdout == "截至2025年1月1日，没有需要办理的期限事项。\n"


# --- iCalendar ----------------------------------------------------------------------------------


def parse_ics(data: bytes) -> list[dict]:
    """A strict little RFC 5545 reader: checks line endings, folding and nesting.

    Returns the calendar's components as dicts {"name", "props": [(name, params, value)]}
    in order; asserts on anything malformed.
    """
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, line
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # a fold never splits a character
    logical: list[str] = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:].decode("utf-8")
        else:
            logical.append(line.decode("utf-8"))
    components: list[dict] = []
    stack: list[dict] = []
    for line in logical:
        match = re.fullmatch(r"([A-Z][A-Z0-9-]*)((?:;[A-Z-]+=[^;:]+)*):(.*)", line)
        assert match, line
        name, params, value = match.groups()
        params = dict(p.split("=", 1) for p in params[1:].split(";")) if params else {}
        if name == "BEGIN":
            stack.append({"name": value, "props": []})
        elif name == "END":
            assert stack and stack[-1]["name"] == value, line
            components.append(stack.pop())
        else:
            assert stack, line
            stack[-1]["props"].append((name, params, value))
    assert not stack
    assert components[-1]["name"] == "VCALENDAR"
    return components


def unescape(value: str) -> str:
    assert not re.search(r"(?<!\\)(?:\\\\)*[;,]", value), f"unescaped ; or , in {value!r}"
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def prop(component: dict, name: str) -> tuple[dict, str]:
    found = [(params, value) for n, params, value in component["props"] if n == name]
    assert len(found) == 1, (name, found)
    return found[0]


def ics_bytes(base: Path, as_of: str) -> bytes:
    """The command's raw standard output: text mode would hide CR LF."""
    completed = subprocess.run(
        [sys.executable, "-m", "ticreg", "deadlines", "--as-of", as_of, "--format", "ics"],
        cwd=base, capture_output=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    assert b"Traceback" not in completed.stderr
    return completed.stdout


def events_by_uid(data: bytes) -> dict[str, dict]:
    events = [c for c in parse_ics(data) if c["name"] == "VEVENT"]
    uids = [prop(e, "UID")[1] for e in events]
    assert len(uids) == len(set(uids))
    return dict(zip(uids, events))


def test_ics_parses_back_and_matches_json(sample):
    data = ics_bytes(sample, "2026-08-01")
    components = parse_ics(data)
    calendar = components[-1]
    assert prop(calendar, "VERSION")[1] == "2.0"
    assert prop(calendar, "PRODID")[1]
    assert CJK.search(unescape(prop(calendar, "X-WR-CALNAME")[1]))
    events = [c for c in components if c["name"] == "VEVENT"]
    expected = json_items(sample, "2026-08-01")["items"]
    assert len(events) == len(expected) == 2
    for event, item in zip(events, expected):
        params, start = prop(event, "DTSTART")
        assert params == {"VALUE": "DATE"} and start == item["date"].replace("-", "")
        params, end = prop(event, "DTEND")
        next_day = D.fromisoformat(item["date"]) + dt.timedelta(days=1)
        assert params == {"VALUE": "DATE"} and end == f"{next_day:%Y%m%d}"
        assert prop(event, "DTSTAMP")[1] == "20260801T000000Z"  # from the as-of date, not the clock
        assert unescape(prop(event, "SUMMARY")[1]) == item["title"]
        assert item["path"] in unescape(prop(event, "DESCRIPTION")[1])
        assert item["record"] in prop(event, "UID")[1]


def test_ics_runs_are_reproducible_and_uids_stable_across_as_of_dates(sample):
    first = ics_bytes(sample, "2026-11-26")
    assert ics_bytes(sample, "2026-11-26") == first
    later = events_by_uid(ics_bytes(sample, "2026-11-28"))
    earlier = events_by_uid(first)
    assert set(earlier) == set(later) and len(earlier) == 2  # the window and modern-agriculture's rectification
    # The same deadline, seen on two dates: the same UID and date; DTSTAMP and the text may differ.
    [uid] = [u for u in earlier if u.startswith("publicity.")]
    assert prop(earlier[uid], "DTSTART") == prop(later[uid], "DTSTART")
    assert "2026-11" not in uid and "20261" not in uid


def test_ics_evaluation_uids_carry_the_cycle_not_the_date(mini):
    before = events_by_uid(ics_bytes(mini.base, "2027-04-01"))
    after = events_by_uid(ics_bytes(mini.base, "2027-07-01"))  # now overdue
    assert set(before) == set(after)
    [uid] = [u for u in before if u.startswith("evaluation.")]  # and the missing 2027 calendar
    assert "evaluation" in uid and CENTER in uid and "cycle1" in uid
    append_events(mini, {"date": D(2027, 6, 1), "event": "evaluated", "evaluator": EVALUATOR, "outcome": "retain"})
    [next_uid] = [u for u in events_by_uid(ics_bytes(mini.base, "2030-06-01")) if u.startswith("evaluation.")]
    assert "cycle2" in next_uid and next_uid != uid


def test_ics_uids_differ_between_kinds_of_one_record(sample):
    window = {u for u in events_by_uid(ics_bytes(sample, "2026-11-30")) if DEVZONE in u}
    certification = {u for u in events_by_uid(ics_bytes(sample, "2026-12-01")) if DEVZONE in u}
    assert window and certification and window.isdisjoint(certification)


def test_ics_escapes_text_values_from_real_files(mini):
    name = "晋城市煤层气,高效;开发\\技术创新中心"
    mini.edit(mini.application, lambda data: data.update(proposed_name=name))
    mini.edit(mini.center, lambda data: data.update(name=name))
    [event] = events_by_uid(ics_bytes(mini.base, "2024-06-10")).values()
    raw = prop(event, "SUMMARY")[1]
    assert "煤层气\\,高效\\;开发\\\\技术" in raw
    assert unescape(raw) == f"{name} 公示期截止"
    assert "\\n" in prop(event, "DESCRIPTION")[1]


def test_ics_with_nothing_to_do_is_still_a_calendar(mini):
    components = parse_ics(ics_bytes(mini.base, "2025-01-01"))
    assert [c["name"] for c in components] == ["VCALENDAR"]


def test_fold_never_splits_a_character():
    for prefix in ("", "S", "SU", "SUM"):
        line = prefix + "SUMMARY:" + "晋城市煤层气高效开发技术创新中心" * 9 + "abc"
        folded = dl.ics_fold(line).encode("utf-8")
        pieces = folded.split(b"\r\n")
        assert len(pieces) > 1
        assert all(len(p) <= 75 for p in pieces)
        assert all(p.startswith(b" ") for p in pieces[1:])
        assert b"".join([pieces[0], *(p[1:] for p in pieces[1:])]).decode("utf-8") == line
        assert max(len(p) for p in pieces) >= 73  # filled, not folded early
    assert dl.ics_fold("x" * 75) == "x" * 75


def test_escape():
    assert dl.ics_escape("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


# --- exit codes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "20261126", "2026-1-5", "today", ""])
def test_malformed_as_of_exits_2(mini, bad):
    result = run_cli("deadlines", "--as-of", bad, cwd=mini.base)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ticreg：") and "--as-of" in result.stderr


@pytest.mark.parametrize("args", [["--format", "xml"], ["--registry", "no-such-dir"], ["--bogus"]])
def test_other_usage_errors_exit_2(mini, args):
    result = run_cli("deadlines", "--as-of", "2026-11-26", *args, cwd=mini.base)
    assert result.code == 2
    assert CJK.search(result.stderr)


def test_broken_registry_exits_1_pointing_to_validate(mini):
    path = mini.application
    path.write_text(path.read_text(encoding="utf-8").replace("independent_legal_person: true", "independent_legal_person: NO"),
                    encoding="utf-8")
    for fmt in ("text", "json", "ics"):
        result = run_cli("deadlines", "--as-of", "2024-06-10", "--format", fmt, cwd=mini.base)
        assert result.code == 1
        assert result.stdout == ""
        assert "ticreg validate" in result.stderr and "错误" in result.stderr


def test_missing_policy_is_a_broken_registry(mini):
    (mini.root / "policy.yml").unlink()
    result = run_cli("deadlines", "--as-of", "2024-06-10", cwd=mini.base)
    assert result.code == 1
    assert "ticreg validate" in result.stderr


def test_missing_calendar_year_for_an_open_window_names_the_file(mini):
    """The window cannot be listed; one calendar item names it and the file to add (exit 0: the list is complete)."""
    (mini.root / "calendar" / "2024.yml").unlink()
    result = run_cli("deadlines", "--as-of", "2024-06-10", cwd=mini.base)
    assert result.code == 0, result.stderr
    [heading, line] = result.stdout.splitlines()
    assert "〔节假日安排〕" in line and "registry/calendar/2024.yml" in line
    assert EXEMPLAR in line and "公示期" in line
    # A window that is over needs no calendar: the rest still lists.
    later = run_cli("deadlines", "--as-of", "2027-06-17", "--format", "json", cwd=mini.base)
    assert later.code == 0
    assert [i["kind"] for i in json.loads(later.stdout)["items"]] == ["calendar", "evaluation"]  # 2027 is missing too


def test_missing_calendar_year_names_the_file_under_the_given_registry(mini, tmp_path):
    (mini.root / "calendar" / "2024.yml").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("deadlines", "--as-of", "2024-06-10", "--registry", str(mini.root), cwd=elsewhere)
    assert result.code == 0
    assert f"{mini.root.as_posix()}/calendar/2024.yml" in result.stdout
