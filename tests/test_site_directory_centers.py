"""中心名录, the center pages and 统计 on the built sample site; charts.py and the
relative links; hostile registry text through the page modules and Python-Markdown.

Every expectation is computed from the registry's YAML (never hard-coded), so
the tests follow the sample registry as it grows. HTML is read with the
standard library's html.parser: no new dependency.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import markdown
import pytest
import yaml
from conftest import REGISTRY, REPO, TODAY
from html_tree import Node, parse
from ticreg.process.evaluation import add_years
from ticreg.process.machine import CENTER_STATES
from ticreg.site import charts
from ticreg.site.charts import bar_chart
from ticreg.site.public import CENTER_STATE_ORDER
from ticreg.site.render import rel, zh_date

# --- built pages ---------------------------------------------------------------


def page(sample_site: Path, url: str) -> Node:
    """The built page at site-relative directory URL ``url`` ("" for home)."""
    return parse((sample_site / "site" / url / "index.html").read_text(encoding="utf-8")).root


def article(doc: Node) -> Node:
    return doc.find("article")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- expectations from the YAML ---------------------------------------------------


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


POLICY = _load(REGISTRY / "policy.yml")
CENTERS = {data["id"]: data for data in map(_load, sorted((REGISTRY / "centers").glob("*.yml")))}
APPLICATIONS = {p.stem: p for p in (REGISTRY / "applications").glob("*/*.yml")}


def names(list_name: str, key: str = "id") -> dict[str, str]:
    return {item[key]: item["name"] for item in POLICY[list_name]}


def certified(center: dict) -> dict:
    return next(e for e in center["history"] if e["event"] == "certified")


def expected_state(center: dict) -> str:
    """The state the history leaves a center in (Art. 14): each event moves it."""
    state = "new"
    for event in center["history"]:
        if event["event"] == "certified":
            state = "active"
        elif event["event"] == "evaluated":
            state = {"retain": "active", "rectify": "rectifying", "revoke": "revocation-decided"}[event["outcome"]]
        elif event["event"] == "revoked":
            state = "revoked"
    return state


def revoked_ids() -> list[str]:
    ids = [cid for cid, c in CENTERS.items() if any(e["event"] == "revoked" for e in c["history"])]
    assert ids, "the sample registry should hold a revoked center"
    return ids


def directory_rows(sample_site: Path) -> dict[str, Node]:
    table = page(sample_site, "centers").find("table", id="tic-directory")
    rows = table.find("tbody").find_all("tr")
    by_id = {}
    for row in rows:
        href = row.find("a").attrs["href"]
        match = re.search(r"centers/([a-z0-9-]+)/$", href)
        assert match, href
        assert match.group(1) not in by_id, f"two rows for {match.group(1)}"
        by_id[match.group(1)] = row
    assert len(by_id) == len(rows)
    return by_id


# --- 中心名录 ---------------------------------------------------------------------


def test_directory_has_one_row_per_center_with_the_yaml_data(sample_site):
    rows = directory_rows(sample_site)
    assert set(rows) == set(CENTERS)
    clusters, counties = names("clusters"), names("counties", "code")
    for cid, center in CENTERS.items():
        row = rows[cid]
        assert row.attrs["data-category"] == center["category"], cid
        assert row.attrs["data-cluster"] == (center.get("cluster") or ""), cid
        assert row.attrs["data-county"] == center["county_code"], cid
        assert row.attrs["data-state"] == expected_state(center), cid
        text = squash(row.text())
        assert center["name"] in text
        assert center["lead_unit"]["name"] in text
        assert counties[center["county_code"]] in text
        if center.get("cluster"):
            assert clusters[center["cluster"]] in text
        day = certified(center)["date"]
        assert zh_date(day) in text
        date_cell = row.find("td", **{"data-sort-value": day.isoformat()})
        assert zh_date(day) in date_cell.text()
        assert CENTER_STATES[expected_state(center)] in text


def test_revoked_center_stays_listed_with_its_badge(sample_site):
    rows = directory_rows(sample_site)
    for cid in revoked_ids():
        row = rows[cid]
        assert row.attrs["data-state"] == "revoked"
        assert row.attrs.get("hidden") is None
        badges = [squash(b.text()) for b in row.find_all("span", class_="tic-badge")]
        assert "已撤销" in badges, (cid, badges)
    for cid, row in rows.items():
        if cid not in revoked_ids():
            assert "已撤销" not in row.text(), cid


def test_directory_filter_controls_count_and_sortable_headers(sample_site):
    doc = page(sample_site, "centers")
    expected = {
        "tic-filter-category": list(names("categories")),
        "tic-filter-cluster": list(names("clusters")),
        "tic-filter-major": ["yes", "no"],
        "tic-filter-county": list(names("counties", "code")),
        "tic-filter-state": list(CENTER_STATE_ORDER),
    }
    for control_id, values in expected.items():
        select = doc.find("select", id=control_id)
        options = select.find_all("option")
        assert (options[0].attrs["value"], squash(options[0].text())) == ("", "全部")
        assert [o.attrs["value"] for o in options[1:]] == values
        assert doc.find_all("label", **{"for": control_id}), control_id
    assert [squash(o.text()) for o in doc.find("select", id="tic-filter-state").find_all("option")[1:]] == [
        CENTER_STATES[s] for s in CENTER_STATE_ORDER
    ]
    assert doc.find("input", id="tic-filter-text").attrs["type"] == "search"
    assert doc.find_all("label", **{"for": "tic-filter-text"})
    count = doc.find("p", id="tic-directory-count")
    assert count.attrs["aria-live"] == "polite"
    assert squash(count.text()) == f"显示 {len(CENTERS)} 个中心，共 {len(CENTERS)} 个"
    headers = doc.find("table", id="tic-directory").find("thead").find_all("th")
    assert [squash(th.text()) for th in headers] == ["名称", "类别", "重点产业集群", "县（市、区）", "牵头单位", "认定日期", "状态"]
    for th in headers:
        assert th.attrs.get("aria-sort") in ("none", "ascending", "descending")
        assert th.find("button").attrs["type"] == "button"


# --- the center pages ---------------------------------------------------------------


def test_center_pages_show_the_public_facts(sample_site):
    services = names("services")
    cycle = POLICY["evaluation"]["cycle_years"]
    without_evaluation = 0
    for cid, center in CENTERS.items():
        body = article(page(sample_site, f"centers/{cid}"))
        h1 = body.find_all("h1")
        assert [squash(h.text()) for h in h1] == [center["name"]], cid
        text = squash(body.text())
        event = certified(center)
        assert event["document_number"] in text, cid
        assert zh_date(event["date"]) in text, cid
        for service in center["services"]:
            assert services[service] in text, (cid, service)
        assert center["director"]["name"] in text, cid
        for direction in center["research_directions"]:
            assert direction in text, cid
        evaluations = [e for e in center["history"] if e["event"] == "evaluated"]
        if expected_state(center) == "revoked":
            assert "下次评估截止" not in text, cid
            revoked = next(e for e in center["history"] if e["event"] == "revoked")
            assert revoked["reason"] in text and revoked["document_number"] in text, cid
        elif not evaluations:
            without_evaluation += 1
            due = add_years(event["date"], cycle)
            assert f"下次评估截止：{zh_date(due)}" in text, cid
        website = (center.get("contact") or {}).get("website")
        if website:
            link = body.find("a", href=website)
            assert set(link.attrs["rel"].split()) >= {"noopener", "noreferrer", "nofollow"}, cid
    assert without_evaluation, "no center without an evaluation: the due-date check ran on nothing"


def test_a_renamed_center_shows_its_former_name(sample_site):
    renamed = {
        cid: [e["former_name"] for e in c["history"] if e["event"] == "changed" and e.get("former_name")]
        for cid, c in CENTERS.items()
    }
    renamed = {cid: former for cid, former in renamed.items() if former}
    assert renamed, "the sample registry should hold a renamed center"
    for cid, former_names in renamed.items():
        body = article(page(sample_site, f"centers/{cid}"))
        listed = [squash(li.text()) for li in body.find("ul", class_="tic-former-names").find_all("li")]
        assert listed == former_names, cid
        assert CENTERS[cid]["name"] == squash(body.find("h1").text())


def _private_strings(center: dict) -> set[str]:
    """Team members' names and the applicant's contact person and phone: never public.
    The director is a team member too, and is published by name."""
    application = _load(APPLICATIONS[center["application_id"]])
    private = {m["name"] for m in application.get("team") or []}
    contact = application.get("contact") or {}
    private |= {str(contact[k]) for k in ("person", "phone") if contact.get(k)}
    return private - {center["director"]["name"]}


def test_center_pages_never_show_team_names_or_the_applicant_contact(sample_site):
    checked = 0
    for cid, center in CENTERS.items():
        html = (sample_site / "site" / "centers" / cid / "index.html").read_text(encoding="utf-8")
        for secret in _private_strings(center):
            assert secret not in html, f"centers/{cid}/ shows {secret!r}"
            checked += 1
        body = squash(article(parse(html).root).text())
        assert "团队成员姓名不予公开" in body, cid
    assert checked, "no team member or contact in the sample applications: the check ran on nothing"


def test_center_pages_are_not_in_the_navigation(sample_site):
    some_center = next(iter(CENTERS))
    for url in ("", "centers", f"centers/{some_center}", "statistics"):
        doc = page(sample_site, url)
        navs = [n for n in doc.iter() if "md-nav" in (n.attrs.get("class") or "").split()]
        assert navs, f"{url or 'home'}: no .md-nav found"
        for nav in navs:
            for link in nav.find_all("a"):
                href = link.attrs.get("href") or ""
                assert not re.search(r"centers/[a-z0-9-]+/?(index\.html)?$", href), f"{url}: nav links {href}"


def test_every_link_on_these_pages_resolves_to_a_built_page(sample_site):
    """Relative links (rel()) from the directory, a center page and 统计 reach real files."""
    base = "https://tic.example/sub/"  # any base path: the links are relative
    for url in ["centers", "statistics", *(f"centers/{cid}" for cid in CENTERS)]:
        for link in article(page(sample_site, url)).find_all("a"):
            href = link.attrs.get("href") or ""
            if href.startswith(("http://", "https://", "#")) or not href:
                continue
            target = urlsplit(urljoin(base + url + "/", href)).path
            assert target.startswith("/sub/"), (url, href)
            path = sample_site / "site" / target.removeprefix("/sub/")
            if path.is_dir() or target.endswith("/"):
                path = path / "index.html"
            assert path.is_file(), f"{url}: {href} -> {path}"


# --- 统计 ---------------------------------------------------------------------------


def _yaml_counts() -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {k: {} for k in ("category", "cluster", "major", "county", "state", "year")}
    for center in CENTERS.values():
        cluster = center.get("cluster")
        keys = {
            "category": center["category"],
            "cluster": cluster,
            "major": None if cluster is None else "major" if cluster in POLICY["major_clusters"] else "other",
            "county": center["county_code"],
            "state": expected_state(center),
            "year": str(certified(center)["date"].year),
        }
        for key, value in keys.items():
            if value is not None:
                out[key][value] = out[key].get(value, 0) + 1
    return out


def test_statistics_charts_and_tables_match_the_yaml(sample_site):
    doc = page(sample_site, "statistics")
    body = article(doc)
    assert f"截至 {zh_date(TODAY)}" in squash(body.text())
    expected = _yaml_counts()
    ids = {
        "category": list(names("categories")),
        "cluster": list(names("clusters")),
        "major": ["major", "other"],
        "county": list(names("counties", "code")),
        "state": list(CENTER_STATE_ORDER),
    }
    years = sorted(int(y) for y in expected["year"])
    ids["year"] = [str(y) for y in range(years[0], years[-1] + 1)]
    assert len(body.find_all("svg", role="img")) == len(ids)
    for key, order in ids.items():
        svg = body.find("svg", id=f"tic-chart-{key}")
        assert svg.attrs["role"] == "img"
        assert "viewBox" in svg.attrs or "viewbox" in svg.attrs
        title_id = svg.attrs["aria-labelledby"].split()[0]
        assert squash(svg.find("title", id=title_id).text())
        table = body.find("table", id=f"tic-table-{key}")
        assert squash(table.find("caption").text())
        assert all(th.attrs.get("scope") in ("col", "row") for th in table.find_all("th"))
        rows = table.find("tbody").find_all("tr")
        shown = {r.attrs["data-id"]: int(r.find("td").text()) for r in rows}
        assert list(shown) == order, key
        assert shown == {i: expected[key].get(i, 0) for i in order}, key
        # The chart draws the same numbers as the table.
        values = [int(t.text()) for t in svg.find_all("text", class_="tic-chart__value")]
        assert values == list(shown.values()), key
    assert sum(expected["state"].values()) == len(CENTERS)


# --- charts.py ------------------------------------------------------------------------


SVG_NS = "{http://www.w3.org/2000/svg}"


def _svg(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # well-formed XML, or this raises


def test_chart_escapes_a_hostile_label_and_title():
    hostile = '<script>alert(1)</script>"&\'<img src=x onerror=alert(1)>'
    out = str(bar_chart("c1", f"标题{hostile}", [(hostile, 2), ("普通", 1)]))
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out
    root = _svg(out)
    labels = [t.text for t in root.iter(f"{SVG_NS}text") if "tic-chart__label" in t.get("class")]
    assert labels == [hostile, "普通"]
    assert root.find(f"{SVG_NS}title").text.startswith(f"标题{hostile}")
    assert not [el for el in root.iter() for name in el.attrib if name.lower().startswith("on")]


def test_chart_output_is_deterministic_and_proportional():
    items = [("甲", 4), ("乙类别较长的标签", 2), ("丙", 1)]
    first, second = bar_chart("c2", "图", items), bar_chart("c2", "图", list(items))
    assert str(first) == str(second)
    assert str(bar_chart("c2", "图", [("甲", 4), ("乙类别较长的标签", 3), ("丙", 1)])) != str(first)
    root = _svg(first)
    widths = [float(r.get("width")) for r in root.iter(f"{SVG_NS}rect")]
    assert widths == [charts.BAR_AREA, charts.BAR_AREA / 2, charts.BAR_AREA / 4]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby").split()[0] == root.find(f"{SVG_NS}title").get("id")
    # Natural size = the viewBox's: the stylesheet may shrink it, the numbers stay consistent.
    assert root.get("viewBox").split()[2:] == [root.get("width"), root.get("height")]
    # Labels fit left of the axis: the label column grows with the widest label.
    axis = float(root.find(f"{SVG_NS}line").get("x1"))
    assert axis >= charts.text_width("乙类别较长的标签")


def test_chart_with_zero_counts_or_no_items():
    root = _svg(bar_chart("c3", "零", [("甲", 0), ("乙", 0)]))
    assert list(root.iter(f"{SVG_NS}rect")) == []
    assert [t.text for t in root.iter(f"{SVG_NS}text") if "tic-chart__value" in t.get("class")] == ["0", "0"]
    empty = _svg(bar_chart("c4", "空", []))
    assert empty.find(f"{SVG_NS}desc").text == "暂无数据"
    assert float(empty.get("viewBox").split()[3]) > 0


# --- relative links ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "page_url", "expected"),
    [
        ("centers/x/", "centers/y/", "../../centers/x/"),
        ("centers/x/", "centers/", "../centers/x/"),
        ("centers/x/", "", "centers/x/"),
        ("centers/", "centers/y/", "../../centers/"),
        ("", "centers/y/", "../../"),
        ("", "", "./"),
    ],
)
def test_rel_is_relative_and_resolves_under_any_base(target, page_url, expected):
    assert rel(target, page_url) == expected
    for base in ("https://h.example/", "https://h.example/deep/base/"):
        assert urljoin(base + page_url, rel(target, page_url)) == base + target


# --- hostile text through the page modules and Python-Markdown ----------------------------

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{ onclick=alert(1) }",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "</div>\n\n## 注入标题\n\n<script>alert(2)</script>",
    "<!--",
    "&lt;b&gt;",
)
HOSTILE = " ".join(PAYLOADS)
HOSTILE_ATTR = '" onclick="alert(1)" x="'


@pytest.fixture(scope="module")
def real_data():
    from ticreg.site.generate import site_data
    from ticreg.site.settings import load_site
    from ticreg.validate import registry_context

    ctx, _ = registry_context(REGISTRY, REPO, today=TODAY)
    return site_data(load_site(REPO / "mkdocs.yml"), ctx, TODAY, REPO)


def _hostile_center(center, i: int):
    r = dataclasses.replace
    h = f"{HOSTILE}{i}"
    return r(
        center,
        name=f"晋城市{PAYLOADS[i % len(PAYLOADS)]}技术创新中心",
        category=center.category + HOSTILE_ATTR,
        cluster=HOSTILE_ATTR,
        state=center.state + HOSTILE_ATTR,
        category_label=h, cluster_label=h, county_label=h, department_label=h, legal_form_label=h,
        state_label=h,
        lead_unit=r(center.lead_unit, name=h, kind=h, uscc=h),
        co_builders=tuple(r(c, name=h, kind=h, join_mode=h, uscc=h) for c in center.co_builders),
        director_name=h, director_title=h,
        research_directions=(h, h),
        summary=h,
        services=(h,),
        specialized_institutions=tuple(r(s, name=h, host_unit=h, focus=h) for s in center.specialized_institutions),
        address=h, office_phone=h, email=h,
        website="javascript:alert(1)//" + HOSTILE if i % 2 else "https://example.com/?q=" + HOSTILE_ATTR,
        certification_document=h,
        evaluations=tuple(r(e, evaluator=h, document_number=h, note=h, outcome_label=h) for e in center.evaluations),
        changes=tuple(
            r(c, document_number=h, former_name=h, new_name=h, former_research_directions=(h,),
              new_research_directions=(h,), restructuring=h, note=h)
            for c in center.changes
        ),
        revocation=r(center.revocation, document_number=h, reason=h) if center.revocation else None,
        former_names=(h,),
    )


def _rendered(data) -> dict[str, str]:
    from ticreg.site.pages import centers, directory, statistics

    out = {}
    for module in (directory, centers, statistics):
        out.update(dict(module.files(data)))
    return out


def _split_front_matter(text: str) -> tuple[dict, str]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, text[:200]
    return yaml.safe_load(match.group(1)), text[match.end():]


def _event_attributes(html: str) -> list[str]:
    """``on…=`` inside a tag, outside quoted attribute values: escaped values hold
    no double quote, so stripping them leaves only real attribute names. (The
    payload text ``onerror=`` may appear as inert text between tags.)"""
    tags = (re.sub(r'"[^"]*"', '""', tag) for tag in re.findall(r"<[^>]*>", html))
    return [tag for tag in tags if re.search(r"\son[a-z]+\s*=", tag, re.IGNORECASE)]


def test_hostile_registry_text_stays_inert_through_markdown(real_data):
    centers = [_hostile_center(c, i) for i, c in enumerate(real_data.centers)]
    notices = [dataclasses.replace(n, title=HOSTILE) for n in real_data.notices]
    data = dataclasses.replace(real_data, centers=centers, notices=notices)
    pages = _rendered(data)
    assert {f"centers/{c.id}.md" for c in centers} <= set(pages)
    for path, text in pages.items():
        meta, body = _split_front_matter(text)
        assert not re.search(r"[<>\"&]", meta["title"]), (path, meta["title"])
        html = markdown.markdown(body, extensions=["toc", "tables", "admonition"])
        lowered = html.lower()
        assert "<script" not in lowered, path
        assert not _event_attributes(html), path
        assert 'href="javascript:' not in lowered, path
        assert not re.search(r"<h[1-6][^>]*>\s*注入标题", html), path  # no Markdown heading made of data
        builder = parse(html)
        for tag, attrs in builder.start_tags:
            assert tag not in ("script", "img", "iframe", "object", "embed", "style"), (path, tag)
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src"):
                    assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (path, value)
        if path.startswith("centers/") and path != "centers/index.md":
            shown = builder.root.text()
            for payload in PAYLOADS:
                assert payload in shown, (path, payload)  # visible, literally
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The directory keeps every hostile row, with the attribute values escaped.
    rows = parse(pages["centers/index.md"]).root.find("table", id="tic-directory").find("tbody").find_all("tr")
    assert len(rows) == len(centers)
    assert {r.attrs["data-cluster"] for r in rows} == {HOSTILE_ATTR}
