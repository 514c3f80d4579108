"""Only regular files of a known kind may be in the registry folder.

Every case is a real git repository (``ticreg check-changes``, built as in
tests/test_check_changes.py) or a real registry on disk (``ticreg
validate``): a pending application replaced by a gitlink or a link counts
as deleted and the entry is refused; a link is never followed or read; a
hidden file, another extension or a file at the wrong depth is an error for
both commands, whatever it holds.

These cases are about what sits at a path, not what a file says, so they
are not in tests/fixtures/hostile/ (that corpus is file content loaded as
an application).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import TODAY, run_cli
from rule_helpers import assert_each_rule_has_a_failing_case
from test_check_changes import APPLICANT, REVOKED_CENTER, SUBMITTED, GitRegistry, found

# A resident ID number with a valid check digit (GB 11643): a file that was
# read would be reported for it (P601); none of these files is read.
RESIDENT_ID = "140525199807150015"
SECRET = f"id: 2026-chengqu-777\nnote: 联系人身份证号 {RESIDENT_ID}\n"


@pytest.fixture
def repo(tmp_path: Path) -> GitRegistry:
    return GitRegistry(tmp_path / "repo")


def chinese_and_positioned(result) -> None:
    for finding in result.findings:
        assert re.search(r"[\u4e00-\u9fff]", finding["message"])
        assert finding["article"] in finding["message"]
        assert (finding["line"], finding["column"]) == (1, 1)
        assert RESIDENT_ID not in finding["message"]


def refused(result, *expected: tuple[str, int, int, str]) -> None:
    assert result.code == 1, (result.stdout, result.stderr)
    assert found(result) == sorted(expected), result.stdout
    chinese_and_positioned(result)


def passes(result) -> None:
    assert result.code == 0, (result.stdout, result.stderr)
    assert result.findings == []


def gitlink(repo: GitRegistry, relative: str) -> None:
    """Stage a gitlink (mode 160000) at ``relative``, as a submodule would be; the working copy keeps an empty folder."""
    if repo.path(relative).exists():
        repo.git("rm", "-q", relative)
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.base},{relative}")
    repo.path(relative).mkdir()


def commit_staged(repo: GitRegistry) -> None:
    # Not repo.commit(): "git add -A" would stage the empty folder's absence over the gitlink.
    repo.git("commit", "-q", "-m", "change")


def validate(folder: Path, *args: str):
    return run_cli("validate", "--format", "json", "--today", TODAY.isoformat(), *args, cwd=folder)


# ---------------------------------------------------------------------------
# Gitlinks: a pending application replaced by a submodule
# ---------------------------------------------------------------------------


def test_a_gitlink_replacing_a_pending_application_is_refused_as_a_deletion_and_a_non_file(repo):
    gitlink(repo, SUBMITTED)
    commit_staged(repo)
    assert repo.git("ls-tree", "HEAD", "--", SUBMITTED).startswith("160000 commit ")
    result = repo.check("--head", "HEAD")
    refused(result, (SUBMITTED, 1, 1, "G903"), (SUBMITTED, 1, 1, "G915"))
    g915 = next(f for f in result.findings if f["rule"] == "G915")
    assert "子模块" in g915["message"] and "按删除处理" in g915["message"]


def test_the_gitlink_deletion_is_reported_exactly_as_a_real_deletion(repo, tmp_path):
    other = GitRegistry(tmp_path / "other")
    other.path(SUBMITTED).unlink()
    other.commit()
    deleted = [f for f in other.check("--head", "HEAD").findings if f["rule"] == "G903"]
    gitlink(repo, SUBMITTED)
    commit_staged(repo)
    assert [f for f in repo.check("--head", "HEAD").findings if f["rule"] == "G903"] == deleted


def test_a_gitlink_is_refused_whoever_adds_it_and_wherever(repo):
    new = "registry/applications/zezhou/2026-zezhou-950.yml"
    gitlink(repo, new)
    commit_staged(repo)
    refused(repo.check("--head", "HEAD", "--actor", APPLICANT), (new, 1, 1, "G915"))


def test_the_checked_out_gitlink_is_an_empty_folder_both_commands_refuse(repo, tmp_path):
    """What actions/checkout leaves: an empty folder where the application was."""
    gitlink(repo, SUBMITTED)
    commit_staged(repo)
    clone = tmp_path / "clone"
    repo.git("clone", "-q", str(repo.dir), str(clone))
    assert (clone / SUBMITTED).is_dir() and not any((clone / SUBMITTED).iterdir())
    # The working tree of the checkout (no --head): the folder is not the file.
    checked = run_cli("check-changes", "--base", repo.base, "--format", "json", cwd=clone)
    refused(checked, (SUBMITTED, 1, 1, "G903"), (SUBMITTED, 1, 1, "G915"))
    assert "文件夹" in next(f for f in checked.findings if f["rule"] == "G915")["message"]
    result = validate(clone)
    assert result.code == 1
    assert (SUBMITTED, 1, 1, "L113") in found(result)


# ---------------------------------------------------------------------------
# Symbolic links: never followed, never read
# ---------------------------------------------------------------------------


def test_a_committed_link_replacing_a_center_is_refused_as_a_deletion(repo):
    repo.path(REVOKED_CENTER).unlink()
    repo.path(REVOKED_CENTER).symlink_to("/etc/passwd")
    repo.commit()
    assert repo.git("ls-tree", "HEAD", "--", REVOKED_CENTER).startswith("120000 blob ")
    result = repo.check("--head", "HEAD")
    refused(result, (REVOKED_CENTER, 1, 1, "G903"), (REVOKED_CENTER, 1, 1, "G915"))
    assert "符号链接" in next(f for f in result.findings if f["rule"] == "G915")["message"]


def test_a_link_to_a_secret_file_is_never_read(repo, tmp_path):
    """The target holds a personal ID number and would be a valid-looking record: reading it would say so."""
    outside = tmp_path / "outside.yml"
    outside.write_text(SECRET, encoding="utf-8")
    link = "registry/applications/zezhou/2026-zezhou-951.yml"
    repo.path(link).symlink_to(outside)
    # Working tree (untracked link) and committed.
    refused(repo.check(), (link, 1, 1, "G915"))
    repo.commit()
    refused(repo.check("--head", "HEAD"), (link, 1, 1, "G915"))


def test_validate_refuses_a_link_to_etc_passwd_without_reading_it(mini, tmp_path):
    link = mini.root / "applications" / "zezhou" / "2026-zezhou-952.yml"
    link.symlink_to("/etc/passwd")
    secret = tmp_path / "secret.yml"
    secret.write_text(SECRET, encoding="utf-8")
    (mini.root / "centers" / "secret.yml").symlink_to(secret)
    result = validate(mini.base)
    assert result.code == 1
    assert found(result) == [
        ("registry/applications/zezhou/2026-zezhou-952.yml", 1, 1, "L111"),
        ("registry/centers/secret.yml", 1, 1, "L111"),
    ]
    chinese_and_positioned(result)
    assert "root:" not in result.stdout


def test_validate_never_enters_a_linked_folder(mini, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "2026-gaoping-001.yml").write_text(SECRET, encoding="utf-8")
    (mini.root / "applications" / "gaoping").symlink_to(elsewhere, target_is_directory=True)
    result = validate(mini.base)
    assert found(result) == [("registry/applications/gaoping", 1, 1, "L111")]


def test_validate_names_a_link_given_on_the_command_line(mini):
    link = mini.root / "centers" / "linked.yml"
    link.symlink_to("/etc/passwd")
    result = validate(mini.base, "registry/centers/linked.yml")
    assert result.code == 1 and found(result) == [("registry/centers/linked.yml", 1, 1, "L111")]
    whole_folder = validate(mini.base, "registry/centers")
    assert found(whole_folder) == [("registry/centers/linked.yml", 1, 1, "L111")]


def test_validate_refuses_a_named_pipe_without_opening_it(mini):
    # Opening a pipe for reading blocks until a writer comes: the run would hang.
    os.mkfifo(mini.root / "centers" / "pipe.yml")
    result = validate(mini.base)
    assert result.code == 1 and found(result) == [("registry/centers/pipe.yml", 1, 1, "L112")]
    assert "命名管道" in result.findings[0]["message"]


def test_record_neither_reads_nor_replaces_a_linked_application(mini, tmp_path):
    """`ticreg record` writes by replacing the file: through a link it would copy the target into the registry."""
    outside = tmp_path / "outside" / "2026-zezhou-956.yml"
    outside.parent.mkdir()
    outside.write_bytes(mini.application.read_bytes().replace(b"2024-zezhou-001", b"2026-zezhou-956"))
    before = outside.read_bytes()
    link = mini.root / "applications" / "zezhou" / "2026-zezhou-956.yml"
    link.symlink_to(outside)
    result = run_cli("record", "withdrawn", "2026-zezhou-956", "--today", TODAY.isoformat(), cwd=mini.base)
    assert result.code == 1, (result.stdout, result.stderr)
    assert "L111 registry/applications/zezhou/2026-zezhou-956.yml 是符号链接" in result.stderr
    assert link.is_symlink()
    # The file itself regular, the department folder a link.
    link.unlink()
    (mini.root / "applications" / "gaoping").symlink_to(outside.parent, target_is_directory=True)
    result = run_cli("record", "withdrawn", "2026-zezhou-956", "--today", TODAY.isoformat(), cwd=mini.base)
    assert result.code == 1, (result.stdout, result.stderr)
    assert "L111 registry/applications/gaoping 是符号链接" in result.stderr
    assert outside.read_bytes() == before


def test_record_refuses_a_folder_where_the_center_file_belongs(mini):
    mini.center.unlink()
    mini.center.mkdir()
    result = run_cli("record", "evaluated", "coalbed-methane-development", "--outcome", "retain",
                     "--today", TODAY.isoformat(), cwd=mini.base)
    assert result.code == 1, (result.stdout, result.stderr)
    assert "L113 registry/centers/coalbed-methane-development.yml/ 是文件夹" in result.stderr
    assert mini.center.is_dir()


def test_an_executable_file_is_still_a_regular_file(repo):
    path = repo.path(SUBMITTED)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    repo.append_event(SUBMITTED, "{date: 2026-11-20, event: withdrawn}")
    repo.commit()
    assert repo.git("ls-tree", "HEAD", "--", SUBMITTED).startswith("100755 blob ")
    passes(repo.check("--head", "HEAD", "--actor", APPLICANT))


# ---------------------------------------------------------------------------
# Folders
# ---------------------------------------------------------------------------


def test_an_empty_folder_elsewhere_is_ignored(mini):
    (mini.root / "applications" / "gaoping").mkdir()
    (mini.root / "applications" / "zezhou" / "drafts").mkdir()
    assert mini.check() == []


def test_a_folder_where_a_record_belongs_is_refused_even_with_files_inside(mini):
    folder = mini.root / "centers" / "sericulture.yml"
    folder.mkdir()
    (folder / "inner.yml").write_text(SECRET, encoding="utf-8")
    (mini.root / "calendar" / "2031.yml").mkdir()
    assert [(f.path, f.line, f.column, f.rule) for f in mini.check()] == [
        ("registry/calendar/2031.yml", 1, 1, "L113"),
        ("registry/centers/sericulture.yml", 1, 1, "L113"),
    ]


def test_a_hidden_folder_is_reported_once_and_not_entered(mini):
    hidden = mini.root / "applications" / "zezhou" / ".git"
    (hidden / "objects").mkdir(parents=True)
    (hidden / "objects" / "secret.yml").write_text(SECRET, encoding="utf-8")
    findings = mini.check()
    assert [(f.path, f.rule) for f in findings] == [("registry/applications/zezhou/.git", "X504")]
    assert "（applications/zezhou/.git/）" in findings[0].message


def test_an_untracked_nested_repository_is_refused_in_the_working_tree(repo):
    nested = repo.path("registry/applications/zezhou/2026-zezhou-953.yml")
    nested.mkdir()
    (nested / "x.yml").write_text(SECRET, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=nested, check=True)
    refused(repo.check(), ("registry/applications/zezhou/2026-zezhou-953.yml", 1, 1, "G915"))


# ---------------------------------------------------------------------------
# Hidden files and other files of no known kind
# ---------------------------------------------------------------------------

STRAYS = [
    "applications/chengqu/.notes.yml",  # hidden, with a personal ID number
    "applications/zezhou/2026-zezhou-954.yaml",  # another extension
    "centers/notes.txt",
    "centers/precision-casting.json",
    "applications/foo.yml",  # no department folder
    "applications/zezhou/drafts/2026-zezhou-955.yml",  # too deep
    "calendar/.2027.yml",
    "NOTES.md",  # a Markdown file that is not a README
    "applications/zezhou/drafts/README.md",  # a README outside the layout's folders
]


@pytest.mark.parametrize("relative", STRAYS)
def test_check_changes_refuses_a_file_of_no_known_kind(repo, relative):
    path = f"registry/{relative}"
    repo.write(path, SECRET)
    refused(repo.check(), (path, 1, 1, "G916"))  # working tree, untracked
    repo.commit()
    result = repo.check("--head", "HEAD")
    refused(result, (path, 1, 1, "G916"))
    message = result.findings[0]["message"]
    assert f"（{relative}）" in message
    for allowed in ("applications/<部门代号>/<申报代号>.yml", "centers/<中心代号>.yml", "README.md"):
        assert allowed in message


@pytest.mark.parametrize("relative", STRAYS)
def test_validate_refuses_a_file_of_no_known_kind(mini, relative):
    mini.write(relative, SECRET)
    result = validate(mini.base)
    assert result.code == 1
    assert found(result) == [(f"registry/{relative}", 1, 1, "X504")]
    chinese_and_positioned(result)


def test_the_hidden_notes_file_passes_neither_command(repo, tmp_path):
    """The issue's case end to end: the same commit, refused by both checks CI runs."""
    notes = "registry/applications/chengqu/.notes.yml"
    repo.write(notes, SECRET)
    repo.commit()
    refused(repo.check("--head", "HEAD", "--actor", APPLICANT), (notes, 1, 1, "G910"), (notes, 1, 1, "G916"))
    result = validate(repo.dir)
    assert result.code == 1 and (notes, 1, 1, "X504") in found(result)
    assert RESIDENT_ID not in result.stdout


@pytest.mark.parametrize("relative", ["README.md", "applications/README.md", "applications/zezhou/README.md",
                                      "centers/README.md", "calendar/README.md"])
def test_readme_files_of_the_layout_are_allowed(repo, mini, relative):
    repo.write(f"registry/{relative}", "# 说明\n")
    passes(repo.check())
    mini.write(relative, "# 说明\n")
    assert mini.check() == []


def test_deleting_a_stray_file_is_fine(repo):
    stray = "registry/centers/notes.txt"
    repo.write(stray, "草稿\n")
    base = repo.commit("a stray file in the base")
    repo.path(stray).unlink()
    repo.commit()
    passes(repo.check("--head", "HEAD", base=base))


def test_the_text_report_names_path_line_and_column(repo):
    repo.write("registry/applications/foo.yml", SECRET)
    result = repo.check(fmt="text")
    assert result.code == 1
    assert result.stdout.startswith("registry/applications/foo.yml:1:1: G916 登记册中不应有此文件（applications/foo.yml）")


def test_the_sample_registry_has_no_stray_entries(tmp_path):
    from conftest import REGISTRY

    copy = tmp_path / "registry"
    shutil.copytree(REGISTRY, copy, symlinks=True)
    assert validate(tmp_path).code == 0


# Each rule of ticreg/rules/tree_entries.py and the tests above that make it fire.
COVERED_MODULES = {"ticreg.rules.changes.tree_entries"}
FAILING_CASES = {
    "G915": ["test_a_gitlink_replacing_a_pending_application_is_refused_as_a_deletion_and_a_non_file",
             "test_a_committed_link_replacing_a_center_is_refused_as_a_deletion"],
    "G916": ["test_check_changes_refuses_a_file_of_no_known_kind", "test_the_hidden_notes_file_passes_neither_command"],
}


def test_every_tree_entry_rule_has_a_failing_case():
    assert_each_rule_has_a_failing_case(FAILING_CASES, COVERED_MODULES, globals())
