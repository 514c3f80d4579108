"""A hostile registry: the shipped sample with markup in every public free-text field.

`make_hostile_registry` rewrites a copy of registry/ so that every free-text
field that reaches the website carries script, HTML, Markdown, template and
snippet syntax, and several center names (which must still match
policy.yml's naming.name_pattern, so no whitespace) carry markup too. The
registry stays valid (`ticreg validate` exits 0): values the validator
cross-checks (a center's name and lead unit against its application's
proposed_name and lead unit, a rename against the change application) are
changed on both sides.

The returned `HostileManifest` says which strings each center page, notice
and the directory must show as literal text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Each must reach the page as literal, inert text.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="window.__xss=1">',
    "[x](javascript:alert(1))",
    "{ onclick=alert(1) }",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    '--8<-- "/etc/passwd"',
    "&lt;b&gt;",
    "<!--",
    "]]>",
)

# Hostile center names (no whitespace: naming.name_pattern is ^晋城市(\S+?)技术创新中心$).
HOSTILE_NAMES = {
    "coalbed-methane-development": "晋城市<script>window.__xss=1</script>技术创新中心",
    "advanced-manufacturing": "晋城市</title><script>alert(1)</script>技术创新中心",
    "precision-casting": "晋城市<img/src=x/onerror=alert(1)>技术创新中心",  # the revoked center
    "green-low-carbon": "晋城市&lt;b&gt;{{7*7}}技术创新中心",
    "modern-agriculture": "晋城市[x](javascript:alert(1))技术创新中心",
    "taihang-smart-tourism": "晋城市<!--技术创新中心",
}
# Hostile proposed names of applications that were never certified (publicity notices).
HOSTILE_PROPOSED_NAMES = (
    "晋城市<svg/onload=window.__xss=1>技术创新中心",
    "晋城市]]><script>alert(1)</script>技术创新中心",
    "晋城市{%raw%}<b>x</b>技术创新中心",
)
# What a successful snippet include of /etc/passwd would show.
PASSWD_MARKER = "root:x:0:0"


@dataclass
class HostileManifest:
    names: dict[str, str] = field(default_factory=dict)  # center id -> (hostile) name
    proposed_names: dict[str, str] = field(default_factory=dict)  # uncertified application id -> name
    center_literals: dict[str, list[str]] = field(default_factory=dict)  # center id -> texts on its page
    application_ids: set[str] = field(default_factory=set)  # applications given hostile text


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


class _Rotation:
    """Hands out the payloads in turn, so every field gets a different one."""

    def __init__(self) -> None:
        self.i = 0

    def next(self) -> str:
        payload = PAYLOADS[self.i % len(PAYLOADS)]
        self.i += 1
        return payload


def make_hostile_registry(registry: Path) -> HostileManifest:
    """Rewrite the registry at `registry` in place; return what must show literally."""
    applications = {p.stem: p for p in (registry / "applications").glob("*/*.yml")}
    rewriter = _Rewriter({app_id: _load(path) for app_id, path in applications.items()})
    for path in sorted((registry / "centers").glob("*.yml")):
        center = _load(path)
        rewriter.center(center)
        _dump(path, center)
    # Applications: lead units (and co-builders) as renamed above, payloads in
    # the summary and directions, hostile proposed names where never certified.
    proposed = iter(HOSTILE_PROPOSED_NAMES)
    for app_id, data in rewriter.app_data.items():
        rewriter.application(app_id, data, proposed)
    for app_id, path in applications.items():
        _dump(path, rewriter.app_data[app_id])
    return rewriter.manifest


class _Rewriter:
    """Puts payloads in the records' free text, one rotation for the whole registry
    (the order of the calls fixes which payload lands where)."""

    def __init__(self, app_data: dict[str, dict]) -> None:
        self.app_data = app_data
        self.manifest = HostileManifest()
        self.rotation = _Rotation()
        self.renamed_units: dict[str, str] = {}  # old unit name -> hostile unit name

    def hostile_unit(self, old: str) -> str:
        if old not in self.renamed_units:
            self.renamed_units[old] = f"{old}{self.rotation.next()}"
        return self.renamed_units[old]

    def center(self, center: dict) -> None:
        cid = center["id"]
        literals: list[str] = []
        if cid in HOSTILE_NAMES:
            name = HOSTILE_NAMES[cid]
            center["name"] = name
            self.app_data[center["application_id"]]["proposed_name"] = name
            literals.append(name)
        self.manifest.names[cid] = center["name"]

        # Every payload in the summary, one per research direction.
        center["summary"] = "简介：" + " ".join(PAYLOADS) + " 结束。"
        literals += list(PAYLOADS)
        center["research_directions"] = [f"方向{p}" for p in PAYLOADS[:4]]
        literals += center["research_directions"]
        self.approve_directions(center)
        literals += self.center_people(center)
        for event in center["history"]:
            literals += self.center_event(event)
        self.manifest.center_literals[cid] = literals
        self.manifest.application_ids.add(center["application_id"])

    def approve_directions(self, center: dict) -> None:
        """An approved change of directions (F815) approved the hostile ones: the
        changed event and its change application say what the center now holds."""
        for event in center["history"]:
            if event["event"] == "changed" and event.get("new_research_directions"):
                event["new_research_directions"] = list(center["research_directions"])
                change = self.app_data[event["application_id"]]["requested_change"]
                change["new_research_directions"] = list(center["research_directions"])

    def center_people(self, center: dict) -> list[str]:
        """Units, director, institutions and address; the texts that must show."""
        rotation = self.rotation
        lead = self.hostile_unit(center["lead_unit"]["name"])
        center["lead_unit"]["name"] = lead
        literals = [lead]
        for builder in center.get("co_builders", []):
            builder["name"] = self.hostile_unit(builder["name"])
            literals.append(builder["name"])

        center["director"]["title"] = f"研究员{rotation.next()}"
        literals.append(center["director"]["title"])

        for institution in center.get("specialized_institutions", []):
            institution["name"] = f"研究所{rotation.next()}"
            institution["host_unit"] = lead
            institution["focus"] = f"方向：{rotation.next()}"
            literals += [institution["name"], institution["focus"]]

        if center.get("contact", {}).get("address"):
            center["contact"]["address"] = f"示例路{rotation.next()}"
            literals.append(center["contact"]["address"])
        return literals

    def center_event(self, event: dict) -> list[str]:
        """The free text of one center history event; the texts that must show."""
        rotation = self.rotation
        if event["event"] == "evaluated":
            event["evaluator"] = f"评估机构{rotation.next()}"
            event["note"] = f"评估说明{rotation.next()}"
            return [event["evaluator"], event["note"]]
        if event["event"] == "revoked":
            event["reason"] = f"撤销理由{rotation.next()}"
            return [event["reason"]]
        literals = []
        if event["event"] == "changed":
            if event.get("restructuring"):
                event["restructuring"] = f"调整{rotation.next()}"
                literals.append(event["restructuring"])
            event["note"] = f"变更说明{rotation.next()}"
        return literals

    def application(self, app_id: str, data: dict, proposed: Iterator[str]) -> None:
        rotation = self.rotation
        lead = data.get("lead_unit", {})
        if lead.get("name") in self.renamed_units:
            lead["name"] = self.renamed_units[lead["name"]]
        for builder in data.get("co_builders", []) or []:
            if builder.get("name") in self.renamed_units:
                builder["name"] = self.renamed_units[builder["name"]]
        # Notes and reasons in the history (objections, rejections, withdrawals).
        for event in data["history"]:
            for key in ("note", "reason"):
                if event.get(key):
                    event[key] = f"{event[key]}{rotation.next()}"
        if data.get("kind") == "change":
            if data.get("reason"):
                data["reason"] = f"{data['reason']}{rotation.next()}"
            return
        data["summary"] = "申报简介：" + " ".join(PAYLOADS)
        certified = any(e.get("event") == "certified" for e in data["history"])
        published = any(e.get("event") == "publicity-started" for e in data["history"])
        if not certified and published:
            name = next(proposed, None)
            if name is not None:
                data["proposed_name"] = name
                self.manifest.proposed_names[app_id] = name
        self.manifest.application_ids.add(app_id)
