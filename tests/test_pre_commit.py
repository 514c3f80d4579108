"""pre-commit: the hook other repositories use (.pre-commit-hooks.yaml) and this repository's
own configuration (.pre-commit-config.yaml).

The hook's command is run the way pre-commit runs it — its entry, its args, and the file names
only when pass_filenames says so — with the real `ticreg` on copies of the registry. The hook
does not pass file names (see the comment in .pre-commit-hooks.yaml); a test shows why: a change
to one file can break another, and only the whole-registry run sees it.

When the pre-commit package is installed, its own schema checks both files, and `pre-commit run`
runs this repository's local hooks in a throw-away git repository (no network: the remote ruff
hook is left out). Without the package those tests skip and say so.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from command_lines import Command, problems
from conftest import REGISTRY, REPO

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
CONFIG_FILE = REPO / ".pre-commit-config.yaml"
HOOK_ID = "ticreg-validate"
RUFF_REPO = "https://github.com/astral-sh/ruff-pre-commit"
BIN = Path(sys.executable).parent  # the environment the tests run in has `ticreg` installed here


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def published_hook() -> dict:
    hooks = load(HOOKS_FILE)
    assert isinstance(hooks, list)
    (hook,) = [h for h in hooks if h["id"] == HOOK_ID]
    return hook


def local_hook() -> dict:
    (local,) = [r for r in load(CONFIG_FILE)["repos"] if r["repo"] == "local"]
    (hook,) = [h for h in local["hooks"] if h["id"] == HOOK_ID]
    return hook


# --- the two files --------------------------------------------------------------------------------


def test_the_published_hook_runs_ticreg_validate_on_registry_changes():
    hook = published_hook()
    assert hook["language"] == "python"  # pre-commit installs this repository, so users need nothing else
    assert hook["files"] == "^registry/"
    assert hook["pass_filenames"] is False
    words = shlex.split(hook["entry"])
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert words[0] in scripts, "entry 须是本包安装的命令"
    assert problems(Command(tuple(words[1:] + hook.get("args", [])), hook["entry"], complete=True)) == []
    assert words[1] == "validate"


def test_the_pass_filenames_decision_is_explained_where_the_hook_is_defined():
    text = HOOKS_FILE.read_text(encoding="utf-8")
    assert "pass_filenames: false" in text and "为什么 pass_filenames: false" in text


def test_the_repository_uses_the_same_hook_locally():
    mine, published = local_hook(), published_hook()
    for key in ("entry", "files", "pass_filenames"):
        assert mine[key] == published[key], key
    assert mine["language"] == "system"  # the ticreg of the developer's environment, as in README


def test_ruff_is_pinned_to_a_release_tag():
    (ruff,) = [r for r in load(CONFIG_FILE)["repos"] if r["repo"] == RUFF_REPO]
    assert re.fullmatch(r"v\d+\.\d+\.\d+", ruff["rev"])
    assert [h["id"] for h in ruff["hooks"]] == ["ruff-check"]


# --- the hook's command, run as pre-commit runs it ---------------------------------------------------


def hook_command(hook: dict, files: list[str]) -> list[str]:
    words = shlex.split(hook["entry"])
    program = shutil.which(words[0], path=str(BIN)) or shutil.which(words[0])
    assert program, f"找不到 {words[0]}：请先安装本包"
    return [program, *words[1:], *hook.get("args", []), *(files if hook.get("pass_filenames", True) else [])]


def matching(hook: dict, files: list[str]) -> list[str]:
    """The staged files pre-commit would hand the hook (it runs only if there is one)."""
    return [f for f in files if re.search(hook["files"], f)]


def run_hook(repo: Path, files: list[str], hook: dict | None = None) -> subprocess.CompletedProcess:
    hook = hook or published_hook()
    assert matching(hook, files), "pre-commit 不会为这些文件运行本钩子"
    return subprocess.run(hook_command(hook, matching(hook, files)), cwd=repo, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(REGISTRY, tmp_path / "registry")
    return tmp_path


APPLICATION = "registry/applications/zezhou/2024-zezhou-001.yml"


def test_the_hook_passes_a_good_registry(repo):
    result = run_hook(repo, [APPLICATION])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_hook_fails_a_bad_registry_file(repo):
    path = repo / APPLICATION
    text = path.read_text(encoding="utf-8")
    assert "rd_equipment_value_yuan:" in text
    path.write_text(re.sub(r"^rd_equipment_value_yuan: .*$", "rd_equipment_value_yuan: 300", text, flags=re.MULTILINE),
                    encoding="utf-8")
    result = run_hook(repo, [APPLICATION])
    assert result.returncode == 1
    assert f"{APPLICATION}:" in result.stdout and " E109 " in result.stdout


def test_the_hook_does_not_run_for_files_outside_the_registry():
    assert matching(published_hook(), ["README.md", "scripts/ticreg/cli.py", "docs/handbook/staff.md"]) == []


def test_the_hook_sees_what_a_change_breaks_in_files_it_did_not_change(repo):
    """Why pass_filenames is false: removing a department from departments.yml breaks the
    applications and centers that name it. Told only the changed file, validate reports
    nothing; run as the hook runs it, it fails."""
    path = repo / "registry" / "departments.yml"
    departments = yaml.safe_load(path.read_text(encoding="utf-8"))
    used = {p.parent.name for p in (repo / "registry" / "applications").glob("*/*.yml")}
    removed = next(d for d in departments["departments"] if d["id"] in used and d["kind"] == "county")
    departments["departments"].remove(removed)
    path.write_text(yaml.safe_dump(departments, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = ["registry/departments.yml"]

    with_names = run_hook(repo, changed, dict(published_hook(), pass_filenames=True))
    assert with_names.returncode == 0, "给出文件名时只报告这些文件：看不到别处的错误"

    as_defined = run_hook(repo, changed)
    assert as_defined.returncode == 1
    assert f"registry/applications/{removed['id']}/" in as_defined.stdout and " X502 " in as_defined.stdout


# --- with pre-commit itself (optional) ---------------------------------------------------------------


def pre_commit_or_skip():
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        reason = "未安装 pre-commit（pip install pre-commit），跳过用 pre-commit 本身运行的测试"
        print(reason)
        pytest.skip(reason)


def test_pre_commit_accepts_both_files():
    pre_commit_or_skip()
    from pre_commit.clientlib import load_config, load_manifest

    manifest = load_manifest(str(HOOKS_FILE))
    assert [h["id"] for h in manifest] == [HOOK_ID]
    config = load_config(str(CONFIG_FILE))
    assert {r["repo"] for r in config["repos"]} == {RUFF_REPO, "local"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def pre_commit_run(repo: Path, *files: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"))
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", *files],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    """A git repository with the registry and this repository's local hooks only (the remote
    ruff hook would need the network)."""
    repo = tmp_path / "repo"
    shutil.copytree(REGISTRY, repo / "registry")
    config = load(CONFIG_FILE)
    config["repos"] = [r for r in config["repos"] if r["repo"] == "local"]
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (repo / "README.md").write_text("示例\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init")
    return repo


def test_pre_commit_runs_the_local_hook_on_registry_files(git_repo):
    pre_commit_or_skip()
    good = pre_commit_run(git_repo, APPLICATION)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ticreg validate" in good.stdout and "Passed" in good.stdout

    skipped = pre_commit_run(git_repo, "README.md")
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout

    path = git_repo / APPLICATION
    path.write_text(path.read_text(encoding="utf-8").replace("independent_legal_person: true",
                                                              "independent_legal_person: false"), encoding="utf-8")
    bad = pre_commit_run(git_repo, APPLICATION)
    assert bad.returncode == 1
    assert "Failed" in bad.stdout and " E103 " in bad.stdout


TRY_REPO_VARIABLE = "TICREG_TEST_TRY_REPO"


def test_pre_commit_try_repo_installs_and_runs_the_published_hook(tmp_path, git_repo):
    """`pre-commit try-repo` installs this repository in a fresh virtual environment (language:
    python) from PyPI, which takes about a minute and needs the package index: run on request."""
    pre_commit_or_skip()
    if os.environ.get(TRY_REPO_VARIABLE) != "1":
        reason = f"pre-commit try-repo 要从 PyPI 安装本包的依赖（需要几分钟）：设置 {TRY_REPO_VARIABLE}=1 时运行"
        print(reason)
        pytest.skip(reason)
    # The hook as it is in the working tree, committed in a clone (try-repo reads commits).
    this = tmp_path / "this-repository"
    git(tmp_path, "clone", "-q", str(REPO), str(this))
    for name in (".pre-commit-hooks.yaml", "pyproject.toml", "scripts", "schemas"):
        source, target = REPO / name, this / name
        if source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target)
    git(this, "add", "-A")
    git(this, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "hook")

    def try_repo() -> subprocess.CompletedProcess:
        env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(this), HOOK_ID, "--files", APPLICATION],
                              cwd=git_repo, capture_output=True, text=True, env=env, timeout=900,
                              check=False)

    good = try_repo()
    assert good.returncode == 0, good.stdout + good.stderr
    path = git_repo / APPLICATION
    path.write_text(path.read_text(encoding="utf-8").replace("independent_legal_person: true",
                                                              "independent_legal_person: false"), encoding="utf-8")
    bad = try_repo()
    assert bad.returncode == 1 and " E103 " in bad.stdout
