"""`ticreg pr-comment` and its parts: the untrusted artifact, the sanitiser, the one comment.

The GitHub API is the in-memory FakeGitHub (tests/fake_github.py), passed as
the client's transport; everything else is the real code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli
from fake_github import BOT, FakeGitHub
from ticreg.github import pr_comment
from ticreg.github.github_api import GitHub, GitHubError
from ticreg.github.markdown_safe import JOINER, neutralise, table_cell

HEAD = "a" * 40
OLD_HEAD = "b" * 40


def client(fake: FakeGitHub) -> GitHub:
    return GitHub(fake.token, fake.repo, transport=fake, api_url=fake.api_url)


# --- the pull request number ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "number", "dropped"),
    [(b"7\n", 7, False), (b"  42  ", 42, False), (b"12; rm -rf /", 12, True), (b"7$(touch pwned)", 7, True),
     (b"0012", 12, False)],
)
def test_only_the_digits_of_the_number_are_kept(tmp_path, content, number, dropped):
    path = tmp_path / "pr-number.txt"
    path.write_bytes(content)
    assert pr_comment.read_pr_number(path) == pr_comment.PullRequestNumber(number, dropped)


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "没有数字"), (b"../../x", "没有数字"), (b"\xff\xfe", "没有数字"), (b"1234567890", "超过 9 位"),
     (b"0", "编号为 0"), (b"7" + b" " * 64, "超过 64 字节"), ("１２".encode(), "没有数字")],
)
def test_a_number_file_without_a_usable_number_is_refused(tmp_path, content, reason):
    path = tmp_path / "pr-number.txt"
    path.write_bytes(content)
    with pytest.raises(pr_comment.UntrustedInput, match=reason):
        pr_comment.read_pr_number(path)


def test_a_missing_number_file_is_refused(tmp_path):
    with pytest.raises(pr_comment.UntrustedInput, match="无法读取"):
        pr_comment.read_pr_number(tmp_path / "absent.txt")


# --- neutralising --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hostile", "never"),
    [
        ("@everyone look", "@everyone"),
        ("ping @jcst-admin and @org/team", "@jcst-admin"),
        ("&#64;everyone", "&#64;"),  # an entity GitHub would render as @
        ("&#x40;admin", "&#x40;"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("<script>alert(1)</script>", "<script"),
        ("<!-- ticreg-validate-report -->", "<!--"),
        ("[click](javascript:alert(1))", "[click]("),
        ("![x](https://evil.example/t.png)", "](https://"),
        ("\\[x](javascript:alert(1))", "\\[x]("),  # a backslash of its own does not undo the escaping
        ("https://evil.example/phish", "https://"),
        ("www.evil.example", "www.evil"),
        ("fixes #12 and jcst/other#3", "#12"),
        ("GH-12", "GH-12"),
        ("\u202eevil\u202c", "\u202e"),
        ("a\x00b\x1bc", "\x1b"),
    ],
)
def test_hostile_markdown_is_neutralised(hostile, never):
    safe = neutralise(hostile)
    assert never not in safe
    assert "<" not in safe
    assert not re.search(r"@[A-Za-z0-9]", safe)
    assert not re.search(r"(?<!\\)\]\(", safe)


def test_the_reports_own_markdown_survives():
    report = (
        "# 整个登记册\n\n## 登记册校验：❌ 未通过\n\n检查了 2 个文件：1 个错误，0 个警告。\n\n"
        "| 位置 | 规则 | 级别 | 条款 | 说明 |\n|---|---|---|---|---|\n"
        "| registry/a.yml:3:5 | N401 | 错误 | 第九条 | 名称“&lt;b&gt;”含 &#124; 与 &#96; |\n"
        "> **ticreg validate 未能完成（退出码 3），请查看作业日志。**\n"
    )
    assert neutralise(report) == report


def test_a_table_cell_stays_on_one_line_and_in_its_column():
    assert table_cell("a|b\nc @x") == f"a&#124;b c @{JOINER}x"


# --- capping ---------------------------------------------------------------------------


def test_a_short_report_is_not_cut():
    assert pr_comment.cap("短报告\n", 1000) == ("短报告\n", False)


def test_a_long_report_is_cut_at_a_line_end_within_the_limit():
    text = "".join(f"| 第 {n} 行 |\n" for n in range(10_000))
    cut, was_cut = pr_comment.cap(text, 5_000)
    assert was_cut and len(cut) <= 5_000
    assert text.startswith(cut) and cut.endswith("|")


def test_one_huge_line_is_cut_without_splitting_an_escape():
    text = neutralise("<" * 10_000)
    cut, was_cut = pr_comment.cap(text, 1_001)
    assert was_cut and len(cut) <= 1_001
    assert re.fullmatch(r"(?:&lt;)+", cut)


def test_a_code_fence_left_open_by_the_cut_is_closed():
    text = "```\n" + "code\n" * 1_000 + "```\n"
    cut, _ = pr_comment.cap(text, 500)
    assert cut.endswith("\n```") and len(re.findall(r"^```", cut, re.MULTILINE)) == 2


def test_the_body_carries_the_marker_the_report_and_a_chinese_note_when_cut():
    body = pr_comment.comment_body("x\n" * 50_000, max_chars=1_000,
                                   run_url="https://github.com/jcst/tic-registry/actions/runs/42", head_sha=HEAD)
    assert body.startswith(pr_comment.MARKER + "\n")
    assert "报告过长，这里只显示前 1000 个字符" in body
    assert "[本次校验的运行记录](https://github.com/jcst/tic-registry/actions/runs/42)" in body
    assert f"`{HEAD}`" in body
    assert len(body) < 1_000 + 600


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://x.example/a) [y](z", "http://x.example/", "https://a b"])
def test_a_run_url_that_is_not_a_plain_https_address_is_not_linked(url):
    body = pr_comment.comment_body("报告", run_url=url)
    assert url not in body and "](" not in body


def test_without_a_report_the_comment_says_so():
    body = pr_comment.comment_body(None)
    assert "校验没有生成报告" in body and body.startswith(pr_comment.MARKER)


def test_a_200_kb_report_is_read_only_up_to_its_bound(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("报" * 200_000, encoding="utf-8")
    text = pr_comment.read_report(path, 1_000)
    assert text.startswith("报") and len(text) <= 4_004 // 3 + 1  # 3 bytes a character
    assert pr_comment.read_report(tmp_path / "absent.md", 1_000) is None


# --- posting: one comment, updated -------------------------------------------------------


def test_first_push_creates_the_comment_the_next_updates_it():
    fake = FakeGitHub()
    fake.add_pull(7, HEAD)
    first = pr_comment.post_or_update(client(fake), 7, pr_comment.MARKER + "\n一", bot_login=BOT, head_sha=HEAD)
    assert first.action == "created"
    fake.add_pull(7, OLD_HEAD)
    second = pr_comment.post_or_update(client(fake), 7, pr_comment.MARKER + "\n二", bot_login=BOT, head_sha=OLD_HEAD)
    assert (second.action, second.comment_id) == ("updated", first.comment_id)
    assert len(fake.calls("POST")) == 1 and len(fake.calls("PATCH")) == 1
    assert [c["body"] for c in fake.comments[7]] == [pr_comment.MARKER + "\n二"]


def test_the_same_report_again_changes_nothing():
    fake = FakeGitHub()
    fake.add_pull(7, HEAD)
    fake.add_comment(7, pr_comment.MARKER + "\n同", BOT)
    assert pr_comment.post_or_update(client(fake), 7, pr_comment.MARKER + "\n同", bot_login=BOT).action == "unchanged"
    assert fake.calls("POST") == fake.calls("PATCH") == []


def test_a_comment_by_someone_else_quoting_the_marker_is_left_alone():
    fake = FakeGitHub()
    fake.add_pull(7, HEAD)
    quoted = fake.add_comment(7, "引用：" + pr_comment.MARKER, "some-applicant")
    result = pr_comment.post_or_update(client(fake), 7, pr_comment.MARKER + "\n新", bot_login=BOT)
    assert result.action == "created"
    assert quoted["body"] == "引用：" + pr_comment.MARKER


def test_the_bots_comment_is_found_on_a_later_page():
    fake = FakeGitHub(page_size=2)
    fake.add_pull(7, HEAD)
    for n in range(5):
        fake.add_comment(7, f"讨论 {n}", "reviewer")
    mine = fake.add_comment(7, pr_comment.MARKER + "\n旧", BOT)
    result = pr_comment.post_or_update(client(fake), 7, pr_comment.MARKER + "\n新", bot_login=BOT)
    assert (result.action, result.comment_id) == ("updated", mine["id"])
    assert [r.query.get("page", "1") for r in fake.calls("GET", r"issues/7/comments")] == ["1", "2", "3"]


def test_a_report_for_an_older_push_is_not_posted():
    fake = FakeGitHub()
    fake.add_pull(7, HEAD)
    result = pr_comment.post_or_update(client(fake), 7, pr_comment.MARKER, bot_login=BOT, head_sha=OLD_HEAD)
    assert result.action == "stale"
    assert [r.method for r in fake.requests] == ["GET"]


def test_a_pull_request_that_does_not_exist_is_an_error():
    fake = FakeGitHub()
    with pytest.raises(GitHubError, match="HTTP 404"):
        pr_comment.post_or_update(client(fake), 12, pr_comment.MARKER, bot_login=BOT, head_sha=HEAD)
    assert fake.calls("POST") == []


# --- the client: the token goes to the API and nowhere else -----------------------------


def test_pagination_never_follows_a_link_to_another_host():
    fake = FakeGitHub()
    fake.add_pull(7, HEAD)
    sent = []

    def transport(method, url, headers, body):
        sent.append(url)
        answer = fake(method, url, headers, body)
        if "comments" in url:
            return type(answer)(200, {"link": '<https://evil.example/steal?page=2>; rel="next"'}, b"[]")
        return answer

    GitHub(fake.token, fake.repo, transport=transport).issue_comments(7)
    assert sent == [f"https://api.github.com/repos/{fake.repo}/issues/7/comments?per_page=100"]


@pytest.mark.parametrize("api_url", ["http://api.github.com", "ftp://x", "https://x.example/a b"])
def test_the_token_is_only_sent_over_https(api_url):
    with pytest.raises(Exception, match="API 地址"):
        GitHub("t", "jcst/tic-registry", api_url=api_url)


@pytest.mark.parametrize("repo", ["", "jcst", "jcst/tic/registry", "../x/y", "jcst/tic registry"])
def test_a_malformed_repository_is_refused(repo):
    with pytest.raises(Exception, match="仓库"):
        GitHub("t", repo)


def test_every_request_is_authenticated_and_versioned():
    fake = FakeGitHub()
    fake.add_pull(7, HEAD)
    client(fake).pull_request(7)
    [request] = fake.requests
    assert request.headers["authorization"] == "Bearer test-token"
    assert request.headers["x-github-api-version"] == "2022-11-28"


# --- the command line ---------------------------------------------------------------------


def test_dry_run_prints_the_neutralised_body_and_needs_no_token(tmp_path: Path):
    (tmp_path / "pr.txt").write_text("7\n", encoding="utf-8")
    (tmp_path / "report.md").write_text("@everyone <b>x</b>\n", encoding="utf-8")
    result = run_cli("pr-comment", "--pr-file", "pr.txt", "--report", "report.md", "--dry-run", cwd=tmp_path,
                     env={"PATH": "/usr/bin:/bin"})
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(pr_comment.MARKER)
    assert f"@{JOINER}everyone &lt;b>x&lt;/b>" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--head-sha", "HEAD"], "--head-sha"), (["--max-chars", "10"], "--max-chars"), (["--max-chars", "99999"], "--max-chars")],
)
def test_bad_options_are_usage_errors(tmp_path, args, message):
    (tmp_path / "pr.txt").write_text("7", encoding="utf-8")
    result = run_cli("pr-comment", "--pr-file", "pr.txt", "--report", "r.md", "--dry-run", *args, cwd=tmp_path)
    assert result.code == 2 and message in result.stderr


def test_posting_without_a_token_is_a_usage_error(tmp_path):
    (tmp_path / "pr.txt").write_text("7", encoding="utf-8")
    result = run_cli("pr-comment", "--pr-file", "pr.txt", "--report", "r.md", "--repo", "jcst/tic-registry",
                     cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert result.code == 2 and "GITHUB_TOKEN" in result.stderr
