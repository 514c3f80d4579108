"""Layout-preserving edits of a registry file's text: append one item to ``history``,
swap a one-line scalar, replace the history of a template.

ruamel.yaml's round-trip loader finds the history, its items' lines and their
flow or block style; ``yaml_writer`` writes the new item in that style. The
rest of the file is never re-emitted: a full round-trip dump would move the
templates' ``- # comment`` lines and turn ``null`` into an empty value, and
every byte the user wrote is to stay as written. Callers read the result back
with the registry's own loader before writing it.
"""

from __future__ import annotations

import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor

from .errors import EXIT_FINDINGS, TicregError
from .loader import without_positions
from .yaml_writer import Style, first_faithful, one_line_scalar, sequence_item

# libyaml (the registry's loader) and editors break lines only at \n; ruamel
# also breaks at NEL, LS and PS, which would shift its line numbers.
_YAML11_BREAKS = "\u0085\u2028\u2029"

# How an event's fields are written: amended's field names on one line, as the
# sample registry writes lists; codes quoted only where the guard says so.
EVENT_STYLE = Style(
    flow_lists=frozenset({"fields"}),
    codes=frozenset({"event", "stage", "outcome", "center_id", "application_id"}),
)


class RecordRefused(TicregError):
    """The event is not recorded; the file is left exactly as it was."""

    exit_code = EXIT_FINDINGS


class _TextDates(RoundTripConstructor):
    """Round-trip loading that leaves dates as text: a file with an impossible
    date elsewhere (validation reports it) still shows where its history is."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node))


def _ruamel_load(text: str):
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDates
    hidden = text.translate(str.maketrans(_YAML11_BREAKS, " " * len(_YAML11_BREAKS)))
    return yaml.load(hidden)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split at \\n only (as libyaml and editors do)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_blank(line: str) -> bool:
    return not line.strip()


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _with_newline(line: str, newline: str) -> str:
    return line if line.endswith("\n") else line + newline


def reindent(block: str, columns: int, newline: str) -> list[str]:
    """``block``'s lines moved right by ``columns``; an empty line (inside a literal
    block of several lines) stays empty, so the text it belongs to is unchanged."""
    lines = block.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [(" " * columns + line if line else "") + newline for line in lines]


def decode(raw: bytes) -> tuple[str, str]:
    """(byte-order mark or "", text) of a UTF-8 file."""
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        return "\ufeff", text[1:]
    return "", text


class Layout:
    """Where the history sequence is in the text, and how its items are written."""

    def __init__(self, text: str, where: str):
        try:
            data = _ruamel_load(text)
        except Exception as exc:  # noqa: BLE001 - ruamel's own errors, after the registry's loader passed the file
            raise RecordRefused(f"{where} 无法解析（{type(exc).__name__}）；请先运行 ticreg validate 修正") from None
        history = data.get("history") if isinstance(data, CommentedMap) else None
        if not isinstance(history, CommentedSeq) or len(history) == 0:
            raise RecordRefused(f"{where} 没有可追加的 history 列表；请先运行 ticreg validate 修正")
        if history.fa.flow_style():
            raise RecordRefused(
                f"{where} 的 history 写成了方括号列表 [...]，无法在保持原样的前提下追加；"
                "请改为每条记录一行“- ”的写法后再记录"
            )
        self.data = data
        self.history = history
        self.dash_col = history.lc.col
        self.lines = split_lines(text)
        last = len(history) - 1
        item_line, item_col = history.lc.item(last)
        self.last_item_line = item_line
        # Items written on the dash's line show how far their content sits from it.
        dash_line = self.lines[item_line] if item_line < len(self.lines) else ""
        on_dash_line = dash_line[self.dash_col : self.dash_col + 1] == "-" and item_col > self.dash_col
        self.step = item_col - self.dash_col if on_dash_line else 2
        styles = [getattr(item, "fa", None) and item.fa.flow_style() for item in history]
        self.all_flow = all(styles)
        self.all_block = not any(styles)

    def end_of_history(self) -> int:
        """Index of the last line of the last item (its content, not the comments after it)."""
        end = self.last_item_line
        for j in range(self.last_item_line + 1, len(self.lines)):
            line = self.lines[j]
            if _is_blank(line):
                continue
            if _indent(line) > self.dash_col:
                end = j
            else:
                break
        return end

    def flow_for(self, event: dict) -> bool:
        """The existing items' style; where a file mixes both (short events on one line,
        events with a note or a reason as blocks), the sample registry's convention."""
        if self.all_flow:
            return True
        if self.all_block:
            return False
        return not ({"reason", "note"} & set(event))

    def item_lines(self, event: dict, newline: str, *, quote_all: bool) -> list[str]:
        """``event`` as lines of a new history item, in this history's style and indentation."""
        item = sequence_item(event, EVENT_STYLE, flow=self.flow_for(event), step=self.step, quote_all=quote_all)
        return reindent(item, self.dash_col, newline)


def replace_scalar_line(line: str, col: int, old: str, new_text: str) -> str | None:
    """Swap the one-line scalar written at ``col`` (plain or quoted) for ``new_text``."""
    rest = line[col:]
    for written in (old, f'"{old}"', f"'{old}'"):
        if rest.startswith(written):
            after = rest[len(written) :]
            if after.strip() == "" or after.lstrip(" ").startswith("#") and after[:1] == " ":
                return line[:col] + new_text + after
    return None


def append_event(text: str, shown: str, event: dict, raw_event: dict, raw) -> str:
    """The file's text with ``event`` appended to history (and, for a rename, name updated),
    verified to read back as the old data plus ``raw_event``."""
    layout = Layout(text, shown)
    newline = newline_of(text)
    lines = list(layout.lines)
    end = layout.end_of_history()
    expected = without_positions(raw)
    expected["history"] = expected["history"] + [raw_event]
    if "former_name" in event:
        line, col = layout.data.lc.value("name")
        try:
            replaced = replace_scalar_line(lines[line], col, event["former_name"], one_line_scalar(event["new_name"]))
        except ValueError:
            replaced = None
        if replaced is None:
            raise RecordRefused(f"{shown} 的 name 不是单行写法，无法自动改为新名称；请手工修改 name 后，不带 --new-name 记录")
        lines[line] = replaced
        expected["name"] = event["new_name"]
    if "former_research_directions" in event:
        end += _replace_directions(layout, lines, shown, event["new_research_directions"], newline)
        expected["research_directions"] = event["new_research_directions"]
    lines[end] = _with_newline(lines[end], newline)

    def candidate(quote_all: bool) -> str:
        return "".join(lines[: end + 1] + layout.item_lines(event, newline, quote_all=quote_all) + lines[end + 1 :])

    written = first_faithful(candidate, expected, shown)
    if written is None:
        raise RecordRefused(f"无法在保持 {shown} 原有内容不变的前提下追加这条记录；请手工追加，并运行 ticreg validate")
    return written


def _replace_directions(layout: Layout, lines: list[str], shown: str, directions: list[str], newline: str) -> int:
    """Write ``directions`` over the one-line items of ``research_directions`` (in place, in
    their style); the change in the number of lines before the history's end."""
    written = layout.data.get("research_directions")
    refused = RecordRefused(f"{shown} 的 research_directions 不是每项一行的列表，无法自动改为新研究方向；"
                            "请手工修改 research_directions 并在 changed 记录中写 new_research_directions")
    if not isinstance(written, CommentedSeq) or len(written) == 0:
        raise refused
    first, column = written.lc.item(0)
    rows = [written.lc.item(i)[0] for i in range(len(written))]
    commented = any(" #" in lines[row][column:] for row in rows)  # a comment there would be lost
    if written.fa.flow_style() or rows != list(range(first, first + len(rows))) or commented:
        raise refused
    try:
        items = [lines[first][:column] + one_line_scalar(d) + newline for d in directions]
    except ValueError:
        raise refused from None
    lines[first : first + len(rows)] = items
    return len(items) - len(rows) if first < layout.last_item_line else 0
