"""申报指南 and 规则 on the built sample site: thresholds read from policy.yml (not
literals), the procedure from the process engine, the downloadable templates,
every rule with its anchor and article.

Expectations come from policy.yml, departments.yml, templates/ and the rule
registry; one test rebuilds a copy with changed thresholds to prove the guide
reads them.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml
from conftest import REGISTRY, REPO, build_site_in, copy_site_inputs
from test_site_notices_data import built_page, parse, resolves, squash
from ticreg.process import machine
from ticreg.rules import load_all
from ticreg.catalog import RULES

POLICY = yaml.safe_load((REGISTRY / "policy.yml").read_text(encoding="utf-8"))
DEPARTMENTS = yaml.safe_load((REGISTRY / "departments.yml").read_text(encoding="utf-8"))["departments"]
SEVERITY = {"error": "错误", "warning": "警告"}


def names(list_name: str) -> dict[str, str]:
    return {item["id"]: item["name"] for item in POLICY[list_name]}


def wan(yuan: int) -> str:
    return f"{(Decimal(yuan) / 10000).normalize():,f}"


def threshold_texts(policy: dict) -> list[str]:
    """How the guide must print each Art. 8 threshold of ``policy``."""
    e = policy["eligibility"]
    area = e["min_floor_area_m2"]
    area = int(area) if float(area).is_integer() else area
    months = e["local_months_per_year_more_than"]
    months = int(months) if float(months).is_integer() else months
    share = e["local_team_share"]
    return [
        f"以 {e['registration_division_prefix']} 开头",
        f"不少于 {e['min_ip_achievements']} 项",
        f"不少于 {e['min_qualified_full_time_researchers']} 名",
        f"超过 {months} 个月",
        f"{share['numerator']}/{share['denominator']}",
        f"不低于 {e['min_rd_equipment_value_yuan']:,} 元（{wan(e['min_rd_equipment_value_yuan'])}万元）",
        f"不少于 {area:,} 平方米",
    ]


# --- the guide -----------------------------------------------------------------------


def test_guide_shows_the_thresholds_and_lists_of_policy_yml(sample_site):
    text = squash(built_page(sample_site, "guide/").text())
    for expected in threshold_texts(POLICY):
        assert expected in text, expected
    e = POLICY["eligibility"]
    titles, degrees = names("title_levels"), names("degrees")
    assert "或".join(titles[t] for t in e["director_qualifying_title_levels"]) in text
    assert "或".join(degrees[d] for d in e["director_qualifying_degrees"]) in text
    for declaration in e["required_declarations"]:
        assert declaration["text"] in text
    for item in POLICY["clusters"] + POLICY["categories"] + POLICY["ip_kinds"]:
        assert item["name"] in text
    assert POLICY["naming"]["example"] in text
    assert f"公示期为 {POLICY['publicity']['working_days']} 个工作日" in text
    assert f"以 {POLICY['evaluation']['cycle_years']} 年为周期" in text
    for department in DEPARTMENTS:
        if department["kind"] != "bureau":
            assert department["id"] in text and department["name"] in text


def _lower_thresholds(policy: dict) -> dict:
    """New, looser thresholds (the sample registry stays valid), none equal to the old."""
    e = policy["eligibility"]
    e["registration_division_prefix"] = e["registration_division_prefix"][:2]
    e["min_qualified_full_time_researchers"] -= 1
    e["local_months_per_year_more_than"] -= 1
    e["min_rd_equipment_value_yuan"] = e["min_rd_equipment_value_yuan"] * 3 // 4 - 1234
    e["min_floor_area_m2"] = e["min_floor_area_m2"] - 67.5
    return policy


def test_a_changed_threshold_in_policy_yml_changes_the_guide(tmp_path):
    repo = copy_site_inputs(tmp_path / "repo")
    policy_file = repo / "registry" / "policy.yml"
    old = yaml.safe_load(policy_file.read_text(encoding="utf-8"))
    new = _lower_thresholds(yaml.safe_load(policy_file.read_text(encoding="utf-8")))
    policy_file.write_text(yaml.safe_dump(new, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build_site_in(repo, "--sources-only")
    assert result.code == 0, result.stdout + result.stderr
    guide = squash((repo / "build" / "docs" / "guide" / "index.md").read_text(encoding="utf-8"))
    plain = squash(re.sub(r"<[^>]+>", "", guide))
    for expected in threshold_texts(new):
        assert expected in plain, expected
    for stale in set(threshold_texts(old)) - set(threshold_texts(new)):
        assert stale not in plain, stale


def test_guide_templates_are_the_repository_templates_byte_for_byte(sample_site):
    sources = sorted((REPO / "templates").glob("*.yml"))
    assert sources
    body = built_page(sample_site, "guide/")
    hrefs = [a.attrs.get("href", "") for a in body.find_all("a")]
    for source in sources:
        published = sample_site / "site" / "guide" / "templates" / source.name
        assert published.read_bytes() == source.read_bytes(), source.name
        link = [h for h in hrefs if h.endswith(f"guide/templates/{source.name}")]
        assert link and resolves(sample_site, "guide/", link[0]), source.name


def test_guide_transition_tables_come_from_the_engine(sample_site):
    body = built_page(sample_site, "guide/")
    tables = body.find_all("table")
    application = next(t for t in tables if "申报的状态转换表" in squash(t.find("caption").text()))
    center = next(t for t in tables if "中心的状态转换表" in squash(t.find("caption").text()))
    for table, transitions, states in (
        (application, machine.APPLICATION_TRANSITIONS, machine.APPLICATION_STATES),
        (center, machine.CENTER_TRANSITIONS, machine.CENTER_STATES),
    ):
        rows = table.find("tbody").find_all("tr")
        assert len(rows) == sum(len(t.sources) for t in transitions)
        shown = {squash(row.find("td").text()) for row in rows}
        assert shown == {states[s] for t in transitions for s in t.sources}
        for row in rows:
            roles = squash(row.find_all("td")[-1].text())
            assert roles and set(roles.split("、")) <= set(machine.ROLES.values())


def test_state_diagrams_are_drawn_by_the_vendored_mermaid_on_the_guide_only(sample_site):
    site = sample_site / "site"
    html = (site / "guide" / "index.html").read_text(encoding="utf-8")
    builder = parse(html)
    scripts = [attrs for tag, attrs in builder.start_tags if tag == "script" and attrs.get("src")]
    # state-diagram.js loads Mermaid from the local copy its tag names, when a diagram comes into view.
    drawer = [a for a in scripts if a["src"].endswith("state-diagram.js")]
    assert len(drawer) == 1 and resolves(sample_site, "guide/", drawer[0]["src"])
    mermaid = drawer[0]["data-mermaid"]
    assert mermaid.endswith("mermaid.min.js") and not mermaid.startswith(("http:", "https:", "//", "/"))
    assert resolves(sample_site, "guide/", mermaid)
    assert not [a for a in scripts if "mermaid" in a["src"]]
    # Material fetches Mermaid from a CDN for class="mermaid": the guide must not use it.
    diagrams = builder.root.find_all("pre", class_="tic-state-diagram")
    assert len(diagrams) == 2
    assert not builder.root.find_all(class_="mermaid")
    source = diagrams[0].text()
    assert source.startswith("stateDiagram-v2") and "accTitle:" in source
    for state, label in machine.APPLICATION_STATES.items():
        if state not in ("new", "withdrawn"):
            assert f"{state.replace('-', '_')}: {label}" in source
    others = [p for p in site.rglob("*.html") if p.parent.name != "guide" and "mermaid.min.js" in p.read_text("utf-8")]
    assert others == []
    vendor = REPO / "docs" / "assets" / "vendor" / "mermaid"
    assert (vendor / "LICENSE").read_text(encoding="utf-8").startswith("The MIT License")
    assert "MIT" in (vendor / "README.txt").read_text(encoding="utf-8")


def test_guide_warns_against_identity_and_mobile_numbers(sample_site):
    text = squash(built_page(sample_site, "guide/").text())
    assert "身份证号码" in text and "手机号" in text
    for field in POLICY["personal_data"]["mobile_allowed_fields"]:
        assert field in text
    assert "通过仓库的 Issue 表单提交" in text
    assert "ticreg new-application" in text and "ticreg validate" in text


# --- the rules page ------------------------------------------------------------------


def test_every_rule_is_on_the_rules_page_with_its_anchor_and_article(sample_site):
    load_all()
    assert RULES
    body = built_page(sample_site, "rules/")
    for rule in RULES.values():
        section = body.find(id=f"rule-{rule.id}")
        text = squash(section.text())
        assert rule.id in text and rule.title in text, rule.id
        assert squash(section.find("span", class_="tic-rule-article").text()) == rule.article, rule.id
        assert SEVERITY[rule.severity] in text, rule.id
        # The explanation, line breaks of the docstring aside.
        first_line = rule.doc.strip().splitlines()[0].strip() if rule.doc.strip() else ""
        assert squash(first_line) in text, rule.id
        family = section.parent
        assert family.attrs.get("id") == f"family-{rule.id[0].lower()}", rule.id


def test_rules_page_lists_each_rule_once(sample_site):
    load_all()
    html = (sample_site / "site" / "rules" / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'id="rule-([A-Z]\d+)"', html)
    assert sorted(anchors) == sorted(RULES)


@pytest.mark.parametrize(
    "doc,expected",
    [
        ("中文第一行\n（第二行）", ["中文第一行（第二行）"]),
        ("see the\nfile policy.yml", ["see the file policy.yml"]),
        ("段一\n\n段二\n续", ["段一", "段二续"]),
        ("  缩进\n    的行  ", ["缩进的行"]),
    ],
)
def test_docstring_line_breaks_do_not_split_chinese_words(doc, expected):
    from ticreg.site.pages.rules import paragraphs

    assert paragraphs(doc) == expected


def test_a_rule_family_without_a_heading_fails_the_build(monkeypatch):
    from ticreg.catalog import Rule
    from ticreg.site.pages import rules as page

    load_all()
    monkeypatch.setitem(RULES, "Q999", Rule("Q999", "error", "第一条", "新规则", "x", "说明", ("file",)))
    with pytest.raises(ValueError, match="Q"):
        page.families()


def test_name_form_is_derived_from_the_naming_pattern():
    from ticreg.site.pages.guide import name_form

    assert name_form(POLICY["naming"]["name_pattern"]) == "晋城市XX技术创新中心"
    assert name_form(r"^(?P<core>\S+)市(a|b)$") is None


def test_paths_are_relative(sample_site):
    """The guide's links work under any base path: none is absolute."""
    html = (sample_site / "site" / "guide" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', article)
    assert hrefs and not [h for h in hrefs if h.startswith("/")]

