"""The last line of defence: nothing ``ticreg build`` publishes holds a personal number.

``ticreg validate`` refuses a record with an identity or mobile number first
(P601/P602), but some fields may hold a mobile number because they are
never published (the applicant's contact), and a template can put any field
on a page. So before anything is written, the build looks twice with the
same detector:

* every string of the public view (each PublicCenter and Notice), before any
  template or serialiser had a chance to escape or split it;
* every generated file and handwritten page, which catches whatever a
  template adds or joins.

A file holding a number is not written at all; the build then stops before
MkDocs runs, so site/ is left as it was. Each finding names the registry
file, line and column and the field the number came from (found again in the
loaded records); a number no record holds is shown where it stands in the
generated file.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from ..errors import TicregError
from ..findings import Finding, dotted, sort_findings
from ..loader import locate
from ..personal_numbers import PersonalNumber, find_personal_numbers
from ..registry_files import display_path
from ..rules.personal_data import CODE_FIELDS, personal_numbers_in
from ..catalog import RULES
from .settings import SiteConfigError

_RULE_OF = {"resident_id": "P603", "mobile": "P604"}
# Enough places to find the leak; the rest are counted.
_PLACES_SHOWN = 3


class PersonalNumbersInSite(SiteConfigError):
    """The site would publish a personal number: nothing is published."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        TicregError.__init__(self, f"将要发布的网站内容中有 {len(findings)} 处个人号码，网站未构建")


@dataclasses.dataclass(frozen=True)
class _Source:
    path: str
    line: int
    column: int
    field: str
    code: bool = False  # a credit code field: published by design, as validate allows


class PublicationGuard:
    """Collects every personal number about to be published, then refuses the build."""

    def __init__(self, data) -> None:
        self._ctx = data.ctx
        self._today = data.today
        self._origins: dict[str, list[_Source]] | None = None
        # (kind, number, source) -> (the number masked, the places it would be published)
        self._leaks: dict[tuple[str, str, _Source], tuple[str, list[str]]] = {}

    def check_public_view(self, centers, notices) -> None:
        for center in centers:
            self._check_values(center, f"中心 {center.id} 的公开信息")
        for notice in notices:
            self._check_values(notice, f"公告 {notice.id}")

    def holds_number(self, shown_path: str, content: str | bytes, *, handwritten: bool = False) -> bool:
        """True (and the leak noted) when a file about to be written holds a number.

        A generated file's number is traced back to the record that holds it;
        a handwritten page is itself the place to fix."""
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        leaked = False
        for number in find_personal_numbers(text, self._today):
            line = text.count("\n", 0, number.start) + 1
            column = number.start - text.rfind("\n", 0, number.start)
            here = _Source(shown_path, line, column, "页面内容")
            leaked |= self._note(number, here, shown_path, traced=not handwritten)
        return leaked

    def refuse_if_any(self) -> None:
        if not self._leaks:
            return
        findings = []
        for (kind, _, source), (masked, places) in self._leaks.items():
            shown = "、".join(places[:_PLACES_SHOWN])
            if len(places) > _PLACES_SHOWN:
                shown += f" 等 {len(places)} 处"
            findings.append(RULES[_RULE_OF[kind]].finding(
                source.path, (source.line, source.column), field=source.field, actual=masked, other=shown,
            ))
        raise PersonalNumbersInSite(sort_findings(findings))

    def _check_values(self, value, place: str) -> None:
        for field, text in _strings(value):
            if field.rsplit(".", 1)[-1] in CODE_FIELDS:
                continue
            for number in find_personal_numbers(text, self._today):
                self._note(number, None, f"{place}（{field}）")

    def _note(self, number: PersonalNumber, fallback: _Source | None, place: str, *, traced: bool = True) -> bool:
        """Note a number about to be published; False when it is a credit code
        that only credit code fields of the registry hold."""
        sources = (self._sources_of(number.number) if traced else []) or ([fallback] if fallback else [])
        if sources and all(source.code for source in sources):
            return False
        sources = [source for source in sources if not source.code]
        if not sources:  # in the public view, yet in no record: name the view itself
            sources = [_Source(place, 1, 1, "公开信息")]
        for source in sources:
            _, places = self._leaks.setdefault((number.kind, number.number, source), (number.masked, []))
            if place not in places:
                places.append(place)
        return True

    def _sources_of(self, number: str) -> list[_Source]:
        """Where the registry holds *number*: built once, on the first leak only."""
        if self._origins is None:
            self._origins = {}
            for record in self._ctx.records:
                if record.raw is None:
                    continue
                for where, numbers in personal_numbers_in(record, self._ctx):
                    line, column = locate(record.raw, where)
                    code = bool(where) and where[-1] in CODE_FIELDS
                    source = _Source(record.path, line, column, dotted(where) or "文件", code)
                    for found in numbers:
                        self._origins.setdefault(found.number, []).append(source)
        return self._origins.get(number, [])


def _strings(value, prefix: str = ""):
    """(dotted field, text) of every string in a public-view value, iteratively."""
    stack = [(prefix, value)]
    while stack:
        field, node = stack.pop()
        if isinstance(node, str):
            yield field or "值", node
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            for f in reversed(dataclasses.fields(node)):
                stack.append((f"{field}.{f.name}" if field else f.name, getattr(node, f.name)))
        elif isinstance(node, (tuple, list)):
            for i, item in reversed(list(enumerate(node))):
                stack.append((f"{field}[{i}]", item))



# What a built site holds that a person reads as text; scripts, styles and
# fonts are the theme's code.
_BUILT_TEXT = frozenset({".html", ".json", ".xml", ".csv", ".ics", ".txt"})
# The theme's inline icons are drawing coordinates ("M9.5 3A6.5 6.5 0 0 1 16 9.5"):
# runs of digits between spaces and dots that are no one's number.
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def _blank(match: re.Match) -> str:
    # Same length and line breaks, so positions after it stay true.
    return re.sub(r"[^\n]", "#", match.group())


def numbers_in_built_site(folder: Path, today, published_as: Path | None = None) -> list[Finding]:
    """P603/P604 findings for every personal number in a site MkDocs has built
    (the search index included), at the built file's line and column.

    The sources were checked before MkDocs ran; this is for the folder a build
    writes before it replaces the published one, as a check of what MkDocs
    and the theme add. ``published_as``: the folder the files are about to
    replace (findings name ``site/...``, not the staging folder)."""
    findings = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in _BUILT_TEXT or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        if path.suffix.lower() == ".html":
            text = _SVG.sub(_blank, text)
        shown = display_path((published_as or folder) / path.relative_to(folder), Path.cwd())
        for number in find_personal_numbers(text, today):
            line = text.count("\n", 0, number.start) + 1
            column = number.start - text.rfind("\n", 0, number.start)
            findings.append(RULES[_RULE_OF[number.kind]].finding(
                shown, (line, column), field="页面内容", actual=number.masked, other=shown,
            ))
    return findings
