"""`ticreg validate` as users and CI run it: exit codes, formats, scoping."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import REGISTRY, REPO, TODAY, MiniRegistry, run_cli
from rule_helpers import make_pending

APPLICATION = "registry/applications/zezhou/2024-zezhou-001.yml"
CENTER = "registry/centers/coalbed-methane-development.yml"
COUNT_LINE = re.compile(r"^检查了 (\d+) 个文件：(\d+) 个错误，(\d+) 个警告。$")
TEXT_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): (?P<rule>[A-Z]\d{3}) (?P<message>.+)$")
ARGPARSE_ENGLISH = ("usage:", "error:", "invalid choice", "unrecognized", "required", "expected one argument")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def env_with(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    env.update(extra)
    return env


def registry_file_count(root: Path) -> int:
    return sum(
        1
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() != ".md"
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def two_files_with_errors(mini: MiniRegistry) -> None:
    """Errors the pipeline emits out of order: a schema error at line 44
    before a personal-data error at line 32, and one in the center."""
    edit(mini.application, "floor_area_m2: 1260", 'floor_area_m2: "1260平方米"')
    edit(mini.application, "  为区域煤层气企业提供", "  联系手机13834561234，为区域煤层气企业提供")
    edit(mini.center, "\nname:", "\nnickname: 煤层气中心\nname:")


# --- exit codes ------------------------------------------------------------------


def test_clean_registry_exits_0(mini):
    result = run_cli("validate", "--today", TODAY.isoformat(), cwd=mini.base)
    assert result.code == 0
    assert result.stdout == ""
    assert result.stderr == "检查了 8 个文件：0 个错误，0 个警告。\n"  # policy, departments, 4 calendar years, application, center


def test_errors_exit_1(mini):
    edit(mini.application, "  independent_legal_person: true\n", "  independent_legal_person: NO\n")
    result = mini.validate()
    assert result.code == 1
    assert ("S103", 14, 29) in [(f["rule"], f["line"], f["column"]) for f in result.findings]


def test_warnings_alone_exit_0(mini):
    edit(mini.application, "  unit_kind: enterprise\nco_builders:", "  unit_kind: technical-institution\nco_builders:")
    result = mini.validate()
    assert result.code == 0
    assert result.findings == [
        {
            "path": APPLICATION,
            "line": 15,
            "column": 14,
            "rule": "C203",
            "severity": "warning",
            "article": "第六条、第七条",
            "message": result.findings[0]["message"],
        }
    ]
    assert "技术机构" in result.findings[0]["message"]
    assert json.loads(result.stdout)["summary"] == {"files": 8, "errors": 0, "warnings": 1}
    text = run_cli("validate", "--today", TODAY.isoformat(), cwd=mini.base)
    assert text.code == 0
    assert text.stderr == "检查了 8 个文件：0 个错误，1 个警告。\n"
    github = run_cli("validate", "--today", TODAY.isoformat(), "--format", "github", cwd=mini.base, env=env_with())
    assert github.code == 0
    assert github.stdout.startswith(f"::warning file={APPLICATION},line=15,col=14,title=C203 第六条、第七条::")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["validate", "--bogus"], "--bogus"),
        (["validate", "--format", "xml"], "xml"),
        (["validate", "--format"], "--format"),
        (["validate", "--registry", "no-such-dir"], "找不到登记册目录"),
        (["validate", "registry/applications/zezhou/2099-zezhou-404.yml"], "文件不存在"),
        (["validate", "--registry", "registry/policy.yml"], "找不到登记册目录"),
        ([], "命令"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_usage_errors_exit_2_in_chinese(mini, args, says):
    # A usage error ends the command before any date is needed.
    result = run_cli(*args, cwd=mini.base, clock=True)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ticreg：")
    assert says in result.stderr
    assert re.search(r"[\u4e00-\u9fff]", result.stderr)
    for english in ARGPARSE_ENGLISH:
        assert english not in result.stderr.lower()


def test_path_outside_the_registry_is_a_usage_error(mini, tmp_path):
    outside = mini.base / "draft.yml"
    shutil.copy(mini.application, outside)
    result = run_cli("validate", "--today", TODAY.isoformat(), "draft.yml", cwd=mini.base)
    assert result.code == 2
    assert result.stdout == ""
    assert "draft.yml" in result.stderr and "登记册" in result.stderr


# --- formats ----------------------------------------------------------------------


def test_text_format(mini):
    two_files_with_errors(mini)
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "text", cwd=mini.base)
    assert result.code == 1
    as_json = mini.validate().findings
    lines = result.stdout.splitlines()
    assert len(lines) == len(as_json) == 3
    for line, finding in zip(lines, as_json):
        match = TEXT_LINE.match(line)
        assert match, line
        assert match["path"] == finding["path"]
        assert (int(match["line"]), int(match["col"])) == (finding["line"], finding["column"])
        assert match["rule"] == finding["rule"]
        assert match["message"] == finding["message"]
    assert not any(COUNT_LINE.match(line) for line in lines)
    assert COUNT_LINE.match(result.stderr.rstrip("\n")).groups() == ("8", "3", "0")
    assert result.stderr.count("\n") == 1


def test_text_is_the_default_format(mini):
    two_files_with_errors(mini)
    assert run_cli("validate", "--today", TODAY.isoformat(), cwd=mini.base).stdout == run_cli("validate", "--today", TODAY.isoformat(), "--format", "text", cwd=mini.base).stdout


def test_json_format_has_exactly_the_documented_keys(mini):
    two_files_with_errors(mini)
    result = mini.validate()
    assert result.code == 1
    document = json.loads(result.stdout)
    assert set(document) == {"findings", "summary"}
    assert document["summary"] == {"files": 8, "errors": 3, "warnings": 0}
    assert len(document["findings"]) == 3
    for finding in document["findings"]:
        assert set(finding) == {"path", "line", "column", "rule", "severity", "article", "message"}
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
        assert finding["severity"] in ("error", "warning")
    assert COUNT_LINE.match(result.stderr.rstrip("\n"))


def test_json_keeps_chinese_readable(mini):
    two_files_with_errors(mini)
    stdout = mini.validate().stdout
    assert "使用面积" in stdout
    assert "\\u" not in stdout


def test_findings_are_sorted_by_path_then_line(mini):
    two_files_with_errors(mini)
    findings = mini.validate().findings
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in findings] == [
        (APPLICATION, 32, 10, "P602"),
        (APPLICATION, 44, 16, "S103"),
        (CENTER, 4, 1, "S102"),
    ]
    text_order = [line.split(": ", 1)[0] for line in run_cli("validate", "--today", TODAY.isoformat(), cwd=mini.base).stdout.splitlines()]
    assert text_order == [f"{APPLICATION}:32:10", f"{APPLICATION}:44:16", f"{CENTER}:4:1"]


def _escape_data(text: str) -> str:
    # GitHub Actions toolkit: escapeData
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # GitHub Actions toolkit: escapeProperty
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def test_github_format_escapes_messages_and_properties(mini, tmp_path):
    # A value echoed in the message (N401 quotes the name), with a comma, a
    # colon, a percent sign and LF (a CR is refused, L115); in an application still under review
    # (a certified one would share the name with its center file).
    make_pending(mini)
    edit(mini.application, "proposed_name: 晋城市煤层气高效开发技术创新中心", 'proposed_name: "煤层气, 50%: 中心\\n约"')
    # A file name with the same characters: it becomes the file= property.
    odd = mini.write("notes,v1:50%\nz.txt", "x")
    assert odd.exists()
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "github", cwd=mini.base, env=env_with())
    assert result.code == 1
    lines = result.stdout.split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert "\r" not in result.stdout
    findings = mini.validate().findings
    assert [(f["path"], f["rule"]) for f in findings] == [
        (APPLICATION, "N401"),
        ("registry/notes,v1:50%\nz.txt", "X504"),
    ]
    assert lines == [
        f"::{f['severity']} file={_escape_property(f['path'])},line={f['line']},col={f['column']},"
        f"title={_escape_property(f['rule'] + ' ' + f['article'])}::{_escape_data(f['message'])}"
        for f in findings
    ]
    assert lines[0].startswith(
        "::error file=registry/applications/zezhou/2024-zezhou-001.yml,line=6,col=16,title=N401 第九条第（三）项::"
    )
    assert "名称“煤层气, 50%25: 中心%0A约”不符合统一命名" in lines[0]
    assert lines[1].startswith("::error file=registry/notes%2Cv1%3A50%25%0Az.txt,line=1,col=1,title=X504 ")
    assert "（notes,v1:50%25%0Az.txt）" in lines[1]
    assert COUNT_LINE.match(result.stderr.rstrip("\n"))


def test_github_step_summary_is_appended_and_escaped(mini, tmp_path):
    make_pending(mini)  # as above: the name only in the application, which has no center yet
    edit(mini.application, "proposed_name: 晋城市煤层气高效开发技术创新中心", 'proposed_name: "<script>alert(1)</script>|`x`"')
    summary = tmp_path / "step-summary.md"
    summary.write_text("# 之前的步骤\n", encoding="utf-8")
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "github", cwd=mini.base, env=env_with(GITHUB_STEP_SUMMARY=str(summary)))
    assert result.code == 1
    report = summary.read_text(encoding="utf-8")
    assert report.startswith("# 之前的步骤\n")
    appended = report.removeprefix("# 之前的步骤\n")
    assert "登记册校验" in appended and "未通过" in appended
    assert "检查了 7 个文件：1 个错误，0 个警告。" in appended  # no center file
    assert "<script>" not in report and "</script>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in appended
    table_rows = [line for line in appended.splitlines() if line.startswith("| ") and APPLICATION in line]
    assert len(table_rows) == 1
    # The value's "|" must not open a new table cell.
    assert table_rows[0].count(" | ") == 4
    assert f"{APPLICATION}:6:16" in table_rows[0]
    assert "N401" in table_rows[0]
    # Nothing of the report goes to stdout except the annotations.
    assert all(line.startswith("::") for line in result.stdout.splitlines())


def test_github_step_summary_passes_when_clean(mini, tmp_path):
    summary = tmp_path / "step-summary.md"
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "github", cwd=mini.base, env=env_with(GITHUB_STEP_SUMMARY=str(summary)))
    assert result.code == 0
    assert result.stdout == ""
    report = summary.read_text(encoding="utf-8")
    assert "通过" in report and "未通过" not in report
    assert "检查了 8 个文件：0 个错误，0 个警告。" in report


def test_github_format_without_step_summary(mini):
    two_files_with_errors(mini)
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "github", cwd=mini.base, env=env_with())
    assert result.code == 1
    assert len(result.stdout.splitlines()) == 3
    assert list(mini.base.iterdir()) == [mini.root]


# --- scope: PATH arguments and --registry ---------------------------------------------


def test_path_reports_only_that_file(mini):
    two_files_with_errors(mini)
    result = mini.validate(APPLICATION)
    assert result.code == 1
    assert [(f["path"], f["rule"], f["line"]) for f in result.findings] == [
        (APPLICATION, "P602", 32),
        (APPLICATION, "S103", 44),
    ]
    assert json.loads(result.stdout)["summary"] == {"files": 1, "errors": 2, "warnings": 0}
    only_center = mini.validate(CENTER)
    assert [(f["path"], f["rule"], f["line"], f["column"]) for f in only_center.findings] == [(CENTER, "S102", 4, 1)]


def test_path_of_a_clean_file_exits_0_although_others_have_errors(mini):
    other = mini.application.read_text(encoding="utf-8").replace("id: 2024-zezhou-001", "id: 2024-zezhou-002")
    other = other.replace("  independent_legal_person: true\n", "  independent_legal_person: NO\n")
    mini.write("applications/zezhou/2024-zezhou-002.yml", other)
    everything = mini.validate()
    assert everything.code == 1
    assert [(f["path"], f["rule"]) for f in everything.findings] == [
        ("registry/applications/zezhou/2024-zezhou-002.yml", "S103")
    ]
    result = mini.validate(APPLICATION)
    assert result.code == 0
    assert result.findings == []
    assert json.loads(result.stdout)["summary"] == {"files": 1, "errors": 0, "warnings": 0}


def test_path_still_resolves_references_against_the_whole_registry(mini):
    # The application's certified event names the center; with the center in
    # the registry the reference resolves even when only the application is checked.
    assert mini.validate(APPLICATION).findings == []
    mini.center.unlink()
    result = mini.validate(APPLICATION)
    assert result.code == 1
    lines = mini.application.read_text(encoding="utf-8").splitlines()
    (line,) = [n for n, text in enumerate(lines, 1) if "center_id: coalbed-methane-development" in text]
    column = lines[line - 1].index("coalbed-methane-development") + 1
    assert [(f["rule"], f["line"], f["column"]) for f in result.findings] == [("X502", line, column)]
    assert "coalbed-methane-development" in result.findings[0]["message"]


def test_path_can_be_absolute_or_a_directory(mini):
    two_files_with_errors(mini)
    relative = [(f["path"], f["rule"], f["line"]) for f in mini.validate(APPLICATION).findings]
    absolute = [(f["path"], f["rule"], f["line"]) for f in mini.validate(str(mini.application)).findings]
    directory = [(f["path"], f["rule"], f["line"]) for f in mini.validate("registry/applications").findings]
    assert relative == absolute == directory
    assert len(relative) == 2


def test_registry_option_validates_another_directory(mini, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "copy"
    shutil.copytree(REGISTRY, elsewhere)
    # The cwd's own registry/ is broken; --registry must not look at it.
    two_files_with_errors(mini)
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "json", "--registry", str(elsewhere), cwd=mini.base)
    assert result.code == 0
    assert result.findings == []
    assert json.loads(result.stdout)["summary"]["files"] == registry_file_count(REGISTRY)
    # And it reports that directory's findings, with paths relative to the cwd.
    edit(elsewhere / "applications" / "zezhou" / "2024-zezhou-001.yml",
         "  independent_legal_person: true\n", "  independent_legal_person: NO\n")
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "json", "--registry", "elsewhere/copy", cwd=tmp_path)
    assert result.code == 1
    assert ("elsewhere/copy/applications/zezhou/2024-zezhou-001.yml", "S103", 14, 29) in [
        (f["path"], f["rule"], f["line"], f["column"]) for f in result.findings
    ]


def test_shipped_registry_is_valid():
    result = run_cli("validate", "--today", TODAY.isoformat(), "--format", "json", cwd=REPO)
    assert result.code == 0, result.stdout
    assert result.findings == []
    summary = json.loads(result.stdout)["summary"]
    assert summary == {"files": registry_file_count(REGISTRY), "errors": 0, "warnings": 0}
