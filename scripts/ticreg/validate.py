"""`ticreg validate`: load the whole registry, check every file, report every finding."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import datetime as dt

from ticreg_schemas import APPLICATION_MODELS, Center, Departments, Policy, Staff
from ticreg_schemas.application import Application
from ticreg_schemas.calendar import CalendarYear
from ticreg_schemas.common import RegistryModel

from .findings import Finding, sort_findings
from .loader import PosDict, locate
from .registry_files import Record, discover, display_path, load_record
from .rules import load_all
from .catalog import RULES, Hit, Rule, checks_for
from .engine import Checked, Place, RegistryContext, findings_for
from .schema_check import show_input, validate_model

load_all()


@dataclass
class Outcome:
    findings: list[Finding]
    files: int


def _validate_application(record: Record, raw: PosDict, policy: Policy | None) -> None:
    kind = raw.get("kind")
    model = APPLICATION_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        if "kind" not in raw:
            record.findings.append(RULES["S101"].finding(record.path, raw.pos, field="kind（申报类型）"))
        else:
            record.findings.append(
                RULES["S103"].finding(
                    record.path,
                    locate(raw, ("kind",)),
                    field="kind（申报类型）",
                    actual=show_input(kind),
                    expected="应为以下之一：" + "、".join(APPLICATION_MODELS),
                )
            )
        return
    record.model, found = validate_model(model, raw, record.path, {"policy": policy})
    record.findings.extend(found)


_MODELS: dict[str, type[RegistryModel]] = {
    "policy": Policy,
    "departments": Departments,
    "center": Center,
    "calendar": CalendarYear,
    "staff": Staff,
}


def _check_schema(record: Record, policy: Policy | None) -> None:
    if record.raw is None:
        return
    if record.kind == "application":
        _validate_application(record, record.raw, policy)
    elif record.kind in _MODELS:
        record.model, found = validate_model(
            _MODELS[record.kind], record.raw, record.path, {"policy": policy}
        )
        record.findings.extend(found)


def _placed_in(record: Record) -> Place:
    return lambda h: (record.path, locate(record.raw, h.where, at_key=h.at_key))


def _run(rule: Rule, record: Record, hits: Iterable[Hit]) -> None:
    model_type = type(record.model) if record.model is not None else None
    record.findings.extend(findings_for(rule, hits, _placed_in(record), model_type))


def _build_context(policy: Policy, records: list[Record], today: dt.date | None) -> RegistryContext:
    ctx = RegistryContext(policy, records, today=today)
    for record in records:
        written_id = record.raw.get("id") if isinstance(record.raw, dict) else None
        if isinstance(written_id, str):
            if record.kind == "application":
                ctx.application_ids.add(written_id)
            elif record.kind == "center":
                ctx.center_ids.add(written_id)
        # The model's type follows from the file's kind (_check_schema).
        model = record.model
        if isinstance(model, Departments):
            ctx.department_record = Checked(record, model)
            for department in model.departments:
                ctx.departments.setdefault(department.id, department)
        elif isinstance(model, Application):
            ctx.applications[model.id].append(Checked(record, model))
        elif isinstance(model, Center):
            ctx.centers[model.id].append(Checked(record, model))
        elif isinstance(model, CalendarYear):
            ctx.calendar.add(model)
    return ctx


def _run_checks(ctx: RegistryContext, root: Path) -> list[Finding]:
    """Every registered check; per-file findings go to their record, the rest are returned."""
    per_scope = {
        scope: checks_for(scope)
        for scope in ("raw", "application", "center", "departments", "staff", "calendar")
    }
    for record in ctx.records:
        if record.raw is not None:
            for rule in per_scope["raw"]:
                _run(rule, record, rule.hits(record, ctx))
        if record.model is not None and record.kind in per_scope:
            for rule in per_scope[record.kind]:
                _run(rule, record, rule.hits(record.model, ctx))
    by_path = {record.path: record for record in ctx.records}

    def place(h: Hit) -> tuple[str, tuple[int, int]]:
        if h.path is None:
            raise ValueError(f"a registry-wide check must name the file of each hit: {h}")
        record = by_path.get(h.path)
        if record is None or record.raw is None:
            return h.path, (1, 1)
        return _placed_in(record)(h)

    def model_type(h: Hit) -> type | None:
        record = by_path.get(h.path) if h.path is not None else None
        return type(record.model) if record is not None and record.model is not None else None

    findings: list[Finding] = []
    for rule in checks_for("registry"):
        # Each hit names its file: a {field} the check left out is labelled from that file's model.
        for h in rule.hits(ctx, root):
            findings.extend(findings_for(rule, (h,), place, model_type(h)))
    return findings


def validate_registry(
    root: Path, cwd: Path, only: set[str] | None = None, *, today: dt.date | None = None
) -> Outcome:
    """Load and check every file under ``root``; report paths relative to ``cwd``.

    With ``only``, the whole registry is still read (references resolve
    against it) but only findings in those paths are reported.
    """
    return _with_collector_paused(root, cwd, only, today)[1]


def registry_context(root: Path, cwd: Path, *, today: dt.date | None = None) -> tuple[RegistryContext | None, Outcome]:
    """Validate like ``validate_registry`` and also return the context the checks ran on.

    For commands that need the loaded records (``record.model`` is None for a
    file that failed its schema). The context is None when policy.yml is
    missing or invalid: no checks ran then.
    """
    return _with_collector_paused(root, cwd, None, today)


def _with_collector_paused(
    root: Path, cwd: Path, only: set[str] | None, today: dt.date | None
) -> tuple[RegistryContext | None, Outcome]:
    # Every loaded tree stays alive until the end of the run, and none of
    # them holds a reference cycle, so the cyclic collector only re-scans
    # the growing heap: about a quarter of the run time at 10,000 files.
    # Reference counting still frees everything; the collector is back on
    # afterwards.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate_registry(root, cwd, only, today)
    finally:
        if was_enabled:
            gc.enable()


def _validate_registry(
    root: Path, cwd: Path, only: set[str] | None, today: dt.date | None
) -> tuple[RegistryContext | None, Outcome]:
    shown_root = display_path(root, cwd)
    records = [load_record(path, root, shown_root) for path in discover(root)]
    policy_record = next((r for r in records if str(r.relative) == "policy.yml"), None)
    policy: Policy | None = None
    if policy_record is not None:
        _check_schema(policy_record, None)
        policy = policy_record.model if isinstance(policy_record.model, Policy) else None
    for record in records:
        if record is not policy_record:
            _check_schema(record, policy)

    findings: list[Finding] = []
    ctx: RegistryContext | None = None
    if policy is not None:
        # Without a valid policy there are no thresholds to judge by: only
        # loader and schema findings are reported until it is fixed.
        ctx = _build_context(policy, records, today)
        findings += _run_checks(ctx, root)
    elif policy_record is None:
        shown = display_path(root / "policy.yml", cwd)
        findings.append(RULES["X500"].finding(shown, (1, 1), expected=shown))
    for record in records:
        findings.extend(record.findings)
    if only is not None:
        findings = [f for f in findings if f.path in only]
    files = sum(1 for r in records if only is None or r.path in only)
    return ctx, Outcome(sort_findings(findings), files)
