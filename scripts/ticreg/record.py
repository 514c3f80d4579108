"""Append one event to a history (`ticreg record`).

An event is judged before anything is written, by the very checks
``ticreg validate`` runs (the process rules F801–F807 and the event-shape
rules H701–H702 of ``ticreg.rules``, the schema rules through the same
models), so a refusal says exactly what validation would say about the same
event written by hand. Only then is the file changed, and only by splicing
the new item's text in after the last item of ``history``:

* ``history_append`` finds the history and its items' style and splices the
  item that ``yaml_writer`` emits; the rest of the file stays byte for byte;
* the spliced text is read back with the registry's own loader and must hold
  exactly the old data plus the new item, or nothing is written;
* after writing, the file is validated against the whole registry; an error
  the write caused puts the original bytes back;
* the file is locked from the first read to the last write (``safe_files``),
  so concurrent runs take turns and none loses another's event; a file that
  something else changed meanwhile is not overwritten (exit 1).

"Today" (Asia/Shanghai) is an argument: the command line reads the clock once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import TypeAdapter, ValidationError
from ticreg_schemas import APPLICATION_MODELS, Center, Policy
from ticreg_schemas.application import Application, ApplicationEvent
from ticreg_schemas.center import CenterEvent
from ticreg_schemas.common import IDENTIFIER
from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS

from .errors import UsageError
from .file_entries import FILE, entry_finding, entry_kind_under
from .findings import Finding
from .history_append import RecordRefused, append_event, decode
from .unprintable import REFUSED, describe, remedy
from .loader import PosDict, load_bytes, without_positions
from .process.machine import APPLICATION_STATES, CENTER_STATES
from .process.replay import final_state, replay_application, replay_center
from .registry_context import load_calendar, load_policy
from .registry_files import APPLICATIONS, CENTERS, display_path, shown_under
from .catalog import RULES, Where, checks_for
from .rules import load_all
from .engine import RegistryContext, findings_for
from .safe_files import LockedFile, locked
from .schema_check import validate_model
from .yaml_writer import as_loaded

__all__ = ["RecordRefused", "Recorded", "build_event", "find_target", "record_event"]


# The order an event's fields are written in, as the sample registry writes them.
FIELD_ORDER = (
    "date", "event", "stage", "outcome", "excellent", "rectification_deadline", "evaluator",
    "document_number", "reviewed_by", "bureau_staff", "joint_departments", "panel_size", "conclusion", "score",
    "session", "center_id", "application_id", "former_name", "new_name", "notice_url", "fields", "reason",
    "note",
)
_CHANGED_ORDER = ("date", "event", "application_id", "document_number", "former_name", "new_name",
                  "former_research_directions", "new_research_directions", "note")

# Which command-line option writes which field (for hints in refusals).
OPTION_OF_FIELD = {
    "date": "--date",
    "document_number": "--ref",
    "center_id": "--center",
    "application_id": "--application",
    "stage": "--stage",
    "reason": "--reason",
    "outcome": "--outcome",
    "excellent": "--excellent",
    "rectification_deadline": "--deadline",
    "evaluator": "--evaluator",
    "new_name": "--new-name",
    "new_research_directions": "--new-direction",
    "fields": "--fields",
    "note": "--note",
    "reviewed_by": "--reviewed-by",
    "bureau_staff": "--staff",
    "joint_departments": "--joint-departments",
    "conclusion": "--conclusion",
    "panel_size": "--panel-size",
    "score": "--score",
    "session": "--session",
    "notice_url": "--notice-url",
}


@dataclass(frozen=True)
class Target:
    """The one registry file an ID names."""

    kind: str  # "application" or "center"
    id: str
    path: Path
    relative: PurePosixPath


@dataclass
class Recorded:
    path: str  # as shown to the user
    kind: str  # "application" or "center"
    index: int
    event: dict
    label: str  # the event's Chinese name
    state: str
    state_label: str
    roles: tuple[str, ...]
    notes: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Finding the file
# ---------------------------------------------------------------------------


def shown_path(root: Path, relative: PurePosixPath, cwd: Path) -> str:
    """A registry file's path exactly as validation shows (and filters) it."""
    return shown_under(display_path(root, cwd), relative)


def check_identifier(value: str, what: str) -> None:
    if not IDENTIFIER.fullmatch(value):
        raise UsageError(
            f"{what}“{value}”无效：只能用小写字母、数字和连字符，不以连字符开头或结尾，最长 64 个字符"
            "（不能含“/”或“..”）"
        )


def find_target(root: Path, record_id: str) -> Target:
    """The application or center file with this ID; exactly one must exist."""
    check_identifier(record_id, "代号")
    found = [
        Target("application", record_id, path, PurePosixPath(path.relative_to(root).as_posix()))
        for path in sorted((root / APPLICATIONS).glob(f"*/{record_id}.yml"))
    ]
    center = root / CENTERS / f"{record_id}.yml"
    if os.path.lexists(center):  # whatever is there; a link or folder is refused below
        found.append(Target("center", record_id, center, PurePosixPath(f"{CENTERS}/{record_id}.yml")))
    if not found:
        raise UsageError(
            f"找不到代号为“{record_id}”的申报或中心：{root.as_posix()}/{APPLICATIONS}/*/{record_id}.yml "
            f"和 {root.as_posix()}/{CENTERS}/{record_id}.yml 都不存在"
        )
    if len(found) > 1:
        listed = "、".join(f"{root.as_posix()}/{t.relative}" for t in found)
        raise UsageError(f"代号“{record_id}”对应多个文件：{listed}；无法确定记录到哪一个，请先消除重名")
    for target in found:
        kind, where = entry_kind_under(root, target.relative)
        if kind != FILE:  # never read through a link, nor write over one (L111-L113)
            shown = f"{root.as_posix()}/{where}"
            raise _refuse(f"{root.as_posix()}/{target.relative}", [entry_finding(kind, root / where, shown)],
                          ["先按 ticreg validate 的报告修正"])
    return found[0]


# ---------------------------------------------------------------------------
# `ticreg record`
# ---------------------------------------------------------------------------


def build_event(event_name: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The new event: date and event first, then the given fields in the usual order."""
    given = {k: v for k, v in fields.items() if v is not None and v is not False}
    order = _CHANGED_ORDER if event_name == "changed" else FIELD_ORDER
    event = {"date": given.pop("date"), "event": event_name}
    for name in order:
        if name in given:
            event[name] = given.pop(name)
    event.update(given)  # anything else, after (schema validation names it)
    return event


def _line(finding: Finding) -> str:
    return f"  {finding.rule} {finding.message}"


def _refuse(where: str, findings: list[Finding], hints: Sequence[str] = ()) -> RecordRefused:
    body = "\n".join([_line(f) for f in findings] + [f"  提示：{h}" for h in hints])
    return RecordRefused(f"不能记录，{where} 未作任何改动：\n{body}")


def _messages(findings: list[Finding]) -> Counter[tuple[str, str, str, str]]:
    return Counter((f.path, f.rule, f.severity, f.message) for f in findings)


def _new_findings(after: list[Finding], before: list[Finding]) -> list[Finding]:
    remaining = _messages(before)
    new = []
    for f in after:
        key = (f.path, f.rule, f.severity, f.message)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(f)
    return new


def _option_hints(findings: list[Finding], event_name: str, target: Target) -> list[str]:
    hints = []
    # Only the shape rules name fields the user may have meant with an option.
    text = " ".join(f.message for f in findings if f.rule in ("S101", "S102", "S103", "S104", "H701", "F821"))
    mentioned = [name for name in OPTION_OF_FIELD if re.search(rf"(?<![a-z_]){name}(?![a-z_])", text)]
    mapped = [f"{OPTION_OF_FIELD[name]} 写入 {name}" for name in mentioned if name not in ("date",)]
    if mapped:
        hints.append("；".join(mapped))
    own, other = (APPLICATION_EVENTS, CENTER_EVENTS) if target.kind == "application" else (CENTER_EVENTS, APPLICATION_EVENTS)
    if event_name not in own and event_name in other:
        where = "中心档案（registry/centers/）" if target.kind == "application" else "申报文件（registry/applications/）"
        hints.append(f"“{event_name}”是{where}的事件，不能记在{'申报' if target.kind == 'application' else '中心档案'}上")
    return hints


def _rule_findings(model: Application | Center, ctx: RegistryContext, index: int, shown: str,
                   extra: set[tuple[str, Where]]) -> list[Finding]:
    """What the history rules say about item ``index``, and the (rule, place) pairs in ``extra``."""
    load_all()  # the same checks validation runs
    scope = "center" if isinstance(model, Center) else "application"
    found: list[Finding] = []
    for rule in checks_for(scope):
        if rule.group != "history":
            continue
        hits = (h for h in rule.hits(model, ctx) if h.where[:2] == ("history", index) or (rule.id, h.where) in extra)
        found.extend(findings_for(rule, hits, lambda h: (shown, (0, 0)), type(model)))
    return found


def record_event(
    root: Path, cwd: Path, record_id: str, event_name: str, fields: dict, *, today: dt.date
) -> Recorded:
    """Check the event against the file's history and, if legal, append it.

    ``fields`` maps event field names to values (dates as ``datetime.date``,
    ``excellent`` as a bool); ``fields["date"]`` is required.
    """
    target = find_target(root, record_id)
    shown = shown_path(root, target.relative, cwd)
    # Under the file's lock from the first read to the last write: a concurrent
    # run waits, then reads this run's event and appends after it.
    with locked(target.path, shown) as lock:
        return _record_locked(root, cwd, target, shown, lock, event_name, fields, today)


@dataclass(frozen=True)
class _Models:
    """The pydantic models that judge the file and its events, and the states of its process."""

    file: type[Application] | type[Center]
    states: dict[str, str]

    def with_history(self, raw: PosDict, history: list[object], context: dict[str, object]) -> Application | Center:
        """The file's model holding only ``history``, typed by the event model
        (ValidationError when an event is not valid)."""
        if issubclass(self.file, Center):
            return Center.model_construct(history=TypeAdapter(list[CenterEvent]).validate_python(history, context=context))
        events = TypeAdapter(list[ApplicationEvent]).validate_python(history, context=context)
        return self.file.model_construct(kind=raw["kind"], history=events)


def _models_for(target: Target, raw: dict, shown: str) -> _Models:
    if target.kind == "center":
        return _Models(Center, CENTER_STATES)
    kind = raw.get("kind")
    model_class = APPLICATION_MODELS.get(kind) if isinstance(kind, str) else None
    if model_class is None:
        raise RecordRefused(f"{shown} 的申报类型 kind 缺失或无效，无法判断办理流程；请先运行 ticreg validate 修正")
    return _Models(model_class, APPLICATION_STATES)


def _event_for(target: Target, raw: dict, shown: str, event_name: str, fields: dict) -> dict:
    """The new event; a center's rename also records its current name as former_name, and a change
    of directions its current directions as former_research_directions."""
    event = build_event(event_name, fields)
    if event_name != "changed" or target.kind != "center":
        return event
    former: dict[str, object] = {}
    if event.get("new_name") is not None:
        current_name = raw.get("name")
        if not isinstance(current_name, str):
            raise RecordRefused(f"{shown} 的 name 不是一段文本，无法记录更名；请先运行 ticreg validate 修正")
        former["former_name"] = current_name
    if event.get("new_research_directions"):
        current = without_positions(raw.get("research_directions"))
        if not isinstance(current, list) or not all(isinstance(d, str) for d in current):
            raise RecordRefused(f"{shown} 的 research_directions 不是文本列表，无法记录变更；请先运行 ticreg validate 修正")
        former["former_research_directions"] = current
    return build_event(event_name, {**fields, **former}) if former else event


def _refuse_invisible(shown: str, raw_event: dict) -> None:
    """The loader would refuse the written file (L115): say so, naming the field."""
    invisible = [(k, m.group(0)) for k, v in raw_event.items() if isinstance(v, str) and (m := REFUSED.search(v))]
    if invisible:
        raise _refuse(shown, [RULES["L115"].finding(shown, (1, 1), actual=describe(c), expected=remedy(c))
                              for _, c in invisible], [f"字段 {k} 的值中有此字符" for k, _ in invisible])


def _checked_shape(models: _Models, raw: PosDict, history_raw: list[object], raw_event: dict[str, Any], shown: str,
                   policy: Policy, hints: Callable[[list[Finding]], list[str]]) -> Application | Center:
    """The typed model with the new event, judged by the same models and messages as validation."""
    schema_context: dict[str, object] = {"policy": policy}
    _, before = validate_model(models.file, without_positions(raw), shown, schema_context)
    history = without_positions(history_raw) + [raw_event]
    appended = {**without_positions(raw), "history": history}
    _, after = validate_model(models.file, appended, shown, schema_context)
    new_schema = _new_findings(after, before)
    if new_schema:
        raise _refuse(shown, new_schema, hints(new_schema))
    try:
        return models.with_history(raw, history, schema_context)
    except ValidationError:
        raise _refuse(shown, before, ["现有办理记录本身有错误，请先按 ticreg validate 的报告修正"]) from None


def _check_process(root: Path, cwd: Path, target: Target, shown: str, model: Application | Center, ctx: RegistryContext,
                   index: int, event: dict[str, Any],
                   hints: Callable[[list[Finding]], list[str]]) -> Path | None:
    """Order, dates, publicity window, by the rules validation runs; for a certification,
    the center file it needs (returned)."""
    certifying = target.kind == "application" and event["event"] == "certified"
    # No calendar year for the window: F823 (at this event) names the file to add.
    extra: set[tuple[str, Where]] = set()
    problems = [f for f in _rule_findings(model, ctx, index, shown, extra) if f.severity == "error"]
    center_file = None
    if certifying:
        center_id = event.get("center_id")
        if isinstance(center_id, str) and IDENTIFIER.fullmatch(center_id):
            center_file = root / CENTERS / f"{center_id}.yml"
            if not center_file.is_file():
                center_shown = shown_path(root, PurePosixPath(CENTERS, f"{center_id}.yml"), cwd)
                missing = (
                    f"认定还须有中心档案 {center_shown}，该文件不存在：请复制 templates/center.yml 为该文件，"
                    "按本申报填写中心的名称、类别、牵头单位等，并在其 history 中写认定事件"
                    f"（日期 {event['date']}、文号、application_id: {target.id}），"
                    "然后重新运行本命令，两个文件一并提交"
                )
                raise _refuse(shown, problems, [*hints(problems), missing])
    if problems:
        raise _refuse(shown, problems, hints(problems))
    return center_file


# The Bureau's decisions: recorded only on a file that validation passes.
DECISIONS = frozenset({"certified", "change-approved"})


def _refuse_a_decision_on_errors(shown: str, event_name: str, baseline: list[Finding]) -> None:
    """A certification or an approval is final; on a record that validation refuses (a change from
    another unit than the center's, say: F813) it would fix an error in history for good."""
    errors = [f for f in baseline if f.path == shown and f.severity == "error"]
    if event_name in DECISIONS and errors:
        raise _refuse(shown, errors, [f"{event_name} 是市科技局的决定，须先按 ticreg validate 的报告修正本文件"])


def _write_validated(root: Path, cwd: Path, lock: LockedFile, shown: str, center_file: Path | None,
                     original: bytes, new_bytes: bytes, today: dt.date, event_name: str) -> list[Finding]:
    """Write, validate against the whole registry, put the original back on an error the write
    caused; the findings the write caused (warnings only, then)."""
    from .validate import validate_registry

    only = {shown}
    if center_file is not None:
        only.add(shown_path(root, PurePosixPath(CENTERS, center_file.name), cwd))
    baseline = validate_registry(root, cwd, only, today=today).findings
    _refuse_a_decision_on_errors(shown, event_name, baseline)
    lock.replace(original, new_bytes)
    try:
        written = validate_registry(root, cwd, only, today=today).findings
    except BaseException:
        lock.replace(new_bytes, original)
        raise
    caused = _new_findings(written, baseline)
    errors = [f for f in caused if f.severity == "error"]
    if errors:
        lock.replace(new_bytes, original)
        body = "\n".join(f"  {f.path}: {f.rule} {f.message}" for f in errors)
        raise RecordRefused(f"写入后校验发现本次记录引起的错误，已恢复原文件 {shown}：\n{body}")
    return caused


def _record_locked(
    root: Path, cwd: Path, target: Target, shown: str, lock: LockedFile, event_name: str, fields: dict,
    today: dt.date,
) -> Recorded:
    original = lock.read()
    loaded = load_bytes(original, shown)
    raw = loaded.data
    if raw is None or not loaded.ok:
        raise _refuse(shown, [f for f in loaded.findings if f.severity == "error"],
                      ["文件本身无法读取，请先按 ticreg validate 的报告修正"])
    policy = load_policy(root)
    calendar = load_calendar(root)
    models = _models_for(target, raw, shown)
    history_raw = raw.get("history")
    if not isinstance(history_raw, list) or not history_raw:
        raise RecordRefused(f"{shown} 没有 history 办理记录列表；请先运行 ticreg validate 修正")

    event = _event_for(target, raw, shown, event_name, fields)
    raw_event = {k: as_loaded(v) for k, v in event.items()}
    index = len(history_raw)
    _refuse_invisible(shown, raw_event)

    def hints(findings: list[Finding]) -> list[str]:
        return _option_hints(findings, event_name, target)

    # 1. The event's shape; 2. the process.
    model = _checked_shape(models, raw, history_raw, raw_event, shown, policy, hints)
    ctx = RegistryContext(policy=policy, records=[], today=today, calendar=calendar)
    center_file = _check_process(root, cwd, target, shown, model, ctx, index, event, hints)

    # 3. The new text: the original bytes with the item spliced in; 4. written and validated.
    bom, text = decode(original)
    new_bytes = (bom + append_event(text, shown, event, raw_event, raw)).encode("utf-8")
    caused = _write_validated(root, cwd, lock, shown, center_file, original, new_bytes, today, event_name)
    return _recorded(root, cwd, target, shown, models, model, index, event, caused)


def _recorded(root: Path, cwd: Path, target: Target, shown: str, models: _Models, model: Application | Center,
              index: int, event: dict[str, Any], caused: list[Finding]) -> Recorded:
    steps = list(replay_center(model)) if isinstance(model, Center) else list(replay_application(model))
    state = final_state(steps)
    transition = steps[-1].transition
    notes = []
    if target.kind == "application" and event["event"] == "certified":
        center_shown = shown_path(root, PurePosixPath(CENTERS, f"{event['center_id']}.yml"), cwd)
        notes.append(f"中心档案 {center_shown} 的认定事件须与此一致（日期、文号、application_id）")
    if "former_name" in event:
        notes.append(f"中心现名称 name 已由“{event['former_name']}”改为“{event['new_name']}”")
    if "former_research_directions" in event:
        notes.append(f"中心主要研究方向 research_directions 已改为：{'、'.join(event['new_research_directions'])}")
    table = CENTER_EVENTS if target.kind == "center" else APPLICATION_EVENTS
    return Recorded(
        path=shown,
        kind=target.kind,
        index=index,
        event=event,
        label=table[event["event"]].label,
        state=state,
        state_label=models.states[state],
        roles=tuple(sorted(transition.roles)) if transition is not None else (),
        notes=notes,
        warnings=[f for f in caused if f.severity != "error"],
    )
