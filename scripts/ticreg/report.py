"""Render findings as text, JSON, or GitHub workflow commands plus a Markdown summary.

A path or message may echo what a file holds (a file name in a pull request,
a value in a message): every format shows an unprintable character as an
escape (``unprintable.visible``), so none can act on the terminal, log or
page that shows it.
"""

from __future__ import annotations

import html
import json

from .findings import Finding
from .unprintable import json_safe, visible

# The formats ``emit`` writes; the first is the default.
FORMATS = ("text", "json", "github")


def summary(findings: list[Finding], files: int) -> dict:
    errors = sum(1 for f in findings if f.severity == "error")
    return {"files": files, "errors": errors, "warnings": len(findings) - errors}


def as_text(findings: list[Finding]) -> str:
    return "".join(f"{visible(f.path)}:{f.line}:{f.column}: {f.rule} {visible(f.message)}\n" for f in findings)


def count_line(counts: dict) -> str:
    return f"检查了 {counts['files']} 个文件：{counts['errors']} 个错误，{counts['warnings']} 个警告。"


def as_json(findings: list[Finding], files: int) -> str:
    document = {"findings": [f.as_dict() for f in findings], "summary": summary(findings, files)}
    return json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def _escape_data(text: str) -> str:
    # Line breaks get the toolkit's own escapes (GitHub shows them as breaks).
    return visible(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        properties = ",".join(
            f"{name}={_escape_property(str(value))}"
            for name, value in (
                ("file", f.path),
                ("line", f.line),
                ("col", f.column),
                ("title", f"{f.rule} {f.article}"),
            )
        )
        lines.append(f"::{f.severity} {properties}::{_escape_data(f.message)}\n")
    return "".join(lines)


def _cell(text: object) -> str:
    # Registry text is data: escape HTML and the table's own delimiters.
    return html.escape(visible(str(text))).replace("|", "&#124;").replace("\n", " ").replace("`", "&#96;")


def as_markdown(findings: list[Finding], files: int) -> str:
    counts = summary(findings, files)
    status = "✅ 通过" if counts["errors"] == 0 else "❌ 未通过"
    out = [f"## 登记册校验：{status}\n\n", count_line(counts), "\n\n"]
    if findings:
        out.append("| 位置 | 规则 | 级别 | 条款 | 说明 |\n|---|---|---|---|---|\n")
        for f in findings:
            level = "错误" if f.severity == "error" else "警告"
            out.append(
                f"| {_cell(f'{f.path}:{f.line}:{f.column}')} | {_cell(f.rule)} | {level} "
                f"| {_cell(f.article)} | {_cell(f.message)} |\n"
            )
    return "".join(out)


def emit(findings: list[Finding], files: int, fmt: str, out, err, summary_path: str | None) -> None:
    """Write findings in ``fmt`` to ``out`` and the count to ``err``; with the
    github format, also append the Markdown report to ``summary_path``."""
    if fmt == "json":
        out.write(as_json(findings, files))
    elif fmt == "github":
        out.write(as_github(findings))
        if summary_path:
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(as_markdown(findings, files))
    else:
        out.write(as_text(findings))
    err.write(count_line(summary(findings, files)) + "\n")
