"""Append one event to a history (`ticreg record`); start an application from a template (`ticreg new-application`).

An event is judged before anything is written, by the very checks
``ticreg validate`` runs (the process rules F801–F807 and the event-shape
rules H701–H702 of ``ticreg.rules``, the schema rules through the same
models), so a refusal says exactly what validation would say about the same
event written by hand. Only then is the file changed, and only by splicing
the new item's text in after the last item of ``history``:

* ruamel.yaml's round-trip loader finds the history, its items' lines and
  their flow or block style, and its emitter writes the new item in that
  style. The rest of the file is never re-emitted: a full round-trip dump
  would move the templates' ``- # comment`` lines and turn ``null`` into an
  empty value, and every byte the user wrote is to stay as written;
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
import io
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ticreg_schemas import APPLICATION_MODELS, Center, Departments
from ticreg_schemas.application import ApplicationEvent
from ticreg_schemas.center import CenterEvent
from ticreg_schemas.common import GITHUB_LOGIN_PATTERN, IDENTIFIER_PATTERN
from ticreg_schemas.events import APPLICATION_EVENTS, CENTER_EVENTS

from .errors import EXIT_FINDINGS, TicregError, UsageError
from .file_entries import FILE, entry_finding, entry_kind_under
from .findings import Finding
from .unprintable import REFUSED, describe, remedy
from .loader import load_bytes, plain
from .process.machine import APPLICATION_STATES, CENTER_STATES
from .process.replay import final_state, replay_application, replay_center
from .registry_context import load_calendar, load_model, load_policy
from .registry_files import APPLICATIONS, CENTERS, DEPARTMENTS, display_path, shown_under
from .rules.registry import RULES, checks_for
from .safe_files import LockedFile, create_exclusive, locked
from .schema_check import field_label, validate_model

IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
GITHUB_LOGIN = re.compile(GITHUB_LOGIN_PATTERN)

# The order an event's fields are written in, as the sample registry writes them.
FIELD_ORDER = (
    "date", "event", "stage", "outcome", "excellent", "rectification_deadline", "evaluator",
    "document_number", "center_id", "application_id", "former_name", "new_name", "notice_url", "fields", "reason",
    "note",
)
_CHANGED_ORDER = ("date", "event", "application_id", "document_number", "former_name", "new_name", "note")

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
    "fields": "--fields",
    "note": "--note",
}

TEMPLATES = {
    "certification": "application-certification.yml",
    "direct-certification": "application-direct-certification.yml",
    "change": "application-change.yml",
}
KIND_LABELS = {
    "certification": "一般程序认定申报",
    "direct-certification": "直接认定申报",
    "change": "重大事项变更申请",
}
SCHEMA_COMMENT = re.compile(r"^(# yaml-language-server: \$schema=)\S*?([^/\s]+\.schema\.json)(\s*)$")
APPLICATION_SCHEMA_PATH = "../../../schemas/json/"

# The rule modules whose checks judge history events: the same functions validation runs.
_HISTORY_RULE_MODULES = ("ticreg.rules.process", "ticreg.rules.history", "ticreg.rules.frozen")

# libyaml (the registry's loader) and editors break lines only at \n; ruamel
# also breaks at NEL, LS and PS, which would shift its line numbers.
_YAML11_BREAKS = "\u0085\u2028\u2029"


class RecordRefused(TicregError):
    """The event is not recorded; the file is left exactly as it was."""

    exit_code = EXIT_FINDINGS


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


@dataclass
class Created:
    path: str
    kind: str
    fill_in: list[str]
    center_id_placeholder: str | None = None


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
# Text surgery with ruamel.yaml
# ---------------------------------------------------------------------------


class _TextDates(RoundTripConstructor):
    """Round-trip loading that leaves dates as text: a file with an impossible
    date elsewhere (validation reports it) still shows where its history is."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node))


def _ruamel_load(text: str):
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDates
    hidden = text.translate(str.maketrans(_YAML11_BREAKS, " " * len(_YAML11_BREAKS)))
    return yaml.load(hidden)


def _emitter(step: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # never fold a long line of Chinese text
    yaml.indent(mapping=2, sequence=step, offset=0)
    return yaml


def _lines(text: str) -> list[str]:
    """Lines with their endings, split at \\n only (as libyaml and editors do)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_blank(line: str) -> bool:
    return not line.strip()


class _Layout:
    """Where the history sequence is in the text, and how its items are written."""

    def __init__(self, text: str, where: str):
        try:
            data = _ruamel_load(text)
        except Exception as exc:  # noqa: BLE001 - ruamel's own errors, after the registry's loader passed the file
            raise RecordRefused(f"{where} 无法解析（{type(exc).__name__}）；请先运行 ticreg validate 修正") from None
        history = data.get("history") if isinstance(data, CommentedMap) else None
        if not isinstance(history, CommentedSeq) or len(history) == 0:
            raise RecordRefused(f"{where} 没有可追加的 history 列表；请先运行 ticreg validate 修正")
        if history.fa.flow_style():
            raise RecordRefused(
                f"{where} 的 history 写成了方括号列表 [...]，无法在保持原样的前提下追加；"
                "请改为每条记录一行“- ”的写法后再记录"
            )
        self.data = data
        self.history = history
        self.dash_col = history.lc.col
        self.lines = _lines(text)
        last = len(history) - 1
        item_line, item_col = history.lc.item(last)
        self.last_item_line = item_line
        # Items written on the dash's line show how far their content sits from it.
        dash_line = self.lines[item_line] if item_line < len(self.lines) else ""
        on_dash_line = dash_line[self.dash_col : self.dash_col + 1] == "-" and item_col > self.dash_col
        self.step = item_col - self.dash_col if on_dash_line else 2
        styles = [getattr(item, "fa", None) and item.fa.flow_style() for item in history]
        self.all_flow = all(styles)
        self.all_block = not any(styles)

    def end_of_history(self) -> int:
        """Index of the last line of the last item (its content, not the comments after it)."""
        end = self.last_item_line
        for j in range(self.last_item_line + 1, len(self.lines)):
            line = self.lines[j]
            if _is_blank(line):
                continue
            if _indent(line) > self.dash_col:
                end = j
            else:
                break
        return end

    def flow_for(self, event: dict) -> bool:
        """The existing items' style; where a file mixes both (short events on one line,
        events with a note or a reason as blocks), the sample registry's convention."""
        if self.all_flow:
            return True
        if self.all_block:
            return False
        return not ({"reason", "note"} & set(event))


# Fields whose values are codes (never free text): always written plain.
_CODE_FIELDS = frozenset({"event", "stage", "outcome", "center_id", "application_id"})


def _emit_item(event: dict, *, flow: bool, step: int, quote_all: bool) -> str:
    """One ``- ...`` item. In a flow mapping a text with ":" is double-quoted, as the
    registry writes notice_url (YAML 1.1 parsers reject ":" in flow plain text)."""
    item = CommentedMap()
    for key, value in event.items():
        if isinstance(value, str) and key not in _CODE_FIELDS and (quote_all or flow and ":" in value):
            value = DoubleQuotedScalarString(value)
        if isinstance(value, list):  # amended's field names: one line, as the sample registry writes lists
            value = CommentedSeq(value)
            value.fa.set_flow_style()
        item[key] = value
    if flow:
        item.fa.set_flow_style()
    else:
        item.fa.set_block_style()
    sequence = CommentedSeq([item])
    sequence.fa.set_block_style()
    out = io.StringIO()
    _emitter(step).dump(sequence, out)
    return out.getvalue()


def _emit_scalar(value: str) -> str:
    out = io.StringIO()
    _emitter().dump(CommentedMap([("k", value)]), out)
    text = out.getvalue()
    if not text.startswith("k: ") or text.count("\n") != 1:
        raise ValueError("not a one-line scalar")
    return text[3:-1]


def _newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _with_newline(line: str, newline: str) -> str:
    return line if line.endswith("\n") else line + newline


def _reindent(block: str, columns: int, newline: str) -> list[str]:
    return [" " * columns + line + newline for line in block.split("\n") if line != ""]


def _decode(raw: bytes) -> tuple[str, str]:
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        return "\ufeff", text[1:]
    return "", text


def _replace_scalar_line(line: str, col: int, old: str, new_text: str) -> str | None:
    """Swap the one-line scalar written at ``col`` (plain or quoted) for ``new_text``."""
    rest = line[col:]
    for written in (old, f'"{old}"', f"'{old}'"):
        if rest.startswith(written):
            after = rest[len(written) :]
            if after.strip() == "" or after.lstrip(" ").startswith("#") and after[:1] == " ":
                return line[:col] + new_text + after
    return None


# ---------------------------------------------------------------------------
# `ticreg record`
# ---------------------------------------------------------------------------


def _as_text(value: object) -> object:
    """A field value the way the registry's loader reads it back: text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def build_event(event_name: str, fields: dict) -> dict:
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


def _refuse(where: str, findings: list[Finding], hints: list[str] = ()) -> RecordRefused:
    body = "\n".join([_line(f) for f in findings] + [f"  提示：{h}" for h in hints])
    return RecordRefused(f"不能记录，{where} 未作任何改动：\n{body}")


def _messages(findings: list[Finding]) -> Counter:
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
    text = " ".join(f.message for f in findings if f.rule in ("S101", "S102", "S103", "S104", "H701"))
    mentioned = [name for name in OPTION_OF_FIELD if re.search(rf"(?<![a-z_]){name}(?![a-z_])", text)]
    mapped = [f"{OPTION_OF_FIELD[name]} 写入 {name}" for name in mentioned if name not in ("date",)]
    if mapped:
        hints.append("；".join(mapped))
    own, other = (APPLICATION_EVENTS, CENTER_EVENTS) if target.kind == "application" else (CENTER_EVENTS, APPLICATION_EVENTS)
    if event_name not in own and event_name in other:
        where = "中心档案（registry/centers/）" if target.kind == "application" else "申报文件（registry/applications/）"
        hints.append(f"“{event_name}”是{where}的事件，不能记在{'申报' if target.kind == 'application' else '中心档案'}上")
    return hints


def _rule_findings(model, ctx, index: int, shown: str, extra: set[tuple]) -> list[Finding]:
    """What the history rules say about item ``index``, and the (rule, place) pairs in ``extra``."""
    scope = "center" if isinstance(model, Center) else "application"
    found = []
    for rule in checks_for(scope):
        if rule.check.__module__ not in _HISTORY_RULE_MODULES:
            continue
        for h in rule.check(model, ctx):
            if h.where[:2] != ("history", index) and (rule.id, h.where) not in extra:
                continue
            values = dict(h.values)
            if "field" in rule.fields and "field" not in values:
                values["field"] = field_label(type(model), h.where)
            found.append(rule.finding(shown, (0, 0), **values))
    return found


def _last_publicity_index(model) -> int | None:
    index = None
    for step in replay_application(model):
        if step.event.event == "publicity-started" and step.transition is not None:
            index = step.index
    return index


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


def _record_locked(
    root: Path, cwd: Path, target: Target, shown: str, lock: LockedFile, event_name: str, fields: dict,
    today: dt.date,
) -> Recorded:
    from .validate import Context, validate_registry

    original = lock.read()
    loaded = load_bytes(original, shown)
    if not loaded.ok:
        raise _refuse(shown, [f for f in loaded.findings if f.severity == "error"],
                      ["文件本身无法读取，请先按 ticreg validate 的报告修正"])
    raw = loaded.data
    policy = load_policy(root)
    calendar = load_calendar(root)

    if target.kind == "center":
        model_class, event_model = Center, CenterEvent
        states = CENTER_STATES
    else:
        kind = raw.get("kind")
        model_class = APPLICATION_MODELS.get(kind) if isinstance(kind, str) else None
        if model_class is None:
            raise RecordRefused(f"{shown} 的申报类型 kind 缺失或无效，无法判断办理流程；请先运行 ticreg validate 修正")
        event_model = ApplicationEvent
        states = APPLICATION_STATES
    history_raw = raw.get("history")
    if not isinstance(history_raw, list) or not history_raw:
        raise RecordRefused(f"{shown} 没有 history 办理记录列表；请先运行 ticreg validate 修正")

    event = build_event(event_name, fields)
    if event_name == "changed" and target.kind == "center" and event.get("new_name") is not None:
        current_name = raw.get("name")
        if not isinstance(current_name, str):
            raise RecordRefused(f"{shown} 的 name 不是一段文本，无法记录更名；请先运行 ticreg validate 修正")
        event = build_event(event_name, {**fields, "former_name": current_name})
    raw_event = {k: _as_text(v) for k, v in event.items()}
    index = len(history_raw)
    # The loader would refuse the written file (L115): say so, naming the field.
    invisible = [(k, m.group(0)) for k, v in raw_event.items() if isinstance(v, str) and (m := REFUSED.search(v))]
    if invisible:
        raise _refuse(shown, [RULES["L115"].finding(shown, (1, 1), actual=describe(c), expected=remedy(c))
                              for _, c in invisible], [f"字段 {k} 的值中有此字符" for k, _ in invisible])

    # 1. The event's shape, by the same models and messages as validation.
    schema_context = {"policy": policy}
    _, before = validate_model(model_class, plain(raw), shown, schema_context)
    appended = {**plain(raw), "history": plain(history_raw) + [raw_event]}
    _, after = validate_model(model_class, appended, shown, schema_context)
    new_schema = _new_findings(after, before)
    if new_schema:
        raise _refuse(shown, new_schema, _option_hints(new_schema, event_name, target))
    try:
        typed = TypeAdapter(list[event_model]).validate_python(
            plain(history_raw) + [raw_event], context=schema_context
        )
    except ValidationError:
        raise _refuse(shown, before, ["现有办理记录本身有错误，请先按 ticreg validate 的报告修正"]) from None

    # 2. The process: order, dates, publicity window, by the rules validation runs.
    if target.kind == "center":
        model = Center.model_construct(history=typed)
    else:
        model = model_class.model_construct(kind=raw["kind"], history=typed)
    ctx = Context(policy=policy, records=[], today=today, calendar=calendar)
    certifying = target.kind == "application" and event_name == "certified"
    extra: set[tuple] = set()
    if certifying:
        published = _last_publicity_index(model)
        if published is not None:
            # No calendar year for the window: F805 names the file to add.
            extra.add(("F805", ("history", published, "date")))
    problems = [f for f in _rule_findings(model, ctx, index, shown, extra) if f.severity == "error"]
    hints = _option_hints(problems, event_name, target)
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
                raise _refuse(shown, problems, [*hints, missing])
    if problems:
        raise _refuse(shown, problems, hints)

    # 3. The new text: the original bytes with the item spliced in.
    bom, text = _decode(original)
    new_text = _splice(text, shown, event, raw_event, raw)
    new_bytes = (bom + new_text).encode("utf-8")

    # 4. Write, validate against the whole registry, put the original back on an error the write caused.
    only = {shown}
    if center_file is not None:
        only.add(shown_path(root, PurePosixPath(CENTERS, center_file.name), cwd))
    baseline = validate_registry(root, cwd, only, today=today).findings
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

    steps = list(replay_center(model) if target.kind == "center" else replay_application(model))
    state = final_state(steps)
    transition = steps[-1].transition
    notes = []
    if certifying:
        center_shown = shown_path(root, PurePosixPath(CENTERS, f"{event['center_id']}.yml"), cwd)
        notes.append(f"中心档案 {center_shown} 的认定事件须与此一致（日期、文号、application_id）")
    if "former_name" in event:
        notes.append(f"中心现名称 name 已由“{event['former_name']}”改为“{event['new_name']}”")
    table = CENTER_EVENTS if target.kind == "center" else APPLICATION_EVENTS
    return Recorded(
        path=shown,
        kind=target.kind,
        index=index,
        event=event,
        label=table[event_name].label,
        state=state,
        state_label=states[state],
        roles=tuple(sorted(transition.roles)) if transition is not None else (),
        notes=notes,
        warnings=[f for f in caused if f.severity != "error"],
    )


def _splice(text: str, shown: str, event: dict, raw_event: dict, raw) -> str:
    """The file's text with ``event`` appended to history (and, for a rename, name updated)."""
    layout = _Layout(text, shown)
    newline = _newline_of(text)
    lines = list(layout.lines)
    end = layout.end_of_history()
    flow = layout.flow_for(event)
    expected = plain(raw)
    expected["history"] = expected["history"] + [raw_event]
    name_line = None
    if "former_name" in event:
        line, col = layout.data.lc.value("name")
        try:
            replaced = _replace_scalar_line(lines[line], col, event["former_name"], _emit_scalar(event["new_name"]))
        except ValueError:
            replaced = None
        if replaced is None:
            raise RecordRefused(f"{shown} 的 name 不是单行写法，无法自动改为新名称；请手工修改 name 后，不带 --new-name 记录")
        name_line = (line, replaced)
        expected["name"] = event["new_name"]
    for quote_all in (False, True):
        item = _emit_item(event, flow=flow, step=layout.step, quote_all=quote_all)
        new_lines = list(lines)
        if name_line is not None:
            new_lines[name_line[0]] = name_line[1]
        new_lines[end] = _with_newline(new_lines[end], newline)
        new_lines[end + 1 : end + 1] = _reindent(item, layout.dash_col, newline)
        candidate = "".join(new_lines)
        reread = load_bytes(candidate.encode("utf-8"), shown)
        if reread.ok and plain(reread.data) == expected:
            return candidate
    raise RecordRefused(f"无法在保持 {shown} 原有内容不变的前提下追加这条记录；请手工追加，并运行 ticreg validate")


# ---------------------------------------------------------------------------
# `ticreg new-application`
# ---------------------------------------------------------------------------


def templates_dir(root: Path) -> Path:
    """templates/ beside the registry directory, else the one shipped with this tool."""
    for candidate in (root.resolve().parent / "templates", Path(__file__).resolve().parents[2] / "templates"):
        if (candidate / TEMPLATES["certification"]).is_file():
            return candidate
    raise UsageError("找不到 templates/ 目录中的申报模板（应在登记册目录旁边）")


def _department_ids(root: Path) -> list[str]:
    return [d.id for d in load_model(root / DEPARTMENTS, Departments).departments]


def new_application(
    root: Path, cwd: Path, department: str, application_id: str, kind: str, *, today: dt.date,
    logins: list[str] = (),
) -> Created:
    """Write the template for ``kind`` as registry/applications/<department>/<id>.yml
    (with ``logins`` as its applicant_logins when given)."""
    check_identifier(department, "组织管理部门代号")
    check_identifier(application_id, "申报代号")
    logins = check_logins(logins)
    if kind not in TEMPLATES:
        raise UsageError(f"申报类型“{kind}”无效，应为：{'、'.join(TEMPLATES)}")
    departments = _department_ids(root)
    if department not in departments:
        raise UsageError(
            f"组织管理部门“{department}”不在 {root.as_posix()}/{DEPARTMENTS} 中；应为：{'、'.join(departments)}"
        )
    relative = PurePosixPath(APPLICATIONS, department, f"{application_id}.yml")
    path = root / relative
    shown = shown_path(root, relative, cwd)
    if path.exists():
        raise UsageError(f"{shown} 已存在，不会覆盖；续办已有申报请用 ticreg record")
    elsewhere = sorted((root / APPLICATIONS).glob(f"*/{application_id}.yml"))
    if elsewhere:
        raise UsageError(
            f"申报代号“{application_id}”已被 {shown_path(root, PurePosixPath(elsewhere[0].relative_to(root).as_posix()), cwd)} "
            "使用；申报代号在全部组织管理部门之间唯一"
        )

    template = templates_dir(root) / TEMPLATES[kind]
    bom, text = _decode(template.read_bytes())
    template_data = load_bytes(text.encode("utf-8"), str(template))
    if not template_data.ok or plain(template_data.data).get("kind") != kind:
        raise TicregError(f"模板 {template} 无法读取或申报类型不是 {kind}")
    new_text = _fill_template(text, str(template), application_id, department, today, logins)
    expected = plain(template_data.data)
    expected.update(id=application_id, organizing_department=department,
                    history=[{"date": today.isoformat(), "event": "submitted"}])
    if logins:
        expected["applicant_logins"] = logins
    reread = load_bytes(new_text.encode("utf-8"), shown)
    if not reread.ok or plain(reread.data) != expected:
        raise TicregError(f"无法由模板 {template} 生成申报文件；模板的写法与预期不同")

    try:
        create_exclusive(path, (bom + new_text).encode("utf-8"))
    except FileExistsError:
        raise UsageError(f"{shown} 已存在，不会覆盖") from None
    skip = {"id", "kind", "organizing_department", "history", *(("applicant_logins",) if logins else ())}
    fill_in = [key for key in expected if key not in skip]
    placeholder = expected.get("center_id") if kind == "change" else None
    return Created(shown, kind, fill_in, placeholder)


def check_logins(logins) -> list[str]:
    """GitHub logins given on the command line, each checked; duplicates (ignoring case) dropped."""
    kept: list[str] = []
    for login in logins:
        if not GITHUB_LOGIN.fullmatch(login):
            raise UsageError(
                f"账号“{login}”不是有效的 GitHub 账号：只能用字母、数字和单个连字符，不以连字符开头或结尾，"
                "最长 39 个字符，不带 @"
            )
        if login.casefold() not in {k.casefold() for k in kept}:
            kept.append(login)
    return kept


def _fill_template(
    text: str, where: str, application_id: str, department: str, today: dt.date, logins: list[str] = ()
) -> str:
    layout = _Layout(text, where)
    data = layout.data
    newline = _newline_of(text)
    lines = list(layout.lines)
    first = SCHEMA_COMMENT.match(lines[0].rstrip("\r\n")) if lines else None
    if first is not None:
        lines[0] = f"{first.group(1)}{APPLICATION_SCHEMA_PATH}{first.group(2)}{first.group(3)}{newline}"
    for key, value in (("id", application_id), ("organizing_department", department)):
        line, col = data.lc.value(key)
        replaced = _replace_scalar_line(lines[line], col, str(data[key]), _emit_scalar(value))
        if replaced is None:
            raise TicregError(f"模板 {where} 的 {key} 不是单行写法")
        lines[line] = replaced
    if logins:
        if "applicant_logins" not in data:
            raise TicregError(f"模板 {where} 没有 applicant_logins 字段")
        line, col = data.lc.value("applicant_logins")
        written = lines[line][col:].split("#", 1)[0].rstrip()
        if not (written.startswith("[") and written.endswith("]")):
            raise TicregError(f"模板 {where} 的 applicant_logins 不是单行的方括号列表")
        lines[line] = lines[line][:col] + "[" + ", ".join(logins) + "]" + lines[line][col + len(written):]
    # history: only the submission, in the template's own item style.
    first_item = layout.history.lc.item(0)[0]
    start = first_item
    while start > 0 and lines[start][layout.dash_col : layout.dash_col + 1] != "-":
        start -= 1
    end = layout.end_of_history()
    submitted = {"date": today, "event": "submitted"}
    item = _emit_item(submitted, flow=layout.flow_for(submitted), step=layout.step, quote_all=False)
    lines[start : end + 1] = _reindent(item, layout.dash_col, newline)
    return "".join(lines)
