"""One of each: one error family with one exit code per meaning, one dotted(),
one way to drop positions or empty keys, one identifier regex, one schema folder.

Exit code 1 keeps meaning "the registry (or a given file) has errors"; a tool
the command relies on failing outside the registry (git, the GitHub API,
MkDocs) is 4, so a workflow can tell "fix the registry" from "retry".
"""

from __future__ import annotations

import ast
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from conftest import REGISTRY, REPO, TODAY, run_cli

from ticreg import errors
from ticreg.changes import without_empty_keys
from ticreg.errors import (
    EXIT_ENVIRONMENT,
    EXIT_FINDINGS,
    EXIT_USAGE,
    EnvironmentFailed,
    MissingCalendarYear,
    RegistryHasErrors,
)
from ticreg.findings import FILE_TOP, dotted, field_path
from ticreg.loader import load_bytes, without_positions
from ticreg.repo_layout import JSON_SCHEMA_DIR
from ticreg_schemas.common import IDENTIFIER

PACKAGE = REPO / "scripts" / "ticreg"


# --- the error family ---------------------------------------------------------


def test_exit_codes_are_distinct_and_environment_is_not_findings():
    codes = [errors.EXIT_OK, errors.EXIT_FINDINGS, errors.EXIT_USAGE, errors.EXIT_INTERNAL, EXIT_ENVIRONMENT]
    assert len(set(codes)) == len(codes)
    assert EXIT_ENVIRONMENT == 4 and EXIT_FINDINGS == 1


def test_the_environment_failures_share_one_class_and_code():
    from ticreg.git_trees import GitError
    from ticreg.github.github_api import GitHubError
    from ticreg.site.mkdocs_build import SiteBuildFailed

    for failure in (GitError, GitHubError, SiteBuildFailed):
        assert issubclass(failure, EnvironmentFailed) and failure.exit_code == EXIT_ENVIRONMENT


def test_the_registry_errors_are_one_class_wherever_they_are_raised():
    from ticreg.process import calendar

    assert calendar.MissingCalendarYear is MissingCalendarYear
    assert RegistryHasErrors.exit_code == MissingCalendarYear.exit_code == EXIT_FINDINGS
    shown = RegistryHasErrors.counted("elsewhere", 3, "网站未构建")
    assert str(shown) == "登记册 elsewhere 有 3 个错误，网站未构建；请先运行 ticreg validate --registry elsewhere 查看并修正"
    assert "请先运行 ticreg validate 查看" in str(RegistryHasErrors.counted("registry", 1, "x"))


def _literal_exit_codes(package: Path) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "exit_code" for t in node.targets):
                if isinstance(node.value, ast.Constant):
                    found.append(f"{path.relative_to(package).as_posix()}:{node.lineno}")
    return found


def test_no_error_class_hard_codes_an_exit_code():
    assert _literal_exit_codes(PACKAGE) == []


def test_the_scan_sees_a_literal_exit_code(tmp_path):
    """The scan above can fail: a class with ``exit_code = 1`` is reported, one with the constant is not."""
    (tmp_path / "bad.py").write_text("class Bad(Exception):\n    exit_code = 1\n", encoding="utf-8")
    (tmp_path / "good.py").write_text("class Good(Exception):\n    exit_code = EXIT_FINDINGS\n", encoding="utf-8")
    assert _literal_exit_codes(tmp_path) == ["bad.py:2"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_github_api_exits_with_the_environment_code(tmp_path):
    report = tmp_path / "report.md"
    report.write_text("## 问题\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "jincheng/tic",
           "GITHUB_API_URL": f"http://127.0.0.1:{_closed_port()}"}
    result = run_cli("intake-reply", "--issue-number", "1", "--report", str(report), cwd=tmp_path, env=env)
    assert result.code == EXIT_ENVIRONMENT, result.stderr
    assert "无法连接 GitHub API" in result.stderr
    # The other side of the boundary: a wrong argument is still a usage error, before any call.
    wrong = run_cli("intake-reply", "--issue-number", "x", "--report", str(report), cwd=tmp_path, env=env)
    assert wrong.code == EXIT_USAGE


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _repository(tmp_path: Path) -> Path:
    shutil.copytree(REGISTRY, tmp_path / "registry")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "base")
    return tmp_path


def test_a_broken_git_repository_exits_with_the_environment_code(tmp_path):
    repo = _repository(tmp_path)
    healthy = run_cli("check-changes", "--base", "HEAD", cwd=repo)
    assert healthy.code == 0, healthy.stderr
    tree = _git(repo, "rev-parse", "HEAD^{tree}")
    (repo / ".git" / "objects" / tree[:2] / tree[2:]).unlink()  # the commit is there, its tree is not
    result = run_cli("check-changes", "--base", "HEAD", cwd=repo)
    assert result.code == EXIT_ENVIRONMENT, (result.code, result.stderr)
    assert "git" in result.stderr and result.stdout == ""


def test_git_that_cannot_be_run_exits_with_the_environment_code(tmp_path):
    repo = _repository(tmp_path)
    no_git = tmp_path / "empty-path"
    no_git.mkdir()
    result = run_cli("check-changes", "--base", "HEAD", cwd=repo, env={"PATH": str(no_git)})
    assert result.code == EXIT_ENVIRONMENT and "找不到 git 命令" in result.stderr


def test_a_revision_that_does_not_exist_is_still_a_usage_error(tmp_path):
    result = run_cli("check-changes", "--base", "no-such-branch", cwd=_repository(tmp_path))
    assert result.code == EXIT_USAGE


def test_mkdocs_failing_is_an_environment_failure(tmp_path):
    from ticreg.site.mkdocs_build import SiteBuildFailed, run_mkdocs

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\ntheme:\n  name: no-such-theme\n", encoding="utf-8")
    with pytest.raises(SiteBuildFailed, match="MkDocs 构建失败") as raised:
        run_mkdocs(config, tmp_path / "site", TODAY)
    assert raised.value.exit_code == EXIT_ENVIRONMENT
    config.write_text("site_name: t\n", encoding="utf-8")  # the same folder builds once the theme exists
    run_mkdocs(config, tmp_path / "site", TODAY)
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_registry_with_errors_still_exits_1_for_deadlines(mini):
    mini.write("policy.yml", "not: [a policy\n")
    result = run_cli("deadlines", "--as-of", TODAY.isoformat(), cwd=mini.base)
    assert result.code == EXIT_FINDINGS and "ticreg validate" in result.stderr


# --- one dotted(), one field_path() -------------------------------------------


@pytest.mark.parametrize(
    "where,shown",
    [(("history", 0, "date"), "history[0].date"), (("name",), "name"), ((0,), "[0]"), ((), "")],
)
def test_dotted_names_a_field_the_way_messages_do(where, shown):
    assert dotted(where) == shown


def test_dotted_says_what_the_caller_wants_for_the_top_level():
    assert dotted((), top=FILE_TOP) == "（文件顶层）"
    assert dotted(("name",), top=FILE_TOP) == "name"


def test_field_path_drops_list_positions():
    assert field_path(("contact", "phone")) == "contact.phone"
    assert field_path(("team", 2, "mobile")) == "team.mobile"
    assert field_path(()) == ""


def test_no_module_keeps_its_own_copy():
    copies = {"_dotted", "plain", "_plain"}
    defined = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in copies | {"dotted"}:
                defined.append((path.relative_to(PACKAGE).as_posix(), node.name))
    assert defined == [("findings.py", "dotted")]


# --- the two ways of making loaded data plain, named for what they do ------------


def test_without_positions_keeps_every_key_and_value():
    loaded = load_bytes(b"a: x\nb: null\nc: [x, {d: null}]\n", "f.yml")
    assert without_positions(loaded.data) == {"a": "x", "b": None, "c": ["x", {"d": None}]}
    assert type(without_positions(loaded.data)) is dict


def test_without_empty_keys_treats_an_empty_key_as_absent():
    assert without_empty_keys({"a": 1, "b": None, "c": [{"d": None, "e": 2}]}) == {"a": 1, "c": [{"e": 2}]}
    assert without_empty_keys({"b": None}) == without_empty_keys({})
    assert without_empty_keys([None]) == [None]  # a list keeps its length: only keys can be absent


# --- one identifier regex, one schema folder ------------------------------------


@pytest.mark.parametrize("value", ["a", "zezhou", "2024-zezhou-001", "a" * 64])
def test_identifiers_that_fit(value):
    assert IDENTIFIER.fullmatch(value)


@pytest.mark.parametrize("value", ["", "-a", "a-", "Zezhou", "a_b", "a" * 65, "泽州"])
def test_identifiers_that_do_not(value):
    assert not IDENTIFIER.fullmatch(value)


def test_the_schema_folder_is_where_the_schemas_are_and_the_command_writes():
    assert sorted((REPO / JSON_SCHEMA_DIR).glob("*.schema.json"))
    result = run_cli("schema", "--help", cwd=REPO)
    assert f"默认 {JSON_SCHEMA_DIR}" in result.stdout


def test_no_module_spells_the_schema_folder_again():
    spelled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "repo_layout.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(node) is not None
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "schemas/json" in node.value:
                if id(node) not in docstrings:
                    spelled.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert spelled == []
