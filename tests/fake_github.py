"""Just enough of GitHub's REST API, in memory, for the comment and tracking-issue tests.

`FakeGitHub` is the only thing the tests replace: it answers the HTTP
requests ticreg's client (ticreg.github.github_api) makes, and records each one.
It is used two ways:

- as the client's *transport* (``GitHub(token, repo, transport=fake)``), in process;
- behind a real HTTP server on 127.0.0.1 (``with fake.serve() as api_url``),
  for the workflows' own shell steps, which run `ticreg` in a subprocess with
  GITHUB_API_URL pointing there; the real urllib transport is used then.

It checks the token, paginates lists with Link headers (``page_size``),
and refuses what it does not know with 404, so that an unexpected call
fails the test instead of passing silently.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from ticreg.github.github_api import Response

BOT = "github-actions[bot]"


@dataclass
class Recorded:
    method: str
    url: str
    path: str  # relative to /repos/OWNER/NAME/, without the query
    query: dict[str, str]
    headers: dict[str, str]
    payload: Any


@dataclass
class FakeGitHub:
    repo: str = "jcst/tic-registry"
    token: str = "test-token"
    api_url: str = "https://api.github.com"
    page_size: int = 100
    requests: list[Recorded] = field(default_factory=list)
    pulls: dict[int, dict] = field(default_factory=dict)
    comments: dict[int, list[dict]] = field(default_factory=dict)  # issue or PR number -> comments
    issues: dict[int, dict] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)
    _next_id: int = 1000

    # --- setting the scene ------------------------------------------------------

    def add_pull(self, number: int, head_sha: str) -> None:
        self.pulls[number] = {"number": number, "head": {"sha": head_sha}}

    def add_comment(self, number: int, body: str, login: str) -> dict:
        comment = {"id": self._new_id(), "body": body, "user": {"login": login},
                   "html_url": f"https://github.com/{self.repo}/pull/{number}#issuecomment-{self._next_id}"}
        self.comments.setdefault(number, []).append(comment)
        return comment

    def add_issue(self, body: str, login: str, *, labels=(), state="open", title="议题") -> dict:
        number = max([*self.issues, *self.pulls, 0]) + 1
        issue = {"number": number, "title": title, "body": body, "state": state, "user": {"login": login},
                 "labels": [{"name": name} for name in labels],
                 "html_url": f"https://github.com/{self.repo}/issues/{number}"}
        self.issues[number] = issue
        return issue

    # --- what happened ------------------------------------------------------------

    def calls(self, method: str | None = None, pattern: str = ".*") -> list[Recorded]:
        return [r for r in self.requests if (method is None or r.method == method) and re.fullmatch(pattern, r.path)]

    # --- the transport -----------------------------------------------------------

    def __call__(self, method: str, url: str, headers, body: bytes | None) -> Response:
        parts = urllib.parse.urlsplit(url)
        prefix = urllib.parse.urlsplit(self.api_url).path.rstrip("/") + f"/repos/{self.repo}/"
        path = parts.path.removeprefix(prefix)
        query = dict(urllib.parse.parse_qsl(parts.query))
        lowered = {name.lower(): value for name, value in headers.items()}
        payload = json.loads(body) if body else None
        self.requests.append(Recorded(method, url, path, query, lowered, payload))
        if not url.startswith(self.api_url + "/") or not parts.path.startswith(prefix):
            return _answer(404, {"message": "Not Found"})
        if lowered.get("authorization") != f"Bearer {self.token}":
            return _answer(401, {"message": "Bad credentials"})
        return self._route(method, path, query, payload, url)

    def _route(self, method, path, query, payload, url) -> Response:
        if match := re.fullmatch(r"pulls/(\d+)", path):
            pull = self.pulls.get(int(match[1]))
            return _answer(200, pull) if method == "GET" and pull else _answer(404, {"message": "Not Found"})
        if match := re.fullmatch(r"issues/(\d+)/comments", path):
            number = int(match[1])
            if number not in self.pulls and number not in self.issues:
                return _answer(404, {"message": "Not Found"})
            if method == "GET":
                return self._page(self.comments.get(number, []), query, url)
            if method == "POST":
                comment = self.add_comment(number, payload["body"], BOT)
                return _answer(201, comment)
        if match := re.fullmatch(r"issues/comments/(\d+)", path):
            comment = next((c for cs in self.comments.values() for c in cs if c["id"] == int(match[1])), None)
            if method == "PATCH" and comment is not None:
                comment["body"] = payload["body"]
                return _answer(200, comment)
        if path == "issues":
            if method == "GET":
                found = [i for i in self.issues.values()
                         if (query.get("state") == "all" or i["state"] == query.get("state", "open"))
                         and (not query.get("labels") or query["labels"] in [label["name"] for label in i["labels"]])]
                return self._page(sorted(found, key=lambda i: -i["number"]), query, url)
            if method == "POST":
                issue = self.add_issue(payload["body"], BOT, labels=payload.get("labels", []), title=payload["title"])
                return _answer(201, issue)
        if match := re.fullmatch(r"issues/(\d+)", path):
            issue = self.issues.get(int(match[1]))
            if method == "PATCH" and issue is not None:
                issue.update({k: v for k, v in payload.items() if k in ("title", "body", "state", "state_reason")})
                return _answer(200, issue)
        if match := re.fullmatch(r"labels/([^/]+)", path):
            name = urllib.parse.unquote(match[1])
            return _answer(200, {"name": name}) if name in self.labels else _answer(404, {"message": "Not Found"})
        if path == "labels" and method == "POST":
            self.labels.add(payload["name"])
            return _answer(201, {"name": payload["name"]})
        return _answer(404, {"message": "Not Found"})

    def _page(self, items: list, query: dict, url: str) -> Response:
        size = min(int(query.get("per_page", 30)), self.page_size)
        page = int(query.get("page", 1))
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(items):
            parts = urllib.parse.urlsplit(url)
            following = urllib.parse.urlencode({**query, "page": page + 1})
            headers["link"] = f'<{urllib.parse.urlunsplit(parts._replace(query=following))}>; rel="next"'
        return Response(200, headers, json.dumps(chunk).encode())

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    # --- behind a real HTTP server ---------------------------------------------------

    @contextlib.contextmanager
    def serve(self):
        """Serve this fake on 127.0.0.1; yields the API URL (also set as self.api_url)."""
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                answer = fake(self.command, fake.api_url + self.path, dict(self.headers.items()), body)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

            def log_message(self, *args):  # quiet
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        previous = self.api_url
        self.api_url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self.api_url
        finally:
            server.shutdown()
            server.server_close()
            self.api_url = previous


def _answer(status: int, data: Any) -> Response:
    return Response(status, {}, json.dumps(data).encode())
