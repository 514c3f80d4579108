"""Tests of the rule registry itself: stable, unique, documented, renderable."""

from __future__ import annotations

import re
import string

import pytest

from ticreg.rules import load_all
from ticreg.catalog import RULES, SCOPES, SEVERITIES, TEMPLATE_FIELDS
from ticreg.catalog import rule as register_rule

load_all()

ALL = sorted(RULES.values(), key=lambda r: r.id)


def test_rule_ids_are_unique_and_redefinition_is_refused():
    assert len({r.id for r in ALL}) == len(ALL)
    with pytest.raises(ValueError):
        register_rule("E101", severity="error", article="x", title="x", template="x", doc="x", scope="application")


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.id)
def test_rule_is_complete(rule):
    assert re.fullmatch(r"[A-Z]\d{3}", rule.id)
    assert rule.severity in SEVERITIES
    assert set(rule.scope) <= set(SCOPES)
    assert re.search(r"[\u4e00-\u9fff]", rule.title)
    assert re.search(r"[\u4e00-\u9fff]", rule.doc), "每条规则都要有中文说明（docstring）"
    assert rule.article


@pytest.mark.parametrize("rule", ALL, ids=lambda r: r.id)
def test_templates_use_only_known_fields(rule):
    names = [name for _, name, spec, conv in string.Formatter().parse(rule.template) if name is not None]
    assert set(names) <= set(TEMPLATE_FIELDS), names
    rendered = rule.render(**{name: f"<{name}>" for name in names})
    for name in names:
        assert f"<{name}>" in rendered


def test_rule_findings_carry_the_article():
    finding = RULES["E109"].finding("a.yml", (3, 4), actual=1, expected=2)
    assert (finding.line, finding.column, finding.rule, finding.severity) == (3, 4, "E109", "error")
    assert finding.article in finding.message
    assert "1" in finding.message and "2" in finding.message
