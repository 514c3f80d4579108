"""The few GitHub REST calls ticreg makes (comments, pull requests, issues, labels).

Every call goes through one *transport*: a function taking the method, the
full URL, the headers and the body (bytes or None) and returning a
``Response``. The default sends it with urllib; tests pass a fake one, so
that the HTTP exchange is the only thing they replace.

The token is the workflow's GITHUB_TOKEN. It is sent only to the API URL
(https://api.github.com unless the runner's GITHUB_API_URL names another,
as on GitHub Enterprise Server), and pagination never follows a link to
another host.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import EnvironmentFailed, UsageError

API_URL = "https://api.github.com"
# The account GITHUB_TOKEN acts as: comments and issues it writes carry it.
BOT_LOGIN = "github-actions[bot]"
API_VERSION = "2022-11-28"
TIMEOUT_SECONDS = 30
MAX_PAGES = 50  # 100 a page: 5,000 comments or issues is more than enough

_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
# https anywhere; plain http only to this machine (a test's fake server).
_API_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/-]*)?|http://(?:127\.0\.0\.1|localhost)(?::\d+)?")
_NEXT_LINK = re.compile(r'<([^<>]+)>\s*;\s*rel="next"')


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes


Transport = Callable[[str, str, Mapping[str, str], "bytes | None"], Response]


class GitHubError(EnvironmentFailed):
    """The API refused a call or could not be reached."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status, when the API answered


def urllib_transport(method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> Response:
    # Imported here: urllib.request pulls in http.client, ssl and email, which
    # a command that only registers its GitHub options (--help) must not pay for.
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return Response(answer.status, _lower(answer.headers), answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, _lower(error.headers), error.read())
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise GitHubError(f"无法连接 GitHub API（{method} {url}）：{reason}") from None


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()} if headers else {}


class GitHub:
    """A repository's REST API, as GITHUB_TOKEN sees it."""

    def __init__(self, token: str, repo: str, transport: Transport = urllib_transport, api_url: str = API_URL):
        if not token:
            raise UsageError("没有 GitHub 令牌：请在环境变量 GITHUB_TOKEN 中提供（工作流中为 github.token）")
        if not _REPO.fullmatch(repo or ""):
            raise UsageError(f"仓库“{repo}”的写法不对：应为 所有者/仓库名，如 jcst/tic-registry")
        api_url = api_url.rstrip("/")
        if not _API_URL.fullmatch(api_url):
            raise UsageError(f"GitHub API 地址“{api_url}”不可用：须为 https 地址")
        self.repo = repo
        self.api_url = api_url
        self._token = token
        self._transport = transport

    # --- plumbing --------------------------------------------------------------

    def _send(self, method: str, url: str, payload: Any = None) -> tuple[Any, Response]:
        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self._token}",
            "User-Agent": "ticreg",
            "X-GitHub-Api-Version": API_VERSION,
        }
        body = None
        if payload is not None:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        response = self._transport(method, url, headers, body)
        if response.status >= 400:
            raise GitHubError(
                f"GitHub API 拒绝了 {method} {_shown(url)}：HTTP {response.status} {_message(response)}",
                response.status,
            )
        if not response.body:
            return None, response
        try:
            return json.loads(response.body), response
        except ValueError:
            raise GitHubError(f"GitHub API 对 {method} {_shown(url)} 的应答不是 JSON") from None

    def _url(self, path: str, **query: Any) -> str:
        url = f"{self.api_url}/repos/{self.repo}/{path}"
        return f"{url}?{urllib.parse.urlencode(query)}" if query else url

    def request(self, method: str, path: str, payload: Any = None, **query: Any) -> Any:
        """``path`` relative to the repository: ``issues/7/comments``."""
        return self._send(method, self._url(path, **query), payload)[0]

    def paginate(self, path: str, **query: Any) -> Iterator[dict]:
        url: str | None = self._url(path, per_page=100, **query)
        for _ in range(MAX_PAGES):
            if url is None:
                return
            data, response = self._send("GET", url)
            yield from data or []
            url = _next_page(response.headers.get("link", ""), self.api_url)

    # --- pull requests and their comments -------------------------------------

    def pull_request(self, number: int) -> dict:
        return self.request("GET", f"pulls/{int(number)}")

    def issue_comments(self, number: int) -> list[dict]:
        return list(self.paginate(f"issues/{int(number)}/comments"))

    def create_issue_comment(self, number: int, body: str) -> dict:
        return self.request("POST", f"issues/{int(number)}/comments", {"body": body})

    def update_issue_comment(self, comment_id: int, body: str) -> dict:
        return self.request("PATCH", f"issues/comments/{int(comment_id)}", {"body": body})

    # --- issues and labels ----------------------------------------------------

    def issues_with_label(self, label: str) -> list[dict]:
        """Open and closed issues with the label (pull requests left out)."""
        return [i for i in self.paginate("issues", labels=label, state="all") if "pull_request" not in i]

    def create_issue(self, title: str, body: str, labels: list[str]) -> dict:
        return self.request("POST", "issues", {"title": title, "body": body, "labels": labels})

    def update_issue(self, number: int, **fields: Any) -> dict:
        return self.request("PATCH", f"issues/{int(number)}", fields)

    def ensure_label(self, name: str, color: str, description: str) -> None:
        try:
            self.request("GET", f"labels/{urllib.parse.quote(name, safe='')}")
        except GitHubError as error:
            if error.status != 404:
                raise
            self.request("POST", "labels", {"name": name, "color": color, "description": description})


def from_environment(repo: str | None, transport: Transport = urllib_transport) -> GitHub:
    """The client a workflow step uses: GITHUB_TOKEN, GITHUB_API_URL and
    ``repo`` (default: GITHUB_REPOSITORY, set by the runner)."""
    repo = repo or os.environ.get("GITHUB_REPOSITORY", "")
    if not repo:
        raise UsageError("不知道是哪个仓库：请用 --repo 所有者/仓库名 指定（工作流中取自 GITHUB_REPOSITORY）")
    return GitHub(
        os.environ.get("GITHUB_TOKEN", ""),
        repo,
        transport=transport,
        api_url=os.environ.get("GITHUB_API_URL") or API_URL,
    )


def _next_page(link: str, api_url: str) -> str | None:
    match = _NEXT_LINK.search(link)
    if match is None:
        return None
    url = match.group(1)
    # The token goes to the API and nowhere else.
    return url if url.startswith(api_url + "/") else None


def _shown(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def _message(response: Response) -> str:
    try:
        message = json.loads(response.body).get("message", "")
    except (ValueError, AttributeError):
        message = ""
    return str(message)[:200]
