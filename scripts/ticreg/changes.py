"""`ticreg check-changes`: judge what changes between two git trees.

The base is the tree a pull request goes into, the head is the pull request
(or the working tree). Git lists the changed paths; only the changed
application and center files are read, at both versions, plus the few
registry-wide files a rule needs. The cost therefore grows with the change,
not with the registry (see benchmarks/bench_check_changes.py).

Which version of each registry-wide file is used:

* ``staff.yml`` at the BASE only: the role of ``--actor`` is the one in force
  before the change, so a pull request cannot grant itself a role.
* ``policy.yml`` at the BASE: the publicity length and start rule in force
  when the events are recorded (the head's only when the base has none that
  can be read, e.g. the change that creates the registry).
* the calendar (``calendar/<year>.yml``): each year as it is at the BASE, so a
  change cannot move a holiday to shorten a publicity window it is judged by;
  a year that only the head has (added by this change, as happens when the
  State Council publishes a new year) is taken from the head.
* ``departments.yml`` is not read: an application's department is the folder
  it sits in (``ticreg validate`` ties that folder to ``organizing_department``
  and to departments.yml, rule X503), and a county reviewer's department comes
  from staff.yml.

Each file is parsed with the one safe loader and its history entries with the
event models of ``ticreg_schemas``; the rules themselves are in
``ticreg.rules.changes.paths`` (G901-G914), ``ticreg.rules.changes.tree_entries``
(G915-G916: only regular files of a known kind under the registry; a record
whose head is a gitlink or a link counts as deleted, see _settle_entries) and
``ticreg.rules.changes.frozen`` (G918-G924).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ValidationError

from ticreg_schemas import APPLICATION_MODELS, CalendarYear, Policy, Staff
from ticreg_schemas.application import ApplicationEvent
from ticreg_schemas.center import CenterEvent

from .errors import EXIT_FINDINGS, TicregError, UsageError
from .findings import Finding, sort_findings
from .git_trees import REGULAR_MODES, Blob, Repository, describe_mode, relative_to_top
from .loader import MAX_FILE_BYTES, LoadedFile, load_bytes, locate
from .process.calendar import CALENDAR_DIR, MissingCalendarYear, WorkingCalendar
from .process.machine import Transition, application_transition, center_transition
from .process.publicity import PublicityWindow, publicity_window
from .registry_files import POLICY, STAFF, kind_of
from .path_roles import protected_paths
from .rules import changes as _family_g  # noqa: F401  (importing the package registers G901-G924)
from .catalog import RULES, Hit, Where, checks_for
from .change_set import Added, Change, HistoryDiff, Rewrite
from .engine import Actor, ChangeContext, findings_for
from .schema_check import errors_to_findings, validate_model

# Only the change rules (and the loader and schema rules every module
# registers) are needed here; the per-record rule modules are not imported.

RECORD_KINDS = ("application", "center")
_EVENT_MODELS: dict[str, type[ApplicationEvent] | type[CenterEvent]] = {
    "application": ApplicationEvent, "center": CenterEvent}


class StaffUnavailable(TicregError):
    """--actor was given but the base has no staff.yml that can be read."""

    exit_code = EXIT_FINDINGS


@dataclass
class Outcome:
    findings: list[Finding]
    files: int


class _WindowUnknown(Exception):
    def __init__(self, problem: str, remedy: str):
        super().__init__(problem)
        self.problem, self.remedy = problem, remedy


@dataclass
class PullRequestContext(ChangeContext):
    """The ChangeContext of a pull request: what the rules consult besides the change they look at."""

    repo: Repository
    base: str
    head: str | None
    prefix: str  # the registry folder relative to the repository top: "" or ending in "/"
    actor: Actor | None
    changes: dict[str, Change]
    protected: tuple[tuple[str, str], ...] = ()
    _policy: Policy | None = None
    _calendar: WorkingCalendar | None = None
    _windows: dict[dt.date, PublicityWindow | _WindowUnknown] = field(default_factory=dict)

    def head_blob(self, path: str) -> Blob | None:
        if self.head is None:
            return self.repo.working_file(path)
        return self.repo.blobs(self.head, [path]).get(path)

    def policy(self) -> Policy:
        """policy.yml at the base; the head's only when the base has none that can be read."""
        if self._policy is None:
            path = self.prefix + POLICY
            candidates = [self.repo.blobs(self.base, [path]).get(path)]
            if path in self.changes:
                candidates.append(self.head_blob(path))
            for blob in candidates:
                model = _parse_model(blob, path, Policy)
                if model is not None:
                    self._policy = model
                    break
            else:
                raise _WindowUnknown("基准版本中没有可用的 policy.yml", f"先修正 {path}（运行 ticreg validate 查看问题）")
        return self._policy

    def readable_policy(self) -> Policy | None:
        """policy.yml as ``policy()`` reads it; None when neither version can be read."""
        try:
            return self.policy()
        except _WindowUnknown:
            return None

    def calendar(self) -> WorkingCalendar:
        """Each year as at the base; years only the head has, from the head."""
        if self._calendar is None:
            calendar = WorkingCalendar()
            folder = self.prefix + CALENDAR_DIR
            for path, blob in sorted(self.repo.folder(self.base, folder).items()):
                year = _parse_model(blob, path, CalendarYear) if path.endswith(".yml") else None
                if year is not None and year.year not in calendar.years:
                    calendar.add(year)
            for change in self.changes.values():
                if change.kind == "calendar" and change.status != "D":
                    year = _parse_model(self.head_blob(change.path), change.path, CalendarYear)
                    if year is not None and year.year not in calendar.years:
                        calendar.add(year)
            self._calendar = calendar
        return self._calendar

    def window(self, published: dt.date) -> PublicityWindow:
        if published not in self._windows:
            try:
                self._windows[published] = publicity_window(published, self.policy().publicity, self.calendar())
            except MissingCalendarYear as missing:
                self._windows[published] = _WindowUnknown(
                    f"缺少 {missing.year} 年的节假日安排",
                    f"按国务院办公厅当年的通知添加 {self.prefix}{CALENDAR_DIR}/{missing.year}.yml",
                )
            except _WindowUnknown as unknown:
                self._windows[published] = unknown
        result = self._windows[published]
        if isinstance(result, _WindowUnknown):
            raise result
        return result


def _parse_model(blob: Blob | None, path: str, model: type[BaseModel]):
    if blob is None or blob.data is None:
        return None
    loaded = load_bytes(blob.data, path)
    if not loaded.ok or loaded.data is None:
        return None
    value, _ = validate_model(model, loaded.data, path, {})
    return value


def _load(blob: Blob | None, shown: str) -> LoadedFile | None:
    if blob is None:
        return None
    if blob.data is None:
        result = LoadedFile(shown)
        result.findings.append(RULES["L102"].finding(shown, (1, 1), actual=blob.size, expected=MAX_FILE_BYTES))
        return result
    return load_bytes(blob.data, shown)


# ---------------------------------------------------------------------------
# Comparing values
# ---------------------------------------------------------------------------


def without_empty_keys(value):
    """Loaded data as plain values, a key whose value is empty (None) left out: it counts as absent."""
    if isinstance(value, dict):
        return {k: without_empty_keys(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_empty_keys(v) for v in value]
    return value


def first_difference(base: object, head: object, where: Where = (), skip: frozenset[str] = frozenset()) -> Where | None:
    """Where in ``head`` the first difference from ``base`` is (None: equal as values)."""
    if isinstance(base, dict) and isinstance(head, dict):
        for key, value in head.items():
            if key not in skip and without_empty_keys(base.get(key)) != without_empty_keys(value):
                return first_difference(base.get(key), value, (*where, key))
        for key, value in base.items():
            if key not in skip and key not in head and value is not None:
                return where  # a field removed: the mapping that lacks it
        return None
    if isinstance(base, list) and isinstance(head, list):
        for i, (b, h) in enumerate(zip(base, head)):
            if without_empty_keys(b) != without_empty_keys(h):
                return first_difference(b, h, (*where, i))
        if len(head) > len(base):
            return (*where, len(base))
        return where if len(head) < len(base) else None
    return None if without_empty_keys(base) == without_empty_keys(head) else where


def _value_at(data, where: tuple):
    for step in where:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def _short(value, limit: int = 60) -> str:
    text = _inline(without_empty_keys(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return "（空）" if value is None else str(value)


def _items(raw) -> list:
    history = raw.get("history") if isinstance(raw, dict) else None
    return history if isinstance(history, list) else []


def _parse_event(model: type[ApplicationEvent] | type[CenterEvent], item: object,
                 shown: str) -> tuple[ApplicationEvent | CenterEvent | None, str | None]:
    try:
        return model.model_validate(item, context={}), None
    except ValidationError as exc:
        findings = errors_to_findings(model, exc, item, shown)
        if not findings:
            return None, "格式不符"
        message = findings[0].message
        suffix = f"（{findings[0].article}）"
        return None, message[: -len(suffix)] if message.endswith(suffix) else message


# ---------------------------------------------------------------------------
# One changed record: what the change does to its history
# ---------------------------------------------------------------------------


def _application_kind(change: Change) -> str | None:
    for raw in (change.head_raw, change.base_raw):
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if isinstance(kind, str) and kind in APPLICATION_MODELS:
            return kind
    return None


@dataclass
class _Replay:
    """Where a history stands while its events are replayed through the process
    table (the same one as F801)."""

    record: str  # "application" or "center"
    app_kind: str | None
    state: str | None  # None: unknown from here on
    latest: dt.date | None = None  # the latest event date seen
    published: dt.date | None = None  # the date the last publicity started

    def transition(self, event: ApplicationEvent | CenterEvent) -> Transition | None:
        assert self.state is not None
        if isinstance(event, CenterEvent):  # the event model follows the record
            return center_transition(self.state, event)
        assert self.app_kind is not None  # an application's state is known only with its kind
        return application_transition(self.state, event, self.app_kind)

    def follow(self, event: ApplicationEvent | CenterEvent, t: Transition) -> None:
        if event.event == "publicity-started":
            self.published = event.date
        if t.target != "=":
            self.state = t.target

    def saw(self, event: ApplicationEvent | CenterEvent) -> None:
        self.latest = event.date if self.latest is None else max(self.latest, event.date)


def _analyse_history(change: Change, record: str, ctx: PullRequestContext) -> HistoryDiff:
    model = _EVENT_MODELS[record]
    app_kind = _application_kind(change) if record == "application" else None
    base_items = _items(change.base_raw) if change.base_raw is not None else []
    head_items = _items(change.head_raw)
    rewritten = _rewrites(base_items, head_items)
    removed = [_short(item) for item in base_items[len(head_items):]]
    replay = _Replay(record, app_kind, "new" if record == "center" or app_kind is not None else None)
    _replay_base(replay, base_items, model, change.shown)
    base_state = replay.state
    added: list[Added] = []
    if not rewritten and not removed:
        added = _replay_added(replay, head_items[len(base_items):], len(base_items), model, change.shown, ctx)
    return HistoryDiff(record, app_kind, rewritten, removed, base_state, added)


def _rewrites(base_items: list, head_items: list) -> list[Rewrite]:
    """The base entries that are not the same at the same place in the head."""
    rewritten = []
    for i in range(min(len(base_items), len(head_items))):
        if without_empty_keys(base_items[i]) != without_empty_keys(head_items[i]):
            where = first_difference(base_items[i], head_items[i], ("history", i)) or ("history", i)
            rewritten.append(Rewrite(i, where, _short(head_items[i]), _short(base_items[i])))
    return rewritten


def _replay_base(replay: _Replay, base_items: list[object], model: type[ApplicationEvent] | type[CenterEvent],
                 shown: str) -> None:
    """The state at the base: an illegal base event is skipped, as validate's replay does."""
    for item in base_items:
        event, _ = _parse_event(model, item, shown)
        if event is None:
            replay.state = None  # the base itself is unreadable here: its state is unknown
            continue
        replay.saw(event)
        if replay.state is not None:
            t = replay.transition(event)
            if t is not None:
                replay.follow(event, t)


def _replay_added(
    replay: _Replay, items: list[object], first: int, model: type[ApplicationEvent] | type[CenterEvent], shown: str,
    ctx: PullRequestContext,
) -> list[Added]:
    """Each appended entry, the state it is recorded in and the transition it makes."""
    added: list[Added] = []
    for index, item in enumerate(items, start=first):
        event, problem = _parse_event(model, item, shown)
        entry = Added(index, ("history", index), event, problem, replay.state, None, replay.latest)
        added.append(entry)
        if event is None:
            replay.state = None  # what follows an unreadable entry cannot be placed
            continue
        if replay.state is not None:
            entry.transition = replay.transition(event)
            if entry.transition is not None:
                if replay.record == "application" and event.event == "certified" and replay.published is not None:
                    _find_window(entry, ctx, replay.published)
                replay.follow(event, entry.transition)
        replay.saw(event)
    return added


def _find_window(entry: Added, ctx: PullRequestContext, published: dt.date) -> None:
    """The publicity window a certification follows, or why it is unknown."""
    try:
        entry.window = ctx.window(published)
    except _WindowUnknown as unknown:
        entry.window_problem = (unknown.problem, unknown.remedy)


def _analyse(change: Change, ctx: PullRequestContext) -> None:
    record = change.kind
    if record is None or record not in RECORD_KINDS:
        return
    base, head = change.base_raw, change.head_raw
    if change.status == "M" and base is not None and head is not None:
        change.first_difference = first_difference(base, head)
        if change.kind == "application":
            where = first_difference(base, head, skip=frozenset({"history"}))
            if where is not None:
                change.profile_difference = where
                change.profile_base_value = _short(_value_at(base, where)) if where else "（有字段被删除）"
    if change.status == "M" and isinstance(base, dict) and isinstance(head, dict):
        change.changed_fields = changed_fields(base, head)
    if head is not None and (change.status == "A" or base is not None):
        change.history = _analyse_history(change, record, ctx)


_NOT_PROFILE = frozenset({"history", "id"})


def changed_fields(base: dict[str, object], head: dict[str, object]) -> dict[str, Where]:
    """Each changed top-level field and where its first difference is in the head
    (a removed field: the top-level mapping)."""
    found: dict[str, Where] = {}
    for key in [*head, *(k for k in base if k not in head)]:
        if key in _NOT_PROFILE or not isinstance(key, str):
            continue
        if without_empty_keys(base.get(key)) == without_empty_keys(head.get(key)):
            continue
        where = first_difference(base.get(key), head.get(key), (key,)) if key in head else ()
        found[key] = where if where is not None else (key,)  # never None: the values differ
    return found


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------


def _shown(repo: Repository, path: str, cwd: Path) -> str:
    full = repo.top / path
    try:
        return full.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path


def _actor(login: str, ctx: PullRequestContext) -> Actor:
    """The role of ``login`` in staff.yml at the base (GitHub logins ignore case)."""
    path = ctx.prefix + STAFF
    blob = ctx.repo.blobs(ctx.base, [path]).get(path)
    staff = _parse_model(blob, path, Staff)
    if staff is None:
        raise StaffUnavailable(
            f"基准版本中的 {path} 不存在或不合规，无法确定 --actor 的角色；请先修正它（运行 ticreg validate 查看问题）"
        )
    wanted = login.casefold()
    for member in staff.staff:
        if member.login.casefold() == wanted:
            return Actor(login, member.role, member.department, True)
    return Actor(login, "applicant", None, False)


def check_changes(cwd: Path, registry: Path, base: str, head: str | None, actor: str | None) -> Outcome:
    repo = Repository(cwd, MAX_FILE_BYTES)
    prefix = _registry_prefix(repo, registry)
    base_commit = repo.resolve(base, "--base")
    head_commit = repo.resolve(head, "--head") if head is not None else None
    if actor is not None and not actor.strip():
        raise UsageError("--actor 不能为空")
    changes = _changed_entries(repo, base_commit, head_commit, prefix, cwd)
    _settle_entries(changes, repo, base_commit, head_commit, prefix)
    ctx = PullRequestContext(repo, base_commit, head_commit, prefix, None, changes, protected_paths(prefix))
    if actor is not None:
        ctx.actor = _actor(actor, ctx)
    records = [c for c in changes.values() if c.kind in RECORD_KINDS]
    _load_records(records, repo, base_commit, head_commit)
    _pair_renames(records)
    for change in records:
        _analyse(change, ctx)
    return Outcome(sort_findings(_judge(changes, records, ctx)), len(changes))


def _registry_prefix(repo: Repository, registry: Path) -> str:
    """The registry folder as a path prefix inside the repository ("" at its top)."""
    relative = relative_to_top(registry, repo.top)
    if relative is None:
        raise UsageError(f"登记册目录 {registry} 不在 git 仓库 {repo.top} 中")
    return "" if str(relative) == "." else f"{relative}/"


def _changed_entries(repo: Repository, base: str, head: str | None, prefix: str, cwd: Path) -> dict[str, Change]:
    """Every changed path, with the kind of registry file it is (None outside the registry)."""
    changes: dict[str, Change] = {}
    for changed in repo.changed_paths(base, head):
        kind = None
        department = None
        if changed.path.startswith(prefix):
            inside = PurePosixPath(changed.path[len(prefix):])
            kind = kind_of(inside)
            if kind == "application":
                department = inside.parts[1]
        changes[changed.path] = Change(changed.path, _shown(repo, changed.path, cwd), changed.status, kind, department)
    return changes


def _load_records(records: list[Change], repo: Repository, base: str, head: str | None) -> None:
    """Load both versions of each changed record (head None: the working tree)."""
    base_blobs = repo.blobs(base, [c.path for c in records if c.status != "A"])
    wanted_head = [c.path for c in records if c.status != "D"]
    if head is not None:
        head_blobs = repo.blobs(head, wanted_head)
    else:
        head_blobs = {path: blob for path in wanted_head if (blob := repo.working_file(path)) is not None}
    for change in records:
        change.base = _load(base_blobs.get(change.path), change.shown)
        change.head = _load(head_blobs.get(change.path), change.shown)


def _pair_renames(records: list[Change]) -> None:
    """A rename is a deletion plus an addition; pair them by record id."""
    added_ids: dict[tuple[str | None, object], Change] = {}
    for change in records:
        if change.status == "A" and isinstance(change.head_raw, dict):
            added_ids.setdefault((change.kind, change.head_raw.get("id")), change)
    for change in records:
        if change.status == "D" and isinstance(change.base_raw, dict):
            change.renamed_to = added_ids.get((change.kind, change.base_raw.get("id")))
            if change.renamed_to is not None and change.renamed_to.base is None:
                # G903 refuses the rename; the history under the new name is
                # still judged against the old file, so only what was really
                # appended is reported.
                change.renamed_to.base = change.base


def _judge(changes: dict[str, Change], records: list[Change], ctx: PullRequestContext) -> list[Finding]:
    """The loader's findings on each readable head, then every change rule on every change."""
    findings: list[Finding] = []
    for change in records:
        if change.head is not None:
            findings.extend(change.head.findings)  # a file the loader cannot read cannot be judged
    rules = checks_for("changes")
    for change in changes.values():

        def place(h: Hit, change: Change = change) -> tuple[str, tuple[int, int]]:
            target = changes[h.path] if h.path is not None else change
            return target.shown, _position(target, h)

        for rule in rules:
            findings.extend(findings_for(rule, rule.hits(change, ctx), place))
    return findings


def _settle_entries(changes: dict[str, Change], repo: Repository, base: str, head: str | None, prefix: str) -> None:
    """Judge registry paths by what is a regular file at each version, whatever git's status says.

    A record replaced by a gitlink or a link is a modification (or a type
    change) to git, yet it no longer holds the record: it is a deletion for
    the rules, and the entry itself is refused (G915). One ls-tree per
    version for the changed registry paths; the working tree is lstat'ed.
    """
    inside = [c for c in changes.values() if c.path.startswith(prefix)]
    base_modes = repo.modes(base, [c.path for c in inside if c.status != "A"])
    wanted = [c.path for c in inside if c.status != "D"]
    if head is None:
        head_modes = {path: mode for path in wanted if (mode := repo.working_mode(path)) is not None}
    else:
        head_modes = repo.modes(head, wanted)
    for change in inside:
        head_mode = head_modes.get(change.path) if change.status != "D" else None
        if head_mode is not None and head_mode not in REGULAR_MODES:
            change.non_file = describe_mode(head_mode)
        in_base, in_head = base_modes.get(change.path) in REGULAR_MODES, head_mode in REGULAR_MODES
        # Neither side a file: nothing a record rule can judge, only G915.
        change.status = "M" if in_base == in_head else "D" if in_base else "A"


def _position(change: Change, h: Hit) -> tuple[int, int]:
    if not h.where:
        return (1, 1)
    raw = change.head_raw if change.head is not None else change.base_raw
    if raw is None:
        return (1, 1)
    return locate(raw, h.where, at_key=h.at_key)
