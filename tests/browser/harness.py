"""Harness for the browser tests: build a site, serve it locally, drive chromium.

- `build_site` copies the website's inputs (the registry, mkdocs.yml, docs/,
  overrides/) into a scratch directory and runs the real `ticreg build` there.
- `SiteServer` serves a built `site/` directory from 127.0.0.1 on an
  ephemeral port, without logging every request.
- `Visitor` is one browser context and page that records every request the
  page makes, aborts anything not addressed to the local server (so nothing
  leaves the machine), dismisses and records any alert/confirm/prompt dialog,
  and records uncaught script errors; `assert_clean()` fails the test on any
  of them. Local responses with an HTTP error status are recorded apart
  (`failed_local`): the page-type tests fail on them.
- `run_axe` injects the vendored axe-core and returns its violations.

Chromium is Debian's /usr/bin/chromium; Playwright's own browser download is
never used (and cannot work here). Without that browser the tests skip,
except under CI (environment variable CI set), where they fail.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_JS = VENDOR / "axe.min.js"

# The fixed "today" the site is built for, as in tests/conftest.py.
BUILD_TODAY = "2026-11-26"

# Playwright waits (milliseconds).
DEFAULT_TIMEOUT_MS = 20_000


# --------------------------------------------------------------------------
# Browser availability
# --------------------------------------------------------------------------


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (install Debian's chromium: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"Playwright for Python is not installed ({error}); pip install -e '.[test]'"
    return None


def require_browser() -> None:
    """Skip without a browser; under CI (env CI set) fail loudly instead."""
    reason = browser_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser tests cannot run: {reason}", pytrace=False)
    print(f"\nbrowser tests skipped: {reason}", file=sys.stderr)
    pytest.skip(f"browser tests skipped: {reason}")


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


# --------------------------------------------------------------------------
# Building a site
# --------------------------------------------------------------------------


def copy_site_inputs(dest: Path) -> Path:
    """Copy what `ticreg build` reads from the repository into dest (one list: conftest's)."""
    from conftest import copy_site_inputs as copy

    dest.mkdir(parents=True, exist_ok=True)
    return copy(dest)


def run_ticreg(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real command line (`python -m ticreg`) in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "ticreg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def describe(completed: subprocess.CompletedProcess) -> str:
    return (
        f"exit code {completed.returncode}\n--- stdout ---\n{completed.stdout[-6000:]}"
        f"\n--- stderr ---\n{completed.stderr[-6000:]}"
    )


def build_site(workdir: Path, *extra: str) -> Path:
    """Run `ticreg build --today BUILD_TODAY` in workdir; return workdir/site."""
    completed = run_ticreg("build", "--today", BUILD_TODAY, *extra, cwd=workdir)
    assert completed.returncode == 0, f"ticreg build failed in {workdir}: {describe(completed)}"
    site = workdir / "site"
    assert (site / "index.html").is_file(), f"ticreg build wrote no {site / 'index.html'}"
    return site


# --------------------------------------------------------------------------
# Local HTTP server
# --------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's signature
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing a connection early is not worth a traceback.
        pass


class SiteServer:
    """Serve a directory over HTTP on 127.0.0.1 and an ephemeral port."""

    def __init__(self, root: Path):
        self.root = Path(root)

        def handler(*args: Any, **kwargs: Any) -> _QuietHandler:
            return _QuietHandler(*args, directory=str(self.root), **kwargs)

        self._server = _QuietServer(("127.0.0.1", 0), handler)
        host, port = self._server.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"site-server-{port}", daemon=True)

    def url(self, path: str = "/") -> str:
        return self.origin + (path if path.startswith("/") else "/" + path)

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------
# A guarded browser page
# --------------------------------------------------------------------------


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Visitor:
    """One browser context and page, with every request and dialog recorded."""

    browser: Any
    origin: str
    javascript: bool = True
    requests: list[tuple[str, str]] = field(default_factory=list)  # (page url, request url)
    external: list[tuple[str, str]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_local: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context = self.browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
            service_workers="block",
            java_script_enabled=self.javascript,
        )
        self.context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        # Nothing leaves the machine: anything not on the local server is aborted.
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.watch(self.page)

    # -- recording --------------------------------------------------------

    def is_local(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob"):
            return True
        return _origin_of(url) == self.origin

    def _route(self, route: Any) -> None:
        if self.is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def watch(self, page: Any) -> None:
        page.on("request", lambda request: self._on_request(page, request))
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("response", self._on_response)

    def _on_request(self, page: Any, request: Any) -> None:
        self.requests.append((page.url, request.url))
        if not self.is_local(request.url):
            self.external.append((page.url, request.url))

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}({dialog.message!r}) on {dialog.page.url if dialog.page else '?'}")
        dialog.dismiss()

    def _on_response(self, response: Any) -> None:
        if self.is_local(response.url) and response.status >= 400:
            self.failed_local.append(f"HTTP {response.status} {response.url}")

    # -- navigation -------------------------------------------------------

    def url(self, path: str) -> str:
        return self.origin + (path if path.startswith("/") else "/" + path)

    def open(self, path: str, wait_until: str = "networkidle") -> Any:
        """Open a path on the local server; assert HTTP 200 and wait until idle."""
        response = self.page.goto(self.url(path), wait_until=wait_until)
        assert response is not None, f"no response for {path}"
        assert response.status == 200, f"HTTP {response.status} for {path}"
        return response

    # -- verdict ----------------------------------------------------------

    def problems(self) -> list[str]:
        found = []
        found += [f"external request from {page}: {url}" for page, url in self.external]
        found += [f"dialog opened: {text}" for text in self.dialogs]
        found += [f"uncaught script error: {text}" for text in self.page_errors]
        return found

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the page misbehaved:\n  " + "\n  ".join(problems)

    def close(self) -> None:
        self.context.close()


# --------------------------------------------------------------------------
# Accessibility
# --------------------------------------------------------------------------

BLOCKING_IMPACTS = ("serious", "critical")


def run_axe(page: Any) -> list[dict]:
    """Inject the vendored axe-core into the page and return its violations."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        r"""async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                html: v.nodes.slice(0, 5).map(n => n.html.replace(/\s+/g, ' ').slice(0, 160)),
                summary: v.nodes.slice(0, 1).map(n => (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300)),
                count: v.nodes.length,
            }));
        }"""
    )


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def format_violations(path: str, violations: list[dict]) -> str:
    lines = [f"{path}: {len(violations)} serious/critical accessibility violation(s)"]
    for v in violations:
        lines.append(f"  - {v['id']} [{v['impact']}] {v['help']} ({v['count']} element(s))")
        for target, html in zip(v["targets"], v["html"]):
            lines.append(f"      at {target}  {html}")
        if v.get("summary") and v["summary"][0]:
            lines.append(f"      first: {v['summary'][0]}")
    return "\n".join(lines)
