"""申报指南: categories, eligibility, procedure and templates, all read from the registry.

Every threshold and list on the page comes from policy.yml and every step
from the process engine's transition table, so the guide cannot disagree
with what `ticreg validate` enforces. The templates in templates/*.yml are
published as downloads, byte for byte.

The state diagrams are the engine's Mermaid source (the same text as
`ticreg state-diagram`), drawn in the browser by a vendored copy of Mermaid
that docs/assets/javascripts/state-diagram.js loads on this page only, when
a diagram scrolls into view; the transition tables below them say the same
for readers without JavaScript or a screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ticreg_schemas.events import (
    APPLICATION_EVENTS,
    CENTER_EVENTS,
    EVALUATION_OUTCOMES,
    REVIEW_STAGES,
)

from ...process import machine
from ..render import number, render

PAGE_URL = "guide/"
TEMPLATES_DIR = "templates"

# The repository this tool was installed from (editable install), for
# source_dir's fallback.
_TOOL_REPO = Path(__file__).resolve().parents[4]


def source_dir(repo: Path, relative: str, pattern: str) -> Path:
    """``repo/relative`` when it holds files matching ``pattern``, else the one
    shipped with this tool (as `ticreg new-application` finds templates/)."""
    for candidate in (repo / relative, _TOOL_REPO / relative):
        if any(candidate.glob(pattern)):
            return candidate
    raise FileNotFoundError(f"{relative}/ with {pattern} not found in {repo} or {_TOOL_REPO}")


KIND_LABELS = {
    machine.CERTIFICATION: "一般程序认定",
    machine.DIRECT: "直接认定（第十六条）",
    machine.CHANGE: "重大事项变更（第十五条）",
}

WITHDRAWN = "withdrawn"  # the event, and the state it leads to

# Events off the main line of an application: they leave it (rejection,
# withdrawal) or loop within publicity (objections).
_SIDE_EVENTS = frozenset({"rejected", "withdrawn", "objection-raised", "objection-dismissed", "objection-upheld", "amended"})


@dataclass(frozen=True)
class Thresholds:
    """Art. 8 as the registry's policy.yml sets it, ready to print."""

    division_prefix: str
    min_ip: str
    ip_kinds: list[str]
    patent_kinds: list[str]
    director_titles: list[str]
    director_degrees: list[str]
    min_researchers: str
    researcher_titles: list[str]
    researcher_degrees: list[str]
    local_share: str  # numerator/denominator
    local_months: str
    equipment_yuan: str  # thousands separated
    equipment_wan: str  # the same in 万元
    floor_area_m2: str
    min_institutions: str
    declarations: list[str]


@dataclass(frozen=True)
class Step:
    event: str  # Chinese label
    roles: str
    result: str


@dataclass(frozen=True)
class Row:
    source: str
    event: str
    target: str
    kinds: str
    roles: str


@dataclass(frozen=True)
class TemplateFile:
    name: str
    title: str
    url: str


def files(data):
    repo_templates = _template_files(source_dir(data.repo, TEMPLATES_DIR, "*.yml"))
    yield "guide/index.md", render(
        "guide.md.j2",
        page_url=PAGE_URL,
        policy=data.policy,
        rules=thresholds(data.policy),
        categories=_categories(data.policy),
        name_form=name_form(data.policy.naming.name_pattern),
        certification_steps=main_path(machine.CERTIFICATION),
        direct_steps=main_path(machine.DIRECT),
        change_steps=main_path(machine.CHANGE),
        skipped_by_direct=skipped_stages(),
        application_diagram=_diagram("application"),
        application_rows=application_rows(),
        center_diagram=_diagram("center"),
        center_rows=center_rows(),
        outcomes=list(EVALUATION_OUTCOMES.values()),
        templates=[t for t, _ in repo_templates],
        departments=[d for d in data.ctx.departments.values() if d.kind != "bureau"],
    )
    for template, content in repo_templates:
        yield f"guide/templates/{template.name}", content


# --- policy.yml ----------------------------------------------------------------


def _wan(yuan: int) -> str:
    """Yuan as 万元, exact: 1200000 -> 120, 1234500 -> 123.45."""
    value = (Decimal(yuan) / Decimal(10000)).normalize()
    return f"{value:,f}"


def thresholds(policy) -> Thresholds:
    e = policy.eligibility

    def names(list_name: str, ids) -> list[str]:
        return [policy.name_of(list_name, i) for i in ids]

    return Thresholds(
        division_prefix=e.registration_division_prefix,
        min_ip=number(e.min_ip_achievements),
        ip_kinds=[k.name for k in policy.ip_kinds],
        patent_kinds=[k.name for k in policy.ip_kinds if k.patent],
        director_titles=names("title_levels", e.director_qualifying_title_levels),
        director_degrees=names("degrees", e.director_qualifying_degrees),
        min_researchers=number(e.min_qualified_full_time_researchers),
        researcher_titles=names("title_levels", e.researcher_qualifying_title_levels),
        researcher_degrees=names("degrees", e.researcher_qualifying_degrees),
        local_share=f"{e.local_team_share.numerator}/{e.local_team_share.denominator}",
        local_months=number(e.local_months_per_year_more_than),
        equipment_yuan=number(e.min_rd_equipment_value_yuan),
        equipment_wan=_wan(e.min_rd_equipment_value_yuan),
        floor_area_m2=number(e.min_floor_area_m2),
        min_institutions=number(e.min_specialized_institutions),
        declarations=[d.text for d in e.required_declarations],
    )


def name_form(pattern: str) -> str | None:
    """The naming rule as people write it: the pattern with its ``core`` group as "XX".

    None when the pattern is not that simple shape; the example name then stands alone.
    """
    shown = re.sub(r"\(\?P<core>[^)]*\)", "XX", pattern).removeprefix("^").removesuffix("$")
    return None if re.search(r"[\\()\[\]{}*+?|^$.]", shown) else shown


@dataclass(frozen=True)
class CategoryView:
    id: str
    name: str
    article: str
    usual_leads: list[str]


def _categories(policy) -> list[CategoryView]:
    return [
        CategoryView(
            c.id, c.name, c.article,
            [policy.name_of("unit_kinds", k) for k in policy.usual_lead_unit_kinds.get(c.id, [])],
        )
        for c in policy.categories
    ]


# --- the process engine --------------------------------------------------------


def _roles(transition) -> str:
    return "、".join(machine.ROLES[r] for r in machine.ROLES if r in transition.roles)


def main_path(kind: str) -> list[Step]:
    """The straight road of an application of ``kind`` from submission to its decision."""
    state, steps = "new", []
    for _ in machine.APPLICATION_TRANSITIONS:  # bounded: the table has no cycle on the main line
        t = next(
            (t for t in machine.APPLICATION_TRANSITIONS
             if state in t.sources and kind in t.kinds and t.event not in _SIDE_EVENTS),
            None,
        )
        if t is None:
            break
        steps.append(Step(APPLICATION_EVENTS[t.event].label, _roles(t), machine.APPLICATION_STATES[t.target]))
        state = t.target
        if state in machine.FINAL_APPLICATION_STATES:
            break
    return steps


def skipped_stages() -> list[str]:
    """Review stages of the normal path that direct certification (Art. 16) does not go through."""
    def stages(kind):
        return [t.stage for t in machine.APPLICATION_TRANSITIONS
                if t.event == "rejected" and kind in t.kinds and t.stage]

    direct = set(stages(machine.DIRECT))
    return [REVIEW_STAGES[s] for s in dict.fromkeys(stages(machine.CERTIFICATION)) if s not in direct]


def _kinds(transition) -> str:
    if transition.kinds == machine.ALL_KINDS:
        return "全部"
    return "、".join(label for kind, label in KIND_LABELS.items() if kind in transition.kinds)


def application_rows() -> list[Row]:
    rows = []
    for t in machine.APPLICATION_TRANSITIONS:
        event = APPLICATION_EVENTS[t.event].label
        if t.stage:
            event += f"（{REVIEW_STAGES[t.stage]}环节）"
        for source in _ordered(t.sources, machine.APPLICATION_STATES):
            target = source if t.target == "=" else t.target  # a correction (amended) stays where it is
            rows.append(Row(machine.APPLICATION_STATES[source], event, machine.APPLICATION_STATES[target],
                            _kinds(t), _roles(t)))
    return rows


def center_rows() -> list[Row]:
    rows = []
    for t in machine.CENTER_TRANSITIONS:
        event = CENTER_EVENTS[t.event].label
        if t.outcome:
            event += f"（结论：{EVALUATION_OUTCOMES[t.outcome]}）"
        for source in _ordered(t.sources, machine.CENTER_STATES):
            target = source if t.target == "=" else t.target
            rows.append(Row(machine.CENTER_STATES[source], event, machine.CENTER_STATES[target], "", _roles(t)))
    return rows


def _ordered(states, order: dict[str, str]) -> list[str]:
    return [s for s in order if s in states]


def _diagram(of: str) -> str:
    """The engine's Mermaid source, with an accessible title and description for the SVG.

    The application diagram leaves out withdrawal: it is possible from every
    open state, and ten arrows into one box hide the procedure. The caption
    says so, and the transition table lists every withdrawal.
    """
    if of == "center":
        labels = {k: v.label for k, v in CENTER_EVENTS.items()}
        text = machine.mermaid(machine.CENTER_TRANSITIONS, machine.CENTER_STATES, labels)
        title, description = "中心状态图", "技术创新中心认定后的状态与事件：绩效评估、变更与撤销。各项转换见下表。"
    else:
        labels = {k: v.label for k, v in APPLICATION_EVENTS.items()}
        transitions = tuple(t for t in machine.APPLICATION_TRANSITIONS if t.event != WITHDRAWN)
        states = {k: v for k, v in machine.APPLICATION_STATES.items() if k != WITHDRAWN}
        text = machine.mermaid(transitions, states, labels)
        title, description = "申报办理流程图", "申报从单位申报到认定或未予通过的各个状态与事件。撤回及其他各项转换见下表。"
    first, rest = text.split("\n", 1)
    return f"{first}\n    accTitle: {title}\n    accDescr: {description}\n{rest}"


# --- templates/*.yml -------------------------------------------------------------


def _template_title(text: str, fallback: str) -> str:
    """The first comment line after the template's ``# ====`` rule: what it is for."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("# ===") and i + 1 < len(lines) and lines[i + 1].startswith("# "):
            return lines[i + 1][2:].strip()
    return fallback


def _template_files(folder: Path) -> list[tuple[TemplateFile, bytes]]:
    out = []
    for path in sorted(folder.glob("*.yml")):
        content = path.read_bytes()
        title = _template_title(content.decode("utf-8", errors="replace"), path.stem)
        out.append((TemplateFile(path.name, title, f"guide/templates/{path.name}"), content))
    return out
