"""The public website in a real browser (Debian's chromium driven by Playwright).

Two sites are built once per session with the real `ticreg build`, each in a
scratch copy of the site's inputs: the shipped sample registry, and a
hostile copy with markup in every public free-text field
(tests/browser/hostile.py). Each is served from 127.0.0.1; every page a test
opens records all its requests (anything not addressed to the local server
is aborted and fails the test), and any alert/confirm/prompt fails the test.

Expected numbers (rows per filter value and so on) are computed from the
registry YAML with PyYAML, never written down here.

Without /usr/bin/chromium these tests skip, unless CI is set: then they fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from browser.harness import (
    BUILD_TODAY,
    SiteServer,
    Visitor,
    blocking,
    build_site,
    copy_site_inputs,
    describe,
    format_violations,
    run_axe,
    run_ticreg,
)
from browser.hostile import HOSTILE_NAMES, PASSWD_MARKER, PAYLOADS, HostileManifest, make_hostile_registry

SAMPLE_CENTER = "coalbed-methane-development"  # 晋城市煤层气高效开发技术创新中心
ZWSP = "\u200b"

# --------------------------------------------------------------------------
# What the registry says (computed with PyYAML, independently of ticreg)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CenterFacts:
    id: str
    name: str
    category: str
    cluster: str  # "" for comprehensive centers
    major: str  # "yes" when the cluster is one of policy.yml's major_clusters (Art. 7), else "no"
    county: str
    state: str  # active / rectifying / revocation-decided / revoked
    lead_unit: str
    certified_on: dt.date
    research_directions: tuple[str, ...]
    labels: tuple[str, ...]  # category, cluster and county names from policy.yml


def center_state(history: list[dict]) -> str:
    """The state after the history: revoked, else by the latest evaluation's outcome."""
    if any(e["event"] == "revoked" for e in history):
        return "revoked"
    evaluations = [e for e in history if e["event"] == "evaluated"]
    if evaluations:
        outcome = evaluations[-1]["outcome"]
        if outcome == "revoke":
            return "revocation-decided"
        if outcome == "rectify":
            return "rectifying"
    return "active"


def load_centers(registry: Path) -> list[CenterFacts]:
    policy = yaml.safe_load((registry / "policy.yml").read_text(encoding="utf-8"))
    label = {("category", i["id"]): i["name"] for i in policy["categories"]}
    label |= {("cluster", i["id"]): i["name"] for i in policy["clusters"]}
    label |= {("county", str(i["code"])): i["name"] for i in policy["counties"]}
    centers = []
    for path in sorted((registry / "centers").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        certified = next(e for e in data["history"] if e["event"] == "certified")
        centers.append(
            CenterFacts(
                id=data["id"],
                name=data["name"],
                category=data["category"],
                cluster=data.get("cluster") or "",
                major="yes" if data.get("cluster") in policy.get("major_clusters", []) else "no",
                county=str(data["county_code"]),
                state=center_state(data["history"]),
                lead_unit=data["lead_unit"]["name"],
                certified_on=certified["date"],
                research_directions=tuple(data["research_directions"]),
                labels=tuple(
                    label[key]
                    for key in (
                        ("category", data["category"]),
                        ("cluster", data.get("cluster")),
                        ("county", str(data["county_code"])),
                    )
                    if key in label
                ),
            )
        )
    assert centers, f"no centers in {registry}"
    return centers


def site_name(workdir: Path) -> str:
    """mkdocs.yml's site_name (composed, so Python tags are never constructed)."""
    root = yaml.compose((workdir / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "site_name":
            return value.value
    raise AssertionError("mkdocs.yml has no site_name")


# --------------------------------------------------------------------------
# Session fixtures: one browser, two built and served sites
# --------------------------------------------------------------------------


@dataclass
class BuiltSite:
    workdir: Path
    site: Path
    server: SiteServer
    centers: list[CenterFacts]
    name: str
    manifest: HostileManifest | None = None
    notices: list[dict] = field(default_factory=list)

    @property
    def registry(self) -> Path:
        return self.workdir / "registry"

    def center(self, center_id: str) -> CenterFacts:
        return next(c for c in self.centers if c.id == center_id)


def read_notices(site: Path) -> list[dict]:
    data = json.loads((site / "data" / "notices.json").read_text(encoding="utf-8"))
    notices = data["notices"] if isinstance(data, dict) else data
    assert notices, "data/notices.json lists no notices"
    return notices


def _serve(workdir: Path, manifest: HostileManifest | None = None) -> BuiltSite:
    site = build_site(workdir)
    server = SiteServer(site).start()
    return BuiltSite(
        workdir=workdir,
        site=site,
        server=server,
        centers=load_centers(workdir / "registry"),
        name=site_name(workdir),
        manifest=manifest,
        notices=read_notices(site),
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> BuiltSite:
    built = _serve(copy_site_inputs(tmp_path_factory.mktemp("sample-site")))
    yield built
    built.server.stop()


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> BuiltSite:
    workdir = copy_site_inputs(tmp_path_factory.mktemp("hostile-site"))
    manifest = make_hostile_registry(workdir / "registry")
    completed = run_ticreg("validate", "--today", BUILD_TODAY, cwd=workdir)
    assert completed.returncode == 0, f"the hostile registry must be valid: {describe(completed)}"
    built = _serve(workdir, manifest)
    yield built
    built.server.stop()


@pytest.fixture
def visit(chromium_browser, sample_site):
    visitor = Visitor(chromium_browser, sample_site.server.origin)
    yield visitor
    visitor.close()


@pytest.fixture
def hostile_visit(chromium_browser, hostile_site):
    visitor = Visitor(chromium_browser, hostile_site.server.origin)
    yield visitor
    visitor.close()


# --------------------------------------------------------------------------
# Page helpers
# --------------------------------------------------------------------------

PAGE_TYPES = {
    "home": "/",
    "directory": "/centers/",
    "center": f"/centers/{SAMPLE_CENTER}/",
    "notices": "/notices/",
    "notice": None,  # the newest notice, from data/notices.json
    "statistics": "/statistics/",
    "guide": "/guide/",
    "rules": "/rules/",
    "data": "/data/",
    "data-fields": "/data/fields/",
}


def notice_path(notice: dict) -> str:
    return "/" + notice["url"].lstrip("/")


def page_path(built: BuiltSite, page_type: str) -> str:
    path = PAGE_TYPES[page_type]
    return path if path is not None else notice_path(built.notices[0])


def body_text(page: Any) -> str:
    """The visible text, with the zero-width spaces of word segmentation removed."""
    return page.inner_text("body").replace(ZWSP, "")


def heading(page: Any) -> str:
    h1 = page.locator("article h1, .md-content h1").first
    return h1.inner_text().replace(ZWSP, "").replace("¶", "").strip()


def first_int(text: str) -> int:
    match = re.search(r"\d+", text)
    assert match, f"no number in {text!r}"
    return int(match.group())


ROWS_JS = """() => Array.from(document.querySelectorAll('#tic-directory tbody tr')).map(tr => {
    const link = tr.querySelector('a[href]');
    const m = link ? link.href.match(/\\/centers\\/([a-z0-9-]+)\\/?(?:index\\.html)?$/) : null;
    return {
        id: m ? m[1] : null,
        hidden: tr.hidden,
        displayed: tr.offsetParent !== null,
        category: tr.dataset.category ?? null,
        cluster: tr.dataset.cluster ?? null,
        major: tr.dataset.major ?? null,
        county: tr.dataset.county ?? null,
        state: tr.dataset.state ?? null,
        text: tr.innerText.replace(/\\u200b/g, ''),
    };
})"""


def directory_rows(page: Any) -> list[dict]:
    return page.evaluate(ROWS_JS)


def shown_count(page: Any) -> int:
    return first_int(page.inner_text("#tic-directory-count"))


def wait_for_visible_rows(page: Any, expected: int) -> None:
    """Wait (up to 5 s) until the filter has run and `expected` rows show."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """n => Array.from(document.querySelectorAll('#tic-directory tbody tr'))
                    .filter(tr => !tr.hidden).length === n""",
            arg=expected,
            timeout=5_000,
        )
    except PlaywrightTimeout:
        pass  # the assertions that follow report the rows actually shown


def assert_directory_shows(page: Any, expected_ids: set[str], what: str) -> None:
    wait_for_visible_rows(page, len(expected_ids))
    rows = directory_rows(page)
    shown = {row["id"] for row in rows if not row["hidden"]}
    assert shown == expected_ids, (
        f"{what}: expected {sorted(expected_ids)}, shown {sorted(shown)}"
    )
    for row in rows:
        assert row["displayed"] == (not row["hidden"]), (
            f"{what}: row {row['id']} has hidden={row['hidden']} but displayed={row['displayed']}"
        )
    assert shown_count(page) == len(expected_ids), (
        f"{what}: #tic-directory-count says {page.inner_text('#tic-directory-count')!r}, expected {len(expected_ids)}"
    )


# --------------------------------------------------------------------------
# The harness itself can fail
# --------------------------------------------------------------------------


def test_harness_catches_external_requests_dialogs_and_script_errors(chromium_browser, tmp_path):
    """A hand-made bad page: the guard must see the external request (and abort
    it), the alert, the uncaught error and the missing local file; axe must run."""
    (tmp_path / "index.html").write_text(
        """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>自检</title></head>
        <body><main><h1>自检</h1>
        <img src="https://example.com/tracker.png" alt="外部">
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="内嵌">
        <img src="/missing.png" alt="缺失">
        <img src="/logo.png">
        <script>window.addEventListener('load', () => { alert('x'); throw new Error('boom'); });</script>
        </main></body></html>""",
        encoding="utf-8",
    )
    (tmp_path / "logo.png").write_bytes(b"not really a png")
    with SiteServer(tmp_path) as server:
        visitor = Visitor(chromium_browser, server.origin)
        try:
            visitor.open("/")
            assert any(url == "https://example.com/tracker.png" for _, url in visitor.external)
            assert not any(url.startswith("data:") for _, url in visitor.external)
            assert len(visitor.dialogs) == 1 and "alert" in visitor.dialogs[0]
            assert any("boom" in error for error in visitor.page_errors)
            assert visitor.failed_local == [f"HTTP 404 {server.origin}/missing.png"]
            # The external image never loaded: it was aborted, not fetched.
            loaded = visitor.page.evaluate("() => document.querySelector('img[alt=\"外部\"]').naturalWidth")
            assert loaded == 0
            with pytest.raises(AssertionError, match="external request") as caught:
                visitor.assert_clean()
            assert "dialog opened" in str(caught.value) and "boom" in str(caught.value)
            violations = blocking(run_axe(visitor.page))
            assert "image-alt" in {v["id"] for v in violations}, violations
        finally:
            visitor.close()


def test_inertness_checks_catch_live_markup(chromium_browser, tmp_path):
    """The hostile-site checks must see what a successful injection leaves behind."""
    (tmp_path / "index.html").write_text(
        """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head>
        <body><h1>t</h1><p><a href="javascript:void(0)">x</a><span onclick="void 0">y</span></p>
        <script>window.__xss = 1;</script></body></html>""",
        encoding="utf-8",
    )
    with SiteServer(tmp_path) as server:
        visitor = Visitor(chromium_browser, server.origin)
        try:
            visitor.open("/")
            with pytest.raises(AssertionError, match="__xss"):
                assert_inert(visitor, "self-test")
            visitor.page.evaluate("() => { delete window.__xss; }")
            with pytest.raises(AssertionError) as caught:
                assert_inert(visitor, "self-test")
            assert "javascript:void(0)" in str(caught.value) and "onclick" in str(caught.value)
            with pytest.raises(AssertionError, match="not shown as literal"):
                assert_literal(visitor.page, "self-test", ["<script>"])
        finally:
            visitor.close()


def test_browser_requirement_skips_locally_and_fails_under_ci(monkeypatch, tmp_path):
    from browser import harness

    monkeypatch.setattr(harness, "CHROMIUM", tmp_path / "no-chromium")
    assert "no-chromium" in harness.browser_unavailable_reason()
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-chromium"):
        harness.require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        harness.require_browser()


# --------------------------------------------------------------------------
# Every page type of the sample site
# --------------------------------------------------------------------------


@dataclass
class PageReport:
    """One visit of a page type: what the tests about that page type look at."""

    path: str
    lang: str = ""
    title: str = ""
    heading: str = ""
    local_requests: int = 0
    problems: list[str] = field(default_factory=list)
    failed_local: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    error: BaseException | None = None


@pytest.fixture(scope="session")
def page_report(chromium_browser, sample_site):
    """Opens each page type once (then axe runs on it); tests share the visit."""
    cache: dict[str, PageReport] = {}

    def get(page_type: str) -> PageReport:
        if page_type not in cache:
            path = page_path(sample_site, page_type)
            report = PageReport(path)
            visitor = Visitor(chromium_browser, sample_site.server.origin)
            try:
                visitor.open(path)
                page = visitor.page
                report.lang = page.evaluate("() => document.documentElement.lang")
                report.title = page.title()
                report.heading = heading(page)
                report.violations = run_axe(page)
                report.local_requests = sum(1 for _, url in visitor.requests if url.startswith(visitor.origin))
                report.problems = visitor.problems()
                report.failed_local = list(visitor.failed_local)
            except Exception as error:  # reported by every test that asks for this page
                report.error = error
            finally:
                visitor.close()
            cache[page_type] = report
        report = cache[page_type]
        if report.error is not None:
            raise AssertionError(f"opening {report.path} failed: {report.error!r}") from report.error
        return report

    return get


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_opens_without_external_requests(page_report, sample_site, page_type):
    report = page_report(page_type)
    assert report.lang.startswith("zh"), f"{report.path}: <html lang={report.lang!r}>"
    assert sample_site.name in report.title, f"{report.path}: title {report.title!r}"
    assert report.heading, f"{report.path}: no <h1>"
    if page_type == "center":
        assert report.heading == sample_site.center(SAMPLE_CENTER).name
    assert report.local_requests, f"{report.path}: no request recorded"
    assert not report.problems, f"{report.path} misbehaved:\n  " + "\n  ".join(report.problems)


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_loads_every_local_file(page_report, page_type):
    """Nothing the page asks the site for is missing (HTTP 4xx/5xx)."""
    report = page_report(page_type)
    assert not report.failed_local, f"{report.path}: " + "; ".join(report.failed_local)


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_has_no_serious_accessibility_violations(page_report, page_type):
    report = page_report(page_type)
    violations = blocking(report.violations)
    assert not violations, format_violations(report.path, violations)


def test_every_notice_kind_opens(visit, sample_site):
    """One notice page of each kind present (publicity, certification, ...)."""
    by_kind: dict[str, dict] = {}
    for notice in sample_site.notices:
        by_kind.setdefault(notice["kind"], notice)
    assert len(by_kind) >= 2, f"notice kinds: {sorted(by_kind)}"
    for kind, notice in by_kind.items():
        visit.open(notice_path(notice))
        assert heading(visit.page) == notice["title"], f"{kind}: {notice_path(notice)}"
        violations = blocking(run_axe(visit.page))
        assert not violations, format_violations(notice_path(notice), violations)
    visit.assert_clean()


def test_every_center_page_shows_its_name(visit, sample_site):
    for center in sample_site.centers:
        visit.open(f"/centers/{center.id}/", wait_until="load")
        assert heading(visit.page) == center.name, f"/centers/{center.id}/"
        text = body_text(visit.page)
        assert center.lead_unit in text
        if center.state == "revoked":
            assert "已撤销" in text, f"/centers/{center.id}/ does not say 已撤销"
    visit.assert_clean()


# --------------------------------------------------------------------------
# The directory
# --------------------------------------------------------------------------


def test_directory_lists_every_center_with_its_data_attributes(visit, sample_site):
    visit.open("/centers/")
    rows = directory_rows(visit.page)
    by_id = {row["id"]: row for row in rows}
    assert len(rows) == len(by_id), f"duplicate or unlinked rows: {[r['id'] for r in rows]}"
    assert set(by_id) == {c.id for c in sample_site.centers}
    for center in sample_site.centers:
        row = by_id[center.id]
        assert not row["hidden"], center.id
        actual = (row["category"], row["cluster"] or "", row["major"], row["county"], row["state"])
        assert actual == (center.category, center.cluster, center.major, center.county, center.state), center.id
        assert center.name in row["text"], center.id
    assert shown_count(visit.page) == len(sample_site.centers)
    visit.assert_clean()


FILTERS = {
    "category": "category",
    "cluster": "cluster",
    "major": "major",
    "county": "county",
    "state": "state",
}


@pytest.mark.parametrize("facet", list(FILTERS))
def test_directory_filter_by_each_value(visit, sample_site, facet):
    visit.open("/centers/")
    page = visit.page
    select = page.locator(f"select#tic-filter-{facet}")
    options = select.evaluate("s => Array.from(s.options).map(o => o.value)")
    values = [v for v in options if v]
    assert "" in options, f"#tic-filter-{facet} has no 'all' option: {options}"
    present = {getattr(c, FILTERS[facet]) for c in sample_site.centers} - {""}
    assert present <= set(values), f"#tic-filter-{facet} lacks values {present - set(values)}"
    for value in values:
        select.select_option(value)
        expected = {c.id for c in sample_site.centers if getattr(c, FILTERS[facet]) == value}
        assert_directory_shows(page, expected, f"{facet}={value}")
    select.select_option("")
    assert_directory_shows(page, {c.id for c in sample_site.centers}, f"{facet}=(all)")
    visit.assert_clean()


def test_directory_filters_combine(visit, sample_site):
    """Two filters at once show the intersection."""
    centers = sample_site.centers
    pairs = {(c.category, c.county) for c in centers}
    # The pair with the most centers, but fewer than either filter alone.
    best = max(pairs, key=lambda p: sum(1 for c in centers if (c.category, c.county) == p))
    visit.open("/centers/")
    page = visit.page
    page.select_option("select#tic-filter-category", best[0])
    page.select_option("select#tic-filter-county", best[1])
    expected = {c.id for c in centers if (c.category, c.county) == best}
    assert_directory_shows(page, expected, f"category={best[0]} county={best[1]}")
    visit.assert_clean()


def test_revoked_center_is_listed_marked_and_filterable(visit, sample_site):
    revoked = {c.id for c in sample_site.centers if c.state == "revoked"}
    assert revoked, "the sample registry should have a revoked center"
    visit.open("/centers/")
    page = visit.page
    rows = {row["id"]: row for row in directory_rows(page)}
    for center_id in revoked:
        assert not rows[center_id]["hidden"], f"revoked {center_id} hidden by default"
        assert "已撤销" in rows[center_id]["text"], f"row of {center_id}: {rows[center_id]['text']!r}"
    for center_id, row in rows.items():
        if center_id not in revoked:
            assert "已撤销" not in row["text"], f"{center_id} is not revoked: {row['text']!r}"
    page.select_option("select#tic-filter-state", "revoked")
    assert_directory_shows(page, revoked, "state=revoked")
    visit.assert_clean()


def test_directory_filters_follow_the_query_string(visit, sample_site):
    """A filtered view can be linked: ?state=revoked opens filtered, and a
    changed filter is written back into the address."""
    revoked = {c.id for c in sample_site.centers if c.state == "revoked"}
    visit.open("/centers/?state=revoked")
    page = visit.page
    assert page.locator("select#tic-filter-state").input_value() == "revoked"
    assert_directory_shows(page, revoked, "?state=revoked")
    target = sample_site.center(SAMPLE_CENTER)
    page.select_option("select#tic-filter-state", "")
    page.select_option("select#tic-filter-county", target.county)
    assert_directory_shows(page, {c.id for c in sample_site.centers if c.county == target.county}, "county")
    assert f"county={target.county}" in page.url and "state=" not in page.url, page.url
    visit.open("/centers/?state=no-such-state")
    assert_directory_shows(page, {c.id for c in sample_site.centers}, "?state=no-such-state")
    visit.assert_clean()


def test_directory_without_javascript_lists_every_center(chromium_browser, sample_site):
    """Without scripts the table is complete and no inert filter controls show."""
    visitor = Visitor(chromium_browser, sample_site.server.origin, javascript=False)
    try:
        visitor.open("/centers/")
        page = visitor.page
        rows = directory_rows(page)
        assert {row["id"] for row in rows if row["displayed"]} == {c.id for c in sample_site.centers}
        assert not page.locator("select#tic-filter-state").is_visible()
        assert not page.locator("input#tic-filter-text").is_visible()
        visitor.assert_clean()
    finally:
        visitor.close()


def _text_needles(centers: list[CenterFacts]) -> list[tuple[str, set[str]]]:
    """Needles for the free-text filter, each with the centers it must show.

    A row shows the center's name, category, cluster, county, lead unit,
    certification date and state; the needles (Chinese words, no digits, none
    a state label) are looked for in the first five as the registry has them."""
    candidates = ["煤层气", "精密", "太行", "有限公司", "研究院", "技术创新中心"]
    candidates += sorted({label for c in centers for label in c.labels})
    needles = []
    for needle in dict.fromkeys(candidates):
        expected = {c.id for c in centers if any(needle in f for f in (c.name, c.lead_unit, *c.labels))}
        if expected:
            needles.append((needle, expected))
    return needles


def test_directory_free_text_filter(visit, sample_site):
    needles = _text_needles(sample_site.centers)
    assert len(needles) >= 3, needles
    visit.open("/centers/")
    page = visit.page
    box = page.locator("input#tic-filter-text")
    for needle, expected in needles:
        box.fill(needle)
        assert_directory_shows(page, expected, f"text={needle!r}")
    box.fill("没有这样的中心ZZZ")
    assert_directory_shows(page, set(), "text=(no match)")
    box.fill("")
    assert_directory_shows(page, {c.id for c in sample_site.centers}, "text=(empty)")
    visit.assert_clean()


def test_directory_text_and_select_filters_combine(visit, sample_site):
    visit.open("/centers/")
    page = visit.page
    target = sample_site.center(SAMPLE_CENTER)
    page.select_option("select#tic-filter-category", target.category)
    page.locator("input#tic-filter-text").fill("晋城市")
    expected = {c.id for c in sample_site.centers if c.category == target.category}
    assert_directory_shows(page, expected, f"category={target.category} text=晋城市")
    other_category = "comprehensive" if target.category == "domain" else "domain"
    page.select_option("select#tic-filter-category", other_category)
    page.locator("input#tic-filter-text").fill(target.name)
    assert_directory_shows(page, set(), f"category={other_category} text={target.name}")
    visit.assert_clean()


def _column_values(page: Any, index: int) -> list[str]:
    return page.evaluate(
        """i => Array.from(document.querySelectorAll('#tic-directory tbody tr'))
              .filter(tr => !tr.hidden)
              .map(tr => tr.cells[i].innerText.replace(/\\u200b/g, '').trim())""",
        index,
    )


def _row_ids(page: Any) -> list[str]:
    return [row["id"] for row in directory_rows(page) if not row["hidden"]]


def test_directory_columns_sort(visit, sample_site):
    """Clicking a column's button sorts the rows by it; clicking again reverses."""
    visit.open("/centers/")
    page = visit.page
    headers = page.locator("#tic-directory thead th")
    labels = [headers.nth(i).inner_text().strip() for i in range(headers.count())]
    buttons = page.locator("#tic-directory thead th button")
    assert buttons.count() >= 2, f"sortable headers: {labels}"
    centers = {c.id: c for c in sample_site.centers}

    # Sort by the certification date column: the order is computable from the YAML.
    date_index = next(
        (i for i, label in enumerate(labels) if "认定" in label and ("日期" in label or "时间" in label)), None
    )
    assert date_index is not None, f"no certification date column among {labels}"
    date_button = headers.nth(date_index).locator("button")
    date_button.click()
    first = _row_ids(page)
    date_button.click()
    second = _row_ids(page)
    by_date = sorted(centers, key=lambda cid: (centers[cid].certified_on, cid))
    dates_first = [centers[cid].certified_on for cid in first]
    dates_second = [centers[cid].certified_on for cid in second]
    ascending, descending = (first, second) if dates_first == sorted(dates_first) else (second, first)
    assert [centers[c].certified_on for c in ascending] == [centers[c].certified_on for c in by_date], (
        f"ascending by date: {dates_first} then {dates_second}"
    )
    assert [centers[c].certified_on for c in descending] == [centers[c].certified_on for c in reversed(by_date)]
    sorted_th = headers.nth(date_index)
    assert sorted_th.get_attribute("aria-sort") in ("ascending", "descending"), (
        "the sorted column's <th> should carry aria-sort"
    )

    # Every other sortable column changes the order into one sorted by its text.
    for i in range(headers.count()):
        button = headers.nth(i).locator("button")
        if i == date_index or button.count() == 0:
            continue
        button.click()
        values = _column_values(page, i)
        collated = page.evaluate(
            "vs => vs.slice().sort((a, b) => a.localeCompare(b, 'zh-CN', {numeric: true}))", values
        )
        assert values in (collated, collated[::-1]), f"column {labels[i]!r} not sorted: {values}"
    visit.assert_clean()


def test_sort_keeps_filter(visit, sample_site):
    visit.open("/centers/")
    page = visit.page
    page.select_option("select#tic-filter-state", "revoked")
    page.locator("#tic-directory thead th button").first.click()
    expected = {c.id for c in sample_site.centers if c.state == "revoked"}
    assert_directory_shows(page, expected, "state=revoked after sorting")
    visit.assert_clean()


# --------------------------------------------------------------------------
# Search (mkdocs-material's built-in search, index segmented with jieba)
# --------------------------------------------------------------------------


def without_query(url: str) -> str:
    """The URL without the ?h= highlight query and the #fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def search(page: Any, query: str) -> list[str]:
    """Type a query into the search box; return the result links (absolute).

    Material runs a query on the input's keyup. Playwright enters Chinese as
    inserted text (as an input method commits it) with no key events, so a
    harmless key (End) is pressed afterwards, as a reader's keyboard would."""
    box = page.locator(".md-search__input")
    # Material's own "type to start searching" text, from the page's config.
    placeholder, none = page.evaluate(
        """() => { const t = JSON.parse(document.getElementById('__config').textContent).translations;
                   return [t['search.result.placeholder'], t['search.result.none']]; }"""
    )
    box.click()
    box.fill("")
    box.press("End")
    # Wait for the reset, so the previous query's results are not taken for this one's.
    page.wait_for_function(
        "p => document.querySelector('.md-search-result__meta').textContent.trim() === p", arg=placeholder
    )
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        """p => { const t = document.querySelector('.md-search-result__meta').textContent.trim();
                  return t !== '' && t !== p; }""",
        arg=placeholder,
    )
    # Results (if any) are rendered right after the count.
    page.wait_for_function(
        """none => document.querySelector('.md-search-result__meta').textContent.trim() === none
                  || document.querySelectorAll('.md-search-result__item').length > 0""",
        arg=none,
    )
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.md-search-result__item a[href]'))
              .map(a => a.href)"""
    )


@pytest.mark.parametrize("query", ["高效开发", "煤层气", "蓝焰"])
def test_chinese_search_finds_a_center_by_a_word_inside_its_name(visit, sample_site, query):
    center = sample_site.center(SAMPLE_CENTER)
    assert query in center.name + center.lead_unit
    visit.open("/")
    links = search(visit.page, query)
    target = f"{visit.origin}/centers/{center.id}/"
    hits = [link for link in links if without_query(link) == target]
    assert hits, f"search {query!r} did not find {target}; results: {links}"
    # Follow the result as a reader would: click it.
    results = visit.page.locator(".md-search-result__item a[href]")
    index = next(i for i in range(results.count())
                 if without_query(results.nth(i).evaluate("a => a.href")) == target)
    results.nth(index).click()
    visit.page.wait_for_url(lambda url: without_query(url) == target)
    visit.page.wait_for_load_state("networkidle")
    assert heading(visit.page) == center.name
    visit.assert_clean()


# --------------------------------------------------------------------------
# URL fields refuse javascript: (plain test, no browser)
# --------------------------------------------------------------------------


def test_javascript_website_is_refused_by_validate(tmp_path):
    workdir = copy_site_inputs(tmp_path)
    path = workdir / "registry" / "centers" / f"{SAMPLE_CENTER}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["contact"]["website"] = "javascript:alert(1)"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    completed = run_ticreg("validate", "--format", "json", "--today", BUILD_TODAY, cwd=workdir)
    assert completed.returncode == 1, describe(completed)
    findings = json.loads(completed.stdout)["findings"]
    about_website = [f for f in findings if f["path"].endswith(f"{SAMPLE_CENTER}.yml") and f["severity"] == "error"]
    assert about_website, findings
    # And the build refuses to publish it.
    built = run_ticreg("build", "--today", BUILD_TODAY, cwd=workdir)
    assert built.returncode == 1, describe(built)
    assert not (workdir / "site" / "centers" / SAMPLE_CENTER / "index.html").exists()


# --------------------------------------------------------------------------
# The hostile registry: everything stays inert, literal text
# --------------------------------------------------------------------------

DOM_AUDIT_JS = """() => {
    const bad = [];
    const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase();
            if (name.startsWith('on')) bad.push(`<${el.tagName.toLowerCase()} ${name}="${attr.value}">`);
            if (urlAttrs.includes(name) && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(attr.value))
                bad.push(`<${el.tagName.toLowerCase()} ${name}="${attr.value}">`);
        }
    }
    for (const s of document.querySelectorAll('script')) {
        if (/__xss|alert\\(1\\)/.test(s.textContent)) bad.push(`<script> containing ${s.textContent.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('iframe, object, embed, base, meta[http-equiv="refresh" i]'))
        bad.push(`<${el.tagName.toLowerCase()}> element`);
    return bad;
}"""


def assert_inert(visitor: Visitor, where: str) -> None:
    page = visitor.page
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"{where}: window.__xss was set"
    bad = page.evaluate(DOM_AUDIT_JS)
    assert not bad, f"{where}: live markup from registry text:\n  " + "\n  ".join(bad)
    text = body_text(page)
    assert PASSWD_MARKER not in text, f"{where}: a snippet include of /etc/passwd was executed"
    visitor.assert_clean()


# Page titles carry no markup even as entities (MkDocs and Material print a
# title unescaped in places): the generator writes these characters in their
# full-width forms there, and only there (scripts/ticreg/site/render.py).
TITLE_FORMS = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀", "\\": "＼"})


def title_form(text: str) -> str:
    return " ".join(text.translate(TITLE_FORMS).split())


def assert_literal(page: Any, where: str, literals: list[str]) -> None:
    text = body_text(page)
    missing = [s for s in literals if s not in text]
    assert not missing, f"{where}: not shown as literal text: {missing}"


def hostile_pages(built: BuiltSite) -> dict[str, list[str]]:
    """Page -> the registry text it must show literally: every page type except
    center pages (test_hostile_center_pages_... opens all of those), one notice
    of each kind, and every notice about a center or application with a
    hostile name (each must show its title and lead unit)."""
    manifest = built.manifest
    assert manifest is not None
    pages: dict[str, list[str]] = {page_path(built, t): [] for t in PAGE_TYPES if t not in ("center", "notice")}
    pages["/centers/"] = list(manifest.names.values())
    one_per_kind: dict[str, dict] = {}
    for notice in built.notices:
        one_per_kind.setdefault(notice["kind"], notice)
    hostile_centers = {cid for cid in manifest.names if cid in HOSTILE_NAMES}
    chosen = list(one_per_kind.values()) + [
        n
        for n in built.notices
        if n.get("center_id") in hostile_centers or n.get("application_id") in manifest.proposed_names
    ]
    for notice in chosen:
        pages[notice_path(notice)] = [notice["title"], notice["unit"]]
    return pages


def test_hostile_registry_is_valid_and_builds(hostile_site):
    manifest = hostile_site.manifest
    assert manifest.names and manifest.proposed_names
    built = {c.id: c.name for c in hostile_site.centers}
    assert built == manifest.names
    listed = json.loads((hostile_site.site / "data" / "centers.json").read_text(encoding="utf-8"))
    listed = listed["centers"] if isinstance(listed, dict) else listed
    assert {c["name"] for c in listed} == set(manifest.names.values())


def test_hostile_pages_are_inert_and_literal(hostile_visit, hostile_site):
    manifest = hostile_site.manifest
    pages = hostile_pages(hostile_site)
    kinds = {n["kind"] for n in hostile_site.notices}
    assert len(pages) >= len(PAGE_TYPES) - 2 + len(kinds) + len(manifest.proposed_names)
    for path, literals in pages.items():
        hostile_visit.open(path, wait_until="load")
        assert_inert(hostile_visit, path)
        assert_literal(hostile_visit.page, path, literals)
    hostile_visit.assert_clean()


def test_hostile_center_pages_show_the_text_literally(hostile_visit, hostile_site):
    manifest = hostile_site.manifest
    for center_id, literals in manifest.center_literals.items():
        path = f"/centers/{center_id}/"
        hostile_visit.open(path)
        assert heading(hostile_visit.page) == manifest.names[center_id], path
        title = hostile_visit.page.title()
        assert title_form(manifest.names[center_id]) in title, f"{path}: <title> {title!r}"
        assert_literal(hostile_visit.page, path, literals)
        assert_inert(hostile_visit, path)


def test_hostile_names_are_literal_in_directory_and_notices(hostile_visit, hostile_site):
    manifest = hostile_site.manifest
    hostile_visit.open("/centers/")
    assert_literal(hostile_visit.page, "/centers/", list(manifest.names.values()))
    assert_inert(hostile_visit, "/centers/")
    hostile_visit.open("/notices/")
    assert_literal(hostile_visit.page, "/notices/", list(manifest.proposed_names.values()))
    assert_inert(hostile_visit, "/notices/")
    for notice in hostile_site.notices:
        if notice.get("application_id") in manifest.proposed_names:
            path = notice_path(notice)
            hostile_visit.open(path)
            assert heading(hostile_visit.page) == notice["title"], path
            assert_literal(hostile_visit.page, path, [manifest.proposed_names[notice["application_id"]]])
            assert_inert(hostile_visit, path)


SEARCH_FRAGMENTS = list(PAYLOADS) + [
    "<script>window.__xss=1</script>",
    "</title><script>alert(1)</script>",
    "<img/src=x/onerror=alert(1)>",
    "<svg/onload=window.__xss=1>",
    "javascript:alert(1)",
    "onerror",
    "script",
]


def test_hostile_search_is_inert(hostile_visit, hostile_site):
    hostile_visit.open("/")
    page = hostile_visit.page
    for fragment in SEARCH_FRAGMENTS:
        search(page, fragment)
        assert_inert(hostile_visit, f"search {fragment!r}")
    # Queries that surely match hostile pages render their snippets: those
    # must show the markup as text.
    for query in ("简介", "onerror"):
        links = search(page, query)
        assert links, f"search for {query!r} found nothing in the hostile site"
        shown = page.inner_text(".md-search-result").replace(ZWSP, "")
        assert "<img src=x onerror=alert(1)>" in shown, f"search {query!r} results: {shown[:500]!r}"
        assert_inert(hostile_visit, f"search {query!r}")


def test_hostile_feed_and_open_data_are_well_formed(hostile_site):
    site = hostile_site.site
    manifest = hostile_site.manifest
    feed = ET.parse(site / "notices" / "feed.xml")  # raises on malformed XML
    titles = [e.text or "" for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    for name in manifest.proposed_names.values():
        assert any(name in t for t in titles), f"feed.xml has no title with {name!r}"
    notices = read_notices(site)
    assert {n["subject"] for n in notices} >= set(manifest.proposed_names.values())
    calendar = (site / "notices" / "deadlines.ics").read_text(encoding="utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR")
    csv_text = (site / "data" / "centers.csv").read_text(encoding="utf-8-sig")
    for name in manifest.names.values():
        assert name in csv_text
