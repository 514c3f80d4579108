"""公示公告 and 开放数据 on the built sample site: notice pages, the Atom feed, the
deadlines calendar, centers.json / centers.csv / notices.json and their field docs;
hostile text through the notice templates and Python-Markdown.

Every expectation is computed from the registry's YAML and mkdocs.yml (never
written down here), so the tests follow the sample registry as it changes.
HTML is read with the standard library's html.parser.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import REGISTRY, REPO, TODAY
from html_tree import Node, parse
from ticreg.process.publicity import publicity_window
from ticreg.registry_context import load_calendar, load_policy
from ticreg.site.render import zh_date

ATOM = "{http://www.w3.org/2005/Atom}"

# --- built pages ---------------------------------------------------------------


def built_page(site_repo: Path, url: str) -> Node:
    """The article of the built page at site-relative directory URL ``url``."""
    html = (site_repo / "site" / url / "index.html").read_text(encoding="utf-8")
    return parse(html).root.find("article")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u200b", "")).strip()


def facts(body: Node) -> dict[str, str]:
    """The notice's fact tables: row heading -> cell text."""
    out = {}
    for row in body.find_all("tr"):
        heads = [c for c in row.children if isinstance(c, Node) and c.tag == "th" and c.attrs.get("scope") == "row"]
        cells = [c for c in row.children if isinstance(c, Node) and c.tag == "td"]
        if heads and cells:
            out[squash(heads[0].text())] = squash(cells[0].text())
    return out


def resolves(site_repo: Path, page_url: str, href: str) -> bool:
    """Whether a relative link on the page at ``page_url`` reaches a built file."""
    from urllib.parse import urljoin, urlsplit

    target = urlsplit(urljoin("http://x/" + page_url, href)).path.lstrip("/")
    path = site_repo / "site" / target
    return (path / "index.html").is_file() if target.endswith("/") or not target else path.is_file()


# --- expectations from the YAML -------------------------------------------------------


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


POLICY = load(REGISTRY / "policy.yml")
CENTERS = {d["id"]: d for d in map(load, sorted((REGISTRY / "centers").glob("*.yml")))}
APPLICATIONS = {d["id"]: d for d in map(load, sorted((REGISTRY / "applications").glob("*/*.yml")))}


class _IgnorePythonTags(yaml.SafeLoader):
    """mkdocs.yml carries !!python tags for Markdown extensions: read them as nothing."""


_IgnorePythonTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
CONFIG = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnorePythonTags)
SITE_URL = CONFIG["site_url"] if CONFIG["site_url"].endswith("/") else CONFIG["site_url"] + "/"
BUREAU = CONFIG["extra"]["tic"]["bureau"]


def center_events(kind: str) -> list[tuple[str, dict]]:
    return [(cid, e) for cid, c in CENTERS.items() for e in c["history"] if e["event"] == kind]


def publicity_events() -> list[tuple[dict, dict]]:
    return [
        (a, e) for a in APPLICATIONS.values() if a["kind"] != "change"
        for e in a["history"] if e["event"] == "publicity-started"
    ]


def expected_notice_count() -> int:
    return len(publicity_events()) + sum(len(center_events(k)) for k in ("certified", "evaluated", "changed", "revoked"))


def expected_dates() -> list[dt.date]:
    return [e["date"] for _, e in publicity_events()] + [
        e["date"] for k in ("certified", "evaluated", "changed", "revoked") for _, e in center_events(k)
    ]


def window_of(published: dt.date):
    return publicity_window(published, load_policy(REGISTRY).publicity, load_calendar(REGISTRY))


def read_json(site_repo: Path, name: str) -> list[dict]:
    return json.loads((site_repo / "site" / "data" / name).read_text(encoding="utf-8"))


def notice_for(site_repo: Path, kind: str, **match) -> dict:
    found = [n for n in read_json(site_repo, "notices.json")
             if n["kind"] == kind and all(n.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (kind, match, len(found))
    return found[0]


# --- publicity notices -----------------------------------------------------------------


def open_publicity() -> tuple[dict, dict]:
    """The application whose last event is publicity-started: its publicity is under way."""
    found = [(a, a["history"][-1]) for a in APPLICATIONS.values() if a["history"][-1]["event"] == "publicity-started"]
    assert found, "the sample registry should hold an application in publicity"
    return found[0]


def test_open_publicity_notice_reads_like_the_bureaus_notice(sample_site):
    application, event = open_publicity()
    window = window_of(event["date"])
    assert window.start <= TODAY <= window.end, "the sample's publicity should be open on the tests' today"
    notice = notice_for(sample_site, "publicity", application_id=application["id"], date=event["date"].isoformat())
    body = built_page(sample_site, notice["url"])
    text = squash(body.text())
    days = POLICY["publicity"]["working_days"]
    assert len(window.working_days) == days
    assert f"公示期为{days}个工作日，自{zh_date(window.start)}至{zh_date(window.end)}" in text
    assert "公示中" in text and f"截至{zh_date(TODAY)}" in text
    assert [squash(h.text()) for h in body.find_all("h1")] == [f"关于{application['proposed_name']}拟认定的公示"]
    for fact in (application["proposed_name"], application["lead_unit"]["name"]):
        assert fact in text
    county = {c["code"]: c["name"] for c in POLICY["counties"]}[application["county_code"]]
    assert county in text
    # Art. 9(3): written objections within the period, with facts, sealed or signed.
    for words in ("公示期内", "书面形式", "事实依据", "公章", "真实姓名", "联系方式"):
        assert words in text, words
    assert "公示期满后提出的异议，不予受理" in text
    for key in ("name", "department", "address", "postcode", "phone", "email"):
        if BUREAU.get(key):
            assert str(BUREAU[key]) in text, key
    if event.get("notice_url"):
        assert body.find("a", href=event["notice_url"])


def test_every_publicity_notice_has_its_window_and_status(sample_site):
    events = publicity_events()
    assert any(TODAY > window_of(e["date"]).end for _, e in events), "the sample should hold a closed publicity"
    for application, event in events:
        window = window_of(event["date"])
        notice = notice_for(sample_site, "publicity", application_id=application["id"], date=event["date"].isoformat())
        assert notice["publicity"]["start"] == window.start.isoformat()
        assert notice["publicity"]["end"] == window.end.isoformat()
        body = built_page(sample_site, notice["url"])
        assert f"自{zh_date(window.start)}至{zh_date(window.end)}" in squash(body.text())
        status = squash(body.find("p", class_="tic-publicity-status").text())
        if TODAY <= window.end:
            assert "公示中" in status and "公示期满" not in status
        else:
            assert "公示期满" in status and "公示中" not in status


def test_certification_notices_show_the_document_number_and_link_the_center(sample_site):
    events = center_events("certified")
    assert events
    for center_id, event in events:
        notice = notice_for(sample_site, "certification", center_id=center_id)
        body = built_page(sample_site, notice["url"])
        assert facts(body)["文号"] == event["document_number"]
        links = [a.attrs["href"] for a in body.find_all("a") if a.attrs.get("href", "").endswith(f"centers/{center_id}/")]
        assert links and all(resolves(sample_site, notice["url"], href) for href in links)


def test_evaluation_change_and_revocation_notices_show_their_facts(sample_site):
    outcomes = {"retain": "保留", "rectify": "整改", "revoke": "撤销"}
    checked = 0
    for center_id, event in center_events("evaluated"):
        notice = notice_for(sample_site, "evaluation", center_id=center_id, date=event["date"].isoformat())
        shown = facts(built_page(sample_site, notice["url"]))
        assert shown["评估结论"] == outcomes[event["outcome"]]
        if event.get("rectification_deadline"):
            assert f"整改期限至{zh_date(event['rectification_deadline'])}" in shown["整改期限"]
        assert ("运行良好、成绩突出" in shown) == bool(event.get("excellent"))
        if event.get("document_number"):
            assert shown["文号"] == event["document_number"]
        checked += 1
    for center_id, event in center_events("changed"):
        notice = notice_for(sample_site, "change", center_id=center_id, date=event["date"].isoformat())
        shown = facts(built_page(sample_site, notice["url"]))
        assert shown["文号"] == event["document_number"]
        if event.get("new_name"):
            assert shown["名称变更"] == f"{event['former_name']} → {event['new_name']}"
        checked += 1
    for center_id, event in center_events("revoked"):
        notice = notice_for(sample_site, "revocation", center_id=center_id)
        shown = facts(built_page(sample_site, notice["url"]))
        assert shown["撤销理由"] == squash(event["reason"]) and shown["文号"] == event["document_number"]
        checked += 1
    assert checked, "the sample should hold evaluations, changes or revocations"


def test_notices_list_links_every_notice_newest_first_and_explains_the_feeds(sample_site):
    notices = read_json(sample_site, "notices.json")
    assert len(notices) == expected_notice_count()
    body = built_page(sample_site, "notices/")
    rows = body.find("table", id="tic-notices").find("tbody").find_all("tr")
    hrefs = [row.find("a").attrs["href"] for row in rows]
    assert [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs] == [n["id"] for n in notices]
    assert all(resolves(sample_site, "notices/", h) for h in hrefs)
    dates = [row.find("time").attrs["datetime"] for row in rows]
    assert dates == sorted(dates, reverse=True)
    application, _ = open_publicity()
    open_section = squash(body.find("div", class_="tic-open-publicity").text())
    assert application["proposed_name"] in open_section
    text = squash(body.text())
    assert "Atom" in text and "iCalendar" in text
    for target in ("feed.xml", "deadlines.ics"):
        link = next(a for a in body.find_all("a") if a.attrs.get("href", "").endswith(target))
        assert resolves(sample_site, "notices/", link.attrs["href"])


# --- feeds ---------------------------------------------------------------------------


def test_atom_feed_has_one_entry_per_notice_with_absolute_links(sample_site):
    feed = ET.parse(sample_site / "site" / "notices" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "zh-CN"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == expected_notice_count()
    newest = max(expected_dates())
    assert feed.findtext(f"{ATOM}updated") == f"{newest.isoformat()}T00:00:00+08:00"
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        href = entry.find(f"{ATOM}link[@rel='alternate']").attrib["href"]
        assert href.startswith(SITE_URL), href
        assert (sample_site / "site" / href[len(SITE_URL):] / "index.html").is_file(), href
    self_link = feed.find(f"{ATOM}link[@rel='self']").attrib["href"]
    assert self_link == SITE_URL + "notices/feed.xml"


def test_deadlines_calendar_is_the_cli_output_byte_for_byte(sample_site):
    published = (sample_site / "site" / "notices" / "deadlines.ics").read_bytes()
    cli = subprocess.run(
        [sys.executable, "-m", "ticreg", "deadlines", "--format", "ics", "--as-of", TODAY.isoformat()],
        cwd=sample_site, capture_output=True, timeout=300, check=False,
    )
    assert cli.returncode == 0, cli.stderr.decode("utf-8", "replace")
    assert published == cli.stdout
    assert b"\r\n" in published and published.count(b"\n") == published.count(b"\r\n")


# --- open data ---------------------------------------------------------------------------


def certified_center_ids() -> set[str]:
    return {cid for cid, c in CENTERS.items() if any(e["event"] == "certified" for e in c["history"])}


def test_centers_csv_has_a_bom_crlf_rows_and_one_row_per_center(sample_site):
    raw = (sample_site / "site" / "data" / "centers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in header), header
    by_id = {row[header.index("中心代号")]: dict(zip(header, row)) for row in body}
    assert len(body) == len(by_id) == len(certified_center_ids())
    assert set(by_id) == certified_center_ids()
    for cid, row in by_id.items():
        center = CENTERS[cid]
        assert row["名称"] == center["name"]
        assert row["统一社会信用代码"] == center["lead_unit"]["uscc"]
        assert row["牵头单位"] == center["lead_unit"]["name"]
        services = {s["id"]: s["name"] for s in POLICY["services"]}
        assert set(row["公共服务"].split("、")) == {services[s] for s in center["services"]}
        assert row["网页"] == f"{SITE_URL}centers/{cid}/"


def test_centers_json_and_notices_json_have_one_entry_each(sample_site):
    centers = read_json(sample_site, "centers.json")
    assert [c["id"] for c in centers] == sorted(certified_center_ids())
    for center in centers:
        source = CENTERS[center["id"]]
        assert center["name"] == source["name"]
        assert center["lead_unit"]["uscc"] == source["lead_unit"]["uscc"]
        assert center["certified_on"] == next(e for e in source["history"] if e["event"] == "certified")["date"].isoformat()
    notices = read_json(sample_site, "notices.json")
    assert len(notices) == expected_notice_count()
    assert len({n["id"] for n in notices}) == len(notices)
    text = (sample_site / "site" / "data" / "centers.json").read_text(encoding="utf-8")
    assert text.endswith("}\n]\n") and "\\u" not in text  # indented, Chinese as is


def test_open_data_holds_no_team_names_or_applicant_contacts(sample_site):
    private = set()
    for application in APPLICATIONS.values():
        contact = application.get("contact") or {}
        private.update(str(contact[k]) for k in ("person", "phone", "email") if contact.get(k))
        private.update(m["name"] for m in application.get("team") or [])
    # Values public in their own right: a director (also on the team), and a
    # center's published contact that happens to equal its applicant's.
    private -= {c["director"]["name"] for c in CENTERS.values()}
    private -= {str(v) for c in CENTERS.values() for v in (c.get("contact") or {}).values() if v}
    assert private
    for name in ("centers.json", "centers.csv", "notices.json"):
        text = (sample_site / "site" / "data" / name).read_text(encoding="utf-8-sig")
        assert [p for p in private if p in text] == [], name


def _paths(value, prefix: str = "") -> set[str]:
    """Field paths present in JSON data: ``a.b`` for objects, ``a[].b`` inside arrays of objects."""
    out = set()
    if isinstance(value, list):
        for item in value:
            out |= _paths(item, prefix)
    elif isinstance(value, dict):
        for key, item in value.items():
            out.add(prefix + key)
            if isinstance(item, dict):
                out |= _paths(item, prefix + key + ".")
            elif isinstance(item, list) and any(isinstance(i, dict) for i in item):
                out |= _paths(item, prefix + key + "[].")
    return out


def _documented(sample_site: Path, table_id: str) -> set[str]:
    table = built_page(sample_site, "data/fields/").find("table", id=table_id)
    return {squash(row.find("td").text()) for row in table.find("tbody").find_all("tr")}


def test_every_published_field_is_documented_on_the_fields_page(sample_site):
    for name, table_id in (("centers.json", "tic-fields-centers"), ("notices.json", "tic-fields-notices")):
        present = _paths(read_json(sample_site, name))
        assert present, name
        assert present - _documented(sample_site, table_id) == set(), name
    header = next(csv.reader(io.StringIO(
        (sample_site / "site" / "data" / "centers.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert set(header) <= _documented(sample_site, "tic-fields-csv")


def test_fields_page_lists_the_registry_models_fields(sample_site):
    from ticreg_schemas import Center

    text = squash(built_page(sample_site, "data/fields/").text())
    for name, info in Center.model_fields.items():
        assert name in text and info.title in text and info.description in text, name


def test_schemas_are_published_byte_for_byte_and_linked(sample_site):
    sources = sorted((REPO / "schemas" / "json").glob("*.schema.json"))
    assert sources
    body = built_page(sample_site, "data/")
    hrefs = [a.attrs.get("href", "") for a in body.find_all("a")]
    for source in sources:
        assert (sample_site / "site" / "data" / "schemas" / source.name).read_bytes() == source.read_bytes()
        assert any(h.endswith(f"data/schemas/{source.name}") and resolves(sample_site, "data/", h) for h in hrefs)
    for target in ("centers.json", "centers.csv", "notices.json", "feed.xml", "deadlines.ics"):
        link = next(h for h in hrefs if h.endswith(target))
        assert resolves(sample_site, "data/", link), target


def test_a_formula_like_cell_is_defused_in_the_csv():
    from ticreg.site.pages.open_data import centers_csv

    rows = [{"id": "x", "name": "=HYPERLINK(\"http://evil\")", "lead_unit": {"name": "+1", "uscc": "-2"},
             "service_labels": ["@a", "b"], "url": "centers/x/"}]
    text = centers_csv(rows, "https://example.org/").decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text, newline="")))[1]
    assert "'=HYPERLINK(\"http://evil\")" in row and "'+1" in row and "'-2" in row and "'@a、b" in row


# --- hostile text --------------------------------------------------------------------------

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) { onclick=alert(1) } "
    "{{ 7*7 }} </div>\n\n## 注入标题\n\n<script>alert(2)</script> <!-- &lt;b&gt; ]]> \x01"
)


@pytest.fixture(scope="module")
def real_data():
    from ticreg.site.generate import site_data
    from ticreg.site.settings import load_site
    from ticreg.validate import registry_context

    ctx, _ = registry_context(REGISTRY, REPO, today=TODAY)
    return site_data(load_site(REPO / "mkdocs.yml"), ctx, TODAY, REPO)


def _hostile(notice):
    r = dataclasses.replace
    return r(
        notice,
        title=HOSTILE, subject=HOSTILE, unit=HOSTILE, document_number=HOSTILE,
        category_label=HOSTILE, cluster_label=HOSTILE, county_label=HOSTILE,
        notice_url="javascript:alert(1)" if notice.window else None,
        evaluation=r(notice.evaluation, evaluator=HOSTILE, outcome_label=HOSTILE) if notice.evaluation else None,
        change=r(notice.change, former_name=HOSTILE, new_name=HOSTILE, restructuring=HOSTILE,
                 former_research_directions=(HOSTILE,), new_research_directions=(HOSTILE,)) if notice.change else None,
        revocation=r(notice.revocation, reason=HOSTILE) if notice.revocation else None,
    )


def _active_markup(html: str) -> list[str]:
    """Tags that would run script: <script>, on* attributes, javascript: links."""
    found = []
    for tag, attrs in parse(html).start_tags:
        if tag in ("script", "iframe", "object", "embed"):
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag} {name}")
            if name in ("href", "src") and (value or "").strip().lower().startswith(("javascript:", "data:")):
                found.append(f"{tag} {name}={value}")
    return found


def test_hostile_notice_text_stays_inert_through_markdown(real_data):
    from ticreg.site.pages import notices as page

    hostile = [_hostile(n) for n in real_data.notices]
    assert {n.kind for n in hostile} >= {"publicity", "certification"}
    sources = [page.render_list(hostile, real_data.site, TODAY)]
    sources += [page.render_notice(n, real_data.site, real_data.policy, TODAY) for n in hostile]
    for source in sources:
        match = re.match(r"---\n(.*?)\n---\n", source, re.DOTALL)
        title = yaml.safe_load(match.group(1))["title"]
        assert not re.search(r"[<>\"&]", title), title
        html = markdown.markdown(source[match.end():], extensions=["toc", "tables", "admonition"])
        assert "<script" not in html and 'href="javascript:' not in html
        assert _active_markup(html) == []
        assert "注入标题</h2>" not in html  # a heading in data must not become a heading
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_text_in_the_feed_is_escaped_xml(real_data):
    from ticreg.site.pages.notices import atom_feed

    hostile = [_hostile(n) for n in real_data.notices]
    root = ET.fromstring(atom_feed(hostile, real_data.site))
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles and all(t == HOSTILE.replace("\x01", "") for t in titles)


# --- publicity status ------------------------------------------------------------------


def _publicity_status(mini, extra_events: list[dict]) -> tuple[str, object]:
    """The status of the open sample publicity, copied into a mini registry with ``extra_events``."""
    from ticreg.site.notices import collect_notices
    from ticreg.site.public import public_centers
    from ticreg.validate import registry_context

    application, _ = open_publicity()
    target = mini.root / "applications" / application["organizing_department"] / f"{application['id']}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = dict(application, history=list(application["history"]) + extra_events)
    mini.write_data(target, data)
    ctx, outcome = registry_context(mini.root, mini.base, today=TODAY)
    assert not [f for f in outcome.findings if f.severity == "error"], outcome.findings
    notices = collect_notices(ctx, public_centers(ctx), TODAY)
    notice = next(n for n in notices if n.application_id == application["id"])
    return notice.status, notice


def test_a_publicity_withdrawn_within_its_window_is_ended_not_open(mini, real_data):
    from ticreg.site.pages.notices import render_list, render_notice

    status, _ = _publicity_status(mini, [])
    assert status == "open"
    status, notice = _publicity_status(mini, [{"date": TODAY, "event": "withdrawn"}])
    assert status == "ended" and notice.status_label == "公示终止"
    page = render_notice(notice, real_data.site, real_data.policy, TODAY)
    assert "公示终止" in page and "公示中" not in page
    listing = render_list([notice], real_data.site, TODAY)
    open_section = listing.split("## 全部公告")[0]
    assert notice.title not in open_section
