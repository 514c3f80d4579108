"""The option helpers every command shares (commands/_common.py): --format and write-or---check."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

import pytest

from conftest import REGISTRY, REPO, TODAY, run_cli
from ticreg import report
from ticreg.commands import _common, deadlines, publicity_window
from ticreg.errors import EXIT_FINDINGS, EXIT_OK

# --- --format ------------------------------------------------------------------


def _parser_with_format(formats, notes=None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    _common.add_format_option(parser, formats, notes)
    return parser


def test_format_defaults_to_the_first_and_accepts_only_the_declared():
    parser = _parser_with_format(("text", "json", "ics"), {"ics": "iCalendar"})
    assert parser.parse_args([]).format == "text"
    assert parser.parse_args(["--format", "ics"]).format == "ics"
    with pytest.raises(SystemExit):
        parser.parse_args(["--format", "github"])
    help_text = next(a.help for a in parser._actions if a.dest == "format")
    assert help_text == "输出格式：text（默认）、json 或 ics（iCalendar）"


@pytest.mark.parametrize(
    ("command", "formats", "dated"),
    [
        ("validate", report.FORMATS, ["--today", TODAY.isoformat()]),
        ("check-changes", report.FORMATS, ["--base", "HEAD"]),
        ("deadlines", deadlines.FORMATS, ["--as-of", TODAY.isoformat()]),
        ("publicity-window", publicity_window.FORMATS, ["2026-09-18"]),
    ],
)
def test_each_command_offers_the_formats_its_emitter_declares(command, formats, dated):
    result = run_cli(command, *dated, "--format", "xml", cwd=REPO)
    assert result.code == 2
    for name in formats:
        assert f"'{name}'" in result.stderr, result.stderr
    assert "'xml'" in result.stderr


def test_report_formats_are_those_emit_writes(mini):
    # Every declared format renders through report.emit; none falls back to text but text itself.
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    outputs = {}
    for name in report.FORMATS:
        result = run_cli("validate", "--today", TODAY.isoformat(), "--format", name, cwd=mini.base, env=env)
        assert result.code == EXIT_OK, result.stderr
        outputs[name] = result.stdout
    assert outputs["json"].startswith("{") and outputs["json"] != outputs["text"]


# --- write or --check ----------------------------------------------------------


def test_write_then_check(tmp_path, capsys):
    files = {tmp_path / "out" / "a.txt": "甲\n", tmp_path / "out" / "b.txt": "乙\n"}
    assert _common.write_or_check(files, False, "ticreg example") == EXIT_OK
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "甲\n"
    assert capsys.readouterr().err == f"已写入 {tmp_path}/out/a.txt\n已写入 {tmp_path}/out/b.txt\n"
    assert _common.write_or_check(files, True, "ticreg example") == EXIT_OK
    assert capsys.readouterr().err == f"已是最新：{tmp_path}/out/a.txt、{tmp_path}/out/b.txt\n"


def test_check_names_each_stale_or_missing_file_and_the_command(tmp_path, capsys):
    stale, missing, fresh = tmp_path / "stale.txt", tmp_path / "missing.txt", tmp_path / "fresh.txt"
    stale.write_text("旧\n", encoding="utf-8")
    fresh.write_text("新\n", encoding="utf-8")
    files = {stale: "新\n", missing: "新\n", fresh: "新\n"}
    assert _common.write_or_check(files, True, "ticreg example") == EXIT_FINDINGS
    assert capsys.readouterr().err == (
        f"{stale} 已过期，请运行：ticreg example（再提交生成的文件）\n"
        f"{missing} 不存在，请运行：ticreg example（再提交生成的文件）\n"
    )
    assert stale.read_text(encoding="utf-8") == "旧\n" and not missing.exists()  # --check writes nothing


def test_a_file_that_is_not_utf8_is_stale_not_a_crash(tmp_path, capsys):
    path = tmp_path / "copy.txt"
    path.write_bytes(b"\xff\xfe")
    assert _common.write_or_check({path: "文本\n"}, True, "ticreg example") == EXIT_FINDINGS
    assert capsys.readouterr().err.startswith(f"{path} 已过期")


def test_a_checkout_with_crlf_line_endings_is_up_to_date(tmp_path):
    # Git on Windows (core.autocrlf) checks files out with CRLF; that is not a stale file.
    path = tmp_path / "copy.txt"
    path.write_bytes("文本\r\n".encode("utf-8"))
    assert _common.write_or_check({path: "文本\n"}, True, "ticreg example") == EXIT_OK


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    shutil.copytree(REGISTRY, tmp_path / "registry")
    shutil.copytree(REPO / "schemas" / "json", tmp_path / "schemas" / "json")
    shutil.copytree(REPO / ".github", tmp_path / ".github")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.mark.parametrize(
    ("command", "generated"),
    [
        ("schema", "schemas/json/policy.schema.json"),
        ("issue-forms", ".github/ISSUE_TEMPLATE/config.yml"),
        ("codeowners", ".github/CODEOWNERS"),
    ],
)
def test_the_three_generators_share_the_check_messages(repo_copy, command, generated):
    assert run_cli(command, "--check", cwd=repo_copy).code == EXIT_OK
    path = repo_copy / generated
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "# 手改\n", encoding="utf-8")
    result = run_cli(command, "--check", cwd=repo_copy)
    assert result.code == EXIT_FINDINGS
    assert result.stderr == f"{generated} 已过期，请运行：ticreg {command}（再提交生成的文件）\n"
    path.unlink()
    result = run_cli(command, "--check", cwd=repo_copy)
    assert result.code == EXIT_FINDINGS
    assert result.stderr == f"{generated} 不存在，请运行：ticreg {command}（再提交生成的文件）\n"
    written = run_cli(command, cwd=repo_copy)
    assert written.code == EXIT_OK and f"已写入 {generated}\n" in written.stderr
    assert path.read_text(encoding="utf-8") == original
    fresh = run_cli(command, "--check", cwd=repo_copy)
    assert fresh.code == EXIT_OK and fresh.stderr.startswith("已是最新：") and generated in fresh.stderr
